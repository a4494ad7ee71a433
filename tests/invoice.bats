#!/usr/bin/env bats
# alf-invoice: invoices.csv per CONTRACTS "invoices.csv" on the fixtures in
# fixtures/invoice/ (Stockholm 2024 model; allocations made by alf-allocate
# from activities.csv, allocations-changed/-final edited by hand).
load helper
setup() { common_setup; }

I="$ROOT/fixtures/invoice"

inv() {
	alf-invoice --model stockholm-2024 --providers "$I/providers.csv" "$@"
}

# öre sums per document of a CSV column, computed without floating point
# rounding: every amount is turned into an integer of öre first
AWK_ORE='function ore(s,  neg, n, p) { neg = s ~ /^-/; sub(/^-/, "", s);
	n = split(s, p, "."); return (neg ? -1 : 1) * (p[1] * 100 + (n > 1 ? p[2] + 0 : 0)) }
	function vat(x,  a, r) { a = x < 0 ? -x : x; r = int((a * 6 + 50) / 100); return x < 0 ? -r : r }'

# column values by name: netof FILE DOC LINE → the net of that line
netof() {
	awk -F, -v d="$2" -v l="$3" '$1 == d && $10 == l { print $NF }' "$1"
}

@test "half-year invoices split annual amounts H1 = half rounded down, H2 the rest" {
	run inv --activities "$I/activities.csv" -o out.csv "$I/allocations.csv"
	assert_success
	# SESAB 3.2: 1 991 091 kr → 995 545 + 995 546
	assert_equal "$(netof out.csv 2024-SESAB-HSF-H1 3.2)" "995545.00"
	assert_equal "$(netof out.csv 2024-SESAB-HSF-H2 3.2)" "995546.00"
	# issue dates from invoicing.dates, due = issue + 30 days
	run awk -F, '$1 == "2024-SESAB-HSF-H2" { print $5, $6, $7, $8 }' out.csv
	assert_line --index 0 "HSF 2024-12-01 2024-12-31 2024-H2"
	# a rate line bills the half it was earned in (APL 10 weeks × 700, H1)
	run grep '^2024-SODERTALJE-HSF-H1,.*,4.5.2,APL,10,weeks,700,7000.00$' out.csv
	assert_success
	run grep '^2024-SODERTALJE-HSF-H2,.*,4.5.2,' out.csv
	assert_failure
	# 3.11 goes to RLK, 3.5 to the university
	assert_equal "$(netof out.csv 2024-SLSO-RLK-H1 3.11)" "820000.00"
	assert_equal "$(netof out.csv 2024-CAPIO-KI-H1 3.5)" "10500.00"
}

@test "every allocation is documented exactly once: Σ per payer and provider" {
	run inv --activities "$I/activities.csv" --check -o out.csv "$I/allocations.csv"
	assert_success
	# invoiceable providers' allocations = Σ net of their documents (VAT comp aside)
	# (titles may hold quoted commas: allocation columns counted from the end)
	alloc=$(awk -F, "$AWK_ORE"' NR > 1 && $(NF-6) != "RESERV" && $(NF-6) != "OVRIGA" { s += ore($NF) } END { printf "%.0f", s }' "$I/allocations.csv")
	docs=$(awk -F, "$AWK_ORE"' NR > 1 && $2 != "recharge" && $10 != "vat-comp" { s += ore($NF) } END { printf "%.0f", s }' out.csv)
	assert_equal "$docs" "$alloc"
}

@test "the reserve row gets no document: a note, exit 0" {
	run inv --activities "$I/activities.csv" -o out.csv "$I/allocations.csv"
	assert_success
	assert_output --partial "note: RESERV is not invoiceable: 6 allocation rows get no document"
	run grep -c 'RESERV' out.csv
	assert_output "0"
}

