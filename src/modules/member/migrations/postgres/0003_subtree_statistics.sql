-- Subtree statistics at city scale (spec 01: the city root in < 50 ms). Derived data, kept right in
-- the same transaction as every write of spans, placements, members and committees
-- (modules/member/statistics_counters.h), and recomputed from scratch by `zhibu stats rebuild`.
--
-- statistics_counter: for every 党委-level organisation (department, committee_higher,
-- committee) the counts of its current subtree: members by status, sex, ethnicity, education,
-- occupation, birth date and 转正 date (by year and by day, so age and 党龄 bands of any date are
-- a few range sums), organisations by kind and domain, 非公 enterprises, and branches that need a
-- committee keyed by the date of their first one.
-- statistics_span: member_span with the member's counted attributes beside it (sex, ethnicity,
-- education and occupation as one JSON array, so that a correction groups them with one key),
-- narrow and clustered by valid_from (closed spans also by valid_to): the spans that changed after
-- a past date are one short range, the correction from today's counts to that date.
-- statistics_org: what each organisation contributes (its current path, whether placed, its
-- kind, domain, enterprises, full members and first committee).
-- statistics_state.ready = 0 means the counters are not built (a database that had data before
-- this migration, or a bulk load in progress): statistics then come from the full scan.
CREATE TABLE statistics_state (
  id BIGINT PRIMARY KEY CHECK (id = 1),
  ready BIGINT NOT NULL
);
INSERT INTO statistics_state (id, ready)
SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM organisation) THEN 0 ELSE 1 END;
CREATE TABLE statistics_counter (
  org_id BIGINT NOT NULL,
  measure TEXT NOT NULL,
  bucket TEXT COLLATE "C" NOT NULL,
  tally BIGINT NOT NULL,
  PRIMARY KEY (org_id, measure, bucket)
);
CREATE TABLE statistics_span (
  valid_from TEXT COLLATE "C" NOT NULL,
  member_id BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  valid_to TEXT COLLATE "C",
  org_id BIGINT NOT NULL,
  status TEXT NOT NULL,
  attributes TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  confirmed_on TEXT,
  PRIMARY KEY (valid_from, member_id, seq) INCLUDE (valid_to, org_id, status, attributes,
    birth_date, confirmed_on)
);
CREATE INDEX statistics_span_member ON statistics_span (member_id);
CREATE INDEX statistics_span_org ON statistics_span (org_id, valid_to);
CREATE INDEX statistics_span_closed ON statistics_span (valid_to) INCLUDE (valid_from, member_id,
  seq, org_id, status, attributes, birth_date, confirmed_on)
  WHERE valid_to IS NOT NULL;
CREATE TABLE statistics_org (
  org_id BIGINT PRIMARY KEY,
  path TEXT COLLATE "C" NOT NULL,
  placed BIGINT NOT NULL,
  kind TEXT NOT NULL,
  domain TEXT NOT NULL,
  enterprises BIGINT NOT NULL,
  with_own BIGINT NOT NULL,
  full_members BIGINT NOT NULL,
  first_committee TEXT COLLATE "C"
);
CREATE INDEX statistics_org_path ON statistics_org (path) INCLUDE (placed, kind, full_members,
  first_committee);
-- The placements that changed after a date.
CREATE INDEX organisation_placement_from ON organisation_placement (valid_from);
CREATE INDEX organisation_placement_to ON organisation_placement (valid_to);
-- A subtree's members today (organisation pages, member lists): one index range without
-- reading the member rows, now that departed members stay in the table.
CREATE INDEX member_present_path ON member (org_path, status, departed_on)
  WHERE departed_on IS NULL;
-- Searches by name prefix and pinyin initials count and page their matches from the index alone
-- (a common surname matches one member in ten at city scale).
DROP INDEX member_initials;
CREATE INDEX member_initials ON member (initials, org_path, status, departed_on);
DROP INDEX member_name;
CREATE INDEX member_name ON member (name, org_path, status, departed_on);
