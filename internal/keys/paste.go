package keys

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"koppel/internal/koppel"
)

// maxPaste is the largest paste ParsePaste reads (64 KiB); anything longer is
// refused before any other work.
const maxPaste = 64 << 10

// maxLabelLen is the longest text before a ':', '=' or tab that can be a label.
const maxLabelLen = 40

// Paste is what ParsePaste found: a key pair and, if the paste held one, an
// email address.
type Paste struct {
	AppKey  string
	Secret  koppel.Secret
	Email   string // "" when the paste held none
	Foreign bool   // eConnect-style keys: a 16-hex client id and a 32-hex secret
}

// field is what a piece of a paste is: an App Key, a Secret or an email.
type field int

const (
	fieldNone field = iota
	fieldAppKey
	fieldSecret
	fieldEmail
	fieldCount
)

// labels maps normalized labels (see normalizeLabel) and JSON names, English
// and Dutch, to the field they name. Lines with a fieldNone label are skipped
// whole: the Quick Connect text's organization name may hold any words.
var labels = map[string]field{
	"organization":      fieldNone,
	"organisation":      fieldNone,
	"organisatie":       fieldNone,
	"appkey":            fieldAppKey,
	"consumerkey":       fieldAppKey,
	"clientid":          fieldAppKey,
	"applicatiesleutel": fieldAppKey,
	"klantkey":          fieldAppKey,
	"secret":            fieldSecret,
	"consumersecret":    fieldSecret,
	"clientsecret":      fieldSecret,
	"geheimesleutel":    fieldSecret,
	"klantgeheim":       fieldSecret,
	"email":             fieldEmail,
	"emailaddress":      fieldEmail,
	"emailadres":        fieldEmail,
}

// ParsePaste reads an App Key, a Secret and optionally an email address from
// pasted text. It accepts (DESIGN §3):
//
//   - the Quick Connect text, with English or Dutch labels;
//   - the keys separated by tabs, spaces, line breaks or ';', optionally with
//     an email address as a third item;
//   - a JSON object with appKey/secret, client_id/client_secret or
//     consumerKey/consumerSecret, and optionally email;
//   - lines labelled in English or Dutch ("App Key: …", "Klantgeheim = …",
//     "E-mail<tab>…"), labels in any case, a value on the label's line or the
//     next one;
//
// with the keys in either order, as Koppel keys or as eConnect keys (Foreign).
// Headings, the organization line and the text of unknown labels are
// ignored, but a word shaped like a key ("ak_…", "sk_…", 16 or 32 hexadecimal
// digits) is read wherever it stands, so a key in a sentence is found and a
// broken one is reported. Surrounding whitespace, byte order marks, no-break
// spaces and zero-width characters are trimmed; nothing else is changed.
//
// Every refusal is an EInvalid error whose message says what is wrong and
// whose key, under "paste.", names that for the window to say in its own
// language, with the values the message names as params ("what" is "appKey",
// "secret" or "email address"). Neither ever repeats a pasted key; at most
// they name one character that does not belong in one.
func ParsePaste(text string) (Paste, error) {
	if len(text) > maxPaste {
		return Paste{}, refusal("too_large",
			"The pasted text was refused: it is larger than 64 KiB. Copy only the App Key and Secret.", "max", "64 KiB")
	}
	if !utf8.ValidString(text) {
		return Paste{}, refusal("not_utf8",
			"The pasted text is not readable text (it is not UTF-8). Copy the App Key and Secret again from where they are shown.")
	}
	text = trimInvisible(text)
	if text == "" {
		return Paste{}, refusal("empty",
			"The pasted text is empty. Copy the App Key and Secret, then paste again.")
	}
	var f found
	var p *problem
	if strings.HasPrefix(text, "{") {
		p = f.readJSON(text)
	} else {
		p = f.readLines(text)
	}
	if p == nil {
		p = f.complete()
	}
	if p != nil {
		return Paste{}, p.asError(pasteSentence, pasteKeyPrefix)
	}
	return f.paste(), nil
}

// found collects the values read from a paste, by field.
type found struct {
	value   [fieldCount]string
	foreign [fieldCount]bool
}

// readJSON reads the fields of a JSON object; names it does not know are ignored.
func (f *found) readJSON(text string) *problem {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(text), &obj); err != nil {
		return newProblem("json_invalid", "the text looks like JSON but is not valid JSON; copy it again in full.")
	}
	names := make([]string, 0, len(obj))
	for name := range obj {
		names = append(names, name)
	}
	slices.Sort(names) // so the same paste always gives the same message
	for _, name := range names {
		label := labels[normalizeLabel(name)]
		if label == fieldNone {
			continue
		}
		var v string
		if err := json.Unmarshal(obj[name], &v); err != nil {
			return newProblem("json_not_text", fmt.Sprintf("the %s in the JSON is not text.", label.name()), "what", label.param())
		}
		if v = trimInvisible(v); v == "" {
			return newProblem("json_empty", fmt.Sprintf("the %s in the JSON is empty.", label.name()), "what", label.param())
		}
		if p := f.readValue(label, v); p != nil {
			return p
		}
	}
	return nil
}

