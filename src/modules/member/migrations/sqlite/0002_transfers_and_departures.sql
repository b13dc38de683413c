-- 组织关系转接 (spec 03): a transfer within the deployment (internal), to a Party organisation
-- outside it (outgoing) or from one (incoming). The first version of this table never held a row
-- (no route wrote it) and required a sending branch, which an incoming letter does not have; it
-- is replaced. A member whose relation has left the deployment keeps their record with
-- departed_on/departed_to: their history stays, they are no longer counted anywhere.
DROP TABLE member_transfer;
CREATE TABLE member_transfer (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  member_id BIGINT NOT NULL REFERENCES member (id),
  direction TEXT NOT NULL CHECK (direction IN ('internal', 'outgoing', 'incoming')),
  from_org_id BIGINT REFERENCES organisation (id),
  to_org_id BIGINT REFERENCES organisation (id),
  external_org TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'received', 'rejected', 'cancelled')),
  requested_on TEXT NOT NULL,
  reason TEXT NOT NULL,
  letter_number TEXT,
  letter_valid_until TEXT,
  return_slip_on TEXT,
  steps TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX member_transfer_member ON member_transfer (member_id, status);
CREATE INDEX member_transfer_from ON member_transfer (from_org_id, status);
CREATE INDEX member_transfer_to ON member_transfer (to_org_id, status);
-- Our own letters are numbered uniquely; an incoming letter keeps the sender's number as given.
CREATE UNIQUE INDEX member_transfer_letter ON member_transfer (letter_number)
  WHERE direction <> 'incoming';
ALTER TABLE member ADD COLUMN departed_on TEXT;
ALTER TABLE member ADD COLUMN departed_to TEXT NOT NULL DEFAULT '';
