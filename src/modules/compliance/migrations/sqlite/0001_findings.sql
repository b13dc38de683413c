-- Findings of the compliance engine (spec 07): one row per (rule, subject, period), recomputed by
-- every scan, never edited by hand. A finding the data no longer supports becomes resolved (kept,
-- with the day it was resolved); one that comes back is reopened. People may only acknowledge an
-- open finding with a note.
CREATE TABLE finding (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  rule_id TEXT NOT NULL,
  subject_kind TEXT NOT NULL,
  subject_id BIGINT NOT NULL,
  subject_name TEXT NOT NULL,
  period TEXT NOT NULL,
  org_id BIGINT NOT NULL,
  org_path TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('red', 'yellow', 'info')),
  message TEXT NOT NULL,
  facts TEXT NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
  note TEXT NOT NULL DEFAULT '',
  acknowledged_by BIGINT,
  acknowledged_at TEXT,
  resolved_on TEXT,
  UNIQUE (rule_id, subject_kind, subject_id, period)
);
CREATE INDEX finding_period_path ON finding (period, org_path);
CREATE INDEX finding_status ON finding (status, severity);
