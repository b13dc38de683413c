//! The compliance engine on the demo county: the catalogue equals docs/rules.md and every rule
//! names its source; the same data gives byte-identical findings; stored findings are resolved by
//! the data changing, never by hand; the incremental rescan follows the changes modules record.

#include "modules/compliance/engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "modules/member/demo.h"
#include "modules/member/demo_for_tests.h"
#include "modules/member/member_store.h"
#include "platform/db/migrations.h"
#include "platform/db/scratch_database.h"
#include "platform/module/manifest.h"
#include "platform/settings/settings.h"

namespace zhibu::compliance {
namespace {

constexpr std::string_view kToday = "2026-11-23";

class EngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("zhibu-compliance-" + std::to_string(::getpid())));
    std::filesystem::create_directories(*dir_);
    cipher_ = new crypto::FieldCipher({{1, std::string(32, 'k')}});
    member::InstallTreeHooks();
    auto copy = member::OpenDemoCopy(*dir_ / "z.db", *cipher_, "1:" + std::string(32, 'k'),
                                     member::CountyScale(), "county", 11, std::string(kToday));
    ASSERT_TRUE(copy.has_value()) << copy.error().message;
    db_ = copy->db.release();
    root_path_ = new std::string(Read("SELECT path FROM organisation WHERE parent_id IS NULL"));
  }
  static void TearDownTestSuite() {
    delete db_;
    delete cipher_;
    delete root_path_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  static std::string Read(const std::string& sql) {
    auto v = db_->Read([&](db::Connection& c) -> Result<std::string> {
      auto rows = c.Query(sql, {});
      if (!rows) return Fail(rows.error());
      if (rows->empty()) return std::string();
      return rows->Text(0, 0);
    });
    return v.value_or("");
  }

  static std::string Lines(const std::string& path) {
    auto text = db_->Read([&](db::Connection& c) -> Result<std::string> {
      Period period = MonthOf(kToday);
      auto findings = Scan(c, path, period, std::string(kToday));
      if (!findings) return Fail(findings.error());
      std::string out;
      for (const auto& f : *findings) out += FindingLine(f, period.id) + "\n";
      return out;
    });
    EXPECT_TRUE(text.has_value());
    return text.value_or("");
  }

  static std::filesystem::path* dir_;
  static db::Database* db_;
  static crypto::FieldCipher* cipher_;
  static std::string* root_path_;
};
std::filesystem::path* EngineTest::dir_ = nullptr;
db::Database* EngineTest::db_ = nullptr;
crypto::FieldCipher* EngineTest::cipher_ = nullptr;
std::string* EngineTest::root_path_ = nullptr;

TEST(CatalogueTest, EveryRuleHasASourceAndDocsRulesMdIsTheCatalogue) {
  ASSERT_FALSE(AllRules().empty());
  for (const auto& r : AllRules()) {
    EXPECT_FALSE(r.spec->source.empty()) << r.spec->id;
    EXPECT_FALSE(r.spec->title.empty()) << r.spec->id;
    EXPECT_FALSE(r.module.empty()) << r.spec->id;
  }
  std::ifstream file(std::string(ZHIBU_SOURCE_DIR) + "/docs/rules.md");
  ASSERT_TRUE(file.good()) << "docs/rules.md is missing: run `zhibu rules --markdown`";
  std::stringstream text;
  text << file.rdbuf();
  EXPECT_EQ(text.str(), CatalogueMarkdown())
      << "docs/rules.md differs from the registered rules: regenerate it with `zhibu rules "
         "--markdown > docs/rules.md`";
  EXPECT_EQ(CatalogueJson().size(), AllRules().size());
}

TEST(PeriodTest, MonthsQuartersYears) {
  EXPECT_EQ(ParsePeriod("2026-02")->last_day, "2026-02-28");
  EXPECT_EQ(ParsePeriod("2024-02")->last_day, "2024-02-29");
  EXPECT_EQ(ParsePeriod("2026-Q4")->first_day, "2026-10-01");
  EXPECT_EQ(ParsePeriod("2026-Q4")->last_day, "2026-12-31");
  EXPECT_EQ(ParsePeriod("2026")->first_day, "2026-01-01");
  for (std::string_view bad : {"2026-13", "2026-Q5", "26-01", "2026-1", "abcd", ""}) {
    auto p = ParsePeriod(bad);
    ASSERT_FALSE(p.has_value()) << bad;
    EXPECT_EQ(p.error().field, "period");
  }
}

