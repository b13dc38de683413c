-- The organisation tree (spec 03). `path` is the materialised path of ids, `/1/7/42/`, so a
-- subtree is one index range: path >= '/1/7/' AND path < '/1/70' ('0' follows '/' in byte order).
-- Organisations are never deleted: `status` becomes merged or dissolved. Every placement in the
-- tree is kept in organisation_placement with its dates, so statistics for a past date see the
-- tree as it was then.
CREATE TABLE organisation (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  domain TEXT NOT NULL,
  parent_id BIGINT REFERENCES organisation (id),
  path TEXT NOT NULL,
  depth INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged', 'dissolved')),
  status_on TEXT,
  merged_into BIGINT REFERENCES organisation (id),
  founded_on TEXT,
  approval_document TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  units TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX organisation_path ON organisation (path);
CREATE INDEX organisation_parent ON organisation (parent_id, status);
CREATE TABLE organisation_placement (
  org_id BIGINT NOT NULL REFERENCES organisation (id),
  parent_id BIGINT,
  path TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT
);
CREATE INDEX organisation_placement_org ON organisation_placement (org_id, valid_from);
CREATE INDEX organisation_placement_path ON organisation_placement (path, valid_from);
CREATE TABLE organisation_change (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id BIGINT NOT NULL REFERENCES organisation (id),
  kind TEXT NOT NULL,
  happened_on TEXT NOT NULL,
  reason TEXT NOT NULL,
  from_parent BIGINT,
  to_parent BIGINT,
  other_org BIGINT,
  account_id BIGINT,
  created_at TEXT NOT NULL
);
CREATE INDEX organisation_change_org ON organisation_change (org_id, id);
CREATE TABLE committee (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id BIGINT NOT NULL REFERENCES organisation (id),
  elected_on TEXT NOT NULL,
  term_years INTEGER NOT NULL CHECK (term_years BETWEEN 3 AND 5),
  term_ends_on TEXT NOT NULL,
  extended_until TEXT,
  is_current INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);
CREATE INDEX committee_org ON committee (org_id, is_current);
CREATE TABLE committee_position (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  committee_id BIGINT NOT NULL REFERENCES committee (id),
  position TEXT NOT NULL,
  member_id BIGINT,
  member_name TEXT NOT NULL,
  concurrent_director INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX committee_position_committee ON committee_position (committee_id);
