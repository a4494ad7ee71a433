# `make bench`: the ingest benchmark (issue 11 "Performance"; never a
# timed test).  A generated klipp-placements export (bench/gen-klipp.awk,
# deterministic from BENCH_SEED) read by alf-ingest, by Miller and by a
# parse-only libcsv program (bench/csvparse.c), with the pseudonyms'
# HMAC alone (bench/hmacpeer.c) for the floor; prints the times, peak
# memory and the ratios measured in this run.  Outputs go to /dev/null
# for all three so that no one pays for the disk (alf-ingest -o would
# also fsync).  Figures: bench/README.md.
BENCH_ROWS	?= 500000
BENCH_SEED	?= 1
BENCH_DIR	?= out/bench
BENCH_TIME	= /usr/bin/time -f '%U %S %M'

$(BENCH_DIR)/csvparse: bench/csvparse.c
	@mkdir -p $(BENCH_DIR)
	$(CC) -O2 $(WARN) -o $@ $< -lcsv

$(BENCH_DIR)/hmacpeer: bench/hmacpeer.c
	@mkdir -p $(BENCH_DIR)
	$(CC) -O2 $(WARN) -o $@ $< -lcrypto

$(BENCH_DIR)/klipp-$(BENCH_ROWS)-$(BENCH_SEED).csv: bench/gen-klipp.awk
	@mkdir -p $(BENCH_DIR)
	awk -v rows=$(BENCH_ROWS) -v seed=$(BENCH_SEED) -f bench/gen-klipp.awk > $@.tmp
	mv $@.tmp $@

bench: bench-ingest

# CPU seconds (user + system) and wall seconds, with peak KiB, of each
bench-ingest: $(BIN)/alf-ingest $(BIN)/alf-normalize $(BENCH_DIR)/csvparse $(BENCH_DIR)/hmacpeer \
    $(BENCH_DIR)/klipp-$(BENCH_ROWS)-$(BENCH_SEED).csv
	@f=$(BENCH_DIR)/klipp-$(BENCH_ROWS)-$(BENCH_SEED).csv; \
	k=$(BENCH_DIR)/bench.key; \
	[ -f $$k ] || { head -c 32 /dev/urandom > $$k; chmod 600 $$k; }; \
	t() { /usr/bin/time -f '%U %S %e %M' -o $(BENCH_DIR)/t "$$@" > /dev/null 2>&1; \
	    tail -n 1 $(BENCH_DIR)/t | awk '{ printf "%.2f %.2f %d\n", $$1 + $$2, $$3, $$4 }'; }; \
	set -- $$(t $(BENCH_DIR)/csvparse "$$f"); cs=$$1; cw=$$2; cm=$$3; \
	set -- $$(t $(BENCH_DIR)/hmacpeer $(BENCH_ROWS)); hs=$$1; \
	set -- $$(t mlr --icsv --ifs ';' --ocsv cat "$$f"); ms=$$1; mw=$$2; mm=$$3; \
	set -- $$(t $(BIN)/alf-ingest --profile klipp-placements \
	    --key-file $$k --year 2024 "$$f"); is=$$1; iw=$$2; im=$$3; \
	$(BIN)/alf-ingest --profile klipp-placements --key-file $$k --year 2024 \
	    --quiet "$$f" > $(BENCH_DIR)/records.csv; \
	set -- $$(t $(BIN)/alf-normalize --providers \
	    fixtures/stockholm-2024/providers.csv --year 2024 \
	    $(BENCH_DIR)/records.csv); ns=$$1; nw=$$2; nm=$$3; \
	echo "rows $(BENCH_ROWS), $$(wc -c < $$f) bytes, Windows-1252, ';', decimal comma"; \
	echo "cpu s / wall s / peak KiB: csvparse $$cs/$$cw/$$cm  mlr $$ms/$$mw/$$mm  alf-ingest $$is/$$iw/$$im  alf-normalize $$ns/$$nw/$$nm"; \
	awk -v c=$$cs -v m=$$ms -v i=$$is -v cw=$$cw -v mw=$$mw -v iw=$$iw -v h=$$hs 'BEGIN { \
	    printf "mlr / alf-ingest: %.2fx cpu, %.2fx wall (want >= 3)\n", m / i, mw / iw; \
	    printf "alf-ingest / csvparse: %.2fx cpu, %.2fx wall (want <= 2)\n", i / c, iw / cw; \
	    printf "floor, libcsv alone + the pseudonyms alone (hmacpeer %.2f s): %.2f s cpu = %.2fx csvparse, mlr / floor %.2fx\n", \
	        h, c + h, (c + h) / c, m / (c + h) }'

.PHONY: bench bench-ingest

# alf-allocate on generated activities against Miller's stats1 and mawk's
# group-by sum (issue 12), measured in the same run: bench/allocate.sh.
BENCH_ACTIVITIES ?= 1000000

bench-allocate: $(BIN)/alf-allocate
	ALF_BIN=$(BIN) sh bench/allocate.sh $(BENCH_ACTIVITIES)

bench: bench-allocate

.PHONY: bench-allocate
