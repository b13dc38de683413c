// The audit trail on both backends: chain, tamper detection, and archiving with an anchor.
#include "platform/audit/audit_trail.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "platform/db/migrations.h"
#include "platform/module/manifest.h"

namespace zhibu::audit {
namespace {

class AuditTrailTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    std::mt19937_64 rng{std::random_device{}()};
    suffix_ = std::to_string(rng() % 1'000'000'000ULL);
    if (GetParam()) {
      admin_ = std::getenv("ZHIBU_TEST_POSTGRES_URL") ? std::getenv("ZHIBU_TEST_POSTGRES_URL") : "";
      if (admin_.empty()) GTEST_SKIP() << "set ZHIBU_TEST_POSTGRES_URL to test PostgreSQL";
      Admin("CREATE DATABASE zhibu_audit_" + suffix_);
      url_ = admin_.substr(0, admin_.rfind('/') + 1) + "zhibu_audit_" + suffix_;
    } else {
      url_ = "sqlite:" +
             (std::filesystem::temp_directory_path() / ("zhibu-audit-" + suffix_ + ".db")).string();
    }
    db_ = db::Database::Open(url_).value();
    ASSERT_TRUE(db::ApplyMigrations(*db_, AllMigrations()));
  }
  void TearDown() override {
    db_.reset();
    if (!admin_.empty()) Admin("DROP DATABASE IF EXISTS zhibu_audit_" + suffix_ + " WITH (FORCE)");
    if (!GetParam()) {
      std::string path = url_.substr(7);
      for (auto ext : {"", "-wal", "-shm"}) std::filesystem::remove(path + ext);
    }
    std::filesystem::remove(ArchiveFile());
  }
  void Admin(const std::string& sql) {
    PGconn* c = PQconnectdb(admin_.c_str());
    PGresult* r = PQexec(c, sql.c_str());
    PQclear(r);
    PQfinish(c);
  }
  std::string ArchiveFile() const {
    return (std::filesystem::temp_directory_path() / ("zhibu-audit-" + suffix_ + ".jsonl"))
        .string();
  }
  void AppendEvents(int n, const std::string& action) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(AppendAlone(
          *db_, {{std::int64_t{7}, "clerk", "branch_secretary", std::int64_t{3}, "10.0.0.1"},
                 action,
                 "thing:" + std::to_string(i),
                 "success",
                 {{"after", {{"n", i}}}}}));
    }
  }

  std::string admin_, url_, suffix_;
  std::unique_ptr<db::Database> db_;
};

TEST_P(AuditTrailTest, ChainVerifiesAndNamesTheFirstChangedEvent) {
  AppendEvents(5, "thing.create");
  auto ok = Verify(*db_).value();
  EXPECT_EQ(ok.events, 5);
  EXPECT_FALSE(ok.first_broken_seq);
  auto page = List(*db_, {.page = 1,
                          .size = 2,
                          .action_prefix = "thing.",
                          .actor = "clerk",
                          .target = "",
                          .result = "",
                          .from = "",
                          .to = ""})
                  .value();
  EXPECT_EQ(page.total, 5);
  ASSERT_EQ(page.events.size(), 2u);
  EXPECT_EQ(page.events[0].seq, 5) << "newest first";
  EXPECT_EQ(page.events[0].prev_hash, page.events[1].hash);
}

TEST_P(AuditTrailTest, ArchivingMovesOldEventsToAFileAndTheChainGoesOn) {
  AppendEvents(4, "thing.create");
  // Retention: 184 days is the floor, and recent events cannot be archived.
  EXPECT_EQ(Archive(*db_, ArchiveFile(), "2026-11-01", "2026-11-23", 30).error().code,
            "audit.retention");
  EXPECT_EQ(Archive(*db_, ArchiveFile(), "2026-11-01", "2026-11-23", 184).error().code,
            "audit.retention");
  // A cutoff far enough ahead that every event so far is "old".
  auto report = Archive(*db_, ArchiveFile(), "2099-01-01", "2099-12-31", 184);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->events, 4);
  EXPECT_EQ(report->through_seq, 4);
  std::ifstream in(ArchiveFile());
  std::string line, last;
  int lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    last = line;
  }
  EXPECT_EQ(lines, 5) << "4 events and the anchor";
  EXPECT_NE(last.find("\"anchor\""), std::string::npos);
  // The live table keeps only the archive event itself; the chain verifies from the anchor.
  auto after = Verify(*db_).value();
  EXPECT_FALSE(after.first_broken_seq) << after.problem;
  EXPECT_EQ(after.events, 1);
  AppendEvents(2, "thing.update");
  EXPECT_FALSE(Verify(*db_)->first_broken_seq);
  // Events newer than the anchor still cannot be removed.
  auto removed = db_->Write([](db::Connection& c) {
    return c.Execute("DELETE FROM audit_event WHERE seq = (SELECT MAX(seq) FROM audit_event)");
  });
  EXPECT_FALSE(removed);
}

