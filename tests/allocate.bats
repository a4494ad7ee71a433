#!/usr/bin/env bats
# alf-allocate: the allocation arithmetic of CONTRACTS, case by case.
load helper

setup() { common_setup; }

RH=year,line,title,fund,purpose,payer,method,basis,rate,factor,cap_per_person,pot,round,weight,from,to,internal,detail,select_stream,select_category,select_provider,select_host,select_university,select_year,select_aka,weights,amounts
AH=id,year,period,provider,host,unit,category,university,person,salary,stream,qty,uom,src

# rule LINE METHOD BASIS RATE FACTOR CAP POT ROUND WEIGHT FROM TO INTERNAL STREAM CATEGORY WEIGHTS AMOUNTS
rule() {
	echo "2024,$1,,ALF,education,HSF,$2,$3,$4,$5,$6,$7,${8:-1},$9,${10},${11},${12:-false},none,${13},${14},,,,2024,,${15},${16}"
}

# act ID PERIOD PROVIDER STREAM QTY UOM [CATEGORY] [PERSON]
act() {
	echo "$1,${2%%-*},$2,$3,,,${7:-},,${8:-},,$4,$5,$6,$1"
}

@test "rate: per provider and period, rounded half away from zero" {
	{ echo "$RH"; rule r rate weeks 3 "" "" "" 1 "" "" "" "" vil; } > rules.csv
	{ echo "$AH"
	  act a.csv:2 2024-H1 B vil 0.5 weeks
	  act a.csv:3 2024-H1 A vil 2.5 weeks
	  act a.csv:4 2024-H2 A vil 0.1 weeks
	  act a.csv:5 2024-H1 A vil 1 weeks; } > act.csv
	run alf-allocate --rules rules.csv act.csv
	assert_success
	assert_output --partial "alf-allocate: 4 read, 4 accepted, 0 rejected, 0 merged; 3 written"
	run alf-allocate --quiet --rules rules.csv act.csv
	assert_output "year,line,title,fund,purpose,payer,provider,period,method,qty,uom,rate,amount
2024,r,r,ALF,education,HSF,A,2024-H1,rate,3.5,weeks,3,11.00
2024,r,r,ALF,education,HSF,A,2024-H2,rate,0.1,weeks,3,0.00
2024,r,r,ALF,education,HSF,B,2024-H1,rate,0.5,weeks,3,2.00"
}

@test "rate: factor and category weights multiply the rate" {
	{ echo "$RH"; rule r rate weeks 100 1/3 "" "" 1 "" "" "" "" vil "" "x=3|y=0"; } > rules.csv
	{ echo "$AH"
	  act a:2 2024-H1 A vil 1 weeks x
	  act a:3 2024-H1 A vil 5 weeks y
	  act a:4 2024-H1 B vil 1 weeks z; } > act.csv
	run alf-allocate --quiet --rules rules.csv act.csv
	assert_success
	# A: 1 × 100 × 1/3 × 3 = 100; B: 100/3 = 33.33 → 33
	assert_line "2024,r,r,ALF,education,HSF,A,2024-H1,rate,6,weeks,33.3333333333,100.00"
	assert_line "2024,r,r,ALF,education,HSF,B,2024-H1,rate,1,weeks,33.3333333333,33.00"
}

@test "share: ties in the remainder go to the smaller provider id" {
	{ echo "$RH"; rule s share weeks "" "" "" 10 1 "" "" "" "" vil; } > rules.csv
	{ echo "$AH"
	  act a:2 2024-H1 C vil 1 weeks
	  act a:3 2024-H1 B vil 1 weeks
	  act a:4 2024-H2 A vil 1 weeks; } > act.csv
	run alf-allocate --quiet --rules rules.csv act.csv
	assert_success
	assert_line --partial ",A,2024,share,1,weeks,,4.00"
	assert_line --partial ",B,2024,share,1,weeks,,3.00"
	assert_line --partial ",C,2024,share,1,weeks,,3.00"
}

