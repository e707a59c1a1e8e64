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
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/dop251/goja"
)

// FirstScreen gives the window's page its first screen, the overview, as
// HTML, so that WebKit paints it as soon as it has parsed the page. The
// window's code mounts over it after that first frame (frontend: main.ts):
// mounting costs the page ~16 ms before it can paint, most of it
// JavaScriptCore compiling code it runs for the first time, and the
// overview no longer waits for that.
//
// The HTML comes from the window's own components: Svelte's server build of
// them (frontend/src/ssr.ts, built into frontend/dist-ssr) runs in goja, a
// JavaScript engine written in Go, with the boot data the page carries.
// There is no second description of the screen to keep in step.
//
// Rendering takes ~35 ms of CPU, which at startup would be taken from
// WebKit's start on the same cores (measured: the overview came later, not
// sooner). So the screen is rendered when the window closes, and kept in
// the data folder with a key of everything it was rendered from: the server
// build, the boot data and the window's surroundings. The next page whose
// boot data and surroundings give the same key gets it; any other page (the
// data changed, from the command line say, another version, no file) gets
// none, and the window mounts as it always could. Only the age of a key
// ("45 d") can read a day less on it than it should: for that one frame,
// until the window has mounted.
type FirstScreen struct {
	source    []byte
	sourceSum [sha256.Size]byte
	window    Surroundings
	// systemSays: the window's languages are the system's as Go reads
	// them (systemLanguages), as on Linux; elsewhere only a page's
	// Accept-Language tells.
	systemSays bool

	mu      sync.Mutex
	served  Surroundings // of the last page served
	session *Session
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
	// screen: a header line with its key, then the HTML.
	firstScreenFile = "first-screen.html"
	// firstScreenHeader starts the header line; a new format takes a new
	// version.
	firstScreenHeader = "koppel-first-screen-1 "
	// firstScreenMax bounds what is read of the file (~25 KB normally).
	firstScreenMax = 1 << 20
	// renderLimit bounds one rendering; it normally takes ~35 ms.
	renderLimit = 2 * time.Second
	// firstScreenElement is how the page's mount point reads in index.html;
	// the first screen goes inside it.
	firstScreenElement = `<div id="app"></div>`
	// pageElement is how the page's html element reads in index.html; with
	// a first screen it also names the language and the platform.
	pageElement = `<html lang="en">`
)

// NewFirstScreen returns the first screen of session's window from source,
// the server build of the window (frontend/dist-ssr/first-screen.js), for a
// window of width by height CSS pixels. It renders and keeps the screen
// when the session shuts down. It is nil, doing nothing, in a dev build
// (devBuild) or without source.
func NewFirstScreen(session *Session, source []byte, width, height int) *FirstScreen {
	if devBuild || len(source) == 0 {
		return nil
	}
	window := Surroundings{Width: width, Height: height, Platform: platformName(runtime.GOOS), Languages: systemLanguages()}
	f := &FirstScreen{
		source: source, sourceSum: sha256.Sum256(source), window: window, served: window, session: session,
		systemSays: runtime.GOOS == "linux",
	}
	session.atShutdown(f.keep)
	return f
}

// For returns the kept first screen if it was rendered from boot (the boot
// data's JSON text) for the window the request comes from, else nil.
func (f *FirstScreen) For(boot []byte, r *http.Request) *renderedScreen {
	if f == nil {
		return nil
	}
	around := f.window
	langs := acceptedLanguages(r.Header.Get("Accept-Language"))
	if len(langs) > 0 {
		around.Languages = langs
	}
	f.mu.Lock()
	f.served = around
	f.mu.Unlock()
	home := f.home()
	if home == "" {
		return nil
	}
	b, key, err := f.key(boot, around)
	if err != nil {
		return nil
	}
	if b.Status.Language == "" && len(langs) == 0 && !f.systemSays {
		// The window follows the system's language, which only the
		// window knows here: a screen in another would show for a frame.
		return nil
	}
	screen, err := readFirstScreen(filepath.Join(home, firstScreenFile), key)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			f.session.Errorf("first screen: %v", err)
		}
		return nil
	}
	screen.around = around
	f.session.Infof("the page carries the first screen kept when the window closed")
	return screen
}

