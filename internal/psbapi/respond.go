package psbapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/sirupsen/logrus"

	"koppel/internal/koppel"
)

// Every error the API answers has one JSON shape, the one RFC 6749 §5.2
// gives the token endpoint: {"error": code, "error_description": sentence}.
// The token endpoint uses the RFC's codes; the rest of the API uses
// Koppel's (invalid, not_found, conflict, forbidden, internal) and a few of
// HTTP's (invalid_token, method_not_allowed, too_large, unavailable).
type errorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// Body limits (DESIGN §5).
const (
	maxFormBody     = 16 << 10 // token requests and JSON
	maxDocumentBody = 10 << 20 // a UBL invoice
)

// fail answers status with an error body.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, code, description string) {
	s.writeJSON(w, status, errorBody{Error: code, Description: description})
	if s.log.IsLevelEnabled(logrus.DebugLevel) {
		s.log.WithFields(logrus.Fields{"method": r.Method, "path": r.URL.Path, "status": status, "error": code}).Debug("refused")
	}
}

// failErr answers a service error with the status its code calls for. Only
// internal errors are logged with their detail (STYLE: log at the edge).
func (s *Server) failErr(w http.ResponseWriter, r *http.Request, err error) {
	code := koppel.ErrorCode(err)
	status := http.StatusInternalServerError
	switch code {
	case koppel.EInvalid:
		status = http.StatusBadRequest
	case koppel.ENotFound:
		status = http.StatusNotFound
	case koppel.EConflict:
		status = http.StatusConflict
	case koppel.EForbidden:
		status = http.StatusForbidden
	default:
		code = koppel.EInternal
		s.log.WithError(err).WithFields(logrus.Fields{"method": r.Method, "path": r.URL.Path}).Error("API request failed")
	}
	s.fail(w, r, status, code, koppel.ErrorMessage(err))
}

// writeJSON answers status with v as JSON.
func (s *Server) writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"internal"}`)
	}
	writeRaw(w, status, b)
}

// writeRaw answers status with b, which is JSON.
func writeRaw(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h["Content-Type"] = headerJSON
	if len(b) > 2<<10 {
		// Smaller bodies get their Content-Length from net/http; larger
		// ones would be chunked.
		h["Content-Length"] = []string{strconv.Itoa(len(b))}
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// Header values set on every response, shared rather than allocated per
// request (each has len == cap, so an append elsewhere copies).
var (
	headerJSON    = []string{"application/json; charset=utf-8"}
	headerNoStore = []string{"no-store"}
	headerNoCache = []string{"no-cache"}
	headerNoSniff = []string{"nosniff"}
)

// errTooLarge is returned by readBody for a body over its limit.
var errTooLarge = errors.New("request body too large")

// readBody reads the whole body, at most limit bytes.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if r.ContentLength > limit {
		return nil, errTooLarge
	}
	if r.ContentLength >= 0 && r.ContentLength <= 64<<10 {
		// The length is known: one allocation of the right size.
		b := make([]byte, r.ContentLength)
		if _, err := io.ReadFull(r.Body, b); err != nil {
			return nil, err
		}
		return b, nil
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, errTooLarge
	}
	return b, err
}
