#!/usr/bin/env bats
# `make run` (pipelines/run.mk) and pipelines/nightly (issue 15
# "Pipelines", "Nightly", "Faults"): Stockholm 2024's exports end to end,
# rejects recorded, 2 and 3 stopping, re-running only what changed, the
# lock, atomic publication, --keep, and SIGKILL at every stage and at the
# summary.
load helper

setup() { pipeline_setup; }

nightly() {
	"$ROOT/pipelines/nightly" "$@"
}

# a bin directory whose alf-$1 runs $2 (shell) before the real program
wrap_bin() {
	local t
	mkdir -p "$W/wbin"
	for t in ingest normalize allocate invoice report; do
		printf '#!/bin/sh\nexec %s/alf-%s "$@"\n' "$ALF_BIN" "$t" > "$W/wbin/alf-$t"
	done
	printf '#!/bin/sh\n%s\nexec %s/alf-%s "$@"\n' "$2" "$ALF_BIN" "$1" > "$W/wbin/alf-$1"
	chmod +x "$W/wbin/"alf-*
}

@test "make run: Stockholm 2024 from the exports, every stage's output, src relative to IN" {
	run alf_make run MODEL=stockholm-2024 IN="$IN" OUT="$W/out"
	assert_success
	assert_output --partial "run: stockholm-2024 in $W/out: ok"
	o="$W/out"
	for f in records/hap.csv records/klipp-2024.csv records/hr-2024.csv \
	    records/kvantiteter-2023.csv activities.csv activities-2023.csv \
	    allocations.csv invoices.csv reports/budget.txt reports/closing.txt \
	    reports/reconcile.txt rejects/activities.csv summary.json; do
		[ -s "$o/$f" ] || { echo "missing $f"; return 1; }
	done
	# the directive's 3.2 figure, and the same bytes as the stages by hand
	[ "$(csv_get "$o/allocations.csv" amount provider SLSO | head -1)" = 22938260.00 ]
	[ "$(sed -n 2p "$o/records/hap.csv" | awk -F, '{print $NF}')" = hap.csv:2 ]
	[ "$(sed -n 2p "$o/records/klipp-2024.csv" | awk -F, '{print $NF}')" = klipp-2024.csv:2 ]
	# html and xlsx exactly when this alf-report writes them
	for f in html xlsx; do
		if alf-report --help 2>&1 | grep -qw $f; then [ -s "$o/reports/budget.$f" ]
		else [ ! -e "$o/reports/budget.$f" ]; fi
	done
	# no output names a directory
	run grep -rl -e "$W" -e "$ROOT" "$o" --exclude-dir=logs --exclude=summary.json
	assert_failure
	grep -q '^vidarefakturering netto noll .*ok$' "$o/reports/reconcile.txt"
}

@test "make run: summary.json holds model, status, counts per stage, pot totals and sha256 of inputs and outputs" {
	alf_make run MODEL=stockholm-2024 IN="$IN" OUT="$W/out" 2> /dev/null
	s="$W/out/summary.json"
	[ "$(jq -r '.model, .status, .exit, .year' "$s" | tr '\n' ' ')" = "stockholm-2024 ok 0 2024 " ]
	[ "$(jq -r .version "$s")" = "$(alf-ingest --version | cut -d' ' -f2)" ]
	[ "$(jq -c '.stages[] | select(.stage == "ingest-hap.csv") | [.program, .exit, .read, .accepted, .rejected, .merged, .written]' "$s")" = '["alf-ingest",0,7,7,0,0,7]' ]
	[ "$(jq -c '.stages[] | select(.stage == "normalize") | [.read, .written]' "$s")" = '[43,145]' ]
	[ "$(jq -r '[.stages[].stage] | join(" ")' "$s")" = "$(jq -r '[.stages[].stage] | join(" ")' "$s")" ]
	[ "$(jq -r '.stages[0].stage, .stages[-1].stage' "$s" | tr '\n' ' ')" = "ingest-hap.csv report-reconcile-txt " ]
	[ "$(jq -c '.pots[] | select(.line == "3.3-alf") | [.pot, .allocated]' "$s")" = '["7680000","7680000.00"]' ]
	[ "$(jq -r '.inputs[] | select(.file == "klipp-2024.csv") | .sha256' "$s")" = \
	    "$(sha256sum < "$IN/klipp-2024.csv" | cut -d' ' -f1)" ]
	[ "$(jq -r '.outputs[] | select(.file == "allocations.csv") | .sha256' "$s")" = \
	    "$(sha256sum < "$W/out/allocations.csv" | cut -d' ' -f1)" ]
	[ "$(jq -r .key_sha256 "$s")" = "$(sha256sum < "$ALF_KEY_FILE" | cut -d' ' -f1)" ]
	# every output but summary.json and the logs is listed
	[ "$(jq '.outputs | length' "$s")" -eq "$(cd "$W/out" && find . -path ./logs -prune -o -type f ! -name summary.json -print | wc -l)" ]
	# the reconciliation checked the counts add up, and they do
	grep -q '^rader .*ingest-hap.csv: read = accepted + rejected + merged' "$W/out/reports/reconcile.txt"
}

