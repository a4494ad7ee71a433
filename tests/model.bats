#!/usr/bin/env bats
# pipelines/model.jq: validating a model and flattening it to the rules CSV
# (alf-allocate) and the meta CSV (alf-invoice), run exactly as the tools run it.

bats_require_minimum_version 1.5.0

ROOT="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
JQ=/usr/bin/jq
STOCKHOLM="$ROOT/pipelines/models/stockholm-2024.json"
SMALL="$ROOT/tests/models/small.json"

if [ -f /usr/lib/bats/bats-support/load.bash ]; then
	load '/usr/lib/bats/bats-support/load'
	load '/usr/lib/bats/bats-assert/load'
fi

RULES_HEADER='year,line,title,fund,purpose,payer,method,basis,rate,factor,cap_per_person,pot,round,weight,from,to,internal,detail,select_stream,select_category,select_provider,select_host,select_university,select_year,select_aka,weights,amounts'

# model MODE PROG FILE [STREAMS]: the tools' invocation; FILE is named as given.
model() {
	"$JQ" -r -f "$ROOT/pipelines/model.jq" --arg mode "$1" --arg prog "$2" \
	    --arg file "$3" --rawfile streams "${4:-$ROOT/pipelines/streams.csv}" "$3"
}

rules() { model rules alf-allocate "$1"; }
meta() { model meta alf-invoice "$1"; }

# the row of line ID in rules output (exactly one)
rules_row() {
	rules "$1" | awk -F, -v id="$2" 'NR > 1 && $2 == id' | {
		read -r row || return 1
		! read -r _ || return 1
		printf '%s\n' "$row"
	}
}

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# edit BASE FILTER: write m.json, the base model changed by a jq filter
edit() {
	"$JQ" "$2" "$1" > m.json
}

# rejects MODE EXPECTED: m.json fails with exit 2, nothing on stdout and
# exactly the one diagnostic line
rejects() {
	local prog=alf-allocate
	[ "$1" = meta ] && prog=alf-invoice
	run --separate-stderr model "$1" "$prog" m.json
	[ "$status" -eq 2 ] || { echo "status $status, stderr: $stderr"; return 1; }
	[ -z "$output" ] || { echo "stdout: $output"; return 1; }
	[ "$stderr" = "$prog: m.json: $2" ] || {
		printf 'expected: %s\nactual:   %s\n' "$prog: m.json: $2" "$stderr"
		return 1
	}
	# one line, ended by a newline (command substitution ate it: count)
	[ "$(model "$1" "$prog" m.json 2>&1 >/dev/null | wc -l)" -eq 1 ]
}

bad_small() { edit "$SMALL" "$1"; rejects rules "$2"; }
bad_stockholm_meta() { edit "$STOCKHOLM" "$1"; rejects meta "$2"; }

# --- streams.csv ---------------------------------------------------------------

@test "streams.csv: header, the contract's streams in order, known uoms" {
	run cut -d, -f1,2 "$ROOT/pipelines/streams.csv"
	[ "$status" -eq 0 ]
	expected='stream,uom
lak-vfu,weeks
lak-svk,weeks
lak-exjobb,weeks
lak-course,days
lak-moment,days
vil,weeks
aka,weeks
kua,weeks
ktc,weeks
logoped,weeks
socionom,weeks
naprapat,weeks
sjukhusfysiker,weeks
apl,weeks
lia,weeks
at,months
bt,months
bt-sido,months
st,months
st-sido,months
ptp,months
komp,months
fysiker-st,months
hap,hap
hst,hst
quality,score'
	[ "$output" = "$expected" ]
	# three columns on every row, no quoting needed
	run awk -F, 'NF != 3 || $3 == ""' "$ROOT/pipelines/streams.csv"
	[ -z "$output" ]
}

# --- rules: the Stockholm model --------------------------------------------------

@test "rules: stockholm-2024 is valid and starts with the header" {
	run --separate-stderr rules "$STOCKHOLM"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${lines[0]}" = "$RULES_HEADER" ]
}

