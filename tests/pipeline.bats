#!/usr/bin/env bats
# The whole pipeline on Stockholm 2024's fixtures: the directive's
# published figures (002 §3.2, §3.3) must come out to the krona.
load helper

setup() {
	common_setup
	P="$FIX/stockholm-2024/providers.csv"
}

run_pipeline() {
	(cd "$FIX/stockholm-2024" && alf-ingest --quiet --year 2024 hap.csv) > records.csv
	alf-normalize --quiet --providers "$P" --year 2024 records.csv > activities.csv
	alf-allocate --quiet --model stockholm-2024 --providers "$P" activities.csv > allocations.csv
	alf-invoice --quiet --model stockholm-2024 --providers "$P" allocations.csv > invoices.csv
	alf-report --quiet budget --model stockholm-2024 --providers "$P" allocations.csv > budget.txt
}

# the row of table $1 (a section) for provider name $2 in budget.txt
budget_row() {
	awk -v sec="$1 " -v who="$2" '
		index($0, sec) == 1 { on = 1; next }
		on && /^$/ && seen { exit }
		on && index($0, who) == 1 { print; exit }
		on { seen = 1 }' budget.txt
}

@test "3.2: 101 794 kr per HÅP gives the directive's table to the krona" {
	run_pipeline
	# 225.34 × 101 794 = 22 938 259.96 → 22 938 260
	[ "$(csv_get allocations.csv amount provider SLSO | head -1)" = 22938260.00 ]
	[ "$(grep '^2024,3.2,' allocations.csv | awk -F, '{print $7 "=" $13}' | tr '\n' ' ')" = \
	    "CAPIO=1818041.00 DS=9459716.00 KS=50487788.00 RESERV=22155464.00 SESAB=1991091.00 SLSO=22938260.00 SOS=11165784.00 " ]
	run sed -n '/^3.2 /,/^Totalt/p' budget.txt
	assert_output "3.2 Grundutbildning läkare

Vårdgivare                                ALF    HSF   UNIV
Stockholms läns sjukvårdsområde    22 938 tkr  0 tkr  0 tkr
Danderyds sjukhus AB                9 460 tkr  0 tkr  0 tkr
Karolinska universitetssjukhuset   50 488 tkr  0 tkr  0 tkr
Södersjukhuset AB                  11 166 tkr  0 tkr  0 tkr
S:t Eriks sjukhus AB                1 991 tkr  0 tkr  0 tkr
Norrtälje sjukhus (Tiohundra AB)        0 tkr  0 tkr  0 tkr
Södertälje sjukhus                      0 tkr  0 tkr  0 tkr
Capio S:t Görans Sjukhus AB         1 818 tkr  0 tkr  0 tkr
Ersta Diakonisällskap                   0 tkr  0 tkr  0 tkr
AISAB                                   0 tkr  0 tkr  0 tkr
Övriga                                  0 tkr  0 tkr  0 tkr
För senare utfördelning            22 155 tkr  0 tkr  0 tkr
Totalt                            120 016 tkr  0 tkr  0 tkr"
}

@test "3.3: ALF 7 680 and HSF 10 570 tkr shared by HÅP, rows and totals as published" {
	run_pipeline
	grep -q '^2024,3.3-alf,.*,HSF,SLSO,2024,share,225.34,hap,,1467851.00$' allocations.csv
	[ "$(grep '^2024,3.3-alf,' allocations.csv | awk -F, '{s += $NF} END {printf "%.2f", s}')" = 7680000.00 ]
	[ "$(grep '^2024,3.3-hsf,' allocations.csv | awk -F, '{s += $NF} END {printf "%.2f", s}')" = 10570000.00 ]
	run sed -n '/^3.3 /,/^Totalt/p' budget.txt
	# the HSF rows sum to 10 569 while the total is 10 570: both are right
	assert_output "3.3 Lokaler, undervisning - läkarprogrammet

Vårdgivare                              ALF         HSF   UNIV
Stockholms läns sjukvårdsområde   1 468 tkr   2 020 tkr  0 tkr
Danderyds sjukhus AB                605 tkr     833 tkr  0 tkr
Karolinska universitetssjukhuset  3 231 tkr   4 447 tkr  0 tkr
Södersjukhuset AB                   715 tkr     983 tkr  0 tkr
S:t Eriks sjukhus AB                127 tkr     175 tkr  0 tkr
Norrtälje sjukhus (Tiohundra AB)      0 tkr       0 tkr  0 tkr
Södertälje sjukhus                    0 tkr       0 tkr  0 tkr
Capio S:t Görans Sjukhus AB         116 tkr     160 tkr  0 tkr
Ersta Diakonisällskap                 0 tkr       0 tkr  0 tkr
AISAB                                 0 tkr       0 tkr  0 tkr
Övriga                                0 tkr       0 tkr  0 tkr
För senare utfördelning           1 418 tkr   1 951 tkr  0 tkr
Totalt                            7 680 tkr  10 570 tkr  0 tkr"
}

