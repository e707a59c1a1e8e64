package app

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"koppel/internal/documents"
	"koppel/internal/koppel"
)

// Bounds on what the window may ask of Documents.
const (
	maxImportPaths = 10000 // files or folders in one import
	maxPathBytes   = 4096  // bytes in one path
	maxReoffer     = 10000 // documents in one re-offer
)

// progressEvery is the least time between two import progress events; the
// last one is always sent.
const progressEvery = 100 * time.Millisecond

// Documents is bound to the window: the Inbox and Outbox of each
// organization, imports, and Re-offer to API (R11, R12).
type Documents struct {
	session *Session
	// pick opens the file picker; tests replace it (runtime calls need the
	// window's context).
	pick func(ctx context.Context, title string) ([]string, error)
}

// NewDocuments binds to session's backend.
func NewDocuments(session *Session) *Documents {
	return &Documents{session: session, pick: wailsPickFiles}
}

func wailsPickFiles(ctx context.Context, title string) ([]string, error) {
	paths, err := runtime.OpenMultipleFilesDialog(ctx, runtime.OpenDialogOptions{
		Title:   title,
		Filters: []runtime.FileFilter{{DisplayName: "UBL (*.xml)", Pattern: "*.xml"}},
	})
	if err != nil {
		return nil, koppel.Internal("open the file picker", err)
	}
	return paths, nil
}

// DocumentQuery narrows Documents.List: one organization's inbox
// (direction "purchase") or outbox ("sales"), optionally by status,
// connection and search text; After is the Next of the previous page.
// Limit 0 means 100.
type DocumentQuery struct {
	OrganizationID int64  `json:"organizationId"`
	Direction      string `json:"direction"`
	Status         string `json:"status"`
	ConnectionID   int64  `json:"connectionId"`
	Search         string `json:"search"`
	Limit          int    `json:"limit"`
	After          int64  `json:"after"`
}

// ImportInput is what ImportFiles takes: the organization ("0": the one
// each document names) and absolute paths of files or folders.
type ImportInput struct {
	OrganizationID int64    `json:"organizationId"`
	Paths          []string `json:"paths"`
}

// DocumentDTO is an invoice or credit note, without its body.
type DocumentDTO struct {
	ID             int64  `json:"id"`
	OrganizationID int64  `json:"organizationId"`
	Direction      string `json:"direction"`
	Type           string `json:"type"`
	Number         string `json:"number"`
	IssueDate      string `json:"issueDate"`
	SupplierParty  string `json:"supplierParty,omitempty"`
	SupplierName   string `json:"supplierName,omitempty"`
	CustomerParty  string `json:"customerParty,omitempty"`
	CustomerName   string `json:"customerName,omitempty"`
	Currency       string `json:"currency,omitempty"`
	PayableAmount  string `json:"payableAmount,omitempty"`
	Status         string `json:"status"`
	FileName       string `json:"fileName,omitempty"`
	Size           int64  `json:"size"`
	ReceivedAt     string `json:"receivedAt"`
	MarkedOriginal bool   `json:"markedOriginal,omitempty"`
}

// DocumentPageDTO is one page of a list; Next is the cursor of the next
// page, 0 on the last.
type DocumentPageDTO struct {
	Documents []DocumentDTO `json:"documents"`
	Next      int64         `json:"next"`
}

// StatusEventDTO is one step of a document's status history.
type StatusEventDTO struct {
	At          string      `json:"at"`
	Status      string      `json:"status"`
	Note        string      `json:"note,omitempty"`        // in English
	NotePhrases []PhraseDTO `json:"notePhrases,omitempty"` // the note for the window's catalogs
}

// OfferDTO is a document made available to a connection (0: deleted, or
// none yet for a re-offer candidate).
type OfferDTO struct {
	ID            int64       `json:"id"`
	DocumentID    int64       `json:"documentId"`
	ConnectionID  int64       `json:"connectionId"`
	State         string      `json:"state,omitempty"`
	Copy          bool        `json:"copy,omitempty"`
	OfferedAt     string      `json:"offeredAt,omitempty"`
	RetrievedAt   string      `json:"retrievedAt,omitempty"`
	WithdrawnAt   string      `json:"withdrawnAt,omitempty"`
	Note          string      `json:"note,omitempty"`        // in English
	NotePhrases   []PhraseDTO `json:"notePhrases,omitempty"` // the note for the window's catalogs
	ReofferedFrom int64       `json:"reofferedFrom,omitempty"`
	// AppKey and SoftwareName name the connection (Get fills them; empty
	// when it was deleted).
	AppKey       string `json:"appKey,omitempty"`
	SoftwareName string `json:"softwareName,omitempty"`
}