@test "share: many providers with equal remainders sum to the pot exactly" {
	{ echo "$RH"; rule s share weeks "" "" "" 100 1 "" "" "" "" vil; } > rules.csv
	{ echo "$AH"; for p in G F E D C B A; do act "a:$p" 2024-H1 $p vil 2 weeks; done; } > act.csv
	run alf-allocate --quiet --rules rules.csv act.csv
	assert_success
	# 100 / 7 = 14.28…: 98 by floors, the 2 left to A and B
	[ "$(awk -F, 'NR>1 {print $7 "=" $13}' <<< "$output" | tr '\n' ' ')" = \
	    "A=15.00 B=15.00 C=14.00 D=14.00 E=14.00 F=14.00 G=14.00 " ]
	[ "$(awk -F, 'NR>1 {s += $13} END {print s}' <<< "$output")" = 100 ]
}

@test "share: the largest remainder wins before the id" {
	{ echo "$RH"; rule s share weeks "" "" "" 10 1 "" "" "" "" vil; } > rules.csv
	{ echo "$AH"
	  act a:2 2024-H1 A vil 1 weeks
	  act a:3 2024-H1 B vil 2 weeks; } > act.csv
	run alf-allocate --quiet --rules rules.csv act.csv
	# A 3.33, B 6.67: the unit left goes to B
	assert_line --partial ",A,2024,share,1,weeks,,3.00"
	assert_line --partial ",B,2024,share,2,weeks,,7.00"
}

@test "share: one provider gets the whole pot" {
	{ echo "$RH"; rule s share weeks "" "" "" 7680000 1 "" "" "" "" vil; } > rules.csv
	{ echo "$AH"; act a:2 2024-H1 ONLY vil 0.3 weeks; } > act.csv
	run alf-allocate --quiet --rules rules.csv act.csv
	assert_line --partial ",ONLY,2024,share,0.3,weeks,,7680000.00"
}

@test "share: weight 0 categories count for nothing; zero total weight leaves the pot undistributed (exit 1)" {
	{ echo "$RH"; rule s share days "" "" "" 1000 1 "" "" "" "" lak-moment "" "lecture=0|vfu=2"; } > rules.csv
	{ echo "$AH"; act a:2 2024-H1 A lak-moment 10 days lecture; } > act.csv
	run alf-allocate --quiet --rules rules.csv act.csv
	assert_failure 1
	assert_output --partial "alf-allocate: line s: pot 1000 undistributed: no activity to share it by"
	{ echo "$AH"; act a:2 2024-H1 A lak-moment 10 days lecture; act a:3 2024-H1 B lak-moment 1 days vfu; } > act.csv
	run alf-allocate --quiet --rules rules.csv act.csv
	assert_success
	assert_line --partial ",A,2024,share,10,days,,0.00"
	assert_line --partial ",B,2024,share,1,days,,1000.00"
}

@test "share: no activity at all (a January run) writes the header and exits 1" {
	{ echo "$RH"; rule s share weeks "" "" "" 500 1 "" "" "" "" vil; } > rules.csv
	echo "$AH" > act.csv
	run alf-allocate --rules rules.csv -o out.csv act.csv
	assert_failure 1
	assert_output --partial "pot 500 undistributed"
	[ "$(cat out.csv)" = "year,line,title,fund,purpose,payer,provider,period,method,qty,uom,rate,amount" ]
}

@test "a pot that is not a whole number of money units is a configuration error" {
	{ echo "$RH"; rule s share weeks "" "" "" 1500 1000 "" "" "" "" vil; } > rules.csv
	{ echo "$AH"; act a:2 2024-H1 A vil 1 weeks; } > act.csv
	run alf-allocate --rules rules.csv -o out.csv act.csv
	assert_failure 2
	assert_output --partial "line s: pot: not a whole number of the money unit 1000"
	[ ! -e out.csv ]
}

@test "round: a line's money unit of 1000 kr" {
	{ echo "$RH"; rule s share weeks "" "" "" 10000 1000 "" "" "" "" vil; } > rules.csv
	{ echo "$AH"; act a:2 2024-H1 A vil 1 weeks; act a:3 2024-H1 B vil 2 weeks; } > act.csv
	run alf-allocate --quiet --rules rules.csv act.csv
	assert_line --partial ",A,2024,share,1,weeks,,3000.00"
	assert_line --partial ",B,2024,share,2,weeks,,7000.00"
}

