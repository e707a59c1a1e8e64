package app

import (
	"unicode/utf8"

	"koppel/internal/koppel"
)

// Bounds on what the frontend may ask for.
const (
	maxSearch = 200  // characters in a search text
	maxList   = 1000 // rows in one answer; also the default
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

func (q OrganizationQuery) filter() (koppel.OrganizationFilter, error) {
	if utf8.RuneCountInString(q.Search) > maxSearch {
		return koppel.OrganizationFilter{}, koppel.Errorf(koppel.EInvalid, "The search text is too long; use at most %d characters.", maxSearch)
	}
	limit, err := checkLimit(q.Limit)
	return koppel.OrganizationFilter{Search: q.Search, IncludeEnded: q.IncludeEnded, Limit: limit}, err
}

func (q ConnectionQuery) filter() (koppel.ConnectionFilter, error) {
	if q.OrganizationID < 0 {
		return koppel.ConnectionFilter{}, koppel.Errorf(koppel.EInvalid, "The organization id %d is not valid.", q.OrganizationID)
	}
	if status := koppel.Status(q.Status); status != "" && !status.Valid() {
		return koppel.ConnectionFilter{}, koppel.Errorf(koppel.EInvalid, "The status must be active or revoked.")
	}
	limit, err := checkLimit(q.Limit)
	return koppel.ConnectionFilter{OrganizationID: q.OrganizationID, Status: koppel.Status(q.Status), Limit: limit}, err
}

func checkLimit(n int) (int, error) {
	if n < 0 || n > maxList {
		return 0, koppel.Errorf(koppel.EInvalid, "The number of rows must be between 1 and %d.", maxList)
	}
	if n == 0 {
		return maxList, nil
	}
	return n, nil
}
