package app

import (
	"encoding/json"
	"errors"

	"koppel/internal/koppel"
)

// ErrorDTO is how an error reaches the frontend: a code for the program
// (invalid, not_found, conflict, forbidden, internal) and a message for
// the person. Key and Params, when present, name the message stably so the
// window can say it in the chosen language (frontend/src/lib/i18n, keys
// "error.<key>"); Message is the English text and the fallback. Rejected
// calls carry one.
type ErrorDTO struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Key     string            `json:"key,omitempty"`
	Params  map[string]string `json:"params,omitempty"`
}

// toErrorDTO maps err; nil gives nil.
func toErrorDTO(err error) *ErrorDTO {
	if err == nil {
		return nil
	}
	key, params := koppel.ErrorKey(err)
	return &ErrorDTO{Code: koppel.ErrorCode(err), Message: koppel.ErrorMessage(err), Key: key, Params: params}
}

// ErrorFormatter returns the function Wails applies to every error a bound
// method returns (options.App.ErrorFormatter). Internal errors are logged
// with their detail; the frontend only ever gets code, message and key, as
// the JSON text of an ErrorDTO: Wails v2.16's runtime rejects a call with
// new Error(answer), which would turn an object into "[object Object]", so
// the window parses the text back (frontend/src/lib/api/errors.ts).
func ErrorFormatter(log Logger) func(error) any {
	return func(err error) any {
		logInternal(log, "answer the window", err)
		b, _ := json.Marshal(toErrorDTO(err)) // strings and a string map: cannot fail
		return string(b)
	}
}

// logInternal logs err with its cause if it is internal; other codes are the
// user's to act on and need no log.
func logInternal(log Logger, op string, err error) {
	if koppel.ErrorCode(err) != koppel.EInternal {
		return
	}
	detail := err
	var e *koppel.Error
	if errors.As(err, &e) && e.Err != nil {
		detail = e.Err
	}
	log.Errorf("%s: %v", op, detail)
}
