#pragma once
//! A throwaway database for unit tests, on either backend: a SQLite file in a fresh temporary
//! directory, or a fresh database on the PostgreSQL cluster named by ZHIBU_TEST_POSTGRES_URL (the
//! cluster scripts/test starts). The destructor closes it and removes the file or drops the
//! database. Header-only: only test binaries include it.

#include <libpq-fe.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>

#include "platform/db/database.h"

namespace zhibu::db {

class ScratchDatabase {
 public:
  enum class Backend { kSqlite, kPostgres };

  //! The PostgreSQL cluster's URL for tests, or empty (then PostgreSQL tests are skipped).
  static std::string PostgresAdminUrl() {
    const char* v = std::getenv("ZHIBU_TEST_POSTGRES_URL");
    return v == nullptr ? std::string() : std::string(v);
  }

  //! Whether `backend` can be tested here.
  static bool Available(Backend backend) {
    return backend == Backend::kSqlite || !PostgresAdminUrl().empty();
  }

  //! Creates and opens the database; `prefix` names it (letters and underscores). Throws when
  //! the backend is not Available or cannot be reached (a broken test set-up).
  ScratchDatabase(Backend backend, const std::string& prefix) {
    std::mt19937_64 rng{std::random_device{}()};
    std::string suffix = std::to_string(rng() % 1'000'000'000ULL);
    std::string url;
    if (backend == Backend::kPostgres) {
      admin_ = PostgresAdminUrl();
      if (admin_.empty()) throw std::logic_error("ScratchDatabase: ZHIBU_TEST_POSTGRES_URL unset");
      name_ = prefix + "_" + suffix;
      Admin("CREATE DATABASE " + name_);
      url = admin_.substr(0, admin_.rfind('/') + 1) + name_;
    } else {
      dir_ = std::filesystem::temp_directory_path() / ("zhibu-" + prefix + "-" + suffix);
      std::filesystem::create_directories(dir_);
      url = "sqlite:" + (dir_ / "z.db").string();
    }
    auto opened = Database::Open(url);
    if (!opened) throw std::runtime_error("ScratchDatabase: " + opened.error().message);
    db_ = std::move(*opened);
  }

  ~ScratchDatabase() {
    db_.reset();
    if (!name_.empty()) {
      try {
        Admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
      } catch (const std::exception&) {
        // Left for the cluster's teardown (scripts/test removes the whole cluster).
      }
    }
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  Database& db() { return *db_; }

 private:
  void Admin(const std::string& sql) const {
    PGconn* c = PQconnectdb(admin_.c_str());
    bool ok = PQstatus(c) == CONNECTION_OK;
    std::string message = PQerrorMessage(c);
    if (ok) {
      PGresult* r = PQexec(c, sql.c_str());
      ok = PQresultStatus(r) == PGRES_COMMAND_OK;
      message = PQerrorMessage(c);
      PQclear(r);
    }
    PQfinish(c);
    if (!ok) throw std::runtime_error("ScratchDatabase: " + sql + ": " + message);
  }

  std::string admin_;
  std::string name_;
  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

}  // namespace zhibu::db
