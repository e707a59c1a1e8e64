package psbapi

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"koppel/internal/koppel"
)

// routes are DESIGN §5's endpoints. Every path also gets a handler for
// the methods it does not take, and the tree a handler for paths it does
// not have, so that those answers are JSON too.
func (s *Server) routes() {
	m := http.NewServeMux()
	allow := map[string][]string{} // path → methods, in registration order
	handle := func(method, path string, h http.HandlerFunc) {
		m.HandleFunc(method+" "+path, h)
		allow[path] = append(allow[path], method)
	}
	handle("GET", "/.well-known/openid-configuration", s.discovery)
	m.HandleFunc("/connect/token", s.token) // any method: it answers 405 itself, in OAuth's shape
	handle("GET", "/api/v1/me", s.authed(s.me))
	handle("GET", "/api/v1/me/party", s.authed(s.meParty))
	handle("GET", "/api/v1/me/parties", s.authed(s.meParty))

	handle("GET", "/api/v1/{partyId}/purchaseInvoice", s.forParty(permReceive, s.listPurchase))
	handle("GET", "/api/v1/{partyId}/purchaseInvoice/{documentId}/download", s.forParty(permReceive, s.download))
	handle("GET", "/api/v1/{partyId}/purchaseInvoice/{documentId}/status", s.forParty(permReceive, s.history))
	handle("DELETE", "/api/v1/{partyId}/purchaseInvoice/{documentId}", s.forParty(permRemove, s.withdraw))
	handle("POST", "/api/v1/{partyId}/salesInvoice/send", s.forParty(permSend, s.sendSales))
	handle("GET", "/api/v1/{partyId}/salesInvoice/{documentId}/status", s.forParty(permSend, s.history))

	handle("PUT", "/api/v1/{partyId}/hook", s.forParty(permHook, s.putHook))
	handle("GET", "/api/v1/{partyId}/hook", s.forParty(permHook, s.listHooks))
	// Not through handle: a catch-all for other methods on …/hook/ping would
	// clash with GET …/hook/{hookId}; that path's catch-all answers them.
	m.HandleFunc("GET /api/v1/{partyId}/hook/ping", s.forParty(permHook, s.pingHooks))
	handle("GET", "/api/v1/{partyId}/hook/{hookId}", s.forParty(permHook, s.getHook))
	handle("DELETE", "/api/v1/{partyId}/hook/{hookId}", s.forParty(permHook, s.deleteHook))

	for path, methods := range allow {
		if slices.Contains(methods, "GET") {
			methods = append(methods, "HEAD")
		}
		allowed := strings.Join(methods, ", ")
		m.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", allowed)
			s.fail(w, r, http.StatusMethodNotAllowed, "method_not_allowed", "This endpoint takes "+allowed+".")
		})
	}
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusNotFound, koppel.ENotFound, "There is no such API endpoint. GET /.well-known/openid-configuration describes the API.")
	})
	s.mux = m
}

// permission is one of the flags /me/party reports; each follows from the
// package's direction (R10).
type permission struct {
	name  string // as /me/party names it
	needs string // what it allows, for the refusal
	check func(koppel.Direction) bool
}

var (
	permSend    = permission{"canSendDocument", "send sales invoices", koppel.Direction.CanSend}
	permReceive = permission{"canReceiveDocument", "fetch purchase invoices", koppel.Direction.CanReceive}
	permRemove  = permission{"canRemoveDocument", "withdraw purchase invoices", koppel.Direction.CanReceive}
	permHook    = permission{"canManageHook", "manage webhooks for received invoices", koppel.Direction.CanReceive}
)

// partyCall is an authenticated call for one granted party.
type partyCall struct {
	*caller
	party *party
}

// forParty wraps a handler of /api/v1/{partyId}/…: the party, in either
// notation, must be granted to the key and allowed by the token (R9), and
// the package's direction must give perm (R10).
func (s *Server) forParty(perm permission, next func(w http.ResponseWriter, r *http.Request, c *partyCall)) http.HandlerFunc {
	return s.authed(func(w http.ResponseWriter, r *http.Request, c *caller) {
		raw := r.PathValue("partyId")
		pid, err := koppel.ParsePartyID(raw)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		p := c.conn.party(pid.Canonical())
		if p == nil {
			s.fail(w, r, http.StatusForbidden, koppel.EForbidden, "This key is not granted party "+string(pid)+".")
			return
		}
		if c.orgID != 0 && p.orgID != c.orgID {
			s.fail(w, r, http.StatusForbidden, koppel.EForbidden, "This access token was issued for another party (password grant); request one for "+string(pid)+".")
			return
		}
		sw := c.conn.software
		if !perm.check(sw.Direction) {
			s.fail(w, r, http.StatusForbidden, koppel.EForbidden, "This key lacks "+perm.name+": "+sw.Name+
				" is connected to "+directionWords(sw.Direction)+", so it cannot "+perm.needs+".")
			return
		}
		if s.cfg.Documents == nil {
			s.fail(w, r, http.StatusServiceUnavailable, "unavailable", "Invoices are not available from this Koppel.")
			return
		}
		next(w, r, &partyCall{c, p})
	})
}

func directionWords(d koppel.Direction) string {
	switch d {
	case koppel.Send:
		return "send invoices only"
	case koppel.Receive:
		return "receive invoices only"
	}
	return "send and receive invoices"
}

// pathID reads a positive id from the path; ok false means 404.
func pathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}