// readLines reads a paste line by line. A known label with nothing after it
// takes the next line as its value.
func (f *found) readLines(text string) *problem {
	pending := fieldNone
	for _, line := range strings.FieldsFunc(text, isLineBreak) {
		if line = trimInvisible(line); line == "" {
			continue
		}
		var p *problem
		if label, value, ok := splitLabel(line); ok {
			pending = fieldNone
			if label == fieldNone {
				continue
			}
			if value == "" {
				pending = label
				continue
			}
			p = f.readLabelled(label, value)
		} else if pending != fieldNone {
			p = f.readLabelled(pending, line)
			pending = fieldNone
		} else {
			p = f.readFree(line)
		}
		if p != nil {
			return p
		}
	}
	return nil
}

// readLabelled reads the value after a known label. A value of several words
// ("App Key: ak_… Secret: sk_…", "Secret: sk_… (keep safe)") yields the
// keys among them.
func (f *found) readLabelled(label field, value string) *problem {
	if strings.IndexFunc(value, isSeparator) < 0 {
		return f.readValue(label, value)
	}
	n, p := f.readWords(strings.FieldsFunc(value, isSeparator), label == fieldEmail)
	if p == nil && n == 0 {
		p = unknownForm(label, value)
	}
	return p
}

// readFree reads a line without a known label: every word shaped like a key,
// and an email address only if every word of the line is a key or an email
// (the three-item "App Key, Secret, email" paste).
func (f *found) readFree(line string) *problem {
	words := strings.FieldsFunc(line, isSeparator)
	emails := true
	for _, w := range words {
		if s, _ := shape(trimInvisible(w)); s == fieldNone {
			emails = false
			break
		}
	}
	_, p := f.readWords(words, emails)
	return p
}

// readWords reads the words shaped like a key, and like an email if emails is
// set, and reports how many it read.
func (f *found) readWords(words []string, emails bool) (int, *problem) {
	n := 0
	for _, w := range words {
		w = trimInvisible(w)
		s, foreign := shape(w)
		if s == fieldNone || s == fieldEmail && !emails {
			continue
		}
		if p := f.add(s, foreign, w); p != nil {
			return n, p
		}
		n++
	}
	return n, nil
}

// readValue reads v, the whole value given for label. The shape of a key
// decides whether it is the App Key or the Secret, so swapped labels do no
// harm; a value of no known shape is reported against its label.
func (f *found) readValue(label field, v string) *problem {
	s, foreign := shape(v)
	switch {
	case label == fieldEmail:
		s, foreign = fieldEmail, false
	case s == fieldNone || s == fieldEmail:
		return unknownForm(label, v)
	}
	return f.add(s, foreign, v)
}

// add checks v as a value of field s and records it. Reading the same value
// twice is fine; a second, different value is not.
func (f *found) add(s field, foreign bool, v string) *problem {
	if p := valueProblem(s, foreign, v); p != nil {
		return p
	}
	if old := f.value[s]; old != "" && old != v {
		return s.twoFound()
	}
	f.value[s], f.foreign[s] = v, foreign
	return nil
}

// complete says what is missing or mismatched once the whole paste is read.
func (f *found) complete() *problem {
	key, secret := f.value[fieldAppKey], f.value[fieldSecret]
	switch {
	case key == "" && secret == "":
		return newProblem("none_found", "no App Key or Secret was found; copy both keys and paste again.")
	case secret == "":
		return newProblem("only_app_key", "only the App Key was found; copy the Secret too.")
	case key == "":
		return newProblem("only_secret", "only the Secret was found; copy the App Key too.")
	case f.foreign[fieldAppKey] != f.foreign[fieldSecret]:
		return newProblem("mixed_kinds",
			"the App Key and the Secret do not belong together: one is a Koppel key and the other an eConnect key.")
	}
	return nil
}

// paste returns what was found; complete must have passed.
func (f *found) paste() Paste {
	return Paste{
		AppKey:  f.value[fieldAppKey],
		Secret:  koppel.NewSecret(f.value[fieldSecret]),
		Email:   f.value[fieldEmail],
		Foreign: f.foreign[fieldAppKey],
	}
}

// shape tells which field w looks like from its form alone: a Koppel key by
// its prefix (in any case, so "SK_…" is reported rather than skipped), an
// eConnect key by its length in hexadecimal digits, an email by its "@".
func shape(w string) (s field, foreign bool) {
	switch {
	case hasPrefixFold(w, appKeyPrefix):
		return fieldAppKey, false
	case hasPrefixFold(w, secretPrefix):
		return fieldSecret, false
	case IsForeignClientID(w):
		return fieldAppKey, true
	case IsForeignSecret(w):
		return fieldSecret, true
	case strings.Contains(w, "@"):
		return fieldEmail, false
	}
	return fieldNone, false
}

