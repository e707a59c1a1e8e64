package app

import (
	"context"
	"strings"

	"koppel/internal/administrations"
	"koppel/internal/backend"
	"koppel/internal/clipboard"
	"koppel/internal/koppel"
	"koppel/internal/quickconnect"
)

// QuickConnect is bound to the window: the Quick Connect view (R7, R8,
// R13). A paste is recognised in Go and its Secret stays there, named by a
// token; the window gets the App Key and a masked Secret only.
type QuickConnect struct {
	session       *Session
	openClipboard func(ctx context.Context) clipboard.Clipboard
}

// NewQuickConnect binds to session's backend; openClipboard gives the
// system clipboard for the Paste button.
func NewQuickConnect(session *Session, openClipboard func(ctx context.Context) clipboard.Clipboard) *QuickConnect {
	return &QuickConnect{session, openClipboard}
}

// maxPasteInput bounds what Recognise accepts before the parser refuses
// anything over 64 KiB with its own message.
const maxPasteInput = 1 << 20

// Context returns what the view shows when opened from a connection: the
// connection, its organizations, the administrations it may be linked to
// and its links.
func (q *QuickConnect) Context(connectionID int64) (QuickConnectContextDTO, error) {
	if err := checkID("connection", connectionID); err != nil {
		return QuickConnectContextDTO{}, err
	}
	b, ctx, err := q.session.current()
	if err != nil {
		return QuickConnectContextDTO{}, err
	}
	c, err := b.Connections.Get(ctx, itoa(connectionID))
	if err != nil {
		return QuickConnectContextDTO{}, err
	}
	orgIDs := c.OrganizationIDs
	if orgIDs == nil {
		orgIDs = []int64{}
	}
	admins, err := b.Administrations.List(ctx, koppel.AdministrationFilter{SoftwareID: c.Software.ID, OrganizationIDs: orgIDs})
	if err != nil {
		return QuickConnectContextDTO{}, err
	}
	links, err := b.QuickConnect.Links(ctx, koppel.LinkFilter{ConnectionID: c.ID})
	if err != nil {
		return QuickConnectContextDTO{}, err
	}
	orgs, err := q.organizations(ctx, c.OrganizationIDs)
	if err != nil {
		return QuickConnectContextDTO{}, err
	}
	return QuickConnectContextDTO{Connection: toConnectionDTO(c), Organizations: orgs,
		Administrations: mapAll(admins, toAdministrationDTO), Links: mapAll(links, toLinkDTO)}, nil
}

func (q *QuickConnect) organizations(ctx context.Context, ids []int64) ([]OrganizationDTO, error) {
	b, _, err := q.session.current()
	if err != nil {
		return nil, err
	}
	out := make([]OrganizationDTO, 0, len(ids))
	for _, id := range ids {
		o, err := b.Organizations.Get(ctx, itoa(id))
		if err != nil {
			return nil, err
		}
		out = append(out, toOrganizationDTO(o))
	}
	return out, nil
}

// Recognise reads the keys from pasted text (Ctrl+V in the view, or the
// two fields of manual entry joined by a line break) and checks them
// against an active connection.
func (q *QuickConnect) Recognise(text string) (RecognisedDTO, error) {
	if len(text) > maxPasteInput {
		return RecognisedDTO{}, koppel.Errorf(koppel.EInvalid,
			"The pasted text was refused: it is larger than 64 KiB. Copy only the App Key and Secret.").WithKey("paste.too_large", "max", "64 KiB")
	}
	b, ctx, err := q.session.current()
	if err != nil {
		return RecognisedDTO{}, err
	}
	r, err := b.QuickConnect.Recognise(ctx, text)
	if err != nil {
		return RecognisedDTO{}, err
	}
	return toRecognisedDTO(r), nil
}

// PasteFromClipboard is the Paste button: Go reads the system clipboard,
// so the text never passes through the page.
func (q *QuickConnect) PasteFromClipboard() (RecognisedDTO, error) {
	_, ctx, err := q.session.current()
	if err != nil {
		return RecognisedDTO{}, err
	}
	text, err := q.openClipboard(ctx).ReadText()
	if err != nil {
		return RecognisedDTO{}, koppel.Errorf(koppel.EInternal, "Koppel could not read the clipboard.").WithKey("quickconnect.clipboard")
	}
	return q.Recognise(text)
}

// Forget drops a recognised paste when the view closes without Apply.
func (q *QuickConnect) Forget(token string) {
	b, _, err := q.session.current()
	if err == nil && len(token) <= 64 {
		b.QuickConnect.Forget(token)
	}
}

