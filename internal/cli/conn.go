package cli

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"koppel/internal/connections"
	"koppel/internal/keys"
	"koppel/internal/koppel"
	"koppel/internal/settings"
)

func init() {
	register("conn create", "conn create --org ORG --software S [--grant ORG]... [--quick-connect]", connCreate)
	register("conn list", "conn list [--org ORG] [--software S] [--status active|revoked]", connList)
	register("conn show", "conn show CONN", connShow)
	register("conn revoke", "conn revoke CONN --reason lost|compromised|routine|switch|other", connRevoke)
	register("conn delete", "conn delete CONN", connDelete)
	register("conn replace", "conn replace CONN --reason lost|compromised|routine|other", connReplace)
}

// connJSON is a connection for --json output. It has no Secret field.
type connJSON struct {
	ID                 int64      `json:"id"`
	AppKey             string     `json:"appKey"`
	Software           string     `json:"software"`
	OrganizationIDs    []int64    `json:"organizationIds"`
	Status             string     `json:"status"`
	CreatedAt          time.Time  `json:"createdAt"`
	RevokedAt          *time.Time `json:"revokedAt"`
	RevokedReason      string     `json:"revokedReason"`
	ReplacedBy         int64      `json:"replacedBy,omitempty"`
	LastUsedAt         *time.Time `json:"lastUsedAt"`
	RevokedKeyAttempts int        `json:"revokedKeyAttempts"`
}

func toConnJSON(c *koppel.Connection) connJSON {
	ids := c.OrganizationIDs
	if ids == nil {
		ids = []int64{}
	}
	return connJSON{c.ID, c.AppKey, c.Software.Slug, ids, string(c.Status), c.CreatedAt, c.RevokedAt,
		c.RevokedReason, c.ReplacedByID, c.LastUsedAt, c.RevokedKeyAttempts}
}

// issuedJSON is the one output that carries a Secret (R2).
type issuedJSON struct {
	ID              int64   `json:"id"`
	AppKey          string  `json:"appKey"`
	Secret          string  `json:"secret"`
	OrganizationIDs []int64 `json:"organizationIds"`
	Software        string  `json:"software"`
	Status          string  `json:"status"`
	Replaces        int64   `json:"replaces,omitempty"`
}

func connCreate(e *env, args []string) error {
	fs := newFlags("conn create")
	var req connections.CreateRequest
	var grants list
	fs.StringVar(&req.Organization, "org", "", "")
	fs.StringVar(&req.Software, "software", "", "")
	fs.Var(&grants, "grant", "")
	qc := fs.Bool("quick-connect", false, "")
	if _, err := parse(fs, args, 0, 0, ""); err != nil {
		return err
	}
	if err := required("org", req.Organization, "software", req.Software); err != nil {
		return err
	}
	req.Grants = grants
	b, err := e.backend()
	if err != nil {
		return err
	}
	issued, err := b.Connections.Create(e.ctx, req)
	if err != nil {
		return err
	}
	return e.printIssued(issued, 0, *qc)
}

// printIssued shows new keys: the only place a Secret is ever printed.
func (e *env) printIssued(issued *connections.Issued, replaces int64, quickConnect bool) error {
	c := issued.Connection
	if e.json {
		return e.printJSON(issuedJSON{c.ID, c.AppKey, issued.Secret.Reveal(), c.OrganizationIDs, c.Software.Slug, string(c.Status), replaces})
	}
	org := issued.Organizations[0]
	if quickConnect {
		lang, _ := e.b.Settings.Get(e.ctx, settings.Language)
		if lang == "" {
			lang = os.Getenv("LANG") // the setting's default: follow the system
		}
		fmt.Fprint(e.stdout, keys.QuickConnectText(c.AppKey, issued.Secret, org.Name, string(org.PartyID), lang))
		fmt.Fprintln(e.stderr, "Copy this text now: the Secret is shown only once and cannot be recovered.")
		return nil
	}
	fmt.Fprintf(e.stdout, "Connection %d created: %s for %s\n\n", c.ID, c.Software.Name, orgNames(issued.Organizations))
	fmt.Fprintf(e.stdout, "  App Key: %s\n  Secret:  %s\n\n", c.AppKey, issued.Secret.Reveal())
	fmt.Fprintln(e.stdout, "Copy the Secret now and store it safely (a password manager): it is shown only once and cannot be recovered.")
	return nil
}

