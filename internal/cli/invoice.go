package cli

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"koppel/internal/documents"
	"koppel/internal/koppel"
)

func init() {
	register("invoice import", "invoice import [--org ORG] FILE|FOLDER...", invoiceImport)
	register("invoice list", "invoice list [--org ORG] [--direction purchase|sales] [--status S] [--connection CONN] [--search TEXT] [--limit N]", invoiceList)
	register("invoice show", "invoice show DOC [--xml]", invoiceShow)
	register("invoice candidates", "invoice candidates --org ORG", invoiceCandidates)
	register("invoice reoffer", "invoice reoffer DOC... | invoice reoffer --org ORG --all", invoiceReoffer)
	register("invoice mark-original", "invoice mark-original DOC", invoiceMarkOriginal)
}

// invoiceJSON is a document in lists (DESIGN §6).
type invoiceJSON struct {
	ID             int64  `json:"id"`
	Number         string `json:"number"`
	Direction      string `json:"direction"`
	OrganizationID int64  `json:"organizationId"`
	IssueDate      string `json:"issueDate"`
	Supplier       string `json:"supplier"`
	Customer       string `json:"customer"`
	Status         string `json:"status"`
}

func toInvoiceJSON(d *koppel.Document) invoiceJSON {
	return invoiceJSON{d.ID, d.Number, string(d.Direction), d.OrganizationID, d.IssueDate,
		partyName(d.SupplierName, d.SupplierParty), partyName(d.CustomerName, d.CustomerParty), string(d.Status)}
}

// partyName is the name of a party, or its party ID when it has none.
func partyName(name, party string) string {
	if name == "" {
		return party
	}
	return name
}

// progressEvery is how many files an import takes before it shows progress.
const progressEvery = 50

type importedJSON struct {
	invoiceJSON
	File string `json:"file"`
}

