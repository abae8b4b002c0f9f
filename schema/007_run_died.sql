-- oaiharvest schema 7: a run can have died (outcome 'died'): the process harvesting it crashed,
-- was killed, or went over a resource limit of the daemon; its error says why. SQLite cannot
-- change a CHECK constraint in place, so the table is copied into one that allows the value.
CREATE TABLE harvest_runs_007 (
    id                  INTEGER PRIMARY KEY,
    scope_id            INTEGER NOT NULL REFERENCES scopes (id) ON DELETE CASCADE,
    started_at          TEXT NOT NULL,
    finished_at         TEXT,
    outcome             TEXT NOT NULL DEFAULT 'running'
                        CHECK (outcome IN ('running', 'ok', 'failed', 'interrupted', 'died')),
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
INSERT INTO harvest_runs_007 SELECT * FROM harvest_runs;
DROP TABLE harvest_runs;
ALTER TABLE harvest_runs_007 RENAME TO harvest_runs;
CREATE INDEX harvest_runs_scope ON harvest_runs (scope_id, id);
