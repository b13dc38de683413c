-- 连续六个月不交纳党费的处置 (spec 05; 党章 第九条, 中组发〔2008〕3号 第十三条): one case per
-- member flagged, and its step records in the order they were made. Nothing is deleted: a case
-- ends `closed` with its outcome (proper_reason | corrected | removed | not_approved, or one given
-- when closed by hand) and reason.
--
-- lapse_case: the member, their branch (org_id, org_path: the subtree index), the run of unpaid
-- months the ledger showed when the case was opened (unpaid_from..unpaid_to, unpaid_months), where
-- the case stands (status, current_step, deadline_on: the 限期改正 of step 2) and how it ended.
-- At most one open case per member (lapse_case_open_member).
CREATE TABLE lapse_case (
  id BIGSERIAL PRIMARY KEY,
  member_id BIGINT NOT NULL REFERENCES member (id),
  member_name TEXT NOT NULL,
  org_id BIGINT NOT NULL REFERENCES organisation (id),
  org_path TEXT COLLATE "C" NOT NULL,
  opened_on TEXT NOT NULL,
  unpaid_from TEXT NOT NULL,
  unpaid_to TEXT NOT NULL,
  unpaid_months INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  current_step INTEGER NOT NULL DEFAULT 0,
  deadline_on TEXT,
  closed_on TEXT,
  outcome TEXT,
  close_reason TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by BIGINT,
  updated_at TEXT NOT NULL
);
CREATE INDEX lapse_case_path ON lapse_case (org_path, status);
CREATE UNIQUE INDEX lapse_case_open_member ON lapse_case (member_id) WHERE status = 'open';

-- lapse_step: one record of a step (its number in the table, its date, the fields the table names
-- as JSON — step 1 also keeps the run of unpaid months it verified — and the note), who recorded it
-- and when. `seq` orders a case's records.
CREATE TABLE lapse_step (
  id BIGSERIAL PRIMARY KEY,
  case_id BIGINT NOT NULL REFERENCES lapse_case (id),
  seq INTEGER NOT NULL,
  step INTEGER NOT NULL,
  done_on TEXT NOT NULL,
  data TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  recorded_at TEXT NOT NULL,
  recorded_by BIGINT,
  recorded_by_name TEXT NOT NULL DEFAULT '',
  UNIQUE (case_id, seq)
);
