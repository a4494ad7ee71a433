#!/usr/bin/env bats
# alf-ingest: profiles, decoding, personal identity numbers, rejects and
# exit codes (issue 11).  Fixtures: fixtures/ingest/.
load helper
setup() { common_setup; }

IN="$BATS_TEST_DIRNAME/../fixtures/ingest"

ingest() { alf-ingest --key-file "$KEY" --year 2024 "$@"; }

@test "klipp-placements: Windows-1252, CRLF, guards, blank rows, decimal comma" {
	KEY=$(make_key)
	run ingest --profile klipp-placements -o out.csv "$IN/klipp-placements.csv"
	assert_success
	assert_output "alf-ingest: 9 read, 9 accepted, 0 rejected, 0 merged; 9 written"
	# streams by programme, category by level or programme, SVK host
	assert_equal "$(cut -d, -f1 out.csv | tr '\n' ' ')" \
	    "stream lak-vfu vil lak-svk socionom lak-exjobb logoped naprapat apl lak-vfu "
	run csv_get out.csv host_name stream lak-svk
	assert_output "Danderyds sjukhus"
	run csv_get out.csv provider_name stream lak-svk
	assert_output "Karolinska universitetssjukhuset"
	# Lärosäte becomes the model's payer id (002 §3.5), socionom's category too
	run csv_get out.csv category stream socionom
	assert_output "SU"
	run csv_get out.csv university stream socionom
	assert_output "SU"
	run csv_get out.csv extent stream socionom
	assert_output "62.5"
	run csv_get out.csv start stream vil
	assert_output "2024-09-02"
	run csv_get out.csv extent stream vil
	assert_output "50"
	run csv_get out.csv provider_name stream lak-exjobb
	assert_output "Södersjukhuset AB (SÖS)"
	grep -q '^apl,[0-9a-f]\{20\},Ersta sjukhus,,Geriatrik,Vård- och omsorgsprogrammet (APL),Stockholms stad,2024-10-07,2024-11-01,,100,,,,.*klipp-placements.csv:10$' out.csv
}

@test "the pseudonym is HMAC-SHA-256 of the 12 digits, first 20 hex; every form alike" {
	KEY=$(make_key)
	want=$(printf '%s' 198503121371 | openssl dgst -sha256 -mac HMAC \
	    -macopt "hexkey:$(xxd -p -c 256 "$KEY")" | sed 's/.*= //' | cut -c1-20)
	for form in 850312-1371 8503121371 198503121371 19850312-1371 '="8503121371"'; do
		printf 'Personnummer;Program;Vårdgivare;Startdatum;Slutdatum\n%s;Läkarprogrammet;KS;2024-01-15;2024-02-09\n' \
		    "$form" > in.csv
		run ingest --profile klipp-placements --quiet in.csv
		assert_success
		assert_line --index 1 --partial "lak-vfu,$want,KS,"
	done
	# the same key, another run: the same pseudonym
	run ingest --profile klipp-placements --quiet in.csv
	assert_line --index 1 --partial ",$want,"
}

