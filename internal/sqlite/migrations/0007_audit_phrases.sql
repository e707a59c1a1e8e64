-- An audit event's detail phrase by phrase (koppel.Phrase, as JSON), so
-- that the window can say it in the user's language; '' in events written
-- before. Part of the event's hash when not ''.
ALTER TABLE audit_events ADD COLUMN phrases TEXT NOT NULL DEFAULT '';
