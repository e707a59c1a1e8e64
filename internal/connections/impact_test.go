package connections_test

import (
	"testing"

	"koppel/internal/koppel"
)

// TestPartnershipImpactForetellsEndPartnership: the confirmation's counts
// are what EndPartnership then does, and asking changes nothing.
func TestPartnershipImpactForetellsEndPartnership(t *testing.T) {
	w := newWorld(t)
	w.t = t
	w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	w.org("Groente Pieters", "NL:KVK:23456789")
	w.create("NL:KVK:12345678", "yuki")
	w.create("NL:KVK:12345678", "radar")
	w.create("NL:KVK:23456789", "basecone", "NL:KVK:12345678")
	w.create("NL:KVK:23456789", "yuki")
	gone := w.create("NL:KVK:12345678", "whitevision")
	if _, err := w.conns.Revoke(w.ctx, gone.Connection.AppKey, koppel.ReasonLost); err != nil {
		t.Fatal(err)
	}
	before, _ := w.audit.List(w.ctx, "", 0)

	impact, err := w.conns.PartnershipImpact(w.ctx, "0106:12345678")
	if err != nil {
		t.Fatal(err)
	}
	if impact.Organization.Name != "Bakkerij Jansen BV" || len(impact.Revoked) != 2 || len(impact.Withdrawn) != 1 {
		t.Fatalf("impact: %d to revoke, %d to withdraw; want 2 and 1", len(impact.Revoked), len(impact.Withdrawn))
	}
	if after, _ := w.audit.List(w.ctx, "", 0); len(after) != len(before) {
		t.Fatal("asking for the impact wrote to the audit trail")
	}

	res, err := w.conns.EndPartnership(w.ctx, "NL:KVK:12345678")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Revoked) != len(impact.Revoked) || len(res.Withdrawn) != len(impact.Withdrawn) {
		t.Fatalf("ended: %d revoked, %d withdrawn; the impact said %d and %d",
			len(res.Revoked), len(res.Withdrawn), len(impact.Revoked), len(impact.Withdrawn))
	}
	again, err := w.conns.PartnershipImpact(w.ctx, "NL:KVK:12345678")
	if err != nil || again.Organization.EndedAt == nil || len(again.Revoked)+len(again.Withdrawn) != 0 {
		t.Fatalf("impact after the end = %+v, %v", again, err)
	}
	_, err = w.conns.PartnershipImpact(w.ctx, "NL:KVK:99999999")
	if koppel.ErrorCode(err) != koppel.ENotFound {
		t.Fatalf("impact of an unknown organization: %v", err)
	}
}

// TestErrorsCarryKeys: the refusals the window can meet name their message,
// so the window can say them in Dutch.
func TestErrorsCarryKeys(t *testing.T) {
	w := newWorld(t)
	w.t = t
	w.org("Bakkerij Jansen BV", "NL:KVK:12345678")
	is := w.create("NL:KVK:12345678", "yuki")
	key := func(err error) string { k, _ := koppel.ErrorKey(err); return k }

	_, err := w.conns.Delete(w.ctx, is.Connection.AppKey)
	if key(err) != "connection.still_active" {
		t.Errorf("delete active: %v (key %q)", err, key(err))
	}
	_, err = w.conns.Revoke(w.ctx, is.Connection.AppKey, "bored")
	if key(err) != "connection.reason" {
		t.Errorf("bad reason: key %q", key(err))
	}
	if _, err := w.conns.Revoke(w.ctx, is.Connection.AppKey, koppel.ReasonLost); err != nil {
		t.Fatal(err)
	}
	_, err = w.conns.Revoke(w.ctx, is.Connection.AppKey, koppel.ReasonLost)
	if key(err) != "connection.already_revoked" {
		t.Errorf("revoke twice: key %q", key(err))
	}
	_, err = w.conns.Get(w.ctx, "424242")
	if key(err) != "connection.not_found" || koppel.ErrorMessage(err) != "Connection 424242 was not found." {
		t.Errorf("unknown id: %v (key %q)", err, key(err))
	}
	_, err = w.conns.Get(w.ctx, "ak_nope")
	if key(err) != "connection.not_found" {
		t.Errorf("unknown App Key: key %q", key(err))
	}
}
