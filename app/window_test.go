package app

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"koppel/internal/backend"
	"koppel/internal/clipboard"
	"koppel/internal/keys"
	"koppel/internal/koppel"
)

// recorder is an Emitter that keeps the events it was given.
type recorder struct {
	mu     sync.Mutex
	events []string
	data   map[string][]any
}

func (r *recorder) Emit(name string, data ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, name)
	if r.data == nil {
		r.data = map[string][]any{}
	}
	r.data[name] = append(r.data[name], data...)
}

func (r *recorder) count(name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.events {
		if e == name {
			n++
		}
	}
	return n
}

// window is a started session with every bound struct, a recording emitter
// and a fake clipboard.
type window struct {
	s      *Session
	b      *backend.Backend
	events *recorder
	clip   *fakeClipboard
	sys    *System
	orgs   *Organizations
	conns  *Connections
	docs   *Documents
	audit  *Audit
	set    *Settings
	copy   *Clipboard
	qc     *QuickConnect
	admins *Administrations
}

func openWindow(t testing.TB) *window {
	t.Helper()
	useTempHome(t)
	w := &window{events: &recorder{}, clip: &fakeClipboard{}}
	w.s = NewSession(openFromEnv, &logRecorder{}, func(context.Context) Emitter { return w.events })
	for _, bound := range Bindings(w.s, func(context.Context) clipboard.Clipboard { return w.clip }) {
		switch v := bound.(type) {
		case *System:
			w.sys = v
		case *Organizations:
			w.orgs = v
		case *Connections:
			w.conns = v
		case *Documents:
			w.docs = v
		case *Audit:
			w.audit = v
		case *Settings:
			w.set = v
		case *QuickConnect:
			w.qc = v
		case *Administrations:
			w.admins = v
		case *Clipboard:
			w.copy = v
		default:
			t.Fatalf("Bindings holds an unexpected %T", bound)
		}
	}
	w.s.Startup(context.Background())
	t.Cleanup(func() { w.s.Shutdown(context.Background()) })
	var err error
	if w.b, _, err = w.s.current(); err != nil {
		t.Fatalf("open backend: %v", err)
	}
	return w
}

func (w *window) addOrg(t testing.TB, name, party string) OrganizationDTO {
	t.Helper()
	o, err := w.orgs.Add(OrganizationInput{Name: name, PartyID: party})
	if err != nil {
		t.Fatalf("Add %s: %v", name, err)
	}
	return o
}

// create issues keys for the organization with the package slug, as
// "Create new connection" does.
func (w *window) create(t testing.TB, orgID int64, slug string) IssuedKeysDTO {
	t.Helper()
	k, err := w.conns.Create(CreateInput{OrganizationID: orgID, SoftwareID: w.softwareID(t, slug)})
	if err != nil {
		t.Fatalf("Create %s for organization %d: %v", slug, orgID, err)
	}
	return k
}

func (w *window) softwareID(t testing.TB, slug string) int64 {
	t.Helper()
	list, err := w.orgs.ListSoftware()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		if s.Slug == slug {
			return s.ID
		}
	}
	t.Fatalf("no %s in the catalog", slug)
	return 0
}

func wantKey(t *testing.T, err error, code, key string) {
	t.Helper()
	dto := toErrorDTO(err)
	if dto == nil || dto.Code != code || dto.Key != key {
		t.Fatalf("error = %+v, want code %s key %s", dto, code, key)
	}
}

// fakeClipboard is a clipboard in memory.
type fakeClipboard struct {
	mu        sync.Mutex
	text      string
	sensitive bool
}

func (f *fakeClipboard) WriteText(text string, sensitive bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.text, f.sensitive = text, sensitive
	return nil
}

func (f *fakeClipboard) ReadText() (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.text, nil
}

func (f *fakeClipboard) Clear() error { return f.WriteText("", false) }

func (f *fakeClipboard) get() (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.text, f.sensitive
}

