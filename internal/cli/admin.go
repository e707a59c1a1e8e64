package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"koppel/internal/administrations"
	"koppel/internal/koppel"
)

func init() {
	register("admin add", "admin add --software S --name NAME [--email E] [--org ORG] [--code C]", adminAdd)
	register("admin list", "admin list [--software S] [--org ORG] [--search TEXT]", adminList)
	register("admin edit", "admin edit A [--software S] [--name NAME] [--email E] [--org ORG|--no-org] [--code C]", adminEdit)
	register("admin import", "admin import --software S FILE|- [--dry-run]", adminImport)
}

// adminJSON is an administration for --json output.
type adminJSON struct {
	ID                 int64     `json:"id"`
	SoftwareID         int64     `json:"softwareId"`
	Software           string    `json:"software"`
	OrganizationID     *int64    `json:"organizationId"` // null: tied to no organization
	Organization       *string   `json:"organization"`
	Name               string    `json:"name"`
	Code               string    `json:"code"`
	Email              string    `json:"email"`
	LinkedConnectionID *int64    `json:"linkedConnectionId"` // null: no active link serves it
	CreatedAt          time.Time `json:"createdAt"`
}

func toAdminJSON(v *administrations.View) adminJSON {
	out := adminJSON{ID: v.ID, SoftwareID: v.SoftwareID, Name: v.Name, Code: v.Code, Email: v.Email, CreatedAt: v.CreatedAt}
	if v.Software != nil {
		out.Software = v.Software.Slug
	}
	if v.Organization != nil {
		out.OrganizationID, out.Organization = &v.Organization.ID, &v.Organization.Name
	}
	if v.LinkedConnectionID != 0 {
		out.LinkedConnectionID = &v.LinkedConnectionID
	}
	return out
}

func adminsJSON(list []*administrations.View) []adminJSON {
	out := make([]adminJSON, len(list))
	for i, v := range list {
		out[i] = toAdminJSON(v)
	}
	return out
}

// adminRef reads an A argument: an administration's number.
func adminRef(s string) (int64, error) { return numberRef(s, "administration", "koppel admin list") }

// numberRef reads the number of a thing (an administration, a link) that
// has no other name; anything else is not found, with where to look.
func numberRef(s, what, list string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || id <= 0 {
		return 0, koppel.Errorf(koppel.ENotFound, "No %s %s was found; give its number (see `%s`).", what, printable(shorten(s)), list)
	}
	return id, nil
}

func adminAdd(e *env, args []string) error {
	fs := newFlags("admin add")
	var in administrations.Input
	fs.StringVar(&in.Software, "software", "", "")
	fs.StringVar(&in.Name, "name", "", "")
	fs.StringVar(&in.Email, "email", "", "")
	fs.StringVar(&in.Organization, "org", "", "")
	fs.StringVar(&in.Code, "code", "", "")
	if _, err := parse(fs, args, 0, 0, ""); err != nil {
		return err
	}
	if err := required("software", in.Software, "name", in.Name); err != nil {
		return err
	}
	b, err := e.backend()
	if err != nil {
		return err
	}
	v, err := b.Administrations.Add(e.ctx, in)
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(toAdminJSON(v))
	}
	fmt.Fprintf(e.stdout, "Administration %d added: %s.\n", v.ID, adminText(v))
	return nil
}

// adminText describes an administration in one line: name, code, package,
// organization.
func adminText(v *administrations.View) string {
	s := v.Name
	if v.Code != "" {
		s += " (code " + v.Code + ")"
	}
	if v.Software != nil {
		s += " in " + v.Software.Name
	}
	if v.Organization != nil {
		s += fmt.Sprintf(" for %s (%s)", v.Organization.Name, v.Organization.PartyID)
	}
	return s
}

