-- oaiharvest schema 9: a compact mirror (issue 13). Each record's raw metadata XML
-- (records.metadata) and its JSON (items_json.json) are stored as zstd frames, packed with a
-- dictionary trained on the endpoint's own records in that format; the full-text index keeps
-- no copy of the text it indexes. Read a packed value with oaiharvest_unpack(value), which
-- every connection oaiharvest opens has (docs/schema.md). An existing mirror's values are
-- packed, and its index rebuilt, by the program right after this script (lib/store/migrate_compact.cpp),
-- in the same transaction.

-- zstd dictionaries. id is zstd's dictionary ID, which every frame made with the dictionary
-- carries in its header: a frame names its own dictionary.
CREATE TABLE dictionaries (
    id              INTEGER PRIMARY KEY,
    endpoint_id     INTEGER NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
    metadata_prefix TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('metadata', 'json')),
    samples         INTEGER NOT NULL,   -- how many values it was trained on
    created_at      TEXT NOT NULL,
    bytes           BLOB NOT NULL
);
CREATE INDEX dictionaries_scope ON dictionaries (endpoint_id, metadata_prefix, kind);

-- The same view as schema 5's, over the packed JSON.
DROP VIEW items;
CREATE VIEW items AS
SELECT record_id,
       json_extract(oaiharvest_unpack(json), '$.title') AS title,
       json_extract(oaiharvest_unpack(json), '$.subtitle') AS subtitle,
       json_extract(oaiharvest_unpack(json), '$.abstract') AS abstract,
       json_extract(oaiharvest_unpack(json), '$.genre') AS genre,
       json_extract(oaiharvest_unpack(json), '$.type') AS type,
       json_extract(oaiharvest_unpack(json), '$.language') AS language,
       json_extract(oaiharvest_unpack(json), '$.date_issued') AS date_issued,
       year,
       json_extract(oaiharvest_unpack(json), '$.publisher') AS publisher,
       json_extract(oaiharvest_unpack(json), '$.host.title') AS host_title,
       json_extract(oaiharvest_unpack(json), '$.host.issn') AS host_issn,
       json_extract(oaiharvest_unpack(json), '$.host.volume') AS host_volume,
       json_extract(oaiharvest_unpack(json), '$.host.issue') AS host_issue,
       json_extract(oaiharvest_unpack(json), '$.host.pages') AS host_pages,
       json_extract(oaiharvest_unpack(json), '$.rights') AS rights,
       json_extract(oaiharvest_unpack(json), '$.mets.objid') AS mets_objid,
       json_extract(oaiharvest_unpack(json), '$.mets.created') AS mets_created,
       json_extract(oaiharvest_unpack(json), '$.mets.custodian') AS mets_custodian,
       json_extract(oaiharvest_unpack(json), '$.parse_error') AS parse_error,
       oaiharvest_unpack(json) AS json
FROM items_json;

-- What the full-text index indexes, for each live record: FTS5 reads it here (external
-- content) when it removes a record from the index, instead of keeping its own copy. The names
-- and subjects are the record's, in document order, one per line, as they were indexed.
CREATE VIEW search_source AS
SELECT i.record_id,
       json_extract(oaiharvest_unpack(i.json), '$.title') AS title,
       json_extract(oaiharvest_unpack(i.json), '$.subtitle') AS subtitle,
       json_extract(oaiharvest_unpack(i.json), '$.abstract') AS abstract,
       (SELECT group_concat(display, char(10)) FROM
           (SELECT display FROM names n WHERE n.record_id = i.record_id AND display <> ''
            ORDER BY position)) AS names,
       (SELECT group_concat(subject, char(10)) FROM
           (SELECT subject FROM subjects s WHERE s.record_id = i.record_id AND subject <> ''
            ORDER BY position)) AS subjects
FROM items_json i
WHERE i.deleted = 0;

DROP TABLE search;
CREATE VIRTUAL TABLE search USING fts5 (
    title, subtitle, abstract, names, subjects,
    content = 'search_source', content_rowid = 'record_id',
    tokenize = 'unicode61 remove_diacritics 2'
);
