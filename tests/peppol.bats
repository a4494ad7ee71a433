#!/usr/bin/env bats
# alf-invoice --format peppol: every generated file against spec/PEPPOL.md's
# points, checked with xmllint and XPath; totals recomputed in öre.
load helper
setup() { common_setup; }

I="$ROOT/fixtures/invoice"

# UBL 2.1 xsd:sequence of every aggregate alf writes, one line a type:
# "Type Element...: children in schema order" (local names; the children are
# the whole sequence, so an element alf might add later is placed too).
# From the OASIS UBL 2.1 runtime schemas (xsdrt/maindoc/UBL-Invoice-2.1.xsd,
# UBL-CreditNote-2.1.xsd, xsdrt/common/UBL-CommonAggregateComponents-2.1.xsd;
# ext:UBLExtensions as UBLExtensions), which the PEPPOL BIS Billing 3.0 syntax
# tree (docs.peppol.eu/poacc/billing/3.0/syntax/ubl-invoice/tree/) follows.
UBL_SEQ='
InvoiceType Invoice: UBLExtensions UBLVersionID CustomizationID ProfileID ProfileExecutionID ID CopyIndicator UUID IssueDate IssueTime DueDate InvoiceTypeCode Note TaxPointDate DocumentCurrencyCode TaxCurrencyCode PricingCurrencyCode PaymentCurrencyCode PaymentAlternativeCurrencyCode AccountingCostCode AccountingCost LineCountNumeric BuyerReference InvoicePeriod OrderReference BillingReference DespatchDocumentReference ReceiptDocumentReference StatementDocumentReference OriginatorDocumentReference ContractDocumentReference AdditionalDocumentReference ProjectReference Signature AccountingSupplierParty AccountingCustomerParty PayeeParty BuyerCustomerParty SellerSupplierParty TaxRepresentativeParty Delivery DeliveryTerms PaymentMeans PaymentTerms PrepaidPayment AllowanceCharge TaxExchangeRate PricingExchangeRate PaymentExchangeRate PaymentAlternativeExchangeRate TaxTotal WithholdingTaxTotal LegalMonetaryTotal InvoiceLine
CreditNoteType CreditNote: UBLExtensions UBLVersionID CustomizationID ProfileID ProfileExecutionID ID CopyIndicator UUID IssueDate IssueTime TaxPointDate CreditNoteTypeCode Note DocumentCurrencyCode TaxCurrencyCode PricingCurrencyCode PaymentCurrencyCode PaymentAlternativeCurrencyCode AccountingCostCode AccountingCost LineCountNumeric BuyerReference InvoicePeriod DiscrepancyResponse OrderReference BillingReference DespatchDocumentReference ReceiptDocumentReference ContractDocumentReference AdditionalDocumentReference StatementDocumentReference OriginatorDocumentReference Signature AccountingSupplierParty AccountingCustomerParty PayeeParty BuyerCustomerParty SellerSupplierParty TaxRepresentativeParty Delivery DeliveryTerms PaymentMeans PaymentTerms TaxExchangeRate PricingExchangeRate PaymentExchangeRate PaymentAlternativeExchangeRate AllowanceCharge TaxTotal LegalMonetaryTotal CreditNoteLine
PeriodType InvoicePeriod: StartDate StartTime EndDate EndTime DurationMeasure DescriptionCode Description
BillingReferenceType BillingReference: InvoiceDocumentReference SelfBilledInvoiceDocumentReference CreditNoteDocumentReference SelfBilledCreditNoteDocumentReference DebitNoteDocumentReference ReminderDocumentReference AdditionalDocumentReference BillingReferenceLine
DocumentReferenceType InvoiceDocumentReference: ID CopyIndicator UUID IssueDate IssueTime DocumentTypeCode DocumentType XPath LanguageID LocaleCode VersionID DocumentStatusCode DocumentDescription Attachment ValidityPeriod IssuerParty ResultOfVerification
SupplierPartyType AccountingSupplierParty: CustomerAssignedAccountID AdditionalAccountID DataSendingCapability Party DespatchContact AccountingContact SellerContact
CustomerPartyType AccountingCustomerParty: CustomerAssignedAccountID SupplierAssignedAccountID AdditionalAccountID Party DeliveryContact AccountingContact BuyerContact
PartyType Party: MarkCareIndicator MarkAttentionIndicator WebsiteURI LogoReferenceID EndpointID IndustryClassificationCode PartyIdentification PartyName Language PostalAddress PhysicalLocation PartyTaxScheme PartyLegalEntity Contact Person AgentParty ServiceProviderParty PowerOfAttorney FinancialAccount
PartyNameType PartyName: Name
AddressType PostalAddress: ID AddressTypeCode AddressFormatCode Postbox Floor Room StreetName AdditionalStreetName BlockName BuildingName BuildingNumber InhouseMail Department MarkAttention MarkCare PlotIdentification CitySubdivisionName CityName PostalZone CountrySubentity CountrySubentityCode Region District TimezoneOffset AddressLine Country LocationCoordinate
CountryType Country: IdentificationCode Name
PartyTaxSchemeType PartyTaxScheme: RegistrationName CompanyID TaxLevelCode ExemptionReasonCode ExemptionReason RegistrationAddress TaxScheme
TaxSchemeType TaxScheme: ID Name TaxTypeCode CurrencyCode JurisdictionRegionAddress
PartyLegalEntityType PartyLegalEntity: RegistrationName CompanyID RegistrationDate RegistrationExpirationDate CompanyLegalFormCode CompanyLegalForm SoleProprietorshipIndicator CompanyLiquidationStatusCode CorporateStockAmount FullyPaidSharesIndicator RegistrationAddress CorporateRegistrationScheme HeadOfficeParty ShareholderParty
PaymentMeansType PaymentMeans: ID PaymentMeansCode PaymentDueDate PaymentChannelCode InstructionID InstructionNote PaymentID CardAccount PayerFinancialAccount PayeeFinancialAccount CreditAccount PaymentMandate TradeFinancing
FinancialAccountType PayeeFinancialAccount: ID Name AliasName AccountTypeCode AccountFormatCode CurrencyCode PaymentNote FinancialInstitutionBranch Country
BranchType FinancialInstitutionBranch: ID Name FinancialInstitution Address
PaymentTermsType PaymentTerms: ID PaymentMeansID PrepaidPaymentReferenceID Note ReferenceEventCode SettlementDiscountPercent PenaltySurchargePercent PaymentPercent Amount SettlementDiscountAmount PenaltyAmount PaymentTermsDetailsURI PaymentDueDate InstallmentDueDate InvoicingPartyReference SettlementPeriod PenaltyPeriod ExchangeRate ValidityPeriod
TaxTotalType TaxTotal: TaxAmount RoundingAmount TaxEvidenceIndicator TaxIncludedIndicator TaxSubtotal
TaxSubtotalType TaxSubtotal: TaxableAmount TaxAmount CalculationSequenceNumeric TransactionCurrencyTaxAmount Percent BaseUnitMeasure PerUnitAmount TierRange TierRatePercent TaxCategory
TaxCategoryType TaxCategory ClassifiedTaxCategory: ID Name Percent BaseUnitMeasure PerUnitAmount TaxExemptionReasonCode TaxExemptionReason TierRange TierRatePercent TaxScheme
MonetaryTotalType LegalMonetaryTotal: LineExtensionAmount TaxExclusiveAmount TaxInclusiveAmount AllowanceTotalAmount ChargeTotalAmount PrepaidAmount PayableRoundingAmount PayableAmount PayableAlternativeAmount
InvoiceLineType InvoiceLine: ID UUID Note InvoicedQuantity LineExtensionAmount TaxPointDate AccountingCostCode AccountingCost PaymentPurposeCode FreeOfChargeIndicator InvoicePeriod OrderLineReference DespatchLineReference ReceiptLineReference BillingReference DocumentReference PricingReference OriginatorParty Delivery PaymentTerms AllowanceCharge TaxTotal WithholdingTaxTotal Item Price DeliveryTerms SubInvoiceLine ItemPriceExtension
CreditNoteLineType CreditNoteLine: ID UUID Note CreditedQuantity LineExtensionAmount TaxPointDate AccountingCostCode AccountingCost PaymentPurposeCode FreeOfChargeIndicator InvoicePeriod OrderLineReference DiscrepancyResponse DespatchLineReference ReceiptLineReference BillingReference DocumentReference PricingReference OriginatorParty Delivery PaymentTerms TaxTotal AllowanceCharge Item Price DeliveryTerms SubCreditNoteLine ItemPriceExtension
ItemType Item: Description PackQuantity PackSizeNumeric CatalogueIndicator Name HazardousRiskIndicator AdditionalInformation Keyword BrandName ModelName BuyersItemIdentification SellersItemIdentification ManufacturersItemIdentification StandardItemIdentification CatalogueItemIdentification AdditionalItemIdentification CatalogueDocumentReference ItemSpecificationDocumentReference OriginCountry CommodityClassification TransactionConditions HazardousItem ClassifiedTaxCategory AdditionalItemProperty ManufacturerParty InformationContentProviderParty OriginAddress ItemInstance Certificate Dimension
PriceType Price: PriceAmount BaseQuantity PriceChangeReason PriceTypeCode PriceType OrderableUnitFactorRate ValidityPeriod PriceList AllowanceCharge PricingExchangeRate
'