@test "fixed: the amounts as given, period the model's year" {
	{ echo "$RH"; rule f fixed "" "" "" "" "" 1 "" "" "" "" "" "" "" "SLSO=2000000|KS=0.50"; } > rules.csv
	echo "$AH" > act.csv
	run alf-allocate --quiet --rules rules.csv act.csv
	assert_success
	assert_line "2024,f,f,ALF,education,HSF,KS,2024,fixed,,,,0.50"
	assert_line "2024,f,f,ALF,education,HSF,SLSO,2024,fixed,,,,2000000.00"
}

@test "blend: weight 0 equals the first line, weight 1 the second" {
	for w in 0 1 1/3; do
		{ echo "$RH"
		  rule old share days "" "" "" 108000000 1 "" "" "" true lak-course "" "full=1|reduced=1/2"
		  rule new share days "" "" "" 108000000 1 "" "" "" true lak-moment "" "vfu-adapted=3|vfu=2|smallgroup=1|lecture=0"
		  rule mix blend "" "" "" "" "" 1 "$w" old new "" ""; } > rules.csv
		{ echo "$AH"
		  act c:2 2024-H1 A lak-course 300 days full
		  act c:3 2024-H1 B lak-course 300 days reduced
		  act c:4 2024-H2 C lak-course 100 days full
		  act m:2 2024-H1 A lak-moment 100 days lecture
		  act m:3 2024-H1 B lak-moment 100 days vfu-adapted
		  act m:4 2024-H2 C lak-moment 50 days smallgroup; } > act.csv
		alf-allocate --quiet --internal --rules rules.csv act.csv > "out-${w//\//_}.csv"
	done
	grep ',old,' out-0.csv | awk -F, '{print $7, $13}' > old
	grep ',new,' out-0.csv | awk -F, '{print $7, $13}' > new
	grep ',mix,' out-0.csv | awk -F, '{print $7, $13}' > mix0
	grep ',mix,' out-1.csv | awk -F, '{print $7, $13}' > mix1
	diff old mix0
	diff new mix1
	# old: weights A 300, B 150, C 100 of 550 → 58 909 091 / 29 454 545 / 19 636 364
	run cat old
	assert_output "A 58909091.00
B 29454545.00
C 19636364.00"
	# the blend 1/3 of the way sums to the pot exactly
	[ "$(grep ',mix,' out-1_3.csv | awk -F, '{s += $13} END {print s}')" = 108000000 ]
	# a third of the way from old to new: A 58 909 091 − 19 636 364 = 39 272 727
	grep -q ',mix,.*,A,2024,blend,,,,39272727.00$' out-1_3.csv
	# the internal lines are written with method internal:share
	grep -q ',old,.*,internal:share,' out-0.csv
	run alf-allocate --quiet --rules rules.csv act.csv
	refute_output --partial ",old,"
}

@test "rate cap_per_person: first come first served across providers and periods" {
	{ echo "$RH"; rule c rate months 20000 "" 6 "" 1 "" "" "" "" bt-sido; } > rules.csv
	{ echo "$AH"
	  act h.csv:9:2024-03 2024-03 B bt-sido 1 months "" p1
	  act h.csv:3:2024-01 2024-01 A bt-sido 4 months "" p1
	  act h.csv:10:2024-03 2024-03 A bt-sido 1 months "" p2
	  act g.csv:7:2024-02 2024-02 B bt-sido 1.5 months "" p1; } > act.csv
	run alf-allocate --quiet --rules rules.csv act.csv
	assert_success
	# p1: 4 (Jan) + 1.5 (Feb) + 0.5 of March's 1 = 6
	assert_output "year,line,title,fund,purpose,payer,provider,period,method,qty,uom,rate,amount
2024,c,c,ALF,education,HSF,A,2024-01,rate,4,months,20000,80000.00
2024,c,c,ALF,education,HSF,A,2024-03,rate,1,months,20000,20000.00
2024,c,c,ALF,education,HSF,B,2024-02,rate,1.5,months,20000,30000.00
2024,c,c,ALF,education,HSF,B,2024-03,rate,0.5,months,20000,10000.00"
}

