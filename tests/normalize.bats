#!/usr/bin/env bats
# alf-normalize: providers, weeks and months exactly, the budget year,
# duplicates (CONTRACTS "activities.csv", issue 11 "Normalize").
load helper
setup() { common_setup; }

PROV="$BATS_TEST_DIRNAME/../fixtures/stockholm-2024/providers.csv"
IN="$BATS_TEST_DIRNAME/../fixtures/ingest"
HEAD=stream,person,provider_name,host_name,unit,category,university,start,end,period,extent,qty,uom,salary,src
P=0123456789abcdef0123

norm() { alf-normalize --providers "$PROV" --year 2024 "$@"; }

@test "weeks: weekdays / 5 x extent, split at 30 June / 1 July" {
	printf '%s\n' "$HEAD" \
	    "lak-vfu,$P,Karolinska,,,,,2024-06-17,2024-07-12,,100,,,,k.csv:2" \
	    "vil,$P,SÖS,,,,,2024-08-26,2024-12-20,,62.5,,,,k.csv:3" > r.csv
	run norm -o a.csv r.csv
	assert_success
	assert_output "alf-normalize: 2 read, 2 accepted, 0 rejected, 0 merged; 3 written"
	assert_equal "$(cut -d, -f1-4,11-13 a.csv)" "id,year,period,provider,stream,qty,uom
k.csv:2:2024-H1,2024,2024-H1,KS,lak-vfu,2,weeks
k.csv:2:2024-H2,2024,2024-H2,KS,lak-vfu,2,weeks
k.csv:3,2024,2024-H2,SOS,vil,10.625,weeks"
}

@test "months: per calendar month, covered / days x extent, 4 decimals" {
	printf '%s\n' "$HEAD" \
	    "st,$P,SLSO,,,,,2024-03-15,2024-05-31,,75,,,52300.00,h.csv:2" \
	    "at,$P,KS,,,,,2024-02-10,2024-02-29,,100,,,,h.csv:3" > r.csv
	run norm -o a.csv r.csv
	assert_success
	assert_equal "$(cut -d, -f1,3,12 a.csv | tail -n +2 | tr '\n' ' ')" \
	    "h.csv:2:2024-03,2024-03,0.4113 h.csv:2:2024-04,2024-04,0.75 h.csv:2:2024-05,2024-05,0.75 h.csv:3,2024-02,0.6897 "
}

@test "outside the budget year rejected with the reason; --clip cuts to the year" {
	printf '%s\n' "$HEAD" \
	    "ptp,$P,SLSO,,,,,2024-09-01,2025-08-31,,100,,,,h.csv:6" \
	    "vil,$P,SLSO,,,,,2023-09-04,2023-10-27,,100,,,,h.csv:7" > r.csv
	run norm --rejects rej.csv -o a.csv r.csv
	assert_failure 1
	assert_line "alf-normalize: r.csv:2: end: outside the budget year 2024 (--clip cuts it to the year) (2025-08-31)"
	assert_line "alf-normalize: r.csv:3: start: outside the budget year 2024 (--clip cuts it to the year) (2023-09-04)"
	assert_line "alf-normalize: 2 read, 0 accepted, 2 rejected, 0 merged; 0 written"
	assert_equal "$(wc -l < rej.csv)" 3
	run norm --clip -o a.csv r.csv
	assert_failure 1
	assert_line "alf-normalize: 2 read, 1 accepted, 1 rejected, 0 merged; 4 written"
	assert_equal "$(cut -d, -f3,12 a.csv | tail -n +2 | tr '\n' ' ')" \
	    "2024-09,1 2024-10,1 2024-11,1 2024-12,1 "
	# last year's export normalized with its own year
	run alf-normalize --providers "$PROV" --year 2023 -o b.csv r.csv
	assert_line "alf-normalize: 2 read, 1 accepted, 1 rejected, 0 merged; 1 written"
	assert_equal "$(cut -d, -f2,3,12 b.csv | tail -1)" "2023,2023-H2,8"
}

@test "duplicates: identical later row merged, conflicting later row rejected" {
	printf '%s\n' "$HEAD" \
	    "vil,$P,Södersjukhuset,,Avd 5,,,2024-03-04,2024-03-29,,100,,,,k.csv:2" \
	    "vil,$P,SOS,,Avd 5,,,2024-03-04,2024-03-29,,100,,,,k.csv:3" \
	    "vil,$P,Södersjukhuset,,Avd 5,,,2024-03-04,2024-03-29,,100,,,,k.csv:4" \
	    "vil,$P,Södersjukhuset,,Avd 6,,,2024-03-11,2024-04-05,,100,,,,k.csv:5" \
	    "vil,$P,Södersjukhuset,,Avd 5,,,2024-04-08,2024-04-12,,100,,,,k.csv:6" \
	    "vil,,Södersjukhuset,,Avd 5,,,2024-03-04,2024-03-29,,100,,,,k.csv:7" > r.csv
	run norm -o a.csv r.csv
	assert_failure 1
	assert_line "alf-normalize: r.csv:5: start: overlaps an earlier row of the same person, stream and provider with other values"
	assert_line "alf-normalize: 6 read, 3 accepted, 1 rejected, 2 merged; 3 written"
	assert_equal "$(cut -d, -f1 a.csv | tail -n +2 | tr '\n' ' ')" "k.csv:2 k.csv:6 k.csv:7 "
}

