package app

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// BootDTO is what the window's page finds inside itself when it loads: the
// backend's status and, when it opened, the overview's first screen. With
// it the page shows the overview in its first frame instead of asking Go
// for it once its scripts run; without it (the backend still opening, a
// failure) the page asks, as it always could. It holds what the bound
// System.Status and Connections.Overview answer and nothing else, but for
// the organizations: of those, what the first screen shows.
type BootDTO struct {
	Status   StatusDTO    `json:"status"`
	Overview *OverviewDTO `json:"overview,omitempty"`
	// With more than bootOrganizations organizations the overview holds
	// the first bootOrganizations of them, OrganizationCount says how many
	// there are, and Named holds the others its rows name. The page shows
	// those and asks for the whole list once its first frame is painted:
	// every organization cost the page ~110 bytes, which WebKit reads 8 KiB
	// at a time (1,000 organizations: the page's response ended ~7 ms later and the overview was painted ~4 ms later than with 20).
	OrganizationCount int               `json:"organizationCount,omitempty"`
	Named             []OrganizationDTO `json:"named,omitempty"`
}

// bootRows is how many rows of the overview the page gets: more than a
// tall window shows (frontend: data.svelte.ts, firstWindow).
const bootRows = 40

// bootOrganizations is how many organizations of the list the page gets at
// most: more than the sidebar shows in a tall window (50 px each).
const bootOrganizations = 40

// bootWait bounds how long the page waits for the backend before it is
// served without boot data: opening normally takes a few tens of
// milliseconds, but a keychain that asks for a password must not leave the
// window blank.
const bootWait = 1500 * time.Millisecond

// bootElementID is the id of the element that carries the boot data
// (frontend: lib/boot.ts).
const bootElementID = "koppel-boot"

// BootPage is the asset server middleware that puts the window's boot data
// into its page (index.html) as a JSON data block, which the page's
// Content-Security-Policy allows because it is never run, and, when first
// is not nil, the first screen rendered from it (FirstScreen). Every other
// request passes through untouched.
func BootPage(session *Session, first *FirstScreen) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet || (r.URL.Path != "/" && r.URL.Path != "/index.html") {
				next.ServeHTTP(w, r)
				return
			}
			// Always the whole page, never "not modified": a cached copy
			// would bring old boot data.
			r = r.Clone(r.Context())
			for _, h := range []string{"If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since", "If-Range"} {
				r.Header.Del(h)
			}
			page := &pageRecorder{header: http.Header{}, code: http.StatusOK}
			next.ServeHTTP(page, r)
			body := page.body.Bytes()
			if page.code == http.StatusOK && page.header.Get("Content-Encoding") == "" {
				if boot, ok := bootData(session); ok {
					if data, err := json.Marshal(boot); err == nil {
						body = withBootData(body, data)
						body = withFirstScreen(body, first.For(boot))
					}
				}
			}
			for k, v := range page.header {
				w.Header()[k] = v
			}
			w.Header().Del("ETag")
			w.Header().Del("Last-Modified")
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(page.code)
			_, _ = w.Write(body)
		})
	}
}

// bootData returns the boot data if the backend has finished opening
// within bootWait.
func bootData(session *Session) (BootDTO, bool) {
	select {
	case <-session.ready:
	case <-time.After(bootWait):
		return BootDTO{}, false
	}
	boot := BootDTO{Status: NewSystem(session).Status()}
	if boot.Status.Ready {
		o, err := NewConnections(session).Overview(WindowQuery{Limit: bootRows})
		if err != nil {
			// The page asks again and shows the error in its words.
			return BootDTO{}, false
		}
		boot.Overview = &o
		firstOrganizations(&boot)
	}
	return boot, true
}

// firstOrganizations cuts the boot's organizations to the first
// bootOrganizations and those the rows name (BootDTO).
func firstOrganizations(boot *BootDTO) {
	o := boot.Overview
	if len(o.Organizations) <= bootOrganizations {
		return
	}
	named := map[int64]bool{}
	for _, r := range o.Connections.Rows {
		for _, id := range r.OrganizationIDs {
			named[id] = true
		}
	}
	boot.OrganizationCount = len(o.Organizations)
	for _, org := range o.Organizations[bootOrganizations:] {
		if named[org.ID] {
			boot.Named = append(boot.Named, org)
		}
	}
	o.Organizations = o.Organizations[:bootOrganizations]
}

// withBootData returns page with data, the boot data's JSON text, as a
// JSON data block before </head>, or page unchanged if it has no </head>.
// encoding/json escapes <, > and &, so the data cannot end the element
// early.
func withBootData(page, data []byte) []byte {
	at := bytes.Index(page, []byte("</head>"))
	if at < 0 {
		return page
	}
	var out bytes.Buffer
	out.Grow(len(page) + len(data) + 80)
	out.Write(page[:at])
	out.WriteString(`<script type="application/json" id="` + bootElementID + `">`)
	out.Write(data)
	out.WriteString("</script>\n")
	out.Write(page[at:])
	return out.Bytes()
}

// pageRecorder keeps what the asset handler answers for the page.
type pageRecorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (p *pageRecorder) Header() http.Header         { return p.header }
func (p *pageRecorder) WriteHeader(code int)        { p.code = code }
func (p *pageRecorder) Write(b []byte) (int, error) { return p.body.Write(b) }
