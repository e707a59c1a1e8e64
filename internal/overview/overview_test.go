package overview_test

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"koppel/internal/connections"
	"koppel/internal/keys"
	"koppel/internal/koppel"
	"koppel/internal/koppeltest"
	"koppel/internal/organizations"
	"koppel/internal/overview"
)

// fixture is a data folder with four organizations and five connections,
// created a minute apart (so newest first is 5, 4, 3, 2, 1):
//
//	1 jansenYuki      Yuki            Bakkerij Jansen BV           revoked (lost)
//	2 shared          Basecone        Bakkerij Jansen BV, De Vries
//	3 vriesYuki       Yuki            De Vries
//	4 jansenMultivers Exact Multivers Bakkerij Jansen BV
//	5 smitRadar       Radar           Kapsalon Smit                revoked (lost)
//
// Jansen's party ID is written SCHEME:TYPE:VALUE, De Vries' as ICD:VALUE;
// Leeg has no connections.
type fixture struct {
	w  *koppeltest.World
	ix *overview.Index

	jansen, devries, smit, leeg *koppel.Organization
	yuki, basecone, multivers   int64
	radar                       int64
	c                           map[string]*koppel.Connection
}

const (
	jansenYuki      = "jansenYuki"
	shared          = "shared"
	vriesYuki       = "vriesYuki"
	jansenMultivers = "jansenMultivers"
	smitRadar       = "smitRadar"
)

func newFixture(t *testing.T) *fixture {
	t.Helper()
	w := koppeltest.New(t)
	// App Keys from a fixed seed: a random one can never happen to hold a
	// word a test searches for and make it pass or fail by chance.
	w.Conns.Keys = keys.Generator{Rand: rand.NewChaCha8([32]byte{1})}
	f := &fixture{w: w, ix: overview.New(w.DB), c: map[string]*koppel.Connection{}}
	f.jansen = w.Org("Bakkerij Jansen BV", "NL:KVK:12345678")
	f.devries = w.Org("De Vries", "0106:87654321")
	f.smit = w.Org("Kapsalon Smit", "NL:VAT:NL123456789B01")
	f.leeg = w.Org("Leeg", "NL:KVK:11112222")
	f.yuki, f.basecone, f.multivers, f.radar = softwareID(t, w, "yuki"), softwareID(t, w, "basecone"),
		softwareID(t, w, "exact-multivers"), softwareID(t, w, "radar")
	for _, c := range []struct {
		name, software string
		orgs           []string
	}{
		{jansenYuki, "yuki", []string{"NL:KVK:12345678"}},
		{shared, "basecone", []string{"NL:KVK:12345678", "0106:87654321"}},
		{vriesYuki, "yuki", []string{"0106:87654321"}},
		{jansenMultivers, "exact-multivers", []string{"NL:KVK:12345678"}},
		{smitRadar, "radar", []string{"NL:VAT:NL123456789B01"}},
	} {
		w.Tick(time.Minute)
		f.c[c.name] = w.Create(c.orgs[0], c.software, c.orgs[1:]...).Connection
	}
	w.Tick(time.Minute)
	f.revoke(t, jansenYuki)
	f.revoke(t, smitRadar)
	return f
}

func softwareID(t *testing.T, w *koppeltest.World, slug string) int64 {
	t.Helper()
	s, err := w.Orgs.GetSoftware(w.Ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	return s.ID
}

// revoke revokes the named connection and keeps its new state.
func (f *fixture) revoke(t *testing.T, name string) {
	t.Helper()
	c, err := f.w.Conns.Revoke(f.w.Ctx, f.c[name].AppKey, koppel.ReasonLost)
	if err != nil {
		t.Fatal(err)
	}
	f.c[name] = c
}

func (f *fixture) window(t *testing.T, q overview.Query) *overview.Window {
	t.Helper()
	w, err := f.ix.Window(f.w.Ctx, q)
	if err != nil {
		t.Fatalf("Window(%+v): %v", q, err)
	}
	return w
}

// names are the fixture's names of rows, in their order.
func (f *fixture) names(rows []overview.Row) []string {
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		name := "?"
		for n, c := range f.c {
			if c.ID == r.ID {
				name = n
			}
		}
		out = append(out, name)
	}
	return out
}