// The scheduled scan (spec 07 "daily by default", from the hour of compliance.daily_scan_hour),
// on both backends: the second before the hour nothing runs, at the hour one scan claims the day,
// later the same day nothing runs again, and with the hour changed the next day waits for it. On
// an empty tree, so the claim is what is checked here; what a scan finds is the rest of this file.
class DailyScanTest : public ::testing::TestWithParam<db::ScratchDatabase::Backend> {};

TEST_P(DailyScanTest, RunsOnceADayFromTheHourOfTheSetting) {
  if (!db::ScratchDatabase::Available(GetParam())) GTEST_SKIP() << "no PostgreSQL test cluster";
  db::ScratchDatabase scratch(GetParam(), "zhibu_daily_scan");
  auto& db = scratch.db();
  ASSERT_TRUE(db::ApplyMigrations(db, AllMigrations()).has_value());
  auto latest = [&] {
    auto v = db.Read([](db::Connection& c) { return LatestDailyScan(c); });
    EXPECT_TRUE(v.has_value());
    return v.value_or(nullptr);
  };
  EXPECT_TRUE(latest().is_null());

  auto before = RunDailyScanIfDue(db, "2026-11-23T01:59:59+08:00");
  ASSERT_TRUE(before.has_value()) << before.error().message;
  EXPECT_FALSE(before->has_value());  // the default hour is 2
  auto at = RunDailyScanIfDue(db, "2026-11-23T02:00:00+08:00");
  ASSERT_TRUE(at.has_value()) << at.error().message;
  EXPECT_TRUE(at->has_value());
  auto row = latest();
  ASSERT_TRUE(row.is_object());
  EXPECT_EQ(row.at("run_on").as_string(), "2026-11-23");
  EXPECT_EQ(row.at("started_at").as_string(), "2026-11-23T02:00:00+08:00");
  EXPECT_TRUE(row.at("finished_at").is_string());
  EXPECT_EQ(row.at("found").as_int64(), 0);
  auto again = RunDailyScanIfDue(db, "2026-11-23T23:59:59+08:00");
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_FALSE(again->has_value());

  // The hour is a setting within 0–23: from 22 o'clock, the next day at 21:59:59 waits and 22:00
  // runs.
  auto set = db.Write([](db::Connection& c) {
    return settings::SetInteger(c, audit::Actor{std::nullopt, "test", "", std::nullopt, "local"}, 1,
                                kDailyScanHourSetting, 22);
  });
  ASSERT_TRUE(set.has_value()) << set.error().message;
  auto out_of_bounds = db.Write([](db::Connection& c) {
    return settings::SetInteger(c, audit::Actor{std::nullopt, "test", "", std::nullopt, "local"}, 1,
                                kDailyScanHourSetting, 24);
  });
  ASSERT_FALSE(out_of_bounds.has_value());
  EXPECT_EQ(out_of_bounds.error().field, "value");
  auto early = RunDailyScanIfDue(db, "2026-11-24T21:59:59+08:00");
  ASSERT_TRUE(early.has_value()) << early.error().message;
  EXPECT_FALSE(early->has_value());
  auto next_day = RunDailyScanIfDue(db, "2026-11-24T22:00:00+08:00");
  ASSERT_TRUE(next_day.has_value()) << next_day.error().message;
  EXPECT_TRUE(next_day->has_value());
  EXPECT_EQ(latest().at("run_on").as_string(), "2026-11-24");
}

