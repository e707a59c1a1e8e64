package sqlite

import (
	"context"
	"encoding/hex"
	"reflect"
	"testing"
	"time"

	"koppel/internal/koppel"
)

func oldEvent() *koppel.AuditEvent {
	return &koppel.AuditEvent{At: time.UnixMilli(1795000000000), Actor: "anna (gui)", Action: "connection.revoke",
		SubjectType: "connection", SubjectID: 7, OrganizationIDs: []int64{3, 5}, Detail: "reason: lost",
		PrevHash: make([]byte, 32)}
}

// Events written before phrases existed keep their hash: a data folder's
// trail from then still verifies. (The value is what Koppel computed for
// this event before phrases.)
func TestAuditHashOfAnEventWithoutPhrasesIsUnchanged(t *testing.T) {
	const want = "d58abbcf04056904bc140b90fa3927f19313c9cbc1d36f875d18eb3f75011916"
	if got := hex.EncodeToString(AuditHash(oldEvent())); got != want {
		t.Fatalf("AuditHash = %s, want %s", got, want)
	}
	e := oldEvent()
	e.Phrases = []koppel.Phrase{koppel.Say("connection.reason", "reason", "lost")}
	if hex.EncodeToString(AuditHash(e)) == want {
		t.Fatal("the phrases are not part of the hash")
	}
}

// The phrases are stored with the event and read back as written, their
// values in any order of writing.
func TestAuditPhrasesRoundTrip(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	say := []koppel.Phrase{
		koppel.Say("link", "id", "3", "software", "Yuki", "appKey", "ak_x", "administration", "Bakkerij", "email", "a@b.nl"),
		koppel.Say("link.salesOn"),
	}
	events := []*koppel.AuditEvent{oldEvent(), oldEvent()}
	events[1].Phrases = say
	events[1].Detail = koppel.EnglishOf(say)
	err := db.Update(ctx, func(tx koppel.Tx) error {
		for _, e := range events {
			if err := tx.AppendAudit(e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []*koppel.AuditEvent
	err = db.View(ctx, func(tx koppel.Tx) error {
		return tx.EachAuditEvent(func(e *koppel.AuditEvent) error {
			got = append(got, e)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Phrases != nil || !reflect.DeepEqual(got[1].Phrases, say) {
		t.Fatalf("read back phrases %+v, %+v; want none, then %+v", got[0].Phrases, got[1].Phrases, say)
	}
	for i, e := range got {
		if want := AuditHash(e); !reflect.DeepEqual(want, e.Hash) {
			t.Errorf("event %d: stored hash differs from the hash of what was read", i+1)
		}
	}
}