@test "make run: VGR's course plans and declarations; its internal pots are marked as carried by the blend" {
	alf_make run MODEL=vgr-2024 IN="$FIX/vgr" OUT="$W/vgr" 2> /dev/null
	s="$W/vgr/summary.json"
	[ "$(jq -r '.model, .status' "$s" | tr '\n' ' ')" = "vgr-2024 ok " ]
	[ "$(jq -c '.pots[] | select(.line == "vgr-old")' "$s")" = \
	    '{"line":"vgr-old","pot":"108000000","allocated":null,"internal":true,"carried_by":["vgr"]}' ]
	[ "$(jq -c '[.pots[] | select(.internal) | .line]' "$s")" = '["vgr-old","vgr-new"]' ]
	# the blend carries the whole pot, to the öre, and only it
	[ "$(awk -F, 'FNR > 1 { print $2 }' "$W/vgr/allocations.csv" | sort -u)" = vgr ]
	[ "$(awk -F, 'FNR > 1 { print $NF }' "$W/vgr/allocations.csv" | paste -sd+ | bc)" = 108000000.00 ]
}

@test "make run: a model whose inputs are canonical records (profile records)" {
	jq '.model = "records-demo" | .inputs = [{"file": "hap.csv", "profile": "records"}, {"file": "hap2.csv", "profile": "records"}]' \
	    "$MODELS/stockholm-2024.json" > "$W/records-demo.json"
	sed -n '1p;3p' "$IN/hap.csv" > "$IN/hap2.csv"
	sed -i 3d "$IN/hap.csv"
	run alf_make run MODEL="$W/records-demo.json" IN="$IN" OUT="$W/out"
	assert_success
	[ "$(jq -r .model "$W/out/summary.json")" = records-demo ]
	[ "$(jq -r '[.stages[].stage] | .[0:3] | join(" ")' "$W/out/summary.json")" = "ingest-hap.csv ingest-hap2.csv normalize" ]
	[ "$(grep -c '^2024,3.2,' "$W/out/allocations.csv")" -eq 7 ]
	[ "$(csv_get "$W/out/allocations.csv" amount provider DS | head -1)" = 9459716.00 ]
	grep -q ',hap2.csv:2$' "$W/out/activities.csv"
}