// Of several servers on one database the first to claim the day scans; a claim whose server died
// while scanning (no finish, no error recorded) is taken over once kDailyScanLeaseHours have
// passed.
TEST_P(DailyScanTest, AnUnfinishedClaimIsTakenOverAfterTheLease) {
  if (!db::ScratchDatabase::Available(GetParam())) GTEST_SKIP() << "no PostgreSQL test cluster";
  db::ScratchDatabase scratch(GetParam(), "zhibu_daily_scan_lease");
  auto& db = scratch.db();
  ASSERT_TRUE(db::ApplyMigrations(db, AllMigrations()).has_value());
  auto claimed = db.Write([](db::Connection& c) {
    return c.Execute(
        "INSERT INTO compliance_scan_run (run_on, started_at) VALUES ('2026-11-23', "
        "'2026-11-23T02:00:00+08:00')");
  });
  ASSERT_TRUE(claimed.has_value()) << claimed.error().message;
  static_assert(kDailyScanLeaseHours == 3);
  auto within = RunDailyScanIfDue(db, "2026-11-23T05:00:00+08:00");
  ASSERT_TRUE(within.has_value()) << within.error().message;
  EXPECT_FALSE(within->has_value()) << "the claiming server may still be scanning";
  auto after = RunDailyScanIfDue(db, "2026-11-23T05:00:01+08:00");
  ASSERT_TRUE(after.has_value()) << after.error().message;
  EXPECT_TRUE(after->has_value());
  auto row = db.Read([](db::Connection& c) { return LatestDailyScan(c); });
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->at("started_at").as_string(), "2026-11-23T05:00:01+08:00");
  EXPECT_TRUE(row->at("finished_at").is_string());
  auto again = RunDailyScanIfDue(db, "2026-11-23T23:59:59+08:00");
  ASSERT_TRUE(again.has_value());
  EXPECT_FALSE(again->has_value()) << "a finished claim is never taken over";
}

INSTANTIATE_TEST_SUITE_P(Backends, DailyScanTest,
                         ::testing::Values(db::ScratchDatabase::Backend::kSqlite,
                                           db::ScratchDatabase::Backend::kPostgres),
                         [](const auto& info) {
                           return info.param == db::ScratchDatabase::Backend::kSqlite ? "Sqlite"
                                                                                      : "Postgres";
                         });

TEST_F(EngineTest, SameDataSameFindings) {
  std::string first = Lines(*root_path_);
  std::string second = Lines(*root_path_);
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(first, second);
  // The demo's deliberate faults are found: small branches and overdue terms.
  EXPECT_NE(first.find("\"rule\":\"org.branch.below_three_full\""), std::string::npos);
  EXPECT_NE(first.find("\"rule\":\"org.committee.term_overdue\""), std::string::npos);
  EXPECT_NE(first.find("\"rule\":\"member.mobile.transfer_due\""), std::string::npos);
}

TEST_F(EngineTest, FindingsAreResolvedByTheDataAndAcknowledgedWithANote) {
  std::string today(kToday);
  // A full scan stores the findings.
  auto stored = db_->Write(
      [&](db::Connection& c) -> Result<ReconcileReport> { return Rescan(c, *root_path_, today); });
  ASSERT_TRUE(stored.has_value()) << stored.error().message;
  EXPECT_GT(stored->opened, 0);
  EXPECT_EQ(stored->resolved, 0);
  // Scanning again changes nothing.
  auto again = db_->Write(
      [&](db::Connection& c) -> Result<ReconcileReport> { return Rescan(c, *root_path_, today); });
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->opened, 0);
  EXPECT_EQ(again->resolved, 0);
  EXPECT_EQ(again->found, stored->found);

  // A member away for more than six months comes home: that finding is resolved by the data,
  // through the change the member store records and the incremental rescan.
  std::string member = Read(
      "SELECT CAST(subject_id AS TEXT) FROM finding WHERE rule_id = 'member.mobile.transfer_due' "
      "AND status = 'open' ORDER BY subject_id LIMIT 1");
  ASSERT_FALSE(member.empty());
  std::int64_t id = std::stoll(member);
  audit::Actor actor{std::nullopt, "test", "", std::nullopt, "local"};
  auto back = db_->Write([&](db::Connection& c) -> Result<boost::json::object> {
    org::Change change{actor, std::nullopt, today, "返乡"};
    return member::SetMobility(c, org::SubtreeScope::Everything(), change, id, {});
  });
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_NE(Read("SELECT COUNT(*) FROM compliance_dirty"), "0");
  auto rescanned = RescanTouched(*db_, today);
  ASSERT_TRUE(rescanned.has_value()) << rescanned.error().message;
  EXPECT_GE(*rescanned, 1);
  EXPECT_EQ(Read("SELECT COUNT(*) FROM compliance_dirty"), "0");
  EXPECT_EQ(Read("SELECT status FROM finding WHERE rule_id = 'member.mobile.transfer_due' AND "
                 "subject_id = " +
                 member),
            "resolved");
  EXPECT_EQ(Read("SELECT resolved_on FROM finding WHERE rule_id = 'member.mobile.transfer_due' "
                 "AND subject_id = " +
                 member),
            today);

  // Acknowledging needs a note, and only an open finding can be acknowledged.
  std::string open_id =
      Read("SELECT CAST(id AS TEXT) FROM finding WHERE status = 'open' ORDER BY id LIMIT 1");
  std::string resolved_id =
      Read("SELECT CAST(id AS TEXT) FROM finding WHERE status = 'resolved' ORDER BY id LIMIT 1");
  auto ack = [&](const std::string& finding, const std::string& note) {
    return db_->Write([&](db::Connection& c) -> Result<boost::json::object> {
      return Acknowledge(c, org::SubtreeScope::Everything(), actor, 1, std::stoll(finding), note);
    });
  };
  auto no_note = ack(open_id, "");
  ASSERT_FALSE(no_note.has_value());
  EXPECT_EQ(no_note.error().field, "note");
  auto done = ack(open_id, "已安排下月换届");
  ASSERT_TRUE(done.has_value()) << done.error().message;
  EXPECT_EQ(done->at("status").as_string(), "acknowledged");
  EXPECT_EQ(ack(resolved_id, "x").error().code, "compliance.not_open");
  // An acknowledged finding stays acknowledged while the data still supports it.
  auto third = db_->Write(
      [&](db::Connection& c) -> Result<ReconcileReport> { return Rescan(c, *root_path_, today); });
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(Read("SELECT status FROM finding WHERE id = " + open_id), "acknowledged");
}