// ApplyInput is the Quick Connect form.
type ApplyInput struct {
	Token            string `json:"token"`
	AdministrationID int64  `json:"administrationId"`
	// NewAdministration, when set, is added inline (its package is the
	// connection's) instead of choosing AdministrationID.
	NewAdministration *AdministrationInput `json:"newAdministration,omitempty"`
	Email             string               `json:"email"`
	StartDate         string               `json:"startDate"`
	ProcessSales      bool                 `json:"processSales"`
	Confirmed         bool                 `json:"confirmed"`
	// RevokeConflicting is the other connection the user agreed to revoke.
	RevokeConflicting int64 `json:"revokeConflicting"`
}

// Apply creates the link.
func (q *QuickConnect) Apply(in ApplyInput) (AppliedDTO, error) {
	for _, f := range []struct {
		field, value string
		max          int
	}{{"token", in.Token, 64}, {"email address", in.Email, 254}, {"start date", in.StartDate, 10}} {
		if err := checkText(f.field, f.value, f.max); err != nil {
			return AppliedDTO{}, err
		}
	}
	if strings.TrimSpace(in.Token) == "" {
		return AppliedDTO{}, koppel.Errorf(koppel.EInvalid, "Paste the keys first.").WithKey("quickconnect.paste_first")
	}
	req := quickconnect.ApplyRequest{Token: in.Token, AdministrationID: in.AdministrationID, Email: in.Email,
		StartDate: in.StartDate, ProcessSales: in.ProcessSales, Confirmed: in.Confirmed, RevokeConflicting: in.RevokeConflicting}
	if in.NewAdministration != nil {
		a, err := in.NewAdministration.check()
		if err != nil {
			return AppliedDTO{}, err
		}
		req.NewAdministration = &a
	}
	b, ctx, err := q.session.current()
	if err != nil {
		return AppliedDTO{}, err
	}
	out, err := b.QuickConnect.Apply(ctx, req)
	if err != nil {
		return AppliedDTO{}, err
	}
	dto := AppliedDTO{Link: toLinkDTO(out.Link), Withdrawn: out.Withdrawn}
	if out.Revoked != nil {
		dto.RevokedConnectionID = out.Revoked.ID
	}
	return dto, nil
}

// LinkQuery narrows Links; zero values do not filter.
type LinkQuery struct {
	ConnectionID   int64 `json:"connectionId"`
	OrganizationID int64 `json:"organizationId"`
}

// Links lists links, oldest first.
func (q *QuickConnect) Links(query LinkQuery) ([]LinkDTO, error) {
	if query.ConnectionID < 0 || query.OrganizationID < 0 {
		return nil, checkID("connection", -1)
	}
	b, ctx, err := q.session.current()
	if err != nil {
		return nil, err
	}
	links, err := b.QuickConnect.Links(ctx, koppel.LinkFilter{ConnectionID: query.ConnectionID, OrganizationID: query.OrganizationID})
	return mapAll(links, toLinkDTO), err
}

// TestLink requests a token from the local API with the link's stored
// credential and lists the parties it reaches.
func (q *QuickConnect) TestLink(linkID int64) (LinkTestDTO, error) {
	if err := checkID("link", linkID); err != nil {
		return LinkTestDTO{}, err
	}
	b, ctx, err := q.session.current()
	if err != nil {
		return LinkTestDTO{}, err
	}
	res, v, err := b.QuickConnect.Test(ctx, linkID)
	if err != nil {
		return LinkTestDTO{}, err
	}
	dto := LinkTestDTO{OK: res.OK, Link: toLinkDTO(v), Parties: []TestPartyDTO{}}
	for _, p := range res.Parties {
		dto.Parties = append(dto.Parties, TestPartyDTO{PartyID: p.PartyID, Name: p.Name, CanSend: p.CanSend, CanReceive: p.CanReceive})
	}
	if !res.OK {
		dto.Problem = &ErrorDTO{Code: koppel.EConflict, Message: res.Problem, Key: res.ProblemKey, Params: res.ProblemParams}
	}
	return dto, nil
}

// RemoveLink deletes a link and its sealed credential.
func (q *QuickConnect) RemoveLink(linkID int64) (LinkDTO, error) {
	if err := checkID("link", linkID); err != nil {
		return LinkDTO{}, err
	}
	b, ctx, err := q.session.current()
	if err != nil {
		return LinkDTO{}, err
	}
	v, err := b.QuickConnect.Remove(ctx, linkID)
	if err != nil {
		return LinkDTO{}, err
	}
	return toLinkDTO(v), nil
}

// Administrations is bound to the window: the bookkeeping administrations
// of each software package.
type Administrations struct{ session *Session }

// NewAdministrations binds to session's backend.
func NewAdministrations(session *Session) *Administrations { return &Administrations{session} }

