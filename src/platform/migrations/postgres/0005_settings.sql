-- Deployment settings (地方规定、本地做法): values that local practice decides, declared by the
-- modules with a default and a source. A row exists only once someone changed the default.
CREATE TABLE setting (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  account_id BIGINT
);
