package psbapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"koppel/internal/koppel"
	"koppel/internal/quickconnect"
)

// Tester tests a link's credential the way the software will use it: it
// requests a token from a local API (client credentials) and reads
// /api/v1/me/party with it. It implements quickconnect.Tester.
type Tester struct {
	// Addr returns the address of the running local API.
	Addr func(ctx context.Context) (string, error)
	// Fallback, if set, starts an API for one test when none answers at
	// Addr (the command line does this); stop ends it.
	Fallback func(ctx context.Context) (addr string, stop func(), err error)
	Client   *http.Client // nil: a client with a 10-second timeout
}

// Test requests a token with appKey and secret and lists the parties it
// reaches.
func (t *Tester) Test(ctx context.Context, appKey string, secret koppel.Secret) (*quickconnect.TestResult, error) {
	addr, err := t.Addr(ctx)
	if err != nil {
		return nil, err
	}
	if addr, err = LoopbackAddr(addr); err != nil {
		return nil, err
	}
	res := t.test(ctx, addr, appKey, secret)
	if res.ProblemKey == "link.api_down" && t.Fallback != nil {
		fallback, stop, err := t.Fallback(ctx)
		if err != nil {
			return nil, err
		}
		defer stop()
		res = t.test(ctx, fallback, appKey, secret)
	}
	return res, nil
}

func (t *Tester) test(ctx context.Context, addr, appKey string, secret koppel.Secret) *quickconnect.TestResult {
	client := t.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	base := "http://" + addr
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {appKey},
		"client_secret": {secret.Reveal()}, "scope": {scopeAP}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/connect/token", strings.NewReader(form.Encode()))
	if err != nil {
		return down(addr)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var token struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error"`
	}
	status, err := call(client, req, &token)
	switch {
	case err != nil:
		return down(addr)
	case status != http.StatusOK || token.AccessToken == "":
		return refused(status, token.Error)
	}
	req, err = http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/me/party", nil)
	if err != nil {
		return down(addr)
	}
	req.Header.Set("Authorization", "Bearer "+token.AccessToken)
	var parties []partyJSON
	status, err = call(client, req, &parties)
	switch {
	case err != nil:
		return down(addr)
	case status != http.StatusOK:
		return refused(status, "")
	}
	out := &quickconnect.TestResult{OK: true}
	for _, p := range parties {
		out.Parties = append(out.Parties, quickconnect.TestParty{PartyID: p.PartyID, Name: p.Name,
			CanSend: p.CanSendDocument, CanReceive: p.CanReceiveDocument})
	}
	return out
}

// call sends req and decodes a JSON answer of at most 1 MiB into v.
func call(client *http.Client, req *http.Request, v any) (int, error) {
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, err
	}
	_ = json.Unmarshal(body, v) // an error answer may not be the shape asked for
	return resp.StatusCode, nil
}

func down(addr string) *quickconnect.TestResult {
	return &quickconnect.TestResult{
		Problem:       "The local API does not answer on " + addr + ". Keep Koppel's window open, or run `koppel serve`, and test again.",
		ProblemKey:    "link.api_down",
		ProblemParams: map[string]string{"addr": addr},
	}
}

func refused(status int, code string) *quickconnect.TestResult {
	if code == "" {
		code = http.StatusText(status)
	}
	return &quickconnect.TestResult{
		Problem:       "The local API refused the keys (" + code + "). Were they revoked? Replace the keys and use Quick Connect again.",
		ProblemKey:    "link.refused",
		ProblemParams: map[string]string{"code": code},
	}
}
