package documents_test

import (
	"bufio"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"koppel/internal/koppel"
)

// BenchmarkImport10000 imports a folder of 10,000 invoices for an
// organization with two receiving connections: read, validate, store with
// history, offer twice, audit. Target ≤ 10 s, with memory that does not grow
// with the number of files. Metrics: s/10k-files; peak-heap-MB, the most heap
// in use during the import above what was in use before it; rss-growth-MB,
// the resident set after the last file minus after the first 1,000;
// retained-B/file, the live heap (after GC) that each file past the first
// 1,000 added — its ImportResult, not its body.
func BenchmarkImport10000(b *testing.B) {
	const n = 10_000
	dir := b.TempDir()
	for i := range n {
		body := ubl(inv{Number: fmt.Sprintf("BENCH-%05d", i), Date: fmt.Sprintf("2026-%02d-%02d", 1+i%12, 1+i%28)})
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%05d.xml", i)), body, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		w := newWorld(b)
		w.docs.OnOffered = nil
		w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
		w.create("NL:KVK:12345678", "yuki")
		w.create("NL:KVK:12345678", "basecone")
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base, peak := ms.HeapInuse, ms.HeapInuse
		var rssAt1000 int64
		var live [2]uint64 // live heap after 1,000 files and after all
		var gcTime time.Duration
		liveHeap := func() uint64 {
			start := time.Now()
			runtime.GC()
			runtime.ReadMemStats(&ms)
			gcTime += time.Since(start)
			return ms.HeapAlloc
		}
		b.StartTimer()
		start := time.Now()
		results := w.docs.ImportFiles(w.ctx, "", []string{dir}, func(done, total int) {
			if done%250 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
			switch done {
			case 1000:
				rssAt1000, live[0] = rss(), liveHeap()
			case total:
				live[1] = liveHeap()
			}
		})
		took := time.Since(start) - gcTime
		b.StopTimer()
		rssEnd := rss()
		for _, r := range results {
			if r.Err != nil {
				b.Fatalf("%s: %v", r.Path, r.Err)
			}
		}
		if len(results) != n {
			b.Fatalf("%d results", len(results))
		}
		b.ReportMetric(took.Seconds(), "s/10k-files")
		b.ReportMetric(float64(peak-base)/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(rssEnd-rssAt1000)/(1<<20), "rss-growth-MB")
		b.ReportMetric(float64(int64(live[1])-int64(live[0]))/(n-1000), "retained-B/file")
		w.db.Close()
		b.StartTimer()
	}
}

// rss returns the process's resident set in bytes (Linux; 0 elsewhere).
func rss() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// BenchmarkListInbox100k lists one page (100) of an inbox of 100,000
// documents, beside another organization's 20,000. Target ≤ 20 ms.
// Metrics: median-ms for the first page; deep-median-ms for a page halfway
// down; status-median-ms for the first page of a rare status.
func BenchmarkListInbox100k(b *testing.B) {
	w := newWorld(b)
	a := w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	other := w.org("Groente Pieters", "NL:KVK:23456789")
	body := ubl(inv{Number: "SEED"})
	sum := sha256.Sum256(body)
	var middle int64
	err := w.db.Update(w.ctx, func(tx koppel.Tx) error {
		for i := range 120_000 {
			org, status := a.ID, koppel.DocDelivered
			if i%6 == 5 {
				org = other.ID
			}
			if i%100 == 0 {
				status = koppel.DocDuplicate
			}
			d := &koppel.Document{OrganizationID: org, Direction: koppel.Purchase, Type: koppel.TypeInvoice,
				Number: fmt.Sprintf("SEED-%06d", i), IssueDate: "2026-03-02", SupplierParty: "0106:87654321",
				SupplierName: "Meelfabriek De Molen BV", CustomerParty: "0106:12345678", CustomerName: "Bakkerij Jansen BV",
				Currency: "EUR", PayableAmount: "121.00", Status: status, SHA256: sum[:], Size: int64(len(body)), ReceivedAt: w.Now()}
			if err := tx.CreateDocument(d, body); err != nil {
				return err
			}
			if i == 60_000 {
				middle = d.ID
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	runs := map[string]koppel.DocumentFilter{
		"median-ms":        {OrganizationID: a.ID, Direction: koppel.Purchase, Limit: 100},
		"deep-median-ms":   {OrganizationID: a.ID, Direction: koppel.Purchase, Limit: 100, After: middle},
		"status-median-ms": {OrganizationID: a.ID, Direction: koppel.Purchase, Status: koppel.DocDuplicate, Limit: 100},
	}
	times := map[string][]time.Duration{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for name, f := range runs {
			start := time.Now()
			page, err := w.docs.List(w.ctx, f)
			times[name] = append(times[name], time.Since(start))
			if err != nil || len(page.Documents) != 100 || page.Next == 0 {
				b.Fatalf("%s: %d documents, next %d, %v", name, len(page.Documents), page.Next, err)
			}
		}
	}
	b.StopTimer()
	for name, ts := range times {
		slices.Sort(ts)
		b.ReportMetric(float64(ts[len(ts)/2].Microseconds())/1000, name)
	}
}
