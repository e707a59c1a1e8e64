package quickconnect_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"koppel/internal/connections"
	"koppel/internal/keys"
	"koppel/internal/koppel"
	"koppel/internal/quickconnect"
)

// BenchmarkApply measures one Apply from a recognised paste: the keys
// checked again, the credential sealed, the link, its offers and its audit
// event written in one synchronous transaction. Each iteration links a
// fresh connection to a fresh administration of a fresh organization,
// prepared (and recognised) outside the timer. Target: median ≤ 20 ms.
func BenchmarkApply(b *testing.B) {
	w := newWorld(b)
	type fixture struct {
		is *connections.Issued
		a  *koppel.Administration
	}
	fixtures := make([]fixture, b.N)
	for i := range fixtures {
		party := fmt.Sprintf("NL:KVK:%08d", 10000000+i)
		w.Org(fmt.Sprintf("Org %d", i), party)
		fixtures[i] = fixture{w.Create(party, "yuki"), w.admin("yuki", party, fmt.Sprintf("Administratie %d", i), "")}
	}
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fx := fixtures[i]
		b.StopTimer()
		r, err := w.qc.Recognise(w.ctx, paste(fx.is))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		_, err = w.qc.Apply(w.ctx, quickconnect.ApplyRequest{Token: r.Token, AdministrationID: fx.a.ID,
			Email: "boekhouding@example.nl", StartDate: "2026-01-01", ProcessSales: true, Confirmed: true})
		times = append(times, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
	}
	reportMedian(b, times)
}

// BenchmarkRecognise measures a paste of the Quick Connect text becoming a
// recognised connection: parsed, looked up, the Secret verified, the
// organization and its administrations listed, the Secret kept under a
// token. Target: median ≤ 1 ms.
func BenchmarkRecognise(b *testing.B) {
	w := newWorld(b)
	w.Org("Bakkerij Jansen BV", "NL:KVK:12345678")
	is := w.Create("NL:KVK:12345678", "yuki")
	for i := range 5 {
		w.admin("yuki", "NL:KVK:12345678", fmt.Sprintf("Administratie %d", i), "")
	}
	text := keys.QuickConnectText(is.Connection.AppKey, is.Secret, "Bakkerij Jansen BV", "NL:KVK:12345678", "nl")
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		r, err := w.qc.Recognise(w.ctx, text)
		times = append(times, time.Since(start))
		if err != nil || len(r.Administrations) != 5 {
			b.Fatalf("recognise: %v", err)
		}
	}
	reportMedian(b, times)
}

// reportMedian adds the median of times as the metric "median-ms".
func reportMedian(b *testing.B, times []time.Duration) {
	if len(times) == 0 {
		return
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
}
