-- oaiharvest schema 5: each field of the catalogue is stored once. The text columns of items
-- repeated what items.json holds (the EPrints rights statement alone is 1 KB a record), so every
-- harvest wrote them twice. The table items_json now stores the JSON (and year, indexed), and
-- items is a view with the same columns, in the same order, with the same values and types as
-- the table it replaces, read out of the JSON. (Generated columns would do the same, but SQLite
-- computes them on every insert: a JSON parse per record written.)
CREATE TABLE items_json (
    record_id   INTEGER PRIMARY KEY REFERENCES records (id) ON DELETE CASCADE,
    year        INTEGER,        -- from date_issued, when it starts with four digits
    json        TEXT NOT NULL   -- the record's normalized JSON, as show and export print it
);
INSERT INTO items_json (record_id, year, json) SELECT record_id, year, json FROM items;
DROP TABLE items;
CREATE INDEX items_json_year ON items_json (year);
CREATE VIEW items AS
SELECT record_id,
       json_extract(json, '$.title') AS title,
       json_extract(json, '$.subtitle') AS subtitle,
       json_extract(json, '$.abstract') AS abstract,
       json_extract(json, '$.genre') AS genre,
       json_extract(json, '$.type') AS type,
       json_extract(json, '$.language') AS language,
       json_extract(json, '$.date_issued') AS date_issued,
       year,
       json_extract(json, '$.publisher') AS publisher,
       json_extract(json, '$.host.title') AS host_title,
       json_extract(json, '$.host.issn') AS host_issn,
       json_extract(json, '$.host.volume') AS host_volume,
       json_extract(json, '$.host.issue') AS host_issue,
       json_extract(json, '$.host.pages') AS host_pages,
       json_extract(json, '$.rights') AS rights,
       json_extract(json, '$.mets.objid') AS mets_objid,
       json_extract(json, '$.mets.created') AS mets_created,
       json_extract(json, '$.mets.custodian') AS mets_custodian,
       json_extract(json, '$.parse_error') AS parse_error,
       json
FROM items_json;