@test "rules: 3.2 row exactly" {
	run rules_row "$STOCKHOLM" 3.2
	[ "$status" -eq 0 ]
	[ "$output" = '2024,3.2,Grundutbildning läkare,ALF,education,HSF,rate,hap,101794,,,,1,,,,false,none,hap,,,,,2024,,,' ]
}

@test "rules: 3.3-alf and 3.3-hsf rows exactly (a title with a comma is quoted)" {
	run rules_row "$STOCKHOLM" 3.3-alf
	[ "$output" = '2024,3.3-alf,"Lokaler, undervisning - läkarprogrammet",ALF,education,HSF,share,hap,,,,7680000,1,,,,false,none,hap,,,,,2024,,,' ]
	run rules_row "$STOCKHOLM" 3.3-hsf
	[ "$output" = '2024,3.3-hsf,"Lokaler, undervisning - läkarprogrammet",HSF,education,HSF,share,hap,,,,10570000,1,,,,false,none,hap,,,,,2024,,,' ]
}

@test "rules: one row per line, in model order" {
	run bash -c "'$JQ' -r '.lines[].id' '$STOCKHOLM'"
	ids="$output"
	run bash -c "$(declare -f model rules); JQ='$JQ' ROOT='$ROOT' rules '$STOCKHOLM' | tail -n +2 | cut -d, -f2"
	[ "$status" -eq 0 ]
	[ "$output" = "$ids" ]
	[ "${#lines[@]}" -ge 30 ]
}

@test "rules: fixed amounts keep the model's key order (4.3)" {
	run rules_row "$STOCKHOLM" 4.3
	[ "$output" = '2024,4.3,Specialiseringstjänstgöring för läkare (ST),HSF,education,HSF,fixed,,,,,,1,,,,false,none,,,,,,2024,,,SLSO=497046000|DS=60858000|KS=219240000|SOS=85428000|SESAB=10962000|TIOHUNDRA=8298000|SODERTALJE=15876000|CAPIO=38178000|ERSTA=1890000' ]
}

@test "stockholm-2024: the fixed lines' published totals (tkr tables of 002)" {
	total() { "$JQ" -r --arg id "$1" '.lines[] | select(.id == $id) | .amounts | [.[] | tonumber] | add' "$STOCKHOLM"; }
	[ "$(total 3.6)" = 12500000 ]
	[ "$(total 4.1)" = 185610000 ]
	[ "$(total 4.3)" = 937776000 ]
	[ "$(total 3.11)" = 6000000 ]
	[ "$(total 3.9.1-alf)" = 3250000 ]
	[ "$(total 3.9.1-hsf)" = 3250000 ]
	[ "$(total 3.9.2-alf)" = 3250000 ]
	[ "$(total 3.9.2-hsf)" = 3250000 ]
}

@test "stockholm-2024: every provider the model names is in providers.csv" {
	run bash -c "'$JQ' -r '.lines[].amounts // {} | keys_unsorted[]' '$STOCKHOLM' | sort -u"
	[ "$status" -eq 0 ]
	[ -n "$output" ]
	for p in $output AISAB FALCK SAMAR KS; do
		grep -q "^$p," "$ROOT/fixtures/stockholm-2024/providers.csv" || { echo "no provider $p"; return 1; }
	done
}

# --- rules: defaults and select_year ------------------------------------------------

@test "rules: small model, every row exactly" {
	run --separate-stderr rules "$SMALL"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	expected="$RULES_HEADER"'
2024,r1,r1,ALF,education,HSF,rate,weeks,100,,,,1,,,,false,none,lak-vfu,,,,,2024,,,
2024,s1,"Share, ""quoted""",ALF,education,HSF,share,months,,,,1000,100,,,,false,none,st|lak-vfu,a|b,,,,2023,,b=1/2|a=2,
2024,f1,f1,FOU,research,HSF,fixed,,,,,,1,,,,true,person,,,,,,2024,,,KS=10|DS=20.5
2024,b1,b1,ALF,education,HSF,blend,,,,,,1,1/3,r1,s1,false,none,,,,,,2024,,,
2024,y1,y1,ALF,education,@university,rate,days,5,1/2,6,500,1,,,,false,none,vil,,,,,2022,true,,'
	[ "$output" = "$expected" ]
}