// keep renders the first screen for the session's current boot data and
// the surroundings of the last page served, and writes it to the data
// folder; a failure is logged and removes the file, so that nothing stale
// can be used. It runs when the window closes.
func (f *FirstScreen) keep() {
	home := f.home()
	if home == "" {
		return
	}
	path := filepath.Join(home, firstScreenFile)
	if err := f.write(path); err != nil {
		f.session.Errorf("first screen: %v", err)
		_ = os.Remove(path)
	}
}

func (f *FirstScreen) write(path string) error {
	boot, ok := bootData(f.session)
	if !ok {
		return nil
	}
	data, err := json.Marshal(boot)
	if err != nil {
		return err
	}
	f.mu.Lock()
	around := f.served
	f.mu.Unlock()
	_, key, err := f.key(data, around)
	if err != nil {
		return err
	}
	screen, err := renderFirstScreen(f.source, data, around)
	if err != nil {
		return err
	}
	if screen == nil {
		return os.Remove(path)
	}
	var out bytes.Buffer
	out.WriteString(firstScreenHeader + key + " " + screen.locale + "\n")
	out.WriteString(screen.html)
	return writeFileAtomic(path, out.Bytes())
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
// boot data but for its count of changes in this session, and the
// surroundings. It returns the boot data too.
func (f *FirstScreen) key(boot []byte, around Surroundings) (BootDTO, string, error) {
	var b BootDTO
	if err := json.Unmarshal(boot, &b); err != nil {
		return b, "", err
	}
	changes := b.Status.Changes
	b.Status.Changes = 0
	data, err := json.Marshal(struct {
		Boot   BootDTO      `json:"boot"`
		Around Surroundings `json:"around"`
	}{b, around})
	b.Status.Changes = changes
	if err != nil {
		return b, "", err
	}
	h := sha256.New()
	h.Write(f.sourceSum[:])
	h.Write(data)
	return b, hex.EncodeToString(h.Sum(nil)), nil
}

// renderedScreen is a first screen and what it was rendered for.
type renderedScreen struct {
	html   string
	locale string
	around Surroundings
}

// readFirstScreen reads the first screen kept in path if its key is key.
func readFirstScreen(path, key string) (*renderedScreen, error) {
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
	fields := strings.Fields(strings.TrimPrefix(header, firstScreenHeader))
	if !ok || !strings.HasPrefix(header, firstScreenHeader) || len(fields) != 2 {
		return nil, fmt.Errorf("%s is not a first screen", path)
	}
	if fields[0] != key || body == "" {
		return nil, os.ErrNotExist // rendered from something else
	}
	return &renderedScreen{html: body, locale: fields[1]}, nil
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
// says what it was rendered for: main.ts mounts at once, over it, when the
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

// systemLanguages is the user's languages as WebKitGTK finds them (GLib's
// g_get_language_names: LANGUAGE, else LC_ALL, LC_MESSAGES, LANG), as
// language tags. Elsewhere these are mostly unset: the page's request then
// says, or main.ts finds that the language differs and mounts at once.
func systemLanguages() []string {
	if list := os.Getenv("LANGUAGE"); list != "" {
		var tags []string
		for _, l := range strings.Split(list, ":") {
			if tag := languageTag(l); tag != "" {
				tags = append(tags, tag)
			}
		}
		if len(tags) > 0 {
			return tags
		}
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(name); v != "" {
			if tag := languageTag(v); tag != "" {
				return []string{tag}
			}
			return nil
		}
	}
	return nil
}

// languageTag turns a POSIX locale name (nl_NL.UTF-8@euro) into a language
// tag (nl-NL); "" for C and POSIX.
func languageTag(locale string) string {
	l, _, _ := strings.Cut(locale, ".")
	l, _, _ = strings.Cut(l, "@")
	if l == "" || l == "C" || l == "POSIX" {
		return ""
	}
	return strings.ReplaceAll(l, "_", "-")
}

// acceptedLanguages is an Accept-Language header's tags, in its order (the
// web views list them by descending weight), at most 16.
func acceptedLanguages(header string) []string {
	var tags []string
	for _, part := range strings.Split(header, ",") {
		tag, _, _ := strings.Cut(part, ";")
		if tag = strings.TrimSpace(tag); tag != "" && tag != "*" && len(tags) < 16 {
			tags = append(tags, tag)
		}
	}
	return tags
}
