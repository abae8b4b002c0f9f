-- oaiharvest schema 6: items_json.deleted repeats records.deleted, so that an export of the
-- JSON reads the records' unique index (for the order and the ids) but not their rows, each of
-- which holds the record's raw XML.
ALTER TABLE items_json ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
UPDATE items_json SET deleted = 1
WHERE record_id IN (SELECT id FROM records WHERE deleted = 1);
