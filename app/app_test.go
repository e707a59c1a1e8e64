package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"koppel/internal/backend"
	"koppel/internal/connections"
	"koppel/internal/koppel"
	"koppel/internal/organizations"
)

// logRecorder is a Logger that keeps what it was given.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (l *logRecorder) Errorf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logRecorder) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// useTempHome points the backend at a fresh data folder with a file keyring
// and no D-Bus.
func useTempHome(t testing.TB) {
	t.Helper()
	t.Setenv("KOPPEL_HOME", t.TempDir())
	t.Setenv("KOPPEL_KEYRING", "file")
	t.Setenv("KOPPEL_KEYRING_PASSPHRASE", "correct horse battery staple")
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
}

func openFromEnv(ctx context.Context) (*backend.Backend, error) {
	cfg, err := backend.ConfigFromEnv("test")
	if err != nil {
		return nil, err
	}
	return backend.Open(ctx, cfg)
}

// startSession starts a session on a temporary data folder, as OnStartup
// would, and returns it with its backend for seeding.
func startSession(t *testing.T) (*Session, *backend.Backend) {
	t.Helper()
	useTempHome(t)
	s := NewSession(openFromEnv, &logRecorder{}, func(context.Context) Emitter { return NopEmitter{} })
	s.Startup(context.Background())
	t.Cleanup(func() { s.Shutdown(context.Background()) })
	b, _, err := s.current()
	if err != nil {
		t.Fatalf("open backend: %v", err)
	}
	return s, b
}

func addOrganization(t *testing.T, b *backend.Backend, name, party string) *koppel.Organization {
	t.Helper()
	o, err := b.Organizations.Add(context.Background(), organizations.NewOrganization{Name: name, PartyID: party})
	if err != nil {
		t.Fatalf("add %s: %v", name, err)
	}
	return o
}

func TestSystemStatus_Ready(t *testing.T) {
	s, _ := startSession(t)
	got := NewSystem(s).Status()
	if !got.Ready || got.Error != nil {
		t.Fatalf("Status() = %+v, want ready", got)
	}
}

func TestSystemStatus_OpenFailed(t *testing.T) {
	cause := koppel.Errorf(koppel.EInvalid, "No keychain is available. Set KOPPEL_KEYRING=file.")
	log := &logRecorder{}
	s := NewSession(func(context.Context) (*backend.Backend, error) { return nil, cause }, log,
		func(context.Context) Emitter { return NopEmitter{} })
	s.Startup(context.Background())

	got := NewSystem(s).Status()
	want := StatusDTO{Ready: false, Error: &ErrorDTO{Code: koppel.EInvalid, Message: cause.Message}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Status() = %+v, want %+v", got, want)
	}
	if _, err := NewOrganizations(s).List(OrganizationQuery{}); !errors.Is(err, cause) {
		t.Fatalf("List after a failed open: err = %v, want the open error", err)
	}
	if log.all() != "" {
		t.Errorf("a user-fixable open error was logged: %q", log.all())
	}
}

func TestSession_ClosedAfterShutdown(t *testing.T) {
	s, _ := startSession(t)
	s.Shutdown(context.Background())
	if got := NewSystem(s).Status(); got.Ready {
		t.Fatalf("Status() after Shutdown = %+v, want not ready", got)
	}
}

func TestOrganizationsList(t *testing.T) {
	s, b := startSession(t)
	jansen := addOrganization(t, b, "Bakkerij Jansen BV", "nl:kvk:12345678")
	addOrganization(t, b, "Administratiekantoor De Vries", "NL:KVK:87654321")

	got, err := NewOrganizations(s).List(OrganizationQuery{Search: "jansen"})
	if err != nil {
		t.Fatal(err)
	}
	want := []OrganizationDTO{{
		ID: jansen.ID, Name: "Bakkerij Jansen BV", PartyID: "NL:KVK:12345678",
		CreatedAt: jansen.CreatedAt.UTC().Format(time.RFC3339),
	}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("List = %+v, want %+v", got, want)
	}
	if _, err := time.Parse(time.RFC3339, got[0].CreatedAt); err != nil {
		t.Errorf("createdAt %q is not RFC 3339: %v", got[0].CreatedAt, err)
	}
}