@test "make run: re-runs only what changed: an export, a profile, streams.csv" {
	mkdir "$W/data"
	cp -R "$ROOT/pipelines/profiles" "$ROOT/pipelines/models" "$ROOT/pipelines/streams.csv" \
	    "$ROOT/pipelines/model.jq" "$W/data/"
	export ALF_DATADIR="$W/data"
	alf_make run MODEL=stockholm-2024 IN="$IN" OUT="$W/out" 2> /dev/null
	cp -R "$W/out/logs" "$W/logs1"
	sleep 1
	run alf_make run MODEL=stockholm-2024 IN="$IN" OUT="$W/out"
	assert_success
	assert_output "run: stockholm-2024 in $W/out: ok"
	diff -r "$W/logs1" "$W/out/logs"
	# one export changes: its ingest and what follows run again, not the others
	sed -i 's/225.34/225.35/' "$IN/hap.csv"
	alf_make run MODEL=stockholm-2024 IN="$IN" OUT="$W/out" 2> /dev/null
	! cmp -s "$W/logs1/ingest-hap.csv.log" "$W/out/logs/ingest-hap.csv.log"
	cmp "$W/logs1/ingest-klipp-2024.csv.log" "$W/out/logs/ingest-klipp-2024.csv.log"
	cmp "$W/logs1/normalize-2023.log" "$W/out/logs/normalize-2023.log"
	! cmp -s "$W/logs1/allocate.log" "$W/out/logs/allocate.log"
	grep -q ',SLSO,2024,rate,225.35,hap,' "$W/out/allocations.csv"
	# a profile changes: the ingest of its export and what follows
	cp -R "$W/out/logs" "$W/logs2"
	sleep 1
	touch "$W/data/profiles/hr-service"
	alf_make run MODEL=stockholm-2024 IN="$IN" OUT="$W/out" 2> /dev/null
	for s in ingest-hap.csv ingest-klipp-2024.csv ingest-kvantiteter-2023.csv normalize-2023; do
		cmp "$W/logs2/$s.log" "$W/out/logs/$s.log" || { echo "$s ran again"; return 1; }
	done
	for s in ingest-hr-2024.csv normalize allocate invoice report-budget-txt report-reconcile-txt; do
		! cmp -s "$W/logs2/$s.log" "$W/out/logs/$s.log" || { echo "$s did not run again"; return 1; }
	done
	# the profile is a reference file of the summary
	[ "$(jq -r '.reference[] | select(.file | endswith("/profiles/hr-service")) | .sha256' "$W/out/summary.json")" = \
	    "$(sha256sum < "$W/data/profiles/hr-service" | cut -d' ' -f1)" ]
	# streams.csv changes: every step reads it
	cp -R "$W/out/logs" "$W/logs3"
	sleep 1
	touch "$W/data/streams.csv"
	alf_make run MODEL=stockholm-2024 IN="$IN" OUT="$W/out" 2> /dev/null
	for s in ingest-hap.csv ingest-kvantiteter-2023.csv normalize normalize-2023 allocate invoice report-closing-txt; do
		! cmp -s "$W/logs3/$s.log" "$W/out/logs/$s.log" || { echo "$s did not run again"; return 1; }
	done
}

@test "make run: a stage's exit 1 is recorded and the run goes on" {
	printf 'hap,,SLSO,,,,KI,,,2024,,-3,hap,\nhap,,SLSO,,,,KI,,,2024\n' >> "$IN/hap.csv"
	run alf_make run MODEL=stockholm-2024 IN="$IN" OUT="$W/out"
	assert_success
	assert_output --partial "run: stockholm-2024 in $W/out: rejects"
	[ "$(cat "$W/out/logs/ingest-hap.csv.rc")" = 1 ]
	[ "$(jq -c '.stages[] | select(.stage == "ingest-hap.csv") | [.exit, .read, .accepted, .rejected]' "$W/out/summary.json")" = '[1,9,7,2]' ]
	[ "$(jq -r '.status, .exit' "$W/out/summary.json" | tr '\n' ' ')" = "rejects 1 " ]
	# both rows rejected with their line, the short one not padded
	[ "$(awk -F, 'NR > 1 {print $NF}' "$W/out/rejects/ingest/hap.csv" | tr '\n' ' ')" = "hap.csv:9 hap.csv:10 " ]
	[ -s "$W/out/invoices.csv" ] && [ -s "$W/out/reports/budget.txt" ]
	[ "$(csv_get "$W/out/allocations.csv" amount provider SLSO | head -1)" = 22938260.00 ]
}