func adminList(e *env, args []string) error {
	fs := newFlags("admin list")
	sw := fs.String("software", "", "")
	org := fs.String("org", "", "")
	search := fs.String("search", "", "")
	_, b, err := e.start(fs, args, 0, 0, "")
	if err != nil {
		return err
	}
	f := koppel.AdministrationFilter{Search: *search}
	if *sw != "" {
		s, err := b.Organizations.GetSoftware(e.ctx, *sw)
		if err != nil {
			return err
		}
		f.SoftwareID = s.ID
	}
	if *org != "" {
		o, err := b.Organizations.Get(e.ctx, *org)
		if err != nil {
			return err
		}
		f.OrganizationIDs = []int64{o.ID}
	}
	list, err := b.Administrations.List(e.ctx, f)
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(adminsJSON(list))
	}
	if len(list) == 0 {
		if *sw == "" && *org == "" && *search == "" {
			fmt.Fprintln(e.stdout, "No administrations yet. Add one with: koppel admin add --software yuki --name NAME --org ORG")
		} else {
			fmt.Fprintln(e.stdout, "No administrations found.")
		}
		return nil
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tCODE\tSOFTWARE\tORGANIZATION\tEMAIL\tLINKED TO")
	for _, v := range list {
		orgName, linked := "-", "-"
		if v.Organization != nil {
			orgName = fmt.Sprintf("%s (%s)", v.Organization.Name, v.Organization.PartyID)
		}
		if v.LinkedConnectionID != 0 {
			linked = fmt.Sprintf("connection %d", v.LinkedConnectionID)
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", v.ID, cell(v.Name), dash(cell(v.Code)), v.Software.Name,
			cell(orgName), dash(v.Email), linked)
	}
	return w.Flush()
}

func adminEdit(e *env, args []string) error {
	fs := newFlags("admin edit")
	sw := fs.String("software", "", "")
	name := fs.String("name", "", "")
	email := fs.String("email", "", "")
	org := fs.String("org", "", "")
	noOrg := fs.Bool("no-org", false, "")
	code := fs.String("code", "", "")
	pos, err := parse(fs, args, 1, 1, "an administration (its number)")
	if err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["org"] && *noOrg {
		return usageErr("Give either --org ORG or --no-org, not both.")
	}
	if set["software"] && strings.TrimSpace(*sw) == "" {
		return usageErr("The option --software needs a package; leave it out to keep the current one.")
	}
	if set["org"] && strings.TrimSpace(*org) == "" {
		return usageErr("The option --org needs an organization; use --no-org to tie the administration to none.")
	}
	if len(set) == 0 {
		return usageErr("`koppel admin edit` needs something to change: --software, --name, --email, --org, --no-org or --code.")
	}
	id, err := adminRef(pos[0])
	if err != nil {
		return err
	}
	b, err := e.backend()
	if err != nil {
		return err
	}
	old, err := b.Administrations.Get(e.ctx, id)
	if err != nil {
		return err
	}
	// Options left out keep the current values.
	in := administrations.Input{Software: strconv.FormatInt(old.SoftwareID, 10), Name: old.Name, Code: old.Code, Email: old.Email}
	if old.OrganizationID != 0 {
		in.Organization = strconv.FormatInt(old.OrganizationID, 10)
	}
	if set["software"] {
		in.Software = *sw
	}
	if set["name"] {
		in.Name = *name
	}
	if set["email"] {
		in.Email = *email
	}
	if set["code"] {
		in.Code = *code
	}
	if set["org"] {
		in.Organization = *org
	}
	if *noOrg {
		in.Organization = ""
	}
	v, err := b.Administrations.Edit(e.ctx, id, in)
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(toAdminJSON(v))
	}
	fmt.Fprintf(e.stdout, "Administration %d saved: %s.\n", v.ID, adminText(v))
	return nil
}

// csvRowJSON is one data row of an import preview.
type csvRowJSON struct {
	Line         int    `json:"line"`
	Name         string `json:"name"`
	Code         string `json:"code"`
	Email        string `json:"email"`
	Organization string `json:"organization"`
	// Result is "add" (added, or would be), "exists" or "problem".
	Result  string  `json:"result"`
	Problem *string `json:"problem"`
}

