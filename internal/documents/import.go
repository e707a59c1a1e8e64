package documents

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"koppel/internal/koppel"
)

// ImportResult is what became of one file of a batch.
type ImportResult struct {
	Path     string
	Document *koppel.Document // nil when Err is set
	Err      error            // a koppel.Error whose message says what is wrong with the file
}

// batchSize is how many files one transaction imports: large enough to be
// fast, small enough to keep memory flat and other writers waiting briefly.
const batchSize = 200

// Import reads one document from r and stores it for the organization named
// by orgRef (id or party ID), or, when orgRef is "", for the organization the
// document names: its customer for a purchase invoice, its supplier for a
// sales invoice. dir "" decides by the parties: a document whose supplier is
// the organization is a sales invoice, anything else a purchase invoice.
// name is the file name shown in the document's history.
func (s *Service) Import(ctx context.Context, orgRef, name string, r io.Reader, dir koppel.DocumentDirection) (*koppel.Document, error) {
	if dir != "" && !dir.Valid() {
		return nil, koppel.Errorf(koppel.EInvalid, "The direction must be purchase or sales.").WithKey("document.direction")
	}
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	var d *koppel.Document
	var events []OfferedEvent
	err = s.Store.Update(ctx, func(tx koppel.Tx) (err error) {
		d, events, err = s.importBody(tx, newLookup(tx), orgRef, filepath.Base(name), body, dir)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.fire(events)
	return d, nil
}

// ImportFile imports one file (see Import).
func (s *Service) ImportFile(ctx context.Context, orgRef, path string) (*koppel.Document, error) {
	var d *koppel.Document
	var events []OfferedEvent
	err := s.Store.Update(ctx, func(tx koppel.Tx) (err error) {
		d, events, err = s.importPath(tx, newLookup(tx), orgRef, path)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.fire(events)
	return d, nil
}

// ImportFiles imports files and folders (a folder: every .xml file in it and
// its subfolders, hidden ones skipped). Each file gets its result, in order;
// a bad file does not stop the batch. Files are read one at a time and
// committed in transactions of batchSize, so memory stays flat however many
// there are. progress, if set, is called after each file with the number
// done and the total.
func (s *Service) ImportFiles(ctx context.Context, orgRef string, paths []string, progress func(done, total int)) []ImportResult {
	results := expand(paths)
	total := len(results)
	done := 0
	for start := 0; start < total; start += batchSize {
		batch := results[start:min(start+batchSize, total)]
		var events []OfferedEvent
		err := s.Store.Update(ctx, func(tx koppel.Tx) error {
			events = events[:0]
			l := newLookup(tx)
			for i := range batch {
				r := &batch[i]
				if r.Err == nil {
					if err := ctx.Err(); err != nil {
						return err
					}
					d, evs, err := s.importPath(tx, l, orgRef, r.Path)
					if koppel.ErrorCode(err) == koppel.EInternal {
						return err // the transaction is spoilt: the whole batch fails
					}
					r.Document, r.Err = d, err
					events = append(events, evs...)
				}
				if progress != nil {
					progress(min(done+i+1, total), total)
				}
			}
			return nil
		})
		if err != nil {
			for i := range batch {
				if batch[i].Err == nil {
					batch[i].Document, batch[i].Err = nil, batchFailed(err)
				}
			}
		} else {
			s.fire(events)
		}
		done += len(batch)
		if ctx.Err() != nil {
			for i := start + len(batch); i < total; i++ {
				results[i].Err = batchFailed(ctx.Err())
			}
			if progress != nil {
				progress(total, total)
			}
			break
		}
	}
	return results
}

// batchFailed is the error of a file whose batch was not saved.
func batchFailed(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return koppel.Errorf(koppel.EConflict, "The import was stopped before this file was saved.").WithKey("document.import_stopped")
	}
	if koppel.ErrorCode(err) == koppel.EInternal {
		return err
	}
	return koppel.Internal("save the imported documents", err)
}

// expand lists the files named by paths, folders walked; a path that cannot
// be read gets its error at once.
func expand(paths []string) []ImportResult {
	var out []ImportResult
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			out = append(out, ImportResult{Path: p, Err: fileError(err)})
			continue
		}
		if !fi.IsDir() {
			out = append(out, ImportResult{Path: p})
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				out = append(out, ImportResult{Path: path, Err: fileError(err)})
				return nil
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.IsDir() && strings.EqualFold(filepath.Ext(d.Name()), ".xml") {
				out = append(out, ImportResult{Path: path})
			}
			return nil
		})
		if err != nil {
			out = append(out, ImportResult{Path: p, Err: fileError(err)})
		}
	}
	return out
}

