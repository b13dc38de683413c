#include "platform/db/migrations.h"

#include <gtest/gtest.h>

namespace zhibu::db {
namespace {

std::vector<EmbeddedFile> Files() {
  static const std::vector<EmbeddedFile> files = {
      {"sqlite/0001_create.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);"},
      {"postgres/0001_create.sql", "CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT);"},
      {"sqlite/0002_column.sql", "ALTER TABLE t ADD COLUMN note TEXT;"},
      {"postgres/0002_column.sql", "ALTER TABLE t ADD COLUMN note TEXT;"},
  };
  return files;
}

std::unique_ptr<Database> Memory() { return Database::Open("sqlite::memory:").value(); }

TEST(MigrationsFromFilesTest, PairsBackendsInVersionOrder) {
  auto ms = MigrationsFromFiles("m", Files());
  ASSERT_EQ(ms.size(), 2u);
  EXPECT_EQ(ms[0].version, 1);
  EXPECT_EQ(ms[0].title, "create");
  EXPECT_NE(ms[0].sqlite_sql.find("INTEGER"), std::string::npos);
  EXPECT_NE(ms[0].postgres_sql.find("BIGINT"), std::string::npos);
  EXPECT_EQ(ms[1].title, "column");
}

TEST(MigrationsFromFilesTest, GapsMissingBackendsAndBadNamesAreBuildMistakes) {
  EXPECT_THROW(MigrationsFromFiles("m", {{"sqlite/0001_a.sql", "x"}}), std::logic_error);
  EXPECT_THROW(MigrationsFromFiles("m", {{"sqlite/0002_a.sql", "x"}, {"postgres/0002_a.sql", "x"}}),
               std::logic_error);
  EXPECT_THROW(MigrationsFromFiles("m", {{"sqlite/1_a.sql", "x"}}), std::logic_error);
  EXPECT_THROW(MigrationsFromFiles("m", {{"oracle/0001_a.sql", "x"}}), std::logic_error);
  EXPECT_THROW(MigrationsFromFiles("m", {{"sqlite/0001_a.sql", "x"}, {"postgres/0001_b.sql", "x"}}),
               std::logic_error);
}

TEST(ApplyMigrationsTest, AppliesOnceAndRecordsEach) {
  auto db = Memory();
  auto ms = MigrationsFromFiles("m", Files());
  auto first = ApplyMigrations(*db, ms).value();
  EXPECT_EQ(first.applied.size(), 2u);
  EXPECT_EQ(first.applied[0], "m 0001_create");
  auto second = ApplyMigrations(*db, ms).value();
  EXPECT_TRUE(second.applied.empty());
  EXPECT_EQ(second.already_applied, 2);
  auto inserted = db->Write([](Connection& c) {
    return c.Execute("INSERT INTO t (id, name, note) VALUES ($1, $2, $3)",
                     {std::int64_t{1}, "张三", "x"});
  });
  EXPECT_EQ(inserted.value(), 1);
  EXPECT_TRUE(CheckSchemaCurrent(*db, ms).has_value());
}

TEST(ApplyMigrationsTest, DatabaseNewerThanBinaryIsRefusedAndUntouched) {
  auto db = Memory();
  auto ms = MigrationsFromFiles("m", Files());
  ASSERT_TRUE(ApplyMigrations(*db, ms));
  std::vector<Migration> older(ms.begin(), ms.begin() + 1);
  auto refused = ApplyMigrations(*db, older);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "db.schema_too_new");
  EXPECT_NE(refused.error().message.find("m 0002_column"), std::string::npos);
  auto check = CheckSchemaCurrent(*db, older);
  ASSERT_FALSE(check);
  EXPECT_EQ(check.error().code, "db.schema_too_new");
}

TEST(ApplyMigrationsTest, PendingMigrationsAreReportedByCheck) {
  auto db = Memory();
  auto ms = MigrationsFromFiles("m", Files());
  auto never = CheckSchemaCurrent(*db, ms);
  ASSERT_FALSE(never);
  EXPECT_EQ(never.error().code, "db.schema_outdated");
  std::vector<Migration> older(ms.begin(), ms.begin() + 1);
  ASSERT_TRUE(ApplyMigrations(*db, older));
  EXPECT_EQ(CheckSchemaCurrent(*db, ms).error().code, "db.schema_outdated");
}

TEST(ApplyMigrationsTest, FailingMigrationRollsBackAndNamesItself) {
  auto db = Memory();
  auto ms = MigrationsFromFiles("m", Files());
  ms[1].sqlite_sql = "ALTER TABLE t ADD COLUMN note TEXT; THIS IS NOT SQL;";
  auto failed = ApplyMigrations(*db, ms);
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("m 0002_column"), std::string::npos);
  // 0001 stays applied, 0002 left nothing behind: the column does not exist.
  auto probe = db->Read([](Connection& c) { return c.Query("SELECT note FROM t"); });
  EXPECT_FALSE(probe);
  auto ledger =
      db->Read([](Connection& c) { return c.Query("SELECT COUNT(*) FROM schema_migrations"); });
  EXPECT_EQ(ledger->Int(0, 0), 1);
}

}  // namespace
}  // namespace zhibu::db
