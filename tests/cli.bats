#!/usr/bin/env bats
# What CONTRACTS "Every program" asks of all five: help, version, -o
# atomic, exit codes, header-only and empty inputs, BOM, CRLF, quoting,
# columns by name, a full disk.
load helper
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	P="$FIX/stockholm-2024/providers.csv"
	RH=year,line,title,fund,purpose,payer,method,basis,rate,factor,cap_per_person,pot,round,weight,from,to,internal,detail,select_stream,select_category,select_provider,select_host,select_university,select_year,select_aka,weights,amounts
	printf '%s\n2024,r,"Rate, with comma",ALF,education,HSF,rate,weeks,10,,,,1,,,,false,none,vil,,,,,2024,,,\n' "$RH" > rules.csv
	printf 'stream,person,provider_name,host_name,unit,category,university,start,end,period,extent,qty,uom,salary\n' > rec-head.csv
	printf 'id,year,period,provider,host,unit,category,university,person,salary,stream,qty,uom,src\n' > act-head.csv
	printf 'year,line,title,fund,purpose,payer,provider,period,method,qty,uom,rate,amount\n' > alloc-head.csv
}

# run program $1 on input file $2 (the kind of file it reads) with -o out
run_tool() {
	local tool=$1 in=$2; shift 2
	case $tool in
	ingest)    run alf-ingest --year 2024 -o out.csv "$@" "$in" ;;
	normalize) run alf-normalize --providers "$P" --year 2024 -o out.csv "$@" "$in" ;;
	allocate)  run alf-allocate --rules rules.csv -o out.csv "$@" "$in" ;;
	invoice)   run alf-invoice --model stockholm-2024 --providers "$P" -o out.csv "$@" "$in" ;;
	report)    run alf-report budget -o out.csv "$@" "$in" ;;
	esac
}

@test "--help and --version on every program" {
	for t in ingest normalize allocate invoice report; do
		run alf-$t --help
		assert_success
		assert_output --partial "usage: alf-$t"
		run alf-$t --version
		assert_success
		[[ "$output" =~ ^alf-$t\ [^\ ]+$ ]]
	done
}

@test "--build: every program says the compiler and flags it was built with" {
	# a build of its own with flags no other build has, so the line
	# can only come from the binary
	b=$BATS_TEST_TMPDIR/b
	make -s -j2 -C "$ROOT" BUILD="$b/build" BIN="$b/bin" CFLAGS='-O1 -DALF_BUILD_PROBE=1' \
	    "$b/bin/alf-ingest" "$b/bin/alf-report" > /dev/null
	for t in ingest report; do
		run "$b/bin/alf-$t" --build
		assert_success
		[[ "$output" =~ ^CC=[^\ ]+\ CFLAGS=-O1\ -DALF_BUILD_PROBE=1\ compiler\ [0-9] ]]
	done
	for t in ingest normalize allocate invoice report; do
		run alf-$t --build
		assert_success
		[[ "$output" =~ ^CC=.*\ CFLAGS=.*\ compiler\  ]]
	done
}

@test "an unknown option is a usage error (exit 2) on every program" {
	for t in ingest normalize allocate invoice report; do
		run alf-$t --no-such-option
		assert_failure 2
		assert_output --partial "usage: alf-$t"
	done
}

@test "an empty file (no header) is exit 2 and publishes nothing, on every reader" {
	: > empty.csv
	for t in ingest normalize allocate invoice report; do
		run_tool $t empty.csv
		assert_failure 2
		assert_output --partial "alf-$t: empty.csv: empty file (no header)"
		[ ! -e out.csv ]
	done
}

@test "a file that cannot be read is exit 3, on every reader" {
	mkdir adir
	for t in ingest normalize allocate invoice report; do
		run_tool $t adir
		assert_failure 3
		assert_output --partial "alf-$t: adir: read error: Is a directory"
		[ ! -e out.csv ]
	done
	run alf-ingest -o out.csv no-such-file.csv
	assert_failure 3
	assert_output "alf-ingest: no-such-file.csv: cannot open: No such file or directory"
	[ ! -e out.csv ]
}

