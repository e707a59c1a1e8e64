package app

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"koppel/internal/koppel"
)

// The first screen is rendered by the server build of the window, which
// `make frontend` (npm run build) writes; make test builds it before the Go
// tests.
const serverBuild = "../frontend/dist-ssr/first-screen.js"

func readServerBuild(t testing.TB) []byte {
	t.Helper()
	src, err := os.ReadFile(serverBuild)
	if err != nil {
		t.Fatalf("the window's server build is missing (run make frontend): %v", err)
	}
	return src
}

// windowPage is index.html as Vite builds it, as far as FirstScreen looks.
const windowPage = `<!DOCTYPE html><html lang="en"><head><title>Koppel</title></head><body><div id="app"></div></body></html>`

// firstScreenOf opens w's page through BootPage with first, as the window
// asks for it, and returns the page.
func firstScreenOf(t *testing.T, w *window, first *FirstScreen) string {
	t.Helper()
	rec := httptest.NewRecorder()
	BootPage(w.s, first)(servePage(windowPage)).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /: %d", rec.Code)
	}
	return rec.Body.String()
}

var firstScreenAttr = regexp.MustCompile(`<div id="app" data-first-screen="([^"]*)" inert>`)

// newFirstScreen is NewFirstScreen on Linux whatever the machine, for a
// window that said it is 1100 by 720 in American English.
func newFirstScreen(t testing.TB, w *window, src []byte) *FirstScreen {
	t.Helper()
	f := NewFirstScreen(w.s, src)
	if f == nil {
		t.Fatal("NewFirstScreen returned nil")
	}
	f.platform = "Linux"
	opened(t, w, 1100, 720, "en-US")
	return f
}

// opened has w's page describe its window (System.WindowOpened).
func opened(t testing.TB, w *window, width, height int, languages ...string) {
	t.Helper()
	if err := w.sys.WindowOpened(OpenedWindowDTO{Width: width, Height: height, Languages: languages}); err != nil {
		t.Fatal(err)
	}
}

// The screen the window closed on is the first screen of the next page with
// the same data: its rows, in the page's mount point, marked with what it
// was rendered for, and the html element names its language and platform.
func TestFirstScreen_KeptWhenTheWindowClosesShownNextTime(t *testing.T) {
	w := openWindow(t)
	jansen := w.addOrg(t, "Bakkerij Jansen <BV> & Zn", "NL:KVK:12345678")
	var keys []IssuedKeysDTO
	for range 3 {
		keys = append(keys, w.create(t, jansen.ID, "yuki"))
	}
	f := newFirstScreen(t, w, readServerBuild(t))

	if page := firstScreenOf(t, w, f); firstScreenAttr.MatchString(page) {
		t.Fatalf("a first screen before one was kept:\n%s", page)
	}
	f.keep()
	kept, err := os.ReadFile(filepath.Join(w.b.Home, firstScreenFile))
	if err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(filepath.Join(w.b.Home, firstScreenFile)); info.Mode().Perm() != 0o600 {
		t.Errorf("kept with mode %v, want 0600", info.Mode().Perm())
	}

	page := firstScreenOf(t, w, f)
	m := firstScreenAttr.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no first screen in\n%s", page)
	}
	if m[1] != "en 720 linux" {
		t.Errorf("rendered for %q, want %q", m[1], "en 720 linux")
	}
	if !strings.Contains(page, `<html lang="en" data-platform="linux">`) {
		t.Errorf("the html element does not name language and platform:\n%.200s", page)
	}
	for _, want := range []string{"All connections", "Bakkerij Jansen &lt;BV> &amp; Zn", keys[0].Connection.AppKey, keys[2].Connection.AppKey} {
		if !strings.Contains(page, want) {
			t.Errorf("the first screen lacks %q", want)
		}
	}
	for _, k := range keys {
		if strings.Contains(page, k.Secret) || strings.Contains(string(kept), k.Secret) {
			t.Fatal("a Secret is in the first screen")
		}
	}
	if bootBlock.FindStringSubmatch(page) == nil {
		t.Error("the page lost its boot data")
	}
	if log, _ := os.ReadFile(filepath.Join(w.b.Home, "koppel.log")); !strings.Contains(string(log), "the page carries the first screen") {
		t.Error("the first screen shown is not logged")
	}
}