@test "rules: select_year absent is the model's year, -1 the year before, else as written" {
	run rules_row "$SMALL" r1
	[ "$(echo "$output" | cut -d, -f24)" = 2024 ]
	run rules_row "$SMALL" s1
	# s1's title is quoted with a comma inside: count fields from the end
	[ "$(echo "$output" | awk -F, '{print $(NF-3)}')" = 2023 ]
	run rules_row "$SMALL" y1
	[ "$(echo "$output" | cut -d, -f24)" = 2022 ]
	edit "$SMALL" '.year = 2031'
	run rules_row m.json s1
	[ "$(echo "$output" | awk -F, '{print $(NF-3)}')" = 2030 ]
	run rules_row m.json r1
	[ "$(echo "$output" | cut -d, -f1,24)" = 2031,2031 ]
}

@test "rules: defaults: title is the id, purpose education, detail none, internal false" {
	run rules_row "$SMALL" r1
	[ "$(echo "$output" | cut -d, -f2,3,5,17,18)" = 'r1,r1,education,false,none' ]
}

@test "rules: basis defaults to the first stream's uom; empty for fixed and blend" {
	run rules_row "$SMALL" r1
	[ "$(echo "$output" | cut -d, -f8)" = weeks ]
	run rules_row "$SMALL" f1
	[ "$(echo "$output" | cut -d, -f7,8)" = fixed, ]
	run rules_row "$SMALL" b1
	[ "$(echo "$output" | cut -d, -f7,8)" = blend, ]
	edit "$SMALL" '.lines[0].select.stream = ["hap", "lak-vfu"]'
	run rules_row m.json r1
	[ "$(echo "$output" | cut -d, -f8)" = hap ]
}

@test "rules: round is the line's, else the model's" {
	edit "$SMALL" '.round = "1000"'
	run rules_row m.json r1
	[ "$(echo "$output" | cut -d, -f13)" = 1000 ]
	run rules_row m.json s1
	[ "$(echo "$output" | awk -F, '{print $(NF-14)}')" = 100 ]
}

@test "rules: a stream added to streams.csv is accepted without other changes" {
	edit "$SMALL" '.lines[0].select.stream = "dental"'
	run --separate-stderr model rules alf-allocate m.json
	[ "$status" -eq 2 ]
	{ cat "$ROOT/pipelines/streams.csv"; echo 'dental,weeks,Dental students'; } > streams.csv
	run --separate-stderr model rules alf-allocate m.json streams.csv
	[ "$status" -eq 0 ]
	[ "$(echo "${lines[1]}" | cut -d, -f8,19)" = weeks,dental ]
}

# --- validation: one error, exit 2, exact message ---------------------------------

@test "error: not an object" {
	cp "$ROOT/tests/models/not-object.json" m.json
	rejects rules '.: not a JSON object (array)'
}

@test "error: duplicate line id" {
	cp "$ROOT/tests/models/duplicate-id.json" m.json
	rejects rules 'line 3.4: id: duplicate line id (3.4)'
}

@test "error: research purpose on an education fund" {
	cp "$ROOT/tests/models/research-from-education.json" m.json
	rejects rules 'line 3.11: purpose: education money must not become research money (research)'
}

@test "error: a blend cycle through another blend" {
	cp "$ROOT/tests/models/blend-cycle.json" m.json
	rejects rules 'line b1: to: blend cycle (b2)'
}

@test "error: a blend naming itself" {
	bad_small '.lines[3].to = "b1"' 'line b1: to: blend cycle (b1)'
}

@test "error: model, year, round" {
	bad_small '.model = 5' 'model: not a non-empty string (5)'
	bad_small '.year = 2024.5' 'year: not a year (2024.5)'
	bad_small 'del(.year)' 'year: not a year (missing)'
	bad_small '.round = 1' 'round: not a decimal string (1)'
	bad_small '.round = "0"' 'round: not positive (0)'
	bad_small '.round = "-1"' 'round: negative amount (-1)'
	bad_small '.synthetic = "yes"' 'synthetic: not true or false (yes)'
}

