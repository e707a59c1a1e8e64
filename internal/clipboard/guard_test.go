package clipboard

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"koppel/internal/koppel"
)

const secret = "KPL-S-7f3a9c2e41b8d605" // looks like a Secret; the Guard must not keep it

// timers is a fake time.After: every timer the Guard asks for is handed to
// the test, which fires it.
type timers struct{ asked chan timer }

type timer struct {
	d    time.Duration
	fire chan time.Time
}

func newTimers() *timers { return &timers{asked: make(chan timer, 100)} }

func (ts *timers) after(d time.Duration) <-chan time.Time {
	tm := timer{d: d, fire: make(chan time.Time, 1)}
	ts.asked <- tm
	return tm.fire
}

// next returns the next timer the Guard asks for.
func (ts *timers) next(t *testing.T) timer {
	t.Helper()
	select {
	case tm := <-ts.asked:
		return tm
	case <-time.After(5 * time.Second):
		t.Fatal("the Guard asked for no timer")
		return timer{}
	}
}

// expire fires the Guard's next timers, which must last want each.
func (ts *timers) expire(t *testing.T, want ...time.Duration) {
	t.Helper()
	for i, d := range want {
		tm := ts.next(t)
		if tm.d != d {
			t.Fatalf("timer %d lasts %v, want %v", i, tm.d, d)
		}
		tm.fire <- time.Time{}
	}
}

// none fails t if the Guard has asked for a timer not yet taken.
func (ts *timers) none(t *testing.T) {
	t.Helper()
	select {
	case tm := <-ts.asked:
		t.Fatalf("the Guard asked for a %v timer, want none", tm.d)
	default:
	}
}

// recorder collects one countdown's callbacks.
type recorder struct {
	mu    sync.Mutex
	ticks []time.Duration
	dones []bool
	done  chan bool
}

func newRecorder() *recorder { return &recorder{done: make(chan bool, 10)} }

func (r *recorder) onTick(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ticks = append(r.ticks, d)
}

func (r *recorder) onDone(cleared bool) {
	r.mu.Lock()
	r.dones = append(r.dones, cleared)
	r.mu.Unlock()
	r.done <- cleared
}

// wait returns the cleared value of the countdown's onDone.
func (r *recorder) wait(t *testing.T) bool {
	t.Helper()
	select {
	case cleared := <-r.done:
		return cleared
	case <-time.After(5 * time.Second):
		t.Fatal("onDone was not called")
		return false
	}
}

func (r *recorder) got() (ticks []time.Duration, dones []bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.ticks), slices.Clone(r.dones)
}

func newTestGuard() (*Guard, *Fake, *timers) {
	fake := &Fake{}
	ts := newTimers()
	return NewGuard(fake, ts.after), fake, ts
}

func wantClipboard(t *testing.T, fake *Fake, text string, clears int) {
	t.Helper()
	if got, _ := fake.ReadText(); got != text {
		t.Errorf("clipboard holds %q, want %q", got, text)
	}
	if got := fake.Clears(); got != clears {
		t.Errorf("clipboard cleared %d times, want %d", got, clears)
	}
}

func TestGuardClearsWhenUnchanged(t *testing.T) {
	g, fake, ts := newTestGuard()
	rec := newRecorder()
	if err := g.Copy(secret, true, 3*time.Second, rec.onTick, rec.onDone); err != nil {
		t.Fatal(err)
	}
	if want := []Write{{Text: secret, Sensitive: true}}; !slices.Equal(fake.Writes(), want) {
		t.Fatalf("writes = %v, want %v", fake.Writes(), want)
	}
	ts.expire(t, time.Second, time.Second, time.Second)
	if !rec.wait(t) {
		t.Fatal("onDone(false), want true")
	}
	wantClipboard(t, fake, "", 1)
	ts.none(t)
}

func TestGuardLeavesWhatTheUserCopied(t *testing.T) {
	g, fake, ts := newTestGuard()
	rec := newRecorder()
	if err := g.Copy(secret, true, 2*time.Second, rec.onTick, rec.onDone); err != nil {
		t.Fatal(err)
	}
	ts.expire(t, time.Second)
	fake.SetText("an invoice number the user copied")
	ts.expire(t, time.Second)
	if rec.wait(t) {
		t.Fatal("onDone(true), want false")
	}
	wantClipboard(t, fake, "an invoice number the user copied", 0)
}

