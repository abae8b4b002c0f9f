-- oaiharvest schema 3: what `status` shows of an endpoint beyond its scopes.

-- When the daemon will next harvest the endpoint (UTC); NULL when no daemon has scheduled it.
ALTER TABLE endpoints ADD COLUMN next_due TEXT;

-- Why the endpoint's last harvest failed before any scope could run (Identify or
-- ListMetadataFormats unanswered), and when; NULL after a harvest that got that far.
ALTER TABLE endpoints ADD COLUMN last_error TEXT;
ALTER TABLE endpoints ADD COLUMN last_error_at TEXT;
