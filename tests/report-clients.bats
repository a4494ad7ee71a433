#!/usr/bin/env bats
# alf-report's HTML and Excel output checked by real clients: headless
# Chromium renders the page (figures in the DOM, one SVG bar per provider)
# and headless LibreOffice opens the workbooks (the same numbers on every
# sheet).  Each client starts as few times as possible: setup_file makes
# every file and runs the clients once; the tests read what they wrote.
# The clients get fd 3 closed: a helper they leave behind (crashpad) must
# not hold bats's output pipe open.
load helper
bats_require_minimum_version 1.5.0
setup() { common_setup; R="$FIX/report"; D="$BATS_FILE_TMPDIR"; }

chromium_dom() {
	chromium --headless --no-sandbox --disable-gpu --disable-quic \
	    --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$(mktemp -d "$BATS_FILE_TMPDIR/chr.XXXXXX")" \
	    --dump-dom "file://$1" 2>/dev/null 3>&-
}

setup_file() {
	load helper
	R="$FIX/report" D="$BATS_FILE_TMPDIR" C="$FIX/compliance"
	P="$R/providers.csv"
	cd "$D"
	alf-report budget -q --model "$R/model.json" --providers "$P" --format html \
	    -o budget.html "$R/allocations.csv"
	alf-report compare -q --model "$R/model.json" --providers "$P" --format html \
	    -o compare.html "$R/allocations.csv" "$R/allocations-b.csv"
	alf-report compliance -q --units "$C/usve.csv" --format html -o compliance.html \
	    "$C/survey.csv"
	for f in budget compare compliance; do
		chromium_dom "$D/$f.html" > "$f.dom"
	done
	alf-report budget -q --model "$R/model.json" --providers "$P" --format xlsx \
	    -o budget.xlsx "$R/allocations.csv"
	alf-report budget -q --model "$R/model.json" --providers "$P" --format csv \
	    -o budget.csv "$R/allocations.csv"
	alf-report compare -q --model "$R/model.json" --providers "$P" --format xlsx \
	    -o compare.xlsx "$R/allocations.csv" "$R/allocations-b.csv"
	alf-report compare -q --model "$R/model.json" --providers "$P" --format csv \
	    -o compare.csv "$R/allocations.csv" "$R/allocations-b.csv"
	alf-report compliance -q --units "$C/usve.csv" --format xlsx -o compliance.xlsx \
	    "$C/survey.csv"
	alf-report compliance -q --units "$C/usve.csv" --format json -o compliance.json \
	    "$C/survey.csv"
	# kronor and öre: the documents' reports, and amounts up to 10^12 kr
	for kind in closing reconcile; do
		for fmt in xlsx csv; do
			alf-report $kind -q --model "$R/model.json" --providers "$P" \
			    --format $fmt -o $kind.$fmt "$R/allocations.csv" "$R/invoices.csv"
		done
	done
	for fmt in xlsx csv; do
		alf-report statement -q --provider CAPIO --model "$R/model.json" \
		    --providers "$P" --format $fmt -o statement.$fmt \
		    "$R/allocations.csv" "$R/invoices.csv"
		alf-report statement -q --provider P1 --format $fmt -o ore.$fmt "$R/ore.csv"
	done
	alf-report compare -q --format xlsx -o inject.xlsx "$R/inject.csv" "$R/round-a.csv"
	mkdir sheets
	# Debian 12's LibreOffice 7.4: the last filter option -1 exports every sheet
	soffice --headless -env:UserInstallation="file://$D/lo" \
	    --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
	    --outdir sheets budget.xlsx compare.xlsx compliance.xlsx closing.xlsx \
	    reconcile.xlsx statement.xlsx ore.xlsx inject.xlsx > soffice.log 2>&1 3>&-
}

