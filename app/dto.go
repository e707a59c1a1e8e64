package app

import (
	"time"

	"koppel/internal/koppel"
)

// DTOs: what the frontend sees. JSON keys are camelCase, times RFC 3339
// strings in UTC, absent values left out. None of them can hold a Secret.

// OrganizationDTO is an organization the bookkeeper manages.
type OrganizationDTO struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	PartyID   string `json:"partyId"`
	KvK       string `json:"kvk,omitempty"`
	VAT       string `json:"vat,omitempty"`
	Email     string `json:"email,omitempty"`
	CreatedAt string `json:"createdAt"`
	EndedAt   string `json:"endedAt,omitempty"`
}

// SoftwareDTO is an entry of the software catalog.
type SoftwareDTO struct {
	ID            int64  `json:"id"`
	Slug          string `json:"slug"`
	Name          string `json:"name"`
	Direction     string `json:"direction"`
	ReceivesSales bool   `json:"receivesSales"`
	QuickConnect  bool   `json:"quickConnect"`
	Kind          string `json:"kind"`
	BuiltIn       bool   `json:"builtIn"`
}

// ConnectionDTO is one issued key set, without its Secret.
type ConnectionDTO struct {
	ID                      int64       `json:"id"`
	AppKey                  string      `json:"appKey"`
	Software                SoftwareDTO `json:"software"`
	OrganizationIDs         []int64     `json:"organizationIds"`
	Status                  string      `json:"status"`
	CreatedAt               string      `json:"createdAt"`
	RevokedAt               string      `json:"revokedAt,omitempty"`
	RevokedReason           string      `json:"revokedReason,omitempty"`
	ReplacedByID            int64       `json:"replacedById,omitempty"`
	LastUsedAt              string      `json:"lastUsedAt,omitempty"`
	RevokedKeyAttempts      int         `json:"revokedKeyAttempts"`
	LastRevokedKeyAttemptAt string      `json:"lastRevokedKeyAttemptAt,omitempty"`
}

// StatusDTO tells whether the backend opened and, if not, why.
type StatusDTO struct {
	Ready bool      `json:"ready"`
	Error *ErrorDTO `json:"error,omitempty"`
}

func toOrganizationDTO(o *koppel.Organization) OrganizationDTO {
	return OrganizationDTO{
		ID: o.ID, Name: o.Name, PartyID: o.PartyID.String(),
		KvK: o.KvK, VAT: o.VAT, Email: o.Email,
		CreatedAt: formatTime(o.CreatedAt), EndedAt: formatTimePtr(o.EndedAt),
	}
}

func toSoftwareDTO(s *koppel.Software) SoftwareDTO {
	return SoftwareDTO{
		ID: s.ID, Slug: s.Slug, Name: s.Name, Direction: string(s.Direction),
		ReceivesSales: s.ReceivesSales, QuickConnect: s.QuickConnect,
		Kind: string(s.Kind), BuiltIn: s.BuiltIn,
	}
}

func toConnectionDTO(c *koppel.Connection) ConnectionDTO {
	return ConnectionDTO{
		ID: c.ID, AppKey: c.AppKey, Software: toSoftwareDTO(&c.Software),
		OrganizationIDs: append([]int64{}, c.OrganizationIDs...), Status: string(c.Status),
		CreatedAt: formatTime(c.CreatedAt), RevokedAt: formatTimePtr(c.RevokedAt),
		RevokedReason: c.RevokedReason, ReplacedByID: c.ReplacedByID,
		LastUsedAt: formatTimePtr(c.LastUsedAt), RevokedKeyAttempts: c.RevokedKeyAttempts,
		LastRevokedKeyAttemptAt: formatTimePtr(c.LastRevokedKeyAttempt),
	}
}

// mapAll maps a list; the result is never nil, so JSON gets [] not null.
func mapAll[T, D any](list []*T, f func(*T) D) []D {
	out := make([]D, 0, len(list))
	for _, v := range list {
		out = append(out, f(v))
	}
	return out
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func formatTimePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return formatTime(*t)
}
