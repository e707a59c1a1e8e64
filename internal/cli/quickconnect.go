package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"koppel/internal/administrations"
	"koppel/internal/backend"
	"koppel/internal/koppel"
	"koppel/internal/psbapi"
	"koppel/internal/quickconnect"
)

func init() {
	register("quickconnect", "quickconnect (--administration A | --new-administration NAME [--code C] [--admin-org ORG]) --email E "+
		"[--start-date YYYY-MM-DD] [--sales] --confirm [--revoke-conflicting CONN]   (the keys on standard input)", quickConnect)
	register("link list", "link list [--conn CONN] [--org ORG] [--status active|revoked]", linkList)
	register("link test", "link test LINK", linkTest)
	register("link remove", "link remove LINK", linkRemove)
}

// maxPasteRead is how much of standard input quickconnect reads: one byte
// more than the paste parser takes, so that it refuses a larger paste with
// its own message.
const maxPasteRead = 64<<10 + 1

// linkJSON is a link for --json output. It has no field for the credential.
type linkJSON struct {
	ID               int64      `json:"id"`
	ConnectionID     int64      `json:"connectionId"`
	AppKey           string     `json:"appKey"`
	Software         string     `json:"software"`
	AdministrationID int64      `json:"administrationId"`
	Administration   string     `json:"administration"`
	Email            string     `json:"email"`
	StartDate        *string    `json:"startDate"` // null: no start date
	ProcessSales     bool       `json:"processSales"`
	Status           string     `json:"status"`
	CreatedAt        time.Time  `json:"createdAt"`
	RevokedAt        *time.Time `json:"revokedAt"`
	LastTestAt       *time.Time `json:"lastTestAt"`
	LastTestResult   string     `json:"lastTestResult"`
}

func toLinkJSON(v *quickconnect.LinkView) linkJSON {
	out := linkJSON{ID: v.ID, ConnectionID: v.ConnectionID, AppKey: v.Connection.AppKey, Software: v.Connection.Software.Slug,
		AdministrationID: v.AdministrationID, Administration: v.Administration.Name, Email: v.Email,
		ProcessSales: v.ProcessSales, Status: string(v.Status), CreatedAt: v.CreatedAt, RevokedAt: v.RevokedAt,
		LastTestAt: v.LastTestAt, LastTestResult: v.LastTestResult}
	if v.StartDate != "" {
		out.StartDate = &v.StartDate
	}
	return out
}

// linkArg reads the one LINK argument of a link command (a link's number)
// and opens the data folder.
func (e *env) linkArg(cmd string, args []string) (*backend.Backend, int64, error) {
	pos, err := parse(newFlags(cmd), args, 1, 1, "a link (its number)")
	if err != nil {
		return nil, 0, err
	}
	id, err := numberRef(pos[0], "link", "koppel link list")
	if err != nil {
		return nil, 0, err
	}
	b, err := e.backend()
	return b, id, err
}

func quickConnect(e *env, args []string) error {
	fs := newFlags("quickconnect")
	admin := fs.String("administration", "", "")
	newAdmin := fs.String("new-administration", "", "")
	code := fs.String("code", "", "")
	adminOrg := fs.String("admin-org", "", "")
	email := fs.String("email", "", "")
	start := fs.String("start-date", "", "")
	sales := fs.Bool("sales", false, "")
	confirm := fs.Bool("confirm", false, "")
	revoke := fs.String("revoke-conflicting", "", "")
	if _, err := parse(fs, args, 0, 0, ""); err != nil {
		return err
	}
	req := quickconnect.ApplyRequest{Email: *email, StartDate: strings.TrimSpace(*start), ProcessSales: *sales, Confirmed: *confirm}
	switch {
	case *admin != "" && *newAdmin != "":
		return usageErr("Give either --administration A or --new-administration NAME, not both.")
	case *admin == "" && strings.TrimSpace(*newAdmin) == "":
		return usageErr("Name the administration: --administration A (see `koppel admin list`) or --new-administration NAME.")
	case *admin != "" && (*code != "" || *adminOrg != ""):
		return usageErr("--code and --admin-org describe a new administration; use them with --new-administration.")
	}
	if err := required("email", *email); err != nil {
		return err
	}
	if req.StartDate != "" {
		if _, err := time.Parse(time.DateOnly, req.StartDate); err != nil {
			return usageErr("The start date %s is not a date; write it as YYYY-MM-DD, for example 2026-01-01.", printable(shorten(req.StartDate)))
		}
	}
	if !*confirm {
		return usageErr("Quick Connect needs --confirm: check the administration, email and settings, then run the command again with --confirm.")
	}
	if *admin != "" {
		id, err := adminRef(*admin)
		if err != nil {
			return err
		}
		req.AdministrationID = id
	} else {
		req.NewAdministration = &administrations.Input{Name: *newAdmin, Code: *code, Organization: *adminOrg}
	}
	paste, err := e.readPaste()
	if err != nil {
		return err
	}
	req.Paste = paste
	b, err := e.backend()
	if err != nil {
		return err
	}
	if *revoke != "" {
		c, err := b.Connections.Get(e.ctx, *revoke)
		if err != nil {
			return err
		}
		req.RevokeConflicting = c.ID
	}
	out, err := b.QuickConnect.Apply(e.ctx, req)
	if err != nil {
		return conflictHint(err)
	}
	if e.json {
		res := map[string]any{"link": toLinkJSON(out.Link), "revokedConnectionId": nil, "withdrawn": out.Withdrawn}
		if out.Revoked != nil {
			res["revokedConnectionId"] = out.Revoked.ID
		}
		return e.printJSON(res)
	}
	e.printApplied(out)
	return nil
}

