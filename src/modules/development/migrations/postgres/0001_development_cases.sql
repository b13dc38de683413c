-- 发展党员 (spec 06; 发展党员工作细则 2014): one case per person developed, and its step records in
-- the order they were made. Nothing is deleted: a case ended early is `closed` with its outcome
-- and reason. The applicant's ID and phone numbers are stored only encrypted (SM4, FieldCipher)
-- with a blind index and a masked form, like the member registry's.
--
-- development_case: the person, the branch (org_id, org_path: the subtree index), where the case
-- stands (status, stage, current_step), its key dates, the member record made on admission, and
-- its most urgent deadline (next_due_step, next_due_on) kept up to date on every write so that the
-- pipeline and the compliance rules can count due and overdue cases with one indexed query.
CREATE TABLE development_case (
  id BIGSERIAL PRIMARY KEY,
  workflow TEXT NOT NULL DEFAULT 'party_admission',
  org_id BIGINT NOT NULL REFERENCES organisation (id),
  org_path TEXT COLLATE "C" NOT NULL,
  name TEXT NOT NULL,
  sex TEXT NOT NULL CHECK (sex IN ('male', 'female')),
  birth_date TEXT NOT NULL,
  ethnicity TEXT NOT NULL DEFAULT '',
  education TEXT NOT NULL DEFAULT '',
  occupation TEXT NOT NULL DEFAULT '',
  work_unit TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL,
  id_number_cipher BYTEA NOT NULL,
  id_number_index TEXT NOT NULL,
  id_number_masked TEXT NOT NULL,
  phone_cipher BYTEA,
  phone_index TEXT,
  phone_masked TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('open', 'completed', 'closed')),
  stage TEXT NOT NULL,
  current_step INTEGER NOT NULL,
  applied_on TEXT NOT NULL,
  activist_on TEXT,
  target_on TEXT,
  admitted_on TEXT,
  probation_ends_on TEXT,
  confirmed_on TEXT,
  extended_months INTEGER NOT NULL DEFAULT 0,
  next_due_step INTEGER,
  next_due_on TEXT,
  member_id BIGINT REFERENCES member (id),
  closed_on TEXT,
  close_outcome TEXT,
  close_reason TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by BIGINT,
  updated_at TEXT NOT NULL
);
CREATE INDEX development_case_path ON development_case (org_path, status, current_step);
CREATE INDEX development_case_due ON development_case (next_due_on, org_path) WHERE status = 'open';
CREATE INDEX development_case_person ON development_case (id_number_index, status);

-- development_step: one record of a step (the step's number in the workflow table, its date, the
-- fields the table names as JSON, the note), who recorded it and when. `seq` orders a case's
-- records (steps 6 and 21 repeat; an extended probation repeats 21–24).
CREATE TABLE development_step (
  id BIGSERIAL PRIMARY KEY,
  case_id BIGINT NOT NULL REFERENCES development_case (id),
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
