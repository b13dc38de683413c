-- Diagnostics: batches written in one transaction each, so a crash test can prove that every
-- batch is either wholly present or wholly absent after a SIGKILL.
CREATE TABLE diagnostic_batch (
  batch TEXT PRIMARY KEY,
  declared_rows BIGINT NOT NULL CHECK (declared_rows > 0),
  created_at TEXT NOT NULL
);
CREATE TABLE diagnostic_row (
  batch TEXT NOT NULL REFERENCES diagnostic_batch (batch),
  seq BIGINT NOT NULL,
  payload TEXT NOT NULL,
  PRIMARY KEY (batch, seq)
);
