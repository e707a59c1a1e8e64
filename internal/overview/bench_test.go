package overview_test

import (
	"fmt"
	"testing"

	"koppel/internal/koppel"
	"koppel/internal/koppeltest"
	"koppel/internal/overview"
)

// BenchmarkOverviewSearch answers one keystroke in the overview's search
// box over 10,000 connections of 1,000 organizations: every row's text
// scanned for the words, the matches counted, the first screenful cut. Each
// iteration asks something other than the one before, so none is answered
// from the last query's matches. Target ≤ 50 ms (the keystroke budget).
func BenchmarkOverviewSearch(b *testing.B) {
	w := seed10k(b)
	ix := overview.New(w.DB)
	if err := ix.Load(w.Ctx); err != nil {
		b.Fatal(err)
	}
	// Typing "yuki organisatie 12", a word that matches every row, and one
	// that matches none.
	searches := []string{"y", "yu", "yuk", "yuki", "yuki o", "yuki organisatie", "yuki organisatie 1", "yuki organisatie 12",
		"ak_", "nergens"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		got, err := ix.Window(w.Ctx, overview.Query{Search: searches[i%len(searches)], Limit: 40})
		if err != nil || got.Total != 10000 {
			b.Fatalf("search: %+v, %v", got, err)
		}
	}
}

// BenchmarkOverviewFirst answers the window's first screen (the newest 40
// of 10,000 connections, their count and packages, every organization)
// before the index is read, as the window's startup does (Index.First).
// Each iteration reads it again from the database.
func BenchmarkOverviewFirst(b *testing.B) {
	w := seed10k(b)
	ix := overview.New(w.DB)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ix.Invalidate()
		lists, got, err := ix.First(w.Ctx, overview.Query{Limit: 40})
		if err != nil || got.Total != 10000 || len(got.Rows) != 40 || len(lists.Organizations) != 1000 {
			b.Fatalf("first: %v, %v", got, err)
		}
	}
}

// BenchmarkOverviewLoad reads the whole index of 10,000 connections, what
// the window does once its first screen is up.
func BenchmarkOverviewLoad(b *testing.B) {
	w := seed10k(b)
	ix := overview.New(w.DB)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ix.Invalidate()
		if err := ix.Load(w.Ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// seed10k returns a data folder with 1,000 organizations of 10 connections
// each, over four packages.
func seed10k(b *testing.B) *koppeltest.World {
	b.Helper()
	w := koppeltest.New(b)
	verifier := make([]byte, 32)
	err := w.DB.Update(w.Ctx, func(tx koppel.Tx) error {
		var sw []*koppel.Software
		for _, slug := range []string{"yuki", "basecone", "exact-multivers", "whitevision"} {
			s, err := tx.SoftwareBySlugOrName(slug)
			if err != nil {
				return err
			}
			sw = append(sw, s)
		}
		for i := range 1000 {
			o := &koppel.Organization{Name: fmt.Sprintf("Organisatie %d BV", i),
				PartyID: koppel.PartyID(fmt.Sprintf("NL:KVK:%08d", 10000000+i)), CreatedAt: w.Now()}
			if err := tx.CreateOrganization(o); err != nil {
				return err
			}
			for j := range 10 {
				n := i*10 + j
				c := &koppel.Connection{AppKey: fmt.Sprintf("ak_%020d", n), Software: *sw[n%len(sw)],
					OrganizationIDs: []int64{o.ID}, Status: koppel.StatusActive, CreatedAt: w.Now()}
				if err := tx.CreateConnection(c, verifier); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return w
}