@test "rate cap: the file order of rows in one period is byte-wise, then by line number" {
	{ echo "$RH"; rule c rate months 1 "" 1 "" 1 "" "" "" "" st; } > rules.csv
	{ echo "$AH"
	  act b.csv:2 2024-H1 B st 1 months "" p
	  act a.csv:10 2024-H1 A10 st 1 months "" p
	  act a.csv:9 2024-H1 A9 st 1 months "" p; } > act.csv
	run alf-allocate --quiet --rules rules.csv act.csv
	assert_line --partial ",A10,2024-H1,rate,0,months,1,0.00"
	assert_line --partial ",A9,2024-H1,rate,1,months,1,1.00"
	assert_line --partial ",B,2024-H1,rate,0,months,1,0.00"
}

@test "rate cap: a row without a person is rejected, the rest goes on" {
	{ echo "$RH"; rule c rate months 10 "" 6 "" 1 "" "" "" "" bt-sido; } > rules.csv
	{ echo "$AH"; act a:2 2024-01 A bt-sido 1 months "" ""; act a:3 2024-01 A bt-sido 1 months "" p; } > act.csv
	run alf-allocate --rules rules.csv --rejects rej.csv -o out.csv act.csv
	assert_failure 1
	assert_output --partial "alf-allocate: act.csv:2: person: line c caps per person; the row has no person"
	assert_output --partial "2 read, 1 accepted, 1 rejected, 0 merged; 1 written"
	grep -q '^a:2,.*,line c caps per person; the row has no person,act.csv:2$' rej.csv
	grep -q ',A,2024-01,rate,1,months,10,10.00$' out.csv
}

@test "rate pot: a ceiling that binds apportions the pot; one that does not changes nothing" {
	{ echo "$RH"; rule c rate months 20000 "" "" 50000 1 "" "" "" "" bt-sido; } > rules.csv
	{ echo "$AH"; act a:2 2024-01 A bt-sido 2 months; act a:3 2024-01 B bt-sido 1 months; } > act.csv
	run alf-allocate --quiet --rules rules.csv act.csv
	# exact 60 000 > 50 000: A 33 333.33 → 33 333, B 16 666.67 → 16 667
	assert_line --partial ",A,2024-01,rate,2,months,20000,33333.00"
	assert_line --partial ",B,2024-01,rate,1,months,20000,16667.00"
	{ echo "$RH"; rule c rate months 20000 "" "" 60000 1 "" "" "" "" bt-sido; } > rules.csv
	run alf-allocate --quiet --rules rules.csv act.csv
	assert_line --partial ",A,2024-01,rate,2,months,20000,40000.00"
	assert_line --partial ",B,2024-01,rate,1,months,20000,20000.00"
}

@test "basis conversion: weeks count as HÅP (1 HÅP = 40 weeks), days as weeks" {
	{ echo "$RH"; rule h rate hap 101794 "" "" "" 1 "" "" "" "" lak-vfu,; } > rules.csv
	sed -i 's/lak-vfu,,/lak-vfu,,/' rules.csv
	{ echo "$AH"; act a:2 2024-H1 A lak-vfu 20 weeks; } > act.csv
	run alf-allocate --quiet --rules rules.csv act.csv
	assert_line "2024,h,h,ALF,education,HSF,A,2024-H1,rate,0.5,hap,101794,50897.00"
}

@test "an activity in a unit that does not convert is a row reject" {
	{ echo "$RH"; rule h rate weeks 10 "" "" "" 1 "" "" "" "" st; } > rules.csv
	{ echo "$AH"; act a:2 2024-01 A st 1 months; } > act.csv
	run alf-allocate --rules rules.csv act.csv
	assert_failure 1
	assert_output --partial "act.csv:2: uom: line h counts weeks; this unit does not convert (months)"
}

