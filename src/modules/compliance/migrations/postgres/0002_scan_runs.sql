-- The scheduled full scans (spec 07: daily by default, from the hour of the setting
-- compliance.daily_scan_hour): one row per day. The row is inserted before the scan as the day's
-- claim, so of several servers on one database only one scans; finished_at and the counts are
-- written when it ends. A scan that failed keeps its error, and the next round claims the day again.
CREATE TABLE compliance_scan_run (
  run_on TEXT PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  found BIGINT,
  opened BIGINT,
  resolved BIGINT,
  error TEXT
);