// fileError words a file system error without the path (the caller shows it).
func fileError(err error) error {
	var pe *fs.PathError
	cause := err
	if errors.As(err, &pe) {
		cause = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return koppel.Errorf(koppel.ENotFound, "The file or folder does not exist.").WithKey("document.file_missing")
	case errors.Is(err, fs.ErrPermission):
		return koppel.Errorf(koppel.EInvalid, "Koppel may not read the file (permission denied).").WithKey("document.file_permission")
	}
	return koppel.Errorf(koppel.EInvalid, "Koppel cannot read the file: %s.", cause).WithKey("document.file_unreadable", "detail", cause.Error())
}

// importPath reads and stores one file inside tx.
func (s *Service) importPath(tx koppel.Tx, l *lookup, orgRef, path string) (*koppel.Document, []OfferedEvent, error) {
	body, err := readFile(path)
	if err != nil {
		return nil, nil, err
	}
	return s.importBody(tx, l, orgRef, filepath.Base(path), body, "")
}

// readFile reads a regular file of at most MaxSize bytes.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fileError(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	switch {
	case err != nil:
		return nil, fileError(err)
	case fi.IsDir():
		return nil, koppel.Errorf(koppel.EInvalid, "This is a folder; import the files in it.").WithKey("document.is_folder")
	case !fi.Mode().IsRegular():
		return nil, koppel.Errorf(koppel.EInvalid, "This is not a regular file.").WithKey("document.not_regular")
	case fi.Size() > MaxSize:
		return nil, tooLarge()
	}
	body, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fileError(err)
	}
	if len(body) > MaxSize {
		return nil, tooLarge()
	}
	return body, nil
}

// importBody validates body and stores it as a document.
func (s *Service) importBody(tx koppel.Tx, l *lookup, orgRef, fileName string, body []byte, dir koppel.DocumentDirection) (*koppel.Document, []OfferedEvent, error) {
	u, err := parseUBL(body)
	if err != nil {
		return nil, nil, err
	}
	o, dir, err := l.receiving(orgRef, u, dir)
	if err != nil {
		return nil, nil, err
	}
	d := newDocument(u, o, dir, body)
	d.FileName = fileName
	note := koppel.Say("note.imported")
	if fileName != "" {
		note = koppel.Say("note.importedFrom", "file", short(fileName))
	}
	events, err := s.receive(tx, l, o, d, body, "", note)
	if err != nil {
		return nil, nil, err
	}
	return d, events, nil
}

// receiving decides which organization a document is for and in which
// direction (see Import).
func (l *lookup) receiving(orgRef string, u *ubl, dir koppel.DocumentDirection) (*koppel.Organization, koppel.DocumentDirection, error) {
	var o *koppel.Organization
	var err error
	if strings.TrimSpace(orgRef) != "" {
		if o, err = l.organization(orgRef); err != nil {
			return nil, "", err
		}
		if dir == "" {
			dir = koppel.Purchase
			if is(u.Supplier, o) && !is(u.Customer, o) {
				dir = koppel.Sales
			}
		}
		// A document that names another organization of Koppel's as the
		// party it is for was dropped in the wrong place.
		p, role := u.Customer, "addressed to"
		if dir == koppel.Sales {
			p, role = u.Supplier, "sent by"
		}
		if !is(p, o) {
			other, err := l.byParty(p)
			if err != nil {
				return nil, "", err
			}
			if other != nil && other.ID != o.ID {
				return nil, "", koppel.Errorf(koppel.EInvalid, "The invoice is %s %s (%s), not %s.", role, other.Name, other.PartyID, o.Name).
					WithKey("document.other_organization", "other", other.Name, "party", string(other.PartyID), "organization", o.Name)
			}
		}
	} else {
		if dir != koppel.Sales {
			if o, err = l.byParty(u.Customer); err != nil {
				return nil, "", err
			}
			if o != nil {
				dir = koppel.Purchase
			}
		}
		if o == nil && dir != koppel.Purchase {
			if o, err = l.byParty(u.Supplier); err != nil {
				return nil, "", err
			}
			dir = koppel.Sales
		}
		if o == nil {
			name := ""
			if u.Customer.Name != "" {
				name = " (" + short(u.Customer.Name) + ")"
			}
			return nil, "", koppel.Errorf(koppel.EInvalid, "The customer %s%s is not an organization in Koppel. Add it first, or name the organization to import into.", u.Customer.ID(), name).
				WithKey("document.unknown_customer", "party", u.Customer.ID(), "name", short(u.Customer.Name))
		}
	}
	if o.EndedAt != nil {
		return nil, "", koppel.Errorf(koppel.EConflict, "The partnership with %s has ended; Koppel takes no new invoices for it.", o.Name).
			WithKey("document.partnership_ended", "organization", o.Name)
	}
	return o, dir, nil
}