// readPaste reads the Quick Connect text from standard input: at most one
// byte more than the parser takes. It is never echoed.
func (e *env) readPaste() (string, error) {
	if isTerminal(e.stdin) {
		fmt.Fprintln(e.stderr, "Paste the App Key and Secret (the Quick Connect text), then press Ctrl+D (on Windows: Ctrl+Z, Enter).")
	}
	data, err := io.ReadAll(io.LimitReader(e.stdin, maxPasteRead))
	if err != nil {
		return "", koppel.Internal("read the keys from standard input", err)
	}
	return string(data), nil
}

// isTerminal reports whether r is a terminal: a character device other than
// the null device.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(st, null)
}

// conflictHint adds to Quick Connect's conflict (R8) how to go on from the
// command line.
func conflictHint(err error) error {
	key, params := koppel.ErrorKey(err)
	if key != "quickconnect.conflict" || params["id"] == "" {
		return err
	}
	return &koppel.Error{Code: koppel.EConflict, Key: key, Params: params, Err: err,
		Message: koppel.ErrorMessage(err) + fmt.Sprintf(" To revoke connection %s and link this one instead, run the command again with --revoke-conflicting %s.", params["id"], params["id"])}
}

func (e *env) printApplied(out *quickconnect.Applied) {
	v := out.Link
	c := v.Connection
	fmt.Fprintf(e.stdout, "Link %d created: connection %d (%s, %s) now serves administration %s.\n",
		v.ID, c.ID, c.Software.Name, c.AppKey, v.Administration.Name)
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "  Administration\t%d  %s\n", v.AdministrationID, v.Administration.Name)
	fmt.Fprintf(w, "  Email\t%s\n", v.Email)
	fmt.Fprintf(w, "  Start date\t%s\n", startText(v.StartDate))
	if c.Software.ReceivesSales {
		fmt.Fprintf(w, "  Sales invoices\t%s\n", salesText(v.ProcessSales))
	}
	fmt.Fprintf(w, "  Offers withdrawn\t%d\n", out.Withdrawn)
	_ = w.Flush()
	if out.Replaced != nil {
		fmt.Fprintf(e.stdout, "It replaces link %d of the same connection to this administration.\n", out.Replaced.ID)
	}
	if out.Revoked != nil {
		fmt.Fprintf(e.stdout, "Connection %d (%s) is revoked: its keys no longer work. Also revoke it inside the software package.\n",
			out.Revoked.ID, out.Revoked.AppKey)
	}
	fmt.Fprintf(e.stdout, "Check it with: koppel link test %d\n", v.ID)
}

func startText(d string) string {
	if d == "" {
		return "none (every invoice)"
	}
	return d
}

func salesText(on bool) string {
	if on {
		return "processed"
	}
	return "not processed"
}