// A kept screen is shown only for exactly what it was rendered from:
// anything else, and the window mounts as it would without one.
func TestFirstScreen_OnlyForWhatItWasRenderedFrom(t *testing.T) {
	src := readServerBuild(t)
	w := openWindow(t)
	jansen := w.addOrg(t, "Bakkerij Jansen BV", "NL:KVK:12345678")
	w.create(t, jansen.ID, "yuki")
	f := newFirstScreen(t, w, src)
	shown := func() bool { return firstScreenAttr.MatchString(firstScreenOf(t, w, f)) }

	f.keep()
	if !shown() {
		t.Fatal("the kept screen is not shown")
	}
	// Another version of the window.
	other := newFirstScreen(t, w, append([]byte("var changed = 1;\n"), src...))
	if firstScreenAttr.MatchString(firstScreenOf(t, w, other)) {
		t.Error("shown by another server build")
	}
	// Changed data: a new connection, from this window or the command line.
	w.create(t, jansen.ID, "yuki")
	if shown() {
		t.Error("shown after the connections changed")
	}
	f.keep()
	if !shown() {
		t.Error("not shown once kept again")
	}
	// A count of this session's changes is no change to the screen.
	w.s.changes.Add(5)
	if !shown() {
		t.Error("not shown after the session counted changes")
	}
}

// The screen is rendered for the window as its page described itself: its
// height decides the rows, its languages the language when the setting
// follows the system. A window that never said gets none.
func TestFirstScreen_ForTheWindowAsItSaidItIs(t *testing.T) {
	w := openWindow(t)
	jansen := w.addOrg(t, "Bakkerij Jansen BV", "NL:KVK:12345678")
	for range 30 {
		w.create(t, jansen.ID, "yuki")
	}
	f := newFirstScreen(t, w, readServerBuild(t))
	rows := func(page string) int { return strings.Count(page, `role="row"`) }

	f.keep()
	tall := firstScreenOf(t, w, f)
	opened(t, w, 900, 560, "nl-NL", "en")
	f.keep()
	short := firstScreenOf(t, w, f)
	if m := firstScreenAttr.FindStringSubmatch(short); m == nil || m[1] != "nl 560 linux" {
		t.Fatalf("first screen for %v, want nl 560 linux", m)
	}
	if !strings.Contains(short, "Alle verbindingen") {
		t.Error("not in the window's language")
	}
	if rows(short) >= rows(tall) {
		t.Errorf("%d rows at 560 px, %d at 720 px", rows(short), rows(tall))
	}

	path := filepath.Join(w.b.Home, firstScreenFile)
	w.s.window.Store(nil)
	f.keep()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("kept for a window that never said what it is: %v", err)
	}
}

// The window's description is checked before it is kept.
func TestWindowOpened_RefusesWhatIsNoWindow(t *testing.T) {
	w := openWindow(t)
	for _, bad := range []OpenedWindowDTO{
		{Width: 0, Height: 720},
		{Width: 1100, Height: -1},
		{Width: 1100, Height: 20001},
		{Width: 1100, Height: 720, Languages: []string{"nl-NL", "en\"><script>"}},
		{Width: 1100, Height: 720, Languages: []string{strings.Repeat("a", 36)}},
		{Width: 1100, Height: 720, Languages: make([]string, 17)},
	} {
		err := w.sys.WindowOpened(bad)
		if code := koppel.ErrorCode(err); code != koppel.EInvalid {
			t.Errorf("%+v: %v (%s), want invalid", bad, err, code)
		}
	}
	if w.s.window.Load() != nil {
		t.Error("a refused description was kept")
	}
	opened(t, w, 1100, 720, "nl-NL", "zh-Hant-TW", "en")
	if got := w.s.window.Load(); got == nil || got.Height != 720 || len(got.Languages) != 3 {
		t.Errorf("kept %+v", got)
	}
}

// In Dutch, the first screen is Dutch.
func TestFirstScreen_InTheLanguageSet(t *testing.T) {
	w := openWindow(t)
	jansen := w.addOrg(t, "Bakkerij Jansen BV", "NL:KVK:12345678")
	w.create(t, jansen.ID, "yuki")
	if _, err := w.set.Set("language", "nl"); err != nil {
		t.Fatal(err)
	}
	f := newFirstScreen(t, w, readServerBuild(t)) // an English window
	f.keep()
	page := firstScreenOf(t, w, f)
	if m := firstScreenAttr.FindStringSubmatch(page); m == nil || m[1] != "nl 720 linux" {
		t.Fatalf("first screen for %v, want nl 720 linux", m)
	}
	if !strings.Contains(page, "Alle verbindingen") || strings.Contains(page, "All connections") {
		t.Error("the first screen is not in Dutch")
	}
	if !strings.Contains(page, `<html lang="nl" data-platform="linux">`) {
		t.Errorf("html element: %.120s", page)
	}
}

