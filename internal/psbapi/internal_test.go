package psbapi

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// Unknown App Keys cannot grow the throttle's memory without bound: at most
// maxThrottled records, the least recently failed dropped first.
func TestThrottleMemoryIsBounded(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	th := newThrottle(func() time.Time { return now })
	for i := range 100_000 {
		th.fail("ak_unknown" + strconv.Itoa(i))
	}
	if n := len(th.byKey); n != maxThrottled || th.order.Len() != maxThrottled {
		t.Fatalf("%d records (%d in order), want %d", n, th.order.Len(), maxThrottled)
	}
	// The most recent are kept, the oldest went.
	if _, ok := th.byKey["ak_unknown99999"]; !ok {
		t.Fatal("the latest record was dropped")
	}
	if _, ok := th.byKey["ak_unknown0"]; ok {
		t.Fatal("the oldest record was kept")
	}
	// Over-long client ids share one record.
	for i := range 10 {
		th.fail(strings.Repeat("x", 100) + strconv.Itoa(i))
	}
	if th.wait(strings.Repeat("y", 200)) == 0 {
		t.Fatal("over-long client ids are not throttled together")
	}
}

// Deliveries connect to loopback addresses only, whatever a name resolved
// to.
func TestHookDialsLoopbackOnly(t *testing.T) {
	for addr, ok := range map[string]bool{"127.0.0.1:80": true, "127.9.9.9:8080": true, "[::1]:80": true,
		"[::ffff:127.0.0.1]:80": true, "192.0.2.1:80": false, "[2001:db8::1]:80": false, "10.0.0.1:443": false, "0.0.0.0:80": false} {
		if err := loopbackOnly("tcp", addr, nil); (err == nil) != ok {
			t.Errorf("loopbackOnly(%s) = %v", addr, err)
		}
	}
}
