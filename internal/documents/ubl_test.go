package documents

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"koppel/internal/koppel"
)

// TestParseValid reads the valid samples of testdata/import.
func TestParseValid(t *testing.T) {
	cases := []struct {
		file               string
		typ                koppel.DocumentType
		number, date       string
		supplier, supName  string
		customer, cusName  string
		currency, amount   string
		supplierIDs, extra int
	}{
		{"invoice-basic.xml", koppel.TypeInvoice, "MOL-2026-0142", "2026-03-02",
			"0106:87654321", "Meelfabriek De Molen BV", "0106:12345678", "Bakkerij Jansen BV", "EUR", "1210.00", 2, 0},
		{"invoice-bom.xml", koppel.TypeInvoice, "MOL-2026-0143", "2026-03-02",
			"0106:87654321", "Meelfabriek De Molen BV", "0106:12345678", "Bakkerij Jansen BV", "EUR", "99.95", 2, 0},
		{"creditnote.xml", koppel.TypeCreditNote, "MOL-2026-C007", "2026-03-05",
			"0106:87654321", "Meelfabriek De Molen BV", "0106:12345678", "Bakkerij Jansen BV", "EUR", "60.50", 1, 0},
		{"invoice-vat-customer.xml", koppel.TypeInvoice, "2026/00031", "2026-02-27",
			"9944:NL001234567B89", "Transport & Koeling Veldhoven", "9944:NL123456789B01", "Groente Pieters", "EUR", "0.10", 1, 0},
		// Whitespace collapsed, an unknown scheme kept as written, a KvK number
		// without scheme taken from the legal entity, the amount's exact text.
		{"invoice-legal-entity.xml", koppel.TypeInvoice, "INV 88-A", "2026-01-15",
			"0088:8712345000004", "Verpakkingen Noord", "0106:12345678", "Bakkerij Jansen B.V.", "EUR", "1234567890123.4500", 1, 0},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			u, err := parseUBL(readTestdata(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			got := []string{string(u.Type), u.Number, u.IssueDate, u.Supplier.ID(), u.Supplier.Name, u.Customer.ID(), u.Customer.Name, u.Currency, u.PayableAmount}
			want := []string{string(tc.typ), tc.number, tc.date, tc.supplier, tc.supName, tc.customer, tc.cusName, tc.currency, tc.amount}
			if strings.Join(got, " | ") != strings.Join(want, " | ") {
				t.Errorf("read\n  %q\nwant\n  %q", got, want)
			}
			if len(u.Supplier.IDs) != tc.supplierIDs {
				t.Errorf("supplier identifiers %v, want %d", u.Supplier.IDs, tc.supplierIDs)
			}
		})
	}
}

// TestParseRefusals: every hostile or wrong sample gets an EInvalid error
// with a plain message and its key.
func TestParseRefusals(t *testing.T) {
	cases := []struct{ file, key, msg string }{
		{"bad-doctype-xxe.xml", "document.doctype", "DOCTYPE or ENTITY"},
		{"bad-billion-laughs.xml", "document.doctype", "DOCTYPE or ENTITY"},
		{"bad-entity-lowercase.xml", "document.doctype", "DOCTYPE or ENTITY"},
		{"bad-malformed.xml", "document.xml_closed_by", "not well-formed XML: line 6: element <IssueDate> is closed by </Invoice>"},
		{"bad-order.xml", "document.not_invoice", "is a UBL Order, not an invoice"},
		{"bad-empty.xml", "document.empty", "is empty"},
		{"bad-wrong-namespace.xml", "document.namespace", "root element is Invoice in urn:example:not-ubl:Invoice"},
		{"bad-missing-number.xml", "document.no_number", "no invoice number"},
		{"bad-missing-customer.xml", "document.no_party", "names no customer party ID"},
		{"bad-bad-date.xml", "document.issue_date", `issue date "02-03-2026" is not a date`},
		{"bad-not-xml.xml", "document.not_xml", "is not XML"},
		{"bad-latin1.xml", "document.encoding", `encoded as "ISO-8859-1"`},
		{"bad-utf16.xml", "document.encoding", "UTF-16"},
		{"bad-two-roots.xml", "document.two_roots", "more than one root element"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			_, err := parseUBL(readTestdata(t, tc.file))
			checkRefusal(t, err, tc.key, tc.msg)
		})
	}
}

