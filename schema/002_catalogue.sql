-- oaiharvest schema 2: the normalized catalogue. Each record has one items row (a tombstone
-- never seen live too, with null fields), written in the same transaction as the record, and
-- rows in the child tables in document order (position from 0).

CREATE TABLE items (
    record_id       INTEGER PRIMARY KEY REFERENCES records (id) ON DELETE CASCADE,
    title           TEXT,
    subtitle        TEXT,
    abstract        TEXT,
    genre           TEXT,
    type            TEXT,
    language        TEXT,
    date_issued     TEXT,      -- ISO 8601 where it could be read, else as given
    year            INTEGER,   -- from date_issued, when it starts with four digits
    publisher       TEXT,
    host_title      TEXT,      -- the journal or book the item appeared in
    host_issn       TEXT,
    host_volume     TEXT,
    host_issue      TEXT,
    host_pages      TEXT,
    rights          TEXT,
    mets_objid      TEXT,
    mets_created    TEXT,
    mets_custodian  TEXT,
    parse_error     TEXT,      -- set when the metadata could not be read
    json            TEXT NOT NULL  -- the record's normalized JSON, as show and export print it
);
CREATE INDEX items_year ON items (year);

CREATE TABLE names (
    record_id   INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    given       TEXT,
    family      TEXT,
    display     TEXT,
    role        TEXT,
    affiliation TEXT,
    orcid       TEXT,
    PRIMARY KEY (record_id, position)
) WITHOUT ROWID;
CREATE INDEX names_family ON names (family);

CREATE TABLE subjects (
    record_id   INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    subject     TEXT NOT NULL,
    PRIMARY KEY (record_id, position)
) WITHOUT ROWID;

CREATE TABLE identifiers (
    record_id   INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    type        TEXT NOT NULL,  -- doi, uri, isbn, issn, local, ...
    value       TEXT NOT NULL,
    PRIMARY KEY (record_id, position)
) WITHOUT ROWID;
CREATE INDEX identifiers_value ON identifiers (value);

CREATE TABLE urls (
    record_id   INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    url         TEXT NOT NULL,
    PRIMARY KEY (record_id, position)
) WITHOUT ROWID;

CREATE TABLE files (
    record_id     INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    href          TEXT NOT NULL,
    mimetype      TEXT,
    size          INTEGER,
    use           TEXT,
    checksum      TEXT,
    checksum_type TEXT,
    PRIMARY KEY (record_id, position)
) WITHOUT ROWID;

-- Full-text index: rowid = records.id. names and subjects hold every name (display form) and
-- subject of the record, one per line.
CREATE VIRTUAL TABLE search USING fts5 (
    title, subtitle, abstract, names, subjects,
    tokenize = 'unicode61 remove_diacritics 2'
);
