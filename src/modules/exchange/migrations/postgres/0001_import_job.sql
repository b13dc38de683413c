-- Import jobs (spec 03 §Import and export): one row per uploaded file, written when the upload is
-- accepted and when the import ends, so the report survives the request and a restart. While a
-- job runs, the server holding it answers its progress from memory; the row keeps the last
-- progress it was told and is marked failed when it stops being updated (the server died).
CREATE TABLE import_job (
  id BIGSERIAL PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('members', 'orgs')),
  format TEXT NOT NULL CHECK (format IN ('csv', 'jsonl', 'xlsx')),
  status TEXT NOT NULL CHECK (status IN ('running', 'failed', 'done')),
  account_id BIGINT NOT NULL REFERENCES account (id),
  total_rows BIGINT NOT NULL DEFAULT 0,
  processed_rows BIGINT NOT NULL DEFAULT 0,
  imported BIGINT NOT NULL DEFAULT 0,
  errors TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_at_ms BIGINT NOT NULL
);
CREATE INDEX import_job_account ON import_job (account_id, id);
