package documents

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"koppel/internal/koppel"
)

// MaxSize is the largest document Koppel takes: 10 MiB, as the API's body
// limit.
const MaxSize = 10 << 20

// UBL 2.1 namespaces.
const (
	nsInvoice    = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
	nsCreditNote = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
	nsUBLPrefix  = "urn:oasis:names:specification:ubl:schema:xsd:"
	nsCAC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
	nsCBC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
)

// Limits on what one document may hold.
const (
	maxDepth     = 64   // element nesting
	maxFieldText = 1024 // bytes kept of one field's text
	maxNumber    = 200  // characters of an invoice number
	maxName      = 300  // characters of a party name
	maxPartyID   = 100  // characters of a party ID
)

// ubl is what Koppel reads from an invoice or credit note.
type ubl struct {
	Type          koppel.DocumentType
	Number        string
	IssueDate     string
	Currency      string
	PayableAmount string
	Supplier      party
	Customer      party
}

// party is a supplier or customer: its identifiers, best first, and name.
type party struct {
	IDs  []string // canonical where Koppel knows the scheme (0106:12345678), else SCHEME:VALUE
	Name string
}

// ID is the party's main identifier.
func (p party) ID() string {
	if len(p.IDs) == 0 {
		return ""
	}
	return p.IDs[0]
}

// has reports whether any of p's identifiers is key.
func (p party) has(keys ...string) bool {
	for _, id := range p.IDs {
		for _, k := range keys {
			if k != "" && id == k {
				return true
			}
		}
	}
	return false
}

// invalid is an EInvalid error about a document, with its message key.
func invalid(key, format string, args ...any) *koppel.Error {
	return koppel.Errorf(koppel.EInvalid, format, args...).WithKey("document." + key)
}

// readBody reads at most MaxSize bytes of r and refuses anything longer.
func readBody(r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, koppel.Internal("read the document", err)
	}
	if len(body) > MaxSize {
		return nil, tooLarge()
	}
	return body, nil
}

func tooLarge() *koppel.Error {
	return koppel.Errorf(koppel.EInvalid, "The document is larger than 10 MiB; Koppel takes invoices of at most 10 MiB.").
		WithKey("document.too_large", "max", "10 MiB")
}

// field is one value Koppel reads, by its path below the root element.
type field int

const (
	fNone field = iota
	fNumber
	fIssueDate
	fCurrency
	fPayable
	fEndpoint
	fPartyIdentification
	fPartyName
	fRegistrationName
	fLegalCompanyID
	fTaxCompanyID
)

// paths maps element paths below the root (prefix:local, joined by "/") to
// the field they hold; party paths are relative to the party element.
var (
	rootPaths = map[string]field{
		"cbc:ID":                   fNumber,
		"cbc:IssueDate":            fIssueDate,
		"cbc:DocumentCurrencyCode": fCurrency,
		"cac:LegalMonetaryTotal/cbc:PayableAmount": fPayable,
	}
	partyPaths = map[string]field{
		"cac:Party/cbc:EndpointID":                            fEndpoint,
		"cac:Party/cac:PartyIdentification/cbc:ID":            fPartyIdentification,
		"cac:Party/cac:PartyName/cbc:Name":                    fPartyName,
		"cac:Party/cac:PartyLegalEntity/cbc:RegistrationName": fRegistrationName,
		"cac:Party/cac:PartyLegalEntity/cbc:CompanyID":        fLegalCompanyID,
		"cac:Party/cac:PartyTaxScheme/cbc:CompanyID":          fTaxCompanyID,
	}
)

// rawParty gathers a party's values as they are found.
type rawParty struct {
	ids     [4][]string // by priority: endpoint, identification, legal, tax
	name    string
	regName string
}

// errCharset reports a declared encoding other than UTF-8.
type errCharset struct{ label string }

func (e errCharset) Error() string { return "encoding " + e.label }