@test "make run: exit 2 and 3 stop the run, naming the cause" {
	rm "$IN/providers.csv"
	run alf_make run MODEL=stockholm-2024 IN="$IN" OUT="$W/out"
	assert_failure 2
	assert_output --partial "providers.csv: no providers.csv beside the exports"
	[ ! -e "$W/out/allocations.csv" ]
	cp "$FIX/stockholm-2024/providers.csv" "$IN/"
	# a profile that does not exist: ingest's exit 2 stops everything
	jq '.inputs[1].profile = "no-such-profile"' "$MODELS/stockholm-2024.json" > "$W/m.json"
	run alf_make run MODEL="$W/m.json" IN="$IN" OUT="$W/out"
	assert_failure
	[ "$(cat "$W/out/logs/ingest-klipp-2024.csv.rc")" = 2 ]
	[ ! -e "$W/out/records/klipp-2024.csv" ] && [ ! -e "$W/out/activities.csv" ]
	[ ! -e "$W/out/summary.json" ]
	# an export that cannot be read (a directory): 3
	rm "$IN/hr-2024.csv" && mkdir "$IN/hr-2024.csv"
	run alf_make run MODEL=stockholm-2024 IN="$IN" OUT="$W/out2"
	assert_failure
	[ "$(cat "$W/out2/logs/ingest-hr-2024.csv.rc")" = 3 ]
	[ ! -e "$W/out2/allocations.csv" ]
	# a hung step is stopped after STAGE_TIMEOUT seconds, as a failure
	# (10: the steps before it take seconds under make valgrind; the hang
	# is 60)
	rm -r "$IN/hr-2024.csv" && cp "$FIX/stockholm-2024/hr-2024.csv" "$IN/"
	wrap_bin invoice 'exec sleep 60'
	SECONDS=0
	ALF_BIN="$W/wbin" run alf_make run MODEL=stockholm-2024 IN="$IN" OUT="$W/out3" STAGE_TIMEOUT=10
	assert_failure
	[ $SECONDS -lt 55 ]
	assert_output --partial "invoice: stopped (status 124)"
	[ "$(cat "$W/out3/logs/invoice.rc")" = 3 ]
	[ -s "$W/out3/allocations.csv" ] && [ ! -e "$W/out3/invoices.csv" ] && [ ! -e "$W/out3/summary.json" ]
}

# the row of a provider normalize does not know, at the end of the export
klipp_unknown_provider() {
	sed -n '2s/;Karolinska universitetssjukhuset;/;Okänt sjukhus;/p' "$IN/klipp-2024.csv" >> "$IN/klipp-2024.csv"
}

@test "make run: the largest export goes ingest | tee | normalize, with the bytes of a run from files" {
	klipp_unknown_provider
	# the piped programs say what their standard output and input are
	wrap_bin ingest "case \"\$*\" in *\" -o \"*) ;; *klipp-2024.csv) stat -L -c %F /dev/stdout > $W/ingest-out;; esac"
	printf '#!/bin/sh\ncase "$*" in *--label*) stat -L -c %%F /dev/stdin > %s/normalize-in;; esac\nexec %s/alf-normalize "$@"\n' \
	    "$W" "$ALF_BIN" > "$W/wbin/alf-normalize"
	ALF_BIN="$W/wbin" run alf_make run MODEL=stockholm-2024 IN="$IN" OUT="$W/out"
	assert_success
	assert_output --partial "run: stockholm-2024 in $W/out: rejects"
	[ "$(cat "$W/ingest-out")" = fifo ] && [ "$(cat "$W/normalize-in")" = fifo ]
	# each program its own log and status; normalize names the records file
	[ "$(cat "$W/out/logs/ingest-klipp-2024.csv.rc") $(cat "$W/out/logs/normalize.rc")" = "0 1" ]
	grep -q '^alf-ingest: 23 read, 23 accepted, 0 rejected, 0 merged; 23 written$' "$W/out/logs/ingest-klipp-2024.csv.log"
	grep -q '^alf-normalize: records/klipp-2024.csv:24: provider_name: unknown provider' "$W/out/logs/normalize.log"
	[ "$(awk -F, 'NR > 1 {print $NF}' "$W/out/rejects/activities.csv")" = records/klipp-2024.csv:24 ]
	[ ! -e "$W/out/logs/pipe" ]
	[ "$(jq -c '.stages[] | select(.stage == "normalize") | [.exit, .read, .rejected]' "$W/out/summary.json")" = '[1,44,1]' ]
	# the same run from files: every output and the summary byte for byte
	RUN_PIPE=0 run alf_make run MODEL=stockholm-2024 IN="$IN" OUT="$W/files"
	assert_success
	diff -r -x logs "$W/out" "$W/files"
}

