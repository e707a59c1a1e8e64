package keys

import "koppel/internal/koppel"

// problem is one thing wrong with a paste or a key: a message key, the
// values the message names, and the English clause. None of them ever holds
// a pasted key; at most the params name one character that does not belong
// in one.
type problem struct {
	key    string   // the message key without its prefix, e.g. "checksum"
	params []string // name, value pairs, as koppel.Error.WithKey takes them
	text   string   // the English clause, e.g. "only the Secret was found; copy the App Key too."
}

// The prefixes of the errors made from a problem: their English message
// starts with the sentence, their key with the key prefix.
const (
	pasteSentence  = "Koppel could not read the pasted keys: "
	pasteKeyPrefix = "paste."

	secretSentence  = "This Secret cannot be used: "
	secretKeyPrefix = "paste.unusable."
)

func newProblem(key, text string, params ...string) *problem {
	return &problem{key: key, text: text, params: params}
}

// asError returns p as an EInvalid error: sentence and p's clause as the
// message, keyPrefix and p's key as the key.
func (p *problem) asError(sentence, keyPrefix string) *koppel.Error {
	return koppel.Errorf(koppel.EInvalid, "%s%s", sentence, p.text).WithKey(keyPrefix+p.key, p.params...)
}

// refusal is an EInvalid error about the paste as a whole, with its message
// key under "paste.".
func refusal(key, message string, params ...string) *koppel.Error {
	return koppel.Errorf(koppel.EInvalid, "%s", message).WithKey(pasteKeyPrefix+key, params...)
}

// param is the field's value for the "what" parameter; the window reads it
// as the catalog key "field.<param>".
func (s field) param() string {
	switch s {
	case fieldAppKey:
		return "appKey"
	case fieldSecret:
		return "secret"
	}
	return "email address"
}