// AdministrationInput is what Add and Update take. SoftwareID is ignored
// inside Quick Connect's inline add (the connection's package is used);
// OrganizationID 0 ties it to no organization.
type AdministrationInput struct {
	SoftwareID     int64  `json:"softwareId"`
	OrganizationID int64  `json:"organizationId"`
	Name           string `json:"name"`
	Code           string `json:"code"`
	Email          string `json:"email"`
}

func (in AdministrationInput) check() (administrations.Input, error) {
	for _, f := range []struct {
		field, value string
		max          int
	}{{"administration name", in.Name, administrations.MaxName}, {"administration code", in.Code, administrations.MaxCode},
		{"email address", in.Email, 254}} {
		if err := checkText(f.field, f.value, f.max); err != nil {
			return administrations.Input{}, err
		}
	}
	if in.SoftwareID < 0 || in.OrganizationID < 0 {
		return administrations.Input{}, checkID("administration", -1)
	}
	out := administrations.Input{Name: in.Name, Code: in.Code, Email: in.Email}
	if in.SoftwareID != 0 {
		out.Software = itoa(in.SoftwareID)
	}
	if in.OrganizationID != 0 {
		out.Organization = itoa(in.OrganizationID)
	}
	return out, nil
}

// AdministrationQuery narrows List; zero values do not filter.
type AdministrationQuery struct {
	SoftwareID     int64  `json:"softwareId"`
	OrganizationID int64  `json:"organizationId"`
	Search         string `json:"search"`
}

// List returns the administrations matching query, by name.
func (a *Administrations) List(query AdministrationQuery) ([]AdministrationDTO, error) {
	if err := checkText("search", query.Search, 200); err != nil {
		return nil, err
	}
	f := koppel.AdministrationFilter{SoftwareID: query.SoftwareID, Search: query.Search}
	if query.OrganizationID != 0 {
		f.OrganizationIDs = []int64{query.OrganizationID}
	}
	b, ctx, err := a.session.current()
	if err != nil {
		return nil, err
	}
	list, err := b.Administrations.List(ctx, f)
	return mapAll(list, toAdministrationDTO), err
}

// Add adds an administration.
func (a *Administrations) Add(in AdministrationInput) (AdministrationDTO, error) {
	return a.save(in, func(s *administrations.Service, ctx context.Context, n administrations.Input) (*administrations.View, error) {
		return s.Add(ctx, n)
	})
}

// Update writes in over the administration with id.
func (a *Administrations) Update(id int64, in AdministrationInput) (AdministrationDTO, error) {
	if err := checkID("administration", id); err != nil {
		return AdministrationDTO{}, err
	}
	return a.save(in, func(s *administrations.Service, ctx context.Context, n administrations.Input) (*administrations.View, error) {
		return s.Edit(ctx, id, n)
	})
}

// save checks in and hands it to the service through do.
func (a *Administrations) save(in AdministrationInput,
	do func(*administrations.Service, context.Context, administrations.Input) (*administrations.View, error),
) (AdministrationDTO, error) {
	n, err := in.check()
	if err != nil {
		return AdministrationDTO{}, err
	}
	b, ctx, err := a.session.current()
	if err != nil {
		return AdministrationDTO{}, err
	}
	v, err := do(b.Administrations, ctx, n)
	if err != nil {
		return AdministrationDTO{}, err
	}
	return toAdministrationDTO(v), nil
}

// PreviewCSV says what importing the CSV text into the package would do.
func (a *Administrations) PreviewCSV(softwareID int64, text string) (CSVPreviewDTO, error) {
	b, ctx, err := a.forPackage(softwareID)
	if err != nil {
		return CSVPreviewDTO{}, err
	}
	p, err := b.Administrations.PreviewCSV(ctx, itoa(softwareID), strings.NewReader(text))
	if err != nil {
		return CSVPreviewDTO{}, err
	}
	return toCSVPreviewDTO(p), nil
}

// ImportCSV adds the valid rows of the CSV text to the package.
func (a *Administrations) ImportCSV(softwareID int64, text string) (CSVImportDTO, error) {
	b, ctx, err := a.forPackage(softwareID)
	if err != nil {
		return CSVImportDTO{}, err
	}
	out, err := b.Administrations.ImportCSV(ctx, itoa(softwareID), strings.NewReader(text))
	if err != nil {
		return CSVImportDTO{}, err
	}
	return CSVImportDTO{Preview: toCSVPreviewDTO(&out.Preview), Added: mapAll(out.Added, toAdministrationDTO)}, nil
}

// forPackage checks a package id and returns the open backend.
func (a *Administrations) forPackage(softwareID int64) (*backend.Backend, context.Context, error) {
	if err := checkID("software", softwareID); err != nil {
		return nil, nil, err
	}
	return a.session.current()
}