// A kept file that is not a first screen, or too large, is not shown, and
// a rendering that fails removes the file rather than leave an old one.
func TestFirstScreen_BadFilesAndFailuresShowNothing(t *testing.T) {
	w := openWindow(t)
	w.addOrg(t, "Bakkerij Jansen BV", "NL:KVK:12345678")
	f := newFirstScreen(t, w, readServerBuild(t))
	path := filepath.Join(w.b.Home, firstScreenFile)

	for name, content := range map[string]string{
		"not a first screen": "<div>hello</div>",
		"no key":             firstScreenHeader + "\n<div>hello</div>",
		"no window":          firstScreenHeader + "abc en {\n<div>hello</div>",
		"another language":   firstScreenHeader + `abc "><script> {}` + "\n<div>hello</div>",
		"too large":          firstScreenHeader + "x en {}\n" + strings.Repeat("a", firstScreenMax),
	} {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if page := firstScreenOf(t, w, f); firstScreenAttr.MatchString(page) || strings.Contains(page, "hello") {
			t.Errorf("%s: shown", name)
		}
	}
	log, _ := os.ReadFile(filepath.Join(w.b.Home, "koppel.log"))
	if !strings.Contains(string(log), "is not a first screen") || !strings.Contains(string(log), "larger than") {
		t.Errorf("bad files not logged:\n%s", log)
	}

	f.keep()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("not kept: %v", err)
	}
	broken := newFirstScreen(t, w, []byte("this is not JavaScript ("))
	broken.keep()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("a failed rendering left the file: %v", err)
	}
	log, _ = os.ReadFile(filepath.Join(w.b.Home, "koppel.log"))
	if !strings.Contains(string(log), "first screen: SyntaxError") {
		t.Errorf("the failure is not logged:\n%s", log)
	}
}

// Closing the window keeps the first screen for the next one.
func TestFirstScreen_KeptByShutdown(t *testing.T) {
	w := openWindow(t)
	w.addOrg(t, "Bakkerij Jansen BV", "NL:KVK:12345678")
	newFirstScreen(t, w, readServerBuild(t))
	home := w.b.Home
	w.s.Shutdown(context.Background())
	data, err := os.ReadFile(filepath.Join(home, firstScreenFile))
	if err != nil || !strings.HasPrefix(string(data), firstScreenHeader) || !strings.Contains(string(data), "Bakkerij Jansen BV") {
		t.Fatalf("not kept at shutdown: %v\n%.200s", err, data)
	}
}

func TestWithFirstScreen_LeavesAnotherPageAlone(t *testing.T) {
	screen := &renderedScreen{html: "<p>x</p>", locale: "en", around: Surroundings{Height: 720, Platform: "Win32"}}
	for _, page := range []string{
		`<html><body><div id="app"></div></body></html>`,
		`<html lang="en"><body><div id="root"></div></body></html>`,
		`<div id="app"></div><html lang="en">`,
	} {
		if got := string(withFirstScreen([]byte(page), screen)); got != page {
			t.Errorf("%s became %s", page, got)
		}
	}
	got := string(withFirstScreen([]byte(windowPage), screen))
	want := `<!DOCTYPE html><html lang="en" data-platform="windows"><head><title>Koppel</title></head><body><div id="app" data-first-screen="en 720 windows" inert><p>x</p></div></body></html>`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// firstScreenWindow is a window with 100 organizations of 4 connections
// each: more than the first screen shows of either.
func firstScreenWindow(b *testing.B) (*window, *FirstScreen) {
	w := openWindow(b)
	for i := range 100 {
		o := w.addOrg(b, fmt.Sprintf("Bakkerij Jansen %03d BV", i), fmt.Sprintf("NL:KVK:%08d", 10000000+i))
		for range 4 {
			w.create(b, o.ID, "yuki")
		}
	}
	return w, newFirstScreen(b, w, readServerBuild(b))
}

// BenchmarkFirstScreenKeep: rendering the first screen in goja and keeping
// it, as the window closes (not on the way to any screen).
func BenchmarkFirstScreenKeep(b *testing.B) {
	w, f := firstScreenWindow(b)
	path := filepath.Join(w.b.Home, firstScreenFile)
	b.ResetTimer()
	for b.Loop() {
		f.keep()
	}
	b.StopTimer()
	if _, err := os.Stat(path); err != nil {
		b.Fatalf("nothing kept: %v", err)
	}
}

// BenchmarkFirstScreenFor: what the page's request costs to find the kept
// screen (read it, key the boot data, compare), on the way to the first
// frame.
func BenchmarkFirstScreenFor(b *testing.B) {
	w, f := firstScreenWindow(b)
	f.keep()
	boot, ok := bootData(w.s)
	if !ok {
		b.Fatal("no boot data")
	}
	b.ResetTimer()
	for b.Loop() {
		if f.For(boot) == nil {
			b.Fatal("the kept screen was not found")
		}
	}
}