func TestGuardDoesNotClearWhatItCannotRead(t *testing.T) {
	g, fake, ts := newTestGuard()
	rec := newRecorder()
	if err := g.Copy(secret, true, time.Second, rec.onTick, rec.onDone); err != nil {
		t.Fatal(err)
	}
	fake.SetErrors(FakeErrors{Read: errors.New("clipboard busy")})
	ts.expire(t, time.Second)
	if rec.wait(t) {
		t.Fatal("onDone(true), want false")
	}
	fake.SetErrors(FakeErrors{})
	wantClipboard(t, fake, secret, 0)
}

func TestGuardReportsAFailedClear(t *testing.T) {
	g, fake, ts := newTestGuard()
	rec := newRecorder()
	if err := g.Copy(secret, true, time.Second, rec.onTick, rec.onDone); err != nil {
		t.Fatal(err)
	}
	fake.SetErrors(FakeErrors{Clear: errors.New("clipboard busy")})
	ts.expire(t, time.Second)
	if rec.wait(t) {
		t.Fatal("onDone(true), want false")
	}
}

func TestGuardTicks(t *testing.T) {
	const ms = time.Millisecond
	tests := []struct {
		clearAfter time.Duration
		ticks      []time.Duration // onTick's arguments
		steps      []time.Duration // the timers asked for
	}{
		{3 * time.Second, []time.Duration{3000 * ms, 2000 * ms, 1000 * ms}, []time.Duration{1000 * ms, 1000 * ms, 1000 * ms}},
		{1 * time.Second, []time.Duration{1000 * ms}, []time.Duration{1000 * ms}},
		{2500 * ms, []time.Duration{2500 * ms, 1500 * ms, 500 * ms}, []time.Duration{1000 * ms, 1000 * ms, 500 * ms}},
		{300 * ms, []time.Duration{300 * ms}, []time.Duration{300 * ms}},
	}
	for _, tt := range tests {
		t.Run(tt.clearAfter.String(), func(t *testing.T) {
			g, _, ts := newTestGuard()
			rec := newRecorder()
			if err := g.Copy(secret, true, tt.clearAfter, rec.onTick, rec.onDone); err != nil {
				t.Fatal(err)
			}
			for i, step := range tt.steps {
				tm := ts.next(t)
				// The tick for a step comes before its timer is asked for.
				if ticks, _ := rec.got(); !slices.Equal(ticks, tt.ticks[:i+1]) {
					t.Fatalf("before timer %d, ticks = %v, want %v", i, ticks, tt.ticks[:i+1])
				}
				if tm.d != step {
					t.Fatalf("timer %d lasts %v, want %v", i, tm.d, step)
				}
				tm.fire <- time.Time{}
			}
			rec.wait(t)
			if ticks, dones := rec.got(); !slices.Equal(ticks, tt.ticks) || len(dones) != 1 {
				t.Fatalf("ticks = %v, dones = %v; want ticks %v and one done", ticks, dones, tt.ticks)
			}
		})
	}
}

func TestGuardNilCallbacks(t *testing.T) {
	g, fake, ts := newTestGuard()
	if err := g.Copy(secret, false, 2*time.Second, nil, nil); err != nil {
		t.Fatal(err)
	}
	g.mu.Lock()
	done := g.cur.done
	g.mu.Unlock()
	ts.expire(t, time.Second, time.Second)
	<-done
	wantClipboard(t, fake, "", 1)
}

func TestGuardNeverClearsWhenClearAfterIsZero(t *testing.T) {
	g, fake, ts := newTestGuard()
	rec := newRecorder()
	if err := g.Copy(secret, true, 0, rec.onTick, rec.onDone); err != nil {
		t.Fatal(err)
	}
	g.mu.Lock()
	cur := g.cur
	g.mu.Unlock()
	if cur != nil {
		t.Fatal("a countdown started for clearAfter 0")
	}
	ts.none(t)
	if ticks, dones := rec.got(); len(ticks) != 0 || len(dones) != 0 {
		t.Fatalf("ticks = %v, dones = %v; want none", ticks, dones)
	}
	if g.ClearNow() {
		t.Fatal("ClearNow cleared without a countdown")
	}
	wantClipboard(t, fake, secret, 0)
}