@test "VAT compensation: last line of every payer↔private document, 6 % to the öre" {
	run inv --activities "$I/activities.csv" -o out.csv "$I/allocations.csv"
	assert_success
	run awk -F, "$AWK_ORE"'
		NR == FNR { if (FNR > 1) priv[$1] = ($4 == "private"); next }
		FNR == 1 { next }
		{ last[$1] = $10; kind[$1] = $2; if ($10 == "vat-comp") v[$1] = ore($NF); else s[$1] += ore($NF)
		  prov[$1] = ($2 == "invoice" ? $4 : $5); n[$1]++ }
		END { for (d in kind) {
			want = (kind[d] != "recharge" && priv[prov[d]])
			if (want && last[d] != "vat-comp") print "missing " d
			if (!want && (d in v)) print "unexpected " d
			if (want && v[d] != vat(s[d])) print "wrong " d, v[d], vat(s[d])
			if (want) ok++ }
		  print "ok", ok }' "$I/providers.csv" out.csv
	assert_output "ok 7"
	assert_equal "$(netof out.csv 2024-CAPIO-KI-H1 vat-comp)" "630.00"
	assert_equal "$(netof out.csv 2024-ERSTA-HSF-H1 vat-comp)" "60140.04"
	assert_equal "$(netof out.csv 2024-AISAB-HSF-H1 vat-comp)" "48180.00"
}

@test "twelfths of the plan and the year-end settlement final − paid" {
	run inv --activities "$I/activities.csv" --plan "$I/allocations.csv" --check \
	    -o out.csv "$I/allocations-final.csv"
	assert_success
	# SLSO 3.2 plan 22 938 260: 1 911 521 a month, 8 kronor left to M01–M08
	run awk -F, '$2 == "payment" && $5 == "SLSO" && $10 == "3.2" { print $1, $5, $6, $NF }' out.csv
	assert_line --index 0 "2024-HSF-SLSO-M01 SLSO 2024-01-25 1911522.00"
	assert_line --index 7 "2024-HSF-SLSO-M08 SLSO 2024-08-25 1911522.00"
	assert_line --index 8 "2024-HSF-SLSO-M09 SLSO 2024-09-25 1911521.00"
	assert_line --index 11 "2024-HSF-SLSO-M12 SLSO 2024-12-25 1911521.00"
	sum=$(awk -F, '$2 == "payment" && $5 == "SLSO" && $10 == "3.2" { s += $NF * 100 } END { printf "%.0f", s }' out.csv)
	assert_equal "$sum" "2293826000"
	# settlement = final − paid: 23 040 054 − 22 938 260
	assert_equal "$(netof out.csv 2024-HSF-SLSO-Y 3.2)" "101794.00"
	run awk -F, '$1 == "2024-HSF-SLSO-Y" { print $2, $6 }' out.csv
	assert_output "settlement 2025-01-31"
	# a plan line no longer allocated settles negative; a new one in full
	assert_equal "$(netof out.csv 2024-HSF-KS-Y 5.4.2)" "-600000.00"
	assert_equal "$(netof out.csv 2024-HSF-SOS-Y 4.3-patologi)" "100000.00"
	# per monthly provider and HSF line: payments + settlement = final
	run awk -F, "$AWK_ORE"'
		NR == FNR { if (FNR > 1 && $(NF-7) == "HSF" && $(NF-6) ~ /^(SLSO|DS|KS|SOS)$/) a[$(NF-6) "|" $2] += ore($NF); next }
		FNR > 1 && ($2 == "payment" || $2 == "settlement") { p[$5 "|" $10] += ore($NF) }
		END { for (k in a) if (a[k] != p[k]) print "bad " k, a[k], p[k]
		      for (k in p) if (!(k in a) && p[k] != 0) print "extra " k; print "done" }' \
	    "$I/allocations-final.csv" out.csv
	assert_output "done"
	# the monthly providers' HSF lines are never invoiced
	run grep -c '^2024-\(SLSO\|DS\|KS\|SOS\)-HSF-' out.csv
	assert_output "0"
}

@test "without --plan the allocations are the plan: no settlement" {
	run inv -o out.csv "$I/allocations.csv"
	assert_success
	assert_output --partial "note: no --activities: no detail lines and no recharges"
	run grep -c ',settlement,\|,recharge,' out.csv
	assert_output "0"
}

@test "detail lines apportion the allocation exactly in öre (largest remainder)" {
	run inv --activities "$I/activities.csv" -o out.csv "$I/allocations.csv"
	assert_success
	# LIA 2 334 kr over 1.111 and 2.223 weeks: 777.766… and 1 556.233…
	run grep '^2024-ERSTA-HSF-H1,.*,4.5.3,' out.csv
	assert_line --index 0 --partial ',4.5.3,LIA: Medicinsk sekreterare,2.223,weeks,700,1556.23'
	assert_line --index 1 --partial ',4.5.3,LIA: Undersköterska,1.111,weeks,700,777.77'
	# social work per student and university
	run grep '^2024-CAPIO-HSF-H2,.*,4.5.4,' out.csv
	assert_line --index 0 --partial ',"VFU för socionomstuderande: c0000000000000000001, SU",2.5,weeks,688,1720.00'
	assert_line --index 1 --partial ',"VFU för socionomstuderande: c0000000000000000002, SH",3,weeks,688,2064.00'
}