@test "unknown provider rejected with the nearest names suggested" {
	printf '%s\n' "$HEAD" \
	    "vil,$P,Södersjukhust,,,,,2024-03-04,2024-03-29,,100,,,,k.csv:2" \
	    "vil,$P,  karolinska   universitetssjukhuset  huddinge ,,,,,2024-03-04,2024-03-29,,100,,,,k.csv:3" > r.csv
	run norm -o a.csv r.csv
	assert_failure 1
	# the suggestion names two providers and the value as read
	assert_line --regexp '^alf-normalize: r.csv:2: provider_name: unknown provider; did you mean .+ or .+\? \(Södersjukhust\)$'
	assert_line "alf-normalize: 2 read, 1 accepted, 1 rejected, 0 merged; 1 written"
	assert_equal "$(cut -d, -f4 a.csv | tail -1)" KS
}

@test "--label names standard input in diagnostics and reject_src, as the file it feeds" {
	printf '%s\n' "$HEAD" \
	    "vil,$P,Södersjukhuset,,,,,2024-03-04,2024-03-29,,100,,,,k.csv:2" \
	    "vil,$P,Södersjukhust,,,,,2024-03-04,2024-03-29,,100,,,,k.csv:3" > r.csv
	printf '%s\n' "$HEAD" "vil,$P,Södersjukhuset,,,,,2024-04-01,2024-04-26,,100,,,,q.csv:2" > q.csv
	# standard input between two files, as make run's pipe gives it
	run norm --label records/k.csv --rejects rj.csv -o a.csv q.csv - q.csv < r.csv
	assert_failure 1
	assert_line --regexp '^alf-normalize: records/k.csv:3: provider_name: unknown provider; '
	[ "$(awk -F, 'NR > 1 {print $NF}' rj.csv)" = records/k.csv:3 ]
	[ "$(cut -d, -f14 a.csv | tail -n +2 | sort -u | tr '\n' ' ')" = "k.csv:2 q.csv:2 " ]
	# without it, standard input is -
	run norm --rejects rj.csv -o a.csv < r.csv
	assert_line --regexp '^alf-normalize: -:3: provider_name: unknown provider; '
	[ "$(awk -F, 'NR > 1 {print $NF}' rj.csv)" = -:3 ]
}

@test "given quantities: period kept, uom checked" {
	printf '%s\n' "$HEAD" \
	    "hap,,SLSO,,,,,,,2024,,225.34,hap,,q.csv:2" \
	    "hap,,SLSO,,,,,,,2024,,1,furlongs,,q.csv:3" \
	    "hap,,SLSO,,,,,,,2023,,1,hap,,q.csv:4" > r.csv
	run norm -o a.csv r.csv
	assert_failure 1
	assert_line "alf-normalize: r.csv:3: uom: not a unit of activities.csv (furlongs)"
	assert_line "alf-normalize: r.csv:4: period: outside the budget year 2024 (2023)"
	assert_equal "$(tail -1 a.csv)" "q.csv:2,2024,2024,SLSO,,,,,,,hap,225.34,hap,q.csv:2"
}

@test "ingest | normalize on klipp-bad: unknown provider and overlapping duplicate" {
	KEY=$(make_key)
	alf-ingest --key-file "$KEY" --year 2024 --profile klipp-placements --quiet \
	    -o rec.csv "$IN/klipp-bad.csv" || [ $? -eq 1 ]
	run norm --rejects rej.csv -o a.csv rec.csv
	assert_failure 1
	assert_line "alf-normalize: 6 read, 3 accepted, 2 rejected, 1 merged; 3 written"
	assert_line --partial "provider_name: unknown provider; did you mean"
	assert_line --partial "start: overlaps an earlier row"
	assert_equal "$(cut -d, -f15 rej.csv | tail -n +2 | tr '\n' ' ')" \
	    "$IN/klipp-bad.csv:11 $IN/klipp-bad.csv:13 "
}