func TestGuardSecondCopyEndsTheFirst(t *testing.T) {
	for _, second := range []string{"KPL-S-another-secret", secret} {
		name := "other text"
		if second == secret {
			name = "same text"
		}
		t.Run(name, func(t *testing.T) {
			g, fake, ts := newTestGuard()
			first, next := newRecorder(), newRecorder()
			if err := g.Copy(secret, true, 30*time.Second, first.onTick, first.onDone); err != nil {
				t.Fatal(err)
			}
			stale := ts.next(t)
			if err := g.Copy(second, true, 2*time.Second, next.onTick, next.onDone); err != nil {
				t.Fatal(err)
			}
			stale.fire <- time.Time{} // the first countdown's timer: nobody listens now
			ts.expire(t, time.Second, time.Second)
			if !next.wait(t) {
				t.Fatal("second onDone(false), want true")
			}
			wantClipboard(t, fake, "", 1)
			ts.none(t)
			if ticks, dones := first.got(); !slices.Equal(ticks, []time.Duration{30 * time.Second}) || len(dones) != 0 {
				t.Fatalf("first countdown: ticks = %v, dones = %v; want [30s] and no done", ticks, dones)
			}
			if ticks, _ := next.got(); !slices.Equal(ticks, []time.Duration{2 * time.Second, time.Second}) {
				t.Fatalf("second countdown: ticks = %v, want [2s 1s]", ticks)
			}
		})
	}
}

func TestGuardFailedCopyKeepsTheCountdown(t *testing.T) {
	g, fake, ts := newTestGuard()
	rec := newRecorder()
	if err := g.Copy(secret, true, 2*time.Second, rec.onTick, rec.onDone); err != nil {
		t.Fatal(err)
	}
	ts.expire(t, time.Second)
	busy := errors.New("clipboard busy")
	fake.SetErrors(FakeErrors{Write: busy})
	if err := g.Copy("other", false, 2*time.Second, nil, nil); !errors.Is(err, busy) {
		t.Fatalf("Copy error = %v, want %v", err, busy)
	}
	fake.SetErrors(FakeErrors{})
	ts.expire(t, time.Second)
	if !rec.wait(t) {
		t.Fatal("onDone(false), want true: the secret was still on the clipboard")
	}
	wantClipboard(t, fake, "", 1)
}

func TestGuardCancel(t *testing.T) {
	g, fake, ts := newTestGuard()
	rec := newRecorder()
	if err := g.Copy(secret, true, 30*time.Second, rec.onTick, rec.onDone); err != nil {
		t.Fatal(err)
	}
	tm := ts.next(t)
	g.Cancel()
	tm.fire <- time.Time{}
	g.Cancel() // twice is harmless
	ts.none(t)
	if ticks, dones := rec.got(); len(ticks) != 1 || len(dones) != 0 {
		t.Fatalf("ticks = %v, dones = %v; want one tick and no done", ticks, dones)
	}
	wantClipboard(t, fake, secret, 0)
}

func TestGuardClearNow(t *testing.T) {
	t.Run("unchanged", func(t *testing.T) {
		g, fake, ts := newTestGuard()
		rec := newRecorder()
		if err := g.Copy(secret, true, 30*time.Second, rec.onTick, rec.onDone); err != nil {
			t.Fatal(err)
		}
		ts.next(t)
		if !g.ClearNow() {
			t.Fatal("ClearNow = false, want true")
		}
		if _, dones := rec.got(); !slices.Equal(dones, []bool{true}) {
			t.Fatalf("dones = %v, want [true]", dones)
		}
		if g.ClearNow() {
			t.Fatal("second ClearNow = true, want false")
		}
		wantClipboard(t, fake, "", 1)
	})
	t.Run("changed", func(t *testing.T) {
		g, fake, ts := newTestGuard()
		rec := newRecorder()
		if err := g.Copy(secret, true, 30*time.Second, rec.onTick, rec.onDone); err != nil {
			t.Fatal(err)
		}
		ts.next(t)
		fake.SetText("something else")
		if g.ClearNow() {
			t.Fatal("ClearNow = true, want false")
		}
		if _, dones := rec.got(); !slices.Equal(dones, []bool{false}) {
			t.Fatalf("dones = %v, want [false]", dones)
		}
		wantClipboard(t, fake, "something else", 0)
	})
	t.Run("after the countdown", func(t *testing.T) {
		g, fake, ts := newTestGuard()
		rec := newRecorder()
		if err := g.Copy(secret, true, time.Second, rec.onTick, rec.onDone); err != nil {
			t.Fatal(err)
		}
		ts.expire(t, time.Second)
		rec.wait(t)
		fake.SetText(secret) // copied again, by hand: not Koppel's to clear
		if g.ClearNow() {
			t.Fatal("ClearNow = true, want false")
		}
		if _, dones := rec.got(); len(dones) != 1 {
			t.Fatalf("onDone called %d times, want once", len(dones))
		}
		wantClipboard(t, fake, secret, 1)
	})
}

