#pragma once
//! Moving a whole deployment (`zhibu export all DIR` → `zhibu import all DIR`), e.g. from SQLite
//! to PostgreSQL and back. Generic over the schema: every table the database lists (but the
//! migrations' own bookkeeping) is written as JSON lines of typed values — integers, reals, text,
//! null and binary as {"base64": …} — so ciphertexts travel as they are; the field-encryption key
//! file is copied beside them. Import loads into a freshly migrated database of the same schema
//! in one transaction, tables in foreign-key order with their ids, then moves PostgreSQL's
//! sequences past them, and proves the copy: every table's row count and content hash must match
//! the export's manifest.

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "platform/db/database.h"

namespace zhibu::exchange {

//! One table's fingerprint: rows and the SM3 of its rows' canonical lines, sorted (so it does not
//! depend on the engine's row order or collation).
struct TableDigest {
  std::int64_t rows = 0;
  std::string sm3;
  bool operator==(const TableDigest&) const = default;
};
using Digests = std::map<std::string, TableDigest>;

//! Every table's digest.
Result<Digests> DigestTables(db::Database& db);

//! Progress of a move: table name and rows so far.
using TableProgress = std::function<void(const std::string& table, std::int64_t rows)>;

//! Writes the deployment to `dir` (created; must be empty or absent): manifest.json,
//! tables/NAME.jsonl and the key file as zhibu.key. Answers the digests written.
Result<Digests> ExportDeployment(db::Database& db, const std::string& key_file,
                                 const std::string& dir, const TableProgress& progress);

//! Copies the key file of the export in `dir` to `key_file` unless the same keys are there;
//! refuses (`deployment.key_conflict`) a different existing key file. Run before opening the
//! target, so the target never creates keys of its own.
Result<void> InstallDeploymentKeys(const std::string& dir, const std::string& key_file);

//! Loads the export in `dir` into `db`, which must hold no data yet (an empty audit trail) and the
//! same migrations. Answers the target's digests, which equal the manifest's (else
//! `deployment.mismatch`).
Result<Digests> ImportDeployment(db::Database& db, const std::string& dir,
                                 const TableProgress& progress);

}  // namespace zhibu::exchange