func TestOrganizationsList_Empty(t *testing.T) {
	s, _ := startSession(t)
	got, err := NewOrganizations(s).List(OrganizationQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := json.Marshal(got); string(data) != "[]" {
		t.Fatalf("empty list marshals as %s, want []", data)
	}
}

func TestOrganizationsList_Bounds(t *testing.T) {
	s, _ := startSession(t)
	orgs := NewOrganizations(s)
	tests := []struct {
		name string
		q    OrganizationQuery
		code string
	}{
		{"longest search", OrganizationQuery{Search: strings.Repeat("é", maxSearch)}, ""},
		{"search too long", OrganizationQuery{Search: strings.Repeat("é", maxSearch+1)}, koppel.EInvalid},
		{"negative limit", OrganizationQuery{Limit: -1}, koppel.EInvalid},
		{"largest limit", OrganizationQuery{Limit: maxList}, ""},
		{"limit too large", OrganizationQuery{Limit: maxList + 1}, koppel.EInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := orgs.List(tt.q)
			if got := koppel.ErrorCode(err); got != tt.code {
				t.Fatalf("code = %q (%v), want %q", got, err, tt.code)
			}
		})
	}
}

func TestOrganizationsListSoftware(t *testing.T) {
	s, _ := startSession(t)
	got, err := NewOrganizations(s).ListSoftware()
	if err != nil {
		t.Fatal(err)
	}
	for _, sw := range got {
		if sw.Slug == "yuki" {
			want := SoftwareDTO{ID: sw.ID, Slug: "yuki", Name: "Yuki", Direction: "receive",
				ReceivesSales: true, QuickConnect: true, Kind: "keys", BuiltIn: true}
			if sw != want {
				t.Fatalf("yuki = %+v, want %+v", sw, want)
			}
			return
		}
	}
	t.Fatalf("no yuki in %+v", got)
}

func TestConnectionsList(t *testing.T) {
	s, b := startSession(t)
	org := addOrganization(t, b, "Bakkerij Jansen BV", "NL:KVK:12345678")
	issued, err := b.Connections.Create(context.Background(), connections.CreateRequest{Organization: "NL:KVK:12345678", Software: "yuki"})
	if err != nil {
		t.Fatal(err)
	}

	got, err := NewConnections(s).List(ConnectionQuery{OrganizationID: org.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("List = %+v, want one connection", got)
	}
	c := got[0]
	if c.AppKey != issued.Connection.AppKey || c.Status != "active" || c.Software.Slug != "yuki" ||
		!reflect.DeepEqual(c.OrganizationIDs, []int64{org.ID}) || c.CreatedAt == "" || c.RevokedAt != "" {
		t.Fatalf("connection = %+v", c)
	}
	data, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), issued.Secret.Reveal()) {
		t.Fatalf("the Secret reached the window: %s", data)
	}
	for _, key := range []string{`"appKey"`, `"organizationIds"`, `"createdAt"`, `"revokedKeyAttempts"`, `"receivesSales"`} {
		if !strings.Contains(string(data), key) {
			t.Errorf("JSON lacks %s: %s", key, data)
		}
	}
}

