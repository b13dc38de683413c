-- TOTP second factor for administrators (GB/T 22239-2019 8.1.4.1 d). The secret is stored
-- SM4-encrypted (platform/crypto/field_cipher.h); totp_last_step stops a code being replayed.
ALTER TABLE account ADD COLUMN totp_secret BLOB;
ALTER TABLE account ADD COLUMN totp_enabled_at_ms BIGINT;
ALTER TABLE account ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
