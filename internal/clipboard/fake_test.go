package clipboard

import (
	"errors"
	"runtime"
	"slices"
	"testing"
)

func TestFakeRoundTrip(t *testing.T) {
	var f Fake
	if got, err := f.ReadText(); got != "" || err != nil {
		t.Fatalf("new Fake reads %q, %v; want empty", got, err)
	}
	for _, w := range []Write{{"KPL-A-1234", false}, {secret, true}, {"", false}, {"ünïcødé €", true}} {
		if err := f.WriteText(w.Text, w.Sensitive); err != nil {
			t.Fatal(err)
		}
		if got, err := f.ReadText(); got != w.Text || err != nil {
			t.Fatalf("after writing %q, read %q, %v", w.Text, got, err)
		}
	}
	want := []Write{{"KPL-A-1234", false}, {secret, true}, {"", false}, {"ünïcødé €", true}}
	if got := f.Writes(); !slices.Equal(got, want) {
		t.Fatalf("writes = %v, want %v", got, want)
	}

	f.SetText("pasted by hand")
	if got, _ := f.ReadText(); got != "pasted by hand" {
		t.Fatalf("after SetText, read %q", got)
	}
	if got := len(f.Writes()); got != len(want) {
		t.Fatalf("SetText was recorded as a write: %d writes", got)
	}
	if err := f.Clear(); err != nil {
		t.Fatal(err)
	}
	wantClipboard(t, &f, "", 1)

	w := f.Writes()
	w[0].Text = "changed"
	if f.Writes()[0].Text != "KPL-A-1234" {
		t.Fatal("Writes returned the Fake's own slice")
	}
}

func TestFakeErrors(t *testing.T) {
	var f Fake
	if err := f.WriteText(secret, true); err != nil {
		t.Fatal(err)
	}
	errW, errR, errC := errors.New("write"), errors.New("read"), errors.New("clear")
	f.SetErrors(FakeErrors{Write: errW, Read: errR, Clear: errC})
	if err := f.WriteText("other", false); err != errW {
		t.Fatalf("WriteText error = %v, want %v", err, errW)
	}
	if _, err := f.ReadText(); err != errR {
		t.Fatalf("ReadText error = %v, want %v", err, errR)
	}
	if err := f.Clear(); err != errC {
		t.Fatalf("Clear error = %v, want %v", err, errC)
	}
	f.SetErrors(FakeErrors{})
	wantClipboard(t, &f, secret, 0) // the failed calls changed nothing
	if got := len(f.Writes()); got != 1 {
		t.Fatalf("%d writes recorded, want 1", got)
	}
}

func TestNativeElsewhereIsNil(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("Native is the OS clipboard here")
	}
	if Native() != nil {
		t.Fatal("Native() is not nil on", runtime.GOOS)
	}
}
