#pragma once
//! The running product: a database, migrated, and a router holding the platform's routes and
//! every module's. `zhibu serve` puts a `http::Server` in front of it; tests use it directly.

#include <memory>
#include <set>
#include <string>

#include "platform/auth/identity.h"
#include "platform/db/database.h"
#include "platform/http/pipeline.h"
#include "platform/http/router.h"

namespace zhibu {

struct ApplicationOptions {
  std::string db_url = "sqlite:zhibu.db";
  db::DatabaseOptions db_options;
  std::set<std::string> enabled_optional_modules;  //!< e.g. {"diagnostics"}
  bool migrate = true;  //!< apply pending migrations at start (else refuse an outdated schema)
  auth::AuthSettings auth;
  //! The field-encryption key file (created with one fresh key when missing and the database has
  //! recorded no key yet). Never inside the database: `zhibu backup` does not copy it, so back it
  //! up separately. Every server on one database must use the same file (CheckKeysMatchDatabase).
  std::string key_file = "zhibu.key";
};

//! The default key file for a database URL: `$ZHIBU_KEY_FILE`, else beside the SQLite file
//! (`PATH.key`), else `zhibu.key` in the working directory.
std::string DefaultKeyFile(const std::string& db_url);

class Application {
 public:
  //! Opens the database, applies (or checks) migrations, loads the key file and checks it against
  //! the keys the database has seen, and registers every route. Fails with the database's error,
  //! `db.schema_too_new`, `crypto.key_file_missing` / `crypto.key_mismatch` /
  //! `crypto.key_version_missing` (field `key-file`), or `module.unknown` for an enabled module
  //! that does not exist or is not optional.
  static Result<std::unique_ptr<Application>> Create(const ApplicationOptions& options);

  db::Database& db() { return *db_; }
  auth::IdentityService& identity() { return *identity_; }
  const crypto::FieldCipher& cipher() const { return *cipher_; }
  std::shared_ptr<const http::Router> router() const { return router_; }

  //! The request pipeline (standard middleware around the router, then `static_files`); access
  //! lines go to `access_log` when given.
  http::Handler Pipeline(std::shared_ptr<const http::StaticFiles> static_files,
                         std::shared_ptr<http::AccessLog> access_log = nullptr) const;

  //! On a database without accounts: creates the three demo administrators (printing their one-time
  //! passwords), then runs every module's demo loader. Answers the lines to print. Servers starting
  //! at once on one database take turns (a PostgreSQL advisory lock, or a lock on `FILE.demo-lock`
  //! beside a SQLite file): the first loads, the others find the demo loaded.
  Result<std::vector<std::string>> LoadDemo();

 private:
  Application(std::unique_ptr<db::Database> db, std::shared_ptr<http::Router> router,
              const auth::AuthSettings& auth, std::unique_ptr<crypto::FieldCipher> cipher)
      : db_(std::move(db)),
        cipher_(std::move(cipher)),
        identity_(std::make_unique<auth::IdentityService>(*db_, auth)),
        router_(std::move(router)) {
    identity_->set_cipher(cipher_.get());
  }
  void RegisterPlatformRoutes(http::Router& router);
  Result<std::vector<std::string>> LoadDemoNow();

  std::unique_ptr<db::Database> db_;
  std::unique_ptr<crypto::FieldCipher> cipher_;
  std::unique_ptr<auth::IdentityService> identity_;
  std::shared_ptr<http::Router> router_;
  std::string db_url_;
};

}  // namespace zhibu
