-- oaiharvest schema 8: the mirror converges to the server (issue 12).

-- Set by a reconcile when the server no longer lists the record in this format (the record is
-- then deleted = 1 too, its last metadata kept): when that was found. NULL for a record the
-- server lists, and for one it announced deleted with a deleted header.
ALTER TABLE records ADD COLUMN gone_at TEXT;

-- The newest datestamp seen so far in the list in progress: what the incremental point becomes
-- when the server's responseDate is missing or not in UTC.
ALTER TABLE scopes ADD COLUMN list_newest TEXT;
-- When the last reconcile of the scope completed (UTC); NULL: never.
ALTER TABLE scopes ADD COLUMN last_reconciled_at TEXT;

-- What a run is: 'harvest' (a list of changes) or 'reconcile' (the server's identifiers
-- compared with the mirror).
ALTER TABLE harvest_runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'harvest';
-- Copies not stored because the mirror holds the record with a newer datestamp (a lagging
-- replica, a record listed twice, a restored backup).
ALTER TABLE harvest_runs ADD COLUMN records_stale INTEGER NOT NULL DEFAULT 0;
-- Live headers sent without metadata: the metadata stored earlier was kept.
ALTER TABLE harvest_runs ADD COLUMN records_kept_metadata INTEGER NOT NULL DEFAULT 0;
-- Reconcile: records the server no longer lists, marked gone.
ALTER TABLE harvest_runs ADD COLUMN records_gone INTEGER NOT NULL DEFAULT 0;
-- Reconcile: records whose set membership the mirror had wrong, corrected.
ALTER TABLE harvest_runs ADD COLUMN sets_corrected INTEGER NOT NULL DEFAULT 0;

-- The record's newest copy across formats, found from the index alone: show, search and export
-- never present a format's copy older than another format's (lib/store/queries.cpp). It holds
-- the unique key too, so that an export walks it in order and reads no records row.
CREATE INDEX records_newest ON records (endpoint_id, identifier, metadata_prefix, datestamp);
