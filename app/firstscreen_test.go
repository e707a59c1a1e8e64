package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The first screen is rendered by the server build of the window, which
// `make frontend` (npm run build) writes; make test builds it before the Go
// tests.
const serverBuild = "../frontend/dist-ssr/first-screen.js"

func readServerBuild(t *testing.T) []byte {
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
func firstScreenOf(t *testing.T, w *window, first *FirstScreen, header http.Header) string {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	for k, v := range header {
		req.Header[k] = v
	}
	BootPage(w.s, first)(servePage(windowPage)).ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /: %d", rec.Code)
	}
	return rec.Body.String()
}

var firstScreenAttr = regexp.MustCompile(`<div id="app" data-first-screen="([^"]*)" inert>`)

// newFirstScreen is NewFirstScreen for a Linux window in English, whatever
// the machine's language.
func newFirstScreen(t *testing.T, w *window, src []byte) *FirstScreen {
	t.Helper()
	f := NewFirstScreen(w.s, src, 1100, 720)
	if f == nil {
		t.Fatal("NewFirstScreen returned nil")
	}
	f.window.Platform, f.window.Languages = "Linux", []string{"en-US"}
	f.served, f.systemSays = f.window, true
	return f
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

	if page := firstScreenOf(t, w, f, nil); firstScreenAttr.MatchString(page) {
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

	page := firstScreenOf(t, w, f, nil)
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
	shown := func(header http.Header) bool { return firstScreenAttr.MatchString(firstScreenOf(t, w, f, header)) }

	f.keep()
	if !shown(nil) {
		t.Fatal("the kept screen is not shown")
	}
	if shown(http.Header{"Accept-Language": {"nl-NL,nl;q=0.9"}}) {
		t.Error("shown to a window in other languages")
	}
	// Another version of the window.
	other := newFirstScreen(t, w, append([]byte("var changed = 1;\n"), src...))
	if firstScreenAttr.MatchString(firstScreenOf(t, w, other, nil)) {
		t.Error("shown by another server build")
	}
	// Changed data: a new connection, from this window or the command line.
	w.create(t, jansen.ID, "yuki")
	if shown(nil) {
		t.Error("shown after the connections changed")
	}
	f.keep()
	if !shown(nil) {
		t.Error("not shown once kept again")
	}
	// A count of this session's changes is no change to the screen.
	w.s.changes.Add(5)
	if !shown(nil) {
		t.Error("not shown after the session counted changes")
	}
}

// Where Go cannot read the window's languages from the system (Windows,
// macOS), a window that follows the system's language gets a first screen
// only when its request names them.
func TestFirstScreen_OnlyInALanguageKnown(t *testing.T) {
	w := openWindow(t)
	jansen := w.addOrg(t, "Bakkerij Jansen BV", "NL:KVK:12345678")
	w.create(t, jansen.ID, "yuki")
	f := newFirstScreen(t, w, readServerBuild(t))
	f.systemSays = false
	dutch := http.Header{"Accept-Language": {"nl-NL"}}
	firstScreenOf(t, w, f, dutch) // the window closes after a Dutch page
	f.keep()
	page := firstScreenOf(t, w, f, dutch)
	if m := firstScreenAttr.FindStringSubmatch(page); m == nil || m[1] != "nl 720 linux" || !strings.Contains(page, "Alle verbindingen") {
		t.Fatalf("no Dutch first screen for a Dutch request: %v", m)
	}
	firstScreenOf(t, w, f, nil) // the window closes after a page that named none
	f.keep()
	if firstScreenAttr.MatchString(firstScreenOf(t, w, f, nil)) {
		t.Error("a first screen for a window whose language is not known")
	}
	f.systemSays = true // as on Linux: the same screen is shown
	if !firstScreenAttr.MatchString(firstScreenOf(t, w, f, nil)) {
		t.Error("no first screen where the system says the language")
	}
	f.systemSays = false
	if _, err := w.set.Set("language", "nl"); err != nil {
		t.Fatal(err)
	}
	f.keep()
	if !firstScreenAttr.MatchString(firstScreenOf(t, w, f, nil)) {
		t.Error("no first screen for a window whose language is set")
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
	f := newFirstScreen(t, w, readServerBuild(t))
	f.keep()
	page := firstScreenOf(t, w, f, nil)
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
		"too large":          firstScreenHeader + "x en\n" + strings.Repeat("a", firstScreenMax),
	} {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if page := firstScreenOf(t, w, f, nil); firstScreenAttr.MatchString(page) || strings.Contains(page, "hello") {
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

func TestLanguages(t *testing.T) {
	for header, want := range map[string]string{
		"":                                   "",
		"nl-NL,nl;q=0.9,en-US;q=0.8,*;q=0.1": "nl-NL nl en-US",
		" en ":                               "en",
	} {
		if got := strings.Join(acceptedLanguages(header), " "); got != want {
			t.Errorf("acceptedLanguages(%q) = %q, want %q", header, got, want)
		}
	}
	for _, c := range []struct{ language, all, messages, lang, want string }{
		{"nl_NL:en_GB", "", "", "C", "nl-NL en-GB"},
		{"", "", "", "nl_BE.UTF-8", "nl-BE"},
		{"", "en_US.UTF-8@euro", "", "nl_NL.UTF-8", "en-US"},
		{"", "", "nl_NL.UTF-8", "en_US.UTF-8", "nl-NL"},
		{"", "", "", "C.UTF-8", ""},
		{"", "", "", "", ""},
	} {
		t.Setenv("LANGUAGE", c.language)
		t.Setenv("LC_ALL", c.all)
		t.Setenv("LC_MESSAGES", c.messages)
		t.Setenv("LANG", c.lang)
		if got := strings.Join(systemLanguages(), " "); got != c.want {
			t.Errorf("%+v: systemLanguages() = %q", c, got)
		}
	}
}
