package cli

import (
	"fmt"
	"text/tabwriter"
	"time"

	"koppel/internal/koppel"
	"koppel/internal/organizations"
)

func init() {
	register("org add", "org add --name NAME --party-id PARTY [--kvk N] [--vat N] [--email E]", orgAdd)
	register("org list", "org list [--search TEXT] [--all]", orgList)
	register("org show", "org show ORG", orgShow)
	register("org end-partnership", "org end-partnership ORG", orgEnd)
	register("software list", "software list", softwareList)
	register("software add", "software add --name NAME --direction send|receive|send+receive [--sales] [--quick-connect]", softwareAdd)
}

// orgJSON is an organization for --json output.
type orgJSON struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	PartyID   string     `json:"partyId"`
	KvK       string     `json:"kvk,omitempty"`
	VAT       string     `json:"vat,omitempty"`
	Email     string     `json:"email,omitempty"`
	CreatedAt time.Time  `json:"createdAt"`
	EndedAt   *time.Time `json:"endedAt"`
}

func toOrgJSON(o *koppel.Organization) orgJSON {
	return orgJSON{o.ID, o.Name, string(o.PartyID), o.KvK, o.VAT, o.Email, o.CreatedAt, o.EndedAt}
}

func orgAdd(e *env, args []string) error {
	fs := newFlags("org add")
	var n organizations.NewOrganization
	fs.StringVar(&n.Name, "name", "", "")
	fs.StringVar(&n.PartyID, "party-id", "", "")
	fs.StringVar(&n.KvK, "kvk", "", "")
	fs.StringVar(&n.VAT, "vat", "", "")
	fs.StringVar(&n.Email, "email", "", "")
	if _, err := parse(fs, args, 0, 0, ""); err != nil {
		return err
	}
	if err := required("name", n.Name, "party-id", n.PartyID); err != nil {
		return err
	}
	b, err := e.backend()
	if err != nil {
		return err
	}
	o, err := b.Organizations.Add(e.ctx, n)
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(toOrgJSON(o))
	}
	fmt.Fprintf(e.stdout, "Organization %d added: %s (%s)\n", o.ID, o.Name, o.PartyID)
	return nil
}

func orgList(e *env, args []string) error {
	fs := newFlags("org list")
	search := fs.String("search", "", "")
	all := fs.Bool("all", false, "")
	_, b, err := e.start(fs, args, 0, 0, "")
	if err != nil {
		return err
	}
	orgs, err := b.Organizations.List(e.ctx, koppel.OrganizationFilter{Search: *search, IncludeEnded: *all})
	if err != nil {
		return err
	}
	if e.json {
		out := make([]orgJSON, len(orgs))
		for i, o := range orgs {
			out[i] = toOrgJSON(o)
		}
		return e.printJSON(out)
	}
	if len(orgs) == 0 && *search != "" {
		fmt.Fprintln(e.stdout, "No organizations match that search.")
		return nil
	}
	if len(orgs) == 0 {
		fmt.Fprintln(e.stdout, "No organizations yet. Add one with: koppel org add --name NAME --party-id NL:KVK:12345678")
		return nil
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tPARTY ID\tEMAIL\tSTATUS")
	for _, o := range orgs {
		status := "active"
		if o.EndedAt != nil {
			status = "partnership ended " + day(*o.EndedAt)
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", o.ID, o.Name, o.PartyID, dash(o.Email), status)
	}
	return w.Flush()
}

func orgShow(e *env, args []string) error {
	fs := newFlags("org show")
	pos, b, err := e.start(fs, args, 1, 1, "an organization (its number or party ID)")
	if err != nil {
		return err
	}
	o, err := b.Organizations.Get(e.ctx, pos[0])
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(toOrgJSON(o))
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "Organization\t%d\n", o.ID)
	fmt.Fprintf(w, "Name\t%s\n", o.Name)
	fmt.Fprintf(w, "Party ID\t%s\n", o.PartyID)
	fmt.Fprintf(w, "KvK\t%s\nVAT\t%s\nEmail\t%s\n", dash(o.KvK), dash(o.VAT), dash(o.Email))
	fmt.Fprintf(w, "Added\t%s\n", stamp(o.CreatedAt))
	if o.EndedAt != nil {
		fmt.Fprintf(w, "Partnership ended\t%s\n", stamp(*o.EndedAt))
	}
	return w.Flush()
}

func orgEnd(e *env, args []string) error {
	fs := newFlags("org end-partnership")
	pos, b, err := e.start(fs, args, 1, 1, "an organization (its number or party ID)")
	if err != nil {
		return err
	}
	res, err := b.Connections.EndPartnership(e.ctx, pos[0])
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(map[string]any{"organization": toOrgJSON(res.Organization),
			"revoked": connIDs(res.Revoked), "withdrawn": connIDs(res.Withdrawn)})
	}
	fmt.Fprintf(e.stdout, "Partnership with %s ended. Connections revoked: %d.", res.Organization.Name, len(res.Revoked))
	if len(res.Withdrawn) > 0 {
		fmt.Fprintf(e.stdout, " Shared connections that no longer serve it: %d.", len(res.Withdrawn))
	}
	fmt.Fprintln(e.stdout)
	if len(res.Revoked) > 0 {
		fmt.Fprintln(e.stdout, "Also revoke the connections inside the software packages, or they keep trying the old keys.")
	}
	return nil
}

