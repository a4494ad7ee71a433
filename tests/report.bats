#!/usr/bin/env bats
# alf-report: the kinds and the plain formats (text, csv, md, json).
# Real clients (Chromium, LibreOffice) are in report-clients.bats.
load helper
bats_require_minimum_version 1.5.0
setup() { common_setup; R="$FIX/report"; }

budget() {
	alf-report budget -q --model "$R/model.json" --providers "$R/providers.csv" \
	    "$@" "$R/allocations.csv"
}

@test "budget: 3.2 and 3.3 as the directive prints them, reserve last" {
	run budget
	assert_success
	sec33=$(sed -n '/^3.3 /,/^Totalt/p' <<< "$output")
	assert_equal "$(grep -c '' <<< "$sec33")" 16
	for want in \
	    "Stockholms läns sjukvårdsområde   1 468 tkr   2 020 tkr  0 tkr" \
	    "Danderyds sjukhus AB                605 tkr     833 tkr  0 tkr" \
	    "Karolinska universitetssjukhuset  3 231 tkr   4 447 tkr  0 tkr" \
	    "Södersjukhuset AB                   715 tkr     983 tkr  0 tkr" \
	    "S:t Eriks sjukhus AB                127 tkr     175 tkr  0 tkr" \
	    "Capio S:t Görans Sjukhus AB         116 tkr     160 tkr  0 tkr" \
	    "Övriga                                0 tkr       0 tkr  0 tkr" \
	    "För senare utfördelning           1 418 tkr   1 951 tkr  0 tkr" \
	    "Totalt                            7 680 tkr  10 570 tkr  0 tkr"; do
		grep -qxF "$want" <<< "$sec33" || fail "3.3: missing: $want"
	done
	# the reserve is the last provider row
	reserve=$(sed -n 15p <<< "$sec33")
	assert_equal "${reserve:0:23}" "För senare utfördelning"
	sec32=$(sed -n '/^3.2 /,/^Totalt/p' <<< "$output")
	for want in "22 938" "9 460" "50 488" "11 166" "1 991" "1 818" "22 155" \
	    "120 016"; do
		grep -q " $want tkr " <<< "$sec32" || fail "3.2: missing $want"
	done
}

@test "budget: the HSF total is the rounded exact total, not the rows' sum" {
	run budget --format csv
	assert_success
	rows=$(grep '^"3.3 Lokaler' <<< "$output" | grep -v ',Totalt,' |
	    awk -F, '{ s += $(NF-1) } END { print s }')
	assert_equal "$rows" 10569
	assert_line '"3.3 Lokaler, undervisning - läkarprogrammet",Totalt,7680,10570,0'
	assert_line '"3.3 Lokaler, undervisning - läkarprogrammet",Övriga,0,0,0'
}

@test "budget: summary has a column per line, a subtotal per fund, totals" {
	run budget --format csv
	assert_success
	head=$(grep '^table,Vårdgivare,3.2,' <<< "$output")
	[[ "$head" == *",3.11,Summa ALF,3.3-hsf,"* ]] || fail "$head"
	[[ "$head" == *",Summa UNIV,Totalt" ]] || fail "$head"
	# 3.6-aka and 4.3.2 are internal: no column
	[[ "$head" != *"3.6-aka"* && "$head" != *"4.3.2"* ]] || fail "$head"
	sum=$(grep '^Sammanställning per vårdgivare och rad,Totalt,' <<< "$output")
	assert_equal "${sum##*,}" 1349912
	slso=$(grep '^Sammanställning per vårdgivare och rad,Stockholms läns' <<< "$output")
	assert_equal "${slso##*,}" 616304
}

@test "budget: text fits 100 columns and wraps the summary by blocks" {
	run budget
	assert_success
	assert [ "$(wc -L <<< "$output")" -le 100 ]
	sum=$(sed -n '/^Sammanställning/,$p' <<< "$output")
	assert [ "$(grep -c '^Vårdgivare ' <<< "$sum")" -ge 3 ]
	assert_equal "$(grep -c '^Totalt ' <<< "$sum")" \
	    "$(grep -c '^Vårdgivare ' <<< "$sum")"
}

