#!/usr/bin/env bats
# Fuzzing in CI (issue 15 "Proof under stress"): every libFuzzer target
# of tests/fuzz/ (pipelines/fuzz.mk) replays its regression inputs and
# then fuzzes for FUZZ_SECONDS (3 here: about 20 s for all six; `make
# fuzz` runs each for 60 s) from the seeds, with ASan and UBSan.  A crash,
# a sanitizer report or a broken property fails the test with the input
# saved under build-fuzz/.
load helper

setup() {
	common_setup
}

fuzz_make() {
	make -s --no-print-directory -C "$ROOT" -f pipelines/fuzz.mk \
	    FUZZ_BUILD=build-fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-3}" "$@"
}

# the target's regression inputs pass and a short run finds nothing
fuzz_one() {
	run fuzz_make fuzz FUZZ_TARGETS="$1"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output =~ fuzz:\ $1:\ ([0-9]+)\ runs\ in\ [0-9]+\ s,\ cov:\ ([0-9]+),\ peak\ [0-9]+\ MB,\ no\ crash ]]
	# it really ran: many inputs, and reached code beyond the entry
	[ "${BASH_REMATCH[1]}" -ge "$2" ]
	[ "${BASH_REMATCH[2]}" -ge 20 ]
}

@test "fuzz: the targets build with clang -fsanitize=fuzzer,address,undefined" {
	run fuzz_make fuzz-build
	assert_success
	for t in csv money date rules pnr profile decode; do
		[ -x "$ROOT/build-fuzz/fuzz-$t" ] || { echo "no fuzz-$t"; return 1; }
	done
}

@test "fuzz: CSV reader (lib/csvio), rows' lines, round trip through csvw" {
	fuzz_one csv 500
}

@test "fuzz: decimal and money parser (rat_parse, money_parse), print and parse back" {
	fuzz_one money 10000
}

@test "fuzz: date and period parser, strict and printed back as read" {
	fuzz_one date 10000
}

@test "fuzz: personnummer check (pnr_canon), canonical, Luhn, pseudonym" {
	fuzz_one pnr 10000
}

@test "fuzz: rules CSV reader (alf-allocate's load_rules)" {
	fuzz_one rules 500
}

@test "fuzz: profile reader (profile_load, bind, apply)" {
	fuzz_one profile 500
}

@test "fuzz: office export cells (decode: numbers, percentages, money, dates, terms, text)" {
	fuzz_one decode 10000
}