@test "a header with no rows is valid: exit 0, the header only" {
	run_tool ingest rec-head.csv
	assert_success
	assert_output "alf-ingest: 0 read, 0 accepted, 0 rejected, 0 merged; 0 written"
	[ "$(cat out.csv)" = "stream,person,provider_name,host_name,unit,category,university,start,end,period,extent,qty,uom,salary,src" ]
	run_tool normalize rec-head.csv
	sed -i 's/$/,src/' rec-head.csv
	run_tool normalize rec-head.csv
	assert_success
	[ "$(cat out.csv)" = "id,year,period,provider,host,unit,category,university,person,salary,stream,qty,uom,src" ]
	run_tool allocate act-head.csv
	assert_success
	[ "$(cat out.csv)" = "year,line,title,fund,purpose,payer,provider,period,method,qty,uom,rate,amount" ]
	run_tool invoice alloc-head.csv
	assert_success
	[ "$(cat out.csv)" = "doc,kind,corrects,issuer,recipient,issue_date,due_date,period,line_no,line,description,qty,uom,price,net" ]
}

@test "a missing required column is exit 2 naming it, on every reader" {
	printf 'stream,person\nvil,\n' > bad.csv
	run_tool ingest bad.csv
	assert_failure 2
	assert_line "alf-ingest: bad.csv:1: provider_name: missing required column"
	printf 'stream,provider_name\nvil,SLSO\n' > bad.csv
	run_tool normalize bad.csv
	assert_failure 2
	assert_line "alf-normalize: bad.csv:1: src: missing required column"
	printf 'id,year,period,provider,stream,qty\n' > bad.csv
	run_tool allocate bad.csv
	assert_failure 2
	assert_line "alf-allocate: bad.csv:1: uom: missing required column"
	printf 'line,payer,provider,period\n' > bad.csv
	run_tool invoice bad.csv
	assert_failure 2
	assert_line "alf-invoice: bad.csv:1: amount: missing required column"
	printf 'line,fund,provider\n' > bad.csv
	run_tool report bad.csv
	assert_failure 2
	assert_line "alf-report: bad.csv:1: amount: missing required column"
	[ ! -e out.csv ]
}

@test "CSV: BOM, CRLF, quoted commas, quotes and newlines, empty fields, extra columns" {
	printf '\xef\xbb\xbfextra,stream,person,provider_name,host_name,unit,category,university,start,end,period,extent,qty,uom,salary\r\n' > in.csv
	printf 'x,vil,,"Karolinska universitetssjukhuset",,"Avd 1, ""Solna""\nplan 3",Sjuksköterska,KI,2024-01-08,2024-01-19,,,,,\r\n' >> in.csv
	printf 'y,vil,,SLSO,,,,,2024-02-05,2024-02-09,,50,,,\r\n' >> in.csv
	run_tool ingest in.csv
	assert_success
	assert_output "alf-ingest: 2 read, 2 accepted, 0 rejected, 0 merged; 2 written"
	# the quoted unit keeps its comma, quotes and newline; src is the line a row starts on
	run cat out.csv
	assert_output 'stream,person,provider_name,host_name,unit,category,university,start,end,period,extent,qty,uom,salary,src
vil,,Karolinska universitetssjukhuset,,"Avd 1, ""Solna""
plan 3",Sjuksköterska,KI,2024-01-08,2024-01-19,,,,,,in.csv:2
vil,,SLSO,,,,,2024-02-05,2024-02-09,,50,,,,in.csv:4'
	mv out.csv rec.csv
	run_tool normalize rec.csv
	assert_success
	run cat out.csv
	assert_line 'in.csv:2,2024,2024-H1,KS,,"Avd 1, ""Solna""'
	assert_line 'plan 3",Sjuksköterska,KI,,,vil,2,weeks,in.csv:2'
	assert_line 'in.csv:4,2024,2024-H1,SLSO,,,,,,,vil,0.5,weeks,in.csv:4'
}