func TestWindowFiltersSearchesAndScopes(t *testing.T) {
	f := newFixture(t)
	all := []string{smitRadar, jansenMultivers, vriesYuki, shared, jansenYuki}
	jansens := []string{jansenMultivers, shared, jansenYuki}
	vries := []string{vriesYuki, shared}
	everyPackage := []int64{f.basecone, f.multivers, f.yuki, f.radar}
	slices.Sort(everyPackage)
	jansenPackages := []int64{f.basecone, f.multivers, f.yuki}
	slices.Sort(jansenPackages)
	vriesPackages := []int64{f.basecone, f.yuki}
	slices.Sort(vriesPackages)

	for _, tc := range []struct {
		name     string
		q        overview.Query
		want     []string
		total    int
		packages []int64
	}{
		{"everything", overview.Query{}, all, 5, everyPackage},
		{"one organization's", overview.Query{OrganizationID: f.jansen.ID}, jansens, 3, jansenPackages},
		{"a shared connection shows under its other organization too", overview.Query{OrganizationID: f.devries.ID}, vries, 2, vriesPackages},
		{"an organization without connections", overview.Query{OrganizationID: f.leeg.ID}, nil, 0, nil},
		{"an unknown organization", overview.Query{OrganizationID: 9999}, nil, 0, nil},

		{"revoked", overview.Query{Status: koppel.StatusRevoked}, []string{smitRadar, jansenYuki}, 5, everyPackage},
		{"active", overview.Query{Status: koppel.StatusActive}, []string{jansenMultivers, vriesYuki, shared}, 5, everyPackage},
		{"one organization's revoked: the scope's packages stay", overview.Query{OrganizationID: f.jansen.ID, Status: koppel.StatusRevoked},
			[]string{jansenYuki}, 3, jansenPackages},
		{"one organization's active", overview.Query{OrganizationID: f.jansen.ID, Status: koppel.StatusActive},
			[]string{jansenMultivers, shared}, 3, jansenPackages},
		{"one package", overview.Query{SoftwareID: f.yuki}, []string{vriesYuki, jansenYuki}, 5, everyPackage},
		{"one organization's of one package", overview.Query{OrganizationID: f.devries.ID, SoftwareID: f.yuki},
			[]string{vriesYuki}, 2, vriesPackages},
		{"a package the organization has none of", overview.Query{OrganizationID: f.jansen.ID, SoftwareID: f.radar}, nil, 3, jansenPackages},
		{"package and status", overview.Query{SoftwareID: f.yuki, Status: koppel.StatusActive}, []string{vriesYuki}, 5, everyPackage},

		{"search: package name", overview.Query{Search: "yuki"}, []string{vriesYuki, jansenYuki}, 5, everyPackage},
		{"search: any case", overview.Query{Search: "YuKi"}, []string{vriesYuki, jansenYuki}, 5, everyPackage},
		{"search: two words of one package name", overview.Query{Search: "multivers exact"}, []string{jansenMultivers}, 5, everyPackage},
		{"search: every word must match", overview.Query{Search: "yuki vries"}, []string{vriesYuki}, 5, everyPackage},
		{"search: spaces and case around the words", overview.Query{Search: "  YUKI \t  jansen "}, []string{jansenYuki}, 5, everyPackage},
		{"search: no row has both", overview.Query{Search: "yuki basecone"}, nil, 5, everyPackage},
		{"search: nothing matches", overview.Query{Search: "bakker smit"}, nil, 5, everyPackage},
		{"search: only spaces is no search", overview.Query{Search: "   "}, all, 5, everyPackage},
		{"search: organization name", overview.Query{Search: "bakkerij"}, jansens, 5, everyPackage},
		{"search: part of an organization name", overview.Query{Search: "vrie"}, vries, 5, everyPackage},
		{"search: the names of both organizations of a shared key", overview.Query{Search: "jansen vries"}, []string{shared}, 5, everyPackage},
		{"search: party ID written SCHEME:TYPE:VALUE", overview.Query{Search: "nl:kvk:12345678"}, jansens, 5, everyPackage},
		{"search: party ID written ICD:VALUE", overview.Query{Search: "0106:87654321"}, vries, 5, everyPackage},
		{"search: party ID in the other notation", overview.Query{Search: "0106:12345678"}, jansens, 5, everyPackage},
		{"search: party ID in capitals", overview.Query{Search: "NL:VAT:NL123456789B01"}, []string{smitRadar}, 5, everyPackage},
		{"search: the number of a party ID", overview.Query{Search: "87654321"}, vries, 5, everyPackage},
		{"search: App Key", overview.Query{Search: f.c[vriesYuki].AppKey}, []string{vriesYuki}, 5, everyPackage},
		{"search: App Key in another case", overview.Query{Search: strings.ToUpper(f.c[shared].AppKey)}, []string{shared}, 5, everyPackage},
		{"search: part of an App Key", overview.Query{Search: f.c[jansenYuki].AppKey[5:14]}, []string{jansenYuki}, 5, everyPackage},
		{"search: what every App Key starts with", overview.Query{Search: "AK_"}, all, 5, everyPackage},

		{"search within an organization", overview.Query{OrganizationID: f.devries.ID, Search: "yuki"}, []string{vriesYuki}, 2, vriesPackages},
		{"search within an organization finds its shared key by the other's name",
			overview.Query{OrganizationID: f.devries.ID, Search: "bakkerij"}, []string{shared}, 2, vriesPackages},
		{"search within an organization never leaves it", overview.Query{OrganizationID: f.devries.ID, Search: "smit"}, nil, 2, vriesPackages},
		{"search, status and package together", overview.Query{Status: koppel.StatusRevoked, SoftwareID: f.yuki, Search: "jansen"},
			[]string{jansenYuki}, 5, everyPackage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.Limit = 100
			got := f.window(t, tc.q)
			if names := f.names(got.Rows); !slices.Equal(names, tc.want) {
				t.Errorf("rows = %v, want %v", names, tc.want)
			}
			if got.Total != tc.total || got.Matched != len(tc.want) || got.Offset != 0 {
				t.Errorf("total %d, matched %d, offset %d; want %d, %d, 0", got.Total, got.Matched, got.Offset, tc.total, len(tc.want))
			}
			if !slices.Equal(got.SoftwareIDs, tc.packages) {
				t.Errorf("packages = %v, want %v", got.SoftwareIDs, tc.packages)
			}
		})
	}
}