@test "budget: tkr and mkr round half away from zero; totals exact" {
	run alf-report budget -q --unit tkr --format csv "$R/round-a.csv"
	assert_success
	assert_output --partial 'X Avrundning,P1,2
X Avrundning,P2,1
X Avrundning,P3,1
X Avrundning,P4,1
X Avrundning,P5,0
X Avrundning,P6,500
X Avrundning,RESERV,0
X Avrundning,Totalt,506'
	run alf-report budget -q --unit mkr "$R/round-a.csv"
	assert_line --regexp '^P6 +1 mkr$'
	assert_line --regexp '^P1 +0 mkr$'
	assert_line --regexp '^Totalt +1 mkr$'
	run alf-report budget -q --unit kr "$R/round-a.csv"
	assert_line --regexp '^P2 +1 500 kr$'
	assert_line --regexp '^Totalt +505 900 kr$'
	run alf-report budget -q --unit gkr "$R/round-a.csv"
	assert_failure 2
	assert_output --partial "--unit: not kr, tkr or mkr (gkr)"
}

@test "compare: negatives round half away from zero, losers last" {
	run alf-report compare -q --format csv "$R/round-a.csv" "$R/round-b.csv"
	assert_success
	assert_output --partial 'table,Vårdgivare,round-a,round-b,Förändring
Förändring per vårdgivare,P3,1,1,0'
	assert_line 'Förändring per vårdgivare,P2,1,0,-1'
	assert_line 'Förändring per vårdgivare,P1,2,0,-2'
	assert_line 'Förändring per vårdgivare,Totalt,506,503,-3'
	# the last provider row is the biggest loser
	last=$(grep '^Förändring per vårdgivare,' <<< "$output" | grep -v Totalt | tail -1)
	assert_equal "$last" 'Förändring per vårdgivare,P1,2,0,-2'
}

@test "compare: two models per provider and line, report_as rows merged" {
	run alf-report compare -q --model "$R/model.json" --providers "$R/providers.csv" \
	    --format csv "$R/allocations.csv" "$R/allocations-b.csv"
	assert_success
	# 240.5 HÅP × 101 794 = 24 481 457 kr
	assert_line 'Förändring per vårdgivare och rad,Stockholms läns sjukvårdsområde,3.2,22938,24481,1543'
	# Samariten (report_as OVRIGA): 3.25 × 101 794 = 330 830.5 → 331 tkr
	assert_line 'Förändring per vårdgivare och rad,Övriga,3.2,0,331,331'
	first=$(grep '^Förändring per vårdgivare,' <<< "$output" | head -1)
	assert_equal "${first%%,6*}" 'Förändring per vårdgivare,Stockholms läns sjukvårdsområde'
	last=$(grep '^Förändring per vårdgivare,' <<< "$output" | grep -v Totalt | tail -1)
	[[ "$last" == 'Förändring per vårdgivare,Karolinska universitetssjukhuset,'*',-'* ]] ||
	    fail "$last"
}

@test "csv: formula-like text is neutralised, numbers stay numbers" {
	run alf-report compare -q --format csv "$R/inject.csv" "$R/round-a.csv"
	assert_success
	assert_line "Förändring per vårdgivare,'+cmd,4,0,-4"
	assert_line "Förändring per vårdgivare,'-3+4,3,0,-3"
	assert_line "Förändring per vårdgivare,'=1+2,2,0,-2"
	assert_line "Förändring per vårdgivare,'@SUM(A1),1,0,-1"
	refute_output --regexp '(^|,)[=+@]'
}

@test "md and json carry the same figures" {
	run budget --format md
	assert_success
	assert_line '| **Totalt** | **7 680 tkr** | **10 570 tkr** | **0 tkr** |'
	assert_line '| Övriga | 0 tkr | 0 tkr | 0 tkr |'
	budget --format json -o "$W/b.json"
	run jq -c '.tables[] | select(.title | startswith("3.3 ")) | .rows[-1]' "$W/b.json"
	assert_output '["Totalt",7680,10570,0]'
	run jq -r '.unit' "$W/b.json"
	assert_output tkr
}