func connIDs(cs []*koppel.Connection) []int64 {
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}

// softwareJSON is a catalog entry for --json output.
type softwareJSON struct {
	ID            int64  `json:"id"`
	Slug          string `json:"slug"`
	Name          string `json:"name"`
	Direction     string `json:"direction"`
	ReceivesSales bool   `json:"receivesSales"`
	QuickConnect  bool   `json:"quickConnect"`
	Kind          string `json:"kind"`
	BuiltIn       bool   `json:"builtIn"`
}

func toSoftwareJSON(s *koppel.Software) softwareJSON {
	return softwareJSON{s.ID, s.Slug, s.Name, string(s.Direction), s.ReceivesSales, s.QuickConnect, string(s.Kind), s.BuiltIn}
}

func softwareList(e *env, args []string) error {
	_, b, err := e.start(newFlags("software list"), args, 0, 0, "")
	if err != nil {
		return err
	}
	list, err := b.Organizations.ListSoftware(e.ctx)
	if err != nil {
		return err
	}
	if e.json {
		out := make([]softwareJSON, len(list))
		for i, s := range list {
			out[i] = toSoftwareJSON(s)
		}
		return e.printJSON(out)
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "SLUG\tNAME\tDIRECTION\tQUICK CONNECT\tKIND")
	for _, s := range list {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", s.Slug, s.Name, directionText(s), yesNo(s.QuickConnect), s.Kind)
	}
	return w.Flush()
}

func softwareAdd(e *env, args []string) error {
	fs := newFlags("software add")
	var n organizations.NewSoftware
	fs.StringVar(&n.Name, "name", "", "")
	dir := fs.String("direction", "", "")
	fs.BoolVar(&n.ReceivesSales, "sales", false, "")
	fs.BoolVar(&n.QuickConnect, "quick-connect", false, "")
	if _, err := parse(fs, args, 0, 0, ""); err != nil {
		return err
	}
	if err := required("name", n.Name, "direction", *dir); err != nil {
		return err
	}
	n.Direction = koppel.Direction(*dir)
	b, err := e.backend()
	if err != nil {
		return err
	}
	s, err := b.Organizations.AddSoftware(e.ctx, n)
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(toSoftwareJSON(s))
	}
	fmt.Fprintf(e.stdout, "Software package added: %s (%s), slug %s\n", s.Name, directionText(s), s.Slug)
	return nil
}

func directionText(s *koppel.Software) string {
	switch {
	case s.Direction == koppel.Send:
		return "send"
	case s.Direction == koppel.Receive && s.ReceivesSales:
		return "receive (purchase + sales)"
	case s.Direction == koppel.Receive:
		return "receive (purchase)"
	case s.ReceivesSales:
		return "send + receive (purchase + sales)"
	}
	return "send + receive"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// stamp shows a time in the local zone, to the minute.
func stamp(t time.Time) string { return t.Local().Format("2006-01-02 15:04") }

func day(t time.Time) string { return t.Local().Format("2006-01-02") }
