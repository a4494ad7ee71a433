# `make valgrind`: the suite with every alf-* program run under valgrind
# (memcheck: invalid reads and writes, use of uninitialised values, bad
# frees; leaks are not checked: programs free at exit).  A directory of
# wrappers stands first on the suite's ALF_BIN, each running the real
# program under `valgrind --error-exitcode=99`, logging to
# $(VALGRIND_DIR)/logs; the run fails when a test fails (a 99 is no
# documented status) or any log reports an error.  CI runs it (issue 15):
# the whole suite, about 1 500 program runs, takes 17 minutes here, every
# program ~30x slower.  VALGRIND_TESTS chooses the bats files (a quick
# part: VALGRIND_TESTS="tests/malformed.bats tests/pipeline.bats
# tests/cli.bats tests/normalize.bats", under 3 minutes); the programs
# are $ALF_BIN's when set, else $(BIN)'s.
ifndef ALF_VALGRIND_MK
ALF_VALGRIND_MK	:= 1

VALGRIND_DIR	?= out/valgrind
VALGRIND_TESTS	?= tests
VALGRIND_REAL	:= $(if $(ALF_BIN),$(abspath $(ALF_BIN)),$(abspath $(or $(BIN),bin)))
VALGRIND_OPTS	?= --error-exitcode=99 --leak-check=no --track-origins=no --quiet

valgrind:
ifeq ($(ALF_BIN),)
	@$(MAKE) --no-print-directory all
endif
	@rm -rf $(VALGRIND_DIR) && mkdir -p $(VALGRIND_DIR)/bin $(VALGRIND_DIR)/logs
	@for t in ingest normalize allocate invoice report; do \
	    printf '#!/bin/sh\nexec valgrind %s --log-file=%s/alf-%s.%%p.log %s/alf-%s "$$@"\n' \
	        '$(VALGRIND_OPTS)' $(abspath $(VALGRIND_DIR))/logs $$t $(VALGRIND_REAL) $$t \
	        > $(VALGRIND_DIR)/bin/alf-$$t; chmod +x $(VALGRIND_DIR)/bin/alf-$$t; done
	@ALF_BIN=$(abspath $(VALGRIND_DIR))/bin bats $(or $(BATS_FLAGS),--tap) $(VALGRIND_TESTS); rc=$$?; \
	n=$$(ls $(VALGRIND_DIR)/logs | wc -l); \
	bad=$$(grep -l -v '^$$' $(VALGRIND_DIR)/logs/* 2>/dev/null | head -n 20); \
	if [ -n "$$bad" ]; then echo "valgrind: errors in:"; for f in $$bad; do echo "== $$f"; head -n 40 $$f; done; rc=1; fi; \
	echo "valgrind: $$n program runs under memcheck, $$(echo $$bad | wc -w) with errors"; \
	[ $$n -gt 0 ] || rc=1; exit $$rc

.PHONY: valgrind
endif