@test "statement: one provider's basis and documents, to the öre" {
	run alf-report statement -q --provider CAPIO --model "$R/model.json" \
	    --providers "$R/providers.csv" --format csv "$R/allocations.csv" "$R/invoices.csv"
	assert_success
	assert_line 'Tilldelning per rad,3.2,Grundutbildning läkare,ALF,HSF,2024,17.86,hap,101794,1818041.00'
	assert_line 'Tilldelning per rad,Totalt,,,,,,,,61443498.00'
	assert_line '"Fakturor, betalningar och vidarefakturering",2024-CAPIO-HSF-H1,invoice,CAPIO,HSF,2024-07-01,2024-H1,3.2,Grundutbildning läkare,909020.00'
	refute_line --partial ',2024-SLSO-'
	# private: VAT compensation on its invoices
	assert_line --regexp '^Summa per dokumenttyp,invoice,[0-9]+,[0-9]+\.[0-9]{2}$'
	grep -q ',vat-comp,' <<< "$output" || fail "no vat-comp line"
	run alf-report statement "$R/allocations.csv"
	assert_failure 2
	assert_output --partial "needs --provider"
}

@test "reconcile: the demo run holds" {
	run alf-report reconcile --model "$R/model.json" --providers "$R/providers.csv" \
	    --format csv "$R/allocations.csv" "$R/invoices.csv"
	assert_success
	assert_line 'Kontroller,pott fördelad,3.3-hsf,10570000.00,10570000.00,0.00,ok'
	assert_line 'Kontroller,fast belopp,3.4 KS,9260000.00,9260000.00,0.00,ok'
	assert_line --regexp '^Kontroller,fakturerat = tilldelat,HSF – CAPIO,[0-9.]+,[0-9.]+,0.00,ok$'
	assert_line --regexp '^Kontroller,vidarefakturering netto noll,'
	refute_line --partial ',FEL'
}

@test "reconcile: exit 1 naming each check that does not hold" {
	sed 's/^\(2024,3.4,.*,KS,.*\),9260000.00$/\1,9250000.00/' \
	    "$R/allocations.csv" > "$W/alloc.csv"
	run ! cmp -s "$R/allocations.csv" "$W/alloc.csv"
	run alf-report reconcile --model "$R/model.json" --providers "$R/providers.csv" \
	    --summary "$R/summary-bad.json" -o "$W/rec.txt" "$W/alloc.csv" "$R/invoices.csv"
	assert_failure 1
	assert_line 'alf-report: reconcile: fast belopp: 3.4 KS: expected 9260000.00, found 9250000.00'
	assert_line --partial 'reconcile: fakturerat = tilldelat: HSF – KS: expected'
	assert_line 'alf-report: reconcile: rader: alf-normalize: read = accepted + rejected + merged: expected 7, found 6'
	refute_line --partial 'alf-ingest: read'
	grep -q 'FEL' "$W/rec.txt"
}

@test "reconcile: the run summary as make run writes it, a step without counts included" {
	printf '%s\n' '{"stages": [' \
	    '{"program": "alf-ingest", "stage": "ingest-hap.csv", "exit": 0, "read": 3, "accepted": 2, "rejected": 1, "merged": 0, "written": 2},' \
	    '{"program": "alf-report", "stage": "report-budget-txt", "exit": 2},' \
	    '{"program": "alf-normalize", "stage": "norm\u00e5", "exit": 0, "read": 2, "accepted": 1, "rejected": 0, "merged": 1, "written": 1}' \
	    ']}' > s.json
	run alf-report reconcile -q --model "$R/model.json" --providers "$R/providers.csv" \
	    --summary s.json --format csv "$R/allocations.csv" "$R/invoices.csv"
	assert_success
	assert_line 'Kontroller,rader,ingest-hap.csv: read = accepted + rejected + merged,3,3,0,ok'
	assert_line 'Kontroller,rader,normå: read = accepted + rejected + merged,2,2,0,ok'
	refute_line --partial 'report-budget-txt'
}

