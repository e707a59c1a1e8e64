-- Link ids are never reused: the audit trail names links by id ("replaces
-- link 3"), so a removed link's id must not come back for a later one.
-- SQLite reuses the largest rowid after a delete unless the table has
-- AUTOINCREMENT, so the table is rebuilt with it. Nothing references links.

CREATE TABLE links_new (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    connection_id     INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    administration_id INTEGER NOT NULL REFERENCES administrations (id),
    email             TEXT    NOT NULL,
    start_date        TEXT CHECK (start_date IS NULL OR start_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    process_sales     INTEGER NOT NULL DEFAULT 0,
    sealed_credential BLOB,                           -- AES-256-GCM; never a plain Secret
    status            TEXT    NOT NULL CHECK (status IN ('active', 'revoked')),
    created_at        INTEGER NOT NULL,
    revoked_at        INTEGER,
    last_test_at      INTEGER,
    last_test_result  TEXT    NOT NULL DEFAULT ''
);
INSERT INTO links_new SELECT id, connection_id, administration_id, email, start_date, process_sales,
    sealed_credential, status, created_at, revoked_at, last_test_at, last_test_result FROM links;
DROP TABLE links;
ALTER TABLE links_new RENAME TO links;
CREATE INDEX links_connection ON links (connection_id, status);
-- R8: one active link per administration.
CREATE UNIQUE INDEX links_active_administration ON links (administration_id) WHERE status = 'active';
