package koppel

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// A Phrase is a piece of text apart from its language: a key of the
// phrase book and the values it names. An audit event's detail and the
// notes of a document's history and offers are lists of phrases, so that
// the window can say them in the language the user chose; Go says them in
// English (English, EnglishOf), as the command line and the log show
// them.
type Phrase struct {
	Key    string            `json:"key"`
	Params map[string]string `json:"params,omitempty"`
}

// Say returns the phrase key with its values, given as name, value pairs (a
// trailing name without a value is ignored). An unknown key panics: the
// keys are the constants of this file's phrase book, fixed at compile time.
func Say(key string, pairs ...string) Phrase {
	if _, ok := englishPhrases[key]; !ok {
		panic(fmt.Sprintf("koppel.Say: no phrase %q", key))
	}
	p := Phrase{Key: key}
	for i := 0; i+1 < len(pairs); i += 2 {
		if p.Params == nil {
			p.Params = make(map[string]string, len(pairs)/2)
		}
		p.Params[pairs[i]] = pairs[i+1]
	}
	return p
}

// With returns p with one more value; p itself is unchanged.
func (p Phrase) With(name, value string) Phrase {
	params := make(map[string]string, len(p.Params)+1)
	maps.Copy(params, p.Params)
	params[name] = value
	return Phrase{Key: p.Key, Params: params}
}

var placeholder = regexp.MustCompile(`\{([A-Za-z]+)\}`)

// English says p in English. A value it lacks is left as its {name}.
func (p Phrase) English() string {
	text, ok := englishPhrases[p.Key]
	if !ok {
		return p.Key
	}
	return placeholder.ReplaceAllStringFunc(text, func(m string) string {
		if v, ok := p.Params[m[1:len(m)-1]]; ok {
			return v
		}
		return m
	})
}

// PhraseSeparator joins the phrases of one detail, in every language.
const PhraseSeparator = "; "

// EnglishOf says phrases in English, one after the other.
func EnglishOf(phrases []Phrase) string {
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		parts[i] = p.English()
	}
	return strings.Join(parts, PhraseSeparator)
}

// EnglishPhrases returns the phrase book: each key with its English text,
// in which {name} stands for a value. The window's catalogs say the same
// keys as "say.KEY", in English word for word (a test compares them).
func EnglishPhrases() map[string]string { return maps.Clone(englishPhrases) }

// PhraseKeys returns the phrase book's keys, sorted.
func PhraseKeys() []string { return slices.Sorted(maps.Keys(englishPhrases)) }

// The phrase book. Values that name something (an organization, a package,
// an App Key) are the same in every language; a reason, a field, a
// direction or a setting is a code the window translates (its catalogs'
// reason.*, audit.field.*, audit.direction.* and audit.setting.*).
var englishPhrases = map[string]string{
	// Something named, said the same in every language.
	"name":         "{name}",
	"organization": "{name} ({partyId})",
	"software":     "{name} ({direction})",
	"setting":      "{setting} = {value}",
	"change":       "{field}: {from} → {to}",

	"connection.for":      "{software} for {organizations}",
	"connection.replaces": "replaces connection {id} ({appKey}), reason: {reason}",
	"connection.reason":   "reason: {reason}",
	"connection.takenOff": "{organization} taken off: partnership ended",

	"administration":      "{name} in {software}",
	"administration.code": "code {code}",
	"administration.for":  "for {organization}",

	"link":           "connection {id} ({software}, {appKey}) → administration {administration}, email {email}",
	"link.startDate": "start date {date}",
	"link.salesOn":   "sales invoices on",
	"link.salesOff":  "sales invoices off",
	"link.replaces":  "replaces link {id}",
	"link.revoked":   "revoked connection {id} ({appKey})",
	"link.withdrawn": "offers withdrawn: {count}",
	"link.removed":   "connection {id} ({appKey}) ↛ administration {administration}",

	"hook": "{topic} to {target} for connection {id}",

	"document.invoice":          "invoice {number} of {date} from {supplier} ({party})",
	"document.creditNote":       "credit note {number} of {date} from {supplier} ({party})",
	"document.duplicate":        "same supplier, number and issue date as document {id}; not offered",
	"document.offered":          "offered to {receivers}",
	"document.copyOffered":      "copy offered to {receivers}",
	"document.noCopies":         "no copies offered",
	"document.noConnection":     "not offered: {organization} has no active connection; create new keys first",
	"document.noneMayReceive":   "not offered: none of {organization}’s active connections may receive it",
	"document.reoffered":        "re-offered to {receivers}",
	"document.alreadyOffered":   "already offered to {receivers}",
	"document.withdrawnFrom":    "withdrawn from connection {ids}",
	"document.withdrawnDeleted": "withdrawn from a deleted connection",
	"document.retrievedBy":      "retrieved by {receiver}",
	"document.withdrawnBy":      "withdrawn by {receiver}",

	// Notes of a document's history and offers.
	"note.imported":              "imported",
	"note.importedFrom":          "imported from {file}",
	"note.sentBy":                "sent by {receiver}",
	"note.waitingNoConnection":   "waiting: {organization} has no active connection; create new keys first",
	"note.waitingNoneMayReceive": "waiting: none of {organization}’s active connections may receive it",
	"note.markedOriginal":        "marked as original; it can be re-offered",
	"note.withdrawnBySoftware":   "withdrawn by the software",
	"note.withdrawnBySettings":   "withdrawn: the connection’s Quick Connect settings no longer allow it",

	// Why no connection may receive an invoice, then why each may not.
	"why.noConnection":        "{organization} has no active connection; create new keys first",
	"why.noneMayReceive":      "none of {organization}’s active connections may receive it",
	"refusal.sentIt":          "{receiver}: it sent the invoice",
	"refusal.noSales":         "{receiver}: {software} does not process sales invoices",
	"refusal.noSalesLink":     "{receiver}: it has no link with “process sales invoices” on",
	"refusal.salesOffOrLater": "{receiver}: its link has “process sales invoices” off or starts after {date}",
	"refusal.sendOnly":        "{receiver}: {software} only sends invoices",
	"refusal.startsLater":     "{receiver}: its link starts on {start}, after the issue date {date}",

	// Why the audit trail's check failed.
	"broken.missing":  "events {from} to {to} are missing",
	"broken.unlinked": "it does not link to the event before it (an event was removed or changed)",
	"broken.changed":  "its content was changed after it was written",
}