@test "error: funds and payers" {
	bad_small '.funds.ALF = "teaching"' 'funds.ALF: not education or research (teaching)'
	bad_small '.funds = {}' 'funds: not a non-empty object ({})'
	bad_small 'del(.payers.HSF.reference)' 'payers.HSF.reference: required (missing)'
	bad_small 'del(.payers.HSF.name)' 'payers.HSF.name: required (missing)'
	bad_small '.payers.HSF.org_nr = "232100-0017"' 'payers.HSF.org_nr: not an organisation number NNNNNN-NNNN (232100-0017)'
	bad_small '.payers.HSF.org_nr = "2321000016"' 'payers.HSF.org_nr: not an organisation number NNNNNN-NNNN (2321000016)'
	bad_small '.payers.hsf = .payers.HSF' 'payers.hsf: not a payer id (hsf)'
	bad_small '.payers.HSF.city = 1' 'payers.HSF.city: not a string (1)'
}

@test "error: lines" {
	bad_small '.lines = []' 'lines: not a non-empty array ([])'
	bad_small 'del(.lines)' 'lines: not a non-empty array (missing)'
	bad_small '.lines[0].id = 7' 'lines.0.id: not a non-empty string (7)'
	bad_small '.lines[1] = "s1"' 'lines.1: not an object (s1)'
	bad_small '.lines[0].ammount = "1"' 'line r1: ammount: unknown field (1)'
	bad_small '.lines[0].title = 3' 'line r1: title: not a string (3)'
}

@test "error: method, fund, payer, purpose" {
	bad_small '.lines[0].method = "ratio"' 'line r1: method: not one of rate, share, fixed, blend (ratio)'
	bad_small 'del(.lines[0].method)' 'line r1: method: not one of rate, share, fixed, blend (missing)'
	bad_small '.lines[0].fund = "XYZ"' 'line r1: fund: not a key of funds (XYZ)'
	bad_small '.lines[0].payer = "RLK"' 'line r1: payer: not a key of payers or @university (RLK)'
	bad_small 'del(.lines[0].fund)' 'line r1: fund: not a key of funds (missing)'
	bad_small 'del(.lines[0].payer)' 'line r1: payer: not a key of payers or @university (missing)'
	bad_small '.lines[0].purpose = "fun"' 'line r1: purpose: not education or research (fun)'
	bad_small '.lines[0].purpose = "research"' 'line r1: purpose: education money must not become research money (research)'
}

@test "error: a field another method uses" {
	bad_small '.lines[2].select = {"stream": "st"}' 'line f1: select: not used by method fixed ({"stream":"st"})'
	bad_small '.lines[1].rate = "5"' 'line s1: rate: not used by method share (5)'
	bad_small '.lines[0].amounts = {"KS": "1"}' 'line r1: amounts: not used by method rate ({"KS":"1"})'
}

@test "error: rate line fields" {
	bad_small 'del(.lines[0].rate)' 'line r1: rate: required by method rate (missing)'
	bad_small '.lines[0].rate = 100' 'line r1: rate: not a decimal string (100)'
	bad_small '.lines[0].rate = "-100"' 'line r1: rate: negative amount (-100)'
	bad_small '.lines[0].rate = "1/3"' 'line r1: rate: not a decimal string (1/3)'
	bad_small '.lines[0].rate = "1e3"' 'line r1: rate: not a decimal string (1e3)'
	bad_small '.lines[0].factor = "0,5"' 'line r1: factor: not a decimal string or fraction (0,5)'
	bad_small '.lines[0].factor = "-1/2"' 'line r1: factor: negative amount (-1/2)'
	bad_small '.lines[0].cap_per_person = 6' 'line r1: cap_per_person: not a decimal string (6)'
	bad_small '.lines[0].pot = "1.000.000"' 'line r1: pot: not a decimal string (1.000.000)'
	bad_small '.lines[0].round = "0"' 'line r1: round: not positive (0)'
}