@test "--names puts the person's name on a detail line" {
	printf 'person,name\nd0000000000000000001,Anna Andersson\n' > names.csv
	run inv --activities "$I/activities.csv" --names names.csv -o out.csv "$I/allocations.csv"
	assert_success
	run grep -c 'naprapater och kiropraktorer: Anna Andersson,4,weeks,2500,10000.00$' out.csv
	assert_output "1"
	run grep -c 'd0000000000000000001' out.csv
	assert_output "0"
}

@test "recharges: svk, logoped, st-sido after 3 months, fixed amounts; never VAT" {
	run inv --activities "$I/activities.csv" -o out.csv "$I/allocations.csv"
	assert_success
	run awk -F, '$2 == "recharge" { print $1, $4, $5, $6, $10, $12, $13, $14, $NF }' out.csv
	# st-sido: months 02–08 at SOS, the first 3 skipped; 55 000 kr a month
	assert_output "2024-SLSO-SOS-H1 SLSO SOS 2024-07-01 st-sido 2 months  110000.00
2024-SLSO-SOS-H2 SLSO SOS 2024-12-01 st-sido 1.5161 months  83385.50
2024-DS-KS-H1 DS KS 2024-07-01 svk 4 weeks 2544.85 10179.40
2024-SOS-KS-H1 SOS KS 2024-07-01 logoped 3 weeks 2500 7500.00
2024-CAPIO-KS-H2 CAPIO KS 2024-12-01 svk 2 weeks 2544.85 5089.70
2024-FALCK-AISAB-H1 FALCK AISAB 2024-07-01 ambulans    150000.00
2024-FALCK-AISAB-H2 FALCK AISAB 2024-12-01 ambulans    150000.00
2024-SAMAR-AISAB-H1 SAMAR AISAB 2024-07-01 ambulans    100000.00
2024-SAMAR-AISAB-H2 SAMAR AISAB 2024-12-01 ambulans    100000.00"
	# recharges leave the allocation totals alone: the payer documents'
	# totals are the same with and without them
	inv -q -o plain.csv "$I/allocations.csv" 2>/dev/null
	tot='$2 != "recharge" { s[$1] += $NF * 100 } END { for (d in s) printf "%s %.0f\n", d, s[d] }'
	run bash -c "awk -F, '$tot' out.csv | sort | sha256sum; awk -F, '$tot' plain.csv | sort | sha256sum"
	assert_equal "${lines[0]}" "${lines[1]}"
}

@test "--issued: documents written unchanged, one correction per changed document" {
	run inv --activities "$I/activities.csv" --issued "$I/issued.csv" -o out.csv \
	    "$I/allocations-changed.csv"
	# the H2 correction falls after the deadline: reported, exit 1
	assert_failure 1
	assert_output --partial "2024-SESAB-HSF-H2-C1: issued 2025-01-31, after the deadline 2024-12-01"
	refute_output --partial "2024-SESAB-HSF-H1-C1: issued"
	# issued rows byte for byte
	run bash -c "tail -n +2 '$I/issued.csv' | grep -vxFf out.csv"
	assert_output ""
	# ERSTA: naprapath 4 → 3 weeks: −2 500.00 and its VAT −150.00, a credit
	run awk -F, '$1 == "2024-ERSTA-HSF-H1-C1" { print $2, $3, $6, $7, $8, $9, $10, $NF }' out.csv
	assert_line --index 0 "credit 2024-ERSTA-HSF-H1 2024-12-01 2024-12-31 2024-H1 1 4.5.5 -2500.00"
	assert_line --index 1 "credit 2024-ERSTA-HSF-H1 2024-12-01 2024-12-31 2024-H1 2 vat-comp -150.00"
	# SESAB 3.2 19.56 → 20.56 HÅP: each half + 50 897 (1 046 442 / 1 046 443)
	run awk -F, '$3 ~ /SESAB/ { print $1, $2, $6, $10, $NF }' out.csv
	assert_line --index 0 "2024-SESAB-HSF-H1-C1 debit 2024-12-01 3.2 50897.00"
	assert_line --index 1 "2024-SESAB-HSF-H2-C1 debit 2025-01-31 3.2 50897.00"
	# unchanged issued documents get no correction; payments keep amounts
	run grep -c '^2024-DS-KS-H1-C\|^2024-HSF-SLSO-M01-C' out.csv
	assert_output "0"
	# and Σ still matches the new allocations
	run inv --activities "$I/activities.csv" --issued "$I/issued.csv" --check -o out2.csv \
	    "$I/allocations-changed.csv"
	refute_output --partial "check:"$' '"HSF"
	refute_output --partial "VAT compensation"
}

