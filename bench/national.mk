# `make bench-national` (issue 15 "National scale benchmark"): a year of
# the seven ALF regions (bench/national/regions.csv: each region's share
# of the volume and its rules) through the full `make run` per region:
# NATIONAL_ROWS placement rows and NATIONAL_MONTHS service months in all.
# Stockholm runs pipelines/models/stockholm-2024 on klipp placements
# (bench/gen-klipp.awk), service months (bench/national-hr.awk), its HÅP
# and last year's quantities; VGR runs pipelines/models/vgr-2024 on a
# course plan and declared moments (bench/national-courses.awk); the other
# five, which have no model in this project, run Stockholm's rules under
# their own name (NATIONAL_DIR/models/REGION-2024.json, written here with
# jq from the stockholm-2024 model) on their own exports.  The seven runs
# go NATIONAL_JOBS at a time with RUN_MEASURE=1, so each step's wall and
# CPU seconds and peak RSS are measured; then Miller does allocate's
# aggregation on the same activities, for the ratio
# (bench/national-run.sh).  Exports: bench/gen-national.sh, one region
# each, generated NATIONAL_JOBS at a time and kept per size and seed.
# Figures: bench/README-national.md.  Included from the Makefile (with
# run.mk); the programs are $(BIN)'s.
NATIONAL_ROWS	?= 5000000
NATIONAL_MONTHS	?= 200000
NATIONAL_SEED	?= 1
NATIONAL_DIR	?= out/bench-national
NATIONAL_JOBS	?= 2
# make run's ingest | normalize pipe (RUN_PIPE): off, because two regions
# at a time already keep both cores busy, and there the pipe's copies
# (tee) and five processes' threads on two cores cost more than they give:
# 12.9-14.4 s with it, 12.2-12.4 s without, in the same session
# (bench/README-national.md, "2026-12-02, pipes").  NATIONAL_PIPE=1
# measures it.
NATIONAL_PIPE	?= 0
NATIONAL_IN	= $(NATIONAL_DIR)/in-$(NATIONAL_ROWS)-$(NATIONAL_MONTHS)-$(NATIONAL_SEED)
NATIONAL_REGIONS := $(shell awk -F , 'NR > 1 { print $$1 }' bench/national/regions.csv 2>/dev/null)
# the regions that run Stockholm's rules under their own name
NATIONAL_DERIVED := $(shell awk -F , 'NR > 1 && $$4 == "stockholm-2024" && $$1 != "stockholm" { print $$1 }' \
		    bench/national/regions.csv 2>/dev/null)
NATIONAL_GEN	= bench/gen-national.sh bench/national/regions.csv bench/gen-klipp.awk \
		  bench/national-hr.awk bench/national-courses.awk

$(NATIONAL_IN)/%/.done: $(NATIONAL_GEN)
	sh bench/gen-national.sh $* $(NATIONAL_IN)/$* $(NATIONAL_ROWS) $(NATIONAL_MONTHS) $(NATIONAL_SEED)

$(NATIONAL_DIR)/models/%-2024.json: pipelines/models/stockholm-2024.json
	@mkdir -p $(dir $@)
	jq --arg m $*-2024 '.model = $$m | .synthetic = true' $< > $@.tmp && mv $@.tmp $@

national-gen: $(NATIONAL_REGIONS:%=$(NATIONAL_IN)/%/.done) \
	$(NATIONAL_DERIVED:%=$(NATIONAL_DIR)/models/%-2024.json)

# make as national-run.sh calls it: named through a variable of its own,
# because make runs a recipe line naming $(MAKE) even under `make -n`
NATIONAL_MAKE	:= $(MAKE)

# `make bench` runs it after the ingest and allocate benchmarks (issue
# 15: "National scale benchmark (`make bench`)"); at the default size it
# takes a few minutes and about 3 GB under NATIONAL_DIR
bench: bench-national

# the programs first: a new commit changes the version, which rebuilds all
bench-national: all
	@$(MAKE) --no-print-directory -j$(NATIONAL_JOBS) national-gen
	@{ NATIONAL_IN=$(NATIONAL_IN) NATIONAL_DIR=$(NATIONAL_DIR) NATIONAL_JOBS=$(NATIONAL_JOBS) RUN_PIPE=$(NATIONAL_PIPE) \
	    NATIONAL_ROWS=$(NATIONAL_ROWS) NATIONAL_MONTHS=$(NATIONAL_MONTHS) \
	    ALF_BIN=$(abspath $(BIN)) MAKE="$(NATIONAL_MAKE)" sh bench/national-run.sh; \
	    echo $$? > $(NATIONAL_DIR)/bench.rc; } 2>&1 | tee $(NATIONAL_DIR)/bench.txt; \
	    exit $$(cat $(NATIONAL_DIR)/bench.rc)

.PHONY: bench-national national-gen