// DocumentDetailDTO is a document with its status history and offers.
type DocumentDetailDTO struct {
	Document DocumentDTO      `json:"document"`
	History  []StatusEventDTO `json:"history"`
	Offers   []OfferDTO       `json:"offers"`
}

// ReofferCandidateDTO is a candidate of the reconnect wizard: a ready offer
// stranded on an old connection, or (Offer.ID 0) a document never offered.
type ReofferCandidateDTO struct {
	Offer    OfferDTO    `json:"offer"`
	Document DocumentDTO `json:"document"`
}

// ReofferResultDTO is what a re-offer did with one document; Error says
// why it could not be re-offered.
type ReofferResultDTO struct {
	DocumentID     int64     `json:"documentId"`
	OfferedTo      []int64   `json:"offeredTo"`
	AlreadyOffered []int64   `json:"alreadyOffered"`
	Withdrawn      []int64   `json:"withdrawn"`
	Error          *ErrorDTO `json:"error,omitempty"`
}

// ImportResultDTO is what became of one file: a document or an error.
type ImportResultDTO struct {
	Path     string       `json:"path"`
	Name     string       `json:"name"`
	Document *DocumentDTO `json:"document,omitempty"`
	Error    *ErrorDTO    `json:"error,omitempty"`
}

// ImportProgressDTO is the data of EventImportProgress.
type ImportProgressDTO struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

func (q DocumentQuery) filter() (koppel.DocumentFilter, error) {
	if err := checkID("organization", q.OrganizationID); err != nil {
		return koppel.DocumentFilter{}, err
	}
	if err := checkChoice("direction", q.Direction, string(koppel.Purchase), string(koppel.Sales)); err != nil {
		return koppel.DocumentFilter{}, err
	}
	if q.Status != "" {
		names := make([]string, len(koppel.DocumentStatuses))
		for i, st := range koppel.DocumentStatuses {
			names[i] = string(st)
		}
		if err := checkChoice("status", q.Status, names...); err != nil {
			return koppel.DocumentFilter{}, err
		}
	}
	if err := checkOptionalID("connection", q.ConnectionID); err != nil {
		return koppel.DocumentFilter{}, err
	}
	if err := checkText("search text", q.Search, maxSearch); err != nil {
		return koppel.DocumentFilter{}, err
	}
	if q.After < 0 {
		return koppel.DocumentFilter{}, koppel.Errorf(koppel.EInvalid, "The page cursor is not valid.").WithKey("document.cursor")
	}
	limit, err := checkLimit(q.Limit, documents.DefaultPageSize, documents.MaxPageSize)
	return koppel.DocumentFilter{
		OrganizationID: q.OrganizationID, Direction: koppel.DocumentDirection(q.Direction),
		Status: koppel.DocumentStatus(q.Status), ConnectionID: q.ConnectionID, Search: q.Search,
		Limit: limit, After: q.After,
	}, err
}

// List returns one page of an organization's inbox or outbox, newest first.
func (d *Documents) List(q DocumentQuery) (DocumentPageDTO, error) {
	f, err := q.filter()
	if err != nil {
		return DocumentPageDTO{}, err
	}
	b, ctx, err := d.session.current()
	if err != nil {
		return DocumentPageDTO{}, err
	}
	page, err := b.Documents.List(ctx, f)
	if err != nil {
		return DocumentPageDTO{}, err
	}
	return DocumentPageDTO{Documents: mapAll(page.Documents, toDocumentDTO), Next: page.Next}, nil
}