func TestOrganizationsAddAndUpdate(t *testing.T) {
	w := openWindow(t)
	o, err := w.orgs.Add(OrganizationInput{Name: " Bakkerij Jansen BV ", PartyID: "nl:kvk:12345678", Email: "Info@Jansen.NL"})
	if err != nil {
		t.Fatal(err)
	}
	if o.ID <= 0 || o.Name != "Bakkerij Jansen BV" || o.PartyID != "NL:KVK:12345678" || o.Email != "Info@jansen.nl" {
		t.Fatalf("Add = %+v", o)
	}
	if w.events.count(EventOrganizationsChanged) != 1 {
		t.Errorf("Add emitted %v", w.events.events)
	}

	u, err := w.orgs.Update(o.ID, OrganizationInput{Name: "Bakkerij Jansen & Zn BV", PartyID: "NL:KVK:12345678", KvK: "12345678"})
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != o.ID || u.Name != "Bakkerij Jansen & Zn BV" || u.KvK != "12345678" || u.Email != "" || u.CreatedAt != o.CreatedAt {
		t.Fatalf("Update = %+v", u)
	}
	events, err := w.audit.List(AuditQuery{OrganizationID: o.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[0].Action != "organization.update" || !strings.Contains(events[0].Detail, "name: Bakkerij Jansen BV → Bakkerij Jansen & Zn BV") {
		t.Fatalf("audit = %+v", events)
	}

	w.addOrg(t, "De Vries", "NL:KVK:87654321")
	_, err = w.orgs.Update(o.ID, OrganizationInput{Name: "X", PartyID: "0106:87654321"})
	wantKey(t, err, koppel.EConflict, "organization.party_taken")
	_, err = w.orgs.Add(OrganizationInput{Name: "X", PartyID: "NL:KVK:1234"})
	wantKey(t, err, koppel.EInvalid, "party.kvk_length")
	if p := toErrorDTO(err).Params; p["value"] != "1234" || p["count"] != "4" {
		t.Errorf("params = %v", p)
	}
	_, err = w.orgs.Update(999, OrganizationInput{Name: "X", PartyID: "NL:KVK:11112222"})
	wantKey(t, err, koppel.ENotFound, "organization.not_found")
}

func TestOrganizationsEndPartnership(t *testing.T) {
	w := openWindow(t)
	jansen := w.addOrg(t, "Bakkerij Jansen BV", "NL:KVK:12345678")
	vries := w.addOrg(t, "De Vries", "NL:KVK:87654321")
	yuki := w.softwareID(t, "yuki")
	if _, err := w.conns.Create(CreateInput{OrganizationID: jansen.ID, SoftwareID: yuki}); err != nil {
		t.Fatal(err)
	}
	shared, err := w.conns.Create(CreateInput{OrganizationID: jansen.ID, SoftwareID: yuki, GrantIDs: []int64{vries.ID}})
	if err != nil {
		t.Fatal(err)
	}

	impact, err := w.orgs.PartnershipImpact(jansen.ID)
	if err != nil {
		t.Fatal(err)
	}
	if impact != (PartnershipImpactDTO{OrganizationID: jansen.ID, Revoke: 1, Withdraw: 1}) {
		t.Fatalf("impact = %+v", impact)
	}
	ended, err := w.orgs.EndPartnership(jansen.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ended.Organization.EndedAt == "" || len(ended.Revoked) != 1 || !reflect.DeepEqual(ended.Withdrawn, []int64{shared.Connection.ID}) {
		t.Fatalf("ended = %+v", ended)
	}
	if impact, _ := w.orgs.PartnershipImpact(jansen.ID); !impact.Ended || impact.Revoke != 0 {
		t.Errorf("impact after the end = %+v", impact)
	}
	_, err = w.orgs.EndPartnership(jansen.ID)
	wantKey(t, err, koppel.EConflict, "organization.already_ended")
	_, err = w.conns.Create(CreateInput{OrganizationID: jansen.ID, SoftwareID: yuki})
	wantKey(t, err, koppel.EConflict, "organization.ended")
}

func TestConnectionsCreateShowsTheSecretOnce(t *testing.T) {
	w := openWindow(t)
	jansen := w.addOrg(t, "Bakkerij Jansen BV", "NL:KVK:12345678")
	issued, err := w.conns.Create(CreateInput{OrganizationID: jansen.ID, SoftwareID: w.softwareID(t, "yuki"), Language: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(issued.Secret, "sk_") || issued.Connection.Status != "active" || len(issued.Organizations) != 1 {
		t.Fatalf("issued = %+v", issued)
	}
	want := "Snel koppelen met Koppel\nApplicatiesleutel: " + issued.Connection.AppKey + "\nGeheime sleutel: " + issued.Secret +
		"\nOrganisatie: Bakkerij Jansen BV (NL:KVK:12345678)\n"
	if issued.QuickConnectText != want {
		t.Fatalf("Quick Connect text = %q, want %q", issued.QuickConnectText, want)
	}
	if pasted, err := keys.ParsePaste(issued.QuickConnectText); err != nil || pasted.AppKey != issued.Connection.AppKey {
		t.Fatalf("the Quick Connect text does not read back: %+v, %v", pasted, err)
	}
	if w.events.count(EventConnectionsChanged) != 1 {
		t.Errorf("Create emitted %v", w.events.events)
	}

	// Nothing the window can ask for afterwards holds the Secret.
	overview, err := w.conns.Overview(WindowQuery{})
	if err != nil {
		t.Fatal(err)
	}
	list, _ := w.conns.List(ConnectionQuery{})
	audit, _ := w.audit.List(AuditQuery{})
	settings, _ := w.set.Get()
	for name, v := range map[string]any{"overview": overview, "list": list, "audit": audit, "settings": settings, "status": w.sys.Status()} {
		data, _ := json.Marshal(v)
		if strings.Contains(string(data), issued.Secret) {
			t.Errorf("%s holds the Secret: %s", name, data)
		}
	}
}

func TestConnectionsOverview(t *testing.T) {
	w := openWindow(t)
	jansen := w.addOrg(t, "Bakkerij Jansen BV", "NL:KVK:12345678")
	devries := w.addOrg(t, "De Vries", "NL:KVK:87654321")
	yuki := w.softwareID(t, "yuki")
	for range 3 {
		if _, err := w.conns.Create(CreateInput{OrganizationID: jansen.ID, SoftwareID: yuki}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := w.conns.Overview(WindowQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Organizations) != 2 || len(got.Connections.Rows) != 3 || len(got.Software) != 8 ||
		got.Connections.Total != 3 || got.Connections.Matched != 3 || !reflect.DeepEqual(got.Connections.SoftwareIDs, []int64{yuki}) {
		t.Fatalf("overview has %d organizations, %d packages, connections %+v",
			len(got.Organizations), len(got.Software), got.Connections)
	}
	c := got.Connections.Rows[0]
	if c.SoftwareID != yuki || !reflect.DeepEqual(c.OrganizationIDs, []int64{jansen.ID}) || c.Status != "active" ||
		time.Since(time.UnixMilli(c.CreatedAt)) > time.Minute || c.RevokedAt != 0 || c.ID < got.Connections.Rows[1].ID {
		t.Fatalf("row = %+v", c)
	}
	data, _ := json.Marshal(c)
	for _, absent := range []string{`"software"`, `"revokedAt"`, `"revokedKeyAttempts"`} {
		if strings.Contains(string(data), absent) {
			t.Errorf("an overview row holds %s: %s", absent, data)
		}
	}

	// A window from an offset, of one organization, filtered and searched.
	second, err := w.conns.Window(WindowQuery{Offset: 1, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Rows) != 1 || second.Offset != 1 || second.Rows[0].ID != got.Connections.Rows[1].ID || second.Matched != 3 {
		t.Fatalf("the second row = %+v", second)
	}
	if _, err := w.conns.Revoke(c.ID, "lost"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		q              WindowQuery
		total, matched int
	}{
		{WindowQuery{Status: "revoked"}, 3, 1},
		{WindowQuery{Status: "active", SoftwareID: yuki}, 3, 2},
		{WindowQuery{OrganizationID: devries.ID}, 0, 0},
		{WindowQuery{Search: "  JANSEN   " + strings.ToLower(c.AppKey[3:9])}, 3, 1},
		{WindowQuery{Search: "yuki 12345678"}, 3, 3},
		{WindowQuery{Search: "vries"}, 3, 0},
	} {
		got, err := w.conns.Window(tc.q)
		if err != nil || got.Total != tc.total || got.Matched != tc.matched || len(got.Rows) != tc.matched {
			t.Errorf("Window(%+v) = %+v, %v; want %d of %d", tc.q, got, err, tc.matched, tc.total)
		}
	}

	// A new organization shows at once: the event made the index read again.
	if _, err := w.orgs.Add(OrganizationInput{Name: "Kapsalon Smit", PartyID: "NL:KVK:11223344"}); err != nil {
		t.Fatal(err)
	}
	if again, err := w.conns.Overview(WindowQuery{Limit: 1}); err != nil || len(again.Organizations) != 3 || len(again.Connections.Rows) != 1 {
		t.Fatalf("after adding an organization: %+v, %v", again, err)
	}

	for _, q := range []WindowQuery{{Limit: -1}, {Offset: -1}, {Status: "pending"}, {OrganizationID: -2}, {Search: strings.Repeat("x", 201)}} {
		if _, err := w.conns.Window(q); koppel.ErrorCode(err) != koppel.EInvalid {
			t.Errorf("Window(%+v) = %v, want invalid", q, err)
		}
	}
}

func TestConnectionsRevokeDeleteReplace(t *testing.T) {
	w := openWindow(t)
	jansen := w.addOrg(t, "Bakkerij Jansen BV", "NL:KVK:12345678")
	first := w.create(t, jansen.ID, "basecone")
	id := first.Connection.ID

	err := w.conns.Delete(id)
	wantKey(t, err, koppel.EConflict, "connection.still_active")
	if p := toErrorDTO(err).Params; p["appKey"] != first.Connection.AppKey {
		t.Errorf("params = %v", p)
	}

	replaced, err := w.conns.Replace(ReplaceInput{ConnectionID: id, Reason: "compromised"})
	if err != nil {
		t.Fatal(err)
	}
	if replaced.ReplacesID != id || replaced.Secret == first.Secret || !strings.HasPrefix(replaced.QuickConnectText, "Koppel Quick Connect\n") {
		t.Fatalf("replaced = %+v", replaced)
	}
	old, err := w.conns.List(ConnectionQuery{Status: "revoked"})
	if err != nil {
		t.Fatal(err)
	}
	if len(old) != 1 || old[0].ID != id || old[0].RevokedReason != "compromised" || old[0].ReplacedByID != replaced.Connection.ID {
		t.Fatalf("the old connection = %+v", old)
	}

	revoked, err := w.conns.Revoke(replaced.Connection.ID, "switch")
	if err != nil {
		t.Fatal(err)
	}
	if revoked.Status != "revoked" || revoked.RevokedReason != "switch" {
		t.Fatalf("Revoke = %+v", revoked)
	}
	_, err = w.conns.Revoke(replaced.Connection.ID, "switch")
	wantKey(t, err, koppel.EConflict, "connection.already_revoked")

	if err := w.conns.Delete(id); err != nil {
		t.Fatal(err)
	}
	err = w.conns.Delete(id)
	wantKey(t, err, koppel.ENotFound, "connection.not_found")
	if n := w.events.count(EventConnectionsChanged); n != 4 {
		t.Errorf("%d connections:changed events, want 4 (create, replace, revoke, delete)", n)
	}

	_, err = w.conns.Create(CreateInput{OrganizationID: jansen.ID, SoftwareID: w.softwareID(t, "exact-online")})
	wantKey(t, err, koppel.EConflict, "software.autopilot")
}

// TestBoundMethods_ValidateArguments: every argument is checked before a
// service sees it.
func TestBoundMethods_ValidateArguments(t *testing.T) {
	w := openWindow(t)
	long := strings.Repeat("x", 201)
	tests := []struct {
		name string
		call func() error
		key  string
	}{
		{"update id 0", func() error { _, err := w.orgs.Update(0, OrganizationInput{}); return err }, "input.id"},
		{"impact id -1", func() error { _, err := w.orgs.PartnershipImpact(-1); return err }, "input.id"},
		{"end id 0", func() error { _, err := w.orgs.EndPartnership(0); return err }, "input.id"},
		{"name too long", func() error {
			_, err := w.orgs.Add(OrganizationInput{Name: long, PartyID: "NL:KVK:12345678"})
			return err
		}, "text.too_long"},
		{"party too long", func() error { _, err := w.orgs.Add(OrganizationInput{Name: "X", PartyID: long}); return err }, "text.too_long"},
		{"no party", func() error { _, err := w.orgs.Add(OrganizationInput{Name: "X"}); return err }, "party.required"},
		{"bad email", func() error {
			_, err := w.orgs.Add(OrganizationInput{Name: "X", PartyID: "NL:KVK:12345678", Email: "x"})
			return err
		}, "email.at"},
		{"create org 0", func() error { _, err := w.conns.Create(CreateInput{SoftwareID: 1}); return err }, "input.id"},
		{"create software 0", func() error { _, err := w.conns.Create(CreateInput{OrganizationID: 1}); return err }, "input.id"},
		{"create grant 0", func() error {
			_, err := w.conns.Create(CreateInput{OrganizationID: 1, SoftwareID: 1, GrantIDs: []int64{0}})
			return err
		}, "input.id"},
		{"create too many grants", func() error {
			_, err := w.conns.Create(CreateInput{OrganizationID: 1, SoftwareID: 1, GrantIDs: make([]int64, maxGrants+1)})
			return err
		}, "connection.too_many_grants"},
		{"create language", func() error {
			_, err := w.conns.Create(CreateInput{OrganizationID: 1, SoftwareID: 1, Language: "de"})
			return err
		}, "input.choice"},
		{"revoke id 0", func() error { _, err := w.conns.Revoke(0, "lost"); return err }, "input.id"},
		{"revoke reason", func() error { _, err := w.conns.Revoke(1, "bored"); return err }, "input.choice"},
		{"revoke partnership reason", func() error { _, err := w.conns.Revoke(1, "partnership ended"); return err }, "input.choice"},
		{"delete id 0", func() error { return w.conns.Delete(0) }, "input.id"},
		{"replace reason switch", func() error { _, err := w.conns.Replace(ReplaceInput{ConnectionID: 1, Reason: "switch"}); return err }, "input.choice"},
		{"replace id 0", func() error { _, err := w.conns.Replace(ReplaceInput{Reason: "lost"}); return err }, "input.id"},
		{"list status", func() error { _, err := w.conns.List(ConnectionQuery{Status: "paused"}); return err }, "input.choice"},
		{"audit org -1", func() error { _, err := w.audit.List(AuditQuery{OrganizationID: -1}); return err }, "input.id"},
		{"audit limit", func() error { _, err := w.audit.List(AuditQuery{Limit: maxAudit + 1}); return err }, "input.limit"},
		{"setting key", func() error { _, err := w.set.Set("master-key", "x"); return err }, "input.choice"},
		{"setting value", func() error { _, err := w.set.Set("account-email", strings.Repeat("a", 301)); return err }, "text.too_long"},
		{"setting language", func() error { _, err := w.set.Set("language", "de"); return err }, "settings.language"},
		{"copy nothing", func() error { _, err := w.copy.Copy("", false); return err }, "clipboard.text"},
		{"copy too much", func() error { _, err := w.copy.Copy(strings.Repeat("x", maxCopy+1), true); return err }, "clipboard.text"},
		{"copy not UTF-8", func() error { _, err := w.copy.Copy("\xff", true); return err }, "clipboard.text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantKey(t, tt.call(), koppel.EInvalid, tt.key)
		})
	}
}

func TestAuditListAndVerify(t *testing.T) {
	w := openWindow(t)
	jansen := w.addOrg(t, "Bakkerij Jansen BV", "NL:KVK:12345678")
	w.addOrg(t, "De Vries", "NL:KVK:87654321")
	all, err := w.audit.List(AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	mine, err := w.audit.List(AuditQuery{OrganizationID: jansen.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || len(mine) != 1 || mine[0].Action != "organization.add" || mine[0].At == "" ||
		!reflect.DeepEqual(mine[0].OrganizationIDs, []int64{jansen.ID}) {
		t.Fatalf("all = %+v, mine = %+v", all, mine)
	}
	v, err := w.audit.Verify()
	if err != nil {
		t.Fatal(err)
	}
	if v != (AuditVerifyDTO{OK: true, Events: 2}) {
		t.Fatalf("Verify = %+v", v)
	}
}

func TestSettingsGetAndSet(t *testing.T) {
	w := openWindow(t)
	got, err := w.set.Get()
	if err != nil {
		t.Fatal(err)
	}
	want := SettingsDTO{Language: "", ClipboardClearSeconds: 30, APIAddr: "127.0.0.1:8642",
		Keychain: KeychainDTO{Backend: "file", Unlocked: true}, DataFolder: w.b.Home}
	if got != want {
		t.Fatalf("Get = %+v, want %+v", got, want)
	}
	if st := w.sys.Status(); st.Language != "" || !st.Ready {
		t.Fatalf("Status = %+v", st)
	}
	got, err = w.set.Set("language", "nl")
	if err != nil || got.Language != "nl" {
		t.Fatalf("Set language = %+v, %v", got, err)
	}
	if st := w.sys.Status(); st.Language != "nl" {
		t.Errorf("Status after choosing Dutch = %+v", st)
	}
	if got, err = w.set.Set("clipboard-clear-seconds", "45"); err != nil || got.ClipboardClearSeconds != 45 {
		t.Fatalf("Set clipboard = %+v, %v", got, err)
	}
	_, err = w.set.Set("api-addr", "0.0.0.0:80")
	wantKey(t, err, koppel.EInvalid, "settings.api_loopback")
	_, err = w.set.Set("account-email", "me@office")
	wantKey(t, err, koppel.EInvalid, "email.domain")
}

func TestClipboardCopy(t *testing.T) {
	w := openWindow(t)
	if _, err := w.set.Set("clipboard-clear-seconds", "1"); err != nil {
		t.Fatal(err)
	}
	res, err := w.copy.Copy("ak_plain", false)
	if err != nil || res.ClearAfterSeconds != 0 {
		t.Fatalf("Copy App Key = %+v, %v", res, err)
	}
	if text, sensitive := w.clip.get(); text != "ak_plain" || sensitive {
		t.Fatalf("clipboard = %q sensitive=%v", text, sensitive)
	}

	res, err = w.copy.Copy("sk_secret", true)
	if err != nil || res.ClearAfterSeconds != 1 {
		t.Fatalf("Copy Secret = %+v, %v", res, err)
	}
	if text, sensitive := w.clip.get(); text != "sk_secret" || !sensitive {
		t.Fatalf("clipboard = %q sensitive=%v", text, sensitive)
	}
	deadline := time.Now().Add(5 * time.Second)
	for w.events.count(EventClipboardDone) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if text, _ := w.clip.get(); text != "" {
		t.Fatalf("clipboard after the countdown = %q", text)
	}
	w.events.mu.Lock()
	ticks, done := w.events.data[EventClipboardCountdown], w.events.data[EventClipboardDone]
	w.events.mu.Unlock()
	if !reflect.DeepEqual(ticks, []any{CountdownDTO{Remaining: 1}}) || !reflect.DeepEqual(done, []any{ClipboardDoneDTO{Cleared: true}}) {
		t.Fatalf("countdown events %v, done %v", ticks, done)
	}

	// Clear now, and at quit: only what is still ours.
	if _, err := w.set.Set("clipboard-clear-seconds", "600"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.copy.Copy("sk_again", true); err != nil {
		t.Fatal(err)
	}
	if !w.copy.ClearNow() {
		t.Fatal("ClearNow did not clear")
	}
	if _, err := w.copy.Copy("sk_third", true); err != nil {
		t.Fatal(err)
	}
	w.s.Shutdown(context.Background())
	if text, _ := w.clip.get(); text != "" {
		t.Fatalf("clipboard after quitting = %q", text)
	}
}

// TestBoundMethods_Snapshot compares the bound methods, as the generated
// bindings (frontend/wailsjs/go/app/*.d.ts) declare them and as the structs
// of Bindings have them, with testdata/bound-methods.txt. A new or changed
// method must change that file too: a reviewed change. Regenerate the
// bindings with `wails generate module`.
func TestBoundMethods_Snapshot(t *testing.T) {
	want := readLines(t, filepath.Join("testdata", "bound-methods.txt"))

	var fromGo []string
	for _, bound := range Bindings(NewSession(nil, nil, nil), nil) {
		typ := reflect.TypeOf(bound)
		for i := range typ.NumMethod() {
			fromGo = append(fromGo, typ.Elem().Name()+"."+typ.Method(i).Name)
		}
	}
	slices.Sort(fromGo)
	if !slices.Equal(fromGo, want) {
		t.Errorf("the bound structs have methods\n%s\nbut testdata/bound-methods.txt lists\n%s",
			strings.Join(fromGo, "\n"), strings.Join(want, "\n"))
	}

	files, err := filepath.Glob(filepath.Join("..", "frontend", "wailsjs", "go", "app", "*.d.ts"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no generated bindings (%v)", err)
	}
	var generated []string
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".d.ts")
		for _, line := range readLines(t, f) {
			if rest, ok := strings.CutPrefix(line, "export function "); ok {
				generated = append(generated, name+"."+rest[:strings.IndexByte(rest, '(')])
			}
		}
	}
	slices.Sort(generated)
	if !slices.Equal(generated, want) {
		t.Errorf("the generated bindings declare\n%s\nbut testdata/bound-methods.txt lists\n%s\n(regenerate: wails generate module)",
			strings.Join(generated, "\n"), strings.Join(want, "\n"))
	}
}

// TestBoundMethods_OnlyIssueReturnsKeys: the one DTO that carries a Secret
// is returned by Create and Replace only.
func TestBoundMethods_OnlyIssueReturnsKeys(t *testing.T) {
	issued := reflect.TypeFor[IssuedKeysDTO]()
	for _, bound := range Bindings(NewSession(nil, nil, nil), nil) {
		typ := reflect.TypeOf(bound)
		for i := range typ.NumMethod() {
			m := typ.Method(i)
			name := typ.Elem().Name() + "." + m.Name
			for j := range m.Type.NumOut() {
				if _, ok := findType(m.Type.Out(j), issued, map[reflect.Type]bool{}); ok &&
					name != "Connections.Create" && name != "Connections.Replace" {
					t.Errorf("%s returns new keys", name)
				}
			}
		}
	}
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			lines = append(lines, line)
		}
	}
	return lines
}
