package app

import (
	"strconv"

	"koppel/internal/administrations"
	"koppel/internal/quickconnect"
)

// AdministrationDTO is a bookkeeping administration inside a package.
type AdministrationDTO struct {
	ID               int64  `json:"id"`
	SoftwareID       int64  `json:"softwareId"`
	SoftwareName     string `json:"softwareName"`
	OrganizationID   int64  `json:"organizationId,omitempty"`
	OrganizationName string `json:"organizationName,omitempty"`
	Name             string `json:"name"`
	Code             string `json:"code,omitempty"`
	Email            string `json:"email,omitempty"`
	// LinkedConnectionID is the connection whose active link serves it, or 0.
	LinkedConnectionID int64  `json:"linkedConnectionId,omitempty"`
	CreatedAt          string `json:"createdAt"`
}

// QuickConnectContextDTO is what the Quick Connect view shows when opened
// from a connection.
type QuickConnectContextDTO struct {
	Connection      ConnectionDTO       `json:"connection"`
	Organizations   []OrganizationDTO   `json:"organizations"`
	Administrations []AdministrationDTO `json:"administrations"`
	Links           []LinkDTO           `json:"links"`
}

// RecognisedDTO is what a paste was found to hold. It never holds the
// Secret: SecretMasked shows its last four characters, and Token names the
// paste for Apply.
type RecognisedDTO struct {
	Token           string              `json:"token"`
	AppKey          string              `json:"appKey"`
	SecretMasked    string              `json:"secretMasked"`
	Email           string              `json:"email,omitempty"`
	Connection      ConnectionDTO       `json:"connection"`
	Organizations   []OrganizationDTO   `json:"organizations"`
	Administrations []AdministrationDTO `json:"administrations"`
}

// LinkDTO is a connection bound to an administration. Its sealed credential
// never leaves Go.
type LinkDTO struct {
	ID                 int64  `json:"id"`
	ConnectionID       int64  `json:"connectionId"`
	AppKey             string `json:"appKey"`
	SoftwareName       string `json:"softwareName"`
	AdministrationID   int64  `json:"administrationId"`
	AdministrationName string `json:"administrationName"`
	Email              string `json:"email"`
	StartDate          string `json:"startDate,omitempty"`
	ProcessSales       bool   `json:"processSales"`
	Status             string `json:"status"`
	CreatedAt          string `json:"createdAt"`
	RevokedAt          string `json:"revokedAt,omitempty"`
	LastTestAt         string `json:"lastTestAt,omitempty"`
	LastTestResult     string `json:"lastTestResult,omitempty"`
}

// AppliedDTO is what Apply did.
type AppliedDTO struct {
	Link LinkDTO `json:"link"`
	// RevokedConnectionID is the other connection revoked on the user's
	// word (R8), or 0.
	RevokedConnectionID int64 `json:"revokedConnectionId,omitempty"`
	Withdrawn           int64 `json:"withdrawn"`
}

// LinkTestDTO is the outcome of a link test; Problem says why it failed.
type LinkTestDTO struct {
	OK      bool           `json:"ok"`
	Parties []TestPartyDTO `json:"parties"`
	Problem *ErrorDTO      `json:"problem,omitempty"`
	Link    LinkDTO        `json:"link"`
}

// TestPartyDTO is a party a tested credential reaches.
type TestPartyDTO struct {
	PartyID    string `json:"partyId"`
	Name       string `json:"name"`
	CanSend    bool   `json:"canSend"`
	CanReceive bool   `json:"canReceive"`
}

// CSVRowDTO is one data row of an administrations CSV.
type CSVRowDTO struct {
	Line         int       `json:"line"`
	Name         string    `json:"name"`
	Code         string    `json:"code,omitempty"`
	Email        string    `json:"email,omitempty"`
	Organization string    `json:"organization,omitempty"`
	Problem      *ErrorDTO `json:"problem,omitempty"`
	Exists       bool      `json:"exists,omitempty"`
}

// CSVPreviewDTO is what an import would do.
type CSVPreviewDTO struct {
	SoftwareID int64       `json:"softwareId"`
	Rows       []CSVRowDTO `json:"rows"`
	Valid      int         `json:"valid"`
}

// CSVImportDTO is what an import did.
type CSVImportDTO struct {
	Preview CSVPreviewDTO       `json:"preview"`
	Added   []AdministrationDTO `json:"added"`
}

func toAdministrationDTO(v *administrations.View) AdministrationDTO {
	d := AdministrationDTO{ID: v.ID, SoftwareID: v.SoftwareID, OrganizationID: v.OrganizationID, Name: v.Name,
		Code: v.Code, Email: v.Email, LinkedConnectionID: v.LinkedConnectionID, CreatedAt: formatTime(v.CreatedAt)}
	if v.Software != nil {
		d.SoftwareName = v.Software.Name
	}
	if v.Organization != nil {
		d.OrganizationName = v.Organization.Name
	}
	return d
}

func toRecognisedDTO(r *quickconnect.Recognised) RecognisedDTO {
	orgs := make([]OrganizationDTO, len(r.Organizations))
	for i, o := range r.Organizations {
		orgs[i] = toOrganizationDTO(o)
	}
	return RecognisedDTO{Token: r.Token, AppKey: r.AppKey, SecretMasked: r.SecretMasked, Email: r.Email,
		Connection: toConnectionDTO(r.Connection), Organizations: orgs,
		Administrations: mapAll(r.Administrations, toAdministrationDTO)}
}

func toLinkDTO(v *quickconnect.LinkView) LinkDTO {
	return LinkDTO{ID: v.ID, ConnectionID: v.ConnectionID, AppKey: v.Connection.AppKey, SoftwareName: v.Connection.Software.Name,
		AdministrationID: v.AdministrationID, AdministrationName: v.Administration.Name, Email: v.Email,
		StartDate: v.StartDate, ProcessSales: v.ProcessSales, Status: string(v.Status), CreatedAt: formatTime(v.CreatedAt),
		RevokedAt: formatTimePtr(v.RevokedAt), LastTestAt: formatTimePtr(v.LastTestAt), LastTestResult: v.LastTestResult}
}

func toCSVPreviewDTO(p *administrations.Preview) CSVPreviewDTO {
	out := CSVPreviewDTO{SoftwareID: p.Software.ID, Rows: make([]CSVRowDTO, len(p.Rows)), Valid: p.Valid}
	for i, r := range p.Rows {
		out.Rows[i] = CSVRowDTO{Line: r.Line, Name: r.Name, Code: r.Code, Email: r.Email, Organization: r.Organization,
			Exists: r.Exists}
		if r.Problem != nil {
			out.Rows[i].Problem = toErrorDTO(r.Problem)
		}
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