// TestParseLimits: what no invoice needs is refused without exhausting memory.
func TestParseLimits(t *testing.T) {
	basic := string(readTestdata(t, "invoice-basic.xml"))
	deep := strings.Replace(basic, "<cbc:ID>MOL-2026-0142</cbc:ID>",
		"<cbc:ID>MOL-2026-0142</cbc:ID>"+strings.Repeat("<cac:X>", 100)+strings.Repeat("</cac:X>", 100), 1)
	longNumber := strings.Replace(basic, "MOL-2026-0142", strings.Repeat("9", 5000), 1)
	hugeName := strings.Replace(basic, "Meelfabriek De Molen BV</cbc:Name>", strings.Repeat("Molen ", 100_000)+"</cbc:Name>", 1)
	cases := []struct {
		name, body, key, msg string
	}{
		{"nested too deep", deep, "document.too_deep", "more than 64 levels"},
		{"invoice number too long", longNumber, "document.number_too_long", "longer than 200"},
		{"text after the root", basic + "trailing words", "document.text_outside_root", "text outside its root"},
		{"amount not a number", strings.Replace(basic, ">1210.00</cbc:PayableAmount>", ">1.210,00</cbc:PayableAmount>", 1), "document.amount", `"1.210,00" is not a decimal`},
		{"currency not ISO", strings.Replace(basic, ">EUR</cbc:DocumentCurrencyCode>", ">Euro</cbc:DocumentCurrencyCode>", 1), "document.currency", "three-letter"},
		{"date that does not exist", strings.Replace(basic, "<cbc:IssueDate>2026-03-02", "<cbc:IssueDate>2026-02-30", 1), "document.issue_date", "not a date"},
		{"only white space", " \n\t ", "document.empty", "is empty"},
		{"a DOCTYPE after the root", basic + "<!DOCTYPE x>", "document.doctype", "DOCTYPE"},
		{"a CDATA instead of a root", "<![CDATA[x]]>", "document.not_xml", "is not XML"},
		{"no element", "<?xml version=\"1.0\"?><!-- nothing -->", "document.no_root", "no XML element"},
		{"a plain XML document", "<html><body>hi</body></html>", "document.not_invoice", "root element html"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseUBL([]byte(tc.body))
			checkRefusal(t, err, tc.key, tc.msg)
		})
	}
	t.Run("a huge name is shortened, not refused", func(t *testing.T) {
		u, err := parseUBL([]byte(hugeName))
		if err != nil {
			t.Fatal(err)
		}
		if n := len([]rune(u.Supplier.Name)); n > maxName {
			t.Errorf("supplier name kept %d characters", n)
		}
	})
	t.Run("over 10 MiB", func(t *testing.T) {
		big := strings.Replace(basic, "<cac:InvoiceLine>", "<!-- "+strings.Repeat("x", MaxSize)+" --><cac:InvoiceLine>", 1)
		_, err := readBody(strings.NewReader(big))
		checkRefusal(t, err, "document.too_large", "larger than 10 MiB")
		_, err = parseUBL([]byte(big))
		checkRefusal(t, err, "document.too_large", "larger than 10 MiB")
		exact := strings.Repeat(" ", MaxSize-len(basic)) + basic // exactly 10 MiB is taken
		if b, err := readBody(strings.NewReader(exact)); err != nil || len(b) != MaxSize {
			t.Fatalf("a document of exactly 10 MiB: %d bytes, %v", len(b), err)
		}
	})
}

