// Package koppel holds Koppel's domain: its types, its rules and the
// interfaces that the storage, vault and edge packages implement. It imports
// nothing of Koppel's own.
package koppel

import (
	"errors"
	"fmt"
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
type Error struct {
	Code    string
	Message string
	Err     error // the cause, for internal errors; never shown to a user
}

func (e *Error) Error() string {
	if e.Err != nil && e.Message == "" {
		return e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected failure: op says what was being done.
func Internal(op string, err error) *Error {
	return &Error{Code: EInternal, Message: "Koppel could not " + op + ".", Err: fmt.Errorf("%s: %w", op, err)}
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
