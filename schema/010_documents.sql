-- oaiharvest schema 10: documents (issue 15). The files a record lists (its `files` rows: the
-- METS fileSec) mirrored per endpoint when its config says documents = true. A body lives
-- beside the database, in <database>.documents/sha256/ab/<sha256>, once however many records
-- list it (docs/documents.md); a row here says where it stands.

-- One URL of one endpoint. listed_*: what the records say of it; the rest: what fetching found.
-- stored: the body is on disk under sha256. revalidate: a listing record changed since, so the
-- next stage asks again, conditionally (If-None-Match etag as sent, If-Modified-Since).
CREATE TABLE documents (
    id              INTEGER PRIMARY KEY,
    endpoint_id     INTEGER NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
    url             TEXT NOT NULL,
    listed_mimetype TEXT,
    listed_size     INTEGER,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'stored', 'failed', 'refused')),
    revalidate      INTEGER NOT NULL DEFAULT 0,
    sha256          TEXT,
    size            INTEGER,
    mimetype        TEXT,
    etag            TEXT,
    last_modified   TEXT,
    fetched_at      TEXT,
    checked_at      TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    error           TEXT,
    UNIQUE (endpoint_id, url)
);
CREATE INDEX documents_state ON documents (endpoint_id, state);
CREATE INDEX documents_sha256 ON documents (sha256);

-- Which record lists which document.
CREATE TABLE record_documents (
    record_id   INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    PRIMARY KEY (record_id, document_id)
) WITHOUT ROWID;
CREATE INDEX record_documents_document ON record_documents (document_id);

-- How far each endpoint's records have been read into the two tables above: records whose
-- last_changed is at or after synced_from are read again at the next sync.
CREATE TABLE document_sync (
    endpoint_id INTEGER PRIMARY KEY REFERENCES endpoints (id) ON DELETE CASCADE,
    synced_from TEXT NOT NULL,   -- the newest last_changed read ("" before any)
    wanted      TEXT NOT NULL    -- document_types of that sync, one a line: others start over
);