// parseUBL reads a UBL 2.1 / Peppol BIS 3 invoice or credit note. It refuses,
// before decoding anything, a document with a DOCTYPE or entity declaration
// (XXE, billion laughs), and reads the rest as a stream of tokens: no
// entity is ever expanded and nothing outside the document is fetched.
func parseUBL(body []byte) (*ubl, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, invalid("empty", "The document is empty.")
	}
	if len(body) > MaxSize {
		return nil, tooLarge()
	}
	if bytes.HasPrefix(body, []byte{0xFE, 0xFF}) || bytes.HasPrefix(body, []byte{0xFF, 0xFE}) ||
		bytes.HasPrefix(body, []byte{0, 0, 0xFE, 0xFF}) || bytes.HasPrefix(body, []byte{0, '<'}) || bytes.HasPrefix(body, []byte{'<', 0}) {
		return nil, invalid("encoding", "The document is encoded as UTF-16 or UTF-32; e-invoices are UTF-8. Save it as UTF-8 and try again.").
			WithKey("document.encoding", "encoding", "UTF-16/UTF-32")
	}
	if containsFold(body, "<!doctype") || containsFold(body, "<!entity") {
		return nil, invalid("doctype", "The document contains a DOCTYPE or ENTITY declaration, which e-invoices never have; Koppel refuses it for safety (such declarations can read files or exhaust memory).")
	}
	d := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")))) // a UTF-8 BOM is harmless
	d.Strict = true
	d.CharsetReader = func(label string, _ io.Reader) (io.Reader, error) { return nil, errCharset{label} }

	u := &ubl{}
	var sup, cus rawParty
	var stack []string // prefix:local of open elements below the root
	depth := 0
	rootSeen := false
	var capture *strings.Builder
	captureDepth := 0
	var captureField field
	var captureParty *rawParty
	var captureScheme string
	var text strings.Builder

	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, syntaxError(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if rootSeen {
					return nil, invalid("two_roots", "The document has more than one root element; it is not a single invoice.")
				}
				rootSeen = true
				typ, err := rootType(t.Name)
				if err != nil {
					return nil, err
				}
				u.Type = typ
				depth++
				continue
			}
			depth++
			if depth > maxDepth {
				return nil, invalid("too_deep", "The document nests elements more than %d levels deep; it is not an e-invoice.", maxDepth)
			}
			stack = append(stack, prefixed(t.Name))
			if capture != nil {
				continue
			}
			f, p := match(stack)
			if f == fNone {
				continue
			}
			text.Reset()
			capture, captureDepth, captureField = &text, depth, f
			captureParty, captureScheme = nil, ""
			switch p {
			case "cac:AccountingSupplierParty":
				captureParty = &sup
			case "cac:AccountingCustomerParty":
				captureParty = &cus
			}
			for _, a := range t.Attr {
				if a.Name.Local == "schemeID" && a.Name.Space == "" {
					captureScheme = a.Value
				}
			}
		case xml.EndElement:
			if capture != nil && depth == captureDepth {
				store(u, captureParty, captureField, captureScheme, capture.String())
				capture = nil
			}
			depth--
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if depth == 0 {
				if len(bytes.TrimSpace(t)) > 0 && !rootSeen {
					return nil, invalid("not_xml", "The document is not XML: it starts with text, not an element.")
				}
				if len(bytes.TrimSpace(t)) > 0 {
					return nil, invalid("text_outside_root", "The document has text outside its root element; it is not well-formed XML.")
				}
				continue
			}
			if capture != nil && capture.Len() < maxFieldText {
				capture.Write(t[:min(len(t), maxFieldText-capture.Len())])
			}
		case xml.Directive:
			return nil, invalid("doctype", "The document contains a DOCTYPE or ENTITY declaration, which e-invoices never have; Koppel refuses it for safety (such declarations can read files or exhaust memory).")
		}
	}
	if !rootSeen {
		return nil, invalid("no_root", "The document has no XML element; it is not an invoice.")
	}
	var err error
	if u.Supplier, err = sup.resolve("supplier", "AccountingSupplierParty"); err != nil {
		return nil, err
	}
	if u.Customer, err = cus.resolve("customer", "AccountingCustomerParty"); err != nil {
		return nil, err
	}
	return u, u.check()
}