// Get returns a document with its status history and offers.
func (d *Documents) Get(id int64) (DocumentDetailDTO, error) {
	if err := checkID("document", id); err != nil {
		return DocumentDetailDTO{}, err
	}
	b, ctx, err := d.session.current()
	if err != nil {
		return DocumentDetailDTO{}, err
	}
	doc, history, offers, err := b.Documents.Get(ctx, id)
	if err != nil {
		return DocumentDetailDTO{}, err
	}
	out := DocumentDetailDTO{Document: toDocumentDTO(doc), History: make([]StatusEventDTO, len(history)),
		Offers: mapAll(offers, toOfferDTO)}
	// Each offer names its connection, including one no longer granted the
	// document's organization.
	named := map[int64]*koppel.Connection{}
	for i, o := range out.Offers {
		if o.ConnectionID == 0 {
			continue
		}
		c, ok := named[o.ConnectionID]
		if !ok {
			c, _ = b.Connections.Get(ctx, strconv.FormatInt(o.ConnectionID, 10)) // deleted: left unnamed
			named[o.ConnectionID] = c
		}
		if c != nil {
			out.Offers[i].AppKey, out.Offers[i].SoftwareName = c.AppKey, c.Software.Name
		}
	}
	for i, e := range history {
		out.History[i] = StatusEventDTO{At: formatTime(e.At), Status: string(e.Status), Note: e.Note,
			NotePhrases: phraseDTOs(e.Phrases)}
	}
	return out, nil
}

// Body returns the document's XML as text (invalid UTF-8 replaced), for
// the window to show as text, never as markup.
func (d *Documents) Body(id int64) (string, error) {
	if err := checkID("document", id); err != nil {
		return "", err
	}
	b, ctx, err := d.session.current()
	if err != nil {
		return "", err
	}
	body, err := b.Documents.Body(ctx, id)
	if err != nil {
		return "", err
	}
	if !utf8.Valid(body) {
		return strings.ToValidUTF8(string(body), "\uFFFD"), nil
	}
	return string(body), nil
}

// PickFiles opens the system's file picker for UBL files and returns the
// chosen paths (none when cancelled). title is the picker's title.
func (d *Documents) PickFiles(title string) ([]string, error) {
	if err := checkText("title", title, 200); err != nil {
		return nil, err
	}
	_, ctx, err := d.session.current()
	if err != nil {
		return nil, err
	}
	paths, err := d.pick(ctx, title)
	if paths == nil {
		paths = []string{}
	}
	return paths, err
}

// ImportFiles imports files and folders (dropped on the window or picked)
// for an organization, or for the organization each document names when
// OrganizationID is 0. It emits EventImportProgress while it runs and
// EventDocumentsChanged when done. Each file gets its result; a bad file
// does not stop the others.
func (d *Documents) ImportFiles(in ImportInput) ([]ImportResultDTO, error) {
	if err := checkOptionalID("organization", in.OrganizationID); err != nil {
		return nil, err
	}
	if len(in.Paths) == 0 || len(in.Paths) > maxImportPaths {
		return nil, koppel.Errorf(koppel.EInvalid, "Import between 1 and %d files or folders at once.", maxImportPaths).
			WithKey("document.import_count", "max", strconv.Itoa(maxImportPaths))
	}
	for _, p := range in.Paths {
		if p == "" || len(p) > maxPathBytes || !utf8.ValidString(p) || strings.ContainsRune(p, 0) || !filepath.IsAbs(p) {
			return nil, koppel.Errorf(koppel.EInvalid, "Each file must be given by its full path.").WithKey("document.import_path")
		}
	}
	b, ctx, err := d.session.current()
	if err != nil {
		return nil, err
	}
	orgRef := ""
	if in.OrganizationID != 0 {
		orgRef = idRef(in.OrganizationID)
	}
	var mu sync.Mutex
	var last time.Time
	progress := func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if now := time.Now(); done == total || now.Sub(last) >= progressEvery {
			last = now
			d.session.Emit(EventImportProgress, ImportProgressDTO{Done: done, Total: total})
		}
	}
	results := b.Documents.ImportFiles(ctx, orgRef, in.Paths, progress)
	out := make([]ImportResultDTO, len(results))
	var orgs []int64
	for i, r := range results {
		out[i] = ImportResultDTO{Path: r.Path, Name: filepath.Base(r.Path), Error: toErrorDTO(r.Err)}
		if r.Document != nil {
			doc := toDocumentDTO(r.Document)
			out[i].Document = &doc
			orgs = appendUnique(orgs, r.Document.OrganizationID)
		}
	}
	if len(orgs) > 0 {
		d.session.Emit(EventDocumentsChanged, orgs)
	}
	return out, nil
}

