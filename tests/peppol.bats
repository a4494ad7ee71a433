#!/usr/bin/env bats
# alf-invoice --format peppol: every generated file against spec/PEPPOL.md's
# points, checked with xmllint and XPath; totals recomputed in öre.
load helper
setup() { common_setup; }

I="$ROOT/fixtures/invoice"

# UBL 2.1 order of the root's children that alf writes (Invoice-2)
INV_ORDER="CustomizationID ProfileID ID IssueDate DueDate InvoiceTypeCode DocumentCurrencyCode BuyerReference InvoicePeriod BillingReference AccountingSupplierParty AccountingCustomerParty PaymentMeans PaymentTerms TaxTotal LegalMonetaryTotal InvoiceLine"
CN_ORDER="CustomizationID ProfileID ID IssueDate CreditNoteTypeCode DocumentCurrencyCode BuyerReference InvoicePeriod BillingReference AccountingSupplierParty AccountingCustomerParty PaymentMeans PaymentTerms TaxTotal LegalMonetaryTotal CreditNoteLine"

x() { xmllint --xpath "$2" "$1" 2>/dev/null; }

ore() { awk -v s="$1" 'BEGIN { neg = s ~ /^-/; sub(/^-/, "", s); n = split(s, p, ".");
	printf "%.0f\n", (neg ? -1 : 1) * (p[1] * 100 + (n > 1 ? p[2] : 0)) }'; }

# the points of PEPPOL.md for one file; prints nothing when all hold
check_file() {
	local f=$1 root lines sum le n i q p a
	root=$(x "$f" 'local-name(/*)')
	[ "$(x "$f" 'string(/*/*[local-name()="CustomizationID"])')" = \
	  "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0" ] || echo "$f: CustomizationID"
	[ "$(x "$f" 'string(/*/*[local-name()="ProfileID"])')" = \
	  "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0" ] || echo "$f: ProfileID"
	[ "$(x "$f" 'string(/*/*[local-name()="ID"])').xml" = "$(basename "$f")" ] || echo "$f: ID"
	[ -n "$(x "$f" 'string(/*/*[local-name()="BuyerReference"])')" ] || echo "$f: BuyerReference"
	# R008: no empty elements; R051: one currency
	[ "$(x "$f" 'count(//*[not(*) and normalize-space()=""])')" = 0 ] || echo "$f: empty element"
	[ "$(x "$f" 'count(//@currencyID[. != "SEK"])')" = 0 ] || echo "$f: currency"
	# parties: 0007, ten digits, Luhn (checked by the program's own test data)
	[ "$(x "$f" 'count(//*[local-name()="EndpointID"][@schemeID="0007" and string-length(.)=10 and translate(., "0123456789", "")=""])')" = 2 ] || echo "$f: EndpointID"
	[ "$(x "$f" 'count(//*[local-name()="AccountingSupplierParty"]//*[local-name()="PartyTaxScheme"]/*[local-name()="CompanyID"][.="Godkänd för F-skatt"])')" = 1 ] || echo "$f: F-skatt"
	# category E with Percent 0 on every line, one subtotal with VATEX-EU-132-1B
	n=$(x "$f" "count(/*/*[local-name()=\"InvoiceLine\" or local-name()=\"CreditNoteLine\"])")
	[ "$(x "$f" 'count(//*[local-name()="ClassifiedTaxCategory"][*[local-name()="ID"]="E" and *[local-name()="Percent"]="0"])')" = "$n" ] || echo "$f: line category"
	[ "$(x "$f" 'count(//*[local-name()="TaxSubtotal"])')" = 1 ] || echo "$f: subtotals"
	[ "$(x "$f" 'string(//*[local-name()="TaxSubtotal"]/*[local-name()="TaxCategory"]/*[local-name()="TaxExemptionReasonCode"])')" = VATEX-EU-132-1B ] || echo "$f: VATEX"
	[ "$(x "$f" 'string(/*/*[local-name()="TaxTotal"]/*[local-name()="TaxAmount"])')" = 0.00 ] || echo "$f: tax"
	# totals to the öre (BR-CO-10, -13, -15, -16, BR-E-08)
	sum=0
	for i in $(seq 1 "$n"); do
		a=$(x "$f" "string(/*/*[local-name()=\"InvoiceLine\" or local-name()=\"CreditNoteLine\"][$i]/*[local-name()=\"LineExtensionAmount\"])")
		q=$(x "$f" "string(/*/*[local-name()=\"InvoiceLine\" or local-name()=\"CreditNoteLine\"][$i]/*[contains(local-name(), \"Quantity\")])")
		p=$(x "$f" "string(/*/*[local-name()=\"InvoiceLine\" or local-name()=\"CreditNoteLine\"][$i]/*[local-name()=\"Price\"]/*[local-name()=\"PriceAmount\"])")
		[[ "$a" =~ ^-?[0-9]+\.[0-9][0-9]$ ]] || echo "$f: line $i amount $a"
		case $p in -*) echo "$f: line $i negative price" ;; esac
		# R120: quantity × price = net, exactly here
		[ "$(awk -v q="$q" -v p="$p" 'BEGIN { printf "%.2f", q * p }')" = "$a" ] || echo "$f: line $i $q x $p != $a"
		sum=$((sum + $(ore "$a")))
	done
	for le in LineExtensionAmount TaxExclusiveAmount TaxInclusiveAmount PayableAmount; do
		[ "$(ore "$(x "$f" "string(//*[local-name()=\"LegalMonetaryTotal\"]/*[local-name()=\"$le\"])")")" = "$sum" ] || echo "$f: $le"
	done
	[ "$(ore "$(x "$f" 'string(//*[local-name()="TaxableAmount"])')")" = "$sum" ] || echo "$f: TaxableAmount"
	# UBL 2.1 element order of the root's children
	local order=$INV_ORDER
	[ "$root" = CreditNote ] && order=$CN_ORDER
	awk -v order="$order" '
		BEGIN { n = split(order, o, " "); for (i = 1; i <= n; i++) pos[o[i]] = i }
		/^  <[a-zA-Z]/ { sub(/^  <([a-z]+:)?/, ""); sub(/[ >\/].*/, ""); e = $0
			if (!(e in pos)) print FILENAME ": unexpected " e
			else if (pos[e] < last) print FILENAME ": " e " out of order"
			else last = pos[e] }' "$f"
	if [ "$root" = Invoice ]; then
		[ -n "$(x "$f" 'string(/*/*[local-name()="DueDate"])')" ] || echo "$f: DueDate"
		[ "$(x "$f" 'string(/*/*[local-name()="InvoiceTypeCode"])')" = 380 ] || echo "$f: 380"
	else
		[ "$(x "$f" 'string(/*/*[local-name()="CreditNoteTypeCode"])')" = 381 ] || echo "$f: 381"
		[ "$(x "$f" 'count(/*/*[local-name()="DueDate"])')" = 0 ] || echo "$f: DueDate in a credit note"
	fi
}

