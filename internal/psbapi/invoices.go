package psbapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"koppel/internal/documents"
	"koppel/internal/koppel"
)

// Documents is what the API needs of the documents service
// (*documents.Service). Every method is scoped to the calling connection and
// one organization it is granted.
type Documents interface {
	ReadyOffers(ctx context.Context, connID, orgID int64, dir koppel.DocumentDirection) ([]documents.OfferView, error)
	// Download returns the UBL and marks the offer retrieved.
	Download(ctx context.Context, connID, orgID, docID int64) ([]byte, *koppel.Document, error)
	Withdraw(ctx context.Context, connID, orgID, docID int64) error
	History(ctx context.Context, connID, orgID, docID int64) ([]koppel.DocumentStatusEvent, error)
	// SendSales stores a sales invoice; EConflict when externalID was used.
	SendSales(ctx context.Context, connID, orgID int64, externalID string, body []byte) (*koppel.Document, error)
	PutHook(ctx context.Context, connID, orgID int64, url, topic string) (*koppel.Hook, error)
	Hooks(ctx context.Context, connID, orgID int64) ([]*koppel.Hook, error)
	Hook(ctx context.Context, connID, orgID, hookID int64) (*koppel.Hook, error)
	DeleteHook(ctx context.Context, connID, orgID, hookID int64) error
}

type offerJSON struct {
	DocumentID int64  `json:"documentId"`
	Number     string `json:"number"`
	IssueDate  string `json:"issueDate"`
	Supplier   string `json:"supplier"`
}

// listPurchase is GET /api/v1/{partyId}/purchaseInvoice: the offers ready
// for this connection (a Koppel extension for software that polls).
func (s *Server) listPurchase(w http.ResponseWriter, r *http.Request, c *partyCall) {
	offers, err := s.cfg.Documents.ReadyOffers(r.Context(), c.conn.id, c.party.orgID, koppel.Purchase)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	out := make([]offerJSON, len(offers))
	for i, o := range offers {
		out[i] = offerJSON{o.DocumentID, o.Number, o.IssueDate, o.Supplier}
	}
	s.writeJSON(w, http.StatusOK, out)
}

// download is GET …/purchaseInvoice/{documentId}/download: the UBL; the
// offer becomes retrieved.
func (s *Server) download(w http.ResponseWriter, r *http.Request, c *partyCall) {
	id, ok := pathID(r, "documentId")
	if !ok {
		s.noDocument(w, r)
		return
	}
	body, _, err := s.cfg.Documents.Download(r.Context(), c.conn.id, c.party.orgID, id)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("X-EConnect-DocumentId", strconv.FormatInt(id, 10))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

type statusJSON struct {
	Status string    `json:"status"`
	At     time.Time `json:"at"`
	Note   string    `json:"note,omitempty"`
}

// history is GET …/{purchase,sales}Invoice/{documentId}/status.
func (s *Server) history(w http.ResponseWriter, r *http.Request, c *partyCall) {
	id, ok := pathID(r, "documentId")
	if !ok {
		s.noDocument(w, r)
		return
	}
	events, err := s.cfg.Documents.History(r.Context(), c.conn.id, c.party.orgID, id)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	out := make([]statusJSON, len(events))
	for i, e := range events {
		out[i] = statusJSON{string(e.Status), e.At, e.Note}
	}
	s.writeJSON(w, http.StatusOK, out)
}

// withdraw is DELETE …/purchaseInvoice/{documentId}: the offer is withdrawn.
func (s *Server) withdraw(w http.ResponseWriter, r *http.Request, c *partyCall) {
	id, ok := pathID(r, "documentId")
	if !ok {
		s.noDocument(w, r)
		return
	}
	if err := s.cfg.Documents.Withdraw(r.Context(), c.conn.id, c.party.orgID, id); err != nil {
		s.failErr(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type sentJSON struct {
	DocumentID int64  `json:"documentId"`
	Status     string `json:"status"`
}

// sendSales is POST …/salesInvoice/send: the UBL body becomes a sales
// invoice of the party. X-EConnect-DocumentId, when given, makes it
// idempotent: the same value again is 409.
func (s *Server) sendSales(w http.ResponseWriter, r *http.Request, c *partyCall) {
	ext := r.Header.Values("X-EConnect-DocumentId")
	if len(ext) > 1 {
		s.fail(w, r, http.StatusBadRequest, koppel.EInvalid, "The header X-EConnect-DocumentId is repeated.")
		return
	}
	body, err := readBody(w, r, maxDocumentBody)
	if err == errTooLarge {
		s.fail(w, r, http.StatusRequestEntityTooLarge, "too_large", "The document is larger than 10 MiB.")
		return
	}
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, koppel.EInvalid, "The document could not be read.")
		return
	}
	var externalID string
	if len(ext) == 1 {
		externalID = ext[0]
	}
	d, err := s.cfg.Documents.SendSales(r.Context(), c.conn.id, c.party.orgID, externalID, body)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	w.Header().Set("X-EConnect-DocumentId", strconv.FormatInt(d.ID, 10))
	s.writeJSON(w, http.StatusOK, sentJSON{d.ID, string(d.Status)})
}

func (s *Server) noDocument(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotFound, koppel.ENotFound, "There is no such document.")
}

type hookJSON struct {
	HookID    int64     `json:"hookId"`
	URL       string    `json:"url"`
	Topic     string    `json:"topic"`
	CreatedAt time.Time `json:"createdAt"`
}

func toHookJSON(h *koppel.Hook) hookJSON { return hookJSON{h.ID, h.URL, h.Topic, h.CreatedAt} }

// putHook is PUT /api/v1/{partyId}/hook with {"url", "topic"}: a webhook
// to a loopback URL (documents.CheckHookURL); topic defaults to
// InvoiceReceived.
func (s *Server) putHook(w http.ResponseWriter, r *http.Request, c *partyCall) {
	body, err := readBody(w, r, maxFormBody)
	if err == errTooLarge {
		s.fail(w, r, http.StatusRequestEntityTooLarge, "too_large", "The request is larger than 16 KiB.")
		return
	}
	var in struct {
		URL   string `json:"url"`
		Topic string `json:"topic"`
	}
	if err != nil || json.Unmarshal(body, &in) != nil {
		s.fail(w, r, http.StatusBadRequest, koppel.EInvalid, `The body must be JSON: {"url": "http://127.0.0.1:PORT/…", "topic": "InvoiceReceived"}.`)
		return
	}
	if in.Topic == "" {
		in.Topic = koppel.HookTopicInvoiceReceived
	}
	h, err := s.cfg.Documents.PutHook(r.Context(), c.conn.id, c.party.orgID, in.URL, in.Topic)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, toHookJSON(h))
}