func TestWindowRowsAreTheConnections(t *testing.T) {
	f := newFixture(t)
	got := f.window(t, overview.Query{Limit: 10})
	if len(got.Rows) != len(f.c) {
		t.Fatalf("%d rows, want %d", len(got.Rows), len(f.c))
	}
	for _, r := range got.Rows {
		c := f.c[f.names([]overview.Row{r})[0]]
		want := overview.Row{ID: c.ID, AppKey: c.AppKey, SoftwareID: c.Software.ID, OrganizationIDs: c.OrganizationIDs,
			Status: c.Status, CreatedAt: c.CreatedAt.UnixMilli(), RevokedReason: c.RevokedReason}
		if c.RevokedAt != nil {
			want.RevokedAt = c.RevokedAt.UnixMilli()
		}
		if r.ID != want.ID || r.AppKey != want.AppKey || r.SoftwareID != want.SoftwareID ||
			!slices.Equal(r.OrganizationIDs, want.OrganizationIDs) || r.Status != want.Status ||
			r.CreatedAt != want.CreatedAt || r.RevokedAt != want.RevokedAt || r.RevokedReason != want.RevokedReason ||
			r.ReplacedByID != 0 || r.LastUsedAt != 0 {
			t.Errorf("row = %+v\nwant %+v", r, want)
		}
	}
	// The fixture's own facts, so the comparison above cannot pass on
	// empty values.
	sharedRow := got.Rows[3]
	if !slices.Equal(sharedRow.OrganizationIDs, []int64{f.jansen.ID, f.devries.ID}) || sharedRow.Status != koppel.StatusActive ||
		sharedRow.CreatedAt != koppeltest.Start.Add(2*time.Minute).UnixMilli() {
		t.Errorf("the shared row = %+v", sharedRow)
	}
	revoked := got.Rows[4]
	if revoked.Status != koppel.StatusRevoked || revoked.RevokedReason != koppel.ReasonLost ||
		revoked.RevokedAt != koppeltest.Start.Add(6*time.Minute).UnixMilli() {
		t.Errorf("the revoked row = %+v", revoked)
	}

	// What a window returns is the caller's: changing it changes no later
	// answer.
	sharedRow.OrganizationIDs[0] = -1
	got.SoftwareIDs[0] = -1
	again := f.window(t, overview.Query{Limit: 10})
	if again.Rows[3].OrganizationIDs[0] != f.jansen.ID || again.SoftwareIDs[0] == -1 {
		t.Errorf("a caller's change reached the index: %+v, packages %v", again.Rows[3], again.SoftwareIDs)
	}
}