@test "exit codes: 2 without --providers or --year, 3 on /dev/full" {
	printf '%s\n' "$HEAD" "vil,,SLSO,,,,,2024-03-04,2024-03-29,,100,,,,k.csv:2" > r.csv
	run alf-normalize --year 2024 r.csv
	assert_failure 2
	run alf-normalize --providers "$PROV" r.csv
	assert_failure 2
	printf 'stream,provider_name\n' > nosrc.csv
	run norm -o a.csv nosrc.csv
	assert_failure 2
	assert_output --partial "src: missing required column"
	run norm -o /dev/full r.csv
	assert_failure 3
}

@test "an unknown provider is rejected with the nearest known names, aliases counted" {
	printf 'stream,provider_name,period,qty,src\nhap,Södersjukhust,2024,1,x:2\nhap,Karolinska Solna,2024,1,x:3\n' > r.csv
	run alf-normalize --providers "$FIX/stockholm-2024/providers.csv" --year 2024 -o out.csv r.csv
	assert_failure 1
	assert_line "alf-normalize: r.csv:2: provider_name: unknown provider; did you mean Södersjukhuset AB or Södertälje sjukhus? (Södersjukhust)"
	assert_line --regexp "^alf-normalize: r.csv:3: provider_name: unknown provider; did you mean Karolinska universitetssjukhuset or .*\\? \\(Karolinska Solna\\)$"
}

@test "exit 2 writes nothing, not even to standard output: empty file, missing column, a bad later file" {
	bats_require_minimum_version 1.5.0
	printf '%s\n' "$HEAD" "hap,,SLSO,,,,,,,2024,,1,hap,,q.csv:2" > r.csv
	: > empty.csv
	printf 'stream,src\nhap,x:2\n' > nocol.csv
	run --separate-stderr norm empty.csv
	assert_failure 2
	assert_equal "$output" ""
	assert_equal "$stderr" "alf-normalize: empty.csv: empty file (no header)"
	run --separate-stderr norm nocol.csv
	assert_failure 2
	assert_equal "$output" ""
	assert_equal "$stderr" "alf-normalize: nocol.csv:1: provider_name: missing required column"
	# the second file's header is checked before the first file's rows
	run --separate-stderr norm r.csv nocol.csv
	assert_failure 2
	assert_equal "$output" ""
	# standard input among the files still works, once
	run --separate-stderr norm r.csv - r.csv < r.csv
	assert_success
	assert_equal "$(cut -d, -f1 <<< "$output" | tr '\n' ' ')" "id q.csv:2 q.csv:2 q.csv:2 "
	assert_equal "$stderr" "alf-normalize: 3 read, 3 accepted, 0 rejected, 0 merged; 3 written"
}

@test "quantities to the digit: half away from zero at 4 decimals, whole months, days, weekends, clipping" {
	printf '%s\n' "$HEAD" \
	    "st,$P,SLSO,,,,,2024-04-01,2024-04-01,,0.15,,,,h:2" \
	    "st,$P,KS,,,,,2024-04-01,2024-04-01,,0.14,,,,h:3" \
	    "bt,$P,KS,,,,,2024-02-29,2024-02-29,,,,,,h:4" \
	    "at,$P,DS,,,,,2024-01-01,2024-03-31,,33.33,,,,h:5" \
	    "lak-course,,KS,,,,,2024-06-24,2024-07-05,,50,,,,c:2" \
	    "vil,,KS,,,,,2024-06-29,2024-06-30,,,,,,k:2" \
	    "vil,,KS,,,,,2024-03-04,2024-03-08,,33.33,,,,k:3" \
	    "vil,,KS,,,,,2023-12-18,2024-01-12,,,,,,k:4" \
	    "vil,,KS,,,,,2024-12-16,2025-01-10,,,,,,k:5" > r.csv
	run norm --clip -o a.csv r.csv
	assert_success
	assert_output "alf-normalize: 9 read, 9 accepted, 0 rejected, 0 merged; 12 written"
	# 1/30 x 0.15 % = 0.00005 rounds up, 0.0000467 down; 1/29; a whole
	# month at 33.33 %; 5 + 5 weekdays as days at 50 %; a weekend is 0
	# weeks; 5 weekdays at 33.33 % exactly; clipped to 1-12 January and
	# 16-31 December (12 weekdays)
	assert_equal "$(cut -d, -f1,3,12,13 a.csv)" "id,period,qty,uom
h:2,2024-04,0.0001,months
h:3,2024-04,0,months
h:4,2024-02,0.0345,months
h:5:2024-01,2024-01,0.3333,months
h:5:2024-02,2024-02,0.3333,months
h:5:2024-03,2024-03,0.3333,months
c:2:2024-H1,2024-H1,2.5,days
c:2:2024-H2,2024-H2,2.5,days
k:2,2024-H1,0,weeks
k:3,2024-H1,0.3333,weeks
k:4,2024-H1,2,weeks
k:5,2024-H2,2.4,weeks"
}