@test "a second correction takes the next number and only the new difference" {
	inv -q --activities "$I/activities.csv" --issued "$I/issued.csv" -o first.csv \
	    "$I/allocations-changed.csv" 2>/dev/null || true
	grep -E '^doc,|^2024-ERSTA-HSF-H1' first.csv > issued2.csv
	sed 's/,ERSTA,2024-H1,rate,3,weeks,2500,7500.00$/,ERSTA,2024-H1,rate,2,weeks,2500,5000.00/' \
	    "$I/allocations-changed.csv" > changed2.csv
	run inv --activities "$I/activities.csv" --issued issued2.csv -o out.csv changed2.csv
	run awk -F, '$1 ~ /^2024-ERSTA-HSF-H1-C/ { print $1, $10, $NF }' out.csv
	assert_output "2024-ERSTA-HSF-H1-C1 4.5.5 -2500.00
2024-ERSTA-HSF-H1-C1 vat-comp -150.00
2024-ERSTA-HSF-H1-C2 4.5.5 -2500.00
2024-ERSTA-HSF-H1-C2 vat-comp -150.00"
}

@test "deadline: an invoice issued after invoicing.deadline is written and reported" {
	jq '.invoicing.dates.H2 = "2024-12-15"' "$MODELS/stockholm-2024.json" > late.json
	run alf-invoice --model "$W/late.json" --providers "$I/providers.csv" -o out.csv "$I/allocations.csv"
	assert_failure 1
	assert_output --partial "2024-CAPIO-HSF-H2: issued 2024-12-15, after the deadline 2024-12-01"
	refute_output --partial "2024-CAPIO-HSF-H1: issued"
	# payments and settlements have no deadline
	refute_output --partial "2024-HSF-SLSO-M12: issued"
	run grep -c '^2024-CAPIO-HSF-H2,' out.csv
	assert_output "10"
}

@test "--check fails naming the payer and provider when documents do not cover the allocations" {
	inv -q -o base.csv "$I/allocations.csv" 2>/dev/null
	{ head -1 base.csv; grep '^2024-SESAB-HSF-H1,' base.csv; } > issued.csv
	# an issued settlement that paid too much stays; the check reports it
	printf '2024-HSF-SLSO-Y,settlement,,HSF,SLSO,2025-01-31,2025-01-31,2024,1,3.2,Grundutbildning läkare,,,,1.00\n' >> issued.csv
	run inv --issued issued.csv --check -o out.csv "$I/allocations.csv"
	assert_failure 1
	assert_output --partial "check: HSF SLSO: documents"
	run grep -c '^2024-HSF-SLSO-Y,settlement,,HSF,SLSO,2025-01-31,2025-01-31,2024,1,3.2,Grundutbildning läkare,,,,1.00$' out.csv
	assert_output "1"
}

@test "bad rows: unknown provider, unknown payer, negative amount: rejected with FILE:LINE, exit 1" {
	{ cat "$I/allocations.csv"
	  echo '2024,4.5.2,APL,HSF,education,HSF,NOSUCH,2024-H1,rate,1,weeks,700,700.00'
	  echo '2024,4.5.2,APL,HSF,education,XYZ,SESAB,2024-H1,rate,1,weeks,700,700.00'
	  echo '2024,4.5.2,APL,HSF,education,HSF,SESAB,2024-H1,rate,1,weeks,700,-700.00'; } > bad.csv
	run inv --rejects rej.csv -o out.csv bad.csv
	assert_failure 1
	assert_output --partial "bad.csv:81: provider: not in providers.csv (NOSUCH)"
	assert_output --partial "bad.csv:82: payer: not a payer of the model (XYZ)"
	assert_output --partial "bad.csv:83: amount: not an amount >= 0 (-700.00)"
	assert_output --partial "82 read, 79 accepted, 3 rejected"
	[ -f out.csv ]
	run grep -c 'NOSUCH\|XYZ' out.csv
	assert_output "0"
}