x() { xmllint --xpath "$2" "$1" 2>/dev/null; }

ore() { awk -v s="$1" 'BEGIN { neg = s ~ /^-/; sub(/^-/, "", s); n = split(s, p, ".");
	printf "%.0f\n", (neg ? -1 : 1) * (p[1] * 100 + (n > 1 ? p[2] : 0)) }'; }

# the UBL 2.1 element order of FILE...: every element's children against its
# parent's sequence in UBL_SEQ; prints one line per child out of order,
# unknown to its parent, or under a parent with no sequence (so an aggregate
# alf starts writing cannot go unchecked); nothing when all hold
ubl_order() {
	awk -v seq="$UBL_SEQ" '
	BEGIN { RS = "<"
		n = split(seq, L, "\n")
		for (i = 1; i <= n; i++) {
			if (split(L[i], h, ":") != 2)
				continue
			np = split(h[1], P, " "); nc = split(h[2], C, " ")
			for (j = 2; j <= np; j++) {
				known[P[j]] = 1
				for (k = 1; k <= nc; k++)
					if (!((P[j], C[k]) in pos))
						pos[P[j], C[k]] = k
			}
		}
	}
	FNR == 1 { d = 0 }
	/^[?!]/ || NF == 0 { next }
	/^\// { d--; next }
	{	t = substr($0, 1, index($0, ">") - 1); e = t
		sub(/[ \t\n\/].*/, "", e); sub(/^.*:/, "", e)
		path = ""
		for (i = 1; i <= d; i++)
			path = path (i > 1 ? "/" : "") s[i]
		if (d == 0 && !(e in known))
			print FILENAME ": root " e " has no sequence"
		else if (d > 0 && !(s[d] in known)) {
			if (!((FILENAME, s[d]) in told))
				print FILENAME ": " path ": no sequence for " s[d] " (child " e ")"
			told[FILENAME, s[d]] = 1
		} else if (d > 0 && !((s[d], e) in pos))
			print FILENAME ": " path ": " e " is not a child of " s[d]
		else if (d > 0 && pos[s[d], e] < last[d])
			print FILENAME ": " path ": " e " out of order (after " prev[d] ")"
		else if (d > 0) {
			last[d] = pos[s[d], e]; prev[d] = e
		}
		if (t !~ /\/$/) {
			s[++d] = e; last[d] = 0; prev[d] = ""
		}
	}' "$@"
}

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
	# UBL 2.1 element order of every aggregate
	ubl_order "$f"
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
	run bash -c "$(declare -p UBL_SEQ); $(declare -f x ore ubl_order check_file); for f in out/*.xml; do check_file \$f; done"
	assert_output ""
	# and each file's payable amount is the CSV document's total
	for f in out/*.xml; do
		d=$(basename "$f" .xml)
		csv=$(awk -F, -v d="$d" '$1 == d { s += $NF * 100 } END { printf "%.0f", s < 0 ? -s : s }' inv.csv)
		assert_equal "$(ore "$(x "$f" 'string(//*[local-name()="PayableAmount"])')")" "$csv"
	done
}

@test "every aggregate's children in UBL 2.1 schema order: invoices, recharges, credit and debit corrections" {
	alf-invoice -q --model stockholm-2024 --providers "$I/providers.csv" \
	    --activities "$I/activities.csv" --format peppol --out-dir out "$I/allocations.csv" 2>/dev/null
	alf-invoice -q --model stockholm-2024 --providers "$I/providers.csv" \
	    --activities "$I/activities.csv" --issued "$I/issued.csv" --format peppol \
	    --out-dir out2 "$I/allocations-changed.csv" 2>/dev/null || [ $? -eq 1 ]
	# both roots, and the optional aggregates, are among what is checked
	[ "$(grep -l '<CreditNote ' out2/*.xml | wc -l)" -ge 1 ]
	[ "$(grep -l '<cac:BillingReference>' out2/*.xml | wc -l)" -ge 2 ]
	[ "$(grep -l '<cac:PaymentMeans>' out/*.xml | wc -l)" -ge 1 ]
	[ "$(grep -l '<cbc:Description>' out/*.xml | wc -l)" -ge 1 ]
	run ubl_order out/*.xml out2/*.xml
	assert_output ""
}

@test "the order check holds for PEPPOL.md's examples, which pass the UBL 2.1 schema" {
	# copies of ../shared/spec/examples (PEPPOL.md's examples)
	ex="$FIX/peppol"
	[ "$(ls "$ex"/*.xml | wc -l)" -eq 2 ]
	run ubl_order "$ex"/*.xml
	assert_output ""
}

@test "the order check fails on a child out of its parent's schema order, at any depth" {
	alf-invoice -q --model stockholm-2024 --providers "$I/providers.csv" \
	    --activities "$I/activities.csv" --format peppol --out-dir out "$I/allocations.csv" 2>/dev/null
	f=out/2024-ERSTA-HSF-H1.xml
	run ubl_order "$f"
	assert_output ""
	# cbc:Name before cbc:Description in the first cac:Item that has one
	awk '/<cbc:Description>/ && !done { held = $0; next }
	     held != "" && /<cbc:Name>/ { print; print held; held = ""; done = 1; next } 1' "$f" > name.xml
	# the seller's PartyLegalEntity before its PartyTaxScheme
	awk '{ l[NR] = $0 } /<cac:PartyTaxScheme>/ && !t { t = NR }
	     /<cac:PartyLegalEntity>/ && !b { b = NR } /<\/cac:PartyLegalEntity>/ && !e { e = NR }
	     END { for (i = 1; i < t; i++) print l[i]; for (i = b; i <= e; i++) print l[i]
	           for (i = t; i < b; i++) print l[i]; for (i = e + 1; i <= NR; i++) print l[i] }' "$f" > legal.xml
	# PaymentDueDate after PaymentID; an element the schema does not have
	sed 's|</cbc:PaymentID>|&<cbc:PaymentDueDate>2024-07-31</cbc:PaymentDueDate>|' "$f" > due.xml
	sed '0,/<cbc:PostalZone>/s|<cbc:PostalZone>|<cac:Foo><cbc:ID>x</cbc:ID></cac:Foo>&|' "$f" > foo.xml
	run xmllint --noout name.xml legal.xml due.xml foo.xml
	assert_success
	run ubl_order name.xml
	assert_output "name.xml: Invoice/InvoiceLine/Item: Description out of order (after Name)"
	run ubl_order legal.xml
	assert_output "legal.xml: Invoice/AccountingSupplierParty/Party: PartyTaxScheme out of order (after PartyLegalEntity)
legal.xml: Invoice/AccountingSupplierParty/Party: PartyTaxScheme out of order (after PartyLegalEntity)"
	run ubl_order due.xml
	assert_output "due.xml: Invoice/PaymentMeans: PaymentDueDate out of order (after PaymentID)"
	run ubl_order foo.xml
	assert_output "foo.xml: Invoice/AccountingSupplierParty/Party/PostalAddress: Foo is not a child of PostalAddress
foo.xml: Invoice/AccountingSupplierParty/Party/PostalAddress/Foo: no sequence for Foo (child ID)"
	# and the per-file check of the PEPPOL.md test reports it too
	run bash -c "$(declare -p UBL_SEQ); $(declare -f x ore ubl_order check_file); check_file name.xml"
	assert_output --partial "Description out of order"
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