// newDocument makes the document row for what was read.
func newDocument(u *ubl, o *koppel.Organization, dir koppel.DocumentDirection, body []byte) *koppel.Document {
	sum := sha256.Sum256(body)
	return &koppel.Document{OrganizationID: o.ID, Direction: dir, Type: u.Type, Number: u.Number, IssueDate: u.IssueDate,
		SupplierParty: u.Supplier.ID(), SupplierName: u.Supplier.Name, CustomerParty: u.Customer.ID(), CustomerName: u.Customer.Name,
		Currency: u.Currency, PayableAmount: u.PayableAmount, SHA256: sum[:], Size: int64(len(body))}
}

// receive stores a new document with its history, tells duplicates (R12),
// offers it to every connection that may receive it (R10, R13) and writes
// the audit event: all inside tx. It returns the offers made.
func (s *Service) receive(tx koppel.Tx, l *lookup, o *koppel.Organization, d *koppel.Document, body []byte, actor string, note koppel.Phrase) ([]OfferedEvent, error) {
	now := s.Now()
	d.ReceivedAt = now
	dup, err := tx.DuplicateOf(o.ID, d.SupplierParty, d.Number, d.IssueDate, 0)
	if err != nil {
		return nil, err
	}
	var to []receiver
	var rs []receiver
	if dup == 0 {
		if rs, err = l.receiversOf(o.ID); err != nil {
			return nil, err
		}
		to = targets(rs, d)
	}
	switch {
	case dup != 0:
		d.Status = koppel.DocDuplicate
	case len(to) > 0 && d.Direction == koppel.Purchase:
		d.Status = koppel.DocRouted
	default:
		d.Status = koppel.DocValidated
	}
	if err := tx.CreateDocument(d, body); err != nil {
		return nil, err
	}
	step := func(st koppel.DocumentStatus, note ...koppel.Phrase) koppel.DocumentStatusEvent {
		e := koppel.DocumentStatusEvent{Status: st}
		e.SetNote(note...)
		return e
	}
	history := []koppel.DocumentStatusEvent{step(koppel.DocPending, note)}
	var detail []koppel.Phrase
	if dup != 0 {
		why := koppel.Say("document.duplicate", "id", strconv.FormatInt(dup, 10))
		history = append(history, step(koppel.DocDuplicate, why))
		detail = []koppel.Phrase{why}
	} else {
		validated := step(koppel.DocValidated)
		if len(to) == 0 && d.Direction == koppel.Purchase {
			validated.SetNote(whyNotPhrases(o, rs, d, "note.waitingNoConnection", "note.waitingNoneMayReceive")...)
		}
		history = append(history, validated)
		switch {
		case len(to) > 0 && d.Direction == koppel.Purchase:
			offered := koppel.Say("document.offered", "receivers", tags(to))
			history = append(history, step(koppel.DocRouted, offered))
			detail = []koppel.Phrase{offered}
		case len(to) > 0:
			detail = []koppel.Phrase{koppel.Say("document.copyOffered", "receivers", tags(to))}
		case d.Direction == koppel.Purchase:
			detail = whyNotPhrases(o, rs, d, "document.noConnection", "document.noneMayReceive")
		default:
			detail = []koppel.Phrase{koppel.Say("document.noCopies")}
		}
	}
	for i := range history {
		e := history[i]
		e.DocumentID, e.At = d.ID, now
		if err := tx.AddStatusEvent(&e); err != nil {
			return nil, err
		}
	}
	var events []OfferedEvent
	for _, r := range to {
		ev, err := s.offer(tx, o, d, r, 0)
		if err != nil {
			return nil, err
		}
		events = append(events, ev)
	}
	action := "document.import"
	if d.SourceConnectionID != 0 {
		action = "document.send"
	}
	return events, s.audit(tx, actor, action, d, detail...)
}
