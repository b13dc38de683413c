#pragma once
//! `zhibu admin rotate-keys`: adds a key version to the key file and re-encrypts every encrypted
//! column under it, one transaction per column, audited. Older versions stay in the file so that
//! a backup taken before the rotation can still be read.

#include <map>
#include <string>
#include <vector>

#include "platform/crypto/field_cipher.h"
#include "platform/db/database.h"

namespace zhibu {

//! A column holding `FieldCipher` records, keyed by an integer id column.
struct EncryptedColumn {
  std::string table;
  std::string id_column;
  std::string column;
  //! A column holding `FieldCipher::BlindIndex` of the same plaintext, or empty. Rotation
  //! recomputes it under the new blind-index key, so lookups keep finding re-encrypted rows.
  std::string blind_index_column = {};
};

//! The platform's encrypted columns and every module's.
std::vector<EncryptedColumn> AllEncryptedColumns();

struct RotationReport {
  int new_version = 0;
  std::int64_t re_encrypted = 0;
};

//! Checks the key file's keys against the database (table field_key_check): a version the
//! database has seen must have the same key, and every version the database has seen must be in
//! `keys`; a version the database has not seen yet is recorded. Several servers on one database
//! must all use one key file: a server with a freshly generated key, another deployment's, or a
//! copy from before `zhibu admin rotate-keys` fails here with `crypto.key_mismatch` or
//! `crypto.key_version_missing` (field `key-file`) instead of writing data the others cannot read.
Result<void> CheckKeysMatchDatabase(db::Database& db, const std::map<int, std::string>& keys);

//! Whether the database has recorded any key yet (then a missing key file must be copied from
//! another server, not generated).
Result<bool> DatabaseHasKeys(db::Database& db);

//! Adds a key version to `key_file`, then re-encrypts every value of `columns` written under an
//! older version.
Result<RotationReport> RotateKeys(db::Database& db, const std::string& key_file,
                                  const std::vector<EncryptedColumn>& columns);

}  // namespace zhibu
