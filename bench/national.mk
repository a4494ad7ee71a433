# `make bench-national` (issue 15 "National scale benchmark"): a year at
# national volume through the full `make run`: NATIONAL_ROWS placement
# rows (bench/gen-klipp.awk, a klipp-placements export), NATIONAL_MONTHS
# service months (bench/national-hr.awk, an hr-service export), the HÅP
# and last year's quantities, run by the stockholm-2024 model with
# RUN_MEASURE=1, so each step's wall and CPU seconds and peak RSS are
# measured; then Miller does allocate's aggregation (Σ qty per provider,
# stream and period) on the same activities, for the ratio.  Figures:
# bench/README-national.md.  Include from the Makefile (with run.mk).
NATIONAL_ROWS	?= 5000000
NATIONAL_MONTHS	?= 200000
NATIONAL_SEED	?= 1
NATIONAL_DIR	?= out/bench-national
NATIONAL_IN	= $(NATIONAL_DIR)/in-$(NATIONAL_ROWS)-$(NATIONAL_MONTHS)-$(NATIONAL_SEED)

$(NATIONAL_IN)/.done: bench/gen-klipp.awk bench/national-hr.awk
	@rm -rf $(NATIONAL_IN) && mkdir -p $(NATIONAL_IN)
	awk -v rows=$(NATIONAL_ROWS) -v seed=$(NATIONAL_SEED) -f bench/gen-klipp.awk > $(NATIONAL_IN)/klipp-2024.csv
	awk -v months=$(NATIONAL_MONTHS) -v seed=$(NATIONAL_SEED) -f bench/national-hr.awk > $(NATIONAL_IN)/hr-2024.csv
	cp fixtures/stockholm-2024/hap.csv fixtures/stockholm-2024/kvantiteter-2023.csv \
	    fixtures/stockholm-2024/providers.csv $(NATIONAL_IN)/
	@touch $@

# the programs first: a new commit changes the version, which rebuilds all
bench-national: all $(NATIONAL_IN)/.done
	@k=$(abspath $(NATIONAL_DIR))/bench.key; o=$(abspath $(NATIONAL_DIR))/run; \
	[ -f $$k ] || { head -c 32 /dev/urandom > $$k; chmod 600 $$k; }; rm -rf $$o; \
	s=$$(date +%s.%N); \
	ALF_KEY_FILE=$$k $(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) -f pipelines/run.mk \
	    run MODEL=stockholm-2024 IN=$(NATIONAL_IN) OUT=$$o RUN_MEASURE=1 2> $(NATIONAL_DIR)/run.err || \
	    { cat $(NATIONAL_DIR)/run.err; exit 1; }; \
	e=$$(date +%s.%N); \
	echo "national year: $(NATIONAL_ROWS) placement rows ($$(wc -c < $(NATIONAL_IN)/klipp-2024.csv) bytes)," \
	    "$(NATIONAL_MONTHS) service months; make run $$(echo "$$e - $$s" | bc | cut -c1-6) s wall, status $$(jq -r .status $$o/summary.json)"; \
	printf '%-28s %9s %8s %8s %10s %11s\n' step rows wall_s cpu_s peak_MiB rows/cpu_s; \
	for n in $$(jq -r '.stages[].stage' $$o/summary.json); do \
	    set -- $$(cat $$o/logs/$$n.time 2>/dev/null | tail -n 1) 0 0 0 0; \
	    r=$$(jq -r --arg n $$n '.stages[] | select(.stage == $$n) | .read // 0' $$o/summary.json); \
	    awk -v n=$$n -v r=$$r -v w=$$1 -v u=$$2 -v sy=$$3 -v m=$$4 'BEGIN { \
	        c = u + sy; printf "%-28s %9d %8.2f %8.2f %10.1f %11s\n", n, r, w, c, m / 1024, \
	        (c > 0 ? sprintf("%.0f", r / c) : "-") }'; done; \
	/usr/bin/time -f '%e %U %S %M' -o $(NATIONAL_DIR)/mlr.time \
	    mlr --icsv --ocsv stats1 -a sum -f qty -g provider,stream,period $$o/activities.csv > /dev/null; \
	set -- $$(tail -n 1 $(NATIONAL_DIR)/mlr.time); \
	set -- $$1 $$2 $$3 $$4 $$(cat $$o/logs/allocate.time); \
	awk -v mw=$$1 -v mc=$$(echo "$$2 + $$3" | bc) -v mm=$$4 -v aw=$$5 -v ac=$$(echo "$$6 + $$7" | bc) -v am=$$8 'BEGIN { \
	    printf "mlr stats1 (sum qty by provider, stream, period): %.2f s cpu, %.1f MiB; alf-allocate: %.2f s cpu, %.1f MiB\n", mc, mm / 1024, ac, am / 1024; \
	    printf "mlr / alf-allocate: %.1fx cpu, %.1fx memory\n", mc / ac, mm / am }'

.PHONY: bench-national
