package administrations

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"koppel/internal/koppel"
)

// Limits of a CSV import.
const (
	MaxCSVBytes = 1 << 20
	MaxCSVRows  = 5000
)

// columns maps header names, English and Dutch, lower-case without spaces,
// dashes or underscores, to the field they fill.
var columns = map[string]string{
	"name": "name", "naam": "name", "administration": "name", "administratie": "name", "administrationname": "name", "administratienaam": "name",
	"code": "code", "administrationcode": "code", "administratiecode": "code", "number": "code", "nummer": "code",
	"email": "email", "emailaddress": "email", "emailadres": "email", "mail": "email",
	"organization": "organization", "organisation": "organization", "organisatie": "organization",
	"partyid": "organization", "party": "organization",
}

// Row is one data row of an import: its line in the file, what it holds and
// why it cannot be imported ("" when it can).
type Row struct {
	Line         int
	Name         string
	Code         string
	Email        string
	Organization string // as written in the file
	Problem      *koppel.Error
	// Exists is set when the package already has an administration with
	// this name, code and organization: the row is skipped, not refused.
	Exists bool
}

// Preview is what an import would do: every data row, each with its
// problem if any.
type Preview struct {
	Software *koppel.Software
	Rows     []Row
	Valid    int // rows that would be added
}

// Imported is the outcome of an import.
type Imported struct {
	Preview
	Added []*View
}

// PreviewCSV reads a CSV of administrations of the package named software and
// says what importing it would do, without changing anything. The file needs
// a header row naming the columns (name, code, email, organization; Dutch
// names too); ',' and ';' both work as separators.
func (s *Service) PreviewCSV(ctx context.Context, software string, r io.Reader) (*Preview, error) {
	var p *Preview
	err := s.Store.View(ctx, func(tx koppel.Tx) (err error) {
		p, err = preview(tx, software, r)
		return err
	})
	return p, err
}

// ImportCSV adds the valid rows of the CSV in one transaction; rows with a
// problem or that already exist are left out and reported.
func (s *Service) ImportCSV(ctx context.Context, software string, r io.Reader) (*Imported, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, err
	}
	var out *Imported
	err = s.Store.Update(ctx, func(tx koppel.Tx) error {
		p, err := preview(tx, software, strings.NewReader(data))
		if err != nil {
			return err
		}
		out = &Imported{Preview: *p}
		for _, row := range p.Rows {
			if row.Problem != nil || row.Exists {
				continue
			}
			v, err := s.AddIn(tx, Input{Software: itoa(p.Software.ID), Organization: row.Organization,
				Name: row.Name, Code: row.Code, Email: row.Email})
			if err != nil {
				return err
			}
			out.Added = append(out.Added, v)
		}
		return nil
	})
	return out, err
}

func readAll(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxCSVBytes+1))
	if err != nil {
		return "", koppel.Internal("read the file", err)
	}
	if len(b) > MaxCSVBytes {
		return "", koppel.Errorf(koppel.EInvalid, "The file is larger than 1 MiB; split it into smaller files.").
			WithKey("administration.csv_too_large")
	}
	if !utf8.Valid(b) {
		return "", koppel.Errorf(koppel.EInvalid, "The file is not UTF-8 text; save it as “CSV UTF-8” and try again.").
			WithKey("administration.csv_not_utf8")
	}
	return strings.TrimPrefix(string(b), "\ufeff"), nil
}

func preview(tx koppel.Tx, software string, r io.Reader) (*Preview, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, err
	}
	sw, err := koppel.FindSoftware(tx, software)
	if err != nil {
		return nil, err
	}
	records, lines, err := parseCSV(data)
	if err != nil {
		return nil, err
	}
	index, err := header(records[0])
	if err != nil {
		return nil, err
	}
	existing, err := tx.Administrations(koppel.AdministrationFilter{SoftwareID: sw.ID})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, a := range existing {
		seen[identity(a.Name, a.Code, a.OrganizationID)] = true
	}
	p := &Preview{Software: sw}
	for i, rec := range records[1:] {
		if blank(rec) {
			continue
		}
		row := Row{Line: lines[i+1]}
		get := func(field string) string {
			if j, ok := index[field]; ok && j < len(rec) {
				return rec[j]
			}
			return ""
		}
		row.Name, row.Code, row.Email, row.Organization = get("name"), get("code"), get("email"), get("organization")
		row.Problem = check(tx, &row, seen)
		if row.Problem == nil && !row.Exists {
			p.Valid++
		}
		p.Rows = append(p.Rows, row)
	}
	return p, nil
}

// check validates one row, cleans its fields and marks repeats.
func check(tx koppel.Tx, row *Row, seen map[string]bool) *koppel.Error {
	a, err := validate(Input{Name: row.Name, Code: row.Code, Email: row.Email})
	if err != nil {
		return asError(err)
	}
	row.Name, row.Code, row.Email = a.Name, a.Code, a.Email
	row.Organization = strings.TrimSpace(row.Organization)
	var orgID int64
	if row.Organization != "" {
		o, err := koppel.FindOrganization(tx, row.Organization)
		if err != nil {
			return asError(err)
		}
		orgID = o.ID
	}
	id := identity(row.Name, row.Code, orgID)
	if seen[id] {
		row.Exists = true
		return nil
	}
	seen[id] = true
	return nil
}

func identity(name, code string, orgID int64) string {
	return strings.ToLower(name) + "\x00" + strings.ToLower(code) + "\x00" + strconv.FormatInt(orgID, 10)
}

func asError(err error) *koppel.Error {
	var e *koppel.Error
	if errors.As(err, &e) {
		return e
	}
	return koppel.Internal("check the row", err)
}

// parseCSV reads the records and the line each starts on (empty lines and
// line breaks inside quotes make these differ from the record's index),
// choosing ';' when the header has more of them than commas (Dutch
// spreadsheets write ';').
func parseCSV(data string) ([][]string, []int, error) {
	first, _, _ := strings.Cut(data, "\n")
	r := csv.NewReader(strings.NewReader(data))
	if strings.Count(first, ";") > strings.Count(first, ",") {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var records [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, _ := r.FieldPos(0)
			return nil, nil, koppel.Errorf(koppel.EInvalid, "Line %d of the file is not valid CSV.", line).
				WithKey("administration.csv_syntax", "line", strconv.Itoa(line))
		}
		line, _ := r.FieldPos(0)
		records, lines = append(records, rec), append(lines, line)
		if len(records) > MaxCSVRows+1 {
			return nil, nil, koppel.Errorf(koppel.EInvalid, "The file has more than %d rows; split it into smaller files.", MaxCSVRows).
				WithKey("administration.csv_too_many", "max", strconv.Itoa(MaxCSVRows))
		}
	}
	if len(records) == 0 {
		return nil, nil, koppel.Errorf(koppel.EInvalid, "The file is empty.").WithKey("administration.csv_empty")
	}
	return records, lines, nil
}

// header maps fields to column positions; a name column is required.
func header(rec []string) (map[string]int, error) {
	index := map[string]int{}
	for i, h := range rec {
		key := strings.NewReplacer(" ", "", "-", "", "_", "").Replace(strings.ToLower(strings.TrimSpace(h)))
		if f, ok := columns[key]; ok {
			if _, dup := index[f]; !dup {
				index[f] = i
			}
		}
	}
	if _, ok := index["name"]; !ok {
		return nil, koppel.Errorf(koppel.EInvalid,
			"The first line must name the columns, with at least a “name” column (also: code, email, organization).").
			WithKey("administration.csv_header")
	}
	return index, nil
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}