@test "a row with the wrong number of fields is rejected, not padded" {
	printf 'stream,person,provider_name,host_name,unit,category,university,start,end,period,extent,qty,uom,salary\n' > in.csv
	printf 'vil,,SLSO,,,,,2024-02-05,2024-02-09,,50,,\n' >> in.csv
	printf 'vil,,SLSO,,,,,2024-02-05,2024-02-09,,50,,,\n' >> in.csv
	run_tool ingest in.csv --rejects rej.csv
	assert_failure 1
	assert_output --partial "alf-ingest: in.csv:2: expected 14 fields, found 13"
	assert_output --partial "2 read, 1 accepted, 1 rejected, 0 merged; 1 written"
	[ "$(tail -1 rej.csv)" = "vil,,SLSO,,,,,2024-02-05,2024-02-09,,50,,,,\"expected 14 fields, found 13\",in.csv:2" ]
	[ "$(wc -l < out.csv)" -eq 2 ]
}

@test "a stray quote is a row reject; the rows after it go on" {
	printf 'id,year,period,provider,host,unit,category,university,person,salary,stream,qty,uom,src\n' > in.csv
	printf 'a,2024,2024-H1,A,,x"y,,,,,vil,1,weeks,a\n' >> in.csv
	printf 'b,2024,2024-H1,B,,,,,,,vil,2,weeks,b\n' >> in.csv
	run_tool allocate in.csv
	assert_failure 1
	assert_output --partial "alf-allocate: in.csv:2: "
	assert_output --partial "1 accepted, 1 rejected"
	grep -q ',B,2024-H1,rate,2,weeks,10,20.00$' out.csv
}

@test "-o publishes atomically: nothing is left behind on exit 2, the old file stays" {
	echo old > out.csv
	: > empty.csv
	run alf-allocate --rules rules.csv -o out.csv empty.csv
	assert_failure 2
	[ "$(cat out.csv)" = old ]
	[ -z "$(ls -A | grep '\.tmp\.')" ]
}

@test "output to a full disk exits 3 on every program" {
	printf 'x,vil,,SLSO,,,,,2024-02-05,2024-02-09,,50,,,\n' > /dev/null
	for t in ingest normalize allocate invoice report; do
		case $t in
		ingest) f=rec-head.csv ;; normalize) printf 'stream,provider_name,src\n' > n.csv; f=n.csv ;;
		allocate) f=act-head.csv ;; *) f=alloc-head.csv ;;
		esac
		run bash -c "$(declare -f run_tool); P=$P; alf-$t $(case $t in
			ingest) echo --year 2024 ;; normalize) echo "--providers $P --year 2024" ;;
			allocate) echo --rules rules.csv ;; invoice) echo "--model stockholm-2024 --providers $P" ;;
			report) echo budget ;; esac) $f > /dev/full"
		assert_failure 3
		assert_output --partial "write error: No space left on device"
	done
}

@test "the summary line counts read = accepted + rejected + merged; --quiet drops it" {
	printf 'stream,person,provider_name,host_name,unit,category,university,start,end,period,extent,qty,uom,salary\n' > in.csv
	printf 'vil,,SLSO,,,,,2024-02-05,2024-02-09,,,,,\n' >> in.csv
	printf 'nope,,SLSO,,,,,2024-02-05,2024-02-09,,,,,\n' >> in.csv
	printf 'vil,,SLSO,,,,,2024-02-05,2024-02-31,,,,,\n' >> in.csv
	run_tool ingest in.csv
	assert_failure 1
	assert_line "alf-ingest: in.csv:3: stream: not a stream of streams.csv (nope)"
	assert_line "alf-ingest: in.csv:4: end: not a date YYYY-MM-DD (2024-02-31)"
	assert_line "alf-ingest: 3 read, 1 accepted, 2 rejected, 0 merged; 1 written"
	run_tool ingest in.csv --quiet
	refute_output --partial "read,"
}

@test "programs find their data files from any working directory and via ALF_DATADIR" {
	mkdir -p d/models && cp "$ROOT/pipelines/model.jq" "$ROOT/pipelines/streams.csv" d/
	sed 's/"model": "stockholm-2024"/"model": "moved"/' "$MODELS/stockholm-2024.json" > d/models/moved.json
	printf 'year,line,fund,provider,amount\n' > a.csv
	run env ALF_DATADIR="$W/d" alf-report budget --model moved a.csv
	assert_success
	run env ALF_DATADIR="$W/nowhere" alf-report budget --model moved a.csv
	assert_failure 2
	assert_output --partial "nowhere/models/moved.json: cannot read model"
}

