-- Subtrees whose data changed since the compliance engine last looked (spec 07 "incremental"):
-- modules record the branch's path in the writing transaction; the engine rescans each subtree
-- and removes the row.
CREATE TABLE compliance_dirty (
  org_path TEXT PRIMARY KEY,
  touched_at TEXT NOT NULL
);