@test "one well-formed UBL file per invoice, recharge and correction, named DOC.xml" {
	run alf-invoice --model stockholm-2024 --providers "$I/providers.csv" \
	    --activities "$I/activities.csv" --format peppol --out-dir out -o inv.csv "$I/allocations.csv"
	assert_success
	run xmllint --noout out/*.xml
	assert_success
	want=$(awk -F, 'NR > 1 && ($2 == "invoice" || $2 == "recharge") { print $1 ".xml" }' inv.csv | sort -u)
	assert_equal "$(ls out | sort)" "$want"
	assert_equal "$(ls out | wc -l)" 30
}

@test "every file meets PEPPOL.md: identifiers, category E, totals to the öre, element order" {
	alf-invoice -q --model stockholm-2024 --providers "$I/providers.csv" \
	    --activities "$I/activities.csv" --issued "$I/issued.csv" --format peppol \
	    --out-dir out -o inv.csv "$I/allocations-changed.csv" 2>/dev/null || [ $? -eq 1 ]
	run bash -c "$(declare -f x ore check_file); INV_ORDER='$INV_ORDER' CN_ORDER='$CN_ORDER'; for f in out/*.xml; do check_file \$f; done"
	assert_output ""
	# and each file's payable amount is the CSV document's total
	for f in out/*.xml; do
		d=$(basename "$f" .xml)
		csv=$(awk -F, -v d="$d" '$1 == d { s += $NF * 100 } END { printf "%.0f", s < 0 ? -s : s }' inv.csv)
		assert_equal "$(ore "$(x "$f" 'string(//*[local-name()="PayableAmount"])')")" "$csv"
	done
}

@test "the VAT compensation line is 6 % of the other lines, category E, its own line" {
	alf-invoice -q --model stockholm-2024 --providers "$I/providers.csv" \
	    --activities "$I/activities.csv" --format peppol --out-dir out "$I/allocations.csv" 2>/dev/null
	f=out/2024-ERSTA-HSF-H1.xml
	run x "$f" 'string(//*[local-name()="InvoiceLine"][*[local-name()="Item"]/*[local-name()="Name"]="Momskompensation 6 %"]/*[local-name()="LineExtensionAmount"])'
	assert_output "60140.04"
	run x "$f" 'string(//*[local-name()="InvoiceLine"][last()]/*[local-name()="Item"]/*[local-name()="Description"])'
	assert_output "6 % × 1 002 334,00 kr"
	# 45 000 + 945 000 + 1 556.23 + 777.77 + 10 000 = 1 002 334.00; × 0.06
	run x "$f" 'string(//*[local-name()="PayableAmount"])'
	assert_output "1062474.04"
	# a line whose quantity × price is the net shows them (4 WEE × 2500)
	run x "$f" 'string(//*[local-name()="InvoiceLine"][5]/*[local-name()="InvoicedQuantity"]/@unitCode)'
	assert_output "WEE"
	# one that is not: quantity 1, the basis in the description
	run x "$f" 'string(//*[local-name()="InvoiceLine"][4]/*[local-name()="Item"]/*[local-name()="Description"])'
	assert_output "1,111 veckor × 700 kr"
	# no VAT compensation on recharges
	run x out/2024-CAPIO-KS-H2.xml 'count(//*[local-name()="InvoiceLine"])'
	assert_output "1"
	run x out/2024-CAPIO-KS-H2.xml 'string(//*[local-name()="BuyerReference"])'
	assert_output "KS-FOUU-1100"
}

@test "a correction is a CreditNote with positive amounts referring to the invoice" {
	alf-invoice -q --model stockholm-2024 --providers "$I/providers.csv" \
	    --activities "$I/activities.csv" --issued "$I/issued.csv" --format peppol \
	    --out-dir out "$I/allocations-changed.csv" 2>/dev/null || [ $? -eq 1 ]
	# issued documents are not sent again
	[ ! -e out/2024-ERSTA-HSF-H1.xml ]
	f=out/2024-ERSTA-HSF-H1-C1.xml
	run x "$f" 'local-name(/*)'
	assert_output "CreditNote"
	run x "$f" 'concat(//*[local-name()="BillingReference"]//*[local-name()="ID"], " ", //*[local-name()="BillingReference"]//*[local-name()="IssueDate"])'
	assert_output "2024-ERSTA-HSF-H1 2024-07-01"
	run x "$f" 'concat(//*[local-name()="PaymentDueDate"], " ", //*[local-name()="PayableAmount"])'
	assert_output "2024-12-31 2650.00"
	# a debit correction is an invoice that refers to the original too
	f=out/2024-SESAB-HSF-H1-C1.xml
	run x "$f" 'concat(local-name(/*), " ", //*[local-name()="BillingReference"]//*[local-name()="ID"], " ", //*[local-name()="PayableAmount"])'
	assert_output "Invoice 2024-SESAB-HSF-H1 50897.00"
}

@test "no bankgiro: no PaymentMeans; no org nr: no e-invoice, exit 1" {
	alf-invoice -q --model stockholm-2024 --providers "$I/providers.csv" \
	    --activities "$I/activities.csv" --format peppol --out-dir out "$I/allocations.csv" 2>/dev/null
	run x out/2024-SAMAR-AISAB-H1.xml 'count(//*[local-name()="PaymentMeans"])'
	assert_output "0"
	run x out/2024-FALCK-AISAB-H1.xml 'string(//*[local-name()="PayeeFinancialAccount"]/*[local-name()="ID"])'
	assert_output "51011005"
	# the buyer KI has no street: the address is written without one
	run x out/2024-CAPIO-KI-H1.xml 'count(//*[local-name()="AccountingCustomerParty"]//*[local-name()="StreetName"])'
	assert_output "0"
	sed 's/^FALCK,Falck Ambulans AB,559900-0089,/FALCK,Falck Ambulans AB,,/' "$I/providers.csv" > providers.csv
	run alf-invoice --model stockholm-2024 --providers providers.csv \
	    --activities "$I/activities.csv" --format peppol --out-dir out2 "$I/allocations.csv"
	assert_failure 1
	assert_output --partial "2024-FALCK-AISAB-H1: no e-invoice: FALCK has no organisation number"
	[ ! -e out2/2024-FALCK-AISAB-H1.xml ]
	[ -e out2/2024-SAMAR-AISAB-H1.xml ]
}

@test "--format peppol without --out-dir is a usage error; exit 2 publishes no directory" {
	run alf-invoice --model stockholm-2024 --providers "$I/providers.csv" --format peppol "$I/allocations.csv"
	assert_failure 2
	jq 'del(.accounts)' "$MODELS/stockholm-2024.json" > m.json
	run alf-invoice --model "$W/m.json" --providers "$I/providers.csv" --format peppol --out-dir out "$I/allocations.csv"
	assert_failure 2
	[ ! -e out ]
}
