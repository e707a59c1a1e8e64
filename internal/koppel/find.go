package koppel

import (
	"strconv"
	"strings"
)

// FindOrganization resolves ref, an organization's id or party ID.
func FindOrganization(tx OrganizationTx, ref string) (*Organization, error) {
	ref = strings.TrimSpace(ref)
	if id, ok := parseID(ref); ok {
		o, err := tx.Organization(id)
		return o, keyNotFound(err, "organization.not_found", ref)
	}
	party, err := ParsePartyID(ref)
	if err != nil {
		return nil, Errorf(ENotFound, "No organization %s was found; give its number or its party ID.", quoteInput(ref)).
			WithKey("organization.not_found", "ref", shortInput(ref))
	}
	o, err := tx.OrganizationByParty(party.Canonical())
	return o, keyNotFound(err, "organization.not_found", ref)
}

// FindSoftware resolves ref, a package's id, slug or name.
func FindSoftware(tx SoftwareTx, ref string) (*Software, error) {
	ref = strings.TrimSpace(ref)
	if id, ok := parseID(ref); ok {
		s, err := tx.Software(id)
		return s, keyNotFound(err, "software.not_found", ref)
	}
	s, err := tx.SoftwareBySlugOrName(ref)
	if ErrorCode(err) == ENotFound {
		return nil, Errorf(ENotFound, "No software package %s is in the catalog.", quoteInput(ref)).
			WithKey("software.not_found", "ref", shortInput(ref))
	}
	return s, err
}

// FindConnection resolves ref, a connection's id or App Key.
func FindConnection(tx ConnectionTx, ref string) (*Connection, error) {
	ref = strings.TrimSpace(ref)
	if id, ok := parseID(ref); ok {
		c, err := tx.Connection(id)
		return c, keyNotFound(err, "connection.not_found", ref)
	}
	c, err := tx.ConnectionByAppKey(ref)
	if ErrorCode(err) == ENotFound {
		return nil, Errorf(ENotFound, "No connection %s was found; give its number or its App Key.", quoteInput(ref)).
			WithKey("connection.not_found", "ref", shortInput(ref))
	}
	return c, err
}

// parseID reads a positive decimal id.
func parseID(s string) (int64, bool) {
	if s == "" || len(s) > 18 || s[0] == '0' {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// keyNotFound gives a not-found error from the store the message key of what
// was looked for; other errors pass unchanged.
func keyNotFound(err error, key, ref string) error {
	if ErrorCode(err) != ENotFound {
		return err
	}
	return Keyed(err, key, "ref", shortInput(ref))
}
