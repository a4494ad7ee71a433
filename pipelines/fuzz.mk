# `make fuzz`: libFuzzer targets (tests/fuzz/fuzz_*.c, issue 15 "Proof
# under stress") built with clang, AddressSanitizer and UBSan, each run
# for FUZZ_SECONDS (default 60) on a corpus seeded from the fixtures, the
# models and the profiles.  `make fuzz-regress` runs every committed
# regression input (tests/fuzz/regress/TARGET/: each crash found is
# copied there, and the bug fixed) once.  tests/fuzz.bats runs both
# briefly (FUZZ_SECONDS=3) so CI counts them.  A crash found in a module
# this suite does not own waits in tests/fuzz/known/TARGET/ until it is
# fixed: `make fuzz-known` replays those inputs and says which still
# fail; a fixed one moves to regress/.
ifndef ALF_FUZZ_MK
ALF_FUZZ_MK	:= 1

FUZZ_SECONDS	?= 60
FUZZ_CC		?= clang
FUZZ_BUILD	?= build-fuzz
FUZZ_SAN	= -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS	= -g -O1 -std=c11 -D_GNU_SOURCE -Ilib -Itests/fuzz \
		  $(shell pkg-config --cflags libxml-2.0 2>/dev/null) $(FUZZ_SAN)
FUZZ_LDLIBS	= -lcsv -lcrypto $(shell pkg-config --libs libxml-2.0 xlsxwriter 2>/dev/null)
# the profile and personnummer targets exist once their modules do;
# decode is the office exports' numbers, dates and text
FUZZ_TARGETS	?= csv money date rules $(if $(wildcard lib/pnr.h),pnr) \
		   $(if $(wildcard lib/profile.h),profile) decode