func adminImport(e *env, args []string) error {
	fs := newFlags("admin import")
	sw := fs.String("software", "", "")
	dryRun := fs.Bool("dry-run", false, "")
	pos, err := parse(fs, args, 1, 1, "a CSV file (or - for standard input)")
	if err != nil {
		return err
	}
	if err := required("software", *sw); err != nil {
		return err
	}
	var r io.Reader = e.stdin
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return fileError(pos[0], err)
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.IsDir() {
			return koppel.Errorf(koppel.EInvalid, "%s is a folder; give a CSV file.", printable(shorten(pos[0])))
		}
		r = f
	}
	b, err := e.backend()
	if err != nil {
		return err
	}
	var p *administrations.Preview
	var added []*administrations.View
	if *dryRun {
		if p, err = b.Administrations.PreviewCSV(e.ctx, *sw, r); err != nil {
			return err
		}
	} else {
		imported, err := b.Administrations.ImportCSV(e.ctx, *sw, r)
		if err != nil {
			return err
		}
		p, added = &imported.Preview, imported.Added
	}
	problems := 0
	rows := make([]csvRowJSON, len(p.Rows))
	for i, row := range p.Rows {
		rows[i] = csvRowJSON{Line: row.Line, Name: row.Name, Code: row.Code, Email: row.Email, Organization: row.Organization, Result: "add"}
		switch {
		case row.Problem != nil:
			msg := oneLine(koppel.ErrorMessage(row.Problem))
			rows[i].Result, rows[i].Problem = "problem", &msg
			problems++
		case row.Exists:
			rows[i].Result = "exists"
		}
	}
	if e.json {
		if err := e.printJSON(map[string]any{"software": p.Software.Slug, "dryRun": *dryRun, "rows": rows,
			"valid": p.Valid, "added": adminsJSON(added)}); err != nil {
			return err
		}
	} else {
		e.printImport(p.Software, rows, added, *dryRun)
	}
	if problems > 0 {
		what := "could not be imported"
		if *dryRun {
			what = "cannot be imported"
		}
		return &koppel.Error{Code: koppel.EInternal,
			Message: fmt.Sprintf("%d of %d rows %s (listed above, with their line numbers).", problems, len(rows), what)}
	}
	return nil
}

// printImport shows an import's preview and what it added.
func (e *env) printImport(sw *koppel.Software, rows []csvRowJSON, added []*administrations.View, dryRun bool) {
	if len(rows) == 0 {
		fmt.Fprintln(e.stdout, "The file has no rows below its header.")
		return
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "LINE\tNAME\tCODE\tORGANIZATION\tEMAIL\tRESULT")
	toAdd := 0
	for _, r := range rows {
		result := "added"
		switch {
		case r.Problem != nil:
			result = "problem: " + *r.Problem
		case r.Result == "exists":
			result = "already exists, skipped"
		case dryRun:
			result = "would be added"
		}
		if r.Result == "add" {
			toAdd++
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", r.Line, dash(cell(r.Name)), dash(cell(r.Code)), dash(cell(r.Organization)),
			dash(cell(r.Email)), result)
	}
	_ = w.Flush()
	if dryRun {
		fmt.Fprintf(e.stdout, "Dry run: %d of %d rows would be added to %s; nothing was changed.\n", toAdd, len(rows), sw.Name)
		return
	}
	fmt.Fprintf(e.stdout, "Added %d %s to %s.\n", len(added), plural(len(added), "administration", "administrations"), sw.Name)
	for _, v := range added {
		fmt.Fprintf(e.stdout, "  %d  %s\n", v.ID, cell(v.Name))
	}
}

// fileError says in plain words why a file named on the command line cannot
// be read.
func fileError(name string, err error) error {
	n := printable(shorten(name))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return koppel.Errorf(koppel.EInvalid, "The file %s does not exist.", n)
	case errors.Is(err, fs.ErrPermission):
		return koppel.Errorf(koppel.EInvalid, "The file %s cannot be read: permission denied.", n)
	}
	return koppel.Internal("read "+n, err)
}
