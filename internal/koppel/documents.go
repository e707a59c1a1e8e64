package koppel

import (
	"strings"
	"time"
)

// DocumentDirection says whose invoice a document is: a purchase invoice
// received by the organization (its inbox) or a sales invoice it sent (its
// outbox).
type DocumentDirection string

const (
	Purchase DocumentDirection = "purchase"
	Sales    DocumentDirection = "sales"
)

// Valid reports whether d is a known direction.
func (d DocumentDirection) Valid() bool { return d == Purchase || d == Sales }

// DocumentType is the kind of UBL document.
type DocumentType string

const (
	TypeInvoice    DocumentType = "invoice"
	TypeCreditNote DocumentType = "creditnote"
)

// DocumentStatus is where a document stands. The names are eConnect's.
//
// What Koppel writes (it is offline: nothing leaves this computer):
//   - Pending: received (imported, or sent by software through the API).
//   - Validated: read as UBL 2.1 / Peppol BIS 3 and accepted; a purchase
//     invoice stays here while no active connection can receive it.
//   - Routed: a purchase invoice offered to at least one connection.
//   - Delivered: a purchase invoice retrieved (downloaded) by software.
//   - Duplicate: same supplier party, number and issue date as an earlier
//     document of the organization (R12); not offered until marked original,
//     which puts it back to Validated.
//
// Rejected and Failed belong to the protocol's vocabulary; Koppel refuses an
// unreadable document before storing it, so it does not write them today.
// Sales invoices stay Validated: copies offered to software that processes
// sales invoices do not change the invoice's own status.
type DocumentStatus string

const (
	DocPending   DocumentStatus = "Pending"
	DocValidated DocumentStatus = "Validated"
	DocRouted    DocumentStatus = "Routed"
	DocDelivered DocumentStatus = "Delivered"
	DocRejected  DocumentStatus = "Rejected"
	DocFailed    DocumentStatus = "Failed"
	DocDuplicate DocumentStatus = "Duplicate"
)

// DocumentStatuses lists every status in lifecycle order.
var DocumentStatuses = []DocumentStatus{DocPending, DocValidated, DocRouted, DocDelivered, DocRejected, DocFailed, DocDuplicate}

// ParseDocumentStatus reads a status name, case-insensitively.
func ParseDocumentStatus(s string) (DocumentStatus, bool) {
	for _, st := range DocumentStatuses {
		if strings.EqualFold(strings.TrimSpace(s), string(st)) {
			return st, true
		}
	}
	return "", false
}

// Document is an invoice or credit note of an organization. Its UBL body is
// stored apart (DocumentTx.DocumentBody), so lists never read it.
type Document struct {
	ID             int64
	OrganizationID int64
	Direction      DocumentDirection
	Type           DocumentType
	Number         string // cbc:ID
	IssueDate      string // YYYY-MM-DD
	SupplierParty  string // canonical party ID where Koppel knows the scheme (0106:12345678), else SCHEME:VALUE
	SupplierName   string
	CustomerParty  string
	CustomerName   string
	Currency       string // ISO 4217, "" when the document names none
	PayableAmount  string // exact decimal text from the document, "" when absent
	Status         DocumentStatus
	// ExternalID is the sending software's X-EConnect-DocumentId (sales
	// invoices through the API), unique per organization; "" when none.
	ExternalID string
	// SourceConnectionID is the connection that sent a sales invoice; 0 for
	// imported documents or when that connection was deleted.
	SourceConnectionID int64
	FileName           string // the imported file's base name, "" for the API
	SHA256             []byte
	Size               int64
	ReceivedAt         time.Time
	MarkedOriginal     bool // a Duplicate the user marked as original (R12)
}

// DocumentStatusEvent is one step of a document's status history.
type DocumentStatusEvent struct {
	ID         int64
	DocumentID int64
	At         time.Time
	Status     DocumentStatus
	Note       string   // in English
	Phrases    []Phrase // what Note says, for the window's languages; none in older events
}

