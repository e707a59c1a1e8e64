package koppel

import (
	"context"
	"time"
)

// Store is Koppel's database. Update runs fn in one write transaction (one
// writer at a time; all or nothing); View runs fn in a read transaction.
type Store interface {
	Update(ctx context.Context, fn func(Tx) error) error
	View(ctx context.Context, fn func(Tx) error) error
}

// Tx is what a transaction can do. Methods return an Error with ENotFound
// when a single row asked for does not exist.
type Tx interface {
	OrganizationTx
	SoftwareTx
	ConnectionTx
	AuditTx
	SettingsTx
	DocumentTx
}

// OrganizationTx reads and writes organizations.
type OrganizationTx interface {
	CreateOrganization(o *Organization) error // sets o.ID; EConflict if the party is taken
	UpdateOrganization(o *Organization) error
	Organization(id int64) (*Organization, error)
	OrganizationByParty(canonical string) (*Organization, error)
	Organizations(f OrganizationFilter) ([]*Organization, error)
}

// OrganizationFilter narrows Organizations; zero values do not filter.
type OrganizationFilter struct {
	Search       string // case-insensitive, in name or party ID
	IncludeEnded bool
	Limit        int
}

// SoftwareTx reads and writes the software catalog.
type SoftwareTx interface {
	CreateSoftware(s *Software) error // sets s.ID; EConflict if slug or name is taken
	Software(id int64) (*Software, error)
	SoftwareBySlugOrName(s string) (*Software, error) // case-insensitive
	SoftwareList() ([]*Software, error)
}

// ConnectionTx reads and writes connections and their verifiers.
type ConnectionTx interface {
	// CreateConnection inserts c with its grants and the Secret's verifier;
	// sets c.ID.
	CreateConnection(c *Connection, verifier []byte) error
	Connection(id int64) (*Connection, error)
	ConnectionByAppKey(appKey string) (*Connection, error)
	Connections(f ConnectionFilter) ([]*Connection, error)
	// ConnectionListings returns every connection (pending ones aside),
	// newest first, in the lean form lists of thousands need: read in a
	// quarter of the time Connections takes.
	ConnectionListings() ([]ConnectionListing, error)
	// NewestConnectionListings returns the first limit of
	// ConnectionListings with how many there are and their packages,
	// without reading the rest.
	NewestConnectionListings(limit int) (ListingsHead, error)
	// Verifier returns the stored verifier of the connection's Secret.
	Verifier(id int64) ([]byte, error)
	// RevokeConnection marks an active connection revoked, and its links,
	// whose sealed credentials it wipes.
	RevokeConnection(id int64, at time.Time, reason string, replacedBy int64) error
	DeleteConnection(id int64) error
	// RemoveGrant withdraws one organization from a connection and revokes
	// the connection's links to that organization's administrations.
	RemoveGrant(connectionID, organizationID int64, at time.Time) error
	// AppKeys returns the App Keys of all connections with status, mapped
	// to their ids.
	AppKeys(status Status) (map[string]int64, error)
	TouchConnection(id int64, at time.Time) error        // last used
	CountRevokedKeyAttempt(id int64, at time.Time) error // R14
	// DeletePendingConnections removes rows whose creation never finished
	// (their Secret was never shown) and returns how many.
	DeletePendingConnections() (int64, error)
	// BrokenConnections returns the ids of active connections that cannot
	// work: no verifier of the right size, or no organization.
	BrokenConnections() ([]int64, error)
}

// ConnectionFilter narrows Connections; zero values do not filter.
type ConnectionFilter struct {
	OrganizationID int64
	SoftwareID     int64
	Status         Status
	Limit          int
}

// AuditTx appends to and reads the audit trail.
type AuditTx interface {
	// AppendAudit sets e.ID, e.PrevHash and e.Hash and appends e to the chain.
	AppendAudit(e *AuditEvent) error
	AuditEvents(f AuditFilter) ([]*AuditEvent, error)
	// EachAuditEvent calls fn for every event in chain order.
	EachAuditEvent(fn func(*AuditEvent) error) error
}

// AuditFilter narrows AuditEvents; zero values do not filter.
type AuditFilter struct {
	OrganizationID int64
	Limit          int // newest first when set
}

// SettingsTx reads and writes settings and Koppel's own metadata.
type SettingsTx interface {
	Setting(key string) (string, bool, error)
	SetSetting(key, value string) error
	Settings() (map[string]string, error)
}

// Vault holds Koppel's master key and does everything that needs it. It
// never returns the master key itself.
type Vault interface {
	// Verifier returns HMAC-SHA256 of the Secret under a key derived from
	// the master key.
	Verifier(s Secret) []byte
	// Verify compares in constant time.
	Verify(s Secret, verifier []byte) bool
	// Seal encrypts a credential Koppel must reuse (AES-256-GCM); appKey is
	// bound as associated data. Open reverses it.
	Seal(appKey string, s Secret) ([]byte, error)
	Open(appKey string, sealed []byte) (Secret, error)
	// KeyCheck returns a value that identifies the master key without
	// revealing it, so a data folder can tell a wrong keychain item.
	KeyCheck() []byte
	// DeriveKey returns a 32-byte key for purpose, derived with HKDF.
	DeriveKey(purpose string) []byte
}

// Clock is the time source; tests set it.
type Clock func() time.Time
