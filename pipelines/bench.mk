# `make bench`: the ingest benchmark (issue 11 "Performance"; never a
# timed test).  A generated klipp-placements export (bench/gen-klipp.awk,
# deterministic from BENCH_SEED) read by alf-ingest, by Miller and by a
# parse-only libcsv program (bench/csvparse.c), with the pseudonyms'
# HMAC alone (bench/hmacpeer.c) for the floor; prints the times, peak
# memory and the ratios measured in this run (bench/ingest.sh).  Outputs
# go to /dev/null so that no one pays for the disk (alf-ingest -o would
# also fsync).  Figures: bench/README.md.
BENCH_ROWS	?= 500000
BENCH_SEED	?= 1
BENCH_DIR	?= out/bench

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

# bench/ingest.sh: the four back to back, BENCH_ROUNDS times, each
# round's ratios and their medians (the VM's speed moves too much for one
# run to say anything)
BENCH_ROUNDS	?= 3

bench-ingest: $(BIN)/alf-ingest $(BIN)/alf-normalize $(BENCH_DIR)/csvparse $(BENCH_DIR)/hmacpeer \
    $(BENCH_DIR)/klipp-$(BENCH_ROWS)-$(BENCH_SEED).csv
	ALF_BIN=$(BIN) BENCH_DIR=$(BENCH_DIR) ROWS=$(BENCH_ROWS) sh bench/ingest.sh \
	    $(BENCH_DIR)/klipp-$(BENCH_ROWS)-$(BENCH_SEED).csv $(BENCH_ROUNDS)

.PHONY: bench bench-ingest

# alf-allocate on generated activities against Miller's stats1 and mawk's
# group-by sum (issue 12), measured in the same run: bench/allocate.sh.
BENCH_ACTIVITIES ?= 1000000

bench-allocate: $(BIN)/alf-allocate
	ALF_BIN=$(BIN) sh bench/allocate.sh $(BENCH_ACTIVITIES)

bench: bench-allocate

.PHONY: bench-allocate