@test "overflow is detected and reported, never wrapped" {
	{ echo "$RH"; rule r rate weeks 999999999999999999 999999999999999999 "" "" 1 "" "" "" "" vil; } > rules.csv
	{ echo "$AH"; act a:2 2024-H1 A vil 999999999999999999 weeks; } > act.csv
	run alf-allocate --rules rules.csv -o out.csv act.csv
	assert_failure 3
	assert_output --partial "alf-allocate: arithmetic overflow"
	[ ! -e out.csv ]
}

@test "results do not depend on the order of the input rows" {
	cd "$ROOT"
	alf-ingest --quiet --year 2024 "$FIX/stockholm-2024/hap.csv" |
	    alf-normalize --quiet --providers "$FIX/stockholm-2024/providers.csv" --year 2024 > "$W/act.csv"
	cd "$W"
	alf-allocate --quiet --model stockholm-2024 --providers "$FIX/stockholm-2024/providers.csv" act.csv > a.csv
	{ head -1 act.csv; tail -n +2 act.csv | tac; } > rev.csv
	alf-allocate --quiet --model stockholm-2024 --providers "$FIX/stockholm-2024/providers.csv" rev.csv > b.csv
	cmp a.csv b.csv
	[ "$(wc -l < a.csv)" -gt 20 ]
}

@test "--rules and --model are exclusive, one is required" {
	run alf-allocate /dev/null
	assert_failure 2
	assert_output --partial "give one of --model MODEL and --rules FILE"
}

@test "a missing required column of the activities is exit 2 naming it" {
	{ echo "$RH"; rule r rate weeks 1 "" "" "" 1 "" "" "" "" vil; } > rules.csv
	printf 'id,year,period,provider,stream,uom\na,2024,2024-H1,A,vil,weeks\n' > act.csv
	run alf-allocate --rules rules.csv -o out.csv act.csv
	assert_failure 2
	assert_output "alf-allocate: act.csv:1: qty: missing required column"
	[ ! -e out.csv ]
}

@test "output to a full disk exits 3" {
	{ echo "$RH"; rule r rate weeks 1 "" "" "" 1 "" "" "" "" vil; } > rules.csv
	{ echo "$AH"; act a:2 2024-H1 A vil 1 weeks; } > act.csv
	run alf-allocate --rules rules.csv -o /dev/full act.csv
	assert_failure 3
	assert_output --partial "/dev/full: write error: No space left on device"
	run bash -c 'alf-allocate --rules rules.csv act.csv > /dev/full'
	assert_failure 3
}

@test "the model's aka selection needs --providers" {
	run alf-allocate --model stockholm-2024 /dev/null
	if grep -q '"aka": *true' "$MODELS/stockholm-2024.json"; then
		assert_failure 2
		assert_output --partial "--providers FILE is required"
	else
		assert_failure 2
		assert_output --partial "empty file (no header)"
	fi
}

@test "--explain LINE:PROVIDER shows the activities with their src, the exact value and the rounding" {
	cd "$ROOT"
	alf-ingest --quiet --year 2024 "$FIX/stockholm-2024/hap.csv" |
	    alf-normalize --quiet --providers "$FIX/stockholm-2024/providers.csv" --year 2024 > "$W/act.csv"
	cd "$W"
	run alf-allocate --model stockholm-2024 --providers "$FIX/stockholm-2024/providers.csv" --explain 3.3-alf:SLSO act.csv
	assert_success
	assert_line "method share, fund ALF, payer HSF, basis hap, money unit 1 kr"
	assert_line "pot 7680000 kr"
	assert_line --regexp "^  .*hap.csv:2 SLSO 2024 225.34 1$"
	assert_line "total weight 1179.01: each share = pot × weight / total"
	assert_line "  SLSO 2024 HSF: 225.34, 1467851.1632640945… → 1467851.00"
	refute_line --partial " KS "
	run alf-allocate --model stockholm-2024 --providers "$FIX/stockholm-2024/providers.csv" --explain 3.2 act.csv
	assert_line "rate 101794 × factor 1"
	assert_line "  SLSO 2024 HSF: 225.34, 22938259.96 → 22938260.00"
	assert_line "rounding: each amount half away from zero to the money unit"
	run alf-allocate --model stockholm-2024 --explain 9.9 act.csv
	assert_failure 2
	assert_output --partial "--explain: no line 9.9 in the model"
}

