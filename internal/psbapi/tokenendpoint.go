package psbapi

import (
	"crypto/subtle"
	"encoding/base64"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"koppel/internal/koppel"
)

// OAuth 2.0 error codes (RFC 6749 §5.2).
const (
	errInvalidRequest       = "invalid_request"
	errInvalidClient        = "invalid_client"
	errInvalidGrant         = "invalid_grant"
	errUnsupportedGrantType = "unsupported_grant_type"
	errInvalidScope         = "invalid_scope"
	errServerError          = "server_error"
	// errTemporarilyUnavailable answers a throttled App Key (429).
	errTemporarilyUnavailable = "temporarily_unavailable"
)

// The successful token response (RFC 6749 §5.1) around the token.
var (
	tokenResponseHead = `{"access_token":"`
	tokenResponseTail = `","expires_in":` + strconv.Itoa(int(tokenLifetime/time.Second)) + `,"token_type":"Bearer"}`
)

// The only scope there is: the access point.
const scopeAP = "ap"

// tokenRequest is a token request after its syntax was checked.
type tokenRequest struct {
	grant    string
	clientID string
	secret   koppel.Secret
	basic    bool // the client authenticated with HTTP Basic
	username string
	password string
}

// oauthError is a refusal of the token endpoint.
type oauthError struct {
	status      int
	code        string
	description string
}

func refuse(status int, code, description string) *oauthError {
	return &oauthError{status, code, description}
}

func badRequest(description string) *oauthError {
	return refuse(http.StatusBadRequest, errInvalidRequest, description)
}

// token is POST /connect/token: the client credentials grant (RFC 6749
// §4.4) and the password grant (§4.3) as DESIGN §5 defines it, with client
// authentication in the body or by HTTP Basic (§2.3.1).
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Cache-Control"] = headerNoStore
	h["Pragma"] = headerNoCache
	req, oerr := s.parseTokenRequest(w, r)
	if oerr == nil {
		oerr = s.grant(w, r, req)
	}
	if oerr != nil {
		if oerr.code == errInvalidClient && req != nil && req.basic {
			h.Set("WWW-Authenticate", `Basic realm="koppel", charset="UTF-8"`)
		}
		s.fail(w, r, oerr.status, oerr.code, oerr.description)
	}
}

// parseTokenRequest checks the request's syntax and client authentication
// parameters. A returned request comes with a nil error, or with an error
// when the client's authentication method is known (for WWW-Authenticate).
func (s *Server) parseTokenRequest(w http.ResponseWriter, r *http.Request) (*tokenRequest, *oauthError) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return nil, refuse(http.StatusMethodNotAllowed, errInvalidRequest, "The token endpoint takes POST only.")
	}
	if !isForm(r.Header.Get("Content-Type")) {
		return nil, badRequest("The token request must be a form (Content-Type: application/x-www-form-urlencoded).")
	}
	if r.URL.RawQuery != "" {
		if q := r.URL.Query(); q.Has("client_secret") || q.Has("password") {
			return nil, badRequest("Credentials must be sent in the request body or the Authorization header, never in the URL.")
		}
	}
	body, err := readBody(w, r, maxFormBody)
	if err == errTooLarge {
		return nil, refuse(http.StatusRequestEntityTooLarge, errInvalidRequest, "The token request is larger than 16 KiB.")
	}
	if err != nil {
		return nil, badRequest("The token request body could not be read.")
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, badRequest("The token request body is not valid form encoding.")
	}
	for name, values := range form {
		if len(values) > 1 {
			return nil, badRequest("The parameter " + strconv.Quote(short(name)) + " is repeated; each parameter may appear once.")
		}
	}
	// form.Get gives "" for a parameter sent without a value, which counts
	// as omitted (§3.2).
	req := &tokenRequest{grant: form.Get("grant_type")}
	if auth, ok := r.Header["Authorization"]; ok {
		req.basic = true
		if len(auth) > 1 {
			return req, badRequest("The Authorization header is repeated.")
		}
		id, secret, ok := parseBasic(auth[0])
		if !ok {
			return req, refuse(http.StatusUnauthorized, errInvalidClient, "The Authorization header must be HTTP Basic with the App Key and Secret, each form-urlencoded.")
		}
		if form.Get("client_secret") != "" || (form.Get("client_id") != "" && form.Get("client_id") != id) {
			return req, badRequest("The client authenticated twice: in the Authorization header and in the body. Use one of them.")
		}
		req.clientID, req.secret = id, koppel.NewSecret(secret)
	} else {
		req.clientID, req.secret = form.Get("client_id"), koppel.NewSecret(form.Get("client_secret"))
	}
	switch {
	case req.grant == "":
		return req, badRequest("The parameter grant_type is missing.")
	case req.clientID == "" || req.secret.IsZero():
		return req, refuse(http.StatusUnauthorized, errInvalidClient, "The client must authenticate with its App Key (client_id) and Secret (client_secret), in the body or by HTTP Basic.")
	case req.grant != "client_credentials" && req.grant != "password":
		return req, refuse(http.StatusBadRequest, errUnsupportedGrantType, "The grant type must be client_credentials or password.")
	}
	if scope := form.Get("scope"); scope != "" {
		for _, sc := range strings.Fields(scope) {
			if sc != scopeAP {
				return req, refuse(http.StatusBadRequest, errInvalidScope, `The only scope is "ap".`)
			}
		}
	}
	if req.grant == "password" {
		req.username, req.password = form.Get("username"), form.Get("password")
		if req.username == "" || req.password == "" {
			return req, badRequest("The password grant needs username (a party ID the key is granted) and password (the Secret).")
		}
	}
	return req, nil
}

