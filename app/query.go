package app

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"koppel/internal/koppel"
	"koppel/internal/overview"
)

// Bounds on what the frontend may ask for.
const (
	maxSearch   = 200    // characters in a search text
	maxList     = 1000   // rows in one answer of a List; also the default
	maxOverview = 100000 // connections in one window of the overview
	maxAudit    = 5000   // audit events in one answer
	maxGrants   = 500    // further organizations granted with a new key
	maxCopy     = 4096   // bytes put on the clipboard at once
)

// OrganizationQuery narrows Organizations.List. Limit 0 means the maximum.
type OrganizationQuery struct {
	Search       string `json:"search"`
	IncludeEnded bool   `json:"includeEnded"`
	Limit        int    `json:"limit"`
}

// ConnectionQuery narrows Connections.List; zero values do not filter.
// Status is "", "active" or "revoked". Limit 0 means the maximum.
type ConnectionQuery struct {
	OrganizationID int64  `json:"organizationId"`
	Status         string `json:"status"`
	Limit          int    `json:"limit"`
}

// WindowQuery picks the connections the window shows (Connections.Window
// and Overview): those of one organization (0: all) with the status
// ("", "active" or "revoked") and package (0: any) whose package, App Key,
// organization names or party IDs contain every word of Search; of those,
// Limit rows (0: the maximum) from Offset, newest first.
type WindowQuery struct {
	OrganizationID int64  `json:"organizationId"`
	Status         string `json:"status"`
	SoftwareID     int64  `json:"softwareId"`
	Search         string `json:"search"`
	Offset         int    `json:"offset"`
	Limit          int    `json:"limit"`
}

// AuditQuery narrows Audit.List: one organization's events (0: all), newest
// first. Limit 0 means 500.
type AuditQuery struct {
	OrganizationID int64 `json:"organizationId"`
	Limit          int   `json:"limit"`
}

func (q OrganizationQuery) filter() (koppel.OrganizationFilter, error) {
	if err := checkText("search text", q.Search, maxSearch); err != nil {
		return koppel.OrganizationFilter{}, err
	}
	limit, err := checkLimit(q.Limit, maxList, maxList)
	return koppel.OrganizationFilter{Search: q.Search, IncludeEnded: q.IncludeEnded, Limit: limit}, err
}

func (q WindowQuery) query() (overview.Query, error) {
	if err := checkText("search text", q.Search, maxSearch); err != nil {
		return overview.Query{}, err
	}
	if err := checkOptionalID("organization", q.OrganizationID); err != nil {
		return overview.Query{}, err
	}
	if err := checkOptionalID("software package", q.SoftwareID); err != nil {
		return overview.Query{}, err
	}
	if status := koppel.Status(q.Status); status != "" && !status.Valid() {
		return overview.Query{}, invalidChoice("status", q.Status, "active", "revoked")
	}
	if q.Offset < 0 || q.Offset > maxOverview {
		return overview.Query{}, koppel.Errorf(koppel.EInvalid, "The first row must be between 0 and %d.", maxOverview).
			WithKey("input.limit", "max", strconv.Itoa(maxOverview))
	}
	limit, err := checkLimit(q.Limit, maxOverview, maxOverview)
	return overview.Query{OrganizationID: q.OrganizationID, Status: koppel.Status(q.Status), SoftwareID: q.SoftwareID,
		Search: q.Search, Offset: q.Offset, Limit: limit}, err
}

func (q ConnectionQuery) filter() (koppel.ConnectionFilter, error) {
	if err := checkOptionalID("organization", q.OrganizationID); err != nil {
		return koppel.ConnectionFilter{}, err
	}
	if status := koppel.Status(q.Status); status != "" && !status.Valid() {
		return koppel.ConnectionFilter{}, invalidChoice("status", q.Status, "active", "revoked")
	}
	limit, err := checkLimit(q.Limit, maxList, maxList)
	return koppel.ConnectionFilter{OrganizationID: q.OrganizationID, Status: koppel.Status(q.Status), Limit: limit}, err
}

// checkLimit reads a row limit: 0 means def, otherwise 1 to max.
func checkLimit(n, def, max int) (int, error) {
	if n < 0 || n > max {
		return 0, koppel.Errorf(koppel.EInvalid, "The number of rows must be between 1 and %d.", max).
			WithKey("input.limit", "max", strconv.Itoa(max))
	}
	if n == 0 {
		return def, nil
	}
	return n, nil
}

// checkID refuses an id that cannot name a row.
func checkID(what string, id int64) error {
	if id <= 0 {
		return koppel.Errorf(koppel.EInvalid, "The %s id %d is not valid.", what, id).
			WithKey("input.id", "what", what, "id", strconv.FormatInt(id, 10))
	}
	return nil
}

// checkOptionalID is checkID that lets 0 mean "none".
func checkOptionalID(what string, id int64) error {
	if id == 0 {
		return nil
	}
	return checkID(what, id)
}

// checkText refuses text longer than max characters (or than MaxInput
// bytes) before a service reads it; the services clean and check the rest.
func checkText(field, s string, max int) error {
	if len(s) > koppel.MaxInput || utf8.RuneCountInString(s) > max {
		return koppel.Errorf(koppel.EInvalid, "The %s is too long; use at most %d characters.", field, max).
			WithKey("text.too_long", "field", field, "max", strconv.Itoa(max))
	}
	return nil
}

// checkChoice refuses a value that is not one of choices.
func checkChoice(field, value string, choices ...string) error {
	for _, c := range choices {
		if value == c {
			return nil
		}
	}
	return invalidChoice(field, value, choices...)
}

func invalidChoice(field, value string, choices ...string) error {
	if len(value) > 40 {
		value = strings.ToValidUTF8(value[:40], "") + "…"
	}
	return koppel.Errorf(koppel.EInvalid, "The %s %q is not one of: %s.", field, value, strings.Join(choices, ", ")).
		WithKey("input.choice", "field", field, "value", strings.ToValidUTF8(value, "?"), "choices", strings.Join(choices, ", "))
}

// language reads the language of text Go writes for the window ("" means
// English).
func language(lang string) (string, error) {
	if lang == "" {
		return "en", nil
	}
	return lang, checkChoice("language", lang, "en", "nl")
}
