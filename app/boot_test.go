package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"koppel/internal/backend"
)

const testPage = "<!DOCTYPE html><html><head><title>Koppel</title></head><body><div id=\"app\"></div></body></html>"

// servePage answers every request with page, as the embedded assets do.
func servePage(page string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, page)
	})
}

var bootBlock = regexp.MustCompile(`<script type="application/json" id="koppel-boot">(.*?)</script>`)

// getBoot requests path through BootPage and returns the page and its boot
// data (nil when it has none).
func getBoot(t *testing.T, s *Session, path string) (string, *BootDTO) {
	t.Helper()
	rec := httptest.NewRecorder()
	BootPage(s, nil)(servePage(testPage)).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d", path, rec.Code)
	}
	page := rec.Body.String()
	if got := rec.Header().Get("Content-Length"); got != "" && got != strconv.Itoa(len(page)) {
		t.Fatalf("Content-Length %s for a page of %d bytes", got, len(page))
	}
	m := bootBlock.FindStringSubmatch(page)
	if m == nil {
		return page, nil
	}
	var boot BootDTO
	if err := json.Unmarshal([]byte(m[1]), &boot); err != nil {
		t.Fatalf("boot data is not JSON: %v\n%s", err, m[1])
	}
	return page, &boot
}

// The page carries what the window opens with: the status, the
// organizations and packages, and the overview's first rows, newest first.
func TestBootPage_CarriesTheFirstScreen(t *testing.T) {
	w := openWindow(t)
	jansen := w.addOrg(t, "Bakkerij Jansen <BV> & Zn", "NL:KVK:12345678")
	yuki := w.softwareID(t, "yuki")
	var newest string
	for range bootRows + 5 {
		k, err := w.conns.Create(CreateInput{OrganizationID: jansen.ID, SoftwareID: yuki})
		if err != nil {
			t.Fatal(err)
		}
		newest = k.Connection.AppKey
	}
	for _, path := range []string{"/", "/index.html"} {
		page, boot := getBoot(t, w.s, path)
		if boot == nil {
			t.Fatalf("GET %s: no boot data in\n%s", path, page)
		}
		if !boot.Status.Ready || boot.Overview == nil {
			t.Fatalf("boot = %+v", boot)
		}
		o := boot.Overview
		if len(o.Organizations) != 1 || o.Organizations[0].Name != "Bakkerij Jansen <BV> & Zn" || len(o.Software) != 8 {
			t.Fatalf("organizations %+v, %d packages", o.Organizations, len(o.Software))
		}
		if len(o.Connections.Rows) != bootRows || o.Connections.Total != bootRows+5 || o.Connections.Rows[0].AppKey != newest {
			t.Fatalf("connections: %d rows of %d, first %s (want %s)",
				len(o.Connections.Rows), o.Connections.Total, o.Connections.Rows[0].AppKey, newest)
		}
		// The organization's name holds < and >: escaped, it cannot end the
		// data block or open an element.
		if strings.Contains(page, "<BV>") {
			t.Fatal("the boot data holds an unescaped <")
		}
		if !strings.HasPrefix(page, "<!DOCTYPE html><html><head><title>Koppel</title>") ||
			!strings.HasSuffix(page, "</head><body><div id=\"app\"></div></body></html>") {
			t.Fatalf("the page around the boot data changed:\n%s", page)
		}
	}
}

// A long list of organizations: the page holds the first of them and the
// others its rows name, and says how many there are; the rest is asked for.
func TestBootPage_CutsALongListOfOrganizations(t *testing.T) {
	w := openWindow(t)
	yuki := w.softwareID(t, "yuki")
	var orgs []OrganizationDTO
	for i := range bootOrganizations + 5 {
		orgs = append(orgs, w.addOrg(t, fmt.Sprintf("Organisatie %02d", i), fmt.Sprintf("NL:KVK:%08d", 10000000+i)))
	}
	// Rows of one organization in the list's first part and of one after it.
	inList, after := orgs[2], orgs[bootOrganizations+3]
	for _, o := range []OrganizationDTO{inList, after, after} {
		if _, err := w.conns.Create(CreateInput{OrganizationID: o.ID, SoftwareID: yuki}); err != nil {
			t.Fatal(err)
		}
	}
	whole, err := w.conns.Overview(WindowQuery{Limit: bootRows})
	if err != nil {
		t.Fatal(err)
	}
	_, boot := getBoot(t, w.s, "/")
	if boot == nil || boot.Overview == nil {
		t.Fatalf("boot = %+v", boot)
	}
	if boot.OrganizationCount != bootOrganizations+5 || len(whole.Organizations) != bootOrganizations+5 {
		t.Errorf("organization count %d, want %d", boot.OrganizationCount, bootOrganizations+5)
	}
	if got, want := boot.Overview.Organizations, whole.Organizations[:bootOrganizations]; !reflect.DeepEqual(got, want) {
		t.Errorf("organizations: %d, want the first %d of the list", len(got), len(want))
	}
	if len(boot.Named) != 1 || boot.Named[0] != after {
		t.Errorf("named = %+v, want only %+v", boot.Named, after)
	}
	if !reflect.DeepEqual(boot.Overview.Connections, whole.Connections) || len(boot.Overview.Connections.Rows) != 3 {
		t.Errorf("connections = %+v, want %+v", boot.Overview.Connections, whole.Connections)
	}

	// At the limit the list is whole, as the bound call gives it.
	shortWindow := openWindow(t)
	for i := range bootOrganizations {
		shortWindow.addOrg(t, fmt.Sprintf("Organisatie %02d", i), fmt.Sprintf("NL:KVK:%08d", 10000000+i))
	}
	if _, boot := getBoot(t, shortWindow.s, "/"); boot == nil || len(boot.Overview.Organizations) != bootOrganizations ||
		boot.OrganizationCount != 0 || boot.Named != nil {
		t.Errorf("a list of %d: %+v", bootOrganizations, boot)
	}
}