// Hundreds of marks at once (a demo load, a large import) are rescanned by the root they lie
// under, in one scan; a stopping server leaves every mark for its next start.
TEST_F(EngineTest, ManyMarksAreRescannedByTheirRootAndAStopLeavesThemMarked) {
  std::string today(kToday);
  auto marked = db_->Write([&](db::Connection& c) -> Result<std::int64_t> {
    auto rows = c.Query("SELECT path FROM organisation WHERE kind = 'branch' ORDER BY path LIMIT " +
                            std::to_string(kRootRescanAbove + 50),
                        {});
    if (!rows) return Fail(rows.error());
    for (std::size_t i = 0; i < rows->size(); ++i) {
      if (auto t = Touch(c, rows->Text(i, 0)); !t) return Fail(t.error());
    }
    return static_cast<std::int64_t>(rows->size());
  });
  ASSERT_TRUE(marked.has_value()) << marked.error().message;
  ASSERT_GT(static_cast<std::size_t>(*marked), kRootRescanAbove);
  std::string before = Read("SELECT COUNT(*) FROM compliance_dirty");
  EXPECT_GE(std::stoll(before), *marked);

  std::atomic<bool> stopping{true};
  auto stopped = RescanTouched(*db_, today, &stopping);
  ASSERT_TRUE(stopped.has_value()) << stopped.error().message;
  EXPECT_EQ(*stopped, 0);
  EXPECT_EQ(Read("SELECT COUNT(*) FROM compliance_dirty"), before);

  stopping = false;
  auto rescanned = RescanTouched(*db_, today, &stopping);
  ASSERT_TRUE(rescanned.has_value()) << rescanned.error().message;
  EXPECT_EQ(*rescanned, 1);  // the demo county's one root
  EXPECT_EQ(Read("SELECT COUNT(*) FROM compliance_dirty"), "0");
  // And the stored findings are the scan's.
  std::string lines = Lines(*root_path_);
  EXPECT_EQ(Read("SELECT COUNT(*) FROM finding WHERE period = '2026-11' AND status <> 'resolved'"),
            std::to_string(std::count(lines.begin(), lines.end(), '\n')));
}

TEST_F(EngineTest, ASubtreeScanFindsOnlyWhatLiesInside) {
  std::string town = Read(
      "SELECT path FROM organisation WHERE depth = 2 AND status = 'active' ORDER BY id LIMIT 1");
  ASSERT_FALSE(town.empty());
  std::string lines = Lines(town);
  std::string all = Lines(*root_path_);
  // Every line of the town's scan is a line of the whole county's scan.
  std::istringstream in(lines);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    EXPECT_NE(all.find(line + "\n"), std::string::npos) << line;
    ++n;
  }
  EXPECT_LT(n, static_cast<int>(std::count(all.begin(), all.end(), '\n')));
}