// rootType tells an invoice or credit note from anything else.
func rootType(n xml.Name) (koppel.DocumentType, error) {
	switch {
	case n.Local == "Invoice" && n.Space == nsInvoice:
		return koppel.TypeInvoice, nil
	case n.Local == "CreditNote" && n.Space == nsCreditNote:
		return koppel.TypeCreditNote, nil
	case n.Local == "Invoice" || n.Local == "CreditNote":
		ns := n.Space
		if ns == "" {
			ns = "no namespace"
		}
		return "", invalid("namespace", "The document's root element is %s in %s; a UBL 2.1 %s uses the namespace %s.",
			n.Local, short(ns), strings.ToLower(n.Local), map[string]string{"Invoice": nsInvoice, "CreditNote": nsCreditNote}[n.Local]).
			WithKey("document.namespace", "root", n.Local, "namespace", short(ns))
	case strings.HasPrefix(n.Space, nsUBLPrefix):
		return "", invalid("not_invoice", "The document is a UBL %s, not an invoice or credit note.", short(n.Local)).
			WithKey("document.not_invoice", "root", short(n.Local))
	}
	return "", invalid("not_invoice", "The document is XML with root element %s, not a UBL invoice or credit note.", short(n.Local)).
		WithKey("document.not_invoice", "root", short(n.Local))
}

// prefixed names an element by the UBL prefix of its namespace.
func prefixed(n xml.Name) string {
	switch n.Space {
	case nsCBC:
		return "cbc:" + n.Local
	case nsCAC:
		return "cac:" + n.Local
	}
	return "?:" + n.Local
}

// match returns the field at the path of open elements and, for party
// fields, the party element they belong to.
func match(stack []string) (field, string) {
	switch len(stack) {
	case 1:
		return rootPaths[stack[0]], ""
	case 2:
		if f, ok := rootPaths[stack[0]+"/"+stack[1]]; ok {
			return f, ""
		}
	}
	if len(stack) < 3 || len(stack) > 4 {
		return fNone, ""
	}
	if stack[0] != "cac:AccountingSupplierParty" && stack[0] != "cac:AccountingCustomerParty" {
		return fNone, ""
	}
	return partyPaths[strings.Join(stack[1:], "/")], stack[0]
}

// store keeps a captured value; the first of each single field wins.
func store(u *ubl, p *rawParty, f field, scheme, text string) {
	v := strings.TrimSpace(text)
	switch f {
	case fNumber:
		if u.Number == "" {
			u.Number = collapse(v)
		}
	case fIssueDate:
		if u.IssueDate == "" {
			u.IssueDate = v
		}
	case fCurrency:
		if u.Currency == "" {
			u.Currency = v
		}
	case fPayable:
		if u.PayableAmount == "" {
			u.PayableAmount = v
		}
	}
	if p == nil {
		return
	}
	switch f {
	case fEndpoint:
		p.ids[0] = appendID(p.ids[0], scheme, v, false)
	case fPartyIdentification:
		p.ids[1] = appendID(p.ids[1], scheme, v, false)
	case fLegalCompanyID:
		p.ids[2] = appendID(p.ids[2], scheme, v, true)
	case fTaxCompanyID:
		p.ids[3] = appendID(p.ids[3], scheme, v, false)
	case fPartyName:
		if p.name == "" {
			p.name = v
		}
	case fRegistrationName:
		if p.regName == "" {
			p.regName = v
		}
	}
}

var (
	dutchVAT    = regexp.MustCompile(`^NL[0-9]{9}B[0-9]{2}$`)
	eightDigits = regexp.MustCompile(`^[0-9]{8}$`)
	decimal     = regexp.MustCompile(`^[+-]?[0-9]{1,20}(\.[0-9]{1,10})?$`)
	currency    = regexp.MustCompile(`^[A-Z]{3}$`)
)