func orgNames(orgs []*koppel.Organization) string {
	names := make([]string, len(orgs))
	for i, o := range orgs {
		names[i] = fmt.Sprintf("%s (%s)", o.Name, o.PartyID)
	}
	return strings.Join(names, ", ")
}

func connList(e *env, args []string) error {
	fs := newFlags("conn list")
	org := fs.String("org", "", "")
	sw := fs.String("software", "", "")
	status := fs.String("status", "", "")
	_, b, err := e.start(fs, args, 0, 0, "")
	if err != nil {
		return err
	}
	f := koppel.ConnectionFilter{Status: koppel.Status(*status)}
	if *org != "" {
		o, err := b.Organizations.Get(e.ctx, *org)
		if err != nil {
			return err
		}
		f.OrganizationID = o.ID
	}
	if *sw != "" {
		s, err := b.Organizations.GetSoftware(e.ctx, *sw)
		if err != nil {
			return err
		}
		f.SoftwareID = s.ID
	}
	conns, err := b.Connections.List(e.ctx, f)
	if err != nil {
		return err
	}
	if e.json {
		out := make([]connJSON, len(conns))
		for i, c := range conns {
			out[i] = toConnJSON(c)
		}
		return e.printJSON(out)
	}
	if len(conns) == 0 {
		fmt.Fprintln(e.stdout, "No connections found.")
		return nil
	}
	names, err := e.orgNameMap()
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tAPP KEY\tSOFTWARE\tORGANIZATIONS\tSTATUS\tCREATED\tLAST USED")
	for _, c := range conns {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.AppKey, c.Software.Name,
			names.of(c.OrganizationIDs), statusText(c), day(c.CreatedAt), optStamp(c.LastUsedAt, "never"))
	}
	return w.Flush()
}

func connShow(e *env, args []string) error {
	pos, b, err := e.start(newFlags("conn show"), args, 1, 1, "a connection (its number or App Key)")
	if err != nil {
		return err
	}
	c, err := b.Connections.Get(e.ctx, pos[0])
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(toConnJSON(c))
	}
	names, err := e.orgNameMap()
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "Connection\t%d\n", c.ID)
	fmt.Fprintf(w, "App Key\t%s\n", c.AppKey)
	fmt.Fprintf(w, "Secret\tshown only once, at creation\n")
	fmt.Fprintf(w, "Software\t%s (%s)\n", c.Software.Name, directionText(&c.Software))
	fmt.Fprintf(w, "Organizations\t%s\n", names.of(c.OrganizationIDs))
	fmt.Fprintf(w, "Status\t%s\n", statusText(c))
	fmt.Fprintf(w, "Created\t%s (%s old)\n", stamp(c.CreatedAt), age(time.Since(c.CreatedAt)))
	fmt.Fprintf(w, "Last used\t%s\n", optStamp(c.LastUsedAt, "never"))
	if c.RevokedAt != nil {
		fmt.Fprintf(w, "Revoked\t%s, reason: %s\n", stamp(*c.RevokedAt), c.RevokedReason)
	}
	if c.ReplacedByID != 0 {
		fmt.Fprintf(w, "Replaced by\tconnection %d\n", c.ReplacedByID)
	}
	if c.RevokedKeyAttempts > 0 {
		fmt.Fprintf(w, "Warning\tsoftware still uses these revoked keys: %d attempts, last %s. Revoke them inside the package too.\n",
			c.RevokedKeyAttempts, optStamp(c.LastRevokedKeyAttempt, "-"))
	}
	return w.Flush()
}