TEST_P(AuditTrailTest, ListFiltersByObjectResultTimeAndALiteralActionPrefix) {
  AppendEvents(3, "thing.create");  // targets thing:0, thing:1, thing:2
  ASSERT_TRUE(AppendAlone(*db_, {{std::nullopt, "stranger", "", std::nullopt, "10.0.0.2"},
                                 "auth.login",
                                 "account:9",
                                 "failure",
                                 {}}));
  ASSERT_TRUE(AppendAlone(
      *db_, {{std::int64_t{7}, "clerk", "branch_secretary", std::int64_t{3}, "10.0.0.1"},
             "thing_x.create",
             "thing:9",
             "denied",
             {}}));
  const Query all{.page = 1,
                  .size = 50,
                  .action_prefix = "",
                  .actor = "",
                  .target = "",
                  .result = "",
                  .from = "",
                  .to = ""};
  auto list = [&](auto change) {
    Query q = all;
    change(q);
    return List(*db_, q).value();
  };
  EXPECT_EQ(list([](Query&) {}).total, 5);
  auto one = list([](Query& q) { q.target = "thing:1"; });
  ASSERT_EQ(one.total, 1);
  EXPECT_EQ(one.events[0].target, "thing:1");
  EXPECT_EQ(list([](Query& q) { q.target = "thing:"; }).total, 0) << "the object matches exactly";
  auto failed = list([](Query& q) { q.result = "failure"; });
  ASSERT_EQ(failed.total, 1);
  EXPECT_EQ(failed.events[0].actor, "stranger");
  EXPECT_EQ(list([](Query& q) { q.result = "denied"; }).total, 1);
  // `_` and `%` in the prefix are themselves, not LIKE wildcards.
  auto literal = list([](Query& q) { q.action_prefix = "thing_"; });
  ASSERT_EQ(literal.total, 1);
  EXPECT_EQ(literal.events[0].action, "thing_x.create");
  EXPECT_EQ(list([](Query& q) { q.action_prefix = "thing%"; }).total, 0);
  EXPECT_EQ(list([](Query& q) { q.action_prefix = "thing."; }).total, 3);
  // Time: bounds are inclusive; one second holds the newest event.
  std::string newest = list([](Query&) {}).events[0].at;
  auto second = list([&](Query& q) {
    q.from = TimeBound(newest.substr(0, 19), false, "from").value();
    q.to = TimeBound(newest.substr(0, 19), true, "to").value();
  });
  EXPECT_GE(second.total, 1);
  for (const auto& e : second.events) EXPECT_EQ(e.at, newest);
  EXPECT_EQ(list([](Query& q) { q.to = TimeBound("2000-01-01", true, "to").value(); }).total, 0);
  EXPECT_EQ(list([](Query& q) { q.from = TimeBound("2199-12-31", false, "from").value(); }).total,
            0);
  auto combined = list([](Query& q) {
    q.from = TimeBound("2000-01-01", false, "from").value();
    q.to = TimeBound("2199-12-31", true, "to").value();
    q.actor = "clerk";
    q.result = "success";
  });
  EXPECT_EQ(combined.total, 3);
}

TEST(AuditTimeBound, DatesAndMinutesCoverTheirWholeSpanInShanghaiTime) {
  EXPECT_EQ(TimeBound("2026-03-01", false, "from").value(), "2026-03-01T00:00:00+08:00");
  EXPECT_EQ(TimeBound("2026-03-01", true, "to").value(), "2026-03-01T23:59:59+08:00");
  EXPECT_EQ(TimeBound("2026-03-01T08:30", false, "from").value(), "2026-03-01T08:30:00+08:00");
  EXPECT_EQ(TimeBound("2026-03-01T08:30", true, "to").value(), "2026-03-01T08:30:59+08:00");
  EXPECT_EQ(TimeBound("2026-03-01 08:30:15", true, "to").value(), "2026-03-01T08:30:15+08:00");
  for (const char* bad : {"2026-02-30", "2026-03-01T24:00", "2026-03-01T08:60", "2026-03-01T08",
                          "yesterday", "2026-03-01T08:30:15Z", "2026-03-01T08:30:61", ""}) {
    auto refused = TimeBound(bad, false, "from");
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, "audit.time_invalid") << bad;
    EXPECT_EQ(refused.error().field, "from") << bad;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditTrailTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Postgres" : "Sqlite"; });

}  // namespace
}  // namespace zhibu::audit
