-- Koppel's core: organizations, the software catalog, connections with their
-- grants, the audit trail, settings. Times are Unix milliseconds, UTC.

CREATE TABLE organizations (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    party_id   TEXT    NOT NULL,
    party_key  TEXT    NOT NULL UNIQUE,  -- canonical party ID (ICD form)
    kvk        TEXT    NOT NULL DEFAULT '',
    vat        TEXT    NOT NULL DEFAULT '',
    email      TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    ended_at   INTEGER
);

CREATE TABLE software (
    id             INTEGER PRIMARY KEY,
    slug           TEXT    NOT NULL UNIQUE,
    name           TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    direction      TEXT    NOT NULL CHECK (direction IN ('send', 'receive', 'send+receive')),
    receives_sales INTEGER NOT NULL DEFAULT 0,
    quick_connect  INTEGER NOT NULL DEFAULT 0,
    kind           TEXT    NOT NULL CHECK (kind IN ('keys', 'autopilot')),
    built_in       INTEGER NOT NULL DEFAULT 0
);

INSERT INTO software (slug, name, direction, receives_sales, quick_connect, kind, built_in) VALUES
    ('basecone',        'Basecone',        'receive',      1, 1, 'keys', 1),
    ('exact-multivers', 'Exact Multivers', 'send+receive', 0, 1, 'keys', 1),
    ('whitevision',     'WhiteVision',     'receive',      1, 1, 'keys', 1),
    ('yuki',            'Yuki',            'receive',      1, 1, 'keys', 1),
    ('radar',           'Radar',           'send',         0, 1, 'keys', 1),
    ('exact-online',    'Exact Online',    'send+receive', 1, 0, 'autopilot', 1),
    ('snelstart',       'SnelStart',       'send+receive', 1, 0, 'autopilot', 1),
    ('dynamics-365-business-central', 'Dynamics 365 Business Central', 'send+receive', 1, 0, 'autopilot', 1);

CREATE TABLE connections (
    id                      INTEGER PRIMARY KEY,
    app_key                 TEXT    NOT NULL UNIQUE,
    software_id             INTEGER NOT NULL REFERENCES software (id),
    status                  TEXT    NOT NULL CHECK (status IN ('pending', 'active', 'revoked')),
    verifier                BLOB,
    created_at              INTEGER NOT NULL,
    revoked_at              INTEGER,
    revoked_reason          TEXT    NOT NULL DEFAULT '',
    replaced_by             INTEGER REFERENCES connections (id) ON DELETE SET NULL,
    last_used_at            INTEGER,
    revoked_key_attempts    INTEGER NOT NULL DEFAULT 0,
    last_revoked_attempt_at INTEGER
);
CREATE INDEX connections_status ON connections (status);

CREATE TABLE grants (
    connection_id   INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (connection_id, organization_id)
) WITHOUT ROWID;
CREATE INDEX grants_organization ON grants (organization_id, connection_id);

-- Append-only: the triggers refuse updates and deletes through SQL; the hash
-- chain catches changes made behind Koppel's back.
CREATE TABLE audit_events (
    id               INTEGER PRIMARY KEY,
    at               INTEGER NOT NULL,
    actor            TEXT    NOT NULL,
    action           TEXT    NOT NULL,
    subject_type     TEXT    NOT NULL,
    subject_id       INTEGER NOT NULL,
    detail           TEXT    NOT NULL DEFAULT '',
    prev_hash        BLOB    NOT NULL,
    hash             BLOB    NOT NULL
);
CREATE TABLE audit_event_organizations (
    organization_id INTEGER NOT NULL,
    event_id        INTEGER NOT NULL REFERENCES audit_events (id),
    PRIMARY KEY (organization_id, event_id)
) WITHOUT ROWID;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
