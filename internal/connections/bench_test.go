package connections_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"koppel/internal/connections"
	"koppel/internal/koppel"
)

// seed puts orgs organizations with perOrg connections each into w, in one
// transaction, straight through the store.
func seed(b *testing.B, w *world, orgs, perOrg int) []int64 {
	b.Helper()
	var ids []int64
	verifier := make([]byte, 32)
	err := w.db.Update(w.ctx, func(tx koppel.Tx) error {
		sw, err := tx.SoftwareBySlugOrName("yuki")
		if err != nil {
			return err
		}
		for i := range orgs {
			o := &koppel.Organization{Name: fmt.Sprintf("Org %d", i), PartyID: koppel.PartyID(fmt.Sprintf("NL:KVK:%08d", 10000000+i)), CreatedAt: w.Now()}
			if err := tx.CreateOrganization(o); err != nil {
				return err
			}
			ids = append(ids, o.ID)
			for j := range perOrg {
				c := &koppel.Connection{AppKey: fmt.Sprintf("ak_%020d", i*perOrg+j), Software: *sw,
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
	return ids
}

// BenchmarkCreate measures issuing one connection: key generation, verifier,
// one synchronous transaction with its audit event. Target: median ≤ 1 ms.
func BenchmarkCreate(b *testing.B) {
	w := newWorld(b)
	seed(b, w, 100, 10)
	var times []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		_, err := w.conns.Create(w.ctx, connections.CreateRequest{Organization: "NL:KVK:10000042", Software: "yuki"})
		times = append(times, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
	}
	reportMedian(b, times)
}

// BenchmarkListByOrganization lists one organization's connections in a
// database of 10,000 connections over 1,000 organizations. Target ≤ 15 ms.
func BenchmarkListByOrganization(b *testing.B) {
	w := newWorld(b)
	ids := seed(b, w, 1000, 10)
	var times []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		list, err := w.conns.List(w.ctx, koppel.ConnectionFilter{OrganizationID: ids[i%len(ids)]})
		times = append(times, time.Since(start))
		if err != nil || len(list) != 10 {
			b.Fatalf("list: %d, %v", len(list), err)
		}
	}
	reportMedian(b, times)
}

// BenchmarkListAll lists all 10,000 connections (the overview's worst case).
func BenchmarkListAll(b *testing.B) {
	w := newWorld(b)
	seed(b, w, 1000, 10)
	var times []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		list, err := w.conns.List(w.ctx, koppel.ConnectionFilter{})
		times = append(times, time.Since(start))
		if err != nil || len(list) != 10000 {
			b.Fatalf("list: %d, %v", len(list), err)
		}
	}
	reportMedian(b, times)
}

// BenchmarkReconcile reconciles a database of 10,000 connections, a tenth of
// them revoked. Target ≤ 200 ms.
func BenchmarkReconcile(b *testing.B) {
	w := newWorld(b)
	seed(b, w, 1000, 10)
	err := w.db.Update(w.ctx, func(tx koppel.Tx) error {
		for id := int64(1); id <= 10000; id += 10 {
			if err := tx.RevokeConnection(id, w.Now(), koppel.ReasonLost, 0); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	var times []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		_, err := w.conns.Reconcile(w.ctx)
		times = append(times, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
	}
	reportMedian(b, times)
}

// BenchmarkAuthenticate checks an App Key and Secret against the database.
func BenchmarkAuthenticate(b *testing.B) {
	w := newWorld(b)
	seed(b, w, 1000, 10)
	is, err := w.conns.Create(w.ctx, connections.CreateRequest{Organization: "NL:KVK:10000001", Software: "yuki"})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := w.conns.Authenticate(w.ctx, is.Connection.AppKey, is.Secret); err != nil {
			b.Fatal(err)
		}
	}
}

// reportMedian adds the median of times as the metric "median-ms".
func reportMedian(b *testing.B, times []time.Duration) {
	if len(times) == 0 {
		return
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
}
