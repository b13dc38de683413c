-- Audit retention (网络安全法 第21条: ≥ 6 months; default 184 days): old events are archived to a
-- file whose last hash is kept here as the chain's new anchor. Only events at or below an anchor
-- may leave the table; everything newer stays append-only.
CREATE TABLE audit_anchor (
  through_seq BIGINT PRIMARY KEY,
  hash TEXT NOT NULL,
  events BIGINT NOT NULL,
  archived_at TEXT NOT NULL,
  file_name TEXT NOT NULL,
  file_sm3 TEXT NOT NULL
);
DROP TRIGGER audit_event_no_delete;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
  WHEN OLD.seq > (SELECT COALESCE(MAX(through_seq), 0) FROM audit_anchor)
  BEGIN SELECT RAISE(ABORT, 'audit_event is append-only; archive before removing'); END;
