// Command seed fills a Koppel data folder with many organizations and
// connections, quickly, for benchmarks and window tests:
//
//	KOPPEL_HOME=/tmp/k KOPPEL_KEYRING=file KOPPEL_KEYRING_PASSPHRASE=pw \
//	  go run ./scripts/seed -orgs 1000 -per-org 10
//
// It opens the folder as Koppel does (database, keychain, revocation list)
// and writes everything in one transaction through the store: organizations
// with valid party IDs, connections with real App Keys and the vault's
// verifiers of real Secrets (which are thrown away, never printed), one in
// ten revoked, and the audit event of every step, so `koppel audit verify`
// and startup reconciliation accept the result. It refuses a folder that
// already holds organizations.
package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"os"
	"time"

	"koppel/internal/backend"
	"koppel/internal/keys"
	"koppel/internal/koppel"
)

func main() {
	orgs := flag.Int("orgs", 1000, "organizations to add")
	perOrg := flag.Int("per-org", 10, "connections per organization")
	revokeEvery := flag.Int("revoke-every", 10, "revoke every n-th connection (0: none)")
	flag.Parse()
	if err := run(*orgs, *perOrg, *revokeEvery); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

// Packages that get keys, as the catalog seeds them.
var packages = []string{"yuki", "basecone", "exact-multivers", "whitevision", "radar"}

func run(orgCount, perOrg, revokeEvery int) error {
	if orgCount < 1 || orgCount > 99_999 || perOrg < 0 || revokeEvery < 0 {
		return fmt.Errorf("-orgs must be 1–99999, -per-org and -revoke-every at least 0")
	}
	ctx := context.Background()
	cfg, err := backend.ConfigFromEnv("seed")
	if err != nil {
		return err
	}
	start := time.Now()
	b, err := backend.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer b.Close()

	gen := keys.Generator{Rand: rand.Reader}
	// Spread creation times over the two years before yesterday, oldest
	// first, so key ages and dates in the window look like real use.
	end := time.Now().UTC().Truncate(time.Second).Add(-24 * time.Hour)
	total := orgCount * perOrg
	span := 2 * 365 * 24 * time.Hour
	step := (span / time.Duration(max(total, 1))).Truncate(time.Second)
	at := end.Add(-span)

	var revoked []string
	err = b.DB.Update(ctx, func(tx koppel.Tx) error {
		existing, err := tx.Organizations(koppel.OrganizationFilter{IncludeEnded: true, Limit: 1})
		if err != nil {
			return err
		}
		if len(existing) > 0 {
			return fmt.Errorf("%s already holds organizations; seed an empty folder", cfg.Home)
		}
		software := make([]*koppel.Software, len(packages))
		for i, slug := range packages {
			if software[i], err = tx.SoftwareBySlugOrName(slug); err != nil {
				return err
			}
		}
		n := 0
		for i := range orgCount {
			party, err := koppel.ParsePartyID(fmt.Sprintf("NL:KVK:%08d", 30000000+i))
			if err != nil {
				return err
			}
			o := &koppel.Organization{Name: orgName(i), PartyID: party, CreatedAt: at}
			if err := tx.CreateOrganization(o); err != nil {
				return err
			}
			if err := tx.AppendAudit(event(cfg.Actor, at, "organization.add", "organization", o.ID, o.ID,
				koppel.Say("organization", "name", o.Name, "partyId", string(o.PartyID)))); err != nil {
				return err
			}
			for j := range perOrg {
				n++
				at = at.Add(step)
				sw := software[(i+j)%len(software)]
				appKey, err := gen.AppKey()
				if err != nil {
					return err
				}
				secret, err := gen.Secret()
				if err != nil {
					return err
				}
				c := &koppel.Connection{AppKey: appKey, Software: *sw, OrganizationIDs: []int64{o.ID},
					Status: koppel.StatusActive, CreatedAt: at}
				if err := tx.CreateConnection(c, b.Vault.Verifier(secret)); err != nil {
					return err
				}
				if err := tx.AppendAudit(event(cfg.Actor, at, "connection.create", "connection", c.ID, o.ID,
					koppel.Say("connection.for", "software", sw.Name, "organizations", fmt.Sprintf("%s (%s)", o.Name, o.PartyID)))); err != nil {
					return err
				}
				if revokeEvery == 0 || n%revokeEvery != 0 {
					continue
				}
				revokedAt := at.Add(time.Hour)
				reason := koppel.RevokeReasons[n/revokeEvery%len(koppel.RevokeReasons)]
				if err := tx.RevokeConnection(c.ID, revokedAt, reason, 0); err != nil {
					return err
				}
				if err := tx.AppendAudit(event(cfg.Actor, revokedAt, "connection.revoke", "connection", c.ID, o.ID,
					koppel.Say("connection.reason", "reason", reason))); err != nil {
					return err
				}
				revoked = append(revoked, appKey)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// As the connection service does: the revocation list follows the commit.
	if err := b.Connections.Revocations.Add(revoked...); err != nil {
		return fmt.Errorf("write the revocation list: %w", err)
	}
	fmt.Printf("seeded %d organizations, %d connections (%d revoked) in %s in %s\n",
		orgCount, total, len(revoked), cfg.Home, time.Since(start).Round(time.Millisecond))
	return nil
}

// event is an audit event as the services write it: the detail in English
// and phrase by phrase.
func event(actor string, at time.Time, action, subjectType string, subjectID, orgID int64, detail koppel.Phrase) *koppel.AuditEvent {
	e := &koppel.AuditEvent{At: at, Actor: actor, Action: action, SubjectType: subjectType,
		SubjectID: subjectID, OrganizationIDs: []int64{orgID}}
	return e.SetDetail(detail)
}

// orgName gives organization i a unique, Dutch-looking name: 10 trades × 20
// family names × 5 legal forms make 1,000 names; beyond that a number follows.
func orgName(i int) string {
	trades := []string{"Bakkerij", "Administratiekantoor", "Installatiebedrijf", "Transport", "Kapsalon",
		"Bouwbedrijf", "Drukkerij", "Tandartspraktijk", "Hoveniersbedrijf", "Autobedrijf"}
	families := []string{"Jansen", "De Vries", "Van den Berg", "Bakker", "Visser", "Smit", "Meijer", "De Boer",
		"Mulder", "De Groot", "Bos", "Vos", "Peters", "Hendriks", "Van Leeuwen", "Dekker", "Brouwer", "De Wit",
		"Dijkstra", "Smits"}
	forms := []string{"BV", "VOF", "Holding BV", "& Zn.", "Groep"}
	name := fmt.Sprintf("%s %s %s", trades[i%len(trades)], families[i/len(trades)%len(families)],
		forms[i/(len(trades)*len(families))%len(forms)])
	if i >= len(trades)*len(families)*len(forms) {
		name += fmt.Sprintf(" %d", i)
	}
	return name
}
