-- oaiharvest schema 12: search across apostrophes and scripts (issue 17; docs/cli.md "How a
-- query is read"). Both full-text indexes take the tokenizer `oaiharvest`
-- (lib/store/search_tokenizer.cpp), which every oaiharvest connection and the loadable extension
-- register: a word's key has no case, diacritics or apostrophes, and Cyrillic is written in
-- Latin letters. The indexes are rebuilt from their content, which does not change.
DROP TABLE search;
CREATE VIRTUAL TABLE search USING fts5 (
    title, subtitle, abstract, names, subjects,
    content = 'search_source', content_rowid = 'record_id',
    tokenize = 'oaiharvest'
);
INSERT INTO search (search) VALUES ('rebuild');

-- schema 11's triggers name the table, not its definition: they go on writing the new one.
DROP TABLE document_search;
CREATE VIRTUAL TABLE document_search USING fts5 (
    text,
    content = 'document_texts', content_rowid = 'id',
    tokenize = 'oaiharvest'
);
INSERT INTO document_search (document_search) VALUES ('rebuild');

-- The version of the keying rules and of Unicode the indexes were made with (one row, written by
-- oaiharvest right after this script): a writer that opens the mirror under another version
-- makes both indexes again (lib/store/search_keys.hpp).
CREATE TABLE search_keys (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version TEXT NOT NULL
);