@test "model without invoicing dates or accounts: exit 2, nothing published" {
	jq 'del(.invoicing.dates)' "$MODELS/stockholm-2024.json" > nodates.json
	run alf-invoice --model "$W/nodates.json" --providers "$I/providers.csv" -o out.csv "$I/allocations.csv"
	assert_failure 2
	assert_output --partial "invoicing.dates.H1"
	[ ! -e out.csv ]
	jq 'del(.accounts.HSF)' "$MODELS/stockholm-2024.json" > noacct.json
	run alf-invoice --model "$W/noacct.json" --providers "$I/providers.csv" -o out.csv "$I/allocations.csv"
	assert_failure 2
	assert_output --partial "accounts.HSF: missing"
	[ ! -e out.csv ]
}

@test "an issued or plan file that is not the contract: exit 2 naming FILE:LINE" {
	printf 'doc,kind\n2024-X-HSF-H1,invoice\n' > issued.csv
	run inv --issued issued.csv -o out.csv "$I/allocations.csv"
	assert_failure 2
	assert_output --partial "corrects"
	[ ! -e out.csv ]
	{ head -3 "$I/issued.csv"; echo '2024-SESAB-HSF-H9,bill,,SESAB,HSF,2024-07-01,2024-07-31,2024-H1,1,3.2,x,,,,1.00'; } > issued.csv
	run inv --issued issued.csv -o out.csv "$I/allocations.csv"
	assert_failure 2
	assert_output --partial "issued.csv:4: kind: not a document kind (bill)"
	[ ! -e out.csv ]
	{ head -3 "$I/allocations.csv"; echo '2024,3.2,x,ALF,education,HSF,SLSO,2024,rate,1,hap,1,-5.00'; } > plan.csv
	run inv --plan plan.csv -o out.csv "$I/allocations.csv"
	assert_failure 2
	assert_output --partial "plan.csv:4: amount: not an amount >= 0 (-5.00)"
	[ ! -e out.csv ]
}

@test "same inputs, same bytes; a full disk is exit 3" {
	inv -q --activities "$I/activities.csv" -o a.csv "$I/allocations.csv" 2>/dev/null
	inv -q --activities "$I/activities.csv" -o b.csv "$I/allocations.csv" 2>/dev/null
	cmp a.csv b.csv
	run inv -q --activities "$I/activities.csv" -o /dev/full "$I/allocations.csv"
	assert_failure 3
}

@test "money sums never wrap: an overflowing total is exit 3, nothing published" {
	# each row fits in öre; their sum per payer and provider does not
	{ head -1 "$I/allocations.csv"
	  echo '2024,3.6,x,HSF,education,HSF,SESAB,2024,fixed,,,,50000000000000000.00'
	  echo '2024,3.7-hsf,x,HSF,education,HSF,SESAB,2024,fixed,,,,50000000000000000.00'; } > big.csv
	run inv --check -o out.csv big.csv
	assert_failure 3
	assert_output --partial "arithmetic overflow"
	[ ! -e out.csv ]
}

@test "--check: VAT compensation is owed with a private provider even when a document lacks it" {
	inv -q -o base.csv "$I/allocations.csv" 2>/dev/null
	# SOS's January payment, issued while SOS was region-owned: no vat-comp
	{ head -1 base.csv; grep '^2024-HSF-SOS-M01,' base.csv; } > issued.csv
	sed 's/^SOS,Södersjukhuset AB,559900-0022,region,/SOS,Södersjukhuset AB,559900-0022,private,/' \
	    "$I/providers.csv" > providers.csv
	run alf-invoice --model stockholm-2024 --providers providers.csv --issued issued.csv \
	    --check -o out.csv "$I/allocations.csv"
	assert_failure 1
	# 6 % of 101 167 + 57 667 + 75 584 + 41 417 + 53 167 + 1 636 834 + 7 119 000 + 150 000
	assert_output --partial "check: 2024-HSF-SOS-M01: VAT compensation 0.00, rate x net 554090.16"
	refute_output --partial "2024-HSF-SOS-M02: VAT"
	# the later payments carry it
	assert_equal "$(netof out.csv 2024-HSF-SOS-M02 vat-comp)" "554090.16"
}