@test "make run: a pipe whose ingest fails publishes neither; one whose normalize fails keeps the records" {
	RUN_PIPE=0 alf_make run MODEL=stockholm-2024 IN="$IN" OUT="$W/files" 2> /dev/null
	# ingest writes every record, then fails
	wrap_bin ingest "case \"\$*\" in *klipp-2024.csv) $ALF_BIN/alf-ingest \"\$@\"; echo 'alf-ingest: disk on fire' >&2; exit 3;; esac"
	ALF_BIN="$W/wbin" run alf_make run MODEL=stockholm-2024 IN="$IN" OUT="$W/out"
	assert_failure
	assert_output --partial "alf-ingest: disk on fire"
	[ "$(cat "$W/out/logs/ingest-klipp-2024.csv.rc")" = 3 ]
	[ ! -e "$W/out/records/klipp-2024.csv" ] && [ ! -e "$W/out/activities.csv" ]
	[ ! -e "$W/out/rejects/activities.csv" ] && [ ! -e "$W/out/logs/pipe" ]
	# normalize's log and status of the half stream are dropped
	[ ! -e "$W/out/logs/normalize.log" ] && [ ! -e "$W/out/logs/normalize.rc" ]
	# normalize stops before reading: ingest's records are whole and kept
	wrap_bin normalize 'case "$*" in *--label*) echo "alf-normalize: out of luck" >&2; exit 3;; esac'
	ALF_BIN="$W/wbin" run alf_make run MODEL=stockholm-2024 IN="$IN" OUT="$W/out"
	assert_failure
	[ "$(cat "$W/out/logs/ingest-klipp-2024.csv.rc") $(cat "$W/out/logs/normalize.rc")" = "0 3" ]
	grep -q 'alf-normalize: out of luck' "$W/out/logs/normalize.log"
	cmp "$W/out/records/klipp-2024.csv" "$W/files/records/klipp-2024.csv"
	[ ! -e "$W/out/activities.csv" ] && [ ! -e "$W/out/logs/pipe" ]
	# the next run reads the records from the file, and ingest stays put
	cp "$W/out/logs/ingest-klipp-2024.csv.log" "$W/ingest.log"
	run alf_make run MODEL=stockholm-2024 IN="$IN" OUT="$W/out"
	assert_success
	cmp "$W/ingest.log" "$W/out/logs/ingest-klipp-2024.csv.log"
	diff -r -x logs "$W/out" "$W/files"
}

@test "make run: a new providers.csv re-runs normalize from the records; lost records are made again" {
	alf_make run MODEL=stockholm-2024 IN="$IN" OUT="$W/out" 2> /dev/null
	cp -R "$W/out/logs" "$W/logs1"
	sleep 1
	touch "$IN/providers.csv"
	alf_make run MODEL=stockholm-2024 IN="$IN" OUT="$W/out" 2> /dev/null
	cmp "$W/logs1/ingest-klipp-2024.csv.log" "$W/out/logs/ingest-klipp-2024.csv.log"
	! cmp -s "$W/logs1/normalize.log" "$W/out/logs/normalize.log"
	# records gone while the activities are up to date: both made again
	cp -R "$W/out/logs" "$W/logs2"
	cp "$W/out/records/klipp-2024.csv" "$W/klipp.records"
	rm "$W/out/records/klipp-2024.csv"
	sleep 1
	alf_make run MODEL=stockholm-2024 IN="$IN" OUT="$W/out" 2> /dev/null
	cmp "$W/klipp.records" "$W/out/records/klipp-2024.csv"
	! cmp -s "$W/logs2/ingest-klipp-2024.csv.log" "$W/out/logs/ingest-klipp-2024.csv.log"
	cmp "$W/logs2/ingest-hr-2024.csv.log" "$W/out/logs/ingest-hr-2024.csv.log"
}

