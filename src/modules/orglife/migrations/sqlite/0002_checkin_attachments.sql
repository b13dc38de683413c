-- QR check-in (spec 04 "Attendance"): one token per record, shown as a QR code in the room and
-- scanned by members with their phones. Kept in clear so that the same QR code can be shown again
-- (projector, printout, refresh) for the whole window; replaced by a new one on request. The
-- token admits nobody by itself: a signed-in member with a place in the record, within the window.
CREATE TABLE meeting_checkin_token (
  record_id BIGINT PRIMARY KEY REFERENCES meeting_record (id),
  token TEXT NOT NULL UNIQUE,
  issued_at TEXT NOT NULL,
  issued_by BIGINT
);
-- Attachments of a record (photos, scans: spec 04 "Each record"): JPEG, PNG or PDF as their first
-- bytes say, within orglife.attachment_max_bytes, stored here with their SHA-256. Never deleted:
-- a withdrawn attachment keeps its content, who withdrew it, when and why.
CREATE TABLE meeting_attachment (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  record_id BIGINT NOT NULL REFERENCES meeting_record (id),
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
  size_bytes BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  content BLOB NOT NULL,
  uploaded_by BIGINT,
  uploaded_by_name TEXT NOT NULL,
  uploaded_at TEXT NOT NULL,
  withdrawn_at TEXT,
  withdrawn_by_name TEXT,
  withdraw_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX meeting_attachment_record ON meeting_attachment (record_id, id);