// appendID adds the party identifier scheme:value in its canonical form.
// Without a scheme only what cannot be mistaken is taken: a Dutch VAT
// number (9944), and 8 digits as a KvK number (0106) where the element is
// the legal entity's registration.
func appendID(ids []string, scheme, value string, legal bool) []string {
	value = strings.ToUpper(strings.Join(strings.Fields(value), ""))
	scheme = strings.ToUpper(strings.TrimSpace(scheme))
	if value == "" {
		return ids
	}
	if scheme == "" {
		switch {
		case dutchVAT.MatchString(value):
			scheme = "9944"
		case legal && eightDigits.MatchString(value):
			scheme = "0106"
		default:
			return ids
		}
	}
	raw := scheme + ":" + value
	if p, err := koppel.ParsePartyID(raw); err == nil {
		raw = p.Canonical()
	}
	if len(raw) > maxPartyID || strings.IndexFunc(raw, func(r rune) bool { return r <= ' ' || r > '~' }) >= 0 {
		return ids
	}
	for _, id := range ids {
		if id == raw {
			return ids
		}
	}
	return append(ids, raw)
}

// resolve turns what was found of a party into a party, or says what is
// missing.
func (r *rawParty) resolve(role, element string) (party, error) {
	var p party
	for _, ids := range r.ids {
		for _, id := range ids {
			if !p.has(id) {
				p.IDs = append(p.IDs, id)
			}
		}
	}
	p.Name = r.name
	if p.Name == "" {
		p.Name = r.regName
	}
	p.Name = truncate(collapse(p.Name), maxName)
	if len(p.IDs) == 0 {
		return p, invalid("no_party", "The document names no %s party ID: cac:%s/cac:Party needs a cbc:EndpointID with a schemeID (such as 0106 for a KvK number).", role, element).
			WithKey("document.no_party", "what", role) // translated as field.supplier / field.customer
	}
	return p, nil
}

// check validates the single fields.
func (u *ubl) check() error {
	switch {
	case u.Number == "":
		return invalid("no_number", "The document has no invoice number (cbc:ID).")
	case utf8.RuneCountInString(u.Number) > maxNumber:
		return invalid("number_too_long", "The invoice number is longer than %d characters.", maxNumber).WithKey("document.number_too_long", "max", strconv.Itoa(maxNumber))
	case u.IssueDate == "":
		return invalid("no_issue_date", "The document has no issue date (cbc:IssueDate).")
	}
	if _, err := time.Parse(time.DateOnly, u.IssueDate); err != nil {
		return invalid("issue_date", "The issue date %s is not a date written as YYYY-MM-DD.", quoted(u.IssueDate)).
			WithKey("document.issue_date", "value", short(u.IssueDate))
	}
	if u.Currency = strings.ToUpper(u.Currency); u.Currency != "" && !currency.MatchString(u.Currency) {
		return invalid("currency", "The currency %s is not a three-letter ISO 4217 code such as EUR.", quoted(u.Currency)).
			WithKey("document.currency", "value", short(u.Currency))
	}
	if u.PayableAmount != "" {
		if !decimal.MatchString(u.PayableAmount) {
			return invalid("amount", "The payable amount %s is not a decimal number.", quoted(u.PayableAmount)).
				WithKey("document.amount", "value", short(u.PayableAmount))
		}
		u.PayableAmount = strings.TrimPrefix(u.PayableAmount, "+")
	}
	return nil
}

