-- 党费 (spec 05, 中组发〔2008〕3号). Money is integer fen (BIGINT). Nothing is deleted: a base or a
-- reduction entered by mistake is withdrawn, a payment is cancelled, each with its reason.
--
-- dues_base: a member's category and base in force from effective_month (YYYY-MM) until the next
-- one (第十条: from the month the new pay is received), with the monthly amount, rate and article
-- computed when it was declared.
CREATE TABLE dues_base (
  id BIGSERIAL PRIMARY KEY,
  member_id BIGINT NOT NULL REFERENCES member (id),
  category TEXT NOT NULL,
  base_fen BIGINT CHECK (base_fen >= 0),
  rate_per_ten_thousand INTEGER,
  amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
  rule TEXT NOT NULL,
  effective_month TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('declared', 'imported', 'yearly')),
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by BIGINT,
  withdrawn_at TEXT,
  withdrawn_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dues_base_member ON dues_base (member_id, effective_month);

-- 第七条: 少交或免交, decided by the branch and approved by the higher 党委 — the approval is on
-- record (who, reference, date). amount_fen is what the member pays a month in from_month..to_month
-- (0: 免交).
CREATE TABLE dues_reduction (
  id BIGSERIAL PRIMARY KEY,
  member_id BIGINT NOT NULL REFERENCES member (id),
  from_month TEXT NOT NULL,
  to_month TEXT NOT NULL,
  amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
  reason TEXT NOT NULL,
  approved_by TEXT NOT NULL,
  approval_ref TEXT NOT NULL,
  approved_on TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by BIGINT,
  withdrawn_at TEXT,
  withdrawn_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dues_reduction_member ON dues_reduction (member_id, from_month);

-- One row per month paid for (a quarterly payment is three rows with one receipt). kind: regular
-- (the month's dues, on time or 补交 late, 第十二条), extra (自愿多交, 第十一条; for_centre when one
-- payment's extra reaches 1000.00). org_id/org_path: the branch that collected it (第九条).
CREATE TABLE dues_payment (
  id BIGSERIAL PRIMARY KEY,
  member_id BIGINT NOT NULL REFERENCES member (id),
  org_id BIGINT NOT NULL REFERENCES organisation (id),
  org_path TEXT COLLATE "C" NOT NULL,
  month TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('regular', 'extra')),
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  late INTEGER NOT NULL DEFAULT 0,
  method TEXT NOT NULL CHECK (method IN ('cash', 'transfer', 'online')),
  reference TEXT NOT NULL DEFAULT '',
  payer_name TEXT NOT NULL DEFAULT '',
  paid_on TEXT NOT NULL,
  receipt_no TEXT NOT NULL,
  for_centre INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  created_by BIGINT,
  cancelled_at TEXT,
  cancelled_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dues_payment_member ON dues_payment (member_id, month);
CREATE INDEX dues_payment_org ON dues_payment (org_path, month);
CREATE INDEX dues_payment_receipt ON dues_payment (receipt_no);