@test "nightly: publishes OUT/current atomically, quiet when all is accepted, per-stage log" {
	run nightly stockholm-2024 "$IN" "$W/n"
	assert_success
	assert_output ""
	[ -L "$W/n/current" ]
	t=$(readlink "$W/n/current")
	[[ $t == runs/2* ]]
	[ "$(jq -r .status "$W/n/current/summary.json")" = ok ]
	[ "$(csv_get "$W/n/current/allocations.csv" amount provider SLSO | head -1)" = 22938260.00 ]
	log=$(ls "$W/n/logs/"*.log)
	grep -Eq '^20[0-9-]+T[0-9:]+Z step ingest-hap.csv: exit 0, 20[0-9T:-]+Z \.\. 20[0-9T:-]+Z, 7 read, 7 accepted, 0 rejected, 0 merged; 7 written$' "$log"
	grep -Eq 'step allocate: exit 0, .*156 read, 156 accepted, 0 rejected, 0 merged; 144 written$' "$log"
	grep -q "published $t as current, status ok" "$log"
	[ -z "$(ls "$W/n/.work")" ]
	[ -f "$W/n/current/logs/nightly.log" ] && [ -f "$W/n/current/logs/make.log" ]
}

@test "nightly: a second run while one holds the lock exits 75 at once" {
	mkdir -p "$W/n"
	flock "$W/n/.lock" sleep 5 3>&- &
	sleep 0.5
	SECONDS=0
	run nightly stockholm-2024 "$IN" "$W/n"
	assert_failure 75
	assert_output "nightly: another run of $W/n is in progress (lock $W/n/.lock held); not starting"
	[ $SECONDS -lt 3 ]
	[ ! -e "$W/n/current" ]
	wait
}

@test "nightly: rejects publish with exit 1; configuration 2 and failure 3 leave current untouched" {
	nightly stockholm-2024 "$IN" "$W/n"
	first=$(readlink "$W/n/current")
	sum=$(sha256sum < "$W/n/current/allocations.csv")
	# rejects: published, exit 1, the log mailed (printed)
	printf 'hap,,SLSO,,,,KI,,,2024,,-3,hap,\n' >> "$IN/hap.csv"
	run nightly stockholm-2024 "$IN" "$W/n"
	assert_failure 1
	assert_output --partial "step ingest-hap.csv: exit 1"
	assert_output --partial "status rejects"
	second=$(readlink "$W/n/current")
	[ "$second" != "$first" ]
	# configuration: no providers.csv
	mv "$IN/providers.csv" "$W/providers.csv"
	run nightly stockholm-2024 "$IN" "$W/n"
	assert_failure 2
	assert_output --partial "no providers.csv beside the exports"
	assert_output --partial "current left as it was ($second)"
	[ "$(readlink "$W/n/current")" = "$second" ]
	mv "$W/providers.csv" "$IN/"
	# a stage fails (exit 3): the last publication stays, the failed run is kept
	wrap_bin allocate 'echo "alf-allocate: disk on fire" >&2; exit 3'
	run nightly --bin "$W/wbin" stockholm-2024 "$IN" "$W/n"
	assert_failure 3
	assert_output --partial "step allocate: exit 3"
	assert_output --partial "alf-allocate: disk on fire"
	[ "$(readlink "$W/n/current")" = "$second" ]
	[ "$(ls "$W/n/failed" | wc -l)" -eq 2 ]
	grep -q 'disk on fire' "$W/n/failed/"*/logs/allocate.log
	# every step exits 0 but the run fails after them (here the summary's
	# jq): a failure, 3, not a configuration error
	mkdir "$W/jqbin"
	printf '#!/bin/sh\ncase " $* " in *" -n "*) echo "jq: summary.json: No space left on device" >&2; exit 2;; esac\nexec %s "$@"\n' \
	    "$(command -v jq)" > "$W/jqbin/jq"
	chmod +x "$W/jqbin/jq"
	PATH="$W/jqbin:$PATH" run nightly stockholm-2024 "$IN" "$W/n"
	assert_failure 3
	assert_output --partial "step report-reconcile-txt: exit 0"
	assert_output --partial "jq: summary.json: No space left on device"
	assert_output --partial "failed with status 3; $W/n/current left as it was ($second)"
	[ "$(readlink "$W/n/current")" = "$second" ]
	# a failed run keeps its nightly log beside its step logs
	for d in "$W/n/failed/"*; do
		cmp "$d/nightly.log" "$W/n/logs/${d##*/}.log"
	done
}

