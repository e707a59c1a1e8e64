package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/dop251/goja"
)

// FirstScreen gives the window's page its first screen, the overview, as
// HTML, so that WebKit paints it as soon as it has parsed the page. The
// window's code mounts over it after that first frame (frontend: start.ts):
// mounting costs the page ~16 ms before it can paint, most of it
// JavaScriptCore compiling code it runs for the first time, and the
// overview no longer waits for that.
//
// The HTML comes from the window's own components: Svelte's server build of
// them (frontend/src/ssr.ts, built into frontend/dist-ssr) runs in goja, a
// JavaScript engine written in Go, with the boot data the page carries.
// There is no second description of the screen to keep in step.
//
// Rendering takes ~40 ms of CPU, which at startup would be taken from
// WebKit's start on the same cores (measured: the overview came later, not
// sooner). So the screen is rendered when the window closes, and kept in
// the data folder with a key of everything it was rendered from: the server
// build, the boot data, and the window as its page described itself when it
// opened (System.WindowOpened: its size and languages, which Go cannot
// know the way the web view does on every system). The next page whose
// boot data gives the same key gets it; any other page (the data changed,
// from the command line say, another version, no file) gets none, and the
// window mounts as it always could. main.ts mounts at once, too, when the
// window turns out to be another (the system's language changed, say).
// Only the age of a key ("45 d") can read a day less on it than it should:
// for that one frame, until the window has mounted.
type FirstScreen struct {
	source    []byte
	sourceSum [sha256.Size]byte
	platform  string // navigator.platform, as far as the window looks at it
	session   *Session
}

// Surroundings is what the window's first screen depends on besides its
// data: the window's inner size, its platform and its languages, as the
// page will find them in window and navigator (frontend: ssr.ts).
type Surroundings struct {
	Width     int      `json:"width"`
	Height    int      `json:"height"`
	Platform  string   `json:"platform"`
	Languages []string `json:"languages"`
}

const (
	// firstScreenFile is the file in the data folder that keeps the first
	// screen: a header line with its key, its language and the window it
	// was rendered for (JSON), then the HTML.
	firstScreenFile = "first-screen.html"
	// firstScreenHeader starts the header line; a new format takes a new
	// version.
	firstScreenHeader = "koppel-first-screen-1 "
	// firstScreenMax bounds what is read of the file (~25 KB normally).
	firstScreenMax = 1 << 20
	// renderLimit bounds one rendering; it normally takes ~40 ms.
	renderLimit = 2 * time.Second
	// firstScreenElement is how the page's mount point reads in index.html;
	// the first screen goes inside it.
	firstScreenElement = `<div id="app"></div>`
	// pageElement is how the page's html element reads in index.html; with
	// a first screen it also names the language and the platform.
	pageElement = `<html lang="en">`
)

// NewFirstScreen returns the first screen of session's window from source,
// the server build of the window (frontend/dist-ssr/first-screen.js). It
// renders and keeps the screen when the session shuts down. It is nil,
// doing nothing, in a dev build (devBuild) or without source.
func NewFirstScreen(session *Session, source []byte) *FirstScreen {
	if devBuild || len(source) == 0 {
		return nil
	}
	f := &FirstScreen{source: source, sourceSum: sha256.Sum256(source), platform: platformName(runtime.GOOS), session: session}
	session.atShutdown(f.keep)
	return f
}

// For returns the kept first screen if it was rendered from boot, else nil.
func (f *FirstScreen) For(boot BootDTO) *renderedScreen {
	if f == nil {
		return nil
	}
	home := f.home()
	if home == "" {
		return nil
	}
	kept, err := readFirstScreen(filepath.Join(home, firstScreenFile))
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			f.session.Errorf("first screen: %v", err)
		}
		return nil
	}
	around := kept.around
	around.Platform = f.platform
	if key, err := f.key(boot, around); err != nil || key != kept.key {
		return nil // rendered from other data, or by another version
	}
	f.session.Infof("the page carries the first screen kept when the window closed")
	return kept
}

// keep renders the first screen for the session's current boot data and
// the window as its page described itself, and writes it to the data
// folder. Without a description there is nothing to render for, and a
// failure is logged: either way the file is removed, so that nothing stale
// can be used. It runs when the window closes.
func (f *FirstScreen) keep() {
	home := f.home()
	if home == "" {
		return
	}
	path := filepath.Join(home, firstScreenFile)
	written, err := f.write(path)
	if err != nil {
		f.session.Errorf("first screen: %v", err)
	}
	if !written {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			f.session.Errorf("first screen: %v", err)
		}
	}
}

// write renders the first screen into path; false when it did not.
func (f *FirstScreen) write(path string) (bool, error) {
	window := f.session.window.Load()
	if window == nil {
		return false, nil
	}
	boot, ok := bootData(f.session)
	if !ok {
		return false, nil
	}
	data, err := json.Marshal(boot)
	if err != nil {
		return false, err
	}
	around := Surroundings{Width: window.Width, Height: window.Height, Platform: f.platform, Languages: window.Languages}
	key, err := f.key(boot, around)
	if err != nil {
		return false, err
	}
	screen, err := renderFirstScreen(f.source, data, around)
	if err != nil || screen == nil {
		return false, err
	}
	surroundings, err := json.Marshal(around)
	if err != nil {
		return false, err
	}
	var out bytes.Buffer
	out.WriteString(firstScreenHeader + key + " " + screen.locale + " " + string(surroundings) + "\n")
	out.WriteString(screen.html)
	return true, writeFileAtomic(path, out.Bytes())
}

