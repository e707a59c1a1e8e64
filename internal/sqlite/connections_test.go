package sqlite

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"koppel/internal/koppel"
)

// ConnectionListings tells what Connections tells, in the same order: the
// overview index reads it instead. Covered: several organizations on one
// connection, none (a pending row, left out), equal creation times (the id
// decides), revoked and replaced rows, last use and revoked-key attempts.
func TestConnectionListings_MatchConnections(t *testing.T) {
	db, ctx := seedListings(t)
	var full []*koppel.Connection
	var lean []koppel.ConnectionListing
	err := db.View(ctx, func(tx koppel.Tx) (err error) {
		if full, err = tx.Connections(koppel.ConnectionFilter{}); err != nil {
			return err
		}
		lean, err = tx.ConnectionListings()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(full) != 12 || len(lean) != len(full) {
		t.Fatalf("%d listings, %d connections; want 12", len(lean), len(full))
	}
	ms := func(t *time.Time) int64 {
		if t == nil {
			return 0
		}
		return t.UnixMilli()
	}
	for i, c := range full {
		want := koppel.ConnectionListing{ID: c.ID, AppKey: c.AppKey, SoftwareID: c.Software.ID, OrganizationIDs: c.OrganizationIDs,
			Status: c.Status, CreatedAt: c.CreatedAt.UnixMilli(), RevokedAt: ms(c.RevokedAt), RevokedReason: c.RevokedReason,
			ReplacedByID: c.ReplacedByID, LastUsedAt: ms(c.LastUsedAt), RevokedKeyAttempts: c.RevokedKeyAttempts,
			LastRevokedKeyAttemptAt: ms(c.LastRevokedKeyAttempt)}
		if !reflect.DeepEqual(lean[i], want) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, lean[i], want)
		}
	}
	var attempts, replaced, shared, used bool
	for _, l := range lean {
		attempts = attempts || l.RevokedKeyAttempts == 1 && l.LastRevokedKeyAttemptAt != 0
		replaced = replaced || l.ReplacedByID != 0 && l.RevokedAt != 0 && l.RevokedReason == "lost"
		shared = shared || len(l.OrganizationIDs) == 2
		used = used || l.LastUsedAt != 0
	}
	if !attempts || !replaced || !shared || !used {
		t.Fatalf("the data lacks a case: attempts %v, replaced %v, shared %v, used %v", attempts, replaced, shared, used)
	}
}

// NewestConnectionListings is the start of ConnectionListings, whatever the
// limit, with the count and the packages of them all: the pending row, the
// newest by time, is left out of all three.
func TestNewestConnectionListings_AreTheStartOfTheListings(t *testing.T) {
	db, ctx := seedListings(t)
	var all []koppel.ConnectionListing
	heads := map[int]koppel.ListingsHead{}
	err := db.View(ctx, func(tx koppel.Tx) (err error) {
		if all, err = tx.ConnectionListings(); err != nil {
			return err
		}
		for _, limit := range []int{0, 1, 2, 5, 12, 40} {
			if heads[limit], err = tx.NewestConnectionListings(limit); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var software []int64
	for _, l := range all {
		if !slices.Contains(software, l.SoftwareID) {
			software = append(software, l.SoftwareID)
		}
	}
	slices.Sort(software)
	if len(software) != 2 {
		t.Fatalf("the data has %d packages, want 2", len(software))
	}
	for limit, head := range heads {
		want := all[:min(limit, len(all))]
		if len(head.Newest) != len(want) || len(want) > 0 && !reflect.DeepEqual(head.Newest, want) {
			t.Errorf("limit %d: newest\n got %+v\nwant %+v", limit, head.Newest, want)
		}
		if head.Total != len(all) || !slices.Equal(head.SoftwareIDs, software) {
			t.Errorf("limit %d: total %d, packages %v; want %d, %v", limit, head.Total, head.SoftwareIDs, len(all), software)
		}
	}
}

// seedListings returns a database with three organizations and twelve
// connections, three per minute, one of them revoked and replaced, one used,
// one with a revoked-key attempt, some granted to two organizations, and a
// pending one.
func seedListings(t *testing.T) (*DB, context.Context) {
	t.Helper()
	db := openTest(t)
	ctx := context.Background()
	base := time.UnixMilli(1_760_000_000_000).UTC()
	err := db.Update(ctx, func(tx koppel.Tx) error {
		yuki, err := tx.SoftwareBySlugOrName("yuki")
		if err != nil {
			return err
		}
		basecone, err := tx.SoftwareBySlugOrName("basecone")
		if err != nil {
			return err
		}
		var orgs []int64
		for i := range 3 {
			o := &koppel.Organization{Name: fmt.Sprintf("Org %d", i), PartyID: koppel.PartyID(fmt.Sprintf("NL:KVK:%08d", 12345670+i)), CreatedAt: base}
			if err := tx.CreateOrganization(o); err != nil {
				return err
			}
			orgs = append(orgs, o.ID)
		}
		var ids []int64
		for i := range 12 {
			sw := *yuki
			if i%3 == 0 {
				sw = *basecone
			}
			c := &koppel.Connection{AppKey: fmt.Sprintf("ak_Test%015d", i), Software: sw,
				OrganizationIDs: []int64{orgs[2], orgs[i%2]}[:1+i%2], Status: koppel.StatusActive,
				CreatedAt: base.Add(time.Duration(i/3) * time.Minute)} // three per minute: the id decides
			if err := tx.CreateConnection(c, []byte("verifier-bytes-of-32-bytes-long!")); err != nil {
				return err
			}
			ids = append(ids, c.ID)
		}
		if err := tx.RevokeConnection(ids[1], base.Add(time.Hour), "lost", ids[2]); err != nil {
			return err
		}
		if err := tx.TouchConnection(ids[3], base.Add(2*time.Hour)); err != nil {
			return err
		}
		if err := tx.CountRevokedKeyAttempt(ids[1], base.Add(3*time.Hour)); err != nil {
			return err
		}
		// Pending, of a package no other connection uses.
		radar, err := tx.SoftwareBySlugOrName("radar")
		if err != nil {
			return err
		}
		return tx.CreateConnection(&koppel.Connection{AppKey: "ak_Pending000000000000", Software: *radar,
			OrganizationIDs: []int64{orgs[0]}, Status: "pending", CreatedAt: base.Add(time.Hour)}, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	return db, ctx
}
