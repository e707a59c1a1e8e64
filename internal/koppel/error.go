// Package koppel holds Koppel's domain: its types, its rules and the
// interfaces that the storage, vault and edge packages implement. It imports
// nothing of Koppel's own.
package koppel

import (
	"errors"
	"fmt"
	"maps"
)

// Error codes. Every error that reaches an edge (CLI, window, API) carries one.
const (
	EInvalid   = "invalid"   // the input is wrong; the message says which part
	ENotFound  = "not_found" // the thing named does not exist
	EConflict  = "conflict"  // a rule refuses the change (still active, already revoked, …)
	EForbidden = "forbidden" // the caller may not do this
	EInternal  = "internal"  // a fault of Koppel or its machine; logged with detail
)

// Error is a domain error: a code for programs and a message for people.
// Messages are plain sentences a bookkeeper can act on; they never hold a
// secret.
//
// Key, when set, names the message stably (e.g. "connection.still_active")
// so an edge that speaks another language can say the same thing in its own
// words; Params are the values the message names, by placeholder. Message
// stays the English text and the fallback.
type Error struct {
	Code    string
	Message string
	Key     string
	Params  map[string]string
	Err     error // the cause, for internal errors; never shown to a user
}

func (e *Error) Error() string {
	if e.Err != nil && e.Message == "" {
		return e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// WithKey sets e's message key and its parameters, given as name, value
// pairs (a trailing name without a value is ignored), and returns e.
func (e *Error) WithKey(key string, pairs ...string) *Error {
	e.Key = key
	if len(pairs) >= 2 && e.Params == nil {
		e.Params = make(map[string]string, len(pairs)/2)
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		e.Params[pairs[i]] = pairs[i+1]
	}
	return e
}

// Errorf returns an Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected failure: op says what was being done. Its key
// is "internal", with op as the parameter "op".
func Internal(op string, err error) *Error {
	return &Error{Code: EInternal, Message: "Koppel could not " + op + ".", Err: fmt.Errorf("%s: %w", op, err),
		Key: "internal", Params: map[string]string{"op": op}}
}

// Keyed returns err with key and params set when its first Error has no key
// yet, leaving err itself unchanged; any other err is returned as it is. It
// names, at the place that knows what was asked, an error raised deeper
// down (a row not found) without changing its message.
func Keyed(err error, key string, pairs ...string) error {
	var e *Error
	if !errors.As(err, &e) || e.Key != "" {
		return err
	}
	c := *e
	c.Params = maps.Clone(e.Params)
	return c.WithKey(key, pairs...)
}

// ErrorCode returns the code of err: the code of the first Error in its chain,
// or EInternal for any other error, or "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the message of err meant for a person. For errors that
// are not an Error it returns a generic sentence, so no internal detail leaks.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return "Something went wrong inside Koppel. The details are in the log."
}

// ErrorKey returns the message key of err and its parameters, or "" and nil
// when err carries none. Errors that are not an Error get "internal".
func ErrorKey(err error) (string, map[string]string) {
	if err == nil {
		return "", nil
	}
	var e *Error
	if !errors.As(err, &e) {
		return "internal", nil
	}
	return e.Key, maps.Clone(e.Params)
}