// home is the open data folder, or "" when there is none.
func (f *FirstScreen) home() string {
	f.session.mu.RLock()
	defer f.session.mu.RUnlock()
	if f.session.backend == nil {
		return ""
	}
	return f.session.backend.Home
}

// key names what a first screen is rendered from: the server build, the
// boot data but for its count of changes in this session, and the window.
func (f *FirstScreen) key(boot BootDTO, around Surroundings) (string, error) {
	boot.Status.Changes = 0 // a copy
	data, err := json.Marshal(struct {
		Boot   BootDTO      `json:"boot"`
		Around Surroundings `json:"around"`
	}{boot, around})
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write(f.sourceSum[:])
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// renderedScreen is a first screen and what it was rendered for.
type renderedScreen struct {
	html   string
	locale string
	around Surroundings
	key    string
}

// readFirstScreen reads the first screen kept in path.
func readFirstScreen(path string) (*renderedScreen, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, firstScreenMax+1))
	if err != nil {
		return nil, err
	}
	if len(data) > firstScreenMax {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, firstScreenMax)
	}
	header, body, ok := strings.Cut(string(data), "\n")
	fields := strings.SplitN(strings.TrimPrefix(header, firstScreenHeader), " ", 3)
	screen := &renderedScreen{html: body}
	if !ok || !strings.HasPrefix(header, firstScreenHeader) || len(fields) != 3 || body == "" ||
		json.Unmarshal([]byte(fields[2]), &screen.around) != nil {
		return nil, fmt.Errorf("%s is not a first screen", path)
	}
	screen.key, screen.locale = fields[0], fields[1]
	if screen.locale != "en" && screen.locale != "nl" {
		return nil, fmt.Errorf("%s is not a first screen", path)
	}
	return screen, nil
}

// renderFirstScreen runs the server build source in a new engine for boot
// in around; nil when the boot data shows no overview.
func renderFirstScreen(source, boot []byte, around Surroundings) (*renderedScreen, error) {
	program, err := goja.Compile("first-screen.js", string(source)+"\n;KoppelFirstScreen", false)
	if err != nil {
		return nil, err
	}
	vm := goja.New()
	vm.SetFieldNameMapper(goja.TagFieldNameMapper("json", true))
	stop := time.AfterFunc(renderLimit, func() { vm.Interrupt("took longer than " + renderLimit.String()) })
	defer stop.Stop()
	exports, err := vm.RunProgram(program)
	if err != nil {
		return nil, err
	}
	render, ok := goja.AssertFunction(exports.ToObject(vm).Get("firstScreen"))
	if !ok {
		return nil, errors.New("the server build has no firstScreen function")
	}
	v, err := render(goja.Undefined(), vm.ToValue(string(boot)), vm.ToValue(around))
	if err != nil {
		return nil, err
	}
	var out struct {
		HTML   string `json:"html"`
		Locale string `json:"locale"`
	}
	if err := vm.ExportTo(v, &out); err != nil {
		return nil, fmt.Errorf("the server build's answer: %w", err)
	}
	if out.HTML == "" {
		return nil, nil
	}
	if out.Locale != "en" && out.Locale != "nl" {
		return nil, fmt.Errorf("the server build rendered language %q", out.Locale)
	}
	return &renderedScreen{html: out.HTML, locale: out.Locale, around: around}, nil
}

// withFirstScreen returns page with screen inside its mount point, which
// says what it was rendered for: start.ts mounts at once, over it, when the
// window turns out to be another (language, height or platform). inert
// keeps clicks and typing off it until the window's code has taken over.
// The html element gets the screen's language and the platform main.ts
// would give it: WebKit lays the screen out, and may paint it, before
// main.ts runs, and a platform set only then made it lay out everything
// again in the platform's fonts (~25 ms). page is unchanged when screen is
// nil or page lacks either element.
func withFirstScreen(page []byte, screen *renderedScreen) []byte {
	if screen == nil {
		return page
	}
	top := bytes.Index(page, []byte(pageElement))
	at := bytes.Index(page, []byte(firstScreenElement))
	if top < 0 || at < top {
		return page
	}
	platform := platformClass(screen.around.Platform)
	var out bytes.Buffer
	out.Grow(len(page) + len(screen.html) + 120)
	out.Write(page[:top])
	out.WriteString(`<html lang="` + html.EscapeString(screen.locale) + `" data-platform="` + platform + `">`)
	out.Write(page[top+len(pageElement) : at])
	attr := html.EscapeString(fmt.Sprintf("%s %d %s", screen.locale, screen.around.Height, platform))
	out.WriteString(`<div id="app" data-first-screen="` + attr + `" inert>`)
	out.WriteString(screen.html)
	out.WriteString(`</div>`)
	out.Write(page[at+len(firstScreenElement):])
	return out.Bytes()
}

// writeFileAtomic replaces path with data, readable by the user only: a
// crash leaves the old file or the new one, never half of one.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// platformName is navigator.platform as the window reports it on goos, as
// far as the window looks at it (the start: "Mac", "Win").
func platformName(goos string) string {
	switch goos {
	case "darwin":
		return "MacIntel"
	case "windows":
		return "Win32"
	default:
		return "Linux"
	}
}

// platformClass is the platform as main.ts names it (platformOf).
func platformClass(platform string) string {
	switch {
	case strings.HasPrefix(platform, "Mac"):
		return "mac"
	case strings.HasPrefix(platform, "Win"):
		return "windows"
	default:
		return "linux"
	}
}
