#!/usr/bin/env bats
# The annual closing (issue 15 "Annual closing"): `make close` freezes the
# pseudonymised records, reference data, outputs, key fingerprint and
# MANIFEST; `make verify-close` rebuilds every output byte for byte, under
# another TZ, locale (sv_SE.UTF-8) and directory, and names what differs.
load helper

setup() { pipeline_setup; }

close_once() {
	[ -d "$W/c" ] || alf_make close MODEL=stockholm-2024 IN="$IN" CLOSE="$W/c" 2> /dev/null
}

@test "close: records, reference data, outputs, key fingerprint and MANIFEST; no exports, numbers or names" {
	run alf_make close MODEL=stockholm-2024 IN="$IN" CLOSE="$W/c"
	assert_success
	assert_output --partial "close: $W/c: "
	c="$W/c"
	for f in records/hap.csv records/klipp-2024.csv records/hr-2024.csv records/kvantiteter-2023.csv \
	    providers.csv data/models/stockholm-2024.json data/streams.csv data/model.jq \
	    outputs/allocations.csv outputs/invoices.csv outputs/activities.csv \
	    outputs/reports/budget.txt outputs/reports/closing.txt summary.json MANIFEST; do
		[ -s "$c/$f" ] || { echo "missing $f"; return 1; }
	done
	[ "$(cat "$c/key.sha256")" = "$(sha256sum < "$ALF_KEY_FILE" | cut -d' ' -f1)" ]
	grep -qx "$(sha256sum < "$IN/klipp-2024.csv" | cut -d' ' -f1)  klipp-2024.csv" "$c/exports.sha256"
	[ "$(wc -l < "$c/exports.sha256")" -eq 4 ]
	# never a raw export, a personal identity number, a name or the key
	[ ! -e "$c/klipp-2024.csv" ] && [ ! -e "$c/records/../hr-2024.csv" ]
	run grep -rlF -f <(grep -v '^#' "$FIX/stockholm-2024/pnrs.txt"; grep -v '^#' "$FIX/stockholm-2024/pnrs.txt" | cut -c3-) "$c"
	assert_failure
	run grep -rl -e 'Hugo Hassan' -e 'Hugo Sjöberg' "$c"
	assert_failure
	run grep -rlF "$(head -c 32 "$ALF_KEY_FILE" | base64)" "$c"
	assert_failure
	# MANIFEST: version, build flags, every file's sha256
	grep -q "^# version $(cd "$ROOT" && git describe --always --dirty --tags)$" "$c/MANIFEST"
	# the build line is the one of the programs that ran (ALF_BIN), as
	# they say it, not the flags make would use now
	grep -qxF "# build $(alf-ingest --build)" "$c/MANIFEST"
	grep -q '^# build CC=.* CFLAGS=.* compiler ' "$c/MANIFEST"
	[ "$(grep -c '^[0-9a-f]\{64\}  ' "$c/MANIFEST")" -eq "$(find "$c" -type f ! -name MANIFEST | wc -l)" ]
	(cd "$c" && grep -v '^#' MANIFEST | sha256sum -c --quiet -)
	# the workbook's creation date is the model's file date, not the clock
	if [ -f "$c/outputs/reports/budget.xlsx" ]; then
		d=$(jq -r .invoicing.file_date "$MODELS/stockholm-2024.json")
		[ "$(unzip -p "$c/outputs/reports/budget.xlsx" docProps/core.xml | grep -o '<dcterms:created[^>]*>[^<]*<')" = \
		    "<dcterms:created xsi:type=\"dcterms:W3CDTF\">${d}T00:00:00Z<" ]
	fi
	# a closing is never overwritten
	run alf_make close MODEL=stockholm-2024 IN="$IN" CLOSE="$W/c"
	assert_failure 2
	assert_output --partial "exists: a closing is never overwritten"
}

@test "verify-close: rebuilt byte for byte under another TZ, sv_SE.UTF-8 and directory" {
	# the Swedish locale is really there (its decimal comma), not C's fallback
	locale -a | grep -qix 'sv_SE.utf-\?8'
	[ "$(LC_ALL=sv_SE.UTF-8 locale decimal_point 2> /dev/null)" = , ]
	close_once
	mkdir -p "$W/elsewhere/deeper"
	cp -a "$W/c" "$W/elsewhere/deeper/closing"
	cd /
	TZ=Pacific/Chatham LC_ALL=sv_SE.UTF-8 run alf_make verify-close CLOSE="$W/elsewhere/deeper/closing"
	assert_success
	n=$(cd "$W/c/outputs" && find . -type f | wc -l)
	[ "$n" -ge 10 ]
	assert_output "verify-close: $W/elsewhere/deeper/closing: $n outputs rebuilt byte for byte"
}