@test "payer @university: each university pays for its own students, two at one provider" {
	{ echo "$RH"; echo "2024,3.5,,UNIV,education,@university,rate,weeks,1750,,,,1,,,,false,none,vil,,,,,2024,,,"; } > rules.csv
	{ echo "$AH"
	  echo "a:2,2024,2024-H1,A,,,,KI,,,vil,2,weeks,a:2"
	  echo "a:3,2024,2024-H1,A,,,,SH,,,vil,1,weeks,a:3"
	  echo "a:4,2024,2024-H1,A,,,,,,,vil,1,weeks,a:4"; } > act.csv
	run alf-allocate --rules rules.csv act.csv
	assert_failure 1
	assert_output --partial "act.csv:4: university: line 3.5: the university is not a payer of the model"
	assert_line "2024,3.5,3.5,UNIV,education,KI,A,2024-H1,rate,2,weeks,1750,3500.00"
	assert_line "2024,3.5,3.5,UNIV,education,SH,A,2024-H1,rate,1,weeks,1750,1750.00"
}

@test "select year: a line that counts the year before writes the model's year" {
	{ echo "$RH"; echo "2024,3.6,,HSF,education,HSF,rate,weeks,315,,,,1,,,,false,none,aka,,,,,2023,,,"; } > rules.csv
	{ echo "$AH"
	  echo "a:2,2023,2023-H2,A,,,,,,,aka,10,weeks,a:2"
	  echo "a:3,2024,2024-H1,A,,,,,,,aka,99,weeks,a:3"; } > act.csv
	run alf-allocate --quiet --rules rules.csv act.csv
	assert_success
	assert_output "year,line,title,fund,purpose,payer,provider,period,method,qty,uom,rate,amount
2024,3.6,3.6,HSF,education,HSF,A,2024-H2,rate,10,weeks,315,3150.00"
}

@test "select aka: only providers with an AKA agreement in providers.csv" {
	printf 'provider,name,ownership,payment,aka\nA,Alfa,region,invoice,yes\nB,Beta,region,invoice,no\n' > prov.csv
	{ echo "$RH"; echo "2024,3.6,,HSF,education,HSF,rate,weeks,315,,,,1,,,,false,none,aka,,,,,2023,true,,"; } > rules.csv
	{ echo "$AH"
	  echo "a:2,2023,2023-H2,A,,,,,,,aka,10,weeks,a:2"
	  echo "a:3,2023,2023-H1,B,,,,,,,aka,10,weeks,a:3"; } > act.csv
	run alf-allocate --quiet --rules rules.csv act.csv
	assert_failure 2
	assert_output --partial "a line selects aka providers: --providers FILE is required"
	run alf-allocate --quiet --rules rules.csv --providers prov.csv act.csv
	assert_success
	assert_output "year,line,title,fund,purpose,payer,provider,period,method,qty,uom,rate,amount
2024,3.6,3.6,HSF,education,HSF,A,2024-H2,rate,10,weeks,315,3150.00"
}

@test "select on category, provider and host narrows a line" {
	{ echo "$RH"; echo "2024,l,,HSF,education,HSF,rate,weeks,1,,,,1,,,,false,none,vil,x|y,A|B,H,,2024,,,"; } > rules.csv
	{ echo "$AH"
	  echo "a:2,2024,2024-H1,A,H,,x,,,,vil,1,weeks,a:2"
	  echo "a:3,2024,2024-H1,B,H,,z,,,,vil,2,weeks,a:3"
	  echo "a:4,2024,2024-H1,C,H,,x,,,,vil,4,weeks,a:4"
	  echo "a:5,2024,2024-H1,B,G,,y,,,,vil,8,weeks,a:5"
	  echo "a:6,2024,2024-H1,B,H,,y,,,,vil,16,weeks,a:6"; } > act.csv
	run alf-allocate --quiet --rules rules.csv act.csv
	assert_output "year,line,title,fund,purpose,payer,provider,period,method,qty,uom,rate,amount
2024,l,l,HSF,education,HSF,A,2024-H1,rate,1,weeks,1,1.00
2024,l,l,HSF,education,HSF,B,2024-H1,rate,16,weeks,1,16.00"
}