@test "invoices: one half-year invoice per provider, payer and half; VAT compensation for private providers; none for the reserve" {
	run_pipeline
	# Capio S:t Göran (private, invoiced): 3.2 1 818 041 + 3.3 116 339 + 160 118, halves of annual amounts
	run grep '^2024-CAPIO-HSF-H1,' invoices.csv
	assert_line --index 0 "2024-CAPIO-HSF-H1,invoice,,CAPIO,HSF,2024-07-01,2024-07-31,2024-H1,1,3.2,Grundutbildning läkare,,,,909020.00"
	# vat-comp is the last line: 6 % of the other lines' net, to the öre
	net=$(grep '^2024-CAPIO-HSF-H1,' invoices.csv | grep -v ',vat-comp,' | awk -F, '{s += $NF * 100} END {printf "%.0f", s}')
	vat=$(grep '^2024-CAPIO-HSF-H1,.*,vat-comp,' invoices.csv | awk -F, '{printf "%.0f", $NF * 100}')
	[ "$vat" = "$(echo "($net * 6 + 50) / 100" | bc)" ]
	[ "$(grep '^2024-CAPIO-HSF-H1,' invoices.csv | tail -1 | cut -d, -f10)" = vat-comp ]
	# H1 + H2 of an annual amount give it back exactly
	h1=$(awk -F, '$1 == "2024-CAPIO-HSF-H1" && $10 == "3.2" {print $NF}' invoices.csv)
	h2=$(awk -F, '$1 == "2024-CAPIO-HSF-H2" && $10 == "3.2" {print $NF}' invoices.csv)
	[ "$h1" = 909020.00 ] && [ "$h2" = 909021.00 ]
	# region-owned S:t Erik gets no vat-comp; the reserve gets no document
	! grep -q '^2024-SESAB-HSF-H1,.*,vat-comp,' invoices.csv
	grep -q '^2024-SESAB-HSF-H1,' invoices.csv
	! grep -q 'RESERV' invoices.csv
	# the four big providers are paid in twelfths by HSF, not invoiced to it
	! grep -q '^2024-SLSO-HSF-' invoices.csv
	[ "$(grep -c '^2024-HSF-SLSO-M[01][0-9],payment,.*,3.2,' invoices.csv)" -eq 12 ]
	[ "$(awk -F, '$10 == "3.2" && $4 == "HSF" && $5 == "SLSO" {s += $NF * 100} END {printf "%.0f", s}' invoices.csv)" = 2293826000 ]
}

@test "same inputs, same bytes, whatever the locale, time zone and directory" {
	run_pipeline
	mkdir again && cd again
	LC_ALL=sv_SE.UTF-8 TZ=Pacific/Kiritimati run_pipeline
	for f in records.csv activities.csv allocations.csv invoices.csv budget.txt; do
		cmp "$f" "../$f"
	done
}

@test "make demo writes every stage to out/demo and prints the published 3.2 and 3.3 figures" {
	run make -C "$ROOT" --no-print-directory demo DEMO_OUT="$W/demo"
	assert_success
	for f in records.csv activities.csv allocations.csv invoices.csv; do
		[ -s "$W/demo/$f" ]
	done
	assert_line "Stockholms läns sjukvårdsområde    22 938 tkr  0 tkr  0 tkr"
	assert_line "Totalt                            7 680 tkr  10 570 tkr  0 tkr"
	grep -q ',3.3-alf,.*,SLSO,2024,share,225.34,hap,,1467851.00$' "$W/demo/allocations.csv"
}
