-- The notes of a document's history and of its offers phrase by phrase
-- (koppel.Phrase, as JSON), as audit details (0007): the window says them
-- in the user's language. '' in rows written before.
ALTER TABLE document_status_events ADD COLUMN phrases TEXT NOT NULL DEFAULT '';
ALTER TABLE offers ADD COLUMN note_phrases TEXT NOT NULL DEFAULT '';
