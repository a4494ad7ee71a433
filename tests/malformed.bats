#!/usr/bin/env bats
# The malformed-input corpus (tests/malformed/CASES) and the faults of
# issue 15: each bad file gives its diagnostic and its documented exit
# status, exit 2 and 3 publish nothing, a full disk (/dev/full) and an
# unreadable input (a directory) exit 3, a truncated row is rejected, not
# padded, and a personal identity number is never echoed.
load helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	cp "$ROOT"/tests/malformed/*.csv "$ROOT"/tests/malformed/profile-* .
	mkdir adir
	K=$(make_key)
	P="$FIX/stockholm-2024/providers.csv"
	A="$FIX/report/activities.csv"
}

# run every case of CASES whose command starts with $1
run_cases() {
	local want cmd diag n=0 args
	while IFS=$'\t' read -r want cmd diag; do
		case $want in '#'*|'') continue ;; esac
		[[ $cmd == "$1 "* ]] || continue
		cmd=${cmd//\{P\}/$P}; cmd=${cmd//\{K\}/$K}; cmd=${cmd//\{A\}/$A}
		read -ra args <<< "$cmd"
		rm -f out.csv
		unset ALF_KEY_FILE
		run --separate-stderr "${args[@]}" -o out.csv
		if [ "$status" -ne "$want" ] || [[ $stderr != *"$diag"* ]]; then
			echo "case: $cmd"
			echo "want exit $want and '$diag'; got $status:"
			echo "$stderr"
			return 1
		fi
		if [ "$want" -ge 2 ]; then
			[ ! -e out.csv ] || { echo "$cmd: published out.csv on exit $want"; return 1; }
		else
			[ -f out.csv ] || { echo "$cmd: nothing published on exit $want"; return 1; }
		fi
		# no temporary file left beside the output, whatever the status
		[ -z "$(ls -a | grep -e '\.tmp' -e '^\.out')" ] || { echo "$cmd: left $(ls -a)"; return 1; }
		n=$((n + 1))
	done < "$ROOT/tests/malformed/CASES"
	[ "$n" -ge 4 ] || { echo "only $n cases for $1"; return 1; }
}

@test "malformed: alf-ingest" {
	run_cases alf-ingest
}

@test "malformed: alf-normalize" {
	run_cases alf-normalize
}

@test "malformed: alf-allocate" {
	run_cases alf-allocate
}

@test "malformed: alf-invoice" {
	run_cases alf-invoice
}

@test "malformed: alf-report" {
	run_cases alf-report
}

@test "truncated row: rejected with its line, never padded into a record" {
	run --separate-stderr alf-ingest --key-file "$K" --year 2024 --rejects rej.csv -o out.csv records-truncated.csv
	assert_failure 1
	[ "$(wc -l < out.csv)" -eq 2 ]
	[ "$(tail -n 1 out.csv)" = "hap,,SLSO,,,,KI,,,2024,,225.34,hap,,records-truncated.csv:2" ]
	[ "$(awk -F, 'NR == 2 {print $NF}' rej.csv)" = records-truncated.csv:3 ]
	grep -q 'expected 14 fields, found 10' rej.csv
	# the same in an export a profile reads
	run --separate-stderr alf-ingest --key-file "$K" --year 2024 --profile klipp-placements \
	    --rejects rej.csv -o out.csv klipp-truncated.csv
	assert_failure 1
	[ "$(wc -l < out.csv)" -eq 2 ]
	[ "$(awk -F, 'NR == 2 {print $NF}' out.csv)" = klipp-truncated.csv:2 ]
	[ "$(awk -F, 'NR == 2 {print $NF}' rej.csv)" = klipp-truncated.csv:3 ]
	# normalize keeps the count honest on its own truncated row
	printf 'stream,person,provider_name,host_name,unit,category,university,start,end,period,extent,qty,uom,salary,src\nhap,,SLSO,,,,KI,,,2024,,1,hap\n' > short.csv
	run --separate-stderr alf-normalize --providers "$P" --year 2024 -o acts.csv short.csv
	assert_failure 1
	[[ $stderr == *"alf-normalize: 1 read, 0 accepted, 1 rejected, 0 merged; 0 written"* ]]
}

@test "a personal identity number is never echoed, in diagnostics or rejects" {
	run --separate-stderr alf-ingest --key-file "$K" --year 2024 --profile klipp-placements \
	    --rejects rej.csv -o out.csv klipp-bad-pnr.csv
	assert_failure 1
	! grep -e '020324-3051' -e '0203243051' <<< "$stderr"
	! grep -q -e '020324-3051' -e '0203243051' rej.csv out.csv
	grep -q 'Hugo Hassan' rej.csv
}

@test "/dev/full: every program exits 3 and says so" {
	R="$FIX/report"
	for cmd in "alf-ingest --key-file $K --year 2024 $FIX/stockholm-2024/hap.csv" \
	    "alf-normalize --providers $P --year 2024 records-unknown-provider.csv" \
	    "alf-allocate --model stockholm-2024 --providers $P $R/activities.csv" \
	    "alf-invoice --model stockholm-2024 --providers $P $R/allocations.csv" \
	    "alf-report budget --model stockholm-2024 --providers $P $R/allocations.csv"; do
		run --separate-stderr $cmd
		[ "$status" -le 1 ] || { echo "$cmd fails without a full disk"; return 1; }
		run --separate-stderr sh -c "$cmd > /dev/full"
		[ "$status" -eq 3 ] || { echo "$cmd > /dev/full: exit $status"; return 1; }
		[[ $stderr == *"standard output: write error: No space left on device"* ]] ||
		    { echo "$cmd: $stderr"; return 1; }
	done
}

@test "a directory as any input option: exit 3 (2 for the key and the profile, configuration) naming it, nothing published" {
	R="$FIX/report"
	I="$FIX/invoice"
	for cmd in "2 alf-ingest --key-file adir --year 2024 --profile klipp-placements $FIX/stockholm-2024/klipp-2024.csv" \
	    "2 alf-ingest --key-file $K --year 2024 --profile ./adir $FIX/stockholm-2024/hap.csv" \
	    "3 alf-normalize --providers adir --year 2024 records-unknown-provider.csv" \
	    "3 alf-allocate --model stockholm-2024 --providers adir $R/activities.csv" \
	    "3 alf-allocate --rules adir $R/activities.csv" \
	    "3 alf-invoice --model stockholm-2024 --providers adir $I/allocations.csv" \
	    "3 alf-invoice --model stockholm-2024 --providers $P --activities adir $I/allocations.csv" \
	    "3 alf-invoice --model stockholm-2024 --providers $P --plan adir $I/allocations.csv" \
	    "3 alf-invoice --model stockholm-2024 --providers $P --issued adir $I/allocations.csv" \
	    "3 alf-invoice --model stockholm-2024 --providers $P --names adir $I/allocations.csv" \
	    "3 alf-report budget --model stockholm-2024 --providers adir $R/allocations.csv"; do
		want=${cmd%% *}
		cmd=${cmd#* }
		rm -f out.csv
		run --separate-stderr $cmd -o out.csv
		[ "$status" -eq "$want" ] && [[ $stderr == *adir* ]] && [ ! -e out.csv ] ||
		    { echo "$cmd: exit $status, want $want: $stderr"; return 1; }
	done
}

# Found by the issue 15 audit in the programs (fuzzing and full disks),
# fixed since: each fails on the code before its fix.
@test "a directory as the model or the run summary: a diagnostic, not silence or exit 0" {
	for cmd in "alf-allocate --model ./adir $FIX/report/activities.csv" \
	    "alf-report budget --model ./adir $FIX/report/allocations.csv" \
	    "alf-report reconcile --model stockholm-2024 --providers $P --summary adir $FIX/report/allocations.csv"; do
		rm -f out.csv
		run --separate-stderr $cmd -o out.csv
		[ "$status" -ge 2 ] && [[ $stderr == *adir* ]] && [ ! -e out.csv ] ||
		    { echo "$cmd: exit $status: $stderr"; return 1; }
	done
}

@test "a full disk under --rejects or --names: exit 3 and no output published" {
	for cmd in "alf-ingest --key-file $K --year 2024 --rejects /dev/full records-truncated.csv" \
	    "alf-ingest --key-file $K --year 2024 --profile klipp-placements --names /dev/full $FIX/stockholm-2024/klipp-2024.csv" \
	    "alf-normalize --providers $P --year 2024 --rejects /dev/full records-unknown-provider.csv" \
	    "alf-allocate --model stockholm-2024 --providers $P --rejects /dev/full activities-bad-qty.csv" \
	    "alf-invoice --model stockholm-2024 --providers $P --rejects /dev/full allocations-bad-amount.csv" \
	    "alf-report budget --model stockholm-2024 --providers $P --rejects /dev/full allocations-bad-amount.csv"; do
		rm -f out.csv
		run --separate-stderr $cmd -o out.csv
		[ "$status" -eq 3 ] && [[ $stderr == *"/dev/full: write error: No space left on device"* ]] &&
		    [ ! -e out.csv ] || { echo "$cmd: exit $status, out.csv $(ls out.csv 2>&1): $stderr"; return 1; }
	done
}

@test "a full disk under --rejects: alf-invoice's --out-dir and -o, old or new, stay as they were" {
	local I="$FIX/invoice" fmt
	set -- --model stockholm-2024 --providers "$I/providers.csv" --activities "$I/activities.csv"
	run --separate-stderr alf-invoice "$@" --format peppol --out-dir new -o out.csv --rejects /dev/full "$I/allocations.csv"
	assert_failure 3
	[[ $stderr == *"/dev/full: write error: No space left on device"* ]]
	[ ! -e new ] && [ ! -e out.csv ]
	mkdir old && echo old > old/marker && echo old > out.csv
	run --separate-stderr alf-invoice "$@" --format peppol --out-dir old -o out.csv --rejects /dev/full "$I/allocations.csv"
	assert_failure 3
	assert_equal "$(ls old)" marker
	assert_equal "$(cat out.csv)" old
	run --separate-stderr alf-invoice "$@" --format sie --payer HSF -o out.csv --rejects /dev/full "$I/allocations.csv"
	assert_failure 3
	assert_equal "$(cat out.csv)" old
	# nothing temporary is left beside them
	assert_equal "$(ls -a | grep -c -e '\.tmp')" 0
	# and with the rejects written, all of it is published
	run --separate-stderr alf-invoice "$@" --format peppol --out-dir old -o out.csv --rejects rej.csv "$I/allocations.csv"
	assert_success
	[ -f old/"$(awk -F, 'NR == 2 { print $1 }' out.csv)".xml ] && [ ! -e old/marker ] && [ -f rej.csv ]
}

@test "a closed map over a literal in a profile: a configuration error, not a crash" {
	run --separate-stderr alf-ingest --key-file "$K" --year 2024 --profile ./profile-map-literal -o out.csv map-literal.csv
	assert_failure 2
	[[ $stderr == *profile-map-literal* ]]
	[ ! -e out.csv ]
}

@test "the corpus covers every program and every documented status" {
	for p in alf-ingest alf-normalize alf-allocate alf-invoice alf-report; do
		for s in 1 2 3; do
			grep -q "^$s	$p " "$ROOT/tests/malformed/CASES" || { echo "no case $p exit $s"; return 1; }
		done
	done
}