func isForm(contentType string) bool {
	const form = "application/x-www-form-urlencoded"
	if contentType == form {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == form
}

// parseBasic reads "Basic base64(urlencoded(id):urlencoded(secret))"
// (RFC 6749 §2.3.1).
func parseBasic(h string) (id, secret string, ok bool) {
	scheme, cred, found := strings.Cut(h, " ")
	if !found || !strings.EqualFold(scheme, "Basic") {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
	if err != nil {
		return "", "", false
	}
	rawID, rawSecret, found := strings.Cut(string(raw), ":")
	if !found {
		return "", "", false
	}
	if id, err = url.QueryUnescape(rawID); err != nil {
		return "", "", false
	}
	if secret, err = url.QueryUnescape(rawSecret); err != nil {
		return "", "", false
	}
	return id, secret, id != "" && secret != ""
}

// grant authenticates the client and issues the token.
func (s *Server) grant(w http.ResponseWriter, r *http.Request, req *tokenRequest) *oauthError {
	if wait := s.throttle.wait(req.clientID); wait > 0 {
		secs := int(math.Ceil(wait.Seconds()))
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		return refuse(http.StatusTooManyRequests, errTemporarilyUnavailable,
			"Too many failed token requests with this App Key; try again in "+strconv.Itoa(secs)+" s.")
	}
	st, err := s.conns.authenticate(r.Context(), req.clientID, req.secret)
	if err != nil {
		if koppel.ErrorCode(err) != koppel.EForbidden {
			s.log.WithError(err).Error("token request: authentication failed inside Koppel")
			return refuse(http.StatusInternalServerError, errServerError, koppel.ErrorMessage(err))
		}
		s.throttle.fail(req.clientID)
		return refuse(http.StatusUnauthorized, errInvalidClient, koppel.ErrorMessage(err))
	}
	c := claims{connID: st.id, expires: s.now().Add(tokenLifetime).Unix()}
	if req.grant == "password" {
		p, oerr := s.passwordGrant(st, req)
		if oerr != nil {
			s.throttle.fail(req.clientID)
			return oerr
		}
		c.orgID = p.orgID
	}
	body := make([]byte, 0, len(tokenResponseHead)+tokenLen+len(tokenResponseTail))
	body = append(body, tokenResponseHead...)
	body, err = s.tokens.mint(body, c)
	if err != nil {
		s.log.WithError(err).Error("token request: no randomness for the token")
		return refuse(http.StatusInternalServerError, errServerError, "Koppel could not make a token.")
	}
	body = append(body, tokenResponseTail...)
	s.throttle.succeed(req.clientID)
	s.touch.used(st.id)
	writeRaw(w, http.StatusOK, body)
	if s.log.IsLevelEnabled(logrus.DebugLevel) {
		s.log.WithFields(logrus.Fields{"connection": st.id, "grant": req.grant}).Debug("token issued")
	}
	return nil
}

// passwordGrant checks the password grant's resource owner: username a
// party the connection is granted, password its Secret again.
func (s *Server) passwordGrant(st *connState, req *tokenRequest) (*party, *oauthError) {
	if subtle.ConstantTimeCompare([]byte(req.password), []byte(req.secret.Reveal())) != 1 {
		return nil, refuse(http.StatusBadRequest, errInvalidGrant, "The password must be the connection's Secret.")
	}
	pid, err := koppel.ParsePartyID(req.username)
	if err != nil {
		return nil, refuse(http.StatusBadRequest, errInvalidGrant, "The username must be a party ID this key is granted: "+koppel.ErrorMessage(err))
	}
	p := st.party(pid.Canonical())
	if p == nil {
		return nil, refuse(http.StatusBadRequest, errInvalidGrant, "This key is not granted party "+string(pid)+".")
	}
	return p, nil
}
