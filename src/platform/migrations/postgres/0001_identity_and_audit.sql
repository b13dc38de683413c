-- Accounts, role grants, sessions, login throttling and the hash-chained audit trail (spec 02).
-- Times used in comparisons are epoch milliseconds (BIGINT); times shown to people are ISO 8601
-- in Asia/Shanghai (TEXT).
CREATE TABLE account (
  id BIGSERIAL PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  password_changed_at_ms BIGINT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until_ms BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE TABLE password_history (
  account_id BIGINT NOT NULL REFERENCES account (id),
  password_hash TEXT NOT NULL,
  changed_at_ms BIGINT NOT NULL
);
CREATE INDEX password_history_account ON password_history (account_id, changed_at_ms);
CREATE TABLE role_grant (
  id BIGSERIAL PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES account (id),
  role TEXT NOT NULL,
  organisation_id BIGINT,
  granted_at TEXT NOT NULL,
  granted_by BIGINT REFERENCES account (id),
  revoked_at TEXT
);
CREATE INDEX role_grant_account ON role_grant (account_id);
CREATE TABLE auth_session (
  id BIGSERIAL PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  account_id BIGINT NOT NULL REFERENCES account (id),
  csrf_token TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  last_seen_ms BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL,
  revoked_at_ms BIGINT,
  client_address TEXT NOT NULL
);
CREATE INDEX auth_session_account ON auth_session (account_id);
CREATE TABLE login_throttle (
  address TEXT PRIMARY KEY,
  window_start_ms BIGINT NOT NULL,
  failures INTEGER NOT NULL
);
CREATE TABLE audit_event (
  seq BIGINT PRIMARY KEY,
  at TEXT NOT NULL,
  actor_id BIGINT,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  organisation_id BIGINT,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  result TEXT NOT NULL,
  client_address TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
-- Append-only: the application never updates or deletes audit rows; the database refuses too.
-- (Someone able to drop these triggers is caught by `zhibu audit verify` and the hash chain.)
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only';
END $$;
CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