@test "error: select" {
	bad_small 'del(.lines[0].select)' 'line r1: select.stream: required by method rate (missing)'
	bad_small 'del(.lines[1].select.stream)' 'line s1: select.stream: required by method share (missing)'
	bad_small '.lines[0].select.stream = "lak-vfx"' 'line r1: select.stream: unknown stream (lak-vfx)'
	bad_small '.lines[1].select.stream = ["st", "nope"]' 'line s1: select.stream: unknown stream (nope)'
	bad_small '.lines[0].select.stream = []' 'line r1: select.stream: not a string or list of strings ([])'
	bad_small '.lines[0].select.category = 3' 'line r1: select.category: not a string or list of strings (3)'
	bad_small '.lines[0].select.provider = ["KS", "ks"]' 'line r1: select.provider: not a provider id (ks)'
	bad_small '.lines[4].select.year = -2' 'line y1: select.year: not a year or -1 (-2)'
	bad_small '.lines[4].select.year = "2023"' 'line y1: select.year: not a year or -1 (2023)'
	bad_small '.lines[4].select.aka = "yes"' 'line y1: select.aka: not true or false (yes)'
	bad_small '.lines[0].select.unit = "x"' 'line r1: select.unit: unknown field (x)'
	bad_small '.lines[4].basis = "hours"' 'line y1: basis: not one of weeks days months hap hst score kr (hours)'
}

@test "error: share, fixed and blend fields" {
	bad_small 'del(.lines[1].pot)' 'line s1: pot: required by method share (missing)'
	bad_small '.lines[1].weights.a = "2/0"' 'line s1: weights.a: not a decimal string or fraction (2/0)'
	bad_small '.lines[1].weights = {}' 'line s1: weights: not a non-empty object ({})'
	bad_small 'del(.lines[2].amounts)' 'line f1: amounts: required by method fixed (missing)'
	bad_small '.lines[2].amounts.KS = 10' 'line f1: amounts.KS: not a decimal string (10)'
	bad_small '.lines[2].amounts.DS = "-20.5"' 'line f1: amounts.DS: negative amount (-20.5)'
	bad_small '.lines[2].amounts = {"ks": "10"}' 'line f1: amounts.ks: not a provider id (ks)'
	bad_small '.lines[3].from = "zz"' 'line b1: from: not a line id (zz)'
	bad_small 'del(.lines[3].weight)' 'line b1: weight: required by method blend (missing)'
	bad_small '.lines[3].weight = 0.5' 'line b1: weight: not a decimal string or fraction (0.5)'
	bad_small '.lines[3].weight = "4/3"' 'line b1: weight: more than 1 (4/3)'
	bad_small '.lines[3].weight = "1.05"' 'line b1: weight: more than 1 (1.05)'
	bad_small '.lines[3].weight = "-1/3"' 'line b1: weight: negative amount (-1/3)'
	bad_small 'del(.lines[3].to)' 'line b1: to: required by method blend (missing)'
	bad_small '.lines[2].internal = "true"' 'line f1: internal: not true or false (true)'
	bad_small '.lines[2].detail = "all"' 'line f1: detail: not none, category or person (all)'
}

@test "fractions are accepted in factor, weight and weights, and a blend weight of 1 or 0" {
	for f in '.lines[0].factor = "1/3"' '.lines[1].weights = {"a": "2/3", "b": "0"}' \
	    '.lines[3].weight = "1"' '.lines[3].weight = "0"' '.lines[3].weight = "1.000"' \
	    '.lines[3].weight = "3/3"' '.lines[0].weights = {"x": "6/5"}'; do
		edit "$SMALL" "$f"
		run model rules alf-allocate m.json
		[ "$status" -eq 0 ] || { echo "$f: $output" >&2; return 1; }
	done
}

@test "error: the first problem is the one reported" {
	bad_small '.lines[0].rate = 1 | .lines[4].rate = 2' 'line r1: rate: not a decimal string (1)'
	bad_small '.round = 1 | .lines[0].rate = 1' 'round: not a decimal string (1)'
}

@test "error: an unknown mode" {
	cp "$SMALL" m.json
	run --separate-stderr model both alf-allocate m.json
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = 'alf-allocate: m.json: mode: not rules, meta or all (both)' ]
}