@test "close: two closings in other directories, TZ and locale give the same bytes" {
	locale -a | grep -qix 'sv_SE.utf-\?8'
	close_once
	mkdir "$W/other"
	cp -R "$IN" "$W/other/exports"
	cd "$W/other"
	TZ=America/St_Johns LC_ALL=sv_SE.UTF-8 alf_make close MODEL=stockholm-2024 IN="$W/other/exports" \
	    CLOSE="$W/other/c" 2> /dev/null
	diff -r "$W/c/outputs" "$W/other/c/outputs"
	diff -r "$W/c/records" "$W/other/c/records"
	# the workbook too, when there is one
	if [ -f "$W/c/outputs/reports/budget.xlsx" ]; then cmp "$W/c/outputs/reports/budget.xlsx" "$W/other/c/outputs/reports/budget.xlsx"; fi
}

@test "verify-close: a changed output or frozen input is found and named" {
	close_once
	cp -a "$W/c" "$W/c2"
	chmod u+w "$W/c2/outputs/allocations.csv"
	sed -i 's/,SLSO,2024,share,225.34,hap,,1467851.00$/,SLSO,2024,share,225.34,hap,,1467852.00/' "$W/c2/outputs/allocations.csv"
	run alf_make verify-close CLOSE="$W/c2"
	assert_failure
	assert_output --partial "outputs/allocations.csv: FAILED"
	assert_output --partial "verify-close: outputs/allocations.csv differs:"
	assert_output --partial "-2024,3.3-alf,\"Lokaler, undervisning - läkarprogrammet\",ALF,education,HSF,SLSO,2024,share,225.34,hap,,1467852.00"
	assert_output --partial "+2024,3.3-alf,\"Lokaler, undervisning - läkarprogrammet\",ALF,education,HSF,SLSO,2024,share,225.34,hap,,1467851.00"
	assert_output --partial "verify-close: $W/c2: 1 outputs differ"
	# a frozen record changed: MANIFEST says so, and the outputs follow
	cp -a "$W/c" "$W/c3"
	chmod u+w "$W/c3/records/hap.csv"
	sed -i 's/,225.34,/,225.00,/' "$W/c3/records/hap.csv"
	run alf_make verify-close CLOSE="$W/c3"
	assert_failure
	assert_output --partial "records/hap.csv: FAILED"
	assert_output --partial "verify-close: outputs/allocations.csv differs:"
	assert_output --partial "verify-close: outputs/activities.csv differs:"
	# an output gone from the closing: named, and a failure
	cp -a "$W/c" "$W/c4"
	chmod u+w "$W/c4/outputs/reports"
	rm "$W/c4/outputs/reports/closing.txt"
	run alf_make verify-close CLOSE="$W/c4"
	assert_failure
	assert_output --partial "verify-close: the rebuild writes other files:"
	assert_output --partial " > reports/closing.txt"
}

@test "close: the plan and the issued invoices are frozen, and the rebuild uses them" {
	run alf_make close MODEL=stockholm-2024 IN="$IN" CLOSE="$W/c" \
	    PLAN="$FIX/invoice/allocations.csv" ISSUED="$FIX/invoice/issued.csv"
	assert_success
	cmp "$W/c/plan.csv" "$FIX/invoice/allocations.csv"
	cmp "$W/c/issued.csv" "$FIX/invoice/issued.csv"
	grep -q '^[0-9a-f]\{64\}  plan.csv$' "$W/c/MANIFEST"
	grep -q '^[0-9a-f]\{64\}  issued.csv$' "$W/c/MANIFEST"
	[ "$(jq -r '.reference[] | select(.file | endswith("/invoice/issued.csv")) | .sha256' "$W/c/summary.json")" = \
	    "$(sha256sum < "$FIX/invoice/issued.csv" | cut -d' ' -f1)" ]
	# the issued documents are written again, with their corrections
	grep -q '^2024-HSF-SLSO-M01,payment,' "$W/c/outputs/invoices.csv"
	grep -q '^[^,]*-C1,' "$W/c/outputs/invoices.csv"
	run alf_make verify-close CLOSE="$W/c"
	assert_success
	assert_output --partial "outputs rebuilt byte for byte"
	# without the frozen issued invoices the rebuild differs, and says so
	cp -a "$W/c" "$W/c2"
	chmod u+w "$W/c2"
	rm "$W/c2/issued.csv"
	run alf_make verify-close CLOSE="$W/c2"
	assert_failure
	assert_output --partial "issued.csv: FAILED open or read"
	assert_output --partial "verify-close: outputs/invoices.csv differs:"
}