func TestWindowOffsetAndLimit(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		name       string
		q          overview.Query
		want       []string
		matched    int
		wantOffset int
	}{
		{"the first page", overview.Query{Limit: 2}, []string{smitRadar, jansenMultivers}, 5, 0},
		{"the second page", overview.Query{Offset: 2, Limit: 2}, []string{vriesYuki, shared}, 5, 2},
		{"the last page, partly full", overview.Query{Offset: 4, Limit: 2}, []string{jansenYuki}, 5, 4},
		{"a limit beyond the end", overview.Query{Offset: 3, Limit: 100}, []string{shared, jansenYuki}, 5, 3},
		{"exactly to the end", overview.Query{Offset: 3, Limit: 2}, []string{shared, jansenYuki}, 5, 3},
		{"an offset at the end", overview.Query{Offset: 5, Limit: 2}, nil, 5, 5},
		{"an offset past the end is the end", overview.Query{Offset: 50, Limit: 2}, nil, 5, 5},
		{"a negative offset is the start", overview.Query{Offset: -3, Limit: 2}, []string{smitRadar, jansenMultivers}, 5, 0},
		{"limit 0 counts without rows", overview.Query{Limit: 0}, nil, 5, 0},
		{"a negative limit counts without rows", overview.Query{Offset: 1, Limit: -1}, nil, 5, 1},
		{"a page of the filtered rows", overview.Query{OrganizationID: f.jansen.ID, Offset: 1, Limit: 1}, []string{shared}, 3, 1},
		{"the last of the filtered rows", overview.Query{OrganizationID: f.jansen.ID, Offset: 2, Limit: 5}, []string{jansenYuki}, 3, 2},
		{"past the end of the filtered rows", overview.Query{Status: koppel.StatusRevoked, Offset: 3, Limit: 5}, nil, 2, 2},
		{"nothing matches: offset 0", overview.Query{Search: "nothing", Offset: 7, Limit: 5}, nil, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := f.window(t, tc.q)
			if names := f.names(got.Rows); !slices.Equal(names, tc.want) {
				t.Errorf("rows = %v, want %v", names, tc.want)
			}
			total := 5
			if tc.q.OrganizationID == f.jansen.ID {
				total = 3
			}
			if got.Total != total || got.Matched != tc.matched || got.Offset != tc.wantOffset {
				t.Errorf("total %d, matched %d, offset %d; want %d, %d, %d",
					got.Total, got.Matched, got.Offset, total, tc.matched, tc.wantOffset)
			}
		})
	}
}