FUZZ_KNOWN	:= $(sort $(notdir $(wildcard tests/fuzz/known/*)))
# the library without err.c, which tests/fuzz/harness.c replaces
FUZZ_LIBOBJ	= $(patsubst lib/%.c,$(FUZZ_BUILD)/lib/%.o,$(filter-out lib/err.c,$(wildcard lib/*.c)))
FUZZ_BINS	= $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz-%)
FUZZ_ENV	= ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:symbolize=1 \
		  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

$(FUZZ_BUILD)/lib/%.o: lib/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/fuzz-%: tests/fuzz/fuzz_%.c tests/fuzz/harness.c tests/fuzz/harness.h $(FUZZ_LIBOBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Wl,--wrap=free,--wrap=fopen,--wrap=fclose \
	    -o $@ $(filter tests/%.c %.o,$^) $(FUZZ_LDLIBS)

$(FUZZ_BUILD)/fuzz-rules: tools/allocate.c

# seeds: the committed ones, plus what the fixtures, models and profiles
# give (made afresh: they follow the data)
fuzz-seeds:
	@rm -rf $(FUZZ_BUILD)/seeds; mkdir -p $(FUZZ_BUILD)/seeds
	@for t in $(FUZZ_TARGETS); do mkdir -p $(FUZZ_BUILD)/seeds/$$t $(FUZZ_BUILD)/corpus/$$t; \
	    [ ! -d tests/fuzz/corpus/$$t ] || cp tests/fuzz/corpus/$$t/* $(FUZZ_BUILD)/seeds/$$t/; done
	@[ ! -d $(FUZZ_BUILD)/seeds/csv ] || for f in $$(find fixtures -name '*.csv' -size -16k | LC_ALL=C sort); do \
	    cp $$f $(FUZZ_BUILD)/seeds/csv/$$(echo $$f | tr / _); done
	@[ ! -d $(FUZZ_BUILD)/seeds/rules ] || for m in pipelines/models/*.json; do \
	    jq -r -f pipelines/model.jq --arg mode rules --arg prog fuzz --arg file $$m \
	        --rawfile streams pipelines/streams.csv $$m > $(FUZZ_BUILD)/seeds/rules/$$(basename $$m .json).csv; done
	@if [ -d $(FUZZ_BUILD)/seeds/profile ]; then for p in pipelines/profiles/*; do \
	    [ "$${p##*/}" != README.md ] || continue; n=$${p##*/}; cp $$p $(FUZZ_BUILD)/seeds/profile/$$n; \
	    x=$$(ls fixtures/ingest/$$n.csv 2>/dev/null); [ -z "$$x" ] || \
	    { cat $$p; echo '%%'; head -n 20 $$x; } > $(FUZZ_BUILD)/seeds/profile/$$n-export; done; fi

fuzz-build: $(FUZZ_BINS)

# the crashes found and not yet fixed, each on its own: exit 1 while any
# still fails
fuzz-known: $(FUZZ_KNOWN:%=$(FUZZ_BUILD)/fuzz-%)
	@bad=0; for t in $(FUZZ_KNOWN); do for f in tests/fuzz/known/$$t/*; do \
	    if $(FUZZ_ENV) $(FUZZ_BUILD)/fuzz-$$t $$f > $(FUZZ_BUILD)/known-$$t.log 2>&1; then \
	        echo "fuzz: $$t: $${f##*/}: fixed; move it to tests/fuzz/regress/$$t/"; \
	    else bad=1; echo "fuzz: $$t: $${f##*/}: still fails: $$(grep -m 1 -e 'property failed' -e '^SUMMARY' $(FUZZ_BUILD)/known-$$t.log)"; fi; \
	done; done; exit $$bad

# every regression input once: any crash found stays fixed
fuzz-regress: $(FUZZ_BINS)
	@for t in $(FUZZ_TARGETS); do \
	    [ -n "$$(ls tests/fuzz/regress/$$t 2>/dev/null)" ] || continue; \
	    $(FUZZ_ENV) $(FUZZ_BUILD)/fuzz-$$t tests/fuzz/regress/$$t/* > $(FUZZ_BUILD)/regress-$$t.log 2>&1 || \
	    { cat $(FUZZ_BUILD)/regress-$$t.log; echo "fuzz: $$t: a regression input fails again" >&2; exit 1; }; \
	    echo "fuzz: $$t: $$(ls tests/fuzz/regress/$$t | wc -l) regression inputs pass"; done

fuzz: fuzz-seeds
	@$(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) -f pipelines/fuzz.mk fuzz-regress; bad=$$?; \
	for t in $(FUZZ_TARGETS); do \
	    rm -f $(FUZZ_BUILD)/crash-$$t-*; \
	    $(FUZZ_ENV) $(FUZZ_BUILD)/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) \
	        -max_len=$$(case $$t in csv) echo 4096;; rules|profile) echo 8192;; *) echo 128;; esac) \
	        -rss_limit_mb=2048 -timeout=10 \
	        -artifact_prefix=$(FUZZ_BUILD)/crash-$$t- -print_final_stats=1 \
	        $(FUZZ_BUILD)/corpus/$$t $(FUZZ_BUILD)/seeds/$$t > $(FUZZ_BUILD)/fuzz-$$t.log 2>&1; rc=$$?; \
	    runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $(FUZZ_BUILD)/fuzz-$$t.log); \
	    rss=$$(sed -n 's/^stat::peak_rss_mb: *//p' $(FUZZ_BUILD)/fuzz-$$t.log); \
	    cov=$$(grep -o 'cov: [0-9]*' $(FUZZ_BUILD)/fuzz-$$t.log | tail -n 1); \
	    if [ $$rc -ne 0 ]; then bad=1; grep -m 3 -e 'property failed' -e '^SUMMARY' -e 'ERROR:' $(FUZZ_BUILD)/fuzz-$$t.log; \
	        echo "fuzz: $$t: FOUND A CRASH: $$(ls $(FUZZ_BUILD)/crash-$$t-* $(FUZZ_BUILD)/oom-$$t-* $(FUZZ_BUILD)/timeout-$$t-* 2>/dev/null | head -n 1)" \
	            "(log $(FUZZ_BUILD)/fuzz-$$t.log); copy it to tests/fuzz/regress/$$t/ and fix the bug" >&2; \
	    else echo "fuzz: $$t: $$runs runs in $(FUZZ_SECONDS) s, $$cov, peak $$rss MB, no crash"; fi; done; \
	exit $$bad

.PHONY: fuzz fuzz-seeds fuzz-build fuzz-regress fuzz-known
endif
