-- oaiharvest schema 1: endpoints, harvest scopes, records, runs.
-- Times are UTC text "YYYY-MM-DDThh:mm:ssZ", so they sort and compare as strings.

CREATE TABLE endpoints (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL UNIQUE,
    base_url            TEXT NOT NULL,
    repository_name     TEXT,
    protocol_version    TEXT,
    granularity         TEXT,     -- 'YYYY-MM-DD' or 'YYYY-MM-DDThh:mm:ssZ'
    earliest_datestamp  TEXT,
    deleted_record      TEXT,     -- 'no', 'transient' or 'persistent'
    admin_email         TEXT,     -- the first adminEmail
    identified_at       TEXT,     -- when Identify was last read
    created_at          TEXT NOT NULL
);

-- One (endpoint, metadata prefix, set) harvest: its incremental window and, while a list is
-- being harvested, where it stands. set_spec '' is the whole repository.
CREATE TABLE scopes (
    id                  INTEGER PRIMARY KEY,
    endpoint_id         INTEGER NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
    metadata_prefix     TEXT NOT NULL,
    set_spec            TEXT NOT NULL DEFAULT '',
    next_from           TEXT,     -- responseDate of the first request of the last complete list
    last_complete_at    TEXT,     -- when that list completed
    list_started        TEXT,     -- list in progress: responseDate of its first request
    list_from           TEXT,     -- list in progress: the from and until it asked
    list_until          TEXT,
    pending_token       TEXT,     -- list in progress: the resumptionToken of its next page
    pending_cursor      INTEGER,
    complete_list_size  INTEGER,
    list_pages          INTEGER NOT NULL DEFAULT 0,
    list_records        INTEGER NOT NULL DEFAULT 0,
    UNIQUE (endpoint_id, metadata_prefix, set_spec)
);

-- The latest known state of each record in each metadata format.
CREATE TABLE records (
    id                  INTEGER PRIMARY KEY,
    endpoint_id         INTEGER NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
    identifier          TEXT NOT NULL,
    metadata_prefix     TEXT NOT NULL,
    datestamp           TEXT NOT NULL,
    deleted             INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    sets                TEXT NOT NULL DEFAULT '[]',  -- JSON array of setSpec strings
    metadata            TEXT,     -- the <metadata> child, standalone XML; NULL: never seen live
    content_hash        BLOB NOT NULL,               -- of datestamp, deleted, sets, metadata
    first_seen          TEXT NOT NULL,
    last_seen           TEXT NOT NULL,
    last_changed        TEXT NOT NULL,
    UNIQUE (endpoint_id, identifier, metadata_prefix)
);
CREATE INDEX records_last_changed ON records (last_changed);
CREATE INDEX records_identifier ON records (identifier);

CREATE TABLE harvest_runs (
    id                  INTEGER PRIMARY KEY,
    scope_id            INTEGER NOT NULL REFERENCES scopes (id) ON DELETE CASCADE,
    started_at          TEXT NOT NULL,
    finished_at         TEXT,
    outcome             TEXT NOT NULL DEFAULT 'running'
                        CHECK (outcome IN ('running', 'ok', 'failed', 'interrupted')),
    request_from        TEXT,
    request_until       TEXT,
    resumed             INTEGER NOT NULL DEFAULT 0,  -- 1: continued a list from a saved token
    pages               INTEGER NOT NULL DEFAULT 0,
    records_new         INTEGER NOT NULL DEFAULT 0,
    records_updated     INTEGER NOT NULL DEFAULT 0,
    records_unchanged   INTEGER NOT NULL DEFAULT 0,
    records_deleted     INTEGER NOT NULL DEFAULT 0,
    retries             INTEGER NOT NULL DEFAULT 0,
    token_restarts      INTEGER NOT NULL DEFAULT 0,
    repaired_characters INTEGER NOT NULL DEFAULT 0,
    unreadable_records  INTEGER NOT NULL DEFAULT 0,
    error               TEXT
);
CREATE INDEX harvest_runs_scope ON harvest_runs (scope_id, id);
