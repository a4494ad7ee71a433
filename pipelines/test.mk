# The suite: bats-core over tests/*.bats, TAP on stdout so CI can count it.
# The programs are built by a sub-make, after the dependencies are in.
BATS_FLAGS	?= --tap
TESTS		?= tests

test: deps test-deps
	$(MAKE) all
	ALF_BIN=$(CURDIR)/$(BIN) bats $(BATS_FLAGS) $(TESTS)

# the whole suite again on binaries built with ASan and UBSan; the fuzz
# targets are built with their own sanitizers and ran in `make test`
ASAN_TESTS	?= $(filter-out tests/fuzz.bats,$(wildcard $(TESTS)/*.bats))
ASAN_CFLAGS	= -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
		  -fno-sanitize-recover=all
asan: deps test-deps
	$(MAKE) BUILD=build-asan BIN=bin-asan CFLAGS='$(ASAN_CFLAGS)' \
	    LDFLAGS='-fsanitize=address,undefined' all
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    ALF_BIN=$(CURDIR)/bin-asan bats $(BATS_FLAGS) $(ASAN_TESTS)

.PHONY: test asan