func linkList(e *env, args []string) error {
	fs := newFlags("link list")
	conn := fs.String("conn", "", "")
	org := fs.String("org", "", "")
	status := fs.String("status", "", "")
	if _, err := parse(fs, args, 0, 0, ""); err != nil {
		return err
	}
	f := koppel.LinkFilter{Status: koppel.Status(*status)}
	if f.Status != "" && !f.Status.Valid() {
		return usageErr("The --status must be active or revoked.")
	}
	b, err := e.backend()
	if err != nil {
		return err
	}
	if *conn != "" {
		c, err := b.Connections.Get(e.ctx, *conn)
		if err != nil {
			return err
		}
		f.ConnectionID = c.ID
	}
	if *org != "" {
		o, err := b.Organizations.Get(e.ctx, *org)
		if err != nil {
			return err
		}
		f.OrganizationID = o.ID
	}
	links, err := b.QuickConnect.Links(e.ctx, f)
	if err != nil {
		return err
	}
	if e.json {
		out := make([]linkJSON, len(links))
		for i, v := range links {
			out[i] = toLinkJSON(v)
		}
		return e.printJSON(out)
	}
	if len(links) == 0 {
		fmt.Fprintln(e.stdout, "No links found. Link a connection to an administration with: koppel quickconnect")
		return nil
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tCONNECTION\tSOFTWARE\tADMINISTRATION\tEMAIL\tSTART DATE\tSALES\tSTATUS\tLAST TEST")
	for _, v := range links {
		sales := "-"
		if v.Connection.Software.ReceivesSales {
			sales = yesNo(v.ProcessSales)
		}
		fmt.Fprintf(w, "%d\t%d (%s)\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", v.ID, v.ConnectionID, v.Connection.AppKey,
			v.Connection.Software.Name, cell(v.Administration.Name), v.Email, dash(v.StartDate), sales,
			linkStatusText(v), lastTestText(v))
	}
	return w.Flush()
}

func linkStatusText(v *quickconnect.LinkView) string {
	if v.Status == koppel.StatusRevoked && v.RevokedAt != nil {
		return "revoked " + day(*v.RevokedAt)
	}
	return string(v.Status)
}

func lastTestText(v *quickconnect.LinkView) string {
	if v.LastTestAt == nil {
		return "never"
	}
	return stamp(*v.LastTestAt) + " " + cell(v.LastTestResult)
}

// testPartyJSON is one party a link test reached.
type testPartyJSON struct {
	PartyID    string `json:"partyId"`
	Name       string `json:"name"`
	CanSend    bool   `json:"canSend"`
	CanReceive bool   `json:"canReceive"`
}

func linkTest(e *env, args []string) error {
	b, id, err := e.linkArg("link test", args)
	if err != nil {
		return err
	}
	// A running window or `koppel serve` answers the test; when none does,
	// the tester starts an API on a free loopback port for it.
	psbapi.AttachTester(b, func(ctx context.Context) (string, error) { return psbapi.Addr(ctx, b) }, true)
	res, v, err := b.QuickConnect.Test(e.ctx, id)
	if err != nil {
		return err
	}
	parties := make([]testPartyJSON, len(res.Parties))
	for i, p := range res.Parties {
		parties[i] = testPartyJSON{p.PartyID, p.Name, p.CanSend, p.CanReceive}
	}
	if e.json {
		out := map[string]any{"ok": res.OK, "parties": parties, "problem": nil}
		if !res.OK {
			out["problem"] = res.Problem
		}
		if err := e.printJSON(out); err != nil {
			return err
		}
	} else if res.OK {
		fmt.Fprintf(e.stdout, "OK: link %d (connection %d, %s) gets a token from the local API and reaches %d %s:\n",
			v.ID, v.ConnectionID, v.Connection.AppKey, len(parties), plural(len(parties), "party", "parties"))
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "  PARTY ID\tNAME\tSEND\tRECEIVE")
		for _, p := range parties {
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", p.PartyID, cell(p.Name), yesNo(p.CanSend), yesNo(p.CanReceive))
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	if !res.OK {
		return &koppel.Error{Code: koppel.EInternal, Message: fmt.Sprintf("The test of link %d failed: %s", v.ID, res.Problem)}
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func linkRemove(e *env, args []string) error {
	b, id, err := e.linkArg("link remove", args)
	if err != nil {
		return err
	}
	v, err := b.QuickConnect.Remove(e.ctx, id)
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(toLinkJSON(v))
	}
	fmt.Fprintf(e.stdout, "Link %d removed: connection %d (%s) no longer serves administration %s, and its stored credential is deleted.\n",
		v.ID, v.ConnectionID, v.Connection.AppKey, v.Administration.Name)
	if v.Connection.Active() {
		fmt.Fprintf(e.stdout, "The connection's keys still work; revoke them with `koppel conn revoke %d` if the software no longer needs them.\n", v.ConnectionID)
	}
	return nil
}