@test "--explain on a capped line with a ceiling: the cap's cut, the exact total, whether the ceiling binds" {
	{ echo "$RH"; rule c rate months 20000 "" 6 50000 1 "" "" "" "" bt-sido; } > rules.csv
	{ echo "$AH"
	  act a:2 2024-01 A bt-sido 2 months "" p
	  act a:3 2024-01 B bt-sido 1 months "" p
	  act a:4 2024-02 B bt-sido 5 months "" p; } > act.csv
	run alf-allocate --explain c --rules rules.csv act.csv
	assert_success
	assert_line "  a:4 B 2024-02 5 1"
	assert_line "summed before the cap 8 months, after it 6"
	assert_line "exact total 120000 kr: above the ceiling, which binds: each gets ceiling × exact / total"
	assert_line "  B 2024-02 HSF: 3, 25000 → 25000.00"
	# the ceiling binds, so the amounts are the pot's, not each rounded
	assert_line "rounding: the pot apportioned by largest remainder (ties: smaller provider id, then earlier period)"
	{ echo "$RH"; rule c rate months 20000 "" 6 200000 1 "" "" "" "" bt-sido; } > rules.csv
	run alf-allocate --explain c --rules rules.csv act.csv
	assert_line "exact total 120000 kr: within the ceiling, which does not bind"
	assert_line "rounding: each amount half away from zero to the money unit"
}

@test "--explain lists the results in output order, whatever the input order" {
	{ echo "$RH"; rule c rate months 1 "" 6 "" 1 "" "" "" "" bt-sido; } > rules.csv
	{ echo "$AH"
	  act a:4 2024-02 B bt-sido 5 months "" p
	  act a:2 2024-01 C bt-sido 2 months "" q
	  act a:3 2024-01 A bt-sido 1 months "" p; } > act.csv
	alf-allocate -q --explain c --rules rules.csv act.csv | sed -n '/^result/,/^rounding/p' > one
	{ echo "$AH"; tail -n +2 act.csv | tac; } > rev.csv
	alf-allocate -q --explain c --rules rules.csv rev.csv | sed -n '/^result/,/^rounding/p' > two
	cmp one two
	run cat one
	assert_line --index 1 "  A 2024-01 HSF: 1, 1 → 1.00"
	assert_line --index 2 "  B 2024-02 HSF: 5, 5 → 5.00"
	assert_line --index 3 "  C 2024-01 HSF: 2, 2 → 2.00"
}

@test "rate cap: the result does not depend on the order of a person's rows in the input" {
	{ echo "$RH"; rule c rate months 10 "" 6 "" 1 "" "" "" "" bt-sido; } > rules.csv
	{ echo "$AH"
	  for i in 1 2 3 4 5 6 7 8 9; do
		act "h.csv:$((10 - i))" "2024-0$i" "P$((i % 3))" bt-sido 1.5 months "" "p$((i % 2))"
	  done; } > act.csv
	alf-allocate -q --rules rules.csv act.csv > a.csv
	{ echo "$AH"; tail -n +2 act.csv | tac; } > rev.csv
	alf-allocate -q --rules rules.csv rev.csv > b.csv
	cmp a.csv b.csv
	# p1's fifth month (September) is past the 6 months; p0 has exactly 6
	[ "$(awk -F, 'NR > 1 { s += $10 } END { print s }' a.csv)" = 12 ]
	grep -q ',P0,2024-09,rate,0,months,10,0.00$' a.csv
}