type failedJSON struct {
	File    string `json:"file"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func invoiceImport(e *env, args []string) error {
	fs := newFlags("invoice import")
	org := fs.String("org", "", "")
	paths, err := parse(fs, args, 1, 1<<20, "files or folders to import")
	if err != nil {
		return err
	}
	b, err := e.backend()
	if err != nil {
		return err
	}
	var progress func(done, total int)
	if !e.json {
		step := 0
		progress = func(done, total int) {
			if total < progressEvery {
				return
			}
			if step == 0 {
				step = max(total/20, 1)
				fmt.Fprintf(e.stderr, "Importing %d files…\n", total)
			}
			if done%step == 0 || done == total {
				fmt.Fprintf(e.stderr, "  %d of %d\n", done, total)
			}
		}
	}
	results := b.Documents.ImportFiles(e.ctx, *org, paths, progress)
	var imported []importedJSON
	var failed []failedJSON
	counts := map[string]int{}
	for _, r := range results {
		if r.Err != nil {
			failed = append(failed, failedJSON{r.Path, koppel.ErrorCode(r.Err), oneLine(koppel.ErrorMessage(r.Err))})
			continue
		}
		imported = append(imported, importedJSON{toInvoiceJSON(r.Document), r.Path})
		counts[importOutcome(r.Document)]++
	}
	if e.json {
		if imported == nil {
			imported = []importedJSON{}
		}
		if failed == nil {
			failed = []failedJSON{}
		}
		if err := e.printJSON(map[string]any{"imported": imported, "failed": failed}); err != nil {
			return err
		}
	} else {
		for _, f := range failed {
			fmt.Fprintf(e.stderr, "koppel: %s: %s\n", printable(f.File), f.Message)
		}
		fmt.Fprintf(e.stdout, "Imported %d of %d files", len(imported), len(results))
		var parts []string
		for _, k := range []string{"offered", "waiting for a connection", "duplicate", "sales invoice"} {
			if n := counts[k]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, k))
			}
		}
		if len(parts) > 0 {
			fmt.Fprintf(e.stdout, ": %s", strings.Join(parts, ", "))
		}
		fmt.Fprintln(e.stdout, ".")
		if counts["waiting for a connection"] > 0 {
			fmt.Fprintln(e.stdout, "Invoices waiting for a connection are offered with `koppel invoice reoffer` once one can receive them.")
		}
	}
	switch {
	case len(results) == 0:
		return koppel.Errorf(koppel.EInvalid, "There was nothing to import: the folders hold no .xml files.")
	case len(failed) > 0:
		return &koppel.Error{Code: koppel.EInternal,
			Message: fmt.Sprintf("%d of %d files could not be imported (listed above).", len(failed), len(results))}
	}
	return nil
}

// importOutcome sorts an imported document for the summary.
func importOutcome(d *koppel.Document) string {
	switch {
	case d.Status == koppel.DocDuplicate:
		return "duplicate"
	case d.Direction == koppel.Sales:
		return "sales invoice"
	case d.Status == koppel.DocRouted:
		return "offered"
	}
	return "waiting for a connection"
}

func invoiceList(e *env, args []string) error {
	fs := newFlags("invoice list")
	org := fs.String("org", "", "")
	dir := fs.String("direction", "", "")
	status := fs.String("status", "", "")
	conn := fs.String("connection", "", "")
	search := fs.String("search", "", "")
	limit := fs.Int("limit", documents.DefaultPageSize, "")
	if _, err := parse(fs, args, 0, 0, ""); err != nil {
		return err
	}
	if *limit < 1 || *limit > 1_000_000 {
		return usageErr("The --limit must be a number from 1 to 1000000.")
	}
	f := koppel.DocumentFilter{Direction: koppel.DocumentDirection(*dir), Search: *search}
	if f.Direction != "" && !f.Direction.Valid() {
		return usageErr("The --direction must be purchase or sales.")
	}
	if *status != "" {
		st, ok := koppel.ParseDocumentStatus(*status)
		if !ok {
			return usageErr("The --status must be one of %s.", statusNames())
		}
		f.Status = st
	}
	b, err := e.backend()
	if err != nil {
		return err
	}
	if *org != "" {
		o, err := b.Organizations.Get(e.ctx, *org)
		if err != nil {
			return err
		}
		f.OrganizationID = o.ID
	}
	if *conn != "" {
		c, err := b.Connections.Get(e.ctx, *conn)
		if err != nil {
			return err
		}
		f.ConnectionID = c.ID
	}
	// Page through the service until --limit documents are shown.
	var docs []*koppel.Document
	more := false
	for {
		f.Limit = min(documents.MaxPageSize, *limit-len(docs))
		page, err := b.Documents.List(e.ctx, f)
		if err != nil {
			return err
		}
		docs = append(docs, page.Documents...)
		if page.Next == 0 {
			break
		}
		if len(docs) >= *limit {
			more = true
			break
		}
		f.After = page.Next
	}
	if e.json {
		out := make([]invoiceJSON, len(docs))
		for i, d := range docs {
			out[i] = toInvoiceJSON(d)
		}
		return e.printJSON(out)
	}
	if len(docs) == 0 {
		fmt.Fprintln(e.stdout, "No invoices found.")
		return nil
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tISSUED\tNUMBER\tTYPE\tSUPPLIER\tCUSTOMER\tAMOUNT\tSTATUS")
	for _, d := range docs {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.ID, d.IssueDate, cell(d.Number), kindText(d),
			cell(partyName(d.SupplierName, d.SupplierParty)), cell(partyName(d.CustomerName, d.CustomerParty)),
			amountText(d), d.Status)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if more {
		fmt.Fprintf(e.stdout, "Showing the newest %d; there are more (use --limit).\n", len(docs))
	}
	return nil
}

func statusNames() string {
	names := make([]string, len(koppel.DocumentStatuses))
	for i, st := range koppel.DocumentStatuses {
		names[i] = string(st)
	}
	return strings.Join(names, ", ")
}

// cell makes document text safe for one table cell: no tabs or control
// characters, at most 40 characters.
func cell(s string) string { return shorten(oneLine(strings.ReplaceAll(s, "\t", " "))) }

func kindText(d *koppel.Document) string {
	kind := "invoice"
	if d.Type == koppel.TypeCreditNote {
		kind = "credit note"
	}
	if d.Direction == koppel.Sales {
		return "sales " + kind
	}
	return kind
}

func amountText(d *koppel.Document) string {
	if d.PayableAmount == "" {
		return "-"
	}
	return strings.TrimSpace(d.Currency + " " + d.PayableAmount)
}

// docRef reads a DOC argument: a document's number (its id).
func docRef(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || id <= 0 {
		return 0, koppel.Errorf(koppel.ENotFound, "No document %q was found; give its number (see `koppel invoice list`).", shorten(s))
	}
	return id, nil
}

type historyJSON struct {
	At     time.Time `json:"at"`
	Status string    `json:"status"`
	Note   string    `json:"note"`
}

type offerJSON struct {
	ID            int64      `json:"id"`
	ConnectionID  *int64     `json:"connectionId"` // null: the connection was deleted
	State         string     `json:"state"`
	Copy          bool       `json:"copy"`
	OfferedAt     time.Time  `json:"offeredAt"`
	RetrievedAt   *time.Time `json:"retrievedAt"`
	WithdrawnAt   *time.Time `json:"withdrawnAt"`
	Note          string     `json:"note"`
	ReofferedFrom int64      `json:"reofferedFrom,omitempty"`
}

type invoiceDetailJSON struct {
	invoiceJSON
	Type               string        `json:"type"`
	SupplierParty      string        `json:"supplierParty"`
	CustomerParty      string        `json:"customerParty"`
	Currency           string        `json:"currency"`
	PayableAmount      string        `json:"payableAmount"`
	ExternalID         string        `json:"externalId"`
	SourceConnectionID int64         `json:"sourceConnectionId,omitempty"`
	FileName           string        `json:"fileName"`
	SHA256             string        `json:"sha256"`
	Size               int64         `json:"size"`
	ReceivedAt         time.Time     `json:"receivedAt"`
	MarkedOriginal     bool          `json:"markedOriginal"`
	History            []historyJSON `json:"history"`
	Offers             []offerJSON   `json:"offers"`
}

func invoiceShow(e *env, args []string) error {
	fs := newFlags("invoice show")
	asXML := fs.Bool("xml", false, "")
	pos, err := parse(fs, args, 1, 1, "a document (its number)")
	if err != nil {
		return err
	}
	id, err := docRef(pos[0])
	if err != nil {
		return err
	}
	b, err := e.backend()
	if err != nil {
		return err
	}
	if *asXML {
		body, err := b.Documents.Body(e.ctx, id)
		if err != nil {
			return err
		}
		_, err = e.stdout.Write(body)
		return err
	}
	d, history, offers, err := b.Documents.Get(e.ctx, id)
	if err != nil {
		return err
	}
	if e.json {
		out := invoiceDetailJSON{invoiceJSON: toInvoiceJSON(d), Type: string(d.Type), SupplierParty: d.SupplierParty,
			CustomerParty: d.CustomerParty, Currency: d.Currency, PayableAmount: d.PayableAmount, ExternalID: d.ExternalID,
			SourceConnectionID: d.SourceConnectionID, FileName: d.FileName, SHA256: fmt.Sprintf("%x", d.SHA256), Size: d.Size,
			ReceivedAt: d.ReceivedAt, MarkedOriginal: d.MarkedOriginal, History: []historyJSON{}, Offers: []offerJSON{}}
		for _, h := range history {
			out.History = append(out.History, historyJSON{h.At, string(h.Status), h.Note})
		}
		for _, o := range offers {
			oj := offerJSON{ID: o.ID, State: string(o.State), Copy: o.Copy, OfferedAt: o.OfferedAt, RetrievedAt: o.RetrievedAt,
				WithdrawnAt: o.WithdrawnAt, Note: o.Note, ReofferedFrom: o.ReofferedFrom}
			if o.ConnectionID != 0 {
				oj.ConnectionID = &o.ConnectionID
			}
			out.Offers = append(out.Offers, oj)
		}
		return e.printJSON(out)
	}
	org, err := b.Organizations.Get(e.ctx, strconv.FormatInt(d.OrganizationID, 10))
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "Document\t%d\n", d.ID)
	fmt.Fprintf(w, "Number\t%s\n", oneLine(d.Number))
	fmt.Fprintf(w, "Kind\t%s\n", kindText(d))
	fmt.Fprintf(w, "Organization\t%s (%s)\n", org.Name, org.PartyID)
	fmt.Fprintf(w, "Issued\t%s\n", d.IssueDate)
	fmt.Fprintf(w, "Supplier\t%s (%s)\n", oneLine(dash(d.SupplierName)), d.SupplierParty)
	fmt.Fprintf(w, "Customer\t%s (%s)\n", oneLine(dash(d.CustomerName)), d.CustomerParty)
	fmt.Fprintf(w, "Amount payable\t%s\n", amountText(d))
	fmt.Fprintf(w, "Status\t%s\n", d.Status)
	fmt.Fprintf(w, "Received\t%s\n", stamp(d.ReceivedAt))
	switch {
	case d.SourceConnectionID != 0:
		fmt.Fprintf(w, "Sent by\tconnection %d, document id %s\n", d.SourceConnectionID, dash(oneLine(d.ExternalID)))
	case d.FileName != "":
		fmt.Fprintf(w, "File\t%s (%d bytes)\n", printable(d.FileName), d.Size)
	}
	fmt.Fprintf(w, "SHA-256\t%x\n", d.SHA256)
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "\nHistory:")
	w = tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, h := range history {
		fmt.Fprintf(w, "  %s\t%s\t%s\n", stamp(h.At), h.Status, oneLine(h.Note))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if len(offers) == 0 {
		fmt.Fprintln(e.stdout, "\nNot offered to any connection.")
		return nil
	}
	fmt.Fprintln(e.stdout, "\nOffers:")
	w = tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	frozen := false
	for _, o := range offers {
		who, warning := "a deleted connection", ""
		if o.ConnectionID != 0 {
			c, err := b.Connections.Get(e.ctx, strconv.FormatInt(o.ConnectionID, 10))
			switch {
			case err != nil:
				who = fmt.Sprintf("connection %d", o.ConnectionID)
			case c.Active():
				who = fmt.Sprintf("%s, connection %d (%s)", c.Software.Name, c.ID, c.AppKey)
			default:
				who = fmt.Sprintf("%s, connection %d (%s), revoked", c.Software.Name, c.ID, c.AppKey)
				if c.RevokedKeyAttempts > 0 {
					// R14: the software still tries these keys.
					warning = fmt.Sprintf("software still uses these revoked keys: %d attempts, last %s",
						c.RevokedKeyAttempts, optStamp(c.LastRevokedKeyAttempt, "-"))
				}
			}
		}
		state := string(o.State)
		if o.Copy {
			state += " (copy)"
		}
		if o.State == koppel.OfferReady && (o.ConnectionID == 0 || strings.HasSuffix(who, "revoked")) {
			state += ", frozen"
			frozen = true
		}
		note := oneLine(o.Note)
		if warning != "" {
			note = strings.TrimPrefix(note+"; "+warning, "; ")
		}
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", stamp(o.OfferedAt), state, who, note)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if frozen {
		fmt.Fprintf(e.stdout, "\nA frozen offer waits on keys that no longer work: move it with `koppel invoice reoffer %d`.\n", d.ID)
	}
	return nil
}

type candidateJSON struct {
	DocumentID   int64  `json:"documentId"`
	OfferID      int64  `json:"offerId,omitempty"`
	ConnectionID int64  `json:"connectionId,omitempty"`
	Number       string `json:"number"`
	IssueDate    string `json:"issueDate"`
	Supplier     string `json:"supplier"`
	Direction    string `json:"direction"`
	Status       string `json:"status"`
}

func invoiceCandidates(e *env, args []string) error {
	fs := newFlags("invoice candidates")
	org := fs.String("org", "", "")
	if _, err := parse(fs, args, 0, 0, ""); err != nil {
		return err
	}
	if err := required("org", *org); err != nil {
		return err
	}
	b, err := e.backend()
	if err != nil {
		return err
	}
	cands, err := b.Documents.ReofferCandidates(e.ctx, *org)
	if err != nil {
		return err
	}
	if e.json {
		out := make([]candidateJSON, len(cands))
		for i, c := range cands {
			d := c.Document
			out[i] = candidateJSON{d.ID, c.ID, c.ConnectionID, d.Number, d.IssueDate,
				partyName(d.SupplierName, d.SupplierParty), string(d.Direction), string(d.Status)}
		}
		return e.printJSON(out)
	}
	if len(cands) == 0 {
		fmt.Fprintln(e.stdout, "Nothing waits to be re-offered.")
		return nil
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tISSUED\tNUMBER\tSUPPLIER\tWAITING ON")
	for _, c := range cands {
		d := c.Document
		on := "no connection (arrived while none could receive it)"
		switch {
		case c.ID != 0 && c.ConnectionID == 0:
			on = "a deleted connection"
		case c.ID != 0:
			on = fmt.Sprintf("connection %d", c.ConnectionID)
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", d.ID, d.IssueDate, cell(d.Number), cell(partyName(d.SupplierName, d.SupplierParty)), on)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Re-offer them with `koppel invoice reoffer --org %s --all`.\n", printable(*org))
	return nil
}

type reofferJSON struct {
	DocumentID     int64             `json:"documentId"`
	OfferedTo      []int64           `json:"offeredTo"`
	AlreadyOffered []int64           `json:"alreadyOffered"`
	Withdrawn      []int64           `json:"withdrawn"`
	Error          map[string]string `json:"error"` // null when done
}

func invoiceReoffer(e *env, args []string) error {
	fs := newFlags("invoice reoffer")
	org := fs.String("org", "", "")
	all := fs.Bool("all", false, "")
	pos, err := parse(fs, args, 0, 1<<20, "documents")
	if err != nil {
		return err
	}
	switch {
	case *all && *org == "":
		return usageErr("--all re-offers every candidate of one organization: name it with --org.")
	case *org != "" && !*all:
		return usageErr("--org goes with --all; to re-offer single documents, name them without --org.")
	case *all && len(pos) > 0:
		return usageErr("Give documents or --org ORG --all, not both.")
	case !*all && len(pos) == 0:
		return usageErr("`koppel invoice reoffer` needs documents (their numbers), or --org ORG --all.")
	}
	var ids []int64
	for _, p := range pos {
		id, err := docRef(p)
		if err != nil {
			return err
		}
		ids = append(ids, id)
	}
	b, err := e.backend()
	if err != nil {
		return err
	}
	if *all {
		cands, err := b.Documents.ReofferCandidates(e.ctx, *org)
		if err != nil {
			return err
		}
		for _, c := range cands {
			ids = append(ids, c.DocumentID)
		}
		if len(ids) == 0 {
			if e.json {
				return e.printJSON([]reofferJSON{})
			}
			fmt.Fprintln(e.stdout, "Nothing waits to be re-offered.")
			return nil
		}
	}
	results, err := b.Documents.Reoffer(e.ctx, ids)
	if err != nil {
		return err
	}
	var failed []documents.ReofferResult
	out := make([]reofferJSON, len(results))
	for i, r := range results {
		out[i] = reofferJSON{r.DocumentID, nonNil(r.OfferedTo), nonNil(r.AlreadyOffered), nonNil(r.Withdrawn), nil}
		if r.Err != nil {
			failed = append(failed, r)
			out[i].Error = map[string]string{"code": koppel.ErrorCode(r.Err), "message": koppel.ErrorMessage(r.Err)}
		}
	}
	if e.json {
		if err := e.printJSON(out); err != nil {
			return err
		}
	} else {
		for _, r := range results {
			switch {
			case r.Err != nil:
				fmt.Fprintf(e.stderr, "koppel: document %d: %s\n", r.DocumentID, oneLine(koppel.ErrorMessage(r.Err)))
			case len(r.OfferedTo) > 0:
				fmt.Fprintf(e.stdout, "Document %d re-offered to %s.\n", r.DocumentID, e.connList(r.OfferedTo))
			default:
				fmt.Fprintf(e.stdout, "Document %d is already offered to %s.\n", r.DocumentID, e.connList(r.AlreadyOffered))
			}
		}
	}
	switch {
	case len(failed) == 1 && len(results) == 1:
		return failed[0].Err
	case len(failed) > 0:
		return koppel.Errorf(koppel.EConflict, "%d of %d documents could not be re-offered (listed above).", len(failed), len(results))
	}
	return nil
}

// connList names connections by package and id.
func (e *env) connList(ids []int64) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = fmt.Sprintf("connection %d", id)
		if c, err := e.b.Connections.Get(e.ctx, strconv.FormatInt(id, 10)); err == nil {
			names[i] = fmt.Sprintf("%s (connection %d)", c.Software.Name, id)
		}
	}
	return strings.Join(names, ", ")
}

func nonNil(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

func invoiceMarkOriginal(e *env, args []string) error {
	pos, err := parse(newFlags("invoice mark-original"), args, 1, 1, "a document (its number)")
	if err != nil {
		return err
	}
	id, err := docRef(pos[0])
	if err != nil {
		return err
	}
	b, err := e.backend()
	if err != nil {
		return err
	}
	if err := b.Documents.MarkOriginal(e.ctx, id); err != nil {
		return err
	}
	d, _, _, err := b.Documents.Get(e.ctx, id)
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(toInvoiceJSON(d))
	}
	fmt.Fprintf(e.stdout, "Document %d is marked as original (status %s). Offer it with `koppel invoice reoffer %d`.\n", d.ID, d.Status, d.ID)
	return nil
}