func TestGuardRejectsANegativeDelay(t *testing.T) {
	g, fake, _ := newTestGuard()
	err := g.Copy(secret, true, -time.Second, nil, nil)
	if koppel.ErrorCode(err) != koppel.EInvalid {
		t.Fatalf("error = %v, want code %q", err, koppel.EInvalid)
	}
	if len(fake.Writes()) != 0 {
		t.Fatal("wrote to the clipboard despite the error")
	}
}

func TestGuardWithRealTimers(t *testing.T) {
	fake := &Fake{}
	g := NewGuard(fake, nil)
	rec := newRecorder()
	if err := g.Copy(secret, true, 20*time.Millisecond, rec.onTick, rec.onDone); err != nil {
		t.Fatal(err)
	}
	if !rec.wait(t) {
		t.Fatal("onDone(false), want true")
	}
	wantClipboard(t, fake, "", 1)
}

// TestGuardKeepsNoPlaintext looks through everything a Guard holds, except
// the clipboard itself, for the copied text, during and after a countdown.
func TestGuardKeepsNoPlaintext(t *testing.T) {
	if hits := plaintextIn(reflect.ValueOf(struct{ a []any }{[]any{&struct{ s string }{"x" + secret}}}), secret); len(hits) == 0 {
		t.Fatal("plaintextIn misses a planted copy") // the search itself works
	}

	g, fake, ts := newTestGuard()
	rec := newRecorder()
	// A copy of the text the compiler cannot share with the constant.
	text := strings.Clone(secret)
	if err := g.Copy(text, true, 2*time.Second, rec.onTick, rec.onDone); err != nil {
		t.Fatal(err)
	}
	if w := fake.Writes(); len(w) != 1 || w[0].Text != secret {
		t.Fatalf("writes = %v, want the secret once", w)
	}
	ts.next(t)
	g.mu.Lock()
	if g.cur == nil {
		t.Fatal("no countdown running")
	}
	hits := plaintextIn(reflect.ValueOf(g), secret)
	g.mu.Unlock()
	if len(hits) > 0 {
		t.Fatalf("the Guard holds the copied text at %v", hits)
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[Guard](), reflect.TypeFor[countdown]()} {
		for f := range typ.Fields() {
			if f.Type.Kind() == reflect.String || f.Type == reflect.TypeFor[[]byte]() {
				t.Errorf("%s.%s is a %s: it could hold plaintext", typ.Name(), f.Name, f.Type)
			}
		}
	}
	g.Cancel()
}

// plaintextIn returns the paths inside v, not following into a Clipboard,
// where a string or bytes contain text. Channels and functions are opaque.
func plaintextIn(v reflect.Value, text string) []string {
	var hits []string
	seen := map[uintptr]bool{}
	clipboardType := reflect.TypeFor[Clipboard]()
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		if !v.IsValid() || v.Type() == clipboardType {
			return
		}
		switch v.Kind() {
		case reflect.String:
			if strings.Contains(v.String(), text) {
				hits = append(hits, path)
			}
		case reflect.Pointer:
			if v.IsNil() || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			walk(v.Elem(), path)
		case reflect.Interface:
			walk(v.Elem(), path)
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		case reflect.Array, reflect.Slice:
			if v.Type().Elem().Kind() == reflect.Uint8 {
				b := make([]byte, v.Len())
				for i := range b {
					b[i] = byte(v.Index(i).Uint())
				}
				if bytes.Contains(b, []byte(text)) {
					hits = append(hits, path)
				}
				return
			}
			for i := range v.Len() {
				walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
			}
		case reflect.Map:
			for it := v.MapRange(); it.Next(); {
				walk(it.Key(), path+"[key]")
				walk(it.Value(), fmt.Sprintf("%s[%v]", path, it.Key()))
			}
		}
	}
	walk(v, "Guard")
	return hits
}