@test "rules: a blend cycle and a blend weight above 1 are configuration errors" {
	{ echo "$RH"
	  rule a blend "" "" "" "" "" 1 1/2 b c
	  rule b blend "" "" "" "" "" 1 1/2 a c
	  rule c fixed "" "" "" "" "" 1 "" "" "" "" "" "" "" "A=1"; } > rules.csv
	echo "$AH" > act.csv
	run alf-allocate --rules rules.csv -o out.csv act.csv
	assert_failure 2
	assert_output --partial "line a: from/to: blend cycle"
	[ ! -e out.csv ]
	{ echo "$RH"
	  rule b fixed "" "" "" "" "" 1 "" "" "" "" "" "" "" "A=1"
	  rule c fixed "" "" "" "" "" 1 "" "" "" "" "" "" "" "A=2"
	  rule a blend "" "" "" "" "" 1 3/2 b c; } > rules.csv
	run alf-allocate --rules rules.csv -o out.csv act.csv
	assert_failure 2
	assert_output --partial "line a: weight: more than 1 (3/2)"
}

# lib/model.c's ALF_MODEL_CACHE (make run sets it to logs/model-cache):
# model.jq's output kept by the SHA-256 of the bytes it is made from
model_cache_setup() {
	cd "$ROOT"
	alf-ingest --quiet --year 2024 "$FIX/stockholm-2024/hap.csv" |
	    alf-normalize --quiet --providers "$FIX/stockholm-2024/providers.csv" --year 2024 > "$W/act.csv"
	cd "$W"
	cp "$MODELS/stockholm-2024.json" m.json
	mkdir cache nojq
	# a jq first on PATH that only fails: only the cache can give the model
	printf '#!/bin/sh\necho "jq was run" >&2\nexit 99\n' > nojq/jq
	chmod +x nojq/jq
}

@test "ALF_MODEL_CACHE: the second program reads the model without running jq, to the same bytes" {
	model_cache_setup
	alf-allocate --quiet --model ./m.json --providers "$FIX/stockholm-2024/providers.csv" act.csv > plain.csv
	ALF_MODEL_CACHE=$W/cache alf-allocate --quiet --model ./m.json \
	    --providers "$FIX/stockholm-2024/providers.csv" act.csv > first.csv
	[ "$(ls cache | wc -l)" -eq 1 ]
	run env PATH="$W/nojq:$PATH" ALF_MODEL_CACHE="$W/cache" alf-allocate --quiet \
	    --model ./m.json --providers "$FIX/stockholm-2024/providers.csv" -o second.csv act.csv
	assert_success
	cmp plain.csv first.csv
	cmp plain.csv second.csv
	# without the cache that jq runs, and fails: the cache was what answered
	run env PATH="$W/nojq:$PATH" alf-allocate --quiet --model ./m.json \
	    --providers "$FIX/stockholm-2024/providers.csv" act.csv
	assert_failure 2
	assert_output --partial "jq was run"
}

@test "ALF_MODEL_CACHE: a changed model is read anew, a model jq rejects is never kept" {
	model_cache_setup
	ALF_MODEL_CACHE=$W/cache alf-allocate --quiet --model ./m.json \
	    --providers "$FIX/stockholm-2024/providers.csv" act.csv > before.csv
	# 3.2's rate doubled: one byte of the model, another key
	jq '(.lines[] | select(.id == "3.2") | .rate) |= (tonumber * 2 | tostring)' \
	    "$MODELS/stockholm-2024.json" > m.json
	ALF_MODEL_CACHE=$W/cache alf-allocate --quiet --model ./m.json \
	    --providers "$FIX/stockholm-2024/providers.csv" act.csv > cached.csv
	alf-allocate --quiet --model ./m.json --providers "$FIX/stockholm-2024/providers.csv" act.csv > fresh.csv
	[ "$(ls cache | wc -l)" -eq 2 ]
	cmp cached.csv fresh.csv
	! cmp -s before.csv fresh.csv
	rm cache/*
	echo '{"model": "x"}' > m.json
	run env ALF_MODEL_CACHE="$W/cache" alf-allocate --model ./m.json act.csv
	assert_failure 2
	[ "$(ls cache | wc -l)" -eq 0 ]
	# a cache that cannot be written is no error
	run env ALF_MODEL_CACHE="$W/none/such" alf-allocate --quiet --model stockholm-2024 \
	    --providers "$FIX/stockholm-2024/providers.csv" -o none.csv act.csv
	assert_success
	cmp none.csv before.csv
}
