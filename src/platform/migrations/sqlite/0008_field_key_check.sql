-- One row per field-encryption key version that has been used with this database: HMAC-SM3 of a
-- fixed label under the version's master key (hex). Every server checks its key file against
-- these rows at start, so a server with another deployment's key, a freshly generated one, or a
-- key file from before a rotation refuses to start instead of writing personal data that the
-- other servers on the database cannot read. The value reveals nothing about the key.
CREATE TABLE field_key_check (
  version INTEGER PRIMARY KEY,
  check_value TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