@test "a model jq cannot read: exit 2 naming the model, whatever jq says or leaves unsaid" {
	local m want
	printf '{"lines": [' > trunc.json
	: > empty.json
	mkdir d
	echo '{"model": "x"}' > noyear.json
	printf '#!/bin/sh\nexit 4\n' > jq-silent
	printf '#!/bin/sh\nkill -KILL $$\n' > jq-killed
	chmod +x jq-silent jq-killed
	while IFS='|' read -r m want; do
		rm -f out.csv
		run --separate-stderr alf-allocate --model "$m" -o out.csv "$FIX/report/activities.csv"
		[ "$status" -eq 2 ] && [[ $stderr == "alf-allocate: $want"* ]] && [ ! -e out.csv ] ||
		    { echo "$m: exit $status, want 2 and 'alf-allocate: $want': $stderr"; return 1; }
	done <<-'EOF'
	./trunc.json|./trunc.json: not a valid model: jq: parse error: Unfinished JSON term
	./empty.json|./empty.json: not a model file (empty)
	./d|./d: not a model file: Is a directory
	./noyear.json|./noyear.json: year: not a year (missing)
	EOF
	# a jq that fails without a word, or dies: still a message naming the model
	mkdir bin && cp jq-silent bin/jq
	PATH="$W/bin:$PATH" run --separate-stderr alf-allocate --model stockholm-2024 -o out.csv "$FIX/report/activities.csv"
	assert_failure 2
	assert_equal "$stderr" "alf-allocate: $MODELS/stockholm-2024.json: jq exited 4 without a message (not a model file?)"
	cp jq-killed bin/jq
	PATH="$W/bin:$PATH" run --separate-stderr alf-report budget --model stockholm-2024 -o out.csv "$FIX/report/allocations.csv"
	assert_failure 3
	assert_equal "$stderr" "alf-report: $MODELS/stockholm-2024.json: jq killed by signal 9"
	[ ! -e out.csv ]
}

@test "a long input shows its progress on a terminal, and only there" {
	mawk -v n=1000000 -f "$ROOT/bench/gen-activities.awk" > act.csv
	printf '%s\n2024,vil,,HSF,education,HSF,rate,weeks,700,,,,1,,,,false,none,vil,,,,,2024,,,\n' "$RH" > r.csv
	script -qec "alf-allocate --rules r.csv -o out.csv act.csv" /dev/null > tty.txt
	grep -q $'\ralf-allocate: act.csv: 1000000 rows' tty.txt
	grep -q 'alf-allocate: 1000000 read, 1000000 accepted, 0 rejected, 0 merged; ' tty.txt
	run alf-allocate --rules r.csv -o out.csv act.csv
	refute_output --partial " rows"
}

@test "make install puts the programs and their data under PREFIX, found there" {
	run make -C "$ROOT" --no-print-directory install PREFIX=/opt/alf DESTDIR="$W/d" BUILD=build-install BIN=bin-install
	assert_success
	for t in ingest normalize allocate invoice report; do
		[ -x "$W/d/opt/alf/bin/alf-$t" ]
	done
	for f in model.jq streams.csv models/stockholm-2024.json profiles/klipp-placements; do
		[ -f "$W/d/opt/alf/share/alf/$f" ]
	done
	# the installed programs look in $(PREFIX)/share/alf, not in the source tree
	grep -q /opt/alf/share/alf "$W/d/opt/alf/bin/alf-allocate"
	! grep -q "$ROOT/pipelines" "$W/d/opt/alf/bin/alf-allocate"
	printf 'id,year,period,provider,stream,qty,uom\na,2024,2024,SLSO,hap,1,hap\n' > act.csv
	run env ALF_DATADIR="$W/d/opt/alf/share/alf" "$W/d/opt/alf/bin/alf-allocate" --quiet \
	    --model stockholm-2024 --providers "$FIX/stockholm-2024/providers.csv" act.csv
	assert_line "2024,3.2,Grundutbildning läkare,ALF,education,HSF,SLSO,2024,rate,1,hap,101794,101794.00"
}