# each: the summary's text, then the diagnostic after "alf-report: s.json"
@test "reconcile: a --summary that is not a run summary is exit 2 naming the file and line, nothing published" {
	local text want
	head -c 100 "$R/summary-bad.json" > cut.json
	while IFS='|' read -r text want; do
		if [ "$text" = CUT ]; then cp cut.json s.json; else printf '%b' "$text" > s.json; fi
		rm -f out.txt
		run --separate-stderr alf-report reconcile -q --model "$R/model.json" \
		    --providers "$R/providers.csv" --summary s.json -o out.txt \
		    "$R/allocations.csv" "$R/invoices.csv"
		[ "$status" -eq 2 ] && [ "$stderr" = "alf-report: s.json$want" ] && [ ! -e out.txt ] ||
		    { echo "'$text': exit $status, want 2 and 'alf-report: s.json$want': $stderr"; return 1; }
	done <<-'EOF'
	|: empty file
	\n \n|: empty file
	CUT|:3: not JSON: unexpected end of file
	{"stages": [}|:1: not JSON: unexpected character (})
	{"stages": []} {}|:1: not JSON: more after the summary's object
	{"stages": ["a\\q"]}|:1: stages: a step that is not an object
	{"stages": [{"stage": "a\\qb"}]}|:1: not JSON: a bad escape in a string
	{"stages": [{"stage": "x", "read": 01}]}|:1: not JSON: unexpected character (1)
	{"stages": [{"stage": "x", "read": 1.}]}|:1: not JSON: a bad number
	{"stages": [tru]}|:1: stages: a step that is not an object
	{"stages": [{"stage": "x", "exit": tru}]}|:1: not JSON: unexpected character (t)
	[{"stage": "x"}]|:1: not a run summary (not a JSON object)
	{"run": "2024"}|:1: stages: missing (not a run summary)
	{"stages": {"read": 1}}|:1: stages: not an array
	{"stages": [1]}|:1: stages: a step that is not an object
	{"stages": [{"read": 1, "accepted": 1, "rejected": 0, "merged": 0}]}|:1: stages: a step without stage, program or name
	{"stages": [{"stage": "x",\n "read": 1}]}|:2: x: not all of read, accepted, rejected and merged
	{"stages": [{"stage": "x", "read": "7"}]}|:1: read: not a count ("7")
	{"stages": [{"stage": "x", "read": -1}]}|:1: read: not a count (-1)
	{"stages": [{"stage": "x", "read": 1.5}]}|:1: read: not a count (1.5)
	{"stages": [{"stage": "x", "read": 99999999999999999999}]}|:1: read: not a count (99999999999999999999)
	{"stages": [{"stage": "x", "read": 1, "accepted": 9223372036854775807, "rejected": 1, "merged": 0}]}|:1: x: counts out of range
	EOF
	mkdir d
	run --separate-stderr alf-report reconcile -q --model "$R/model.json" \
	    --providers "$R/providers.csv" --summary d -o out.txt "$R/allocations.csv"
	assert_failure 3
	assert_equal "$stderr" "alf-report: d: read error: Is a directory"
	[ ! -e out.txt ]
}

@test "closing: allocated, invoiced, paid and settled per fund" {
	run alf-report closing -q --model "$R/model.json" --providers "$R/providers.csv" \
	    --format csv "$R/allocations.csv" "$R/invoices.csv"
	assert_success
	# SLSO is paid in twelfths, S:t Erik invoices
	assert_line 'Bokslut ALF,Stockholms läns sjukvårdsområde,3.2,22938260.00,0.00,22938260.00,0.00,0.00'
	assert_line 'Bokslut ALF,S:t Eriks sjukhus AB,3.2,1991091.00,1991091.00,0.00,0.00,0.00'
	assert_line 'Reservens användning (för senare utfördelning),3.2,ALF,22155464.00'
	assert_line --regexp '^Momskompensation,Capio S:t Görans Sjukhus AB,[0-9]+\.[0-9]{2}$'
	grep -q '^Bokslut HSF,' <<< "$output" || fail "no HSF table"
}