@test "mode all: meta, a line of U+001D alone, then rules, as the two modes print them" {
	cp "$ROOT/pipelines/models/stockholm-2024.json" m.json
	run --separate-stderr model all alf-allocate m.json
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" > all.out
	model meta alf-allocate m.json > meta.out
	model rules alf-allocate m.json > rules.out
	cat meta.out <(printf '\035\n') rules.out | cmp - all.out
	[ "$(grep -c $'^\035$' all.out)" -eq 1 ]
}

@test "mode all: meta's checks, so a model only meta refuses is refused" {
	jq 'del(.invoicing)' "$SMALL" > m.json
	model rules alf-allocate m.json > /dev/null
	run --separate-stderr model all alf-allocate m.json
	[ "$status" -eq 2 ]
	[ "$stderr" = "$(model meta alf-allocate m.json 2>&1 >/dev/null)" ]
}

# --- meta ------------------------------------------------------------------------

@test "meta: header and model and fund rows" {
	run --separate-stderr meta "$STOCKHOLM"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	expected='section,key,field,value
model,,model,stockholm-2024
model,,year,2024
model,,round,1
model,,synthetic,false
fund,ALF,purpose,education
fund,HSF,purpose,education
fund,UNIV,purpose,education'
	[ "$(printf '%s\n' "${lines[@]:0:8}")" = "$expected" ]
}

@test "meta: payer rows, present fields only, in order" {
	run bash -c "$(declare -f model meta); JQ='$JQ' ROOT='$ROOT' meta '$STOCKHOLM' | grep '^payer,'"
	expected='payer,HSF,name,"Region Stockholm, Hälso- och sjukvårdsförvaltningen"
payer,HSF,org_nr,232100-0016
payer,HSF,reference,1500115
payer,HSF,street,Box 12 081
payer,HSF,postal_code,102 23
payer,HSF,city,Stockholm
payer,HSF,series,A
payer,RLK,name,"Region Stockholm, Regionledningskontoret"
payer,RLK,org_nr,232100-0016
payer,RLK,reference,295013201
payer,RLK,street,Box 12041
payer,RLK,postal_code,102 22
payer,RLK,city,Stockholm
payer,RLK,series,B
payer,KI,name,Karolinska Institutet
payer,KI,org_nr,202100-2973
payer,KI,reference,VIL 2024
payer,KI,postal_code,171 77
payer,KI,city,Stockholm
payer,KI,series,C
payer,SHH,name,Sophiahemmet Högskola
payer,SHH,org_nr,802002-4447
payer,SHH,reference,VIL 2024
payer,SHH,street,Box 5605
payer,SHH,postal_code,114 86
payer,SHH,city,Stockholm
payer,SHH,series,D
payer,RKH,name,Röda Korsets Högskola
payer,RKH,org_nr,802005-9955
payer,RKH,reference,VIL 2024
payer,RKH,street,Box 55676
payer,RKH,postal_code,102 15
payer,RKH,city,Stockholm
payer,RKH,series,E
payer,MCHS,name,Marie Cederschiöld högskola
payer,MCHS,org_nr,802000-0017
payer,MCHS,reference,VIL 2024
payer,MCHS,street,Box 11189
payer,MCHS,postal_code,100 61
payer,MCHS,city,Stockholm
payer,MCHS,series,F'
	[ "$output" = "$expected" ]
}

@test "meta: invoicing rows" {
	run bash -c "$(declare -f model meta); JQ='$JQ' ROOT='$ROOT' meta '$STOCKHOLM' | grep '^invoicing,'"
	expected='invoicing,dates,H1,2024-07-01
invoicing,dates,H2,2024-12-01
invoicing,,deadline,2024-12-01
invoicing,,payment_days,30
invoicing,,vat_compensation,0.06
invoicing,,monthly_payer,HSF
invoicing,,monthly_day,25
invoicing,,settlement_date,2025-01-31
invoicing,,file_date,2025-01-31'
	[ "$output" = "$expected" ]
}