@test "century rule: 10 digits take the century that makes the person 0-99, + means 100+" {
	KEY=$(make_key)
	printf 'Personnummer;Program;Vårdgivare;Startdatum;Slutdatum\n%s\n%s\n%s\n' \
	    '240101-0000;Läkarprogrammet;KS;2024-01-15;2024-02-09' \
	    '240101+0000;Läkarprogrammet;KS;2024-01-15;2024-02-09' \
	    '250101-0009;Läkarprogrammet;KS;2024-01-15;2024-02-09' > in.csv
	p2024=$(printf 202401010000 | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$(xxd -p -c 256 "$KEY")" | sed 's/.*= //' | cut -c1-20)
	p1924=$(printf 192401010000 | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$(xxd -p -c 256 "$KEY")" | sed 's/.*= //' | cut -c1-20)
	p1925=$(printf 192501010009 | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$(xxd -p -c 256 "$KEY")" | sed 's/.*= //' | cut -c1-20)
	run alf-ingest --key-file "$KEY" --profile klipp-placements --quiet in.csv
	assert_success
	assert_line --index 1 --partial ",$p2024,"
	assert_line --index 2 --partial ",$p1924,"
	assert_line --index 3 --partial ",$p1925,"
}

@test "samordningsnummer: day + 60 is accepted, day + 70 is not a date" {
	KEY=$(make_key)
	printf 'Personnummer;Program;Vårdgivare;Startdatum;Slutdatum\n%s\n%s\n' \
	    '921190-2854;Läkarprogrammet;KS;2024-01-15;2024-02-09' \
	    '921200-2854;Läkarprogrammet;KS;2024-01-15;2024-02-09' > in.csv
	run ingest --profile klipp-placements --rejects rej.csv -o out.csv in.csv
	assert_failure 1
	assert_line "alf-ingest: in.csv:3: Personnummer: not a plausible date of birth"
	assert_equal "$(wc -l < out.csv)" 2
	# the reject file holds no number: the field is empty
	assert_equal "$(sed -n 2p rej.csv | cut -d, -f1)" ""
}

@test "klipp-bad: every kind of bad row rejected with its reason, R = A + J + M" {
	KEY=$(make_key)
	run ingest --profile klipp-placements --rejects rej.csv -o out.csv "$IN/klipp-bad.csv"
	assert_failure 1
	assert_line "alf-ingest: 15 read, 6 accepted, 9 rejected, 0 merged; 6 written"
	assert_line "alf-ingest: $IN/klipp-bad.csv:3: expected 12 fields, found 11"
	assert_line "alf-ingest: $IN/klipp-bad.csv:4: Omfattning %: not a percentage (sextio)"
	assert_line "alf-ingest: $IN/klipp-bad.csv:5: Startdatum: not a date YYYY-MM-DD or YYYYMMDD (2024-02-30)"
	assert_line "alf-ingest: $IN/klipp-bad.csv:6: Slutdatum: before start (2024-09-02)"
	assert_line "alf-ingest: $IN/klipp-bad.csv:8: Program: not in the profile's map programme (Kockprogrammet)"
	assert_line "alf-ingest: $IN/klipp-bad.csv:9: Startdatum: outside the year (2023-09-04)"
	assert_line "alf-ingest: $IN/klipp-bad.csv:10: Omfattning %: not a percentage in (0, 100] (-50)"
	assert_line "alf-ingest: $IN/klipp-bad.csv:15: Personnummer: check digit wrong"
	assert_line "alf-ingest: $IN/klipp-bad.csv:16: Enhet: mis-encoded byte, not utf-8 (Avdelning \\xE5tta)"
	assert_equal "$(wc -l < out.csv)" 7
	assert_equal "$(wc -l < rej.csv)" 10
	# the reject file is UTF-8 and keeps each row's reason and src
	iconv -f utf-8 -t utf-8 rej.csv > /dev/null
	grep -q ',not a date YYYY-MM-DD or YYYYMMDD (2024-02-30),.*klipp-bad.csv:5$' rej.csv
	grep -q 'Avdelning �tta' rej.csv
	# a wrong check digit: the number field is empty, a good one is a pseudonym
	assert_equal "$(grep -c '^,Nils Kvist' rej.csv)" 1
	assert_equal "$(grep -c '^[0-9a-f]\{20\},David Ek' rej.csv)" 1
}

@test "quantities: negative quantity, unknown stream, ambiguous grouping rejected" {
	KEY=$(make_key)
	run ingest --profile quantities -o out.csv "$IN/quantities.csv"
	assert_failure 1
	assert_line "alf-ingest: $IN/quantities.csv:5: Antal: negative (-12)"
	assert_line "alf-ingest: $IN/quantities.csv:6: Ström: not in the profile's map stream (Okänd ström)"
	assert_line "alf-ingest: $IN/quantities.csv:7: Antal: not a number (1.234)"
	assert_line "alf-ingest: 6 read, 3 accepted, 3 rejected, 0 merged; 3 written"
	run csv_get out.csv qty provider_name Södersjukhuset
	assert_output "1204.5"
	run csv_get out.csv uom provider_name Södersjukhuset
	assert_output "weeks"
	run csv_get out.csv period provider_name SLSO
	assert_output "2024"
}

@test "hr-service: tabs, side service with host, salary with grouping and kr" {
	KEY=$(make_key)
	run ingest --profile hr-service -o out.csv "$IN/hr-service.csv"
	assert_success
	run cut -d, -f1,3,4,6,11,14 out.csv
	assert_output "stream,provider_name,host_name,category,extent,salary
at,Karolinska,,,100,38500.00
st,SLSO,,Allmänmedicin,75,52300.00
st-sido,Karolinska,Södersjukhuset,Kirurgi,100,55000.00
bt-sido,Danderyds sjukhus,Danderyd,,100,41200.00
ptp,SLSO,,,100,36900.00"
}

@test "course-plan and course-declarations: terms, students x days, categories" {
	run alf-ingest --profile course-plan --quiet "$IN/course-plan.csv"
	assert_success
	assert_line --index 1 "lak-course,,Sahlgrenska,,Kirurgi,full,,,,2024-H1,,54,days,,$IN/course-plan.csv:2"
	assert_line --index 2 "lak-course,,Sahlgrenska,,Medicin,reduced,,,,2024-H2,,80,days,,$IN/course-plan.csv:3"
	assert_line --index 3 "lak-course,,NU-sjukvården,,Ortopedi,full,,,,2024-H2,,2048,days,,$IN/course-plan.csv:4"
	run alf-ingest --profile course-declarations --quiet "$IN/course-declarations.csv"
	assert_success
	assert_equal "$(cut -d, -f6,10,12 <<< "$output" | tail -n +2 | tr '\n' ' ')" \
	    "vfu-adapted,2024-H1,36 smallgroup,2024-H1,6 lecture,2024-H2,60 "
}

@test "usve-units and usve-survey write the survey formats" {
	run alf-ingest --profile usve-units --quiet "$IN/usve-units.csv"
	assert_success
	assert_output "region,usve,name
Stockholm,U001,Akutmottagningen Solna
Stockholm,U002,Geriatriken Huddinge
Västra Götaland,U101,Ortopeden Mölndal"
	run alf-ingest --profile usve-survey -o s.csv "$IN/usve-survey.csv"
	assert_failure 1
	assert_line "alf-ingest: $IN/usve-survey.csv:5: Miniminivå: not a whole number in range (28)"
	assert_line "alf-ingest: $IN/usve-survey.csv:6: Svar: not in the profile's map answer (Kanske)"
	assert_equal "$(cat s.csv)" "region,usve,level,answer
Stockholm,U001,1,ja
Stockholm,U001,2,nej
Stockholm,U002,1,ej_aktuell"
}

@test "decoding: grouping, dates with time, percent as fraction, ISO-8859-1, UTF-8 BOM" {
	cat > p <<-'P'
	[profile]
	writes = records
	[columns]
	provider_name = Vårdgivare
	start = Från : date
	end = Till : date
	extent = Andel : fraction
	qty = Antal : number
	[rules]
	stream = vil
	P
	printf '\xef\xbb\xbfV\xc3\xa5rdgivare;Fr\xc3\xa5n;Till;Andel;Antal\nKS;20240101;2024-01-31 17:45;0,5;1 234,5\nKS;2024-02-01;2024-02-29;1,0;1\xc2\xa0000\nKS;2024-03-01;2024-03-31;75 %%;1.234.567\n' > bom.csv
	run alf-ingest --profile ./p --quiet bom.csv
	assert_success
	assert_equal "$(cut -d, -f8,9,11,12 <<< "$output" | tail -n +2 | tr '\n' ' ')" \
	    "2024-01-01,2024-01-31,50,1234.5 2024-02-01,2024-02-29,100,1000 2024-03-01,2024-03-31,75,1234567 "
	printf 'V\xe5rdgivare;Fr\xe5n;Till\nS\xf6der;2024-01-01;2024-01-31\n' > latin1.csv
	run alf-ingest --profile ./p --encoding iso-8859-1 --quiet latin1.csv
	assert_success
	assert_line --index 1 --partial "vil,,Söder,"
}

@test "canonical records without --profile still work" {
	printf 'stream,provider_name,period,qty,uom\nhap,SLSO,2024,225.34,hap\nhap,KS,2024,-1,hap\n' > r.csv
	run alf-ingest --year 2024 -o out.csv r.csv
	assert_failure 1
	assert_equal "$(sed -n 2p out.csv)" "hap,,SLSO,,,,,,,2024,,225.34,hap,,r.csv:2"
	assert_line "alf-ingest: r.csv:3: qty: negative (-1)"
	assert_line "alf-ingest: 2 read, 1 accepted, 1 rejected, 0 merged; 1 written"
}

@test "--names writes person,name with mode 0600; names never enter records" {
	KEY=$(make_key)
	run ingest --profile klipp-placements --names names.csv -o out.csv "$IN/klipp-placements.csv"
	assert_success
	assert_equal "$(stat -c %a names.csv)" 600
	assert_equal "$(head -1 names.csv)" "person,name"
	assert_equal "$(wc -l < names.csv)" 9
	run grep -c 'Åberg' out.csv
	assert_output 0
	p=$(csv_get out.csv person unit Kirurgi)
	grep -qx "$p,Anna Åberg" names.csv
}

@test "exit 2: world-readable key, no key, bad profile, missing column, empty file" {
	KEY=$(make_key)
	chmod 644 "$KEY"
	run alf-ingest --profile klipp-placements --key-file "$KEY" -o out.csv "$IN/klipp-placements.csv"
	assert_failure 2
	assert_output --partial "key file is readable by group or others (mode 644)"
	[ ! -e out.csv ]
	chmod 600 "$KEY"
	ALF_KEY_FILE= run alf-ingest --profile klipp-placements -o out.csv "$IN/klipp-placements.csv"
	assert_failure 2
	assert_output --partial "need a key"
	ALF_KEY_FILE="$KEY" run alf-ingest --profile klipp-placements --quiet -o out.csv "$IN/klipp-placements.csv"
	assert_success
	rm out.csv
	printf '[profile]\nwrites = records\n[columns]\nstream = Ström : colour\n' > bad
	run alf-ingest --profile ./bad -o out.csv "$IN/quantities.csv"
	assert_failure 2
	assert_output "alf-ingest: ./bad:4: stream: not a type (colour)"
	run alf-ingest --profile no-such-profile -o out.csv "$IN/quantities.csv"
	assert_failure 2
	printf 'Personnummer;Namn;Lärosäte\n' > nocol.csv
	run ingest --profile klipp-placements -o out.csv nocol.csv
	assert_failure 2
	assert_output "alf-ingest: nocol.csv:1: Program: missing required column (profile klipp-placements)"
	: > empty.csv
	run ingest --profile klipp-placements -o out.csv empty.csv
	assert_failure 2
	[ ! -e out.csv ]
	# a bad second file stops before anything is written
	run ingest --profile klipp-placements -o out.csv "$IN/klipp-placements.csv" nocol.csv
	assert_failure 2
	[ ! -e out.csv ]
}

@test "a header with no rows gives the header only, exit 0" {
	KEY=$(make_key)
	head -1 "$IN/klipp-bad.csv" > h.csv
	run ingest --profile klipp-placements h.csv
	assert_success
	assert_line --index 0 "stream,person,provider_name,host_name,unit,category,university,start,end,period,extent,qty,uom,salary,src"
	assert_line --index 1 "alf-ingest: 0 read, 0 accepted, 0 rejected, 0 merged; 0 written"
}

@test "exit 3: output to /dev/full, a directory as input" {
	KEY=$(make_key)
	run ingest --profile klipp-placements -o /dev/full "$IN/klipp-placements.csv"
	assert_failure 3
	assert_output --partial "write error"
	mkdir d
	run ingest --profile klipp-placements -o out.csv d
	assert_failure 3
	assert_output --partial "d: read error"
	[ ! -e out.csv ]
}

@test "output is deterministic: same inputs and key, same bytes" {
	KEY=$(make_key)
	ingest --profile klipp-placements --quiet -o a.csv "$IN/klipp-placements.csv"
	LC_ALL=sv_SE.UTF-8 TZ=Europe/Stockholm ingest --profile klipp-placements --quiet -o b.csv "$IN/klipp-placements.csv"
	cmp a.csv b.csv
}

@test "no personal identity number in any output, reject file or diagnostic, in any form" {
	KEY=$(make_key)
	for p in klipp-placements klipp-bad hr-service quantities; do
		prof=$p; [ $p = klipp-bad ] && prof=klipp-placements
		alf-ingest --key-file "$KEY" --year 2024 --profile $prof \
		    --names "$p.names" --rejects "$p.rej" -o "$p.out" \
		    "$IN/$p.csv" 2> "$p.err" || [ $? -eq 1 ]
		alf-normalize --providers "$FIX/stockholm-2024/providers.csv" \
		    --year 2024 --rejects "$p.nrej" -o "$p.act" "$p.out" \
		    2> "$p.nerr" || [ $? -eq 1 ]
	done
	ls *.out *.rej *.err *.act *.nrej *.nerr *.names > files
	assert_equal "$(wc -l < files)" 28
	refute_pnr_in "$IN/pnrs.txt" $(cat files)
}

@test "hr-service: every Tjänst, folded; side service of ST; '.' grouping in Månadslön; an unknown Tjänst" {
	KEY=$(make_key)
	printf 'Personnummer;Tjänst;Specialitet;Arbetsgivare;Placering;Från;Till;Sysselsättningsgrad;Månadslön\n' > hr.csv
	printf '%s\n' \
	    '199102141372;ST-fysiker;Radiofysik;Karolinska;Karolinska;2024-01-01;2024-01-31;100;45 000' \
	    '199102141372;Kompetenstjänst;;SLSO;;2024-02-01;2024-02-29;50;30000,50' \
	    '199102141372;st;Kirurgi;SLSO;Karolinska;2024-03-01;2024-03-31;100;1.234.567' \
	    '199102141372;BT;;SLSO;SLSO;2024-04-01;2024-04-30;100;' \
	    '199102141372;AT;;SLSO;;2024-05-01;2024-05-31;100;38 500 kr' \
	    '199102141372;PTP;;SLSO;;2024-06-01;2024-06-30;100;' \
	    '199102141372;XT;;SLSO;;2024-04-01;2024-04-30;100;' >> hr.csv
	run ingest --profile hr-service -o out.csv hr.csv
	assert_failure 1
	assert_line "alf-ingest: hr.csv:8: Tjänst: not in the profile's map service (XT)"
	assert_line "alf-ingest: 7 read, 6 accepted, 1 rejected, 0 merged; 6 written"
	run cut -d, -f1,3,4,6,8,11,14,15 out.csv
	assert_output "stream,provider_name,host_name,category,start,extent,salary,src
fysiker-st,Karolinska,,Radiofysik,2024-01-01,100,45000.00,hr.csv:2
komp,SLSO,,,2024-02-01,50,30000.50,hr.csv:3
st-sido,SLSO,Karolinska,Kirurgi,2024-03-01,100,1234567.00,hr.csv:4
bt,SLSO,,,2024-04-01,100,,hr.csv:5
at,SLSO,,,2024-05-01,100,38500.00,hr.csv:6
ptp,SLSO,,,2024-06-01,100,,hr.csv:7"
}

@test "klipp-placements: headers in any order, case, accents and spacing; unknown columns ignored; optional ones absent" {
	KEY=$(make_key)
	printf ' slutdatum ;PERSONNUMMER;program;VARDGIVARE;startdatum;Okänd kolumn;LAROSATE\n' > k.csv
	printf '%s\n' \
	    '2024-02-09;850312-1371;kiropraktorprogrammet;KS;2024-01-15;x;karolinska institutet' \
	    '2024-02-09;850312-1371;Sjukhusfysikerprogrammet;KS;2024-01-15;x;Uppsala universitet' \
	    '2024-02-09;850312-1371;Medicinsk sekreterare (LIA);KS;2024-01-15;x;' \
	    '2024-02-09;850312-1371;  Naprapatprogrammet ;KS;2024-01-15;x;' \
	    '2024-02-09;850312-1371;Barnmorskeprogrammet;KS;2024-01-15;x;Sophiahemmet Högskola' >> k.csv
	run ingest --profile klipp-placements -o out.csv k.csv
	assert_success
	# the university map is open: Uppsala passes through as written
	run cut -d, -f1,3,6,7,11,15 out.csv
	assert_output "stream,provider_name,category,university,extent,src
naprapat,KS,,KI,,k.csv:2
sjukhusfysiker,KS,,Uppsala universitet,,k.csv:3
lia,KS,Medicinsk sekreterare (LIA),,,k.csv:4
naprapat,KS,,,,k.csv:5
vil,KS,Barnmorskeprogrammet,SHH,,k.csv:6"
}

@test "klipp-placements: course codes are matched folded; one no listed code starts as is no SVK or degree project" {
	KEY=$(make_key)
	printf 'Personnummer;Program;Kurskod;Vårdgivare;Startdatum;Slutdatum\n' > k.csv
	# map_get misses a value whose first letter starts no folded key
	# without a lookup: each row here must still find its list, or not
	printf '%s\n' \
	    '850312-1371;Läkarprogrammet; lä1svk2 ;KS;2024-01-15;2024-02-09' \
	    '850312-1371;Läkarprogrammet;LÄ1EXB;KS;2024-01-15;2024-02-09' \
	    '850312-1371;Läkarprogrammet;la1svk1;KS;2024-01-15;2024-02-09' \
	    '850312-1371;Läkarprogrammet;K1SVK1;KS;2024-01-15;2024-02-09' \
	    '850312-1371;Läkarprogrammet;Lä1svk3;KS;2024-01-15;2024-02-09' >> k.csv
	run ingest --profile klipp-placements -o out.csv k.csv
	assert_success
	run cut -d, -f1,3,4,15 out.csv
	assert_output "stream,provider_name,host_name,src
lak-svk,Södersjukhuset,KS,k.csv:2
lak-exjobb,KS,,k.csv:3
lak-svk,Karolinska universitetssjukhuset,KS,k.csv:4
lak-vfu,KS,,k.csv:5
lak-svk,Danderyds sjukhus AB,KS,k.csv:6"
}

@test "a profile value that maps to a stream missing from streams.csv rejects the row" {
	cat > p <<-'P'
	[profile]
	writes = records
	[columns]
	provider_name = Vårdgivare
	prog = Program
	period = År : year
	qty = Antal : number
	[map s closed]
	A = vil
	B = nosuchstream
	[rules]
	stream = map(s, $prog)
	uom = weeks
	P
	printf 'Vårdgivare;Program;År;Antal\nKS;A;2024;1\nKS;B;2024;1\nKS;C;2024;1\n' > s.csv
	run alf-ingest --profile ./p --rejects rej.csv -o out.csv s.csv
	assert_failure 1
	assert_line "alf-ingest: s.csv:3: stream: not a stream of streams.csv (nosuchstream)"
	assert_line "alf-ingest: s.csv:4: Program: not in the profile's map s (C)"
	assert_line "alf-ingest: 3 read, 1 accepted, 2 rejected, 0 merged; 1 written"
	assert_equal "$(tail -n +2 out.csv)" "vil,,KS,,,,,,,2024,,1,weeks,,s.csv:2"
	assert_equal "$(cat rej.csv)" "Vårdgivare,Program,År,Antal,reject_reason,reject_src
KS,B,2024,1,not a stream of streams.csv (nosuchstream),s.csv:3
KS,C,2024,1,not in the profile's map s (C),s.csv:4"
}

# a small profile over every decoded type
decode_profile() {
	cat > p <<-'P'
	[profile]
	writes = records
	[columns]
	provider_name = Vårdgivare
	unit = Enhet
	start = Från : date
	end = Till : date
	extent = Omf : percent
	qty = Antal : number
	[rules]
	stream = vil
	P
}

@test "encodings: Windows-1252 detected (0x80-0x9F), declared ISO-8859-1 in the profile, --encoding overrides" {
	decode_profile
	printf 'V\xe5rdgivare;Enhet;Fr\xe5n;Till;Omf;Antal\nS\xf6der;Avd \x96 5 \x80 \x92x\x92;2024-01-01;2024-01-05;100;1\n' > w.csv
	run alf-ingest --profile ./p --quiet w.csv
	assert_success
	assert_line --index 1 "vil,,Söder,,Avd – 5 € ’x’,,,2024-01-01,2024-01-05,,100,1,,,w.csv:2"
	run alf-ingest --profile ./p --encoding windows-1252 --quiet w.csv
	assert_line --index 1 "vil,,Söder,,Avd – 5 € ’x’,,,2024-01-01,2024-01-05,,100,1,,,w.csv:2"
	# ISO-8859-1 has no € or dashes there: U+0080, U+0096, U+0092
	sed 's/^\[profile\]$/[profile]\nencoding = iso-8859-1/' p > p1
	run alf-ingest --profile ./p1 --quiet w.csv
	assert_success
	assert_equal "$(sed -n 2p <<< "$output" | cut -d, -f5 | od -An -tx1 | tr -d ' \n')" \
	    "41766420c296203520c28020c29278c2920a"
	run alf-ingest --profile ./p1 --encoding auto --quiet w.csv
	assert_line --index 1 "vil,,Söder,,Avd – 5 € ’x’,,,2024-01-01,2024-01-05,,100,1,,,w.csv:2"
	# declared UTF-8, the header is not
	run alf-ingest --profile ./p --encoding utf-8 -o out.csv w.csv
	assert_failure 2
	assert_output "alf-ingest: w.csv:1: header is not utf-8 text"
	[ ! -e out.csv ]
	run alf-ingest --profile ./p --encoding latin9 w.csv
	assert_failure 2
	assert_output "alf-ingest: --encoding: not auto, utf-8, windows-1252 or iso-8859-1 (latin9)"
}

@test "numbers, percentages and dates as offices write them; what does not parse rejects" {
	decode_profile
	printf 'V\xe5rdgivare;Enhet;Fr\xe5n;Till;Omf;Antal\n' > n.csv
	printf '%s\n' \
	    'KS;a;20240101;2024-01-05 23:59;100 %;1 000' \
	    'KS;b;2024-01-01;2024-01-05;100%;1 000 000,25' \
	    'KS;c;2024-01-01;2024-01-05;0;1' \
	    'KS;d;2024-01-01;2024-01-05;100,01;1' \
	    'KS;e;2024-01-01;2024-01-05;-5;1' \
	    'KS;f;20240230;2024-03-05;50;1' \
	    'KS;g;2024-02-30 10:00;2024-03-05;50;1' \
	    'KS;h;2024-01-01;2024-01-05;50;1e3' \
	    'KS;i;2024-01-01;2024-01-05;50;1,234' \
	    'KS;j;2024-01-01;2024-01-05;50;1.234,5' \
	    'KS;k;2024-01-01;2024-01-05;50;12 34' \
	    'KS;l;2024-01-01;2024-01-05;50;="0123"' \
	    'KS;m;2024-01-01;2024-01-05;33,333;1' \
	    'KS;n;2024-01-01;2024-01-05;1,5;1' \
	    'KS;o;2024-1-1;2024-01-05;1;1' \
	    'KS;p;2024-01-01 25:00;2024-01-05;1;1' \
	    'KS;q;2024-01-01;2024-01-05;;' \
	    'KS;r;2024-01-01;2024-01-05;100;-3,5' >> n.csv
	printf 'KS;s;2024-01-01;2024-01-05;100;1\xa0234\n' >> n.csv
	run ingest --profile ./p -o out.csv n.csv
	assert_failure 1
	assert_line "alf-ingest: 19 read, 8 accepted, 11 rejected, 0 merged; 8 written"
	assert_line "alf-ingest: n.csv:7: Från: not a date YYYY-MM-DD or YYYYMMDD (20240230)"
	assert_line "alf-ingest: n.csv:8: Från: not a date YYYY-MM-DD or YYYYMMDD (2024-02-30 10:00)"
	assert_line "alf-ingest: n.csv:9: Antal: not a number (1e3)"
	assert_line "alf-ingest: n.csv:12: Antal: not a number (12 34)"
	assert_line "alf-ingest: n.csv:16: Från: not a date YYYY-MM-DD or YYYYMMDD (2024-1-1)"
	assert_line "alf-ingest: n.csv:17: Från: not a date YYYY-MM-DD or YYYYMMDD (2024-01-01 25:00)"
	assert_line "alf-ingest: n.csv:19: Antal: negative (-3,5)"
	assert_line --regexp '^alf-ingest: n.csv:4: Omf: not a percentage in \(0, 100\] '
	assert_line --regexp '^alf-ingest: n.csv:5: Omf: not a percentage in \(0, 100\] '
	assert_line --regexp '^alf-ingest: n.csv:6: Omf: not a percentage in \(0, 100\] '
	assert_line --regexp '^alf-ingest: n.csv:14: Omf: not a percentage in \(0, 100\] '
	run cut -d, -f5,8,9,11,12 out.csv
	assert_output "unit,start,end,extent,qty
a,2024-01-01,2024-01-05,100,1000
b,2024-01-01,2024-01-05,100,1000000.25
i,2024-01-01,2024-01-05,50,1.234
j,2024-01-01,2024-01-05,50,1234.5
l,2024-01-01,2024-01-05,50,123
n,2024-01-01,2024-01-05,1.5,1
q,2024-01-01,2024-01-05,,
s,2024-01-01,2024-01-05,100,1234"
}

@test "CSV through the profile reader: quoted delimiter, quotes and newline, CRLF, blank and delimiter-only lines, extra field, no final newline" {
	decode_profile
	printf 'V\xc3\xa5rdgivare;Enhet;Fr\xc3\xa5n;Till;Omf;Antal;;\r\n"KS";"Avd; ""3""\nplan 2";2024-01-01;2024-01-05;100;1\r\n\r\n;;;;;\r\nKS;b;2024-01-01;2024-01-05;100;1;;;\r\nKS;c;2024-01-01;2024-01-05;100;1;x\r\nKS;d;2024-01-01;2024-01-05;100;1' > q.csv
	run alf-ingest --profile ./p --rejects rej.csv -o out.csv q.csv
	assert_failure 1
	assert_output "alf-ingest: q.csv:7: expected 6 fields, found 7
alf-ingest: 4 read, 3 accepted, 1 rejected, 0 merged; 3 written"
	run cat out.csv
	assert_output 'stream,person,provider_name,host_name,unit,category,university,start,end,period,extent,qty,uom,salary,src
vil,,KS,,"Avd; ""3""
plan 2",,,2024-01-01,2024-01-05,,100,1,,,q.csv:2
vil,,KS,,b,,,2024-01-01,2024-01-05,,100,1,,,q.csv:6
vil,,KS,,d,,,2024-01-01,2024-01-05,,100,1,,,q.csv:8'
	assert_equal "$(tail -1 rej.csv)" 'KS,c,2024-01-01,2024-01-05,100,1,x,,"expected 6 fields, found 7",q.csv:7'
}

# the pseudonym of 12 digits under key file $1, recomputed with openssl
hmac20() {
	printf '%s' "$2" | openssl dgst -sha256 -mac HMAC \
	    -macopt "hexkey:$(xxd -p -c 256 "$1")" | sed 's/.*= //' | cut -c1-20
}

@test "personal identity numbers: forms, century from --year or the row's start, samordningsnummer, leap days, what is refused" {
	KEY=$(make_key)
	printf 'Personnummer;Program;Vårdgivare;Startdatum;Slutdatum\n' > p.csv
	# synthetic (gen-pnr.awk): 1924-01-01, 2024-01-01 and 2024-12-31 share
	# serials with valid check digits; 1900-02-28, 2000-02-29, 1992-11-30 + 60
	for f in 240101-1370 240101+1370 19240101+1370 2401011370 000228+2119 \
	    000229-2480 000229+2480 921190-2854 921130-2854 19921190-2854 \
	    241231-3229 202501011237 ' 850312-1371 ' 850312--1371 8503121371x \
	    85031213-71 1985031213710 850312+1371; do
		printf '%s;Läkarprogrammet;KS;2024-01-15;2024-02-09\n' "$f" >> p.csv
	done
	# no --year: the row's start date is the budget year
	run alf-ingest --key-file "$KEY" --profile klipp-placements -o out.csv p.csv
	assert_failure 1
	assert_output "alf-ingest: p.csv:8: Personnummer: not a plausible date of birth
alf-ingest: p.csv:10: Personnummer: check digit wrong
alf-ingest: p.csv:13: Personnummer: not a plausible date of birth
alf-ingest: p.csv:15: Personnummer: not a personal identity number (10 or 12 digits)
alf-ingest: p.csv:16: Personnummer: not a personal identity number (10 or 12 digits)
alf-ingest: p.csv:17: Personnummer: not a personal identity number (10 or 12 digits)
alf-ingest: p.csv:18: Personnummer: not a personal identity number (10 or 12 digits)
alf-ingest: 18 read, 11 accepted, 7 rejected, 0 merged; 11 written"
	want=
	for d in 202401011370 192401011370 192401011370 202401011370 \
	    190002282119 200002292480 199211902854 199211902854 202412313229 \
	    198503121371 188503121371; do
		want="$want$(hmac20 "$KEY" $d) "
	done
	assert_equal "$(cut -d, -f2 out.csv | tail -n +2 | tr '\n' ' ')" "$want"
	# in 2125, 24 is 2124 (the person is 1)
	printf 'Personnummer;Program;Vårdgivare;Startdatum;Slutdatum\n240101-1370;Läkarprogrammet;KS;2024-01-15;2024-02-09\n' > y.csv
	run alf-ingest --key-file "$KEY" --profile klipp-placements --quiet y.csv
	assert_line --index 1 --partial ",$(hmac20 "$KEY" 202401011370),"
	sed -i 's/2024-/2125-/g' y.csv
	run alf-ingest --key-file "$KEY" --profile klipp-placements --year 2125 --quiet y.csv
	assert_line --index 1 --partial ",$(hmac20 "$KEY" 212401011370),"
}

@test "the key is the file's bytes exactly, NUL and newline included; group or other bits refuse it" {
	printf 'a\0b\n' > key
	chmod 600 key
	printf 'Personnummer;Program;Vårdgivare;Startdatum;Slutdatum\n850312-1371;Läkarprogrammet;KS;2024-01-15;2024-02-09\n' > in.csv
	run alf-ingest --key-file key --profile klipp-placements --quiet in.csv
	assert_success
	assert_line --index 1 --partial ",$(hmac20 key 198503121371),"
	assert_equal "$(hmac20 key 198503121371)" \
	    "$(printf 198503121371 | openssl dgst -sha256 -mac HMAC -macopt hexkey:6100620a | sed 's/.*= //' | cut -c1-20)"
	for m in 640 604 660 606 620 602 700; do
		chmod $m key
		run alf-ingest --key-file key --profile klipp-placements -o out.csv in.csv
		if [ $m = 700 ]; then
			assert_success
			rm out.csv
			continue
		fi
		assert_failure 2
		assert_output "alf-ingest: key: key file is readable by group or others (mode $m); chmod 600 it"
		[ ! -e out.csv ]
	done
	chmod 400 key
	ALF_KEY_FILE="$W/key" run alf-ingest --profile klipp-placements --quiet in.csv
	assert_success
	run alf-ingest --key-file no-such.key --profile klipp-placements in.csv
	assert_failure 2
	assert_output "alf-ingest: no-such.key: cannot read key file: No such file or directory"
	: > empty.key
	chmod 600 empty.key
	run alf-ingest --key-file empty.key --profile klipp-placements in.csv
	assert_failure 2
	assert_output "alf-ingest: empty.key: key file is empty"
	# a profile without personal identity numbers needs no key
	ALF_KEY_FILE= run alf-ingest --profile course-plan --quiet "$IN/course-plan.csv"
	assert_success
}

@test "--names replaces an existing file with one of mode 0600, whatever the umask" {
	KEY=$(make_key)
	echo old > names.csv
	chmod 666 names.csv
	(umask 0; ingest --profile klipp-placements --names names.csv --quiet \
	    -o out.csv "$IN/klipp-placements.csv")
	assert_equal "$(stat -c %a names.csv)" 600
	assert_equal "$(sed -n 2p names.csv)" "$(csv_get out.csv person unit Kirurgi),Anna Åberg"
	# one line per person: Anna's two placements name her once
	assert_equal "$(grep -c 'Anna Åberg' names.csv)" 1
}

@test "the demo's key: made once, mode 0600, said so; ALF_KEY_FILE wins" {
	unset ALF_KEY_FILE
	run "$ROOT/pipelines/demo-key"
	assert_success
	assert_line --index 0 "demo-key: created $W/.alf-demo.key (mode 0600) for the demo's pseudonyms; set ALF_KEY_FILE to use your own"
	assert_line --index 1 "$W/.alf-demo.key"
	assert_equal "$(stat -c %a .alf-demo.key)" 600
	assert_equal "$(stat -c %s .alf-demo.key)" 32
	sum=$(sha256sum < .alf-demo.key)
	run "$ROOT/pipelines/demo-key"
	assert_output "$W/.alf-demo.key"
	assert_equal "$(sha256sum < .alf-demo.key)" "$sum"
	ALF_KEY_FILE=/elsewhere/k run "$ROOT/pipelines/demo-key"
	assert_output /elsewhere/k
	# and alf-ingest takes it
	run alf-ingest --key-file .alf-demo.key --profile klipp-placements --year 2024 --quiet "$IN/klipp-placements.csv"
	assert_success
}

@test "Stockholm 2024's exports leak no personal identity number in any form either" {
	KEY=$(make_key)
	S="$FIX/stockholm-2024"
	for p in klipp-2024:klipp-placements hr-2024:hr-service; do
		f=${p%%:*}
		alf-ingest --key-file "$KEY" --year 2024 --profile ${p#*:} \
		    --names "$f.names" --rejects "$f.rej" -o "$f.out" \
		    "$S/$f.csv" 2> "$f.err" || [ $? -eq 1 ]
		alf-normalize --providers "$S/providers.csv" --year 2024 \
		    --rejects "$f.nrej" -o "$f.act" "$f.out" 2> "$f.nerr" ||
		    [ $? -eq 1 ]
	done
	ls *.out *.rej *.err *.act *.nrej *.nerr *.names > files
	assert_equal "$(wc -l < files)" 14
	[ "$(wc -l < klipp-2024.act)" -gt 10 ]
	refute_pnr_in "$S/pnrs.txt" $(cat files)
}

# lib/csvio: readers trim the spaces and tabs around an unquoted field, as
# libcsv does by default, and writers quote a field that has them
@test "a tab at a field's end: trimmed when unquoted, kept and quoted when it was quoted" {
	printf 'stream,provider_name,unit,period,qty,uom\nhap,SLSO,\tAvd 1 \t,2024,1,hap\nhap,SLSO,"\tAvd 2\t",2024,1,hap\nhap,KS,Avd\t3,2024,1,hap\n' > r.csv
	alf-ingest --quiet r.csv > out.csv
	run csv_get out.csv unit provider_name SLSO
	assert_line --index 0 'Avd 1'
	assert_line --index 1 '"	Avd 2	"'
	grep -q '^hap,,KS,,Avd	3,' out.csv
	# what alf wrote reads back as it was
	alf-ingest --quiet <(tail -n +1 out.csv | cut -d, -f1-14) > again.csv
	run csv_get again.csv unit provider_name SLSO
	assert_line --index 1 '"	Avd 2	"'
}

@test "canonical records: a raw number in person never reaches the reject file" {
	printf 'stream,person,provider_name,period,qty,uom\nhap,198503121371,SLSO,2024,1,hap\nhap,850312-1371,SLSO,2024,1,hap\n' > c.csv
	run alf-ingest --rejects rej.csv -o out.csv c.csv
	assert_failure 1
	run grep -c -e 198503121371 -e 850312-1371 rej.csv
	assert_output 0
	assert_equal "$(cut -d, -f2 rej.csv | tail -n +2 | tr '\n' ' ')" "  "
}

@test "a number in a free-text column of an accepted row is not written" {
	KEY=$(make_key)
	printf 'Personnummer;Program;Vårdgivare;Startdatum;Slutdatum;Enhet\n850312-1371;Läkarprogrammet;KS;2024-01-15;2024-02-09;850312-1371\n' > t.csv
	run alf-ingest --key-file "$KEY" --profile klipp-placements --quiet -o out.csv t.csv
	run grep -c 850312-1371 out.csv
	assert_output 0
}

@test "canonical records: exit 2 writes nothing to standard output" {
	bats_require_minimum_version 1.5.0
	: > empty.csv
	printf 'stream,person\nvil,\n' > nocol.csv
	printf 'stream,provider_name,period,qty,uom\nhap,SLSO,2024,1,hap\n' > ok.csv
	run --separate-stderr alf-ingest empty.csv
	assert_failure 2
	assert_equal "$output" ""
	run --separate-stderr alf-ingest nocol.csv
	assert_failure 2
	assert_equal "$output" ""
	run --separate-stderr alf-ingest ok.csv nocol.csv
	assert_failure 2
	assert_equal "$output" ""
}

@test "a mis-encoded byte names the encoding the file was read in" {
	printf '[profile]\nwrites = records\n[columns]\nprovider_name = V\xc3\xa5rdgivare\nunit = Enhet\nperiod = \xc3\x85r : year\n[rules]\nstream = hap\n' > p
	printf 'V\xe5rdgivare;Enhet;\xc5r\nS\xf6der;Avd \x81;2024\n' > w.csv
	run alf-ingest --profile ./p w.csv
	assert_failure 1
	assert_line "alf-ingest: w.csv:2: Enhet: mis-encoded byte, not windows-1252 (Avd \\x81)"
}

# decode_open's strays: a Windows-1252 file is checked for bytes its code
# page lacks only once one has come by, so one far down, read by the
# reading thread, must still reject its row and only its row
@test "a byte Windows-1252 lacks, 20 000 rows down, rejects that row alone" {
	printf '[profile]\nwrites = records\n[columns]\nprovider_name = V\xc3\xa5rdgivare\nunit = Enhet\nperiod = \xc3\x85r : year\n[rules]\nstream = hap\n' > p
	awk 'BEGIN { printf "V\345rdgivare;Enhet;\305r\r\n"
		for (i = 2; i <= 30001; i++)
			printf "S\366der;Avd %s;2024\r\n", i == 20002 ? "\201" : i }' > w.csv
	run alf-ingest --profile ./p --rejects rej.csv -o out.csv w.csv
	assert_failure 1
	assert_line "alf-ingest: w.csv:20002: Enhet: mis-encoded byte, not windows-1252 (Avd \\x81)"
	assert_line "alf-ingest: 30000 read, 29999 accepted, 1 rejected, 0 merged; 29999 written"
	run grep -c "Söder,,Avd " out.csv
	assert_output 29999
	run grep -c "Avd 20002" out.csv
	assert_output 0
}

@test "a diagnostic names the value as read, not as decoded" {
	printf '[profile]\nwrites = records\n[columns]\nprovider_name = V\xc3\xa5rdgivare\nstart = Fr\xc3\xa5n : date\nend = Till : date\nextent = Omf : percent\n[rules]\nstream = vil\n' > p
	printf 'Vårdgivare;Från;Till;Omf\nKS;2024-01-01;2024-01-05;100,01\n' > n.csv
	run alf-ingest --profile ./p n.csv
	assert_line "alf-ingest: n.csv:2: Omf: not a percentage in (0, 100] (100,01)"
}

# lib/csvio reads past its first 10 000 rows in a thread of its own: the
# rows must still come in file order, each with its own line, and a bad
# row far down is rejected where it is
@test "a long input: every row in order with its line, past the reading thread's start" {
	bats_require_minimum_version 1.5.0
	# row i is on line i, or i + 1 after the quoted newline of row 15000
	awk 'BEGIN {
		print "stream,provider_name,period,qty,uom"
		for (i = 2; i <= 25001; i++)
			if (i == 7 || i == 20002 || i == 25001)
				print "hap,SLSO,2024,-" i ",hap"
			else if (i == 15000)
				print "hap,\"SLSO\nKS\",2024," i ",hap"
			else
				print "hap,SLSO,2024," i ",hap"
	}' > long.csv
	run --separate-stderr alf-ingest --rejects rej.csv -o out.csv long.csv
	assert_failure 1
	assert_equal "${stderr_lines[0]}" "alf-ingest: long.csv:7: qty: negative (-7)"
	assert_equal "${stderr_lines[1]}" "alf-ingest: long.csv:20003: qty: negative (-20002)"
	assert_equal "${stderr_lines[2]}" "alf-ingest: long.csv:25002: qty: negative (-25001)"
	assert_equal "${stderr_lines[3]}" \
	    "alf-ingest: 25000 read, 24997 accepted, 3 rejected, 0 merged; 24997 written"
	run awk -F, 'BEGIN { last = 1 } NF == 15 && NR > 1 {
		want = $12 <= 15000 ? $12 : $12 + 1
		skip = (last == 6) + (last == 14999) + (last == 20001)
		if ($15 != "long.csv:" want || $12 != last + 1 + skip) {
			print "row " NR ": " $0; exit 1 }
		last = $12; n++ } END { print n, last }' out.csv
	assert_output "24996 25000"
	grep -q '^hap,,"SLSO$' out.csv
	grep -q '^KS",,,,,,,2024,,15000,hap,,long.csv:15000$' out.csv
	assert_equal "$(cut -d, -f4 rej.csv | tail -n +2 | tr '\n' ' ')" "-7 -20002 -25001 "
}