// syntaxError words a decoder error for people.
func syntaxError(err error) error {
	var cs errCharset
	if errors.As(err, &cs) {
		return invalid("encoding", "The document is encoded as %s; e-invoices are UTF-8. Save it as UTF-8 and try again.", quoted(cs.label)).
			WithKey("document.encoding", "encoding", short(cs.label))
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		if e := xmlComplaint(se.Line, se.Msg); e != nil {
			return e
		}
		msg := strings.TrimSuffix(short(printableText(se.Msg)), ".")
		return invalid("malformed", "The document is not well-formed XML: line %d: %s.", se.Line, msg).
			WithKey("document.malformed", "line", strconv.Itoa(se.Line), "detail", msg)
	}
	return invalid("not_well_formed", "The document is not well-formed XML.")
}

// The XML parser's complaints that xmlComplaint words (encoding/xml's
// messages).
var (
	xmlClosedBy = regexp.MustCompile(`^element <([^\s<>]+)> closed by </([^\s<>]+)>$`)
	xmlEndOnly  = regexp.MustCompile(`^unexpected end element </([^\s<>]+)>$`)
	xmlEntity   = regexp.MustCompile(`^invalid character entity (&[^\s;]*;?)(?: \(no semicolon\))?$`)
	xmlChar     = regexp.MustCompile(`^illegal character code (U\+[0-9A-F]+)$`)
)

// xmlComplaint words the XML parser's commonest complaints with keys of
// their own, so that the window says them in its language (the parser
// speaks English); nil for any other complaint, which document.malformed
// then carries as its detail. Names from the document are shortened.
func xmlComplaint(line int, msg string) *koppel.Error {
	n := strconv.Itoa(line)
	if msg == "unexpected EOF" {
		return invalid("xml_eof", "The document is not well-formed XML: it ends at line %d before all its elements are closed.", line).
			WithKey("document.xml_eof", "line", n)
	}
	if msg == "invalid UTF-8" {
		return invalid("xml_utf8", "The document is not well-formed XML: line %d is not valid UTF-8; e-invoices are UTF-8.", line).
			WithKey("document.xml_utf8", "line", n)
	}
	if m := xmlClosedBy.FindStringSubmatch(msg); m != nil {
		open, closed := short(m[1]), short(m[2])
		return invalid("xml_closed_by", "The document is not well-formed XML: line %d: element <%s> is closed by </%s>.", line, open, closed).
			WithKey("document.xml_closed_by", "line", n, "open", open, "close", closed)
	}
	if m := xmlEndOnly.FindStringSubmatch(msg); m != nil {
		name := short(m[1])
		return invalid("xml_end", "The document is not well-formed XML: line %d: </%s> closes an element that was not opened.", line, name).
			WithKey("document.xml_end", "line", n, "name", name)
	}
	if m := xmlEntity.FindStringSubmatch(msg); m != nil {
		entity := short(m[1])
		return invalid("xml_entity", "The document is not well-formed XML: line %d: %s is not a character reference XML knows; a plain & is written as &amp;.", line, entity).
			WithKey("document.xml_entity", "line", n, "entity", entity)
	}
	if m := xmlChar.FindStringSubmatch(msg); m != nil {
		return invalid("xml_char", "The document is not well-formed XML: line %d has a character XML does not allow (%s).", line, m[1]).
			WithKey("document.xml_char", "line", n, "char", m[1])
	}
	return nil
}

// containsFold reports whether b contains the lower-case ASCII needle,
// ignoring ASCII case, without copying b.
func containsFold(b []byte, needle string) bool {
	first := needle[:2] // "<!" has no case
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte(first))
		if j < 0 {
			return false
		}
		i += j
		if len(b)-i >= len(needle) && strings.EqualFold(string(b[i:i+len(needle)]), needle) {
			return true
		}
		i += len(first)
	}
}

// collapse trims s and turns every run of white space into one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}

// short shortens text from a document for a message.
func short(s string) string {
	s = printableText(s)
	if utf8.RuneCountInString(s) > 60 {
		return string([]rune(s)[:60]) + "…"
	}
	return s
}

func quoted(s string) string { return fmt.Sprintf("%q", short(s)) }

// printableText replaces anything that is not a printable character.
func printableText(s string) string {
	return strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) && r != ' ' {
			return '?'
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
}