func connRevoke(e *env, args []string) error {
	fs := newFlags("conn revoke")
	reason := fs.String("reason", "", "")
	pos, err := parse(fs, args, 1, 1, "a connection (its number or App Key)")
	if err != nil {
		return err
	}
	if err := required("reason", *reason); err != nil {
		return usageErr("The option --reason is required: one of %s.", strings.Join(koppel.RevokeReasons, ", "))
	}
	b, err := e.backend()
	if err != nil {
		return err
	}
	c, err := b.Connections.Revoke(e.ctx, pos[0], *reason)
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(toConnJSON(c))
	}
	fmt.Fprintf(e.stdout, "Connection %d (%s) is revoked: its keys no longer work.\n", c.ID, c.AppKey)
	fmt.Fprintln(e.stdout, "Also revoke the connection inside the software package, or it keeps trying the old keys.")
	return nil
}

func connDelete(e *env, args []string) error {
	pos, b, err := e.start(newFlags("conn delete"), args, 1, 1, "a connection (its number or App Key)")
	if err != nil {
		return err
	}
	c, err := b.Connections.Delete(e.ctx, pos[0])
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(map[string]any{"id": c.ID, "appKey": c.AppKey, "deleted": true})
	}
	fmt.Fprintf(e.stdout, "Connection %d (%s) deleted. Its audit history stays.\n", c.ID, c.AppKey)
	return nil
}

func connReplace(e *env, args []string) error {
	fs := newFlags("conn replace")
	reason := fs.String("reason", "", "")
	qc := fs.Bool("quick-connect", false, "")
	pos, err := parse(fs, args, 1, 1, "a connection (its number or App Key)")
	if err != nil {
		return err
	}
	if err := required("reason", *reason); err != nil {
		return usageErr("The option --reason is required: one of %s.", strings.Join(koppel.ReplaceReasons, ", "))
	}
	b, err := e.backend()
	if err != nil {
		return err
	}
	issued, old, err := b.Connections.Replace(e.ctx, pos[0], *reason)
	if err != nil {
		return err
	}
	if err := e.printIssued(issued, old.ID, *qc); err != nil {
		return err
	}
	if !e.json && !*qc {
		fmt.Fprintf(e.stdout, "Connection %d (%s) is revoked; enter the new keys in the software package.\n", old.ID, old.AppKey)
	}
	return nil
}

func statusText(c *koppel.Connection) string {
	if c.Active() {
		return "active"
	}
	s := "revoked"
	if c.RevokedAt != nil {
		s += " " + day(*c.RevokedAt)
	}
	if c.RevokedReason != "" {
		s += " (" + c.RevokedReason + ")"
	}
	return s
}

func optStamp(t *time.Time, none string) string {
	if t == nil {
		return none
	}
	return stamp(*t)
}

// age says how old something is in days, months or years.
func age(d time.Duration) string {
	days := int(d.Hours() / 24)
	switch {
	case days < 1:
		return "less than a day"
	case days < 60:
		return fmt.Sprintf("%d days", days)
	case days < 730:
		return fmt.Sprintf("%d months", days/30)
	}
	return fmt.Sprintf("%d years", days/365)
}

// orgNames maps organization ids to "Name (party)".
type orgNameMap map[int64]string

func (e *env) orgNameMap() (orgNameMap, error) {
	orgs, err := e.b.Organizations.List(e.ctx, koppel.OrganizationFilter{IncludeEnded: true})
	if err != nil {
		return nil, err
	}
	m := orgNameMap{}
	for _, o := range orgs {
		m[o.ID] = fmt.Sprintf("%s (%s)", o.Name, o.PartyID)
	}
	return m, nil
}

func (m orgNameMap) of(ids []int64) string {
	if len(ids) == 0 {
		return "-"
	}
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = m[id]
	}
	return strings.Join(names, ", ")
}
