package documents

import (
	"slices"
	"strings"

	"koppel/internal/koppel"
)

// lookup caches, within one transaction, what deciding about many documents
// needs again and again: the organizations by party and each organization's
// active connections with their links.
type lookup struct {
	tx        koppel.Tx
	byKey     map[string]*koppel.Organization // nil until needed
	byRef     map[string]*koppel.Organization
	receivers map[int64][]receiver
}

func newLookup(tx koppel.Tx) *lookup {
	return &lookup{tx: tx, byRef: map[string]*koppel.Organization{}, receivers: map[int64][]receiver{}}
}

// receiver is an active connection of an organization with its active links
// to that organization's administrations.
type receiver struct {
	conn  *koppel.Connection
	links []*koppel.Link
}

// organization resolves a reference (id or party ID), once per transaction.
func (l *lookup) organization(ref string) (*koppel.Organization, error) {
	if o, ok := l.byRef[ref]; ok {
		return o, nil
	}
	o, err := koppel.FindOrganization(l.tx, ref)
	if err != nil {
		return nil, err
	}
	l.byRef[ref] = o
	return o, nil
}

// byParty returns the organization one of p's identifiers names, trying them
// in order, or nil.
func (l *lookup) byParty(p party) (*koppel.Organization, error) {
	if l.byKey == nil {
		orgs, err := l.tx.Organizations(koppel.OrganizationFilter{IncludeEnded: true})
		if err != nil {
			return nil, err
		}
		l.byKey = map[string]*koppel.Organization{}
		for _, o := range orgs {
			for _, k := range orgKeys(o) {
				if _, taken := l.byKey[k]; !taken && k != "" {
					l.byKey[k] = o
				}
			}
		}
		// The party ID itself wins over a KvK or VAT field of another.
		for _, o := range orgs {
			l.byKey[o.PartyID.Canonical()] = o
		}
	}
	for _, id := range p.IDs {
		if o, ok := l.byKey[id]; ok {
			return o, nil
		}
	}
	return nil, nil
}

// orgKeys are the canonical party IDs an organization is known by: its party
// ID, its KvK number and its Dutch VAT number.
func orgKeys(o *koppel.Organization) []string {
	keys := []string{o.PartyID.Canonical()}
	if o.KvK != "" {
		keys = append(keys, "0106:"+o.KvK)
	}
	if dutchVAT.MatchString(o.VAT) {
		keys = append(keys, "9944:"+o.VAT)
	}
	return keys
}

// is reports whether p names the organization.
func is(p party, o *koppel.Organization) bool { return p.has(orgKeys(o)...) }

// receiversOf returns the organization's active connections with their links.
func (l *lookup) receiversOf(orgID int64) ([]receiver, error) {
	if rs, ok := l.receivers[orgID]; ok {
		return rs, nil
	}
	conns, err := l.tx.Connections(koppel.ConnectionFilter{OrganizationID: orgID, Status: koppel.StatusActive})
	if err != nil {
		return nil, err
	}
	rs := make([]receiver, 0, len(conns))
	slices.Reverse(conns) // oldest first
	for _, c := range conns {
		links, err := l.tx.ActiveLinks(c.ID, orgID)
		if err != nil {
			return nil, err
		}
		rs = append(rs, receiver{conn: c, links: links})
	}
	l.receivers[orgID] = rs
	return rs, nil
}

// mayReceive decides whether r may be offered d, and why not.
//   - Purchase invoices go to packages that receive (R10), unless every
//     active link of the connection starts after the issue date (R13). A
//     connection without a link (keys entered by hand) has no start date.
//   - Sales invoices go, as copies, only to packages that receive sales
//     invoices through an active link with "process sales invoices" on and
//     no later start date (R10, R13), never back to the connection that
//     sent them.
//
// Why not is a refusal.* phrase, to which the caller adds the receiver.
func mayReceive(r receiver, d *koppel.Document) (bool, koppel.Phrase) {
	sw := r.conn.Software
	if d.Direction == koppel.Sales {
		switch {
		case r.conn.ID == d.SourceConnectionID:
			return false, koppel.Say("refusal.sentIt")
		case !sw.ReceivesSales:
			return false, koppel.Say("refusal.noSales", "software", sw.Name)
		}
		for _, l := range r.links {
			if l.ProcessSales && startsBy(l, d.IssueDate) {
				return true, koppel.Phrase{}
			}
		}
		if len(r.links) == 0 {
			return false, koppel.Say("refusal.noSalesLink")
		}
		return false, koppel.Say("refusal.salesOffOrLater", "date", d.IssueDate)
	}
	if !sw.Direction.CanReceive() {
		return false, koppel.Say("refusal.sendOnly", "software", sw.Name)
	}
	if len(r.links) == 0 {
		return true, koppel.Phrase{}
	}
	for _, l := range r.links {
		if startsBy(l, d.IssueDate) {
			return true, koppel.Phrase{}
		}
	}
	return false, koppel.Say("refusal.startsLater", "start", r.links[0].StartDate, "date", d.IssueDate)
}

// startsBy reports whether the link's start date is on or before date.
func startsBy(l *koppel.Link, date string) bool { return l.StartDate == "" || l.StartDate <= date }

// targets returns the receivers that may be offered d.
func targets(rs []receiver, d *koppel.Document) []receiver {
	var out []receiver
	for _, r := range rs {
		if ok, _ := mayReceive(r, d); ok {
			out = append(out, r)
		}
	}
	return out
}

// offer makes d ready for r's connection inside tx.
func (s *Service) offer(tx koppel.Tx, o *koppel.Organization, d *koppel.Document, r receiver, from int64) (OfferedEvent, error) {
	of := &koppel.Offer{DocumentID: d.ID, ConnectionID: r.conn.ID, State: koppel.OfferReady,
		Copy: d.Direction == koppel.Sales, OfferedAt: s.Now(), ReofferedFrom: from}
	if err := tx.CreateOffer(of); err != nil {
		return OfferedEvent{}, err
	}
	return OfferedEvent{ConnectionID: r.conn.ID, OrganizationID: o.ID, DocumentID: d.ID, PartyID: o.PartyID, Direction: d.Direction}, nil
}

// tags names receivers for the audit trail and notes: "Yuki #3, Basecone #5".
func tags(rs []receiver) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = tag(r.conn)
	}
	return strings.Join(parts, ", ")
}

// whyNotPhrases says that none of rs may receive d, and why: the phrase
// noConnection or noneMay (which name the organization), then each
// connection's refusal.
func whyNotPhrases(o *koppel.Organization, rs []receiver, d *koppel.Document, noConnection, noneMay string) []koppel.Phrase {
	if len(rs) == 0 {
		return []koppel.Phrase{koppel.Say(noConnection, "organization", o.Name)}
	}
	out := []koppel.Phrase{koppel.Say(noneMay, "organization", o.Name)}
	for _, r := range rs {
		_, why := mayReceive(r, d)
		out = append(out, why.With("receiver", tag(r.conn)))
	}
	return out
}
