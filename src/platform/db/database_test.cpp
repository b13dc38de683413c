// The database contract, checked on every backend: SQLite always, PostgreSQL when
// ZHIBU_TEST_POSTGRES_URL names a cluster (scripts/test starts one).
#include "platform/db/database.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <filesystem>
#include <limits>
#include <random>
#include <thread>

namespace zhibu::db {
namespace {

enum class Kind { kSqlite, kPostgres };

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

void Admin(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  PGresult* r = PQexec(c, sql.c_str());
  EXPECT_EQ(PQresultStatus(r), PGRES_COMMAND_OK) << PQerrorMessage(c);
  PQclear(r);
  PQfinish(c);
}

class DatabaseTest : public ::testing::TestWithParam<Kind> {
 protected:
  void SetUp() override {
    std::mt19937_64 rng{std::random_device{}()};
    std::string suffix = std::to_string(rng() % 1'000'000'000ULL);
    if (GetParam() == Kind::kPostgres) {
      admin_ = Env("ZHIBU_TEST_POSTGRES_URL");
      if (admin_.empty()) GTEST_SKIP() << "set ZHIBU_TEST_POSTGRES_URL to test PostgreSQL";
      name_ = "zhibu_unit_" + suffix;
      Admin(admin_, "CREATE DATABASE " + name_);
      url_ = admin_.substr(0, admin_.rfind('/') + 1) + name_;
    } else {
      dir_ = std::filesystem::temp_directory_path() / ("zhibu-db-" + suffix);
      std::filesystem::create_directories(dir_);
      url_ = "sqlite:" + (dir_ / "t.db").string();
    }
    db_ = Database::Open(url_).value();
    std::string blob_type = postgres() ? "BYTEA" : "BLOB";
    ASSERT_TRUE(db_->Write([&](Connection& c) {
      return c.ExecuteScript(
          "CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT, amount BIGINT, ratio DOUBLE "
          "PRECISION, "
          "data " +
          blob_type +
          ");"
          "CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL);"
          "INSERT INTO counter VALUES (1, 0);");
    }));
  }
  void TearDown() override {
    db_.reset();
    if (!name_.empty()) Admin(admin_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  bool postgres() const { return GetParam() == Kind::kPostgres; }

  std::int64_t Count() {
    return db_->Read([](Connection& c) { return c.Query("SELECT COUNT(*) FROM t"); })->Int(0, 0);
  }

  std::string admin_, name_, url_;
  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

TEST_P(DatabaseTest, EveryValueKindRoundTrips) {
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  const std::int64_t small = std::numeric_limits<std::int64_t>::min();
  std::string bytes("\0\x01\xff\x00z", 5);
  ASSERT_TRUE(db_->Write([&](Connection& c) -> Result<void> {
    for (auto row : {std::vector<Value>{std::int64_t{1}, "张三·阿依古丽", big, 0.1, Blob{bytes}},
                     std::vector<Value>{std::int64_t{2}, "", small, -2.5, Blob{""}},
                     std::vector<Value>{std::int64_t{3}, nullptr, nullptr, nullptr, nullptr}}) {
      auto ok =
          c.Execute("INSERT INTO t (id, name, amount, ratio, data) VALUES ($1,$2,$3,$4,$5)", row);
      if (!ok) return Fail(ok.error());
    }
    return {};
  }));
  auto rows = db_->Read([](Connection& c) {
    return c.Query("SELECT id, name, amount, ratio, data FROM t ORDER BY id");
  });
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ(rows->Text(0, 1), "张三·阿依古丽");
  EXPECT_EQ(rows->Int(0, 2), big);
  EXPECT_DOUBLE_EQ(rows->Real(0, 3), 0.1);
  EXPECT_EQ(rows->Bytes(0, 4).bytes, bytes);
  EXPECT_EQ(rows->Text(1, 1), "");
  EXPECT_FALSE(rows->IsNull(1, 1)) << "empty string is not NULL";
  EXPECT_EQ(rows->Int(1, 2), small);
  EXPECT_EQ(rows->Bytes(1, 4).bytes, "");
  for (std::size_t col = 1; col < 5; ++col) EXPECT_TRUE(rows->IsNull(2, col));
  EXPECT_EQ(rows->ColumnIndex("amount"), 2u);
}

TEST_P(DatabaseTest, PlaceholdersOutOfOrderAndRepeated) {
  auto r = db_->Read([](Connection& c) {
    return c.Query("SELECT CAST($2 AS TEXT) AS b, CAST($1 AS TEXT) AS a, CAST($2 AS TEXT) AS b2",
                   {"first", "second"});
  });
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->Text(0, 0), "second");
  EXPECT_EQ(r->Text(0, 1), "first");
  EXPECT_EQ(r->Text(0, 2), "second");
}

TEST_P(DatabaseTest, WriteCommitsAndAFailedWriteRollsBack) {
  ASSERT_TRUE(db_->Write([](Connection& c) {
    return c.Execute("INSERT INTO t (id, name) VALUES ($1, $2)", {std::int64_t{1}, "a"});
  }));
  auto failed = db_->Write([](Connection& c) -> Result<void> {
    auto ok = c.Execute("INSERT INTO t (id, name) VALUES ($1, $2)", {std::int64_t{2}, "b"});
    if (!ok) return Fail(ok.error());
    return Fail(Error::Invalid("test.refused", "refused", "x"));
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, "test.refused");
  EXPECT_EQ(Count(), 1);
}

TEST_P(DatabaseTest, AThrowingWriteRollsBackAndRethrows) {
  EXPECT_THROW((void)db_->Write([](Connection& c) -> Result<void> {
    (void)c.Execute("INSERT INTO t (id, name) VALUES ($1, $2)", {std::int64_t{9}, "x"});
    throw std::runtime_error("bug");
  }),
               std::runtime_error);
  EXPECT_EQ(Count(), 0);
  // The connection is still usable afterwards.
  EXPECT_TRUE(db_->Write([](Connection& c) {
    return c.Execute("INSERT INTO t (id) VALUES ($1)", {std::int64_t{10}});
  }));
}

TEST_P(DatabaseTest, UniqueViolationIsAConflict) {
  auto insert = [&] {
    return db_->Write([](Connection& c) {
      return c.Execute("INSERT INTO t (id) VALUES ($1)", {std::int64_t{1}});
    });
  };
  ASSERT_TRUE(insert());
  auto again = insert();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "db.unique_violation");
  EXPECT_EQ(HttpStatusFor(again.error().kind), 409);
}

TEST_P(DatabaseTest, BulkInsertLoadsAwkwardTextExactly) {
  std::vector<std::vector<Value>> rows;
  for (std::int64_t i = 0; i < 10'000; ++i) {
    Value name = i % 7 == 0 ? Value{nullptr} : Value{"党员\t" + std::to_string(i) + "\n\\N\\\r末"};
    rows.push_back({i, name, i * 100, nullptr, Blob{std::string("\x00\t\n", 3)}});
  }
  std::vector<std::string> columns = {"id", "name", "amount", "ratio", "data"};
  auto loaded = db_->Write([&](Connection& c) {
    VectorRowSource source(rows);
    return c.BulkInsert("t", columns, source);
  });
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(*loaded, 10'000);
  auto back = db_->Read([](Connection& c) {
    return c.Query("SELECT name, amount, data FROM t WHERE id = $1 OR id = $2 ORDER BY id",
                   {std::int64_t{7}, std::int64_t{9998}});
  });
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->IsNull(0, 0));
  EXPECT_EQ(back->Text(1, 0), "党员\t9998\n\\N\\\r末");
  EXPECT_EQ(back->Int(1, 1), 999'800);
  EXPECT_EQ(back->Bytes(1, 2).bytes, std::string("\x00\t\n", 3));
}

TEST_P(DatabaseTest, BulkInsertInAFailedWriteLeavesNothing) {
  std::vector<std::vector<Value>> rows;
  for (std::int64_t i = 0; i < 100; ++i) rows.push_back({i, "x"});
  std::vector<std::string> columns = {"id", "name"};
  auto failed = db_->Write([&](Connection& c) -> Result<void> {
    VectorRowSource source(rows);
    auto ok = c.BulkInsert("t", columns, source);
    if (!ok) return Fail(ok.error());
    return Fail(Error::Invalid("import.bad_row", "第 100 行有误", "row 100"));
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(Count(), 0);
  // A duplicate key inside the load fails the load itself, and nothing stays either.
  rows.push_back({std::int64_t{5}, "dup"});
  auto dup = db_->Write([&](Connection& c) {
    VectorRowSource source(rows);
    return c.BulkInsert("t", columns, source);
  });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, "db.unique_violation");
  EXPECT_EQ(Count(), 0);
  std::vector<std::string> bad_columns = {"id; DROP TABLE t", "name"};
  auto injected = db_->Write([&](Connection& c) {
    VectorRowSource source(rows);
    return c.BulkInsert("t", bad_columns, source);
  });
  ASSERT_FALSE(injected);
  EXPECT_EQ(injected.error().code, "db.identifier_invalid");
}

TEST_P(DatabaseTest, ConcurrentWritersNeverLoseAnUpdate) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto ok = db_->Write([](Connection& c) -> Result<void> {
          auto n = c.Query("SELECT n FROM counter WHERE id = 1 FOR UPDATE");
          if (!n) {  // SQLite has no FOR UPDATE; its writer is serialised anyway
            n = c.Query("SELECT n FROM counter WHERE id = 1");
            if (!n) return Fail(n.error());
          }
          auto set = c.Execute("UPDATE counter SET n = $1 WHERE id = 1", {n->Int(0, 0) + 1});
          if (!set) return Fail(set.error());
          return {};
        });
        if (!ok) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  auto n = db_->Read([](Connection& c) { return c.Query("SELECT n FROM counter WHERE id = 1"); });
  EXPECT_EQ(n->Int(0, 0), 800);
}

TEST_P(DatabaseTest, BackupThenRestoreBringsBackTheOldContents) {
  ASSERT_TRUE(db_->Write([](Connection& c) {
    return c.Execute("INSERT INTO t (id, name) VALUES ($1, $2)", {std::int64_t{1}, "备份前"});
  }));
  std::string file = (std::filesystem::temp_directory_path() /
                      ("zhibu-backup-" + std::to_string(::getpid()) + "-" + name_ + ".bin"))
                         .string();
  ASSERT_TRUE(db_->Backup(file)) << "backup";
  ASSERT_TRUE(db_->Write([](Connection& c) {
    return c.Execute("INSERT INTO t (id, name) VALUES ($1, $2)", {std::int64_t{2}, "备份后"});
  }));
  EXPECT_EQ(Count(), 2);
  auto restored = db_->Restore(file);
  ASSERT_TRUE(restored) << restored.error().message;
  EXPECT_EQ(Count(), 1);
  auto name = db_->Read([](Connection& c) { return c.Query("SELECT name FROM t"); });
  EXPECT_EQ(name->Text(0, 0), "备份前");
  std::filesystem::remove(file);
}

TEST_P(DatabaseTest, ReadsCannotWrite) {
  auto attempt = db_->Read(
      [](Connection& c) { return c.Execute("INSERT INTO t (id) VALUES ($1)", {std::int64_t{1}}); });
  EXPECT_FALSE(attempt);
  EXPECT_EQ(Count(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseTest, ::testing::Values(Kind::kSqlite, Kind::kPostgres),
                         [](const auto& info) {
                           return info.param == Kind::kSqlite ? "Sqlite" : "Postgres";
                         });

TEST(DatabaseOpenTest, BadUrlsAreClearErrors) {
  EXPECT_EQ(Database::Open("sqlite:").error().code, "db.url_invalid");
  EXPECT_EQ(Database::Open("mysql://x").error().code, "db.url_invalid");
  EXPECT_EQ(Database::Open("sqlite:/no/such/dir/x.db").error().code, "db.path_invalid");
  auto down = Database::Open("postgres://nobody:secret@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, "db.unavailable");
  EXPECT_EQ(down.error().message.find("secret"), std::string::npos) << "password leaked";
}

}  // namespace
}  // namespace zhibu::db
