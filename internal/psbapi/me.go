package psbapi

import (
	"encoding/json"
	"net/http"
	"strings"

	"koppel/internal/koppel"
)

// caller is an authenticated API request: its connection and what its token
// is limited to.
type caller struct {
	conn  *connState
	orgID int64 // 0: every granted organization (client credentials)
}

// parties returns the parties the caller may act for.
func (c *caller) parties() []party {
	if c.orgID == 0 {
		return c.conn.parties
	}
	if p := c.conn.partyByOrg(c.orgID); p != nil {
		return []party{*p}
	}
	return nil
}

// authed wraps an API handler: it checks the bearer token's MAC, then its
// expiry, then its connection's status (R4), on every call.
func (s *Server) authed(next func(w http.ResponseWriter, r *http.Request, c *caller)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := bearer(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="koppel"`)
			s.fail(w, r, http.StatusUnauthorized, "invalid_token", "An access token is required: Authorization: Bearer <token> from POST /connect/token.")
			return
		}
		cl, ok := s.tokens.check(tok)
		if !ok {
			s.unauthorized(w, r, "The access token is not valid.")
			return
		}
		if s.now().Unix() >= cl.expires {
			s.unauthorized(w, r, "The access token has expired; request a new one.")
			return
		}
		st, err := s.conns.get(r.Context(), cl.connID)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		if !st.active {
			s.unauthorized(w, r, "The keys of this access token were revoked.")
			return
		}
		s.touch.used(st.id)
		next(w, r, &caller{conn: st, orgID: cl.orgID})
	}
}

func (s *Server) unauthorized(w http.ResponseWriter, r *http.Request, description string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="koppel", error="invalid_token"`)
	s.fail(w, r, http.StatusUnauthorized, "invalid_token", description)
}

// bearer returns the token of an "Authorization: Bearer" header.
func bearer(r *http.Request) (string, bool) {
	h := r.Header["Authorization"]
	if len(h) != 1 {
		return "", false
	}
	scheme, tok, ok := strings.Cut(h[0], " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// discovery is GET /.well-known/openid-configuration. The issuer is the
// address the client used, which the Host guard has checked.
func (s *Server) discovery(w http.ResponseWriter, r *http.Request) {
	issuer := "http://" + r.Host
	s.writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                issuer,
		"token_endpoint":                        issuer + "/connect/token",
		"grant_types_supported":                 []string{"client_credentials", "password"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
		"scopes_supported":                      []string{scopeAP},
		"response_types_supported":              []string{"token"},
	})
}

type meJSON struct {
	ConnectionID int64        `json:"connectionId"`
	AppKey       string       `json:"appKey"`
	Software     softwareJSON `json:"software"`
	Status       string       `json:"status"`
}

type softwareJSON struct {
	Slug      string `json:"slug"`
	Name      string `json:"name"`
	Direction string `json:"direction"`
}

// me is GET /api/v1/me: the connection.
func (s *Server) me(w http.ResponseWriter, r *http.Request, c *caller) {
	sw := c.conn.software
	s.writeJSON(w, http.StatusOK, meJSON{c.conn.id, c.conn.appKey,
		softwareJSON{sw.Slug, sw.Name, string(sw.Direction)}, string(koppel.StatusActive)})
}

type partyJSON struct {
	PartyID            string `json:"partyId"`
	Name               string `json:"name"`
	CanSendDocument    bool   `json:"canSendDocument"`
	CanReceiveDocument bool   `json:"canReceiveDocument"`
	CanRemoveDocument  bool   `json:"canRemoveDocument"`
	CanManageHook      bool   `json:"canManageHook"`
}

// meParty is GET /api/v1/me/party (and /me/parties): the parties the token
// may act for, with what the package's direction allows (R10). For a token
// of all the grants the answer was encoded with the snapshot.
func (s *Server) meParty(w http.ResponseWriter, r *http.Request, c *caller) {
	if c.orgID == 0 && c.conn.partiesJSON != nil {
		writeRaw(w, http.StatusOK, c.conn.partiesJSON)
		return
	}
	writeRaw(w, http.StatusOK, encodeParties(c.conn.software.Direction, c.parties()))
}

// encodeParties is the JSON of /me/party.
func encodeParties(d koppel.Direction, ps []party) []byte {
	out := make([]partyJSON, len(ps))
	for i, p := range ps {
		out[i] = partyJSON{string(p.id), p.name, permSend.check(d), permReceive.check(d), permRemove.check(d), permHook.check(d)}
	}
	b, _ := json.Marshal(out) // plain strings and booleans: cannot fail
	return b
}
