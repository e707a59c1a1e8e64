package cli

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"koppel/internal/koppel"
)

func init() {
	register("audit", "audit [--org ORG] [--limit N]", auditList)
	register("audit verify", "audit verify", auditVerify)
	register("backup", "backup FILE", backup)
	register("settings list", "settings list", settingsList)
	register("settings set", "settings set KEY VALUE   (account-email, language, api-addr, clipboard-clear-seconds)", settingsSet)
}

type auditJSON struct {
	ID              int64     `json:"id"`
	At              time.Time `json:"at"`
	Actor           string    `json:"actor"`
	Action          string    `json:"action"`
	SubjectType     string    `json:"subjectType"`
	SubjectID       int64     `json:"subjectId"`
	OrganizationIDs []int64   `json:"organizationIds"`
	Detail          string    `json:"detail"`
	Hash            string    `json:"hash"`
}

func auditList(e *env, args []string) error {
	fs := newFlags("audit")
	org := fs.String("org", "", "")
	limit := fs.Int("limit", 200, "")
	if _, err := parse(fs, args, 0, 0, ""); err != nil {
		return err
	}
	if *limit < 1 || *limit > 1_000_000 {
		return usageErr("The --limit must be a number from 1 to 1000000.")
	}
	b, err := e.backend()
	if err != nil {
		return err
	}
	events, err := b.Audit.List(e.ctx, *org, *limit)
	if err != nil {
		return err
	}
	if e.json {
		out := make([]auditJSON, len(events))
		for i, ev := range events {
			ids := ev.OrganizationIDs
			if ids == nil {
				ids = []int64{}
			}
			out[i] = auditJSON{ev.ID, ev.At, ev.Actor, ev.Action, ev.SubjectType, ev.SubjectID, ids, ev.Detail, fmt.Sprintf("%x", ev.Hash)}
		}
		return e.printJSON(out)
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tWHEN\tWHO\tWHAT\tSUBJECT\tDETAIL")
	for _, ev := range events {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s %d\t%s\n", ev.ID, ev.At.Local().Format("2006-01-02 15:04:05"),
			ev.Actor, ev.Action, ev.SubjectType, ev.SubjectID, ev.Detail)
	}
	return w.Flush()
}

func auditVerify(e *env, args []string) error {
	_, b, err := e.start(newFlags("audit verify"), args, 0, 0, "")
	if err != nil {
		return err
	}
	v, err := b.Audit.Verify(e.ctx)
	if err != nil {
		return err
	}
	if e.json {
		if err := e.printJSON(map[string]any{"ok": v.OK(), "events": v.Events, "brokenAt": v.BrokenAt, "problem": v.Problem}); err != nil {
			return err
		}
	} else if v.OK() {
		fmt.Fprintf(e.stdout, "The audit trail is intact: %d events checked.\n", v.Events)
	}
	if !v.OK() {
		return &koppel.Error{Code: koppel.EInternal,
			Message: fmt.Sprintf("The audit trail is broken at event %d: %s. %d events before it are intact.", v.BrokenAt, v.Problem, v.Events)}
	}
	return nil
}

func backup(e *env, args []string) error {
	pos, err := parse(newFlags("backup"), args, 1, 1, "the file to write the backup to")
	if err != nil {
		return err
	}
	path, err := filepath.Abs(pos[0])
	if err != nil {
		return usageErr("The backup file name %q cannot be used.", shorten(pos[0]))
	}
	b, err := e.backend()
	if err != nil {
		return err
	}
	if err := b.Backup(e.ctx, path); err != nil {
		return err
	}
	if e.json {
		return e.printJSON(map[string]string{"backup": path})
	}
	fmt.Fprintf(e.stdout, "Backup written to %s\n", printable(path))
	fmt.Fprintln(e.stdout, "It holds no Secrets; keys revoked after today stay revoked even if you restore it.")
	return nil
}

func settingsList(e *env, args []string) error {
	_, b, err := e.start(newFlags("settings list"), args, 0, 0, "")
	if err != nil {
		return err
	}
	list, err := b.Settings.List(e.ctx)
	if err != nil {
		return err
	}
	if e.json {
		out := map[string]string{}
		for _, s := range list {
			out[s.Key] = s.Value
		}
		return e.printJSON(out)
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, s := range list {
		v := s.Value
		if v == "" {
			v = "-"
		}
		if s.Default {
			v += "  (default)"
		}
		fmt.Fprintf(w, "%s\t%s\n", s.Key, v)
	}
	fmt.Fprintf(w, "keychain\t%s\n", b.Vault.Backend())
	fmt.Fprintf(w, "data folder\t%s\n", b.Home)
	return w.Flush()
}

func settingsSet(e *env, args []string) error {
	pos, b, err := e.start(newFlags("settings set"), args, 2, 2, "a setting and its value")
	if err != nil {
		return err
	}
	v, err := b.Settings.Set(e.ctx, pos[0], pos[1])
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(map[string]string{pos[0]: v})
	}
	fmt.Fprintf(e.stdout, "%s = %s\n", pos[0], dash(v))
	return nil
}

// helpText lists every command.
func helpText() string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("Koppel: connection keys for e-invoicing, on this computer.\n\n")
	b.WriteString("Usage: koppel                 open the window\n       koppel COMMAND [--json]\n\nCommands:\n")
	for _, n := range names {
		b.WriteString("  koppel " + commands[n].usage + "\n")
	}
	b.WriteString(`
ORG is an organization's number or party ID; CONN a connection's number or App Key;
S a software package's slug (yuki, exact-multivers) or name; A an administration's
number (koppel admin list); LINK a link's number (koppel link list).
quickconnect reads the keys (the Quick Connect text) from standard input, for example:
  koppel conn create --org 1 --software yuki --quick-connect |
    koppel quickconnect --administration 1 --email admin@example.nl --confirm

Environment: KOPPEL_HOME (data folder), KOPPEL_KEYRING (file to use an encrypted file
instead of the OS keychain), KOPPEL_KEYRING_PASSPHRASE (its passphrase), KOPPEL_API_ADDR
(the local API's address, for serve and link test).
Exit codes: 0 ok, 1 failure, 2 usage, 3 not found, 4 refused by a rule.
`)
	return b.String()
}