// The reconciliation writes in batches (many findings per statement) and leaves unchanged
// findings alone but for the day they were last seen: what it stores must still be, finding for
// finding, what the scan found; a resolved finding found again is reopened with the scan's
// message, and a subject's finding stored outside the subtree (it moved in) is updated in place.
TEST_F(EngineTest, TheReconciliationStoresWhatTheScanFound) {
  std::string today(kToday);
  auto write = [&](const std::string& sql) {
    auto done =
        db_->Write([&](db::Connection& c) -> Result<std::int64_t> { return c.Execute(sql, {}); });
    ASSERT_TRUE(done.has_value()) << done.error().message;
  };
  auto rescan = [&] {
    return db_->Write([&](db::Connection& c) -> Result<ReconcileReport> {
      return Rescan(c, *root_path_, today);
    });
  };
  // The stored findings of the month, and the scan's, as sorted lines.
  auto stored = [&] {
    auto text = db_->Read([&](db::Connection& c) -> Result<std::vector<std::string>> {
      auto rows = c.Query(
          "SELECT rule_id, subject_kind, CAST(subject_id AS TEXT), subject_name, CAST(org_id AS "
          "TEXT), org_path, severity, message, facts, last_seen FROM finding WHERE period = "
          "'2026-11' AND status <> 'resolved'",
          {});
      if (!rows) return Fail(rows.error());
      std::vector<std::string> out;
      for (std::size_t i = 0; i < rows->size(); ++i) {
        std::string line;
        for (std::size_t k = 0; k < 10; ++k) line += rows->Text(i, k) + "|";
        out.push_back(line);
      }
      std::sort(out.begin(), out.end());
      return out;
    });
    EXPECT_TRUE(text.has_value());
    return text.value_or(std::vector<std::string>{});
  };
  auto scanned = [&] {
    auto text = db_->Read([&](db::Connection& c) -> Result<std::vector<std::string>> {
      auto findings = Scan(c, *root_path_, MonthOf(today), today);
      if (!findings) return Fail(findings.error());
      std::vector<std::string> out;
      for (const auto& f : *findings) {
        out.push_back(f.rule_id + "|" + f.subject_kind + "|" + std::to_string(f.subject_id) + "|" +
                      f.subject_name + "|" + std::to_string(f.org_id) + "|" + f.org_path + "|" +
                      f.severity + "|" + f.message + "|" + boost::json::serialize(f.facts) + "|" +
                      today + "|");
      }
      std::sort(out.begin(), out.end());
      return out;
    });
    EXPECT_TRUE(text.has_value());
    return text.value_or(std::vector<std::string>{});
  };
  auto first = rescan();
  ASSERT_TRUE(first.has_value()) << first.error().message;
  std::vector<std::string> expected = scanned();
  ASSERT_GT(expected.size(), 256u);  // more than one batch
  EXPECT_EQ(stored(), expected);

  auto open = [&](int nth) {
    return Read(
        "SELECT CAST(id AS TEXT) FROM finding WHERE period = '2026-11' AND status = "
        "'open' ORDER BY id LIMIT 1 OFFSET " +
        std::to_string(nth));
  };
  std::string reopened = open(0), moved = open(1), seen = open(2);
  ASSERT_FALSE(seen.empty());
  std::string moved_path = Read("SELECT org_path FROM finding WHERE id = " + moved);
  write(
      "UPDATE finding SET status = 'resolved', resolved_on = '2026-11-02', message = 'x', "
      "last_seen = '2026-11-01' WHERE id = " +
      reopened);
  write("UPDATE finding SET org_path = '/0/', last_seen = '2026-11-01' WHERE id = " + moved);
  write("UPDATE finding SET last_seen = '2026-11-01' WHERE id = " + seen);
  auto second = rescan();
  ASSERT_TRUE(second.has_value()) << second.error().message;
  EXPECT_EQ(second->opened, 1);
  EXPECT_EQ(second->resolved, 0);
  EXPECT_EQ(second->found, first->found);
  EXPECT_EQ(Read("SELECT status FROM finding WHERE id = " + reopened), "open");
  EXPECT_EQ(Read("SELECT COALESCE(resolved_on, 'none') FROM finding WHERE id = " + reopened),
            "none");
  EXPECT_EQ(Read("SELECT org_path FROM finding WHERE id = " + moved), moved_path);
  for (const auto& id : {reopened, moved, seen}) {
    EXPECT_EQ(Read("SELECT last_seen FROM finding WHERE id = " + id), today);
  }
  EXPECT_EQ(stored(), expected);
}

}  // namespace
}  // namespace zhibu::compliance