@test "--issued rows are taken only as written back byte for byte: line numbers, amounts, dates" {
	hdr=$(head -1 "$I/issued.csv")
	row=$(grep '^2024-SESAB-HSF-H1,.*,1,3.2,' "$I/issued.csv")
	for bad in "line_no:7:${row/,1,3.2,/,7,3.2,}" \
	    "net:1.5:${row/995545.00/1.5}" \
	    "issue_date:2024-7-01:${row/2024-07-01/2024-7-01}"; do
		col=${bad%%:*}; rest=${bad#*:}; val=${rest%%:*}; line=${rest#*:}
		printf '%s\n%s\n' "$hdr" "$line" > issued.csv
		run inv --issued issued.csv -o out.csv "$I/allocations.csv"
		assert_failure 2
		assert_output --partial "issued.csv:2: $col: "
		assert_output --partial "($val)"
		[ ! -e out.csv ]
	done
	# two rows of one document that disagree on its date
	{ echo "$hdr"; grep '^2024-SESAB-HSF-H1,' "$I/issued.csv" | sed '2s/2024-07-31/2024-08-31/'; } > issued.csv
	run inv --issued issued.csv -o out.csv "$I/allocations.csv"
	assert_failure 2
	assert_output --partial "issued.csv:3: doc: rows of one document disagree (2024-SESAB-HSF-H1)"
}

@test "a correction of a line whose title changed too is one line: the difference, under the new title" {
	# the issued recharge says "svk" (an older title); 4 → 5 SVK weeks
	sed 's/^\(klipp.csv:2:2024-H1,.*,lak-svk,\)4,/\15,/' "$I/activities.csv" > act.csv
	run inv --activities act.csv --issued "$I/issued.csv" -o out.csv "$I/allocations.csv"
	run awk -F, '$1 == "2024-DS-KS-H1-C1" { print $2, $3, $9, $10, $11, $NF }' out.csv
	assert_output "debit 2024-DS-KS-H1 1 svk SVK – deltagande enhet 2544.85"
}

@test "recharge 4.3.2: the employing provider invoices SLSO the month rate by specialty" {
	# 002 §4.3.2: 50 000 kr/month in general medicine, 31 500 in the others;
	# the model's two recharge rules, since a rule has one price
	{ cat "$I/activities.csv"
	  echo 'hr.csv:9:2024-03,2024,2024-03,CAPIO,,,Allmänmedicin,,g0000000000000000001,,st,1,months,hr.csv:9'
	  echo 'hr.csv:9:2024-07,2024,2024-07,CAPIO,,,Allmänmedicin,,g0000000000000000001,,st,0.5,months,hr.csv:9'
	  echo 'hr.csv:10:2024-04,2024,2024-04,ERSTA,,,Psykiatri,,g0000000000000000002,,st,1,months,hr.csv:10'
	  echo 'hr.csv:11:2024-04,2024,2024-04,SLSO,,,Psykiatri,,g0000000000000000003,,st,1,months,hr.csv:11'; } > act.csv
	run alf-invoice --model stockholm-2024 --providers "$I/providers.csv" --activities act.csv --check \
	    -o out.csv "$I/allocations.csv"
	assert_success
	run awk -F, '$2 == "recharge" && $5 == "SLSO" && $10 ~ /^4[.]3[.]2/ { print $1, $10, $12, $14, $NF }' out.csv
	# SLSO's own ST doctor is no recharge; never VAT compensation
	assert_output "2024-CAPIO-SLSO-H1 4.3.2-am 1 50000 50000.00
2024-CAPIO-SLSO-H2 4.3.2-am 0.5 50000 25000.00
2024-ERSTA-SLSO-H1 4.3.2 1 31500 31500.00"
}

@test "--activities is summed as it is read: memory grows with the groups, not the rows" {
	# rows no detail line or recharge selects (VIL weeks, BT side service):
	# ten times the rows, the same peak (it was 16 and 100 MiB)
	awk -v n=20000 -v seed=1 -f "$ROOT/bench/gen-activities.awk" > a20.csv
	awk -v n=200000 -v seed=1 -f "$ROOT/bench/gen-activities.awk" > a200.csv
	for n in 20 200; do
		/usr/bin/time -f %M -o rss$n alf-invoice -q --model stockholm-2024 \
		    --providers "$I/providers.csv" --activities a$n.csv -o out$n.csv \
		    "$I/allocations.csv" 2>/dev/null
	done
	cmp out20.csv out200.csv
	run awk -v a="$(tail -1 rss20)" -v b="$(tail -1 rss200)" 'BEGIN { print (b - a < 8192) ? "flat" : "grows " a " " b }'
	assert_output "flat"
}