// A page the browser has cached is asked for again with a condition: it
// still gets the whole page with current boot data, and is told not to
// keep it.
func TestBootPage_IsNeverCachedOrNotModified(t *testing.T) {
	w := openWindow(t)
	w.addOrg(t, "Bakkerij Jansen BV", "NL:KVK:12345678")
	// What Vite's dev server does: an ETag, and 304 when it matches.
	etagged := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `W/"page-1"`)
		w.Header().Set("Last-Modified", "Mon, 02 Jan 2006 15:04:05 GMT")
		if r.Header.Get("If-None-Match") == `W/"page-1"` || r.Header.Get("If-Modified-Since") != "" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, testPage)
	})
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("If-None-Match", `W/"page-1"`)
	req.Header.Set("If-Modified-Since", "Mon, 02 Jan 2006 15:04:05 GMT")
	rec := httptest.NewRecorder()
	BootPage(w.s, nil)(etagged).ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Bakkerij Jansen BV") {
		t.Fatalf("a conditional request got %d:\n%s", rec.Code, rec.Body.String())
	}
	if rec.Header().Get("Cache-Control") != "no-store" || rec.Header().Get("ETag") != "" || rec.Header().Get("Last-Modified") != "" {
		t.Fatalf("the page may be cached: %v", rec.Header())
	}
}

// Only the page gets boot data; scripts, styles and other requests pass
// through byte for byte.
func TestBootPage_LeavesOtherRequestsAlone(t *testing.T) {
	w := openWindow(t)
	for _, path := range []string{"/assets/index.js", "/bench-mark.js", "/index.htm"} {
		page, boot := getBoot(t, w.s, path)
		if boot != nil || page != testPage {
			t.Fatalf("GET %s was changed:\n%s", path, page)
		}
	}
	rec := httptest.NewRecorder()
	BootPage(w.s, nil)(servePage(testPage)).ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", nil))
	if rec.Body.String() != testPage {
		t.Fatal("a POST to the page got boot data")
	}
	// A compressed page cannot be edited: it passes unchanged.
	gz := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = io.WriteString(w, testPage)
	})
	rec = httptest.NewRecorder()
	BootPage(w.s, nil)(gz).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Body.String() != testPage {
		t.Fatal("a compressed page was changed")
	}
}

// No Secret reaches the page: the boot data holds App Keys, never a Secret.
func TestBootPage_HoldsNoSecret(t *testing.T) {
	w := openWindow(t)
	o := w.addOrg(t, "Bakkerij Jansen BV", "NL:KVK:12345678")
	k := w.create(t, o.ID, "yuki")
	page, boot := getBoot(t, w.s, "/")
	if boot == nil || !strings.Contains(page, k.Connection.AppKey) {
		t.Fatalf("no boot data with the App Key in\n%s", page)
	}
	if strings.Contains(page, k.Secret) || strings.Contains(page, k.QuickConnectText) {
		t.Fatal("the page holds the Secret")
	}
}

// A backend that failed to open: the page carries the reason, so the window
// shows it without asking.
func TestBootPage_CarriesTheStartupError(t *testing.T) {
	s := NewSession(func(context.Context) (*backend.Backend, error) {
		return nil, errors.New("keychain locked")
	}, &logRecorder{}, func(context.Context) Emitter { return NopEmitter{} })
	s.Startup(context.Background())
	_, boot := getBoot(t, s, "/")
	if boot == nil || boot.Status.Ready || boot.Status.Error == nil || boot.Overview != nil {
		t.Fatalf("boot = %+v", boot)
	}
}

// A backend still opening (a keychain prompt on screen) does not hold the
// page back: after bootWait it is served without boot data, and the window
// asks Go as it loads.
func TestBootPage_DoesNotWaitForASlowStart(t *testing.T) {
	s := NewSession(nil, &logRecorder{}, nil) // Startup never runs
	start := time.Now()
	page, boot := getBoot(t, s, "/")
	if boot != nil || page != testPage {
		t.Fatalf("got boot data %+v from a backend that never opened", boot)
	}
	if waited := time.Since(start); waited < bootWait || waited > bootWait+10*time.Second {
		t.Fatalf("waited %v, want about %v", waited, bootWait)
	}
}

// Status counts the change events, so a page that started from boot data
// can tell it missed one.
func TestStatus_CountsChanges(t *testing.T) {
	w := openWindow(t)
	before := w.sys.Status().Changes
	w.addOrg(t, "Bakkerij Jansen BV", "NL:KVK:12345678")
	if after := w.sys.Status().Changes; after <= before {
		t.Fatalf("changes %d → %d after adding an organization", before, after)
	}
}
