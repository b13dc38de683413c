#include "platform/db/migrations.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "platform/util/clock.h"

namespace zhibu::db {
namespace {

constexpr std::string_view kCreateLedger =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " module TEXT NOT NULL, version INTEGER NOT NULL, title TEXT NOT NULL,"
    " applied_at TEXT NOT NULL, PRIMARY KEY (module, version))";
constexpr std::string_view kSelectApplied = "SELECT module, version, title FROM schema_migrations";
constexpr std::string_view kSelectOne =
    "SELECT 1 FROM schema_migrations WHERE module = $1 AND version = $2";
constexpr std::string_view kInsertApplied =
    "INSERT INTO schema_migrations (module, version, title, applied_at) VALUES ($1, $2, $3, $4)";
//! Several servers may start at once on one PostgreSQL database: they take turns.
constexpr std::string_view kPostgresMigrationLock = "SELECT pg_advisory_xact_lock(727368)";

std::string Label(const std::string& module, int version, const std::string& title) {
  return fmt::format("{} {:04}_{}", module, version, title);
}

struct AppliedRow {
  std::string module;
  int version;
  std::string title;
};

//! The migrations recorded in the ledger. With `ledger_may_be_missing`, a database without a
//! ledger (never migrated) answers an empty list.
Result<std::vector<AppliedRow>> ReadApplied(Database& db, bool ledger_may_be_missing) {
  return db.Read([&](Connection& c) -> Result<std::vector<AppliedRow>> {
    auto rows = c.Query(kSelectApplied);
    if (!rows && ledger_may_be_missing) return std::vector<AppliedRow>{};
    if (!rows) return Fail(rows.error());
    std::vector<AppliedRow> out;
    for (std::size_t i = 0; i < rows->size(); ++i) {
      out.push_back({rows->Text(i, 0), static_cast<int>(rows->Int(i, 1)), rows->Text(i, 2)});
    }
    return out;
  });
}

Result<void> EnsureLedger(Database& db) {
  return db.Write([](Connection& c) -> Result<void> {
    if (c.backend() == Backend::kPostgres) {
      if (auto ok = c.Query(kPostgresMigrationLock); !ok) return Fail(ok.error());
    }
    if (auto ok = c.Execute(kCreateLedger); !ok) return Fail(ok.error());
    return {};
  });
}

//! Fails when the database holds a migration `known` lacks.
Result<void> RefuseNewer(const std::vector<AppliedRow>& applied,
                         const std::vector<Migration>& known) {
  std::set<std::pair<std::string, int>> have;
  for (const auto& m : known) have.emplace(m.module, m.version);
  for (const auto& a : applied) {
    if (!have.contains({a.module, a.version})) {
      return Fail(Error::Conflict("db.schema_too_new",
                                  "数据库由更新版本的 Zhibu 写入（含本程序不认识的迁移 " +
                                      Label(a.module, a.version, a.title) +
                                      "），请升级程序后再使用此数据库",
                                  "db"));
    }
  }
  return {};
}

}  // namespace

std::vector<Migration> MigrationsFromFiles(const std::string& module,
                                           const std::vector<EmbeddedFile>& files) {
  // version -> (title, sqlite, postgres)
  std::map<int, Migration> by_version;
  for (const auto& file : files) {
    std::string_view path = file.path;
    auto slash = path.find('/');
    if (slash == std::string_view::npos) {
      throw std::logic_error("migration outside sqlite/ or postgres/: " + std::string(path));
    }
    std::string_view backend = path.substr(0, slash);
    std::string_view name = path.substr(slash + 1);
    if (name.size() < 10 || name.substr(4, 1) != "_" || !name.ends_with(".sql")) {
      throw std::logic_error("migration file must be NNNN_title.sql: " + std::string(path));
    }
    int version = std::stoi(std::string(name.substr(0, 4)));
    std::string title(name.substr(5, name.size() - 9));
    Migration& m = by_version[version];
    if (m.module.empty()) {
      m.module = module;
      m.version = version;
      m.title = title;
    } else if (m.title != title) {
      throw std::logic_error("migration " + std::to_string(version) + " of " + module +
                             " has different titles per backend");
    }
    if (backend == "sqlite") {
      m.sqlite_sql = std::string(file.contents);
    } else if (backend == "postgres") {
      m.postgres_sql = std::string(file.contents);
    } else {
      throw std::logic_error("unknown migration backend folder: " + std::string(backend));
    }
  }
  std::vector<Migration> out;
  int expected = 1;
  for (auto& [version, m] : by_version) {
    if (version != expected++) {
      throw std::logic_error("migrations of " + module +
                             " must be numbered 1, 2, 3 … without gaps");
    }
    if (m.sqlite_sql.empty() || m.postgres_sql.empty()) {
      throw std::logic_error("migration " + Label(module, version, m.title) +
                             " must exist for both sqlite and postgres");
    }
    out.push_back(std::move(m));
  }
  return out;
}

Result<MigrationReport> ApplyMigrations(Database& db, const std::vector<Migration>& known) {
  if (auto ok = EnsureLedger(db); !ok) return Fail(ok.error());
  auto applied = ReadApplied(db, false);
  if (!applied) return Fail(applied.error());
  if (auto ok = RefuseNewer(*applied, known); !ok) return Fail(ok.error());

  std::set<std::pair<std::string, int>> done;
  for (const auto& a : *applied) done.emplace(a.module, a.version);
  MigrationReport report;
  report.already_applied = static_cast<int>(applied->size());
  for (const auto& m : known) {
    if (done.contains({m.module, m.version})) continue;
    auto ran = db.Write([&](Connection& c) -> Result<bool> {
      if (c.backend() == Backend::kPostgres) {
        if (auto ok = c.Query(kPostgresMigrationLock); !ok) return Fail(ok.error());
      }
      // Another server may have applied it while we waited for the lock.
      auto exists = c.Query(kSelectOne, {m.module, std::int64_t{m.version}});
      if (!exists) return Fail(exists.error());
      if (!exists->empty()) return false;
      const std::string& sql = c.backend() == Backend::kSqlite ? m.sqlite_sql : m.postgres_sql;
      if (auto ok = c.ExecuteScript(sql); !ok) {
        Error e = ok.error();
        e.message = "迁移 " + Label(m.module, m.version, m.title) + " 失败：" + e.message;
        return Fail(std::move(e));
      }
      auto recorded =
          c.Execute(kInsertApplied, {m.module, std::int64_t{m.version}, m.title, NowShanghaiIso()});
      if (!recorded) return Fail(recorded.error());
      return true;
    });
    if (!ran) return Fail(ran.error());
    if (*ran) {
      report.applied.push_back(Label(m.module, m.version, m.title));
    } else {
      ++report.already_applied;
    }
  }
  return report;
}

Result<void> CheckSchemaCurrent(Database& db, const std::vector<Migration>& known) {
  auto applied = ReadApplied(db, true);
  if (!applied) return Fail(applied.error());
  if (auto ok = RefuseNewer(*applied, known); !ok) return Fail(ok.error());
  if (applied->size() < known.size()) {
    return Fail(Error::Conflict("db.schema_outdated",
                                "数据库有 " + std::to_string(known.size() - applied->size()) +
                                    " 个待执行的迁移，请先运行 zhibu migrate",
                                "db"));
  }
  return {};
}

}  // namespace zhibu::db
