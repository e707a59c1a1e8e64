package koppel

import "time"

// Organization is a client the bookkeeper manages.
type Organization struct {
	ID        int64
	Name      string
	PartyID   PartyID
	KvK       string // optional Chamber of Commerce number, 8 digits
	VAT       string // optional VAT number
	Email     string // optional contact email
	CreatedAt time.Time
	EndedAt   *time.Time // set when the partnership ended (R15)
}

// Direction is what a software package does with invoices.
type Direction string

const (
	Send        Direction = "send"
	Receive     Direction = "receive"
	SendReceive Direction = "send+receive"
)

// CanSend reports whether keys of this direction may send sales invoices.
func (d Direction) CanSend() bool { return d == Send || d == SendReceive }

// CanReceive reports whether keys of this direction may fetch purchase invoices.
func (d Direction) CanReceive() bool { return d == Receive || d == SendReceive }

// Valid reports whether d is one of the known directions.
func (d Direction) Valid() bool { return d == Send || d == Receive || d == SendReceive }

// SoftwareKind says how a package connects.
type SoftwareKind string

const (
	KindKeys      SoftwareKind = "keys"      // connects with an App Key and Secret
	KindAutopilot SoftwareKind = "autopilot" // connected by the platform itself
)

// Software is an entry of the software catalog.
type Software struct {
	ID            int64
	Slug          string // stable, lower-case, e.g. "exact-multivers"
	Name          string
	Direction     Direction
	ReceivesSales bool // offers "process sales invoices"
	QuickConnect  bool
	Kind          SoftwareKind
	BuiltIn       bool
}

// Status of a connection.
type Status string

const (
	StatusActive  Status = "active"
	StatusRevoked Status = "revoked"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s == StatusActive || s == StatusRevoked }

// Reasons for revoking a connection.
const (
	ReasonLost        = "lost"
	ReasonCompromised = "compromised"
	ReasonRoutine     = "routine"
	ReasonSwitch      = "switch"
	ReasonOther       = "other"
	ReasonPartnership = "partnership ended"
	ReasonReconcile   = "incomplete" // set by startup reconciliation only
	ReasonRestored    = "restored"   // revoked before an older copy of the data was put back (R6)
)

// RevokeReasons are the reasons a user may give for revoking.
var RevokeReasons = []string{ReasonLost, ReasonCompromised, ReasonRoutine, ReasonSwitch, ReasonOther}

// ReplaceReasons are the reasons a user may give for replacing keys (R3).
var ReplaceReasons = []string{ReasonLost, ReasonCompromised, ReasonRoutine, ReasonOther}

// Connection is one issued key set. It never holds the Secret: the store
// keeps only a verifier of it.
type Connection struct {
	ID                    int64
	AppKey                string
	Software              Software
	OrganizationIDs       []int64
	Status                Status
	CreatedAt             time.Time
	RevokedAt             *time.Time
	RevokedReason         string
	ReplacedByID          int64 // the connection that replaced this one, or 0
	LastUsedAt            *time.Time
	RevokedKeyAttempts    int
	LastRevokedKeyAttempt *time.Time
}

// ConnectionListing is a connection as a list of thousands shows it: its
// package as an id only, times as Unix milliseconds (0 when there is none).
type ConnectionListing struct {
	ID                      int64
	AppKey                  string
	SoftwareID              int64
	OrganizationIDs         []int64
	Status                  Status
	CreatedAt               int64
	RevokedAt               int64
	RevokedReason           string
	ReplacedByID            int64
	LastUsedAt              int64
	RevokedKeyAttempts      int
	LastRevokedKeyAttemptAt int64
}

// ListingsHead is the start of the connection listings, newest first: what
// a list's first screen shows.
type ListingsHead struct {
	Newest      []ConnectionListing // the first listings
	Total       int                 // all listings
	SoftwareIDs []int64             // the packages of all listings, ascending
}

// Active reports whether c can be used.
func (c *Connection) Active() bool { return c.Status == StatusActive }

// AuditEvent is one append-only record of a change. It never holds a secret.
type AuditEvent struct {
	ID              int64
	At              time.Time
	Actor           string // who: the OS user and the edge, e.g. "anna (cli)"
	Action          string // what, e.g. "connection.revoke"
	SubjectType     string // "organization", "connection", "software", …
	SubjectID       int64
	OrganizationIDs []int64  // the organizations it concerns, if any
	Detail          string   // in English
	Phrases         []Phrase // what Detail says, for the window's languages; none in older events
	PrevHash        []byte
	Hash            []byte
}

// SetDetail sets the detail, in English and phrase by phrase, and returns e.
func (e *AuditEvent) SetDetail(phrases ...Phrase) *AuditEvent {
	e.Detail, e.Phrases = EnglishOf(phrases), phrases
	return e
}