// ReofferCandidates lists what the reconnect wizard offers to move for an
// organization (R11).
func (d *Documents) ReofferCandidates(organizationID int64) ([]ReofferCandidateDTO, error) {
	if err := checkID("organization", organizationID); err != nil {
		return nil, err
	}
	b, ctx, err := d.session.current()
	if err != nil {
		return nil, err
	}
	offers, err := b.Documents.ReofferCandidates(ctx, idRef(organizationID))
	if err != nil {
		return nil, err
	}
	out := make([]ReofferCandidateDTO, len(offers))
	for i, o := range offers {
		out[i] = ReofferCandidateDTO{Offer: toOfferDTO(o)}
		if o.Document != nil {
			out[i].Document = toDocumentDTO(o.Document)
		}
	}
	return out, nil
}

// Reoffer offers documents again to their organization's active
// connections (Re-offer to API, R11). Each gets its result.
func (d *Documents) Reoffer(ids []int64) ([]ReofferResultDTO, error) {
	if len(ids) == 0 || len(ids) > maxReoffer {
		return nil, koppel.Errorf(koppel.EInvalid, "Re-offer between 1 and %d documents at once.", maxReoffer).
			WithKey("document.reoffer_count", "max", strconv.Itoa(maxReoffer))
	}
	for _, id := range ids {
		if err := checkID("document", id); err != nil {
			return nil, err
		}
	}
	b, ctx, err := d.session.current()
	if err != nil {
		return nil, err
	}
	results, err := b.Documents.Reoffer(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]ReofferResultDTO, len(results))
	changed := false
	for i, r := range results {
		out[i] = ReofferResultDTO{DocumentID: r.DocumentID, OfferedTo: nonNil(r.OfferedTo),
			AlreadyOffered: nonNil(r.AlreadyOffered), Withdrawn: nonNil(r.Withdrawn), Error: toErrorDTO(r.Err)}
		changed = changed || len(r.OfferedTo) > 0 || len(r.Withdrawn) > 0
	}
	if changed {
		d.session.Emit(EventDocumentsChanged, []int64{})
	}
	return out, nil
}

// MarkOriginal marks a Duplicate as an original (R12) and returns it; it
// can then be re-offered.
func (d *Documents) MarkOriginal(id int64) (DocumentDTO, error) {
	if err := checkID("document", id); err != nil {
		return DocumentDTO{}, err
	}
	b, ctx, err := d.session.current()
	if err != nil {
		return DocumentDTO{}, err
	}
	if err := b.Documents.MarkOriginal(ctx, id); err != nil {
		return DocumentDTO{}, err
	}
	doc, _, _, err := b.Documents.Get(ctx, id)
	if err != nil {
		return DocumentDTO{}, err
	}
	d.session.Emit(EventDocumentsChanged, []int64{doc.OrganizationID})
	return toDocumentDTO(doc), nil
}

func toDocumentDTO(d *koppel.Document) DocumentDTO {
	return DocumentDTO{
		ID: d.ID, OrganizationID: d.OrganizationID, Direction: string(d.Direction), Type: string(d.Type),
		Number: d.Number, IssueDate: d.IssueDate, SupplierParty: d.SupplierParty, SupplierName: d.SupplierName,
		CustomerParty: d.CustomerParty, CustomerName: d.CustomerName, Currency: d.Currency,
		PayableAmount: d.PayableAmount, Status: string(d.Status), FileName: d.FileName, Size: d.Size,
		ReceivedAt: formatTime(d.ReceivedAt), MarkedOriginal: d.MarkedOriginal,
	}
}

func toOfferDTO(o *koppel.Offer) OfferDTO {
	out := OfferDTO{ID: o.ID, DocumentID: o.DocumentID, ConnectionID: o.ConnectionID, State: string(o.State),
		Copy: o.Copy, RetrievedAt: formatTimePtr(o.RetrievedAt), WithdrawnAt: formatTimePtr(o.WithdrawnAt),
		Note: o.Note, NotePhrases: phraseDTOs(o.NotePhrases), ReofferedFrom: o.ReofferedFrom}
	out.OfferedAt = formatTime(o.OfferedAt)
	return out
}

func appendUnique(list []int64, id int64) []int64 {
	for _, x := range list {
		if x == id {
			return list
		}
	}
	return append(list, id)
}

func nonNil(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}
