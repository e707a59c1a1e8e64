-- Documents (invoices and credit notes) with their bodies, status history and
-- offers to connections; the administrations and links that decide offers;
-- webhooks. Times are Unix milliseconds, UTC; dates are YYYY-MM-DD text.
--
-- Deleting a connection (R5) keeps its documents and history: a sales
-- invoice forgets who sent it, an offer keeps its state with no connection
-- (a ready one stays a re-offer candidate). Its links and hooks go with it.

CREATE TABLE documents (
    id                   INTEGER PRIMARY KEY,
    organization_id      INTEGER NOT NULL REFERENCES organizations (id),
    direction            TEXT    NOT NULL CHECK (direction IN ('purchase', 'sales')),
    type                 TEXT    NOT NULL CHECK (type IN ('invoice', 'creditnote')),
    number               TEXT    NOT NULL CHECK (length(number) BETWEEN 1 AND 200),
    issue_date           TEXT    NOT NULL CHECK (issue_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    supplier_party       TEXT    NOT NULL CHECK (length(supplier_party) BETWEEN 3 AND 100),
    supplier_name        TEXT    NOT NULL DEFAULT '',
    customer_party       TEXT    NOT NULL CHECK (length(customer_party) BETWEEN 3 AND 100),
    customer_name        TEXT    NOT NULL DEFAULT '',
    currency             TEXT    NOT NULL DEFAULT '',
    payable_amount       TEXT    NOT NULL DEFAULT '',  -- exact decimal text, never a float
    status               TEXT    NOT NULL CHECK (status IN
                             ('Pending', 'Validated', 'Routed', 'Delivered', 'Rejected', 'Failed', 'Duplicate')),
    external_id          TEXT,                         -- X-EConnect-DocumentId of a sales invoice
    source_connection_id INTEGER REFERENCES connections (id) ON DELETE SET NULL,
    file_name            TEXT    NOT NULL DEFAULT '',
    sha256               BLOB    NOT NULL,
    size                 INTEGER NOT NULL,
    received_at          INTEGER NOT NULL,
    marked_original      INTEGER NOT NULL DEFAULT 0
);
-- Inbox and outbox pages: newest first, keyset on id.
CREATE INDEX documents_page ON documents (organization_id, direction, id);
CREATE INDEX documents_status ON documents (organization_id, direction, status, id);
-- R12: same supplier party, number and issue date within an organization.
CREATE INDEX documents_duplicate ON documents (organization_id, supplier_party, number, issue_date);
-- A sales invoice's X-EConnect-DocumentId is unique per organization.
CREATE UNIQUE INDEX documents_external ON documents (organization_id, external_id) WHERE external_id IS NOT NULL;

-- Bodies apart, so that lists never read them.
CREATE TABLE document_bodies (
    document_id INTEGER PRIMARY KEY REFERENCES documents (id),
    body        BLOB    NOT NULL
);

CREATE TABLE document_status_events (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id),
    at          INTEGER NOT NULL,
    status      TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX document_status_events_document ON document_status_events (document_id, id);

CREATE TABLE offers (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER NOT NULL REFERENCES documents (id),
    connection_id  INTEGER REFERENCES connections (id) ON DELETE SET NULL,
    state          TEXT    NOT NULL CHECK (state IN ('ready', 'retrieved', 'withdrawn')),
    copy           INTEGER NOT NULL DEFAULT 0,        -- a copy of a sales invoice
    offered_at     INTEGER NOT NULL,
    retrieved_at   INTEGER,
    withdrawn_at   INTEGER,
    note           TEXT    NOT NULL DEFAULT '',
    reoffered_from INTEGER REFERENCES offers (id)
);
-- What a connection may retrieve, and what a revoked one left behind.
CREATE INDEX offers_connection ON offers (connection_id, state, document_id);
CREATE INDEX offers_document ON offers (document_id, connection_id);
-- At most one live offer of a document per connection.
CREATE UNIQUE INDEX offers_live ON offers (document_id, connection_id) WHERE state IN ('ready', 'retrieved');

CREATE TABLE administrations (
    id              INTEGER PRIMARY KEY,
    software_id     INTEGER NOT NULL REFERENCES software (id),
    organization_id INTEGER REFERENCES organizations (id),
    name            TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    code            TEXT    NOT NULL DEFAULT '',
    email           TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL
);
CREATE INDEX administrations_organization ON administrations (organization_id);

CREATE TABLE links (
    id                INTEGER PRIMARY KEY,
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
CREATE INDEX links_connection ON links (connection_id, status);
-- R8: one active link per administration.
CREATE UNIQUE INDEX links_active_administration ON links (administration_id) WHERE status = 'active';

CREATE TABLE hooks (
    id              INTEGER PRIMARY KEY,
    connection_id   INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    url             TEXT    NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
    topic           TEXT    NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX hooks_unique ON hooks (connection_id, organization_id, topic, url);
