package organizations

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"koppel/internal/koppel"
	"koppel/internal/sqlite"
)

func newService(t *testing.T) *Service {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &Service{Store: db, Now: time.Now, Actor: "test"}
}

func TestAddValidates(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	o, err := s.Add(ctx, NewOrganization{Name: " Bakkerij Jansen BV ", PartyID: "nl:kvk:12345678", KvK: "12345678",
		VAT: "nl 123456789 b01", Email: "Info@Jansen.NL"})
	if err != nil {
		t.Fatal(err)
	}
	if o.Name != "Bakkerij Jansen BV" || o.PartyID != "NL:KVK:12345678" || o.VAT != "NL123456789B01" || o.Email != "Info@jansen.nl" {
		t.Errorf("stored %+v", o)
	}
	bad := []struct {
		n    NewOrganization
		want string
	}{
		{NewOrganization{PartyID: "NL:KVK:23456789"}, "name is required"},
		{NewOrganization{Name: "X", PartyID: "NL:KVK:2345"}, "8 digits"},
		{NewOrganization{Name: "X", PartyID: "NL:KVK:23456789", KvK: "12"}, "KvK number has 8 digits"},
		{NewOrganization{Name: "X", PartyID: "NL:KVK:23456789", VAT: "123"}, "VAT number"},
		{NewOrganization{Name: "X", PartyID: "NL:KVK:23456789", Email: "x"}, "not an email"},
		{NewOrganization{Name: strings.Repeat("x", 201), PartyID: "NL:KVK:23456789"}, "too long"},
	}
	for _, c := range bad {
		_, err := s.Add(ctx, c.n)
		if koppel.ErrorCode(err) != koppel.EInvalid || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Add(%+v) = %v, want invalid %q", c.n, err, c.want)
		}
	}
	_, err = s.Add(ctx, NewOrganization{Name: "Same party", PartyID: "0106:12345678"})
	if koppel.ErrorCode(err) != koppel.EConflict {
		t.Errorf("a second organization with the same party (other notation): %v", err)
	}
}

func TestSoftwareCatalog(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	list, _ := s.ListSoftware(ctx)
	want := map[string]string{"basecone": "receive", "exact-multivers": "send+receive", "whitevision": "receive",
		"yuki": "receive", "radar": "send", "exact-online": "send+receive", "snelstart": "send+receive",
		"dynamics-365-business-central": "send+receive"}
	if len(list) != len(want) {
		t.Fatalf("catalog has %d entries, want %d", len(list), len(want))
	}
	for _, sw := range list {
		if want[sw.Slug] != string(sw.Direction) {
			t.Errorf("%s direction %s", sw.Slug, sw.Direction)
		}
		if qc := sw.Kind == koppel.KindKeys; sw.QuickConnect != qc {
			t.Errorf("%s Quick Connect = %v", sw.Slug, sw.QuickConnect)
		}
	}
	sw, err := s.AddSoftware(ctx, NewSoftware{Name: "Twinfield Plus", Direction: koppel.Receive, ReceivesSales: true})
	if err != nil || sw.Slug != "twinfield-plus" || sw.Kind != koppel.KindKeys {
		t.Fatalf("AddSoftware = %+v, %v", sw, err)
	}
	if got, _ := s.GetSoftware(ctx, "TWINFIELD PLUS"); got == nil || got.ID != sw.ID {
		t.Error("package not found by name, case-insensitively")
	}
	for _, n := range []NewSoftware{{Name: "yuki", Direction: koppel.Send}, {Name: "X", Direction: "sideways"},
		{Name: "Y", Direction: koppel.Send, ReceivesSales: true}, {Name: "!!!", Direction: koppel.Send}} {
		if _, err := s.AddSoftware(ctx, n); err == nil {
			t.Errorf("AddSoftware(%+v) accepted", n)
		}
	}
}

func TestUpdate(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	o, err := s.Add(ctx, NewOrganization{Name: "Bakkerij Jansen BV", PartyID: "NL:KVK:12345678", Email: "info@jansen.nl"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.Add(ctx, NewOrganization{Name: "De Vries", PartyID: "NL:KVK:87654321"})
	if err != nil {
		t.Fatal(err)
	}

	u, err := s.Update(ctx, "NL:KVK:12345678", NewOrganization{Name: " Bakkerij Jansen & Zn ", PartyID: "0106:12345678", VAT: "nl123456789b01"})
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != o.ID || u.Name != "Bakkerij Jansen & Zn" || u.PartyID != "0106:12345678" || u.VAT != "NL123456789B01" ||
		u.Email != "" || o.CreatedAt.Sub(u.CreatedAt).Abs() >= time.Millisecond {
		t.Fatalf("updated %+v", u)
	}
	got, _ := s.Get(ctx, "NL:KVK:12345678")
	if got == nil || got.Name != "Bakkerij Jansen & Zn" {
		t.Fatalf("stored %+v", got)
	}
	events := auditActions(t, s)
	if events[len(events)-1] != "organization.update" {
		t.Fatalf("audit %v", events)
	}

	// Nothing changed: nothing written.
	if _, err := s.Update(ctx, "0106:12345678", NewOrganization{Name: "Bakkerij Jansen & Zn", PartyID: "0106:12345678", VAT: "NL123456789B01"}); err != nil {
		t.Fatal(err)
	}
	if n := len(auditActions(t, s)); n != len(events) {
		t.Errorf("an update without changes wrote %d audit events", n-len(events))
	}

	_, err = s.Update(ctx, "0106:12345678", NewOrganization{Name: "X", PartyID: "NL:KVK:87654321"})
	if koppel.ErrorCode(err) != koppel.EConflict || !strings.Contains(err.Error(), other.Name) {
		t.Errorf("taking another organization's party ID: %v", err)
	}
	if k, p := koppel.ErrorKey(err); k != "organization.party_taken" || p["name"] != "De Vries" {
		t.Errorf("key %q params %v", k, p)
	}
	_, err = s.Update(ctx, "0106:12345678", NewOrganization{Name: "", PartyID: "NL:KVK:12345678"})
	if k, _ := koppel.ErrorKey(err); koppel.ErrorCode(err) != koppel.EInvalid || k != "text.required" {
		t.Errorf("empty name: %v (key %q)", err, k)
	}
	_, err = s.Update(ctx, "77", NewOrganization{Name: "X", PartyID: "NL:KVK:11112222"})
	if k, _ := koppel.ErrorKey(err); koppel.ErrorCode(err) != koppel.ENotFound || k != "organization.not_found" {
		t.Errorf("unknown organization: %v (key %q)", err, k)
	}
	_, err = s.Add(ctx, NewOrganization{Name: "Y", PartyID: "0106:87654321"})
	if k, _ := koppel.ErrorKey(err); k != "organization.party_taken" {
		t.Errorf("adding a taken party: %v (key %q)", err, k)
	}
}

func auditActions(t *testing.T, s *Service) []string {
	t.Helper()
	var out []string
	err := s.Store.View(context.Background(), func(tx koppel.Tx) error {
		return tx.EachAuditEvent(func(e *koppel.AuditEvent) error {
			out = append(out, e.Action)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
