-- API tokens for machine clients (spec 02 "Identity"): a scope (a subset of the owner's
-- permissions), an expiry, revocable; only an SM3 digest of the token is stored.
CREATE TABLE api_token (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id BIGINT NOT NULL REFERENCES account (id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by BIGINT REFERENCES account (id),
  expires_at_ms BIGINT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX api_token_account ON api_token (account_id);