func TestWindowNewestFirst(t *testing.T) {
	w := koppeltest.New(t)
	w.Org("Bakkerij Jansen BV", "NL:KVK:12345678")
	create := func() int64 { return w.Create("NL:KVK:12345678", "yuki").Connection.ID }
	w.Tick(time.Hour)
	a := create()
	w.Tick(time.Hour)
	b := create()
	c := create() // at the same time as b: the later one is newer
	w.Tick(-3 * time.Hour)
	d := create() // made last, but dated first (the clock was set back)
	w.Tick(5 * time.Hour)
	e := create()

	ix := overview.New(w.DB)
	got, err := ix.Window(w.Ctx, overview.Query{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range got.Rows {
		ids = append(ids, r.ID)
	}
	if want := []int64{e, c, b, a, d}; !slices.Equal(ids, want) {
		t.Errorf("order = %v, want %v (newest first, then the higher id)", ids, want)
	}
	// Pages keep that order.
	var paged []int64
	for off := 0; off < 5; off += 2 {
		page, err := ix.Window(w.Ctx, overview.Query{Offset: off, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Rows {
			paged = append(paged, r.ID)
		}
	}
	if !slices.Equal(paged, ids) {
		t.Errorf("paged order = %v, want %v", paged, ids)
	}
}

func TestWindowRefusesAnUnknownStatus(t *testing.T) {
	f := newFixture(t)
	_, err := f.ix.Window(f.w.Ctx, overview.Query{Status: "pending", Limit: 10})
	if koppel.ErrorCode(err) != koppel.EInvalid {
		t.Fatalf("status pending: %v, want invalid", err)
	}
	if key, _ := koppel.ErrorKey(err); key != "connection.status" {
		t.Errorf("key = %q", key)
	}
}

func TestListsHoldEveryOrganizationAndPackage(t *testing.T) {
	f := newFixture(t)
	if _, err := f.w.Conns.EndPartnership(f.w.Ctx, "0106:87654321"); err != nil {
		t.Fatal(err)
	}
	f.ix.Invalidate()
	lists, _, err := f.ix.First(f.w.Ctx, overview.Query{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range lists.Organizations {
		names = append(names, o.Name)
		if o.ID == f.devries.ID && o.EndedAt == nil {
			t.Errorf("De Vries is not ended: %+v", o)
		}
	}
	slices.Sort(names)
	if want := []string{"Bakkerij Jansen BV", "De Vries", "Kapsalon Smit", "Leeg"}; !slices.Equal(names, want) {
		t.Errorf("organizations = %v, want %v (ended ones too)", names, want)
	}
	if len(lists.Software) != 8 {
		t.Errorf("%d packages, want the catalog's 8", len(lists.Software))
	}
	// An ended organization's own (now revoked) connection is still found
	// by its name; the shared one no longer serves it and is not.
	got := f.window(t, overview.Query{Search: "vries", Limit: 10})
	if names := f.names(got.Rows); !slices.Equal(names, []string{vriesYuki}) {
		t.Fatalf("search for an ended organization = %v", names)
	}
	if r := got.Rows[0]; r.Status != koppel.StatusRevoked || r.RevokedReason != koppel.ReasonPartnership {
		t.Errorf("De Vries' own key after the partnership ended: %+v", r)
	}
	scope := f.window(t, overview.Query{OrganizationID: f.devries.ID, Limit: 10})
	if names := f.names(scope.Rows); !slices.Equal(names, []string{vriesYuki}) || scope.Total != 1 {
		t.Errorf("De Vries' connections after the end = %v of %d", names, scope.Total)
	}
	sharedRow := f.window(t, overview.Query{Search: f.c[shared].AppKey, Limit: 10})
	if len(sharedRow.Rows) != 1 || !slices.Equal(sharedRow.Rows[0].OrganizationIDs, []int64{f.jansen.ID}) {
		t.Errorf("the shared key after the end = %+v", sharedRow.Rows)
	}
}

// A store that cannot tell when it changed: only Invalidate can.
func TestInvalidateReadsTheChanges(t *testing.T) {
	f := newFixture(t)
	w := f.w
	f.ix = overview.New(struct{ koppel.Store }{w.DB})
	all := overview.Query{Limit: 10}
	active := overview.Query{Status: koppel.StatusActive, Limit: 10}
	if got := f.window(t, all); got.Total != 5 {
		t.Fatalf("total %d", got.Total)
	}
	if got := f.window(t, active); got.Matched != 3 {
		t.Fatalf("active: %d", got.Matched)
	}

	// A new connection: unseen until Invalidate, then first.
	w.Tick(time.Minute)
	f.c["new"] = w.Create("NL:KVK:11112222", "whitevision").Connection
	if got := f.window(t, all); got.Total != 5 || got.Rows[0].ID == f.c["new"].ID {
		t.Fatalf("the index read the store again without Invalidate: %+v", got)
	}
	f.ix.Invalidate()
	got := f.window(t, all)
	if got.Total != 6 || got.Matched != 6 || got.Rows[0].ID != f.c["new"].ID {
		t.Fatalf("after Invalidate: total %d, rows %v", got.Total, f.names(got.Rows))
	}
	if leeg := f.window(t, overview.Query{OrganizationID: f.leeg.ID, Limit: 10}); leeg.Total != 1 ||
		!slices.Equal(leeg.SoftwareIDs, []int64{softwareID(t, w, "whitevision")}) {
		t.Errorf("Leeg after its first connection: %+v", leeg)
	}

	// The same question as before the change gets the new answer, not the
	// one it had last time.
	f.window(t, active)
	w.Tick(time.Minute)
	f.revoke(t, vriesYuki)
	if got := f.window(t, active); !slices.Contains(f.names(got.Rows), vriesYuki) {
		t.Fatalf("the index read the store again without Invalidate: %v", f.names(got.Rows))
	}
	f.ix.Invalidate()
	if got := f.window(t, active); slices.Contains(f.names(got.Rows), vriesYuki) || got.Matched != 3 {
		t.Errorf("active after a revoke = %v", f.names(got.Rows))
	}

	// Replaced: the old row names its successor, the new one comes first
	// with both organizations.
	w.Tick(time.Minute)
	issued, old, err := w.Conns.Replace(w.Ctx, f.c[shared].AppKey, koppel.ReasonRoutine)
	if err != nil {
		t.Fatal(err)
	}
	f.c["replacement"] = issued.Connection
	f.ix.Invalidate()
	got = f.window(t, overview.Query{OrganizationID: f.devries.ID, Limit: 10})
	if names := f.names(got.Rows); !slices.Equal(names, []string{"replacement", vriesYuki, shared}) {
		t.Fatalf("De Vries after a replace = %v", names)
	}
	if r := got.Rows[2]; r.ID != old.ID || r.Status != koppel.StatusRevoked || r.ReplacedByID != issued.Connection.ID {
		t.Errorf("the replaced row = %+v", r)
	}
	if r := got.Rows[0]; !slices.Equal(r.OrganizationIDs, []int64{f.jansen.ID, f.devries.ID}) || r.Status != koppel.StatusActive {
		t.Errorf("the replacement = %+v", r)
	}

	// Deleted: gone.
	if _, err := w.Conns.Delete(w.Ctx, f.c[jansenYuki].AppKey); err != nil {
		t.Fatal(err)
	}
	f.ix.Invalidate()
	if got := f.window(t, overview.Query{Search: "yuki", Limit: 10}); !slices.Equal(f.names(got.Rows), []string{vriesYuki}) {
		t.Errorf("yuki after a delete = %v", f.names(got.Rows))
	}

	// A renamed organization, and a new one, are searched by their new
	// names; the lists hold them.
	if _, err := w.Orgs.Update(w.Ctx, "NL:KVK:11112222", organizations.NewOrganization{Name: "Bloemen Groot", PartyID: "NL:KVK:11112222"}); err != nil {
		t.Fatal(err)
	}
	w.Org("Garage Bos", "NL:KVK:33334444")
	if got := f.window(t, overview.Query{Search: "groot", Limit: 10}); got.Matched != 0 {
		t.Fatalf("the index read the store again without Invalidate: %v", f.names(got.Rows))
	}
	f.ix.Invalidate()
	if got := f.window(t, overview.Query{Search: "groot", Limit: 10}); !slices.Equal(f.names(got.Rows), []string{"new"}) {
		t.Errorf("search by the new name = %v", f.names(got.Rows))
	}
	if got := f.window(t, overview.Query{Search: "leeg", Limit: 10}); got.Matched != 0 {
		t.Errorf("the old name still matches %v", f.names(got.Rows))
	}
	lists, _, err := f.ix.First(w.Ctx, overview.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(lists.Organizations) != 5 {
		t.Errorf("%d organizations after adding one, want 5", len(lists.Organizations))
	}
}

// First answers the start of the whole list as the index would, without
// reading every connection, until something needs the index.
func TestFirstShowsTheStartBeforeTheIndexIsRead(t *testing.T) {
	f := newFixture(t)
	ctx := f.w.Ctx
	store := &koppeltest.CountingStore{Store: f.w.DB}
	ix := overview.New(store)
	start := overview.Query{Limit: 3}
	// The answers of an index that is read, over the same data.
	want := f.window(t, start)
	wantLists, _, err := f.ix.First(ctx, overview.Query{})
	if err != nil {
		t.Fatal(err)
	}
	first := func(q overview.Query) (overview.Lists, *overview.Window) {
		t.Helper()
		lists, w, err := ix.First(ctx, q)
		if err != nil {
			t.Fatalf("First(%+v): %v", q, err)
		}
		return lists, w
	}

	lists, got := first(start)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("First before the index is read:\n got %+v\nwant %+v", got, want)
	}
	if !reflect.DeepEqual(lists, wantLists) {
		t.Errorf("lists = %+v, want %+v", lists, wantLists)
	}
	if n := store.Listings.Load(); n != 0 {
		t.Fatalf("First read every connection (%d times)", n)
	}
	// Asked again, or for fewer rows, it reads nothing; what it answered
	// is the caller's to change.
	views := store.Views.Load()
	got.Rows[0].OrganizationIDs[0] = -1
	if _, again := first(start); !reflect.DeepEqual(again, want) {
		t.Errorf("asked again: %+v", again)
	}
	if _, two := first(overview.Query{Limit: 2}); !reflect.DeepEqual(two.Rows, want.Rows[:2]) || two.Total != 5 {
		t.Errorf("two rows: %+v", two)
	}
	if n := store.Views.Load(); n != views {
		t.Fatalf("asked again, First read the store %d more times", n-views)
	}
	// More rows than it read: it reads the start again, still not the rest.
	if _, all := first(overview.Query{Limit: 10}); !reflect.DeepEqual(all, f.window(t, overview.Query{Limit: 10})) {
		t.Errorf("ten rows: %+v", all)
	}
	if store.Views.Load() != views+1 || store.Listings.Load() != 0 {
		t.Fatalf("ten rows: %d more reads, %d of every connection; want 1, 0", store.Views.Load()-views, store.Listings.Load())
	}

	// A filter, a search or a later part needs the index: First reads it
	// and answers as Window. (Invalidate: the index it read for the last
	// question is not current for the next.)
	for i, q := range []overview.Query{
		{Status: koppel.StatusActive, Limit: 10}, {Search: "yuki", Limit: 10}, {Offset: 1, Limit: 2},
		{OrganizationID: f.jansen.ID, Limit: 10}, {SoftwareID: f.yuki, Limit: 10},
	} {
		ix.Invalidate()
		if _, w := first(q); !reflect.DeepEqual(w, f.window(t, q)) {
			t.Errorf("First(%+v) = %+v, want Window's answer", q, w)
		}
		if n := store.Listings.Load(); n != int32(i+1) {
			t.Fatalf("First(%+v): the index was read %d times in all, want %d", q, n, i+1)
		}
	}
	// Once it is read, the start comes from it.
	views = store.Views.Load()
	if _, w := first(start); !reflect.DeepEqual(w, want) || store.Views.Load() != views {
		t.Errorf("after the index was read: %+v, %d reads", w, store.Views.Load()-views)
	}
}

// What First kept is dropped when the data changes: through this window
// (Invalidate) or from another process (the database's version).
func TestFirstSeesChanges(t *testing.T) {
	f := newFixture(t)
	ctx := f.w.Ctx
	start := overview.Query{Limit: 2}
	firstRows := func() (int, []overview.Row) {
		t.Helper()
		_, w, err := f.ix.First(ctx, start)
		if err != nil {
			t.Fatal(err)
		}
		return w.Total, w.Rows
	}
	if total, _ := firstRows(); total != 5 {
		t.Fatalf("total %d", total)
	}
	f.w.Tick(time.Minute)
	made := f.w.Create("NL:KVK:11112222", "whitevision").Connection
	f.ix.Invalidate()
	if total, rows := firstRows(); total != 6 || rows[0].ID != made.ID {
		t.Fatalf("after Invalidate: total %d, first %d; want 6, %d", total, rows[0].ID, made.ID)
	}
	other := koppeltest.Open(t, f.w.Dir)
	other.Tick(48 * time.Hour)
	theirs := other.Create("NL:KVK:12345678", "yuki").Connection
	if total, rows := firstRows(); total != 7 || rows[0].ID != theirs.ID {
		t.Fatalf("after another process created connection %d: total %d, first %d", theirs.ID, total, rows[0].ID)
	}
}

func TestQueriesReadTheStoreOnlyAfterInvalidate(t *testing.T) {
	f := newFixture(t)
	store := &koppeltest.CountingStore{Store: f.w.DB}
	ix := overview.New(store)
	if store.Views.Load() != 0 {
		t.Fatal("New read the store")
	}
	if err := ix.Load(f.w.Ctx); err != nil {
		t.Fatal(err)
	}
	// Keystrokes, scrolling and the lists cost no read.
	for i, q := range []overview.Query{
		{Search: "y"}, {Search: "yu"}, {Search: "yuk"}, {Search: "yuki", Offset: 1, Limit: 1},
		{OrganizationID: f.jansen.ID, Limit: 40}, {Status: koppel.StatusRevoked}, {SoftwareID: f.radar},
	} {
		if _, err := ix.Window(f.w.Ctx, q); err != nil {
			t.Fatal(err)
		}
		if _, _, err := ix.First(f.w.Ctx, overview.Query{}); err != nil {
			t.Fatal(err)
		}
		if err := ix.Load(f.w.Ctx); err != nil {
			t.Fatal(err)
		}
		if n := store.Views.Load(); n != 1 {
			t.Fatalf("after query %d the store was read %d times, want once", i, n)
		}
	}
	// Invalidate reads once more, at the next question, not before.
	ix.Invalidate()
	ix.Invalidate()
	if n := store.Views.Load(); n != 1 {
		t.Fatalf("Invalidate read the store: %d reads", n)
	}
	if _, err := ix.Window(f.w.Ctx, overview.Query{}); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Window(f.w.Ctx, overview.Query{Search: "x"}); err != nil {
		t.Fatal(err)
	}
	if n := store.Views.Load(); n != 2 {
		t.Fatalf("after Invalidate the store was read %d times in all, want 2", n)
	}
}

func TestAFailedReadIsReportedAndTriedAgain(t *testing.T) {
	f := newFixture(t)
	store := &koppeltest.CountingStore{Store: f.w.DB}
	store.Fail.Store(true)
	ix := overview.New(store)
	if err := ix.Load(f.w.Ctx); !errors.Is(err, koppeltest.ErrStoreFailed) {
		t.Fatalf("Load = %v", err)
	}
	if _, err := ix.Window(f.w.Ctx, overview.Query{Limit: 10}); !errors.Is(err, koppeltest.ErrStoreFailed) {
		t.Fatalf("Window = %v", err)
	}
	if _, _, err := ix.First(f.w.Ctx, overview.Query{}); !errors.Is(err, koppeltest.ErrStoreFailed) {
		t.Fatalf("Lists = %v", err)
	}
	store.Fail.Store(false)
	got, err := ix.Window(f.w.Ctx, overview.Query{Limit: 10})
	if err != nil || got.Total != 5 || len(got.Rows) != 5 {
		t.Fatalf("once the store answers: %+v, %v", got, err)
	}

	// A failed read after Invalidate keeps nothing stale for later: the
	// next read that works has the change.
	f.w.Create("NL:KVK:11112222", "yuki")
	ix.Invalidate()
	store.Fail.Store(true)
	if _, err := ix.Window(f.w.Ctx, overview.Query{Limit: 10}); !errors.Is(err, koppeltest.ErrStoreFailed) {
		t.Fatalf("Window after Invalidate = %v", err)
	}
	store.Fail.Store(false)
	if got, err := ix.Window(f.w.Ctx, overview.Query{Limit: 10}); err != nil || got.Total != 6 {
		t.Fatalf("after the failure: %+v, %v", got, err)
	}
}

// TestConcurrentQueriesWhileInvalidating asks many windows at once while
// connections are added and the index is invalidated; run it with -race.
// Every answer must be whole: its counts, rows and order agree, and no
// reader sees the number of connections go down.
func TestConcurrentQueriesWhileInvalidating(t *testing.T) {
	f := newFixture(t)
	const added = 30
	done := make(chan struct{})
	var writer sync.WaitGroup
	writer.Add(1)
	go func() {
		defer writer.Done()
		defer close(done)
		for i := range added {
			org := "NL:KVK:12345678"
			if i%2 == 1 {
				org = "0106:87654321"
			}
			f.w.Tick(time.Second)
			if _, err := f.w.Conns.Create(f.w.Ctx, connections.CreateRequest{Organization: org, Software: "yuki"}); err != nil {
				t.Error(err)
				return
			}
			f.ix.Invalidate()
		}
	}()

	queries := []overview.Query{
		{Limit: 3},
		{OrganizationID: f.jansen.ID, Limit: 10},
		{OrganizationID: f.devries.ID, Offset: 2, Limit: 4},
		{Status: koppel.StatusActive, Limit: 100},
		{Search: "yuki", Limit: 5},
		{Search: "jansen yuki", Offset: 1, Limit: 2},
		{SoftwareID: f.yuki, Status: koppel.StatusActive, Limit: 50},
	}
	var readers sync.WaitGroup
	for g := range 8 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			lastTotal := 0
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				q := queries[(g+i)%len(queries)]
				got, err := f.ix.Window(f.w.Ctx, q)
				if err != nil {
					t.Error(err)
					return
				}
				if msg := checkWindow(q, got); msg != "" {
					t.Errorf("Window(%+v): %s: %+v", q, msg, got)
					return
				}
				if q.OrganizationID == 0 {
					if got.Total < lastTotal {
						t.Errorf("the number of connections went from %d to %d", lastTotal, got.Total)
						return
					}
					lastTotal = got.Total
				}
				if g == 0 {
					if _, _, err := f.ix.First(f.w.Ctx, overview.Query{}); err != nil {
						t.Error(err)
						return
					}
				}
				if g == 1 {
					// The start, read alone after each Invalidate.
					_, w, err := f.ix.First(f.w.Ctx, overview.Query{Limit: 3})
					if err != nil {
						t.Error(err)
						return
					}
					if msg := checkWindow(overview.Query{Limit: 3}, w); msg != "" {
						t.Errorf("First: %s: %+v", msg, w)
						return
					}
				}
			}
		}()
	}
	writer.Wait()
	readers.Wait()

	got := f.window(t, overview.Query{Limit: 100})
	if got.Total != 5+added || len(got.Rows) != 5+added {
		t.Errorf("at the end: total %d, %d rows; want %d", got.Total, len(got.Rows), 5+added)
	}
	if j := f.window(t, overview.Query{OrganizationID: f.jansen.ID}); j.Total != 3+added/2 {
		t.Errorf("Jansen at the end: %d, want %d", j.Total, 3+added/2)
	}
}

// checkWindow says what is inconsistent in w as the answer to q, or "".
func checkWindow(q overview.Query, w *overview.Window) string {
	switch {
	case w.Matched > w.Total:
		return "more matched than in scope"
	case w.Offset != min(max(q.Offset, 0), w.Matched):
		return "wrong offset"
	case len(w.Rows) != min(max(q.Limit, 0), w.Matched-w.Offset):
		return "wrong number of rows"
	}
	for i, r := range w.Rows {
		if q.OrganizationID != 0 && !slices.Contains(r.OrganizationIDs, q.OrganizationID) ||
			q.Status != "" && r.Status != q.Status || q.SoftwareID != 0 && r.SoftwareID != q.SoftwareID {
			return "a row that does not pass the filter"
		}
		if i > 0 {
			p := w.Rows[i-1]
			if p.CreatedAt < r.CreatedAt || p.CreatedAt == r.CreatedAt && p.ID < r.ID {
				return "not newest first"
			}
		}
	}
	return ""
}

// The command line beside the window changes the database from another
// process, which sends the window no event: the database's version tells
// the index it is stale.
func TestSeesChangesOfAnotherProcess(t *testing.T) {
	f := newFixture(t)
	all := overview.Query{Limit: 10}
	if got := f.window(t, all); got.Total != 5 {
		t.Fatalf("total %d", got.Total)
	}
	other := koppeltest.Open(t, f.w.Dir)
	other.Tick(48 * time.Hour)
	made := other.Create("NL:KVK:12345678", "whitevision").Connection
	got := f.window(t, all)
	if got.Total != 6 || got.Rows[0].ID != made.ID {
		t.Fatalf("after another process created connection %d: total %d, first %d", made.ID, got.Total, got.Rows[0].ID)
	}
	if _, err := other.Conns.Revoke(other.Ctx, made.AppKey, koppel.ReasonLost); err != nil {
		t.Fatal(err)
	}
	if got := f.window(t, overview.Query{Status: koppel.StatusRevoked, Limit: 10}); got.Rows[0].ID != made.ID {
		t.Errorf("the other process's revoke is not seen: first revoked %d", got.Rows[0].ID)
	}
}