// valueProblem says what is wrong with v as a value of field s, or returns nil.
func valueProblem(s field, foreign bool, v string) *problem {
	switch {
	case foreign:
		return nil // shape has already checked it
	case s == fieldAppKey:
		return appKeyProblem(v)
	case s == fieldSecret:
		return secretProblem(v)
	case s == fieldEmail && !validEmail(v):
		return newProblem("email", "the email address does not look like one; write it as name@example.nl.")
	}
	return nil
}

// unknownForm reports a labelled value that has the shape of no key.
func unknownForm(label field, v string) *problem {
	switch {
	case label == fieldEmail:
		return valueProblem(fieldEmail, false, v)
	case label == fieldAppKey && isHex(v):
		return newProblem("client_id_length",
			fmt.Sprintf("the App Key has %d hexadecimal characters; an eConnect client ID has %d.", len(v), foreignClientIDLen),
			"count", strconv.Itoa(len(v)), "want", strconv.Itoa(foreignClientIDLen))
	case label == fieldSecret && isHex(v):
		return newProblem("client_secret_length",
			fmt.Sprintf("the Secret has %d hexadecimal characters; an eConnect client secret has %d.", len(v), foreignSecretLen),
			"count", strconv.Itoa(len(v)), "want", strconv.Itoa(foreignSecretLen))
	case label == fieldAppKey:
		return newProblem("app_key_form",
			`the App Key is not in a form Koppel knows: it should be "ak_" and 20 letters and digits, or an eConnect client ID of 16 hexadecimal characters.`)
	}
	return newProblem("secret_form",
		`the Secret is not in a form Koppel knows: it should be "sk_" and 46 letters and digits, or an eConnect client secret of 32 hexadecimal characters.`)
}

// name is the field's name in a message.
func (s field) name() string {
	switch s {
	case fieldAppKey:
		return "App Key"
	case fieldSecret:
		return "Secret"
	}
	return "email address"
}

// twoFound is the problem of two different values of the field.
func (s field) twoFound() *problem {
	switch s {
	case fieldAppKey:
		return newProblem("two_app_keys", "two different App Keys were found; paste one App Key and its Secret.")
	case fieldSecret:
		return newProblem("two_secrets", "two different Secrets were found; paste one App Key and its Secret.")
	}
	return newProblem("two_emails", "two different email addresses were found; paste at most one.")
}

// splitLabel splits "Label: value" (or '=' or a tab) when Label is known; for
// a label whose line is to be skipped, label is fieldNone.
func splitLabel(line string) (label field, value string, ok bool) {
	i := strings.IndexAny(line, ":=\t")
	if i < 0 || i > maxLabelLen {
		return fieldNone, "", false
	}
	label, ok = labels[normalizeLabel(line[:i])]
	if !ok {
		return fieldNone, "", false
	}
	return label, trimInvisible(line[i+1:]), true
}

// normalizeLabel keeps only the letters and digits of s, in lower case, so
// "E-mail", "client_id", "**App Key" and "appKey" match the table.
func normalizeLabel(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// validEmail is a basic check: one "@", something before it, and a domain
// of dot-separated parts ending in a part of two or more characters, with no
// spaces, control or invisible characters and none of the characters an
// address cannot hold unquoted.
func validEmail(v string) bool {
	local, domain, ok := strings.Cut(v, "@")
	if !ok || local == "" || len(local) > 64 || len(v) > 254 || strings.Contains(domain, "@") {
		return false
	}
	for _, r := range v {
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || strings.ContainsRune(`"(),:;<>[\]`, r) {
			return false
		}
	}
	parts := strings.Split(domain, ".")
	if len(parts) < 2 || len(parts[len(parts)-1]) < 2 {
		return false
	}
	for _, p := range parts {
		if p == "" || strings.HasPrefix(p, "-") || strings.HasSuffix(p, "-") {
			return false
		}
	}
	return true
}

// isInvisible reports whether ParsePaste trims r from the ends of the paste,
// a line or a word: whitespace, no-break space, zero-width characters and the
// byte order mark.
func isInvisible(r rune) bool {
	switch r {
	case '\u00a0', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
		return true
	}
	return unicode.IsSpace(r)
}

func trimInvisible(s string) string { return strings.TrimFunc(s, isInvisible) }

func isLineBreak(r rune) bool {
	return r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029'
}

// isSeparator reports whether r separates the words of a line.
func isSeparator(r rune) bool { return unicode.IsSpace(r) || r == ';' || r == ',' }

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
