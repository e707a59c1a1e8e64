package koppeltest

import (
	"bytes"
	"strings"
	"text/template"
)

// Invoice describes a generated UBL invoice (Peppol BIS 3) for tests.
type Invoice struct {
	Root     string // Invoice (default) or CreditNote
	Number   string
	Date     string
	Supplier string // scheme:value
	SupName  string
	Customer string
	CusName  string
	Amount   string
}

var invoiceTemplate = template.Must(template.New("ubl").Funcs(template.FuncMap{
	"scheme": func(p string) string { s, _, _ := strings.Cut(p, ":"); return s },
	"value":  func(p string) string { _, v, _ := strings.Cut(p, ":"); return v },
}).Parse(`<?xml version="1.0" encoding="UTF-8"?>
<{{.Root}} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{{.Root}}-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>{{.Number}}</cbc:ID>
  <cbc:IssueDate>{{.Date}}</cbc:IssueDate>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party>
    <cbc:EndpointID schemeID="{{scheme .Supplier}}">{{value .Supplier}}</cbc:EndpointID>
    <cac:PartyName><cbc:Name>{{.SupName}}</cbc:Name></cac:PartyName>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cbc:EndpointID schemeID="{{scheme .Customer}}">{{value .Customer}}</cbc:EndpointID>
    <cac:PartyName><cbc:Name>{{.CusName}}</cbc:Name></cac:PartyName>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:LegalMonetaryTotal>
    <cbc:PayableAmount currencyID="EUR">{{.Amount}}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
</{{.Root}}>
`))

// UBL renders the invoice; blanks get defaults (a purchase invoice of
// Bakkerij Jansen from Meelfabriek De Molen, 2026-03-02, EUR 121.00).
func UBL(i Invoice) []byte {
	if i.Root == "" {
		i.Root = "Invoice"
	}
	if i.Date == "" {
		i.Date = "2026-03-02"
	}
	if i.Supplier == "" {
		i.Supplier, i.SupName = "0106:87654321", "Meelfabriek De Molen BV"
	}
	if i.Customer == "" {
		i.Customer, i.CusName = "0106:12345678", "Bakkerij Jansen BV"
	}
	if i.Amount == "" {
		i.Amount = "121.00"
	}
	var b bytes.Buffer
	if err := invoiceTemplate.Execute(&b, i); err != nil {
		panic(err)
	}
	return b.Bytes()
}