@test "meta: accounts rows, names after the accounts" {
	run bash -c "$(declare -f model meta); JQ='$JQ' ROOT='$ROOT' meta '$STOCKHOLM' | grep '^accounts,'"
	expected='accounts,,ALF,5870
accounts,,HSF,5871
accounts,,UNIV,5873
accounts,,vat-comp,5872
accounts,,payable,2440
accounts,names,5870,Utbildningsersättning ALF
accounts,names,5871,Utbildningsersättning HSF
accounts,names,5873,VIL-ersättning lärosäten
accounts,names,5872,Momskompensation
accounts,names,2440,Leverantörsskulder'
	[ "$output" = "$expected" ]
}

@test "meta: every account used has a name" {
	run "$JQ" -r '.accounts | (.names | keys) as $n | to_entries[] | select(.key != "names") | select(.value as $v | $n | index([$v]) | not) | .key' "$STOCKHOLM"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "meta: input and recharge rows" {
	run bash -c "$(declare -f model meta); JQ='$JQ' ROOT='$ROOT' meta '$STOCKHOLM' | grep -e '^input,' -e '^recharge,st-sido,' -e '^recharge,ambulans,'"
	expected='input,0,file,hap.csv
input,0,profile,records
input,1,file,klipp-2024.csv
input,1,profile,klipp-placements
input,2,file,hr-2024.csv
input,2,profile,hr-service
input,3,file,kvantiteter-2023.csv
input,3,profile,quantities
input,3,year,2023
recharge,st-sido,select_stream,st-sido
recharge,st-sido,issuer,provider
recharge,st-sido,recipient,host
recharge,st-sido,basis,months
recharge,st-sido,price,salary
recharge,st-sido,after_months,3
recharge,st-sido,title,ST-sidotjänstgöring – lön efter tre månader
recharge,ambulans,issuer,each
recharge,ambulans,recipient,AISAB
recharge,ambulans,amounts,FALCK=300000|SAMAR=200000
recharge,ambulans,title,Akademisk ambulans'
	[ "$output" = "$expected" ]
}

@test "meta: synthetic true is written" {
	edit "$STOCKHOLM" '.synthetic = true'
	run meta m.json
	[ "$status" -eq 0 ]
	[ "${lines[4]}" = 'model,,synthetic,true' ]
}

@test "meta errors: invoicing" {
	bad_stockholm_meta '.invoicing.dates.H1 = "2024-13-01"' 'invoicing.dates.H1: not a date YYYY-MM-DD (2024-13-01)'
	bad_stockholm_meta '.invoicing.dates.H1 = "2023-02-29"' 'invoicing.dates.H1: not a date YYYY-MM-DD (2023-02-29)'
	bad_stockholm_meta '.invoicing.dates.H1 = "2100-02-29"' 'invoicing.dates.H1: not a date YYYY-MM-DD (2100-02-29)'
	bad_stockholm_meta '.invoicing.dates.H2 = "2024-04-31"' 'invoicing.dates.H2: not a date YYYY-MM-DD (2024-04-31)'
	bad_stockholm_meta 'del(.invoicing.dates.H2)' 'invoicing.dates.H2: not a date YYYY-MM-DD (missing)'
	bad_stockholm_meta 'del(.invoicing)' 'invoicing: not an object (missing)'
	bad_stockholm_meta '.invoicing.payment_days = "30"' 'invoicing.payment_days: not an integer (30)'
	bad_stockholm_meta '.invoicing.payment_days = 30.5' 'invoicing.payment_days: not an integer (30.5)'
	bad_stockholm_meta '.invoicing.vat_compensation = 0.06' 'invoicing.vat_compensation: not a decimal string (0.06)'
	bad_stockholm_meta '.invoicing.monthly_payer = "XX"' 'invoicing.monthly_payer: not a key of payers (XX)'
	bad_stockholm_meta '.invoicing.settlement_date = "2025-1-31"' 'invoicing.settlement_date: not a date YYYY-MM-DD (2025-1-31)'
}

@test "meta: 2024-02-29 is a date" {
	edit "$STOCKHOLM" '.invoicing.dates.H1 = "2024-02-29" | .invoicing.dates.H2 = "2000-02-29"'
	run meta m.json
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | grep '^invoicing,dates,H1,')" = 'invoicing,dates,H1,2024-02-29' ]
}

