package app

import (
	"maps"
	"time"

	"koppel/internal/koppel"
	"koppel/internal/overview"
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

// ConnectionRowDTO is a connection in a list of the window, kept small:
// its package is named by id (OverviewDTO.Software has them), times are
// Unix milliseconds (0: none) and empty values are left out.
type ConnectionRowDTO struct {
	ID                      int64   `json:"id"`
	AppKey                  string  `json:"appKey"`
	SoftwareID              int64   `json:"softwareId"`
	OrganizationIDs         []int64 `json:"organizationIds"`
	Status                  string  `json:"status"`
	CreatedAt               int64   `json:"createdAt"`
	RevokedAt               int64   `json:"revokedAt,omitempty"`
	RevokedReason           string  `json:"revokedReason,omitempty"`
	ReplacedByID            int64   `json:"replacedById,omitempty"`
	LastUsedAt              int64   `json:"lastUsedAt,omitempty"`
	RevokedKeyAttempts      int     `json:"revokedKeyAttempts,omitempty"`
	LastRevokedKeyAttemptAt int64   `json:"lastRevokedKeyAttemptAt,omitempty"`
}

// OverviewDTO is what the window opens with, in one answer: every
// organization (ended partnerships too), the catalog, and the first window
// of connections.
type OverviewDTO struct {
	Organizations []OrganizationDTO `json:"organizations"`
	Software      []SoftwareDTO     `json:"software"`
	Connections   WindowDTO         `json:"connections"`
}

// WindowDTO is the part of a list of connections the window shows: Rows
// from Offset among the Matched connections that pass the filters, out of
// Total in scope (one organization's, or all), newest first. SoftwareIDs are
// the packages of the connections in scope.
type WindowDTO struct {
	Total       int                `json:"total"`
	Matched     int                `json:"matched"`
	Offset      int                `json:"offset"`
	Rows        []ConnectionRowDTO `json:"rows"`
	SoftwareIDs []int64            `json:"softwareIds"`
}

// IssuedKeysDTO is a new key set: the one answer that carries a Secret, the
// moment it is issued (R2). Nothing returns it again; QuickConnectText
// holds it too, in the text "Copy for Quick Connect" puts on the clipboard.
type IssuedKeysDTO struct {
	Connection       ConnectionDTO     `json:"connection"`
	Secret           string            `json:"secret"`
	QuickConnectText string            `json:"quickConnectText"`
	Organizations    []OrganizationDTO `json:"organizations"`
	// ReplacesID is the connection these keys replace (Replace), else 0.
	ReplacesID int64 `json:"replacesId,omitempty"`
}

// PartnershipImpactDTO is what ending a partnership would do: connections
// serving only this organization are revoked, shared ones withdrawn from it.
type PartnershipImpactDTO struct {
	OrganizationID int64 `json:"organizationId"`
	Ended          bool  `json:"ended"` // the partnership has already ended
	Revoke         int   `json:"revoke"`
	Withdraw       int   `json:"withdraw"`
}

// PartnershipEndedDTO is what EndPartnership did.
type PartnershipEndedDTO struct {
	Organization OrganizationDTO `json:"organization"`
	Revoked      []int64         `json:"revoked"`
	Withdrawn    []int64         `json:"withdrawn"`
}

// AuditEventDTO is one entry of the audit trail. It never holds a secret.
type AuditEventDTO struct {
	ID              int64       `json:"id"`
	At              string      `json:"at"`
	Actor           string      `json:"actor"`
	Action          string      `json:"action"`
	SubjectType     string      `json:"subjectType"`
	SubjectID       int64       `json:"subjectId"`
	OrganizationIDs []int64     `json:"organizationIds"`
	Detail          string      `json:"detail"`  // in English
	Phrases         []PhraseDTO `json:"phrases"` // the detail for the window's catalogs; none in older events
}

// PhraseDTO is a piece of text for the window's catalogs (koppel.Phrase):
// the catalog's "say.KEY" with the values it names.
type PhraseDTO struct {
	Key    string            `json:"key"`
	Params map[string]string `json:"params,omitempty"`
}

// AuditVerifyDTO is the outcome of checking the audit trail's hash chain.
type AuditVerifyDTO struct {
	OK            bool       `json:"ok"`
	Events        int        `json:"events"`
	BrokenAt      int64      `json:"brokenAt,omitempty"`
	Problem       string     `json:"problem,omitempty"` // in English
	ProblemPhrase *PhraseDTO `json:"problemPhrase,omitempty"`
}

// SettingsDTO is the user's settings and the state of the keychain.
type SettingsDTO struct {
	AccountEmail          string      `json:"accountEmail"`
	Language              string      `json:"language"` // "" follows the system, else en or nl
	ClipboardClearSeconds int         `json:"clipboardClearSeconds"`
	APIAddr               string      `json:"apiAddr"`
	Keychain              KeychainDTO `json:"keychain"`
	DataFolder            string      `json:"dataFolder"`
}

// KeychainDTO says where Koppel's master key lives: the backend
// (keychain, wincred, secret-service, kwallet, file) and whether it is
// unlocked (the window only runs with an unlocked one).
type KeychainDTO struct {
	Backend  string `json:"backend"`
	Unlocked bool   `json:"unlocked"`
}

// CopyDTO says what happens to text just copied: the clipboard is cleared
// after ClearAfterSeconds, or never when 0.
type CopyDTO struct {
	ClearAfterSeconds int `json:"clearAfterSeconds"`
}

// CountdownDTO is the data of EventClipboardCountdown.
type CountdownDTO struct {
	Remaining int `json:"remaining"` // seconds
}

// ClipboardDoneDTO is the data of EventClipboardDone.
type ClipboardDoneDTO struct {
	Cleared bool `json:"cleared"` // false: the clipboard held something else by then
}

// StatusDTO tells whether the backend opened and, if not, why. Language is
// the language setting, so the window starts in it. Changes counts the
// events that told the window its connections or organizations changed: a
// page that started from boot data (BootDTO) compares it to know whether
// something changed before it listened.
type StatusDTO struct {
	Ready    bool      `json:"ready"`
	Error    *ErrorDTO `json:"error,omitempty"`
	Language string    `json:"language,omitempty"`
	Changes  uint64    `json:"changes"`
}

// OpenedWindowDTO is the window as its page finds itself when it opens:
// its inner size in CSS pixels and its languages (navigator.languages).
// Koppel renders the first screen it keeps for a window like that
// (FirstScreen).
type OpenedWindowDTO struct {
	Width     int      `json:"width"`
	Height    int      `json:"height"`
	Languages []string `json:"languages"`
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

func toConnectionRowDTO(r overview.Row) ConnectionRowDTO {
	return ConnectionRowDTO{
		ID: r.ID, AppKey: r.AppKey, SoftwareID: r.SoftwareID, OrganizationIDs: r.OrganizationIDs,
		Status: string(r.Status), CreatedAt: r.CreatedAt, RevokedAt: r.RevokedAt, RevokedReason: r.RevokedReason,
		ReplacedByID: r.ReplacedByID, LastUsedAt: r.LastUsedAt, RevokedKeyAttempts: r.RevokedKeyAttempts,
		LastRevokedKeyAttemptAt: r.LastRevokedKeyAttemptAt,
	}
}

func toAuditEventDTO(e *koppel.AuditEvent) AuditEventDTO {
	return AuditEventDTO{
		ID: e.ID, At: formatTime(e.At), Actor: e.Actor, Action: e.Action, SubjectType: e.SubjectType,
		SubjectID: e.SubjectID, OrganizationIDs: append([]int64{}, e.OrganizationIDs...), Detail: e.Detail,
		Phrases: phraseDTOs(e.Phrases),
	}
}

func toPhraseDTO(p koppel.Phrase) PhraseDTO {
	return PhraseDTO{Key: p.Key, Params: maps.Clone(p.Params)}
}

func phraseDTOs(ps []koppel.Phrase) []PhraseDTO {
	out := make([]PhraseDTO, len(ps))
	for i, p := range ps {
		out[i] = toPhraseDTO(p)
	}
	return out
}

func ids(cs []*koppel.Connection) []int64 {
	out := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
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

// unixMilli is t in Unix milliseconds, 0 for none.
func unixMilli(t *time.Time) int64 {
	if t == nil || t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func formatTimePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return formatTime(*t)
}