@test "names and aliases: case, accents and spaces do not matter; a host that is the provider is empty" {
	printf '%s\n' "$HEAD" \
	    "vil,,sodersjukhuset ab,,,,,2024-03-04,2024-03-08,,,,,,k:2" \
	    "vil,,  SÖDERSJUKHUSET   AB ,,,,,2024-03-04,2024-03-08,,,,,,k:3" \
	    "vil,,sös,,,,,2024-03-04,2024-03-08,,,,,,k:4" \
	    "vil,,Capio S:t Görans sjukhus,Danderyd,,,,2024-03-04,2024-03-08,,,,,,k:5" \
	    "vil,,Ersta,ERSTA SJUKHUS,,,,2024-03-04,2024-03-08,,,,,,k:6" \
	    "vil,,KS,Karolinsk,,,,2024-03-04,2024-03-08,,,,,,k:7" > r.csv
	printf 'vil,,Danderyds\xc2\xa0sjukhus,,,,,2024-03-04,2024-03-08,,,,,,k:8\n' >> r.csv
	run norm --rejects rej.csv -o a.csv r.csv
	assert_failure 1
	assert_line "alf-normalize: r.csv:7: host_name: unknown provider; did you mean Karolinska universitetssjukhuset or Falck Ambulans AB? (Karolinsk)"
	assert_line "alf-normalize: 7 read, 6 accepted, 1 rejected, 0 merged; 6 written"
	assert_equal "$(cut -d, -f1,4,5 a.csv | tail -n +2 | tr '\n' ' ')" \
	    "k:2,SOS, k:3,SOS, k:4,SOS, k:5,CAPIO,DS k:6,ERSTA, k:8,DS, "
	assert_equal "$(tail -1 rej.csv)" "vil,,KS,Karolinsk,,,,2024-03-04,2024-03-08,,,,,,k:7,unknown provider; did you mean Karolinska universitetssjukhuset or Falck Ambulans AB? (Karolinsk),r.csv:7"
}

@test "providers.csv: an organisation number with a wrong check digit or form is exit 2, nothing written" {
	printf '%s\n' "$HEAD" "hap,,SLSO,,,,,,,2024,,1,hap,,q:2" > r.csv
	sed 's/232100-1014/232100-1015/' "$PROV" > p1.csv
	run alf-normalize --providers p1.csv --year 2024 -o a.csv r.csv
	assert_failure 2
	assert_output "alf-normalize: p1.csv:2: org_nr: check digit wrong (232100-1015)"
	[ ! -e a.csv ]
	sed 's/232100-1014/2321001014/' "$PROV" > p2.csv
	run alf-normalize --providers p2.csv --year 2024 -o a.csv r.csv
	assert_failure 2
	assert_output "alf-normalize: p2.csv:2: org_nr: not NNNNNN-NNNN (2321001014)"
	[ ! -e a.csv ]
	# every org_nr of the fixture passes
	run alf-normalize --providers "$PROV" --year 2024 -o a.csv r.csv
	assert_success
}

@test "a personal identity number that slipped into records is rejected, never written or echoed" {
	printf '%s\n' "$HEAD,extra" \
	    "vil,198503121371,KS,,,,,2024-03-04,2024-03-08,,,,,,k:2,x" \
	    "vil,,KS,,850312-1371,,,2024-03-04,2024-03-08,,,,,,k:3,x" \
	    "vil,,XX,,,,,2024-03-04,2024-03-08,,,,,,k:4,19850312+1371" \
	    "vil,$P,KS,,,,,2024-03-04,2024-03-08,,,,,,k:5,x" \
	    "vil,0123456789ABCDEF0123,KS,,,,,2024-03-04,2024-03-08,,,,,,k:6,x" > r.csv
	run norm --rejects rej.csv -o a.csv r.csv
	assert_failure 1
	assert_output "alf-normalize: r.csv:2: person: not a pseudonym (20 hex digits)
alf-normalize: r.csv:3: unit: looks like a personal identity number; records hold pseudonyms only
alf-normalize: r.csv:4: provider_name: unknown provider; did you mean Danderyds sjukhus AB or Karolinska universitetssjukhuset? (XX)
alf-normalize: r.csv:6: person: not a pseudonym (20 hex digits)
alf-normalize: 5 read, 1 accepted, 4 rejected, 0 merged; 1 written"
	assert_equal "$(cut -d, -f1 a.csv | tail -n +2)" "k:5"
	run cut -d, -f2,5,15,16 rej.csv
	assert_output "person,unit,src,extra
,,k:2,x
,,k:3,x
,,k:4,
0123456789ABCDEF0123,,k:6,x"
	run grep -c -e 198503121371 -e 850312-1371 -e 19850312+1371 rej.csv a.csv
	assert_output "rej.csv:0
a.csv:0"
}
