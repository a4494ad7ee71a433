#!/usr/bin/env bats
# alf-invoice --format sie: the payer's SIE 4 file per spec/SIE.md, decoded
# from CP437 and every voucher checked to balance in öre.
load helper
setup() { common_setup; }

I="$ROOT/fixtures/invoice"

sie() {
	alf-invoice -q --model stockholm-2024 --providers "$I/providers.csv" \
	    --activities "$I/activities.csv" --format sie "$@" 2>/dev/null
}

# vouchers that do not sum to zero, and the count of those that do
BALANCE='function ore(s,  neg, n, p) { neg = s ~ /^-/; sub(/^-/, "", s);
	n = split(s, p, "."); return (neg ? -1 : 1) * (p[1] * 100 + (n > 1 ? p[2] + 0 : 0)) }
	/^#VER/ { v = $0; s = 0; t = 0 }
	/^#TRANS/ { s += ore($4); t++ }
	/^}/ { if (s != 0 || t < 2) print "unbalanced: " v; else ok++ }
	END { print "balanced", ok }'

@test "SIE 4 in CP437: header records, #KONTO with names, each #VER balances" {
	sie -o out.se --plan "$I/allocations.csv" "$I/allocations-final.csv"
	# CP437, not UTF-8: å is 0x86, ä 0x84, ö 0x94
	run bash -c "grep -c \$'\\xc3' out.se"
	assert_output "0"
	run bash -c "grep -c \$'Leverant\\x94rsskulder' out.se"
	assert_output "1"
	iconv -f CP437 -t UTF-8 out.se > out.txt
	run head -12 out.txt
	assert_line --index 0 "#FLAGGA 0"
	assert_line --index 1 '#PROGRAM "alf" "1"'
	assert_line --index 2 "#FORMAT PC8"
	assert_line --index 3 "#GEN 20250131"
	assert_line --index 4 "#SIETYP 4"
	assert_line --index 5 '#FNAMN "Region Stockholm, Hälso- och sjukvårdsförvaltningen"'
	assert_line --index 6 "#ORGNR 232100-0016"
	assert_line --index 7 "#RAR 0 20240101 20241231"
	assert_line --index 8 '#KONTO 2440 "Leverantörsskulder"'
	assert_line --index 9 '#KONTO 5870 "Utbildningsersättning ALF"'
	assert_line --index 10 '#KONTO 5871 "Utbildningsersättning HSF"'
	assert_line --index 11 '#KONTO 5872 "Momskompensation"'
	run awk "$BALANCE" out.txt
	refute_output --partial "unbalanced"
	# every account in a #TRANS has its #KONTO
	run awk '/^#KONTO/ { k[$2] = 1 } /^#TRANS/ && !($2 in k) { print "no #KONTO " $2 }' out.txt
	assert_output ""
	# { and } alone on their lines, after each #VER
	run awk '/^#VER/ { getline l; if (l != "{") print "bad " $0 }' out.txt
	assert_output ""
}

@test "one voucher per HSF and RLK document, each payer its series, numbers unique" {
	sie -o out.se -- "$I/allocations.csv"
	alf-invoice -q --model stockholm-2024 --providers "$I/providers.csv" \
	    --activities "$I/activities.csv" -o inv.csv "$I/allocations.csv" 2>/dev/null
	iconv -f CP437 -t UTF-8 out.se > out.txt
	# documents of HSF and RLK (same org nr), recharges and KI's excluded
	want=$(awk -F, 'NR > 1 && $2 != "recharge" && ($4 == "HSF" || $5 == "HSF" || $5 == "RLK") { print $1 }' inv.csv | sort -u | wc -l)
	assert_equal "$(grep -c '^#VER' out.txt)" "$want"
	run grep -c '^#VER "B" ' out.txt
	assert_output "8"
	run grep -c 'KI\|KS-H[12] \|AISAB-H[12] ' out.txt
	assert_output "0"
	run awk '/^#VER/ { k = $2 " " $3; if (k in seen) print "dup " k; seen[k] = 1 }' out.txt
	assert_output ""
	# the voucher of a private provider's invoice: costs + VAT comp = debt
	run awk '/^#VER "A" [0-9]+ 20240701 "2024-ERSTA-HSF-H1 /,/^}/' out.txt
	assert_output '#VER "A" 57 20240701 "2024-ERSTA-HSF-H1 Ersta Diakonisällskap"
{
#TRANS 5871 {} 1002334.00
#TRANS 5872 {} 60140.04
#TRANS 2440 {} -1062474.04
}'
	# Σ cost = Σ net of those documents, to the öre
	sie_sum=$(awk '/^#TRANS/ && $2 != 2440 { s += $4 * 100 } END { printf "%.0f", s }' out.txt)
	csv_sum=$(awk -F, 'NR > 1 && $2 != "recharge" && ($4 == "HSF" || $5 == "HSF" || $5 == "RLK") { s += $NF * 100 } END { printf "%.0f", s }' inv.csv)
	assert_equal "$sie_sum" "$csv_sum"
}

@test "--payer KI: the university's own file, series C, its account 5873" {
	sie --payer KI -o out.se "$I/allocations.csv"
	iconv -f CP437 -t UTF-8 out.se > out.txt
	run grep -E '^#(FNAMN|ORGNR|KONTO|VER|TRANS)' out.txt
	assert_output '#FNAMN "Karolinska Institutet"
#ORGNR 202100-2973
#KONTO 2440 "Leverantörsskulder"
#KONTO 5872 "Momskompensation"
#KONTO 5873 "VIL-ersättning lärosäten"
#VER "C" 1 20240701 "2024-CAPIO-KI-H1 Capio S:t Görans Sjukhus AB"
#TRANS 5872 {} 630.00
#TRANS 5873 {} 10500.00
#TRANS 2440 {} -11130.00'
}

@test "corrections and the settlement are booked; later ones at the year's end" {
	alf-invoice -q --model stockholm-2024 --providers "$I/providers.csv" \
	    --activities "$I/activities.csv" --issued "$I/issued.csv" --plan "$I/allocations.csv" \
	    --format sie -o out.se "$I/allocations-changed.csv" 2>/dev/null || [ $? -eq 1 ]
	iconv -f CP437 -t UTF-8 out.se > out.txt
	run awk "$BALANCE" out.txt
	refute_output --partial "unbalanced"
	run grep -A4 "2024-ERSTA-HSF-H1-C1" out.txt
	assert_output --partial '20241201 "2024-ERSTA-HSF-H1-C1 Ersta Diakonisällskap"'
	assert_output --partial '#TRANS 5871 {} -2500.00'
	assert_output --partial '#TRANS 5872 {} -150.00'
	assert_output --partial '#TRANS 2440 {} 2650.00'
	run grep '2024-SESAB-HSF-H2-C1' out.txt
	assert_output --partial ' 20241231 "2024-SESAB-HSF-H2-C1 '
}

@test "a model without the payer's series or accounts: exit 2, nothing published" {
	jq 'del(.payers.HSF.series)' "$MODELS/stockholm-2024.json" > m.json
	run alf-invoice --model "$W/m.json" --providers "$I/providers.csv" --format sie -o out.se "$I/allocations.csv"
	assert_failure 2
	assert_output --partial "payer.HSF.series: missing"
	[ ! -e out.se ]
	jq 'del(.accounts."vat-comp")' "$MODELS/stockholm-2024.json" > m.json
	run alf-invoice --model "$W/m.json" --providers "$I/providers.csv" --format sie -o out.se "$I/allocations.csv"
	assert_failure 2
	assert_output --partial "accounts.vat-comp: missing"
	[ ! -e out.se ]
}
