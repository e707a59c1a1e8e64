package koppel

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxInput is the most bytes any single text argument may have.
const MaxInput = 4096

// CleanText trims s and checks it is valid UTF-8 without control characters
// and at most max characters long. field names the input in messages.
// An empty result is allowed; callers that need a value check for "".
func CleanText(field, s string, max int) (string, error) {
	if len(s) > MaxInput {
		return "", Errorf(EInvalid, "The %s is too long (%d bytes); it has at most %d characters.", field, len(s), max).
			WithKey("text.too_long", "field", field, "max", strconv.Itoa(max))
	}
	if !utf8.ValidString(s) {
		return "", Errorf(EInvalid, "The %s is not valid text (it is not UTF-8).", field).WithKey("text.not_utf8", "field", field)
	}
	s = strings.TrimSpace(s)
	if n := utf8.RuneCountInString(s); n > max {
		return "", Errorf(EInvalid, "The %s is too long (%d characters); it has at most %d.", field, n, max).
			WithKey("text.too_long", "field", field, "max", strconv.Itoa(max))
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "", Errorf(EInvalid, "The %s contains a control character (such as a tab or line break); remove it.", field).
				WithKey("text.control", "field", field)
		}
	}
	return s, nil
}

// RequiredText is CleanText that also refuses an empty value.
func RequiredText(field, s string, max int) (string, error) {
	s, err := CleanText(field, s, max)
	if err == nil && s == "" {
		return "", Errorf(EInvalid, "The %s is required.", field).WithKey("text.required", "field", field)
	}
	return s, err
}

// CleanEmail checks an optional email address; "" is allowed.
func CleanEmail(field, s string) (string, error) {
	s, err := CleanText(field, s, 254)
	if err != nil || s == "" {
		return s, err
	}
	local, domain, ok := strings.Cut(s, "@")
	switch {
	case !ok || local == "" || domain == "" || strings.Contains(domain, "@"):
		return "", Errorf(EInvalid, "The %s %s is not an email address; it needs one @ with a name before it and a domain after it.", field, quoteInput(s)).
			WithKey("email.at", "field", field, "input", shortInput(s))
	case strings.ContainsAny(s, " ,;<>()[]\\\""):
		return "", Errorf(EInvalid, "The %s %s contains a space or a character an email address cannot have.", field, quoteInput(s)).
			WithKey("email.character", "field", field, "input", shortInput(s))
	case !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, ".."):
		return "", Errorf(EInvalid, "The domain of the %s %s is not complete (for example: name@company.nl).", field, quoteInput(s)).
			WithKey("email.domain", "field", field, "input", shortInput(s))
	}
	return local + "@" + strings.ToLower(domain), nil
}
