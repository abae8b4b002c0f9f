-- oaiharvest schema 11: the text of mirrored documents (issue 15; docs/documents.md). One row per
-- body (by sha256, however many documents rows share it), and its full-text index. The
-- documents tables themselves are schema 10's.
CREATE TABLE document_texts (
    id           INTEGER PRIMARY KEY,
    sha256       TEXT NOT NULL UNIQUE,
    status       TEXT NOT NULL CHECK (status IN ('extracted', 'empty', 'unsupported', 'failed')),
    pages        INTEGER,
    error        TEXT,
    extracted_at TEXT,
    text         TEXT
);

-- External content: the words are read from document_texts.text, never stored twice. The
-- triggers keep the index in step with the rows (FTS5 needs a deleted row's old text to remove
-- its words).
CREATE VIRTUAL TABLE document_search USING fts5 (
    text,
    content = 'document_texts', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER document_texts_indexed AFTER INSERT ON document_texts
WHEN new.text IS NOT NULL BEGIN
    INSERT INTO document_search (rowid, text) VALUES (new.id, new.text);
END;

CREATE TRIGGER document_texts_unindexed AFTER DELETE ON document_texts
WHEN old.text IS NOT NULL BEGIN
    INSERT INTO document_search (document_search, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE TRIGGER document_texts_reindexed AFTER UPDATE OF text ON document_texts BEGIN
    INSERT INTO document_search (document_search, rowid, text)
        SELECT 'delete', old.id, old.text WHERE old.text IS NOT NULL;
    INSERT INTO document_search (rowid, text) SELECT new.id, new.text WHERE new.text IS NOT NULL;
END;
