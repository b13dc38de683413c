#pragma once
//! Numbered schema migrations per module and per backend, applied in order at start and by
//! `zhibu migrate`, recorded in `schema_migrations`. A database that records a migration this
//! binary does not know (it was written by a newer Zhibu) is refused rather than touched.

#include <cstdint>
#include <string>
#include <vector>

#include "platform/db/database.h"
#include "platform/util/embedded.h"

namespace zhibu::db {

//! One migration of one module: the same change written for each backend.
struct Migration {
  std::string module;
  int version = 0;         //!< 1, 2, 3 … within the module, from the file name `0001_title.sql`.
  std::string title;       //!< `title` from the file name.
  std::string sqlite_sql;  //!< contents of migrations/sqlite/NNNN_title.sql
  std::string postgres_sql;  //!< contents of migrations/postgres/NNNN_title.sql
};

//! Builds a module's migrations from its embedded `sqlite/NNNN_title.sql` and
//! `postgres/NNNN_title.sql` files. Every version must exist for both backends with the same title,
//! and versions must run 1, 2, 3 … without gaps; anything else is a build mistake and throws
//! std::logic_error.
std::vector<Migration> MigrationsFromFiles(const std::string& module,
                                           const std::vector<EmbeddedFile>& files);

//! What `ApplyMigrations` did.
struct MigrationReport {
  std::vector<std::string> applied;  //!< "module 0001_title" for each migration applied now.
  int already_applied = 0;
};

//! Applies every pending migration, each in its own transaction. Fails with
//! `db.schema_too_new` when the database holds a migration not in `known` (written by a newer
//! binary), naming it, and changes nothing.
Result<MigrationReport> ApplyMigrations(Database& db, const std::vector<Migration>& known);

//! Checks without changing anything: fails with `db.schema_too_new` as above, or with
//! `db.schema_outdated` when migrations are pending.
Result<void> CheckSchemaCurrent(Database& db, const std::vector<Migration>& known);

}  // namespace zhibu::db
