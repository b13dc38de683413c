-- The member registry (spec 03). ID-card and phone numbers are stored only SM4-encrypted with an
-- HMAC-SM3 blind index for exact lookup and a masked form for display (spec 02). `org_path`
-- copies the branch's materialised path so that a subtree's members are one index range.
-- Every membership change is a member_event (with the branch's path on that day), and
-- member_span keeps where and in which status each member was over time, so the registry answers
-- "who was a member of X on date D" and the annual balance of spec 03.
CREATE TABLE member (
  id BIGSERIAL PRIMARY KEY,
  org_id BIGINT NOT NULL REFERENCES organisation (id),
  org_path TEXT COLLATE "C" NOT NULL,
  group_id BIGINT REFERENCES organisation (id),
  name TEXT NOT NULL,
  initials TEXT NOT NULL,
  sex TEXT NOT NULL CHECK (sex IN ('male', 'female')),
  ethnicity TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  id_number_cipher BYTEA NOT NULL,
  id_number_index TEXT NOT NULL UNIQUE,
  id_number_masked TEXT NOT NULL,
  phone_cipher BYTEA,
  phone_index TEXT,
  phone_masked TEXT NOT NULL DEFAULT '',
  education TEXT NOT NULL,
  degree TEXT NOT NULL DEFAULT '',
  occupation TEXT NOT NULL DEFAULT '',
  work_unit TEXT NOT NULL DEFAULT '',
  household TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  joined_on TEXT NOT NULL,
  confirmed_on TEXT,
  work_started_on TEXT,
  category TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('full', 'probationary', 'suspended', 'exited', 'deceased')),
  exit_kind TEXT,
  status_on TEXT NOT NULL,
  hardship INTEGER NOT NULL DEFAULT 0,
  away_since TEXT,
  destination TEXT NOT NULL DEFAULT '',
  attached_org_id BIGINT REFERENCES organisation (id),
  lost_contact_since TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX member_org_path ON member (org_path, status);
CREATE INDEX member_org ON member (org_id, status);
CREATE INDEX member_initials ON member (initials);
CREATE INDEX member_name ON member (name);
CREATE INDEX member_phone ON member (phone_index);
CREATE TABLE member_event (
  id BIGSERIAL PRIMARY KEY,
  member_id BIGINT NOT NULL REFERENCES member (id),
  kind TEXT NOT NULL,
  happened_on TEXT NOT NULL,
  org_id BIGINT NOT NULL REFERENCES organisation (id),
  org_path TEXT COLLATE "C" NOT NULL,
  other_org_id BIGINT,
  reason TEXT NOT NULL,
  account_id BIGINT,
  created_at TEXT NOT NULL
);
CREATE INDEX member_event_member ON member_event (member_id, id);
CREATE INDEX member_event_path ON member_event (org_path, happened_on);
CREATE TABLE member_span (
  member_id BIGINT NOT NULL REFERENCES member (id),
  org_id BIGINT NOT NULL REFERENCES organisation (id),
  status TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT
);
CREATE INDEX member_span_member ON member_span (member_id, valid_from);
CREATE INDEX member_span_org ON member_span (org_id, valid_from);
CREATE TABLE member_transfer (
  id BIGSERIAL PRIMARY KEY,
  member_id BIGINT NOT NULL REFERENCES member (id),
  from_org_id BIGINT NOT NULL REFERENCES organisation (id),
  to_org_id BIGINT REFERENCES organisation (id),
  external_org TEXT NOT NULL DEFAULT '',
  direction TEXT NOT NULL CHECK (direction IN ('internal', 'outgoing', 'incoming')),
  status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'received', 'rejected', 'cancelled')),
  requested_on TEXT NOT NULL,
  reason TEXT NOT NULL,
  letter_number TEXT,
  letter_valid_until TEXT,
  return_slip_on TEXT,
  steps TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX member_transfer_member ON member_transfer (member_id);
CREATE INDEX member_transfer_status ON member_transfer (status);
