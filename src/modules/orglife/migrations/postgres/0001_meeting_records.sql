-- 组织生活纪实 (spec 04): records of meetings and activities. A record is never deleted: a draft
-- may be withdrawn, an accepted or archived record is corrected by a new record linked to it
-- (correction_of), which supersedes it once accepted (superseded_by).
--
-- held_on is the date the record counts on (the actual start, else the planned start); counted is
-- 1 while the record counts as held (submitted, returned, accepted or archived, and not
-- superseded) — the frequency rules read these two. The attendance counts are kept with the
-- record for lists and rules; the attendance rows say who was expected on that date and how each
-- took part. meeting_attendance.counted_on repeats held_on while the record counts, so that a
-- member's last organisational life is one index seek (党章 第九条: 6 consecutive months).
CREATE TABLE meeting_record (
  id BIGSERIAL PRIMARY KEY,
  org_id BIGINT NOT NULL REFERENCES organisation (id),
  kind TEXT NOT NULL,
  topic TEXT NOT NULL,
  planned_start TEXT NOT NULL,
  planned_end TEXT NOT NULL,
  actual_start TEXT,
  actual_end TEXT,
  held_on TEXT NOT NULL,
  place TEXT NOT NULL DEFAULT '',
  online INTEGER NOT NULL DEFAULT 0,
  host_member_id BIGINT REFERENCES member (id),
  host_name TEXT NOT NULL DEFAULT '',
  recorder_member_id BIGINT REFERENCES member (id),
  recorder_name TEXT NOT NULL DEFAULT '',
  agenda TEXT NOT NULL DEFAULT '',
  minutes TEXT NOT NULL DEFAULT '',
  resolutions TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'accepted', 'archived',
    'withdrawn')),
  counted INTEGER NOT NULL DEFAULT 0,
  correction_of BIGINT REFERENCES meeting_record (id),
  correction_reason TEXT NOT NULL DEFAULT '',
  superseded_by BIGINT REFERENCES meeting_record (id),
  expected_count INTEGER NOT NULL DEFAULT 0,
  present_count INTEGER NOT NULL DEFAULT 0,
  leave_count INTEGER NOT NULL DEFAULT 0,
  absent_count INTEGER NOT NULL DEFAULT 0,
  voting_expected INTEGER NOT NULL DEFAULT 0,
  voting_present INTEGER NOT NULL DEFAULT 0,
  vote_without_quorum INTEGER NOT NULL DEFAULT 0,
  created_by BIGINT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  submitted_at TEXT,
  reviewed_at TEXT,
  archived_at TEXT
);
CREATE INDEX meeting_record_org ON meeting_record (org_id, kind, held_on);
CREATE INDEX meeting_record_held ON meeting_record (kind, held_on, org_id) WHERE counted = 1;
CREATE INDEX meeting_record_counted ON meeting_record (held_on, org_id) WHERE counted = 1;
CREATE INDEX meeting_record_status ON meeting_record (status, held_on);
CREATE INDEX meeting_record_correction ON meeting_record (correction_of) WHERE correction_of IS NOT NULL;
-- meeting_attendance is the one large table (a county: ~1.7 million rows a year): its
-- vocabularies (role, status) and its references (the record, the member) are kept by the store,
-- its only writer, rather than by CHECK constraints and foreign keys, which cost more than the rest
-- of a row when a year of records is loaded (PostgreSQL checks a foreign key with a trigger per
-- row).
CREATE TABLE meeting_attendance (
  id BIGSERIAL PRIMARY KEY,
  record_id BIGINT NOT NULL,
  role TEXT NOT NULL,
  member_id BIGINT,
  name TEXT NOT NULL,
  unit TEXT NOT NULL DEFAULT '',
  position TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  leave_reason TEXT NOT NULL DEFAULT '',
  voting INTEGER NOT NULL DEFAULT 0,
  no_vote_reason TEXT NOT NULL DEFAULT '',
  hardship INTEGER NOT NULL DEFAULT 0,
  counted_on TEXT,
  checked_in_at TEXT
);
CREATE INDEX meeting_attendance_record ON meeting_attendance (record_id);
CREATE INDEX meeting_attendance_member ON meeting_attendance (member_id, counted_on)
  WHERE counted_on IS NOT NULL AND status <> 'absent';
-- Votes of a 党员大会: `open` ones keep one ballot per member (choice), `secret` ones the members
-- who returned a ballot (choice NULL) and the counts. The result is computed, never stored.
CREATE TABLE meeting_vote (
  id BIGSERIAL PRIMARY KEY,
  record_id BIGINT NOT NULL REFERENCES meeting_record (id),
  seq INTEGER NOT NULL,
  resolution TEXT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('open', 'secret')),
  yes_count INTEGER NOT NULL DEFAULT 0,
  no_count INTEGER NOT NULL DEFAULT 0,
  abstain_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX meeting_vote_record ON meeting_vote (record_id, seq);
CREATE TABLE meeting_ballot (
  vote_id BIGINT NOT NULL REFERENCES meeting_vote (id),
  member_id BIGINT NOT NULL REFERENCES member (id),
  choice TEXT CHECK (choice IN ('yes', 'no', 'abstain')),
  PRIMARY KEY (vote_id, member_id)
);
-- The higher organisation's reviews (every accept, return and archive), and the problems a return
-- names: `item` will hold the code of the local checklist's item (两审两备五查), so problems can be
-- counted by class and item per branch and month.
CREATE TABLE meeting_review (
  id BIGSERIAL PRIMARY KEY,
  record_id BIGINT NOT NULL REFERENCES meeting_record (id),
  decision TEXT NOT NULL CHECK (decision IN ('accepted', 'returned', 'archived')),
  reviewer_id BIGINT,
  reviewer_name TEXT NOT NULL,
  reviewed_at TEXT NOT NULL
);
CREATE INDEX meeting_review_record ON meeting_review (record_id, id);
CREATE TABLE meeting_review_problem (
  id BIGSERIAL PRIMARY KEY,
  review_id BIGINT NOT NULL REFERENCES meeting_review (id),
  record_id BIGINT NOT NULL REFERENCES meeting_record (id),
  org_id BIGINT NOT NULL REFERENCES organisation (id),
  item TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL
);
CREATE INDEX meeting_review_problem_org ON meeting_review_problem (org_id, item);
-- The members of a 党小组 (党小组会: who is expected; the group duty: which groups have members).
CREATE INDEX member_group ON member (group_id) WHERE group_id IS NOT NULL;