// listHooks is GET /api/v1/{partyId}/hook.
func (s *Server) listHooks(w http.ResponseWriter, r *http.Request, c *partyCall) {
	hooks, err := s.cfg.Documents.Hooks(r.Context(), c.conn.id, c.party.orgID)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	out := make([]hookJSON, len(hooks))
	for i, h := range hooks {
		out[i] = toHookJSON(h)
	}
	s.writeJSON(w, http.StatusOK, out)
}

// getHook is GET /api/v1/{partyId}/hook/{hookId}.
func (s *Server) getHook(w http.ResponseWriter, r *http.Request, c *partyCall) {
	id, ok := pathID(r, "hookId")
	if !ok {
		s.fail(w, r, http.StatusNotFound, koppel.ENotFound, "There is no such hook.")
		return
	}
	h, err := s.cfg.Documents.Hook(r.Context(), c.conn.id, c.party.orgID, id)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, toHookJSON(h))
}

// deleteHook is DELETE /api/v1/{partyId}/hook/{hookId}.
func (s *Server) deleteHook(w http.ResponseWriter, r *http.Request, c *partyCall) {
	id, ok := pathID(r, "hookId")
	if !ok {
		s.fail(w, r, http.StatusNotFound, koppel.ENotFound, "There is no such hook.")
		return
	}
	if err := s.cfg.Documents.DeleteHook(r.Context(), c.conn.id, c.party.orgID, id); err != nil {
		s.failErr(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type pingJSON struct {
	HookID    int64  `json:"hookId"`
	URL       string `json:"url"`
	Delivered bool   `json:"delivered"`
	Status    int    `json:"status,omitempty"`
	Error     string `json:"error,omitempty"`
}

// pingHooks is GET /api/v1/{partyId}/hook/ping: a Ping to each of the
// party's hooks, now, with what each answered.
func (s *Server) pingHooks(w http.ResponseWriter, r *http.Request, c *partyCall) {
	hooks, err := s.cfg.Documents.Hooks(r.Context(), c.conn.id, c.party.orgID)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	body, _ := json.Marshal(hookEvent{Topic: topicPing, PartyID: string(c.party.id)})
	ctx, cancel := context.WithTimeout(r.Context(), 2*hookTimeout) // all of them, well within WriteTimeout
	defer cancel()
	out := make([]pingJSON, len(hooks))
	for i, h := range hooks {
		status, err := s.hooks.post(ctx, h.URL, body)
		out[i] = pingJSON{HookID: h.ID, URL: h.URL, Status: status, Delivered: err == nil}
		if err != nil {
			out[i].Error = err.Error()
		}
	}
	s.writeJSON(w, http.StatusOK, out)
}
