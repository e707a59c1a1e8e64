package logging

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"koppel/internal/koppel"
)

// secret is shaped like a Koppel Secret: sk_ and 46 base62 characters.
const secret = "sk_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghij"

func TestRedact(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"nothing to mask", "created connection 7 for ak_abc", "created connection 7 for ak_abc"},
		{"secret alone", secret, "[redacted]"},
		{"secret in text", "got " + secret + ", ok", "got [redacted], ok"},
		{"secret glued to text", "x" + secret + "y", "x[redacted]y"},
		{"two secrets", secret + ";" + secret, "[redacted];[redacted]"},
		{"too short for a secret", "sk_abc", "sk_abc"},
		{"one short of a secret", secret[:len(secret)-1], secret[:len(secret)-1]},
		{"bearer token", "Bearer eyJhbGciOi.J9-_~+/x==", "Bearer [redacted]"},
		{"bearer lower case", "token: bearer abc123 next", "token: bearer [redacted] next"},
		{"authorization header", "Authorization: Basic YWtfeDpza195\nnext", "Authorization: [redacted]\nnext"},
		{"authorization JSON field", `{"Authorization":"Basic YWtf","x":1}`, `{"Authorization":"[redacted]","x":1}`},
		{"authorization in JSON string", `{"msg":"authorization: Basic YWtf dGVz"}`, `{"msg":"authorization: [redacted]"}`},
		{"escaped quotes", `{"msg":"header Authorization=\"Basic YWtf\""}`, `{"msg":"header Authorization=\"[redacted]\""}`},
		{"printed http.Header", "map[Authorization:[Bearer abc.def]]", "map[Authorization:[[redacted]]]"},
		{"JSON http.Header", `{"Authorization":["Bearer abc.def"]}`, `{"Authorization":["[redacted]"]}`},
		{"proxy authorization", "Proxy-Authorization: Basic abc", "Proxy-Authorization: [redacted]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(Redact([]byte(tt.in))); got != tt.want {
				t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// logLines runs log on a fresh info-level logger and returns what it wrote.
func logLines(t *testing.T, log func(l *logrus.Logger)) string {
	t.Helper()
	var buf bytes.Buffer
	log(New(&buf, logrus.InfoLevel))
	return buf.String()
}

func TestLoggerNeverWritesASecret(t *testing.T) {
	type credential struct {
		AppKey string
		Secret koppel.Secret
	}
	req, _ := http.NewRequest("GET", "http://127.0.0.1:8642/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer tok.en")
	cases := map[string]func(l *logrus.Logger){
		"message":        func(l *logrus.Logger) { l.Info("issued " + secret) },
		"formatted":      func(l *logrus.Logger) { l.Infof("issued %s", secret) },
		"string field":   func(l *logrus.Logger) { l.WithField("secret", secret).Info("issued") },
		"error field":    func(l *logrus.Logger) { l.WithError(errors.New("bad key " + secret)).Error("token") },
		"wrapped error":  func(l *logrus.Logger) { l.WithField("cause", fmt.Errorf("revoke: %w", errors.New(secret))).Warn("x") },
		"any field":      func(l *logrus.Logger) { l.WithField("args", []string{"--secret", secret}).Info("cli") },
		"header field":   func(l *logrus.Logger) { l.WithField("header", req.Header).Info("request") },
		"header message": func(l *logrus.Logger) { l.Infof("request headers %v", req.Header) },
		"field key":      func(l *logrus.Logger) { l.WithField(secret, 1).Info("odd") },
		"multi-line":     func(l *logrus.Logger) { l.Info("line one\n" + secret + "\nline three") },
		"secret type":    func(l *logrus.Logger) { l.WithField("secret", koppel.NewSecret("hunter2-secret")).Info("issued") },
		"secret in value": func(l *logrus.Logger) {
			l.WithField("cred", credential{"ak_x", koppel.NewSecret("hunter2-secret")}).Info("x")
		},
		"secret %v": func(l *logrus.Logger) {
			l.Infof("cred %v %+v", koppel.NewSecret("hunter2-secret"), koppel.NewSecret("hunter2-secret"))
		},
	}
	for name, log := range cases {
		t.Run(name, func(t *testing.T) {
			out := logLines(t, log)
			for _, leak := range []string{secret, "hunter2", "tok.en"} {
				if strings.Contains(out, leak) {
					t.Errorf("output holds %q: %s", leak, out)
				}
			}
			if !strings.Contains(out, "[redacted]") {
				t.Errorf("output has no [redacted]: %s", out)
			}
			if !json.Valid([]byte(out)) {
				t.Errorf("output is not one JSON object: %s", out)
			}
		})
	}
}

func TestLoggerWritesJSONLinesAtItsLevel(t *testing.T) {
	out := logLines(t, func(l *logrus.Logger) {
		l.Debug("hidden")
		l.WithField("connection", 7).Info("revoked")
		l.Warn("second")
	})
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2: %q", len(lines), out)
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if first["msg"] != "revoked" || first["level"] != "info" || first["connection"] != float64(7) || first["time"] == nil {
		t.Errorf("first line = %v", first)
	}
}

func TestOpenFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	for i := range 2 {
		l, closeLog, err := OpenFile(dir, logrus.InfoLevel)
		if err != nil {
			t.Fatal(err)
		}
		l.WithField("run", i).Info("started " + secret)
		if err := closeLog(); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "koppel.log"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "\n"); n != 2 {
		t.Errorf("log has %d lines, want 2 (appended): %s", n, data)
	}
	if strings.Contains(string(data), secret) {
		t.Error("the log file holds the secret")
	}
	if runtime.GOOS != "windows" {
		for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "koppel.log"): 0o600} {
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
				t.Errorf("%s: mode %v, %v; want %v", path, fi.Mode().Perm(), err, want)
			}
		}
	}
}

func TestOpenFileReportsErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-folder")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := OpenFile(file, logrus.InfoLevel); err == nil {
		t.Error("OpenFile under a file gave no error")
	}
}

// wailsLogger has the method set of Wails' pkg/logger.Logger, which internal
// packages must not import.
type wailsLogger interface {
	Print(message string)
	Trace(message string)
	Debug(message string)
	Info(message string)
	Warning(message string)
	Error(message string)
	Fatal(message string)
}

var _ wailsLogger = WailsLogger{}

func TestWailsLogger(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf, logrus.TraceLevel)
	l.ExitFunc = func(int) { t.Fatal("the Wails adapter exited") }
	var w wailsLogger = WailsLogger{L: l}
	calls := []struct {
		log   func(string)
		level string
	}{
		{w.Print, "info"}, {w.Trace, "trace"}, {w.Debug, "debug"}, {w.Info, "info"},
		{w.Warning, "warning"}, {w.Error, "error"}, {w.Fatal, "fatal"},
	}
	for i, c := range calls {
		buf.Reset()
		c.log(fmt.Sprintf("message %d %s", i, secret))
		var line map[string]any
		if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
			t.Fatalf("call %d: %v: %q", i, err, buf.String())
		}
		if line["level"] != c.level || line["source"] != "wails" || line["msg"] != fmt.Sprintf("message %d [redacted]", i) {
			t.Errorf("call %d wrote %v, want level %s", i, line, c.level)
		}
	}
}