// SetNote sets the note, in English and phrase by phrase.
func (e *DocumentStatusEvent) SetNote(phrases ...Phrase) {
	e.Note, e.Phrases = EnglishOf(phrases), phrases
}

// OfferState is where an offer stands.
type OfferState string

const (
	OfferReady     OfferState = "ready"     // retrievable by its connection
	OfferRetrieved OfferState = "retrieved" // downloaded at least once; still retrievable
	OfferWithdrawn OfferState = "withdrawn" // withdrawn by the software, or moved by a re-offer
)

// Offer is a document made available to one connection.
type Offer struct {
	ID         int64 // 0 for a re-offer candidate that was never offered
	DocumentID int64
	// ConnectionID is 0 when the connection was deleted (R5: the offer
	// stays, as history and as a re-offer candidate).
	ConnectionID  int64
	State         OfferState
	Copy          bool // a copy of a sales invoice, for software that processes them
	OfferedAt     time.Time
	RetrievedAt   *time.Time
	WithdrawnAt   *time.Time
	Note          string   // in English
	NotePhrases   []Phrase // what Note says, for the window's languages; none in older offers
	ReofferedFrom int64    // the offer this one replaces, or 0
	// Document is filled by re-offer candidate listings; nil elsewhere.
	Document *Document
}

// Live reports whether the offer still counts: ready or retrieved.
func (o *Offer) Live() bool { return o.State == OfferReady || o.State == OfferRetrieved }

// SetNote sets the note, in English and phrase by phrase.
func (o *Offer) SetNote(phrases ...Phrase) { o.Note, o.NotePhrases = EnglishOf(phrases), phrases }

// DocumentFilter narrows a document list; zero values do not filter. Lists
// are newest first and paged by keyset: After is the id of the last
// document of the previous page.
type DocumentFilter struct {
	OrganizationID int64
	Direction      DocumentDirection
	Status         DocumentStatus
	ConnectionID   int64  // documents offered to this connection (in any state)
	Search         string // case-insensitive, in number, supplier and customer names and parties
	Limit          int
	After          int64
}

// Administration is a bookkeeping administration inside a software package.
type Administration struct {
	ID             int64
	SoftwareID     int64
	OrganizationID int64 // 0 when not tied to one organization
	Name           string
	Code           string
	Email          string // the email linked to the administration
	CreatedAt      time.Time
}

// Link binds a connection to one administration with its settings (Quick
// Connect or manual entry). Offers honour an active link's start date (R13)
// and its "process sales invoices" setting (R10).
type Link struct {
	ID               int64
	ConnectionID     int64
	AdministrationID int64
	Email            string
	StartDate        string // YYYY-MM-DD, "" for none
	ProcessSales     bool
	SealedCredential []byte // the pasted Secret, sealed by the Vault; never a plain Secret
	Status           Status
	CreatedAt        time.Time
	RevokedAt        *time.Time
	LastTestAt       *time.Time
	LastTestResult   string
}

// AdministrationFilter narrows Administrations; zero values do not filter.
type AdministrationFilter struct {
	SoftwareID int64
	// OrganizationIDs keeps administrations of these organizations and those
	// tied to none.
	OrganizationIDs []int64
	Search          string // case-insensitive, in name, code and email
	Limit           int
}

// LinkFilter narrows Links; zero values do not filter.
type LinkFilter struct {
	ConnectionID     int64
	AdministrationID int64
	OrganizationID   int64 // links of connections granted this organization
	Status           Status
}

// HookTopicInvoiceReceived is sent for each new offer, re-offers included.
const HookTopicInvoiceReceived = "InvoiceReceived"

// Hook is a webhook a connection registered for one of its organizations.
// Its URL is always a loopback URL.
type Hook struct {
	ID             int64
	ConnectionID   int64
	OrganizationID int64
	URL            string
	Topic          string
	CreatedAt      time.Time
}

