package quickconnect

import (
	"context"
	"strconv"
	"strings"
	"time"

	"koppel/internal/administrations"
	"koppel/internal/koppel"
)

// ApplyRequest is the Quick Connect form (R7). The keys come from a
// Recognise token or, for the command line, the pasted text itself.
type ApplyRequest struct {
	Token string
	Paste string
	// AdministrationID names an existing administration; otherwise
	// NewAdministration is added in the connection's package.
	AdministrationID  int64
	NewAdministration *administrations.Input
	Email             string
	StartDate         string // YYYY-MM-DD or ""
	ProcessSales      bool
	Confirmed         bool
	// RevokeConflicting is the id of the other connection whose link to the
	// administration the user agreed to revoke, with that connection (R8).
	RevokeConflicting int64
}

// Applied is the outcome of Apply.
type Applied struct {
	Link *LinkView
	// Replaced is the connection's earlier link to the administration that
	// the new settings replaced (now revoked), or nil.
	Replaced *koppel.Link
	// Revoked is the other connection revoked on the user's word, or nil.
	Revoked *koppel.Connection
	// Withdrawn counts ready offers withdrawn because the new settings no
	// longer allow them (a later start date, sales invoices off).
	Withdrawn int64
}

// Apply creates the link: it checks the keys again, the administration, the
// email (not the account email; the administration's own when it has one),
// the start date and the sales option against the package, then in one
// transaction seals the credential, records the link, updates the
// connection's offers to the settings and writes the audit trail.
func (s *Service) Apply(ctx context.Context, req ApplyRequest) (*Applied, error) {
	if !req.Confirmed {
		return nil, koppel.Errorf(koppel.EInvalid, "Tick the confirmation box before applying.").WithKey("quickconnect.confirm")
	}
	appKey, secret, err := s.credential(ctx, req)
	if err != nil {
		return nil, err
	}
	email, err := koppel.CleanEmail("email address", req.Email)
	if err != nil {
		return nil, err
	}
	if email == "" {
		return nil, koppel.Errorf(koppel.EInvalid, "Enter the email address linked to the administration in the software package.").
			WithKey("quickconnect.email_required")
	}
	start, err := checkDate(req.StartDate)
	if err != nil {
		return nil, err
	}
	sealed, err := s.Vault.Seal(appKey, secret)
	if err != nil {
		return nil, err
	}
	out := &Applied{}
	err = s.Store.Update(ctx, func(tx koppel.Tx) error {
		c, err := s.check(tx, appKey, secret)
		if err != nil {
			return err
		}
		if err := checkSettings(c, start, req.ProcessSales); err != nil {
			return err
		}
		if err := refuseAccountEmail(tx, c, email); err != nil {
			return err
		}
		a, err := s.administration(tx, c, req)
		if err != nil {
			return err
		}
		if err := matchEmail(tx, a, email); err != nil {
			return err
		}
		if err := s.clear(tx, c, a, req.RevokeConflicting, out); err != nil {
			return err
		}
		l := &koppel.Link{ConnectionID: c.ID, AdministrationID: a.ID, Email: email, StartDate: start,
			ProcessSales: req.ProcessSales, SealedCredential: sealed, Status: koppel.StatusActive, CreatedAt: s.Now()}
		if err := tx.CreateLink(l); err != nil {
			return err
		}
		if out.Withdrawn, err = s.withdraw(tx, c, a); err != nil {
			return err
		}
		if err := tx.AppendAudit(s.event("link.create", c, l.ID, describeLink(c, a, l, out)...)); err != nil {
			return err
		}
		out.Link = &LinkView{Link: l, Administration: a, Connection: c}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if req.Token != "" {
		s.Forget(req.Token)
	}
	if out.Revoked != nil {
		s.Connections.AfterRevoke(out.Revoked)
	}
	return out, nil
}

// credential returns the App Key and Secret of the request.
func (s *Service) credential(ctx context.Context, req ApplyRequest) (string, koppel.Secret, error) {
	if req.Token != "" {
		p, err := s.take(req.Token)
		if err != nil {
			return "", koppel.Secret{}, err
		}
		return p.appKey, p.secret, nil
	}
	r, secret, err := s.recognise(ctx, req.Paste)
	if err != nil {
		return "", koppel.Secret{}, err
	}
	return r.AppKey, secret, nil
}

// checkDate accepts "" or a real date in YYYY-MM-DD.
func checkDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Year() < 1900 || t.Year() > 9999 {
		return "", koppel.Errorf(koppel.EInvalid, "The start date %q is not a date; write it as YYYY-MM-DD, for example 2026-01-01.", shorten(s)).
			WithKey("quickconnect.start_date", "input", shorten(s))
	}
	return s, nil
}

// checkSettings refuses retrieval settings the package cannot use (R7, R10):
// a send-only package retrieves nothing, so it has no start date, and
// "process sales invoices" needs a package that receives them.
func checkSettings(c *koppel.Connection, start string, sales bool) error {
	sw := c.Software
	if !sw.Direction.CanReceive() && start != "" {
		return koppel.Errorf(koppel.EInvalid, "%s only sends invoices; a start date for retrieving them does not apply.", sw.Name).
			WithKey("quickconnect.send_only", "software", sw.Name)
	}
	if sales && !sw.ReceivesSales {
		return koppel.Errorf(koppel.EInvalid, "%s does not process sales invoices.", sw.Name).
			WithKey("quickconnect.no_sales", "software", sw.Name)
	}
	return nil
}

// refuseAccountEmail refuses the account email from Settings: the link needs
// the address the administration has in the package (the seed's tip).
func refuseAccountEmail(tx koppel.Tx, c *koppel.Connection, email string) error {
	account, err := accountEmail(tx)
	if err != nil {
		return err
	}
	if account != "" && strings.EqualFold(account, email) {
		return koppel.Errorf(koppel.EInvalid,
			"%s is the email address of your Koppel account. Enter the address linked to the administration in %s instead.",
			email, c.Software.Name).
			WithKey("quickconnect.account_email", "email", email, "software", c.Software.Name)
	}
	return nil
}

// administration returns the chosen administration, or adds the new one,
// and checks it belongs to the connection's package and organizations.
func (s *Service) administration(tx koppel.Tx, c *koppel.Connection, req ApplyRequest) (*koppel.Administration, error) {
	if req.NewAdministration != nil {
		in := *req.NewAdministration
		in.Software = strconv.FormatInt(c.Software.ID, 10)
		if in.Organization == "" && len(c.OrganizationIDs) == 1 {
			in.Organization = strconv.FormatInt(c.OrganizationIDs[0], 10)
		}
		if in.Email == "" {
			in.Email = req.Email
		}
		v, err := s.Administrations.AddIn(tx, in)
		if err != nil {
			return nil, err
		}
		if v.OrganizationID != 0 && !containsID(c.OrganizationIDs, v.OrganizationID) {
			return nil, notGranted(c, v.Administration)
		}
		return v.Administration, nil
	}
	if req.AdministrationID == 0 {
		return nil, koppel.Errorf(koppel.EInvalid, "Select the administration, or add one.").WithKey("quickconnect.administration_required")
	}
	a, err := tx.Administration(req.AdministrationID)
	if err != nil {
		return nil, err
	}
	if a.SoftwareID != c.Software.ID {
		return nil, koppel.Errorf(koppel.EInvalid, "Administration %s is not kept in %s; choose one of its administrations.", a.Name, c.Software.Name).
			WithKey("quickconnect.administration_software", "name", a.Name, "software", c.Software.Name)
	}
	if a.OrganizationID != 0 && !containsID(c.OrganizationIDs, a.OrganizationID) {
		return nil, notGranted(c, a)
	}
	return a, nil
}

func notGranted(c *koppel.Connection, a *koppel.Administration) error {
	return koppel.Errorf(koppel.EInvalid, "Administration %s belongs to an organization connection %d is not granted.", a.Name, c.ID).
		WithKey("quickconnect.administration_organization", "name", a.Name, "id", itoa(c.ID))
}

// matchEmail compares email with the administration's recorded address, or
// records it when there is none.
func matchEmail(tx koppel.Tx, a *koppel.Administration, email string) error {
	if a.Email == "" {
		a.Email = email
		return tx.UpdateAdministration(a)
	}
	if !strings.EqualFold(a.Email, email) {
		masked := MaskEmail(a.Email)
		return koppel.Errorf(koppel.EInvalid,
			"%s is not the email address linked to %s; that is %s. Enter the address the administration has in the software package.",
			email, a.Name, masked).
			WithKey("quickconnect.email_mismatch", "email", email, "name", a.Name, "expected", masked)
	}
	return nil
}

// clear makes way for the new link (R8): the connection's own earlier link
// to the administration is replaced; another connection's link refuses,
// unless the user agreed to revoke that connection.
func (s *Service) clear(tx koppel.Tx, c *koppel.Connection, a *koppel.Administration, revoke int64, out *Applied) error {
	links, err := tx.Links(koppel.LinkFilter{AdministrationID: a.ID, Status: koppel.StatusActive})
	if err != nil || len(links) == 0 {
		return err
	}
	old := links[0]
	if old.ConnectionID == c.ID {
		out.Replaced = old
		return tx.RevokeLink(old.ID, s.Now()) // kept, revoked, as the history of the settings
	}
	other, err := tx.Connection(old.ConnectionID)
	if err != nil {
		return err
	}
	if revoke != other.ID {
		return koppel.Errorf(koppel.EConflict,
			"Administration %s is already linked to connection %d (%s, %s). Two connections cannot serve one administration: revoke the other connection first.",
			a.Name, other.ID, other.Software.Name, other.AppKey).
			WithKey("quickconnect.conflict", "name", a.Name, "id", itoa(other.ID), "software", other.Software.Name, "appKey", other.AppKey)
	}
	if err := s.Connections.RevokeIn(tx, other, koppel.ReasonSwitch); err != nil {
		return err
	}
	out.Revoked = other
	return nil
}

// withdraw withdraws the connection's ready offers that its links no longer
// allow, for each organization the administration concerns: documents
// issued before every link's start date (R13), and sales copies when no
// link processes sales invoices (R10).
func (s *Service) withdraw(tx koppel.Tx, c *koppel.Connection, a *koppel.Administration) (int64, error) {
	orgs := c.OrganizationIDs
	if a.OrganizationID != 0 {
		orgs = []int64{a.OrganizationID}
	}
	var total int64
	for _, org := range orgs {
		links, err := tx.ActiveLinks(c.ID, org)
		if err != nil {
			return 0, err
		}
		before, copies := earliestStart(links), !anySales(links)
		n, err := tx.WithdrawReadyOffers(c.ID, []int64{org}, before, copies, s.Now(), koppel.Say("note.withdrawnBySettings"))
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// earliestStart is the earliest start date of links, or "" when one has none.
func earliestStart(links []*koppel.Link) string {
	earliest := ""
	for i, l := range links {
		if l.StartDate == "" {
			return ""
		}
		if i == 0 || l.StartDate < earliest {
			earliest = l.StartDate
		}
	}
	return earliest
}

func anySales(links []*koppel.Link) bool {
	for _, l := range links {
		if l.ProcessSales {
			return true
		}
	}
	return false
}

func (s *Service) event(action string, c *koppel.Connection, linkID int64, phrases ...koppel.Phrase) *koppel.AuditEvent {
	e := &koppel.AuditEvent{At: s.Now(), Actor: s.Actor, Action: action, SubjectType: "link",
		SubjectID: linkID, OrganizationIDs: c.OrganizationIDs}
	return e.SetDetail(phrases...)
}

func describeLink(c *koppel.Connection, a *koppel.Administration, l *koppel.Link, out *Applied) []koppel.Phrase {
	d := []koppel.Phrase{koppel.Say("link", "id", itoa(c.ID), "software", c.Software.Name, "appKey", c.AppKey,
		"administration", a.Name, "email", l.Email)}
	if l.StartDate != "" {
		d = append(d, koppel.Say("link.startDate", "date", l.StartDate))
	}
	if c.Software.ReceivesSales && l.ProcessSales {
		d = append(d, koppel.Say("link.salesOn"))
	} else if c.Software.ReceivesSales {
		d = append(d, koppel.Say("link.salesOff"))
	}
	if out.Replaced != nil {
		d = append(d, koppel.Say("link.replaces", "id", itoa(out.Replaced.ID)))
	}
	if out.Revoked != nil {
		d = append(d, koppel.Say("link.revoked", "id", itoa(out.Revoked.ID), "appKey", out.Revoked.AppKey))
	}
	if out.Withdrawn > 0 {
		d = append(d, koppel.Say("link.withdrawn", "count", itoa(out.Withdrawn)))
	}
	return d
}

func shorten(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