@test "quantity: student weeks against 10 per full-time employee" {
	run alf-report quantity -q --providers "$R/providers.csv" \
	    --activities "$R/activities.csv" --format csv
	assert_success
	# 225.34 HÅP × 40 = 9 013.6 weeks; 13 500 FTE × 10 = 135 000
	assert_line 'Studentveckor per vårdgivare,Stockholms läns sjukvårdsområde,13500,135000,9013.6,125986.4'
	assert_line 'Studentveckor per vårdgivare,Ersta Diakonisällskap,650,6500,0,6500'
	assert_line 'Studentveckor per vårdgivare,Totalt,,451680,47160.4,413225.6'
	run alf-report quantity --providers "$R/providers.csv"
	assert_failure 2
}

@test "compliance: reproduces Socialstyrelsen's Tabell 3 region figures" {
	C="$FIX/compliance"
	run alf-report compliance -q --units "$C/usve.csv" --format csv "$C/survey.csv"
	assert_success
	assert_line --index 0 'region,level,answered,met,percent'
	assert_equal "${#lines[@]}" $((1 + 8 * 29))
	# every printed region figure, level 1–27 and the mean; Totalt pooled
	awk -F, -v T="$C/tabell3.txt" '
	BEGIN {
		while ((getline l < T) > 0) {
			if (l ~ /^#/) continue
			n = split(l, f, " ")
			if (f[1] == "region") for (i = 2; i <= n; i++) reg[i - 1] = f[i]
			else if (f[1] == "mean" || f[1] ~ /^[0-9]+$/)
				for (i = 2; i <= n; i++)
					want[(i - 1 <= 7 ? reg[i - 1] : "Totalt") "," f[1]] = f[i]
		}
		# 004 l.2326: level 1 pools to 274 / 292 = 94 (printed 97)
		want["Totalt,1"] = 94
	}
	NR > 1 && ($1 "," $2) in want {
		seen++
		if ($5 != want[$1 "," $2]) { print "differs: " $0 " want " want[$1 "," $2]; bad++ }
	}
	END { if (seen != 8 * 28) { print "compared " seen; bad++ } exit bad > 0 }' <<< "$output" ||
	    fail "Tabell 3 differs"
	assert_line 'Stockholm,mean,72,,97'
	assert_line 'Totalt,mean,292,,92'
	assert_line 'Totalt,1,292,274,94'
	assert_line 'Totalt,13,292,172,59'
	assert_line 'Totalt,all,292,61,21'
}

@test "compliance: Tabell 2 from the register, failing units per level" {
	C="$FIX/compliance"
	alf-report compliance -q --units "$C/usve.csv" --format json -o "$W/c.json" "$C/survey.csv"
	run jq -c '.tables[0].rows[] | select(.[0] == "Skåne" or .[0] == "Östergötland" or .[0] == "Totalt")' "$W/c.json"
	assert_output '["Östergötland",42,41,98]
["Skåne",50,47,94]
["Totalt",296,292,99]'
	# level 13 fails 292 − 172 = 120 units
	run jq '[.tables[3].rows[] | select(.[0] == "13")] | length' "$W/c.json"
	assert_output 120
	printf 'region,usve,level,answer\nStockholm,STH-001,28,ja\nStockholm,NOPE,1,ja\nStockholm,STH-001,1,kanske\n' > "$W/s.csv"
	run alf-report compliance -q --units "$C/usve.csv" "$W/s.csv"
	assert_failure 1
	assert_line --partial "s.csv:2: level: not a level 1-27 (28)"
	assert_line --partial "s.csv:3: usve: not in the unit register (NOPE)"
	assert_line --partial "s.csv:4: answer: not ja, nej or ej_aktuell (kanske)"
}

@test "outputs are deterministic; --format is checked; /dev/full is exit 3" {
	budget --format json -o "$W/1.json"
	budget --format json -o "$W/2.json"
	cmp "$W/1.json" "$W/2.json"
	run budget --format pdf
	assert_failure 2
	assert_output --partial "--format: not text, csv, md, json, html or xlsx (pdf)"
	run budget -o /dev/full
	assert_failure 3
	run alf-report audit
	assert_failure 2
	assert_output --partial "unknown report kind (audit)"
}

@test "the real pipeline end to end: make demo's stages into the report" {
	S="$FIX/stockholm-2024"
	(cd "$S" && alf-ingest -q --year 2024 -o "$W/records.csv" hap.csv)
	alf-normalize -q --providers "$S/providers.csv" --year 2024 -o "$W/act.csv" "$W/records.csv"
	alf-allocate -q --model stockholm-2024 --providers "$S/providers.csv" -o "$W/alloc.csv" "$W/act.csv"
	run alf-report budget -q --model stockholm-2024 --providers "$S/providers.csv" "$W/alloc.csv"
	assert_success
	assert_line "Totalt                            7 680 tkr  10 570 tkr  0 tkr"
	assert_line "Stockholms läns sjukvårdsområde   1 468 tkr   2 020 tkr  0 tkr"
	assert_line "Totalt                            120 016 tkr  0 tkr  0 tkr"
}

@test "xlsx: no clock without a document date; too large for a cell is exit 3" {
	# no model, so no invoicing.file_date: 1980-01-01, never the clock
	alf-report budget -q --format xlsx -o "$W/1.xlsx" "$R/round-a.csv"
	sleep 1
	alf-report budget -q --format xlsx -o "$W/2.xlsx" "$R/round-a.csv"
	cmp "$W/1.xlsx" "$W/2.xlsx"
	run unzip -p "$W/1.xlsx" docProps/core.xml
	assert_output --partial '<dcterms:created xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:created>'
	# 10^13 kr is 10^15 öre: past what a double gives back to the öre
	printf '%s\n' 'year,line,title,fund,purpose,payer,provider,period,method,qty,uom,rate,amount' \
	    '2024,X,Stor,ALF,education,HSF,P1,2024,fixed,,,,10000000000000.00' > "$W/big.csv"
	mkdir "$W/tmp"
	TMPDIR="$W/tmp" run alf-report statement -q --provider P1 --format xlsx \
	    -o "$W/big.xlsx" "$W/big.csv"
	assert_failure 3
	assert_output 'alf-report: xlsx: Tilldelning per rad: 10000000000000.00: too large for an exact spreadsheet cell'
	assert [ ! -e "$W/big.xlsx" ]
	assert_equal "$(ls "$W/tmp")" ""
	# in whole kronor the same amount is 14 digits: it fits
	run alf-report statement -q --provider P1 --unit kr --format xlsx \
	    -o "$W/big.xlsx" "$W/big.csv"
	assert_success
}

@test "qty and rate are decimals or the row is rejected; other decimals stay text" {
	printf '%s\n' 'year,line,title,fund,purpose,payer,provider,period,method,qty,uom,rate,amount' \
	    '2024,X,T,ALF,education,HSF,P1,2024,rate,=1+2,weeks,10,30.00' \
	    '2024,X,T,ALF,education,HSF,P1,2024,rate,3,weeks,@SUM(A1),30.00' \
	    '2024,X,T,ALF,education,HSF,P1,2024,rate,3,weeks,10,30.00' > "$W/a.csv"
	run alf-report statement -q --provider P1 --format csv "$W/a.csv"
	assert_failure 1
	assert_line "alf-report: $W/a.csv:2: qty: not a number (=1+2)"
	assert_line "alf-report: $W/a.csv:3: rate: not a number (@SUM(A1))"
	assert_line 'Tilldelning per rad,X,T,ALF,HSF,2024,3,weeks,10,30.00'
	refute_output --regexp '(^|,)[=+@]'
	# 007.50 is a decimal but no JSON number: a string, and the JSON parses
	alf-report statement -q --provider P1 --format json -o "$W/o.json" "$R/ore.csv"
	run jq -c '.tables[0].rows[0], .tables[0].rows[1]' "$W/o.json"
	assert_output '["X","Öre","ALF","HSF","2024","007.50","weeks",0.07,0.07]
["X","Öre","ALF","HSF","2024-H1",3,"weeks",3333333.33,999999999999.99]'
}

@test "compliance csv: a region a spreadsheet would run is neutralised" {
	printf '%s\n' 'region,usve,name' '@SUM(A1),U1,Enhet 1' '=1+2,U2,Enhet 2' > "$W/u.csv"
	printf '%s\n' 'region,usve,level,answer' '@SUM(A1),U1,1,ja' '=1+2,U2,1,nej' > "$W/s.csv"
	run alf-report compliance -q --units "$W/u.csv" --format csv "$W/s.csv"
	assert_success
	assert_line "'@SUM(A1),1,1,1,100"
	assert_line "'=1+2,1,1,0,0"
	assert_line 'Totalt,1,2,1,50'
	refute_output --regexp '(^|,)[=+@-]'
}

@test "reconcile: documents without allocations, recharges leaving the providers" {
	cp "$R/invoices.csv" "$W/inv.csv"
	# Falck has no allocation, yet invoices HSF
	echo '2024-FALCK-HSF-H1,invoice,,FALCK,HSF,2024-07-01,2024-07-31,2024-H1,1,3.2,Grundutbildning läkare,,,,5000.00' >> "$W/inv.csv"
	# one recharge between two providers, one to Övriga, which is no party
	echo '2024-FALCK-AISAB-H1,recharge,,FALCK,AISAB,2024-07-01,2024-07-31,2024-H1,1,ambulans,Ambulans,,,,300.00' >> "$W/inv.csv"
	echo '2024-SAMAR-OVRIGA-H1,recharge,,SAMAR,OVRIGA,2024-07-01,2024-07-31,2024-H1,1,ambulans,Ambulans,,,,200.00' >> "$W/inv.csv"
	run alf-report reconcile -q --model "$R/model.json" --providers "$R/providers.csv" \
	    --format csv "$R/allocations.csv" "$W/inv.csv"
	assert_failure 1
	assert_line 'alf-report: reconcile: fakturerat = tilldelat: HSF – FALCK: expected 0.00, found 5000.00'
	assert_line 'alf-report: reconcile: vidarefakturering netto noll: utfärdat − mottaget: expected 500.00, found 300.00'
	assert_line 'Kontroller,fakturerat = tilldelat,HSF – FALCK,0.00,5000.00,5000.00,FEL'
	assert_equal "$(grep -c ',FEL$' <<< "$output")" 2
}

@test "statement: a provider not in providers.csv is a usage error" {
	run alf-report statement --provider NOPE --providers "$R/providers.csv" \
	    -o "$W/s.txt" "$R/allocations.csv" "$R/invoices.csv"
	assert_failure 2
	assert_output 'alf-report: --provider: not in providers.csv (NOPE)'
	assert [ ! -e "$W/s.txt" ]
}

@test "budget: the title is the model's name, not the path it was read from" {
	run budget
	assert_success
	assert_line --index 0 'stockholm-2024'
	refute_output --partial 'model.json'
}

@test "statement: per line what was invoiced, paid and settled against it" {
	st() { alf-report statement -q --provider "$1" --model "$R/model.json" \
	    --providers "$R/providers.csv" --format csv "$R/allocations.csv" "$R/invoices.csv"; }
	# Capio invoices its half-years; SLSO is paid in twelfths
	run st CAPIO
	assert_success
	assert_line 'Tilldelat och betalt per rad,3.2,1818041.00,1818041.00,0.00,0.00,0.00'
	assert_line 'Tilldelat och betalt per rad,Totalt,61443498.00,61443498.00,0.00,0.00,0.00'
	run st SLSO
	assert_success
	assert_line 'Tilldelat och betalt per rad,3.2,22938260.00,0.00,22938260.00,0.00,0.00'
	# nothing is left on any line
	run awk -F, '$1 == "Tilldelat och betalt per rad" && $NF != "0.00"' <<< "$output"
	assert_output ''
}