// TestPartyIdentifiers: how scheme and value become a party ID.
func TestPartyIdentifiers(t *testing.T) {
	cases := []struct {
		scheme, value string
		legal         bool
		want          string
	}{
		{"0106", "12345678", false, "0106:12345678"},
		{"NL:KVK", "12345678", false, "0106:12345678"}, // SI-UBL 1.x notation
		{"9944", "nl123456789b01", false, "9944:NL123456789B01"},
		{"NL:VAT", "NL123456789B01", false, "9944:NL123456789B01"},
		{"0190", "00000001234567890000", false, "0190:00000001234567890000"},
		{"0208", "0123456749", false, "0208:0123456749"},
		{"0088", "8712345000004", false, "0088:8712345000004"}, // a scheme Koppel does not check: as written
		{"0106", "1234567", false, "0106:1234567"},             // a wrong KvK number: kept, matches nobody
		{"", "NL123456789B01", false, "9944:NL123456789B01"},   // a Dutch VAT number cannot be mistaken
		{"", "12345678", true, "0106:12345678"},                // 8 digits as a legal entity's registration
		{"", "12345678", false, ""},                            // elsewhere, 8 digits without scheme mean nothing sure
		{"0106", "", false, ""},
		{"0106", "1234 5678", false, "0106:12345678"},
		{"0106", "12345678\u200b", false, ""}, // not printable ASCII: dropped
	}
	for _, tc := range cases {
		got := appendID(nil, tc.scheme, tc.value, tc.legal)
		if want := []string{tc.want}; tc.want == "" && len(got) != 0 || tc.want != "" && (len(got) != 1 || got[0] != tc.want) {
			t.Errorf("appendID(%q, %q, legal=%v) = %q, want %q", tc.scheme, tc.value, tc.legal, got, want)
		}
	}
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "import", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestParseRefusals_XMLComplaints: the XML parser's commonest complaints
// get keys of their own, with the names the window needs to say them in
// Dutch; any other keeps the parser's English as document.malformed's
// detail.
func TestParseRefusals_XMLComplaints(t *testing.T) {
	const head = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">` + "\n"
	cases := []struct {
		name, body, key string
		params          map[string]string
		msg             string
	}{
		{"ends early", head + "<ID>1</ID>\n", "document.xml_eof",
			map[string]string{"line": "4"}, "it ends at line 4 before all its elements are closed"},
		{"closed by another", head + "<ID>1</Note>\n</Invoice>", "document.xml_closed_by",
			map[string]string{"line": "3", "open": "ID", "close": "Note"}, "line 3: element <ID> is closed by </Note>"},
		{"end without start", `<?xml version="1.0"?>` + "\n</Invoice>", "document.xml_end",
			map[string]string{"line": "2", "name": "Invoice"}, "line 2: </Invoice> closes an element that was not opened"},
		{"bare ampersand", head + "<Note>Jansen & Zn</Note>\n</Invoice>", "document.xml_entity",
			map[string]string{"line": "3", "entity": "&"}, "line 3: & is not a character reference XML knows"},
		{"HTML entity", head + "<Note>a&nbsp;b</Note>\n</Invoice>", "document.xml_entity",
			map[string]string{"line": "3", "entity": "&nbsp;"}, "line 3: &nbsp; is not a character reference"},
		{"control character", head + "<Note>a\x01b</Note>\n</Invoice>", "document.xml_char",
			map[string]string{"line": "3", "char": "U+0001"}, "line 3 has a character XML does not allow (U+0001)"},
		{"not UTF-8", head + "<Note>caf\xe9</Note>\n</Invoice>", "document.xml_utf8",
			map[string]string{"line": "3"}, "line 3 is not valid UTF-8"},
		{"another complaint", head + "<ID>1</ID>\n< Note/>\n</Invoice>", "document.malformed",
			map[string]string{"line": "4", "detail": "expected element name after <"}, "line 4: expected element name after <"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseUBL([]byte(tc.body))
			checkRefusal(t, err, tc.key, tc.msg)
			if _, params := koppel.ErrorKey(err); !maps.Equal(params, tc.params) {
				t.Errorf("params %v, want %v", params, tc.params)
			}
			if says := englishWindow(t, tc.key, tc.params); says != koppel.ErrorMessage(err) {
				t.Errorf("the English window says %q, Go %q", says, koppel.ErrorMessage(err))
			}
		})
	}
}

// englishWindow is what the window's English catalog says for the error
// key with params.
func englishWindow(t *testing.T, key string, params map[string]string) string {
	t.Helper()
	catalog, err := os.ReadFile(filepath.Join("..", "..", "frontend", "src", "lib", "i18n", "en.ts"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*'error\.` + regexp.QuoteMeta(key) + `':\s*'([^']*)',`).FindSubmatch(catalog)
	if m == nil {
		t.Fatalf("en.ts has no 'error.%s'", key)
	}
	says := string(m[1])
	for name, value := range params {
		says = strings.ReplaceAll(says, "{"+name+"}", value)
	}
	return says
}

// checkRefusal checks err is an EInvalid koppel.Error with key and a message
// that contains msg and reads as a sentence, not a Go error.
func checkRefusal(t *testing.T, err error, key, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted; want a refusal %s", key)
	}
	if code := koppel.ErrorCode(err); code != koppel.EInvalid {
		t.Errorf("code %q (%v), want invalid", code, err)
	}
	if k, _ := koppel.ErrorKey(err); k != key {
		t.Errorf("key %q, want %q (%v)", k, key, err)
	}
	m := koppel.ErrorMessage(err)
	if !strings.Contains(m, msg) {
		t.Errorf("message %q does not contain %q", m, msg)
	}
	if !strings.HasPrefix(m, "The ") || !strings.HasSuffix(m, ".") || strings.Contains(m, "xml:") || strings.Contains(m, ".go") || strings.ContainsAny(m, "\n\r") {
		t.Errorf("message %q is not one plain sentence", m)
	}
	if len(m) > 400 {
		t.Errorf("message is %d bytes long", len(m))
	}
}

// FuzzParseUBL: the reader never panics, and what it accepts is complete.
func FuzzParseUBL(f *testing.F) {
	entries, _ := os.ReadDir(filepath.Join("testdata", "import"))
	for _, e := range entries {
		if !e.IsDir() {
			f.Add(readTestdata(f, e.Name()))
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		u, err := parseUBL(body)
		if err != nil {
			if koppel.ErrorCode(err) != koppel.EInvalid {
				t.Fatalf("error of code %q: %v", koppel.ErrorCode(err), err)
			}
			return
		}
		if u.Number == "" || u.IssueDate == "" || u.Supplier.ID() == "" || u.Customer.ID() == "" {
			t.Fatalf("accepted an incomplete document: %+v", u)
		}
		if bytes.Contains(bytes.ToLower(body), []byte("<!doctype")) {
			t.Fatal("accepted a DOCTYPE")
		}
	})
}