// DocumentTx reads and writes documents, their offers, the administrations
// and links that decide offers, and webhooks.
type DocumentTx interface {
	// CreateDocument inserts d and its body and sets d.ID; EConflict when
	// d.ExternalID is already used by the organization.
	CreateDocument(d *Document, body []byte) error
	Document(id int64) (*Document, error)
	DocumentByExternalID(organizationID int64, externalID string) (*Document, error)
	// DuplicateOf returns the id of the oldest other document of the
	// organization with the same supplier party, number and issue date, or 0.
	DuplicateOf(organizationID int64, supplierParty, number, issueDate string, exceptID int64) (int64, error)
	// Documents lists documents newest first, at most f.Limit (all when 0).
	Documents(f DocumentFilter) ([]*Document, error)
	DocumentBody(id int64) ([]byte, error)
	SetDocumentStatus(id int64, status DocumentStatus, markedOriginal bool) error
	// AddStatusEvent appends to a document's history and sets e.ID.
	AddStatusEvent(e *DocumentStatusEvent) error
	// StatusEvents returns a document's history, oldest first.
	StatusEvents(documentID int64) ([]DocumentStatusEvent, error)

	// CreateOffer inserts o and sets o.ID; EConflict when the connection
	// already has a live offer of the document.
	CreateOffer(o *Offer) error
	// UpdateOffer writes o's state, times and note.
	UpdateOffer(o *Offer) error
	// Offers returns a document's offers, oldest first.
	Offers(documentID int64) ([]*Offer, error)
	// LiveOffer returns the connection's ready or retrieved offer of the
	// document; ENotFound when there is none.
	LiveOffer(documentID, connectionID int64) (*Offer, error)
	// OfferedDocuments returns the documents of the organization and
	// direction that have an offer in state to the connection, oldest offer
	// first, at most limit.
	OfferedDocuments(connectionID, organizationID int64, dir DocumentDirection, state OfferState, limit int) ([]*Document, error)
	// StrandedOffers returns the ready offers of the organization's documents
	// whose connection is revoked, deleted or no longer granted the
	// organization, with Document filled.
	StrandedOffers(organizationID int64) ([]*Offer, error)
	// UnofferedDocuments returns the organization's documents of direction
	// and status that were never offered to any connection, oldest first.
	UnofferedDocuments(organizationID int64, dir DocumentDirection, status DocumentStatus) ([]*Document, error)

	// CreateAdministration inserts a and sets a.ID.
	CreateAdministration(a *Administration) error
	Administration(id int64) (*Administration, error)
	// CreateLink inserts l and sets l.ID; EConflict when the administration
	// already has an active link (R8).
	CreateLink(l *Link) error
	// ActiveLinks returns the connection's active links to administrations
	// of the organization or of no organization.
	ActiveLinks(connectionID, organizationID int64) ([]*Link, error)
	// UpdateAdministration writes a's software, organization, name, code and
	// email.
	UpdateAdministration(a *Administration) error
	// Administrations lists administrations by name, at most f.Limit.
	Administrations(f AdministrationFilter) ([]*Administration, error)
	Link(id int64) (*Link, error)
	// Links lists links oldest first.
	Links(f LinkFilter) ([]*Link, error)
	// RecordLinkTest stores the outcome of a link's last test.
	RecordLinkTest(id int64, at time.Time, result string) error
	DeleteLink(id int64) error
	// RevokeLink marks an active link revoked and wipes its credential.
	RevokeLink(id int64, at time.Time) error
	// WithdrawReadyOffers withdraws the connection's ready offers of the
	// organizations' documents issued before the date (when not ""), and of
	// sales copies when copies is set; it returns how many.
	WithdrawReadyOffers(connectionID int64, organizationIDs []int64, before string, copies bool, at time.Time, note ...Phrase) (int64, error)

	// CreateHook inserts h and sets h.ID.
	CreateHook(h *Hook) error
	// Hooks returns the connection's hooks for the organization, oldest first.
	Hooks(connectionID, organizationID int64) ([]*Hook, error)
	Hook(id int64) (*Hook, error)
	DeleteHook(id int64) error
}