@test "nightly --keep 1 keeps the last run and failed run with their logs, current the newest" {
	wrap_bin normalize 'exit 3'
	run nightly --keep 1 --bin "$W/wbin" stockholm-2024 "$IN" "$W/n"
	assert_failure 3
	failed=$(ls "$W/n/failed")
	for i in 1 2; do nightly --keep 1 stockholm-2024 "$IN" "$W/n"; done
	[ "$(ls "$W/n/runs" | wc -l)" -eq 1 ]
	[ "$(readlink "$W/n/current")" = "runs/$(ls "$W/n/runs")" ]
	[ "$(jq -r .status "$W/n/current/summary.json")" = ok ]
	# the kept run's and the failed run's logs; the pruned run's is gone
	[ "$(ls "$W/n/logs" | tr '\n' ' ')" = "$failed.log $(ls "$W/n/runs").log " ]
	[ "$(ls "$W/n/failed")" = "$failed" ]
	run nightly --keep 0 stockholm-2024 "$IN" "$W/n"
	assert_failure 2
}

@test "nightly: SIGKILL at each stage leaves OUT/current intact, and the next run succeeds" {
	nightly stockholm-2024 "$IN" "$W/n"
	first=$(readlink "$W/n/current")
	sum=$(cd "$W/n/current" && find . -type f | LC_ALL=C sort | xargs sha256sum)
	# a jq that hangs where the summary is written, once asked to
	mkdir "$W/jqbin"
	printf '#!/bin/sh\n[ -e %s/hang-jq ] && case " $* " in *" -n "*) echo $$ > %s/at; exec sleep 60;; esac\nexec %s "$@"\n' \
	    "$W" "$W" "$(command -v jq)" > "$W/jqbin/jq"
	chmod +x "$W/jqbin/jq"
	# each program's first step, the last step, and the summary after it
	for t in ingest normalize allocate invoice report reconcile summary; do
		rm -f "$W/at"
		case $t in
		reconcile) wrap_bin report "[ \$1 != reconcile ] || { echo \$\$ > $W/at; exec sleep 60; }" ;;
		summary) wrap_bin report :; touch "$W/hang-jq" ;;
		*) wrap_bin $t "echo \$\$ > $W/at; exec sleep 60" ;;
		esac
		PATH="$W/jqbin:$PATH" setsid "$ROOT/pipelines/nightly" --bin "$W/wbin" stockholm-2024 "$IN" "$W/n" \
		    > /dev/null 2>&1 3>&- &
		pid=$!
		# up to a minute: under make valgrind every step before is slow
		for i in $(seq 600); do [ -s "$W/at" ] && break; sleep 0.1; done
		[ -s "$W/at" ] || { echo "never reached $t"; return 1; }
		# the whole run dies at once, as in a crash
		kill -KILL -- -$pid "$(cat "$W/at")" 2> /dev/null || true
		wait $pid || true
		[ "$(readlink "$W/n/current")" = "$first" ] || { echo "current moved at $t"; return 1; }
		[ "$(cd "$W/n/current" && find . -type f | LC_ALL=C sort | xargs sha256sum)" = "$sum" ]
		[ -n "$(ls "$W/n/.work")" ]
	done
	rm "$W/hang-jq"
	# the run reached the summary: every step's output was there
	[ -f "$W/n/.work/"*/reports/reconcile.txt ]
	# killed between making the new symlink and swapping it in
	ln -s runs/none "$W/n/.current.20240101T000000.0Z"
	run nightly stockholm-2024 "$IN" "$W/n"
	assert_success
	[ "$(readlink "$W/n/current")" != "$first" ]
	[ "$(jq -r .status "$W/n/current/summary.json")" = ok ]
	[ -z "$(ls "$W/n/.work")" ]
	[ -z "$(ls -A "$W/n" | grep '^\.current\.')" ]
	cmp "$W/n/current/allocations.csv" "$W/n/$first/allocations.csv"
}
