-- oaiharvest schema 4: the full-text index holds live records only (a deleted record keeps its
-- catalogue rows but is no longer found by search), so that ranking never spends its limit on
-- records a search would drop.
DELETE FROM search WHERE rowid IN (SELECT id FROM records WHERE deleted = 1);