@test "meta errors: accounts, inputs, recharges" {
	bad_stockholm_meta '.accounts.ALF = "58x0"' 'accounts.ALF: not an account number (58x0)'
	bad_stockholm_meta '.accounts.HSF = 5871' 'accounts.HSF: not an account number (5871)'
	bad_stockholm_meta '.accounts.names.abc = "x"' 'accounts.names.abc: not an account number (abc)'
	bad_stockholm_meta '.inputs[1].year = "2023"' 'inputs.1.year: not a year (2023)'
	bad_stockholm_meta 'del(.inputs[0].profile)' 'inputs.0.profile: not a string (missing)'
	bad_stockholm_meta '.recharges[0].price = "2 544"' 'recharges.svk.price: not a decimal string (2 544)'
	bad_stockholm_meta '.recharges[0].select.stream = "x"' 'recharges.svk.select.stream: unknown stream (x)'
	bad_stockholm_meta '.recharges[1].recipient = "ks"' 'recharges.logoped.recipient: not host, provider or a provider id (ks)'
	bad_stockholm_meta '.recharges[2].after_months = "3"' 'recharges.st-sido.after_months: not an integer (3)'
	bad_stockholm_meta '(.recharges[] | select(.id == "ambulans") | .issuer) = "host"' 'recharges.ambulans.issuer: not each, as amounts need (host)'
	bad_stockholm_meta '.recharges[1].id = "svk"' 'recharges.svk.id: duplicate recharge id (svk)'
}

@test "meta checks do not stop alf-allocate; line checks stop alf-invoice" {
	edit "$STOCKHOLM" '.invoicing.dates.H1 = "soon"'
	run --separate-stderr model rules alf-allocate m.json
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$RULES_HEADER" ]
	bad_stockholm_meta '.lines[0].rate = 101794' 'line 3.2: rate: not a decimal string (101794)'
}

# --- the Stockholm fixtures -----------------------------------------------------

@test "providers.csv: columns, org numbers Luhn-valid, vat_nr from org_nr" {
	f="$ROOT/fixtures/stockholm-2024/providers.csv"
	[ "$(head -n 1 "$f")" = 'provider,name,org_nr,ownership,payment,invoiceable,report_as,aka,aliases,fte,street,postal_code,city,bankgiro,vat_nr,reference' ]
	[ "$(sed -n 2p "$f" | cut -d, -f1)" = SLSO ]
	[ "$(tail -n 1 "$f" | cut -d, -f1,2,3,6)" = 'RESERV,För senare utfördelning,,no' ]
	run awk -F, 'NR > 1 {
		if (NF != 16) { print "fields", $1; next }
		if ($3 == "") next
		if ($3 !~ /^[0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]$/) { print "format", $1; next }
		d = substr($3, 1, 6) substr($3, 8, 4); s = 0
		for (i = 1; i <= 10; i++) {
			v = substr(d, i, 1) * (i % 2 ? 2 : 1); s += v > 9 ? v - 9 : v
		}
		if (s % 10) print "luhn", $1
		if ($15 != "" && $15 != "SE" d "01") print "vat", $1
	}' "$f"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "hap.csv: 101 794 kr per HÅP rounds to the directive's tkr" {
	f="$ROOT/fixtures/stockholm-2024/hap.csv"
	[ "$(head -n 1 "$f")" = 'stream,person,provider_name,host_name,unit,category,university,start,end,period,extent,qty,uom,salary' ]
	run awk -F, 'NR > 1 { print $12 }' "$f"
	qty=("${lines[@]}")
	tkr=(22938 9460 50488 11166 1991 1818 22155)
	[ "${#qty[@]}" -eq 7 ]
	for i in "${!qty[@]}"; do
		got=$(echo "scale=0; (${qty[$i]} * 101794 + 500) / 1000" | bc)
		[ "$got" = "${tkr[$i]}" ] || { echo "${qty[$i]}: $got"; return 1; }
	done
	[ "$(echo "scale=0; 7680000 * 22534 / 117901" | bc)" = 1467851 ]
}