# every sheet of $1.xlsx as LibreOffice exported it against the tables of
# the CSV report $1.csv, figure for figure; a number's trailing zeros are
# dropped on both sides (LibreOffice writes the value, 1818041.4)
same_sheets() {
	local kind=$1 ntab nsheet
	ntab=$(grep -c '^table,' "$D/$kind.csv")
	nsheet=$(ls "$D/sheets" | grep -c "^$kind-")
	assert_equal "$nsheet" "$ntab"
	mkdir "$W/$kind" "$W/$kind-lo"
	awk -v dir="$W/$kind" '
		/^table,/ { n++ }
		{ sub(/^("[^"]*"|[^,]*),/, ""); print > (dir "/" n ".csv") }
	' "$D/$kind.csv"
	for f in "$D/sheets/$kind-"*; do
		cp "$f" "$W/$kind-lo/"
	done
	# number fields: 1818041.40 and 1818041.4 are the same figure
	for f in "$W/$kind"/* "$W/$kind-lo"/*; do
		awk -F, -v OFS=, '{
			for (i = 1; i <= NF; i++)
				if ($i ~ /^-?[0-9]+\.[0-9]+$/) { sub(/0+$/, "", $i); sub(/\.$/, "", $i) }
			print }' "$f" > "$f.n" && mv "$f.n" "$f"
	done
	run diff <(cd "$W/$kind" && cksum * | cut -d' ' -f1,2 | sort) \
	    <(cd "$W/$kind-lo" && cksum * | cut -d' ' -f1,2 | sort)
	assert_success
}

@test "html: Chromium renders the budget, the figures are in the DOM" {
	grep -q '<h2>3.3 Lokaler, undervisning - läkarprogrammet</h2>' "$D/budget.dom" ||
	    fail "no 3.3 section"
	# in its section and in the summary's column
	run grep -c '<td class="n">10 570 tkr</td>' "$D/budget.dom"
	assert_output 2
	run grep -c '<td class="n">22 938 tkr</td>' "$D/budget.dom"
	assert_output 2
	grep -q '<tr class="total"><td>Totalt</td><td class="n">7 680 tkr</td><td class="n">10 570 tkr</td>' \
	    "$D/budget.dom" || fail "3.3 total row"
}

@test "html: one SVG bar per provider row, each named" {
	# the summary's rows: providers.csv without report_as rows (12)
	want=$(awk -F, 'NR > 1 && $7 == ""' "$R/providers.csv" | wc -l)
	assert_equal "$want" 12
	run grep -o '<rect class="bar"[^>]*>' "$D/budget.dom"
	assert_equal "${#lines[@]}" "$want"
	while IFS=, read -r id name _ _ _ _ report_as _; do
		[ "$id" = provider ] || [ -n "$report_as" ] && continue
		grep -qF "<title>$name: " "$D/budget.dom" || fail "no bar for $name"
	done < "$R/providers.csv"
	# SLSO's bar is the longest (480 units), Karolinska's in proportion:
	# 480 × 322 292 / 616 304 = 251.0
	grep -q '<rect class="bar" x="260" y="4" width="480" height="18"><title>Stockholms läns sjukvårdsområde: 616 304 tkr</title>' \
	    "$D/budget.dom" || fail "SLSO's bar"
	grep -q '<rect class="bar" x="260" y="48" width="251" height="18"><title>Karolinska universitetssjukhuset: 322 292 tkr</title>' \
	    "$D/budget.dom" || fail "Karolinska's bar"
}

@test "html: compare draws winners and losers, compliance a heat table" {
	run grep -o '<rect class="bar gain"' "$D/compare.dom"
	gains=${#lines[@]}
	run grep -o '<rect class="bar loss"' "$D/compare.dom"
	losses=${#lines[@]}
	# from the CSV: rows with a positive and with a negative change
	pos=$(grep '^Förändring per vårdgivare,' "$D/compare.csv" | grep -v ',Totalt,' |
	    awk -F, '$NF > 0' | wc -l)
	neg=$(grep '^Förändring per vårdgivare,' "$D/compare.csv" | grep -v ',Totalt,' |
	    awk -F, '$NF < 0' | wc -l)
	assert [ "$losses" -ge 2 ]
	assert_equal "$losses" "$neg"
	assert [ "$gains" -ge "$pos" ]
	# Tabell 3: mean and 27 levels × 7 regions and Totalt are coloured
	run grep -o '<td class="n" style="background:hsl([0-9]*,70%,[0-9]*%)">[0-9]*</td>' \
	    "$D/compliance.dom"
	assert_equal "${#lines[@]}" $((28 * 8))
	grep -q 'style="background:hsl(31,70%,72%)">26</td>' "$D/compliance.dom" ||
	    fail "Uppsala level 13 (26 %)"
}

@test "html: self-contained, print CSS, deterministic" {
	for f in budget compare compliance; do
		run grep -oE '(src|href)=|<script|<link|<img|@import|url\(' "$D/$f.html"
		assert_output ''
		run grep -oE 'https?://[^" )]*' "$D/$f.html"
		[ -z "$output" ] || assert_output 'http://www.w3.org/2000/svg'
		grep -q '@media print' "$D/$f.html"
	done
	alf-report budget -q --model "$R/model.json" --providers "$R/providers.csv" \
	    --format html -o "$W/again.html" "$R/allocations.csv"
	cmp "$D/budget.html" "$W/again.html"
}

@test "xlsx: LibreOffice gives back the same numbers on every sheet" {
	# one sheet per table, named after it
	run ls "$D/sheets"
	assert [ "${#lines[@]}" -gt 30 ]
	for kind in budget compare; do
		same_sheets $kind
	done
	run cat "$D/sheets/budget-3.3 Lokaler, undervisning -.csv"
	assert_line 'Totalt,7680,10570,0'
	assert_line 'Stockholms läns sjukvårdsområde,1468,2020,0'
	run cat "$D/sheets/compare-Förändring per vårdgivare.csv"
	assert_line --regexp '^Karolinska universitetssjukhuset,322292,319290,-3002$'
}

@test "xlsx: compliance sheets hold Tabell 2 and 3 as numbers" {
	run cat "$D/sheets/compliance-Tabell 3. Andel USVE per re.csv"
	assert_line --index 0 'Miniminivå,Stockholm,Uppsala,Östergötland,Skåne,VGR,Örebro,Västerbotten,Totalt'
	assert_line 'Genomsnitt per region (%),97,86,94,87,94,90,89,92'
	assert_line '13,74,26,71,36,61,88,35,59'
	run cat "$D/sheets/compliance-Tabell 2. Antal och andel U.csv"
	assert_line 'Skåne,50,47,94'
	assert_line 'Totalt,296,292,99'
	# the same figures as the JSON report, row by row
	jq -r '.tables[1].rows[] | @csv' "$D/compliance.json" | tr -d '"' > "$W/t3.csv"
	tail -n +2 "$D/sheets/compliance-Tabell 3. Andel USVE per re.csv" | cmp - "$W/t3.csv"
}

@test "xlsx: numeric cells, bold frozen header, widths, the model's date" {
	x() { perl -MIO::Uncompress::Unzip=unzip -e \
	    'unzip $ARGV[0] => "-", Name => $ARGV[1] or die "$ARGV[1]\n"' "$D/budget.xlsx" "$1"; }
	# the sheet of section 3.3
	n=$(x xl/workbook.xml | grep -o '<sheet name="[^"]*"' | grep -n '"3.3 Lokaler' | cut -d: -f1)
	assert [ -n "$n" ]
	run x "xl/worksheets/sheet$n.xml"
	assert_success
	assert_output --partial '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
	assert_output --regexp '<col min="1" max="1" width="[0-9.]+" customWidth="1"/>'
	# 3.3: SLSO's 1 468 tkr is a number, not text
	assert_output --regexp '<c r="B2" s="[0-9]+"><v>1468</v></c>'
	run x xl/styles.xml
	assert_output --partial '<numFmt numFmtId="164" formatCode="#,##0 &quot;tkr&quot;"/>'
	assert_output --partial '<b/>'
	run x docProps/core.xml
	assert_output --partial '<dcterms:created xsi:type="dcterms:W3CDTF">2025-01-31T00:00:00Z</dcterms:created>'
	# the same report twice: the same bytes, whatever the clock says
	sleep 1
	alf-report budget -q --model "$R/model.json" --providers "$R/providers.csv" \
	    --format xlsx -o "$W/again.xlsx" "$R/allocations.csv"
	cmp "$D/budget.xlsx" "$W/again.xlsx"
}

@test "xlsx: kronor and öre come back to the öre on every sheet" {
	# closing, reconcile, a statement: every sheet is its CSV table
	for kind in closing reconcile statement ore; do
		same_sheets $kind
	done
	# 0.07 is no exact double; 999 999 999 999.99 kr has 15 digits
	run cat "$D/sheets/ore-Tilldelning per rad.csv"
	assert_line 'X,Öre,ALF,HSF,2024,007.50,weeks,0.07,0.07'
	assert_line 'X,Öre,ALF,HSF,2024-H1,3,weeks,3333333.33,999999999999.99'
	assert_line 'Totalt,,,,,,,,1000001818041.43'
	run cat "$D/sheets/closing-Bokslut ALF.csv"
	assert_line 'Capio S:t Görans Sjukhus AB,3.2,1818041,1818041,0,0,0'
	# the money cells are numbers with the kronor format, not text
	x() { perl -MIO::Uncompress::Unzip=unzip -e \
	    'unzip $ARGV[0] => "-", Name => $ARGV[1] or die "$ARGV[1]\n"' "$D/ore.xlsx" "$1"; }
	run x xl/worksheets/sheet1.xml
	assert_output --regexp '<c r="I4" s="[0-9]+"><v>1818041.37</v></c>'
	run x xl/styles.xml
	assert_output --partial 'formatCode="#,##0.00"'
}

@test "xlsx: formula-like text is a string cell, LibreOffice keeps it text" {
	run cat "$D/sheets/inject-Förändring per vårdgivare.csv"
	# the value is the text, never its result (3, a sum, a command)
	assert_line '=1+2,2,0,-2'
	assert_line '@SUM(A1),1,0,-1'
	assert_line '+cmd,4,0,-4'
	assert_line -- '-3+4,3,0,-3'
	x() { perl -MIO::Uncompress::Unzip=unzip -e \
	    'unzip $ARGV[0] => "-", Name => $ARGV[1] or die "$ARGV[1]\n"' "$D/inject.xlsx" "$1"; }
	run x xl/worksheets/sheet1.xml
	refute_output --partial '<f>'
	assert_output --regexp '<c r="A[0-9]+" t="s"><v>[0-9]+</v></c>'
}

@test "xlsx: a quantity with more digits than a double holds stays exact text, not a rounded number" {
	{ head -1 "$R/allocations.csv"
	  echo '2024,3.2,Grundutbildning läkare,ALF,education,HSF,DS,2024,rate,1234567890123456.25,hap,0,0.00'
	  echo '2024,3.3-alf,Lokaler,ALF,education,HSF,DS,2024,share,92.93,hap,,1.00'; } > a.csv
	alf-report statement -q --provider DS --model "$R/model.json" --providers "$R/providers.csv" \
	    --format xlsx -o s.xlsx a.csv
	x() { perl -MIO::Uncompress::Unzip=unzip -e \
	    'unzip $ARGV[0] => "-", Name => $ARGV[1] or die "$ARGV[1]\n"' s.xlsx "$1"; }
	run x xl/worksheets/sheet1.xml
	# column F is the basis: the long one a string cell, 92.93 a number
	assert_output --regexp '<c r="F2" t="s"><v>[0-9]+</v></c>'
	assert_output --regexp '<c r="F3"><v>92\.9(3|29+[0-9]*|30+[0-9]*)</v></c>'
	run x xl/sharedStrings.xml
	assert_output --partial '<t>1234567890123456.25</t>'
}
