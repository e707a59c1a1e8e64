package koppel

import (
	"strconv"
	"strings"
)

// FindOrganization resolves ref, an organization's id or party ID.
func FindOrganization(tx OrganizationTx, ref string) (*Organization, error) {
	ref = strings.TrimSpace(ref)
	if id, ok := parseID(ref); ok {
		return tx.Organization(id)
	}
	party, err := ParsePartyID(ref)
	if err != nil {
		return nil, Errorf(ENotFound, "No organization %s was found; give its number or its party ID.", quoteInput(ref))
	}
	return tx.OrganizationByParty(party.Canonical())
}

// FindSoftware resolves ref, a package's id, slug or name.
func FindSoftware(tx SoftwareTx, ref string) (*Software, error) {
	ref = strings.TrimSpace(ref)
	if id, ok := parseID(ref); ok {
		return tx.Software(id)
	}
	s, err := tx.SoftwareBySlugOrName(ref)
	if ErrorCode(err) == ENotFound {
		return nil, Errorf(ENotFound, "No software package %s is in the catalog.", quoteInput(ref))
	}
	return s, err
}

// FindConnection resolves ref, a connection's id or App Key.
func FindConnection(tx ConnectionTx, ref string) (*Connection, error) {
	ref = strings.TrimSpace(ref)
	if id, ok := parseID(ref); ok {
		return tx.Connection(id)
	}
	c, err := tx.ConnectionByAppKey(ref)
	if ErrorCode(err) == ENotFound {
		return nil, Errorf(ENotFound, "No connection %s was found; give its number or its App Key.", quoteInput(ref))
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
