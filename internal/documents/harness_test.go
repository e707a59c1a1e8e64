package documents_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"koppel/internal/audit"
	"koppel/internal/connections"
	"koppel/internal/documents"
	"koppel/internal/koppel"
	"koppel/internal/koppeltest"
	"koppel/internal/organizations"
	"koppel/internal/sqlite"
)

// world is a koppeltest.World with the document service, and what
// OnOffered reported.
type world struct {
	*koppeltest.World
	t     testing.TB
	ctx   context.Context
	dir   string
	db    *sqlite.DB
	orgs  *organizations.Service
	conns *connections.Service
	docs  *documents.Service
	audit *audit.Service

	mu      sync.Mutex
	offered []documents.OfferedEvent // what OnOffered reported
}

func newWorld(t testing.TB) *world {
	t.Helper()
	kw := koppeltest.New(t)
	w := &world{World: kw, t: t, ctx: kw.Ctx, dir: kw.Dir, db: kw.DB, orgs: kw.Orgs, conns: kw.Conns, audit: kw.Audit}
	w.docs = &documents.Service{Store: w.db, Now: kw.Now, Actor: "test",
		OnOffered: func(e documents.OfferedEvent) { w.mu.Lock(); w.offered = append(w.offered, e); w.mu.Unlock() }}
	return w
}

func (w *world) tick(d time.Duration) { w.Tick(d) }

// takeOffered returns and forgets what OnOffered reported.
func (w *world) takeOffered() []documents.OfferedEvent {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.offered
	w.offered = nil
	return out
}

func (w *world) org(name, party string) *koppel.Organization {
	w.t.Helper()
	return w.Org(name, party)
}

func (w *world) create(org, software string, grants ...string) *koppel.Connection {
	w.t.Helper()
	return w.Create(org, software, grants...).Connection
}

func (w *world) revoke(c *koppel.Connection) {
	w.t.Helper()
	if _, err := w.conns.Revoke(w.ctx, c.AppKey, koppel.ReasonSwitch); err != nil {
		w.t.Fatal(err)
	}
}

// link binds a connection to a new administration of the organization, as
// Quick Connect will (R7), straight through the store.
func (w *world) link(c *koppel.Connection, o *koppel.Organization, startDate string, processSales bool) *koppel.Link {
	w.t.Helper()
	var l *koppel.Link
	err := w.db.Update(w.ctx, func(tx koppel.Tx) error {
		a := &koppel.Administration{SoftwareID: c.Software.ID, OrganizationID: o.ID, Name: o.Name + " " + c.Software.Name,
			Email: "boekhouding@example.nl", CreatedAt: w.Now()}
		if err := tx.CreateAdministration(a); err != nil {
			return err
		}
		l = &koppel.Link{ConnectionID: c.ID, AdministrationID: a.ID, Email: a.Email, StartDate: startDate,
			ProcessSales: processSales, Status: koppel.StatusActive, CreatedAt: w.Now()}
		return tx.CreateLink(l)
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return l
}

// inv describes a generated invoice (koppeltest.UBL renders it).
type inv = koppeltest.Invoice

func ubl(i inv) []byte { return koppeltest.UBL(i) }

// importInv imports a generated invoice for orgRef ("" finds it).
func (w *world) importInv(orgRef string, i inv) *koppel.Document {
	w.t.Helper()
	d, err := w.docs.Import(w.ctx, orgRef, i.Number+".xml", bytes.NewReader(ubl(i)), "")
	if err != nil {
		w.t.Fatalf("import %s: %v", i.Number, err)
	}
	return d
}

// offers returns the document's offers by connection id.
func (w *world) offers(docID int64) map[int64]*koppel.Offer {
	w.t.Helper()
	_, _, offers, err := w.docs.Get(w.ctx, docID)
	if err != nil {
		w.t.Fatal(err)
	}
	m := map[int64]*koppel.Offer{}
	for _, o := range offers {
		m[o.ConnectionID] = o
	}
	return m
}

// ready returns the numbers ready for the connection.
func (w *world) ready(c *koppel.Connection, orgID int64, dir koppel.DocumentDirection) []string {
	w.t.Helper()
	list, err := w.docs.ReadyOffers(w.ctx, c.ID, orgID, dir)
	if err != nil {
		w.t.Fatalf("ready offers of connection %d: %v", c.ID, err)
	}
	out := []string{}
	for _, v := range list {
		out = append(out, v.Number)
	}
	return out
}

func (w *world) doc(id int64) (*koppel.Document, []koppel.DocumentStatusEvent) {
	w.t.Helper()
	d, events, _, err := w.docs.Get(w.ctx, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return d, events
}

func statuses(events []koppel.DocumentStatusEvent) string {
	var s []string
	for _, e := range events {
		s = append(s, string(e.Status))
	}
	return strings.Join(s, " → ")
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := koppel.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func wantKey(t testing.TB, err error, key string) {
	t.Helper()
	if got, _ := koppel.ErrorKey(err); got != key {
		t.Fatalf("error key = %q (%v), want %q", got, err, key)
	}
}

func ids(cs ...*koppel.Connection) string {
	var s []string
	for _, c := range cs {
		s = append(s, fmt.Sprint(c.ID))
	}
	return "[" + strings.Join(s, " ") + "]"
}

func connectionsRequest(org, software string) connections.CreateRequest {
	return connections.CreateRequest{Organization: org, Software: software}
}

func organizationsNew(name, party, kvk string) organizations.NewOrganization {
	return organizations.NewOrganization{Name: name, PartyID: party, KvK: kvk}
}

func contextWithCancel(w *world) (context.Context, context.CancelFunc) {
	return context.WithCancel(w.ctx)
}