func TestConnectionsList_Revoked(t *testing.T) {
	s, b := startSession(t)
	org := addOrganization(t, b, "Bakkerij Jansen BV", "NL:KVK:12345678")
	issued, err := b.Connections.Create(context.Background(), connections.CreateRequest{Organization: "NL:KVK:12345678", Software: "yuki"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Connections.Revoke(context.Background(), issued.Connection.AppKey, koppel.ReasonLost); err != nil {
		t.Fatal(err)
	}

	got, err := NewConnections(s).List(ConnectionQuery{OrganizationID: org.ID, Status: "revoked"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Status != "revoked" || got[0].RevokedReason != koppel.ReasonLost {
		t.Fatalf("List = %+v, want the revoked connection", got)
	}
	if _, err := time.Parse(time.RFC3339, got[0].RevokedAt); err != nil {
		t.Errorf("revokedAt %q is not RFC 3339: %v", got[0].RevokedAt, err)
	}
}

func TestConnectionsList_Bounds(t *testing.T) {
	s, _ := startSession(t)
	conns := NewConnections(s)
	tests := []struct {
		name string
		q    ConnectionQuery
		code string
	}{
		{"all", ConnectionQuery{}, ""},
		{"active", ConnectionQuery{Status: "active"}, ""},
		{"unknown status", ConnectionQuery{Status: "paused"}, koppel.EInvalid},
		{"negative organization", ConnectionQuery{OrganizationID: -1}, koppel.EInvalid},
		{"limit too large", ConnectionQuery{Limit: maxList + 1}, koppel.EInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := conns.List(tt.q)
			if got := koppel.ErrorCode(err); got != tt.code {
				t.Fatalf("code = %q (%v), want %q", got, err, tt.code)
			}
		})
	}
}

func TestErrorFormatter(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		want    *ErrorDTO
		logged  string // "" means nothing may be logged
		private string // must not reach the window
	}{
		{
			name: "domain error",
			err:  fmt.Errorf("revoke: %w", koppel.Errorf(koppel.ENotFound, "No connection ak_x.")),
			want: &ErrorDTO{Code: koppel.ENotFound, Message: "No connection ak_x."},
		},
		{
			name: "keyed error",
			err: fmt.Errorf("delete: %w", koppel.Errorf(koppel.EConflict, "Connection 3 (ak_x) is still active.").
				WithKey("connection.still_active", "id", "3", "appKey", "ak_x")),
			want: &ErrorDTO{Code: koppel.EConflict, Message: "Connection 3 (ak_x) is still active.",
				Key: "connection.still_active", Params: map[string]string{"id": "3", "appKey": "ak_x"}},
		},
		{
			name: "internal error",
			err:  koppel.Internal("read the database", errors.New("disk I/O error at page 7")),
			want: &ErrorDTO{Code: koppel.EInternal, Message: "Koppel could not read the database.",
				Key: "internal", Params: map[string]string{"op": "read the database"}},
			logged:  "disk I/O error at page 7",
			private: "page 7",
		},
		{
			name:    "plain error",
			err:     errors.New("nil pointer in mapper"),
			want:    &ErrorDTO{Code: koppel.EInternal, Message: koppel.ErrorMessage(errors.New("")), Key: "internal"},
			logged:  "nil pointer in mapper",
			private: "nil pointer",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := &logRecorder{}
			text, ok := ErrorFormatter(log)(tt.err).(string)
			if !ok {
				t.Fatalf("formatted %T, want the JSON text", ErrorFormatter(log)(tt.err))
			}
			var got *ErrorDTO
			if err := json.Unmarshal([]byte(text), &got); err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("formatted = %s (%v), want %+v", text, err, tt.want)
			}
			switch logged := log.all(); {
			case tt.logged == "" && logged != "":
				t.Errorf("logged %q, want nothing", logged)
			case !strings.Contains(logged, tt.logged):
				t.Errorf("log = %q, want it to hold %q", logged, tt.logged)
			}
			data, _ := json.Marshal(got)
			if tt.private != "" && strings.Contains(string(data), tt.private) {
				t.Errorf("detail reached the window: %s", data)
			}
			if !strings.Contains(string(data), `"code"`) || !strings.Contains(string(data), `"message"`) {
				t.Errorf("JSON %s lacks code or message", data)
			}
		})
	}
}

// TestBoundMethods_NeverReturnSecret walks every bound method's results
// down to their fields: none may be, or hold, a koppel.Secret.
func TestBoundMethods_NeverReturnSecret(t *testing.T) {
	secret := reflect.TypeFor[koppel.Secret]()
	for _, bound := range Bindings(NewSession(nil, nil, nil), nil) {
		typ := reflect.TypeOf(bound)
		for i := range typ.NumMethod() {
			m := typ.Method(i)
			for j := range m.Type.NumOut() {
				if path, ok := findType(m.Type.Out(j), secret, map[reflect.Type]bool{}); ok {
					t.Errorf("%s.%s returns a Secret at %s", typ.Elem().Name(), m.Name, path)
				}
			}
		}
	}
}

func findType(t, want reflect.Type, seen map[reflect.Type]bool) (string, bool) {
	if t == want {
		return t.String(), true
	}
	if seen[t] {
		return "", false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return findType(t.Elem(), want, seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if path, ok := findType(t.Field(i).Type, want, seen); ok {
				return t.Name() + "." + t.Field(i).Name + " → " + path, true
			}
		}
	}
	return "", false
}

func TestSecurityHeaders(t *testing.T) {
	rec := httptest.NewRecorder()
	next := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	SecurityHeaders(next).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/index.html", nil))
	if rec.Code != http.StatusNoContent {
		t.Fatalf("status %d: the middleware did not call the next handler", rec.Code)
	}
	csp := rec.Header().Get("Content-Security-Policy")
	for name, value := range map[string]string{
		"default-src": "'self'",
		"script-src":  "'self'", // no inline or eval'd scripts
		"img-src":     "'self' data:",
	} {
		if got := directive(csp, name); got != value {
			t.Errorf("%s is %q in %q, want %q", name, got, csp, value)
		}
	}
	// Release builds connect to 'self' only; `wails dev` adds Vite's websocket.
	if got := directive(csp, "connect-src"); !strings.HasPrefix(got, "'self'") || strings.Contains(got, "https:") {
		t.Errorf("connect-src is %q", got)
	}
}

// directive returns the value of one directive of a Content-Security-Policy.
func directive(csp, name string) string {
	for _, d := range strings.Split(csp, ";") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(d), name+" "); ok {
			return v
		}
	}
	return ""
}
