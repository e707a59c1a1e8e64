// Package logging sets up Koppel's logrus loggers. Every line they write
// passes through Redact, a backstop behind the koppel.Secret type: whatever
// looks like a Secret or an authorization header value is masked before it
// reaches the log.
package logging

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/sirupsen/logrus"
)

// FileName is the name of the log file in the data folder.
const FileName = "koppel.log"

// mask replaces what Redact hides.
const mask = "[redacted]"

// New returns a logger that writes one JSON object per line to w, each line
// passed through Redact.
func New(w io.Writer, level logrus.Level) *logrus.Logger {
	l := logrus.New()
	l.SetOutput(w)
	l.SetLevel(level)
	l.SetFormatter(redactingFormatter{next: &logrus.JSONFormatter{TimestampFormat: time.RFC3339Nano}})
	return l
}

// OpenFile opens dataDir/koppel.log for appending (creating the folder with
// mode 0700 and the file with mode 0600) and returns a logger on it and a
// function that closes the file.
func OpenFile(dataDir string, level logrus.Level) (*logrus.Logger, func() error, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(filepath.Join(dataDir, FileName), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, err
	}
	return New(f, level), f.Close, nil
}

// redactingFormatter formats with next and masks the result with Redact, so
// the message and every field are covered.
type redactingFormatter struct{ next logrus.Formatter }

func (f redactingFormatter) Format(e *logrus.Entry) ([]byte, error) {
	b, err := f.next.Format(e)
	if err != nil {
		return nil, err
	}
	return Redact(b), nil
}

var (
	// secretPattern matches a Koppel Secret (DESIGN §3): sk_ and 46 base62
	// characters.
	secretPattern = regexp.MustCompile(`sk_[A-Za-z0-9]{46}`)
	// authorizationPattern matches the value of an Authorization header or
	// field, in plain text, JSON (escaped quotes and arrays too) or a
	// printed http.Header; group 1 is the name and separator, which stay.
	authorizationPattern = regexp.MustCompile(`(?i)(authorization(?:\\?["'])?\s*[:=]\s*\[?(?:\\?["'])?)[^"'\r\n\\\[\]]+`)
	// bearerPattern matches a bearer token (RFC 6750's b64token); group 1
	// is the scheme, which stays.
	bearerPattern = regexp.MustCompile(`(?i)(\bbearer\s+)[A-Za-z0-9\-._~+/]+=*`)
)

// Redact returns b with every Secret, Authorization value and bearer token
// replaced by "[redacted]". It returns b itself when there is nothing to
// mask.
func Redact(b []byte) []byte {
	if secretPattern.Match(b) {
		b = secretPattern.ReplaceAllLiteral(b, []byte(mask))
	}
	if authorizationPattern.Match(b) {
		b = authorizationPattern.ReplaceAll(b, []byte("${1}"+mask))
	}
	if bearerPattern.Match(b) {
		b = bearerPattern.ReplaceAll(b, []byte("${1}"+mask))
	}
	return b
}

// WailsLogger lets Wails log through a logrus logger: it has the methods of
// Wails' logger.Logger interface without importing Wails. Lines carry the
// field source=wails.
type WailsLogger struct{ L *logrus.Logger }

// Print logs message at info level.
func (w WailsLogger) Print(message string) { w.log(logrus.InfoLevel, message) }

// Trace logs message at trace level.
func (w WailsLogger) Trace(message string) { w.log(logrus.TraceLevel, message) }

// Debug logs message at debug level.
func (w WailsLogger) Debug(message string) { w.log(logrus.DebugLevel, message) }

// Info logs message at info level.
func (w WailsLogger) Info(message string) { w.log(logrus.InfoLevel, message) }

// Warning logs message at warning level.
func (w WailsLogger) Warning(message string) { w.log(logrus.WarnLevel, message) }

// Error logs message at error level.
func (w WailsLogger) Error(message string) { w.log(logrus.ErrorLevel, message) }

// Fatal logs message at fatal level. It does not exit: Wails exits by itself
// after calling it.
func (w WailsLogger) Fatal(message string) { w.log(logrus.FatalLevel, message) }

func (w WailsLogger) log(level logrus.Level, message string) {
	w.L.WithField("source", "wails").Log(level, message)
}
