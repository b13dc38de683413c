//! The compliance board on both backends: its red and yellow counts are the compliance engine's
//! findings of the frequency duties for the same subtree and period (the scan `zhibu check` runs),
//! with the stored finding's id in each cell; a 党小组's duty folds into its branch's row; a
//! branch without a committee has no 支委会 cell; rows filter by light, sort and page; bad filters
//! name the field and an organisation outside the scope is not found.

#include "modules/orglife/board.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "modules/compliance/engine.h"
#include "modules/org/subtree_scope.h"
#include "modules/orglife/rules.h"
#include "platform/db/migrations.h"
#include "platform/db/scratch_database.h"
#include "platform/module/manifest.h"

namespace zhibu::orglife {
namespace {

using Backend = db::ScratchDatabase::Backend;
namespace json = boost::json;

constexpr std::string_view kToday = "2026-11-24";

//! T with branches A (a committee since 2020, a 党小组 G) and B (none), and E without members;
//! U with branch C. Records of 2025-12 to 2026-10 with gaps.
class BoardTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (!db::ScratchDatabase::Available(GetParam())) GTEST_SKIP() << "no PostgreSQL test cluster";
    scratch_ = std::make_unique<db::ScratchDatabase>(GetParam(), "zhibu_orglife_board");
    ASSERT_TRUE(db::ApplyMigrations(db(), AllMigrations()).has_value());
    auto built = db().Write([&](db::Connection& c) -> Result<void> {
      t_ = Org(c, std::nullopt, "T", "committee");
      a_ = Org(c, t_, "A", "branch");
      b_ = Org(c, t_, "B", "branch");
      e_ = Org(c, t_, "E", "branch");
      g_ = Org(c, a_, "G", "group");
      u_ = Org(c, std::nullopt, "U", "committee");
      c_ = Org(c, u_, "C", "branch");
      std::int64_t grouped = Member(c, a_);
      std::int64_t other = Member(c, a_);
      Member(c, b_);
      Member(c, c_);
      auto done = c.Execute("UPDATE member SET group_id = $1 WHERE id = $2", {g_, grouped});
      if (!done) return Fail(done.error());
      auto committee = c.Query(
          "INSERT INTO committee (org_id, elected_on, term_years, term_ends_on, created_at) "
          "VALUES ($1, '2020-01-01', 3, '2029-01-01', 'x') RETURNING id",
          {a_});
      if (!committee) return Fail(committee.error());
      // A's two members are its 支委 (they owe each other a 谈心谈话); a third 委员 is not in the
      // registry.
      for (auto [member, name] : std::vector<std::pair<db::Value, std::string>>{
               {grouped, "书记"}, {other, "委员"}, {nullptr, "外单位委员"}}) {
        auto position = c.Execute(
            "INSERT INTO committee_position (committee_id, position, member_id, member_name) "
            "VALUES ($1, 'member', $2, $3)",
            {committee->Int(0, 0), member, name});
        if (!position) return Fail(position.error());
      }
      for (auto [org, kind, days] :
           std::vector<std::tuple<std::int64_t, std::string, std::vector<std::string>>>{
               {a_, "theme_day", {"2026-07-10", "2026-08-10", "2026-10-10"}},
               {a_, "committee_meeting", {"2026-07-05", "2026-08-05", "2026-09-05", "2026-10-05"}},
               {a_, "branch_general_meeting", {"2026-08-20"}},
               {a_, "party_lecture", {"2026-07-10", "2026-10-10"}},
               {a_, "org_life_meeting", {"2025-12-20"}},
               {a_, "member_appraisal", {"2025-12-22"}},
               {b_, "theme_day", {"2026-07-10", "2026-08-10", "2026-09-10"}},
               {g_, "group_meeting", {"2026-07-15"}},
               {c_, "theme_day", {"2026-07-10"}}}) {
        for (const auto& day : days) {
          auto record = c.Execute(
              "INSERT INTO meeting_record (org_id, kind, topic, planned_start, planned_end, "
              "held_on, status, counted, created_at, updated_at) VALUES ($1, $2, '学习', $3, $3, "
              "$4, 'archived', 1, 'x', 'x')",
              {org, kind, day + "T09:00", day});
          if (!record) return Fail(record.error());
        }
      }
      // A withdrawn record does not count.
      auto withdrawn = c.Execute(
          "INSERT INTO meeting_record (org_id, kind, topic, planned_start, planned_end, held_on, "
          "status, counted, created_at, updated_at) VALUES ($1, 'theme_day', '撤回', "
          "'2026-09-10T09:00', '2026-09-10T10:00', '2026-09-10', 'withdrawn', 0, 'x', 'x')",
          {a_});
      if (!withdrawn) return Fail(withdrawn.error());
      return {};
    });
    ASSERT_TRUE(built.has_value()) << built.error().message;
  }

  db::Database& db() { return scratch_->db(); }

  std::int64_t Org(db::Connection& c, std::optional<std::int64_t> parent, const std::string& code,
                   const std::string& kind) {
    auto id = c.Query(
        "INSERT INTO organisation (code, name, kind, domain, parent_id, path, depth, created_at, "
        "updated_at) VALUES ($1, $2, $3, 'rural', $4, '', 0, 'x', 'x') RETURNING id",
        {code, "组织" + code, kind, parent ? db::Value(*parent) : db::Value(nullptr)});
    EXPECT_TRUE(id.has_value()) << id.error().message;
    std::int64_t out = id->Int(0, 0);
    std::string path = (parent ? paths_[*parent] : "/") + std::to_string(out) + "/";
    paths_[out] = path;
    EXPECT_TRUE(c.Execute("UPDATE organisation SET path = $1 WHERE id = $2", {path, out}));
    return out;
  }

  std::int64_t Member(db::Connection& c, std::int64_t org) {
    static int serial = 0;
    ++serial;
    auto id = c.Query(
        "INSERT INTO member (org_id, org_path, name, initials, sex, ethnicity, birth_date, "
        "id_number_cipher, id_number_index, id_number_masked, education, joined_on, confirmed_on, "
        "category, status, status_on, created_at, updated_at) VALUES ($1, $2, $3, 'x', 'male', "
        "'汉族', '1970-01-01', $4, $5, 'x', 'bachelor', '2000-01-01', '2001-01-01', 'rural', "
        "'full', '2001-01-01', 'x', 'x') RETURNING id",
        {org, paths_[org], "党员" + std::to_string(serial), db::Blob{"x"},
         "board" + std::to_string(serial)});
    EXPECT_TRUE(id.has_value()) << id.error().message;
    return id->Int(0, 0);
  }

  Result<json::object> Board(const org::SubtreeScope& scope, BoardQuery query) {
    return db().Read(
        [&](db::Connection& c) { return DutyBoard(c, scope, query, std::string(kToday)); });
  }

  //! The engine's findings of the frequency duties over T for `period`, by severity.
  std::map<std::string, std::int64_t> EngineCounts(const std::string& period) {
    auto found = db().Read([&](db::Connection& c) -> Result<std::vector<compliance::Finding>> {
      auto p = compliance::ParsePeriod(period);
      if (!p) return Fail(p.error());
      return compliance::Scan(c, paths_[t_], *p, std::min(p->last_day, std::string(kToday)));
    });
    EXPECT_TRUE(found.has_value()) << found.error().message;
    std::map<std::string, std::int64_t> out;
    for (const auto& f : found.value_or(std::vector<compliance::Finding>{})) {
      for (const auto& duty : FrequencyDuties()) {
        if (duty.rule_id == f.rule_id) ++out[f.severity];
      }
    }
    return out;
  }

  static const json::object& Row(const json::object& board, std::int64_t org) {
    for (const auto& item : board.at("items").as_array()) {
      if (item.at("org_id").as_int64() == org) return item.as_object();
    }
    static const json::object kNone;
    ADD_FAILURE() << "no row " << org << " in " << json::serialize(board);
    return kNone;
  }

  std::unique_ptr<db::ScratchDatabase> scratch_;
  std::map<std::int64_t, std::string> paths_;
  std::int64_t t_ = 0, a_ = 0, b_ = 0, e_ = 0, g_ = 0, u_ = 0, c_ = 0;
};

TEST_P(BoardTest, ItsRedAndYellowCountsAreTheEnginesFindings) {
  for (const std::string period : {"2026-Q3", "2026-09", "2026-10", "2026-11", "2026-Q4", "2026"}) {
    auto board = Board(org::SubtreeScope::Everything(), {t_, period, "", "", "", 1, 50});
    ASSERT_TRUE(board.has_value()) << board.error().message;
    auto engine = EngineCounts(period);
    const auto& totals = board->at("totals");
    EXPECT_EQ(totals.at("red").as_int64(), engine["red"]) << period;
    EXPECT_EQ(totals.at("yellow").as_int64(), engine["yellow"]) << period;
    std::int64_t red = 0;
    for (const auto& column : board->at("columns").as_array()) {
      red += column.at("totals").at("subjects").at("red").as_int64();
    }
    EXPECT_EQ(red, engine["red"]) << period;
  }
  // The November board has both lights: A's 支委会 and 主题党日 are due soon.
  auto november = Board(org::SubtreeScope::Everything(), {t_, "2026-11", "", "", "", 1, 50});
  ASSERT_TRUE(november.has_value());
  EXPECT_GT(november->at("totals").at("yellow").as_int64(), 0);
  EXPECT_EQ(Row(*november, a_).at("cells").at("committee_meeting").at("light").as_string(),
            "yellow");
  // A's two 支委 have not talked this year: yellow in the fourth quarter, red at the year's end.
  const auto& talks = Row(*november, a_).at("cells").at("heart_to_heart");
  EXPECT_EQ(talks.at("light").as_string(), "yellow");
  EXPECT_EQ(talks.at("due_on").as_string(), "2026-12-31");
  EXPECT_NE(talks.at("message").as_string().find("支委之间尚有 1 对"), std::string::npos)
      << json::serialize(talks);
  auto last_year = Board(org::SubtreeScope::Everything(), {t_, "2025", "", "", "", 1, 50});
  ASSERT_TRUE(last_year.has_value());
  EXPECT_EQ(Row(*last_year, a_).at("cells").at("heart_to_heart").at("light").as_string(), "red");
  EXPECT_EQ(EngineCounts("2025")["red"], last_year->at("totals").at("red").as_int64());
}

TEST_P(BoardTest, CellsSayWhatWasHeldAndMissedAndNameTheStoredFinding) {
  // Store the engine's findings for the quarter, as `zhibu check` does without --dry-run.
  auto stored = db().Write([&](db::Connection& c) -> Result<compliance::ReconcileReport> {
    auto period = compliance::ParsePeriod("2026-Q3");
    auto findings = compliance::Scan(c, paths_[t_], *period, period->last_day);
    if (!findings) return Fail(findings.error());
    return compliance::Persist(c, *findings, paths_[t_], *period, std::string(kToday));
  });
  ASSERT_TRUE(stored.has_value()) << stored.error().message;
  auto board =
      Board(org::SubtreeScope::Of({paths_[t_]}), {std::nullopt, "2026-Q3", "", "", "", 1, 50});
  ASSERT_TRUE(board.has_value()) << board.error().message;
  EXPECT_EQ(board->at("org").at("id").as_int64(), t_) << "the scope's root by default";
  EXPECT_EQ(board->at("period").at("as_of").as_string(), "2026-09-30");
  EXPECT_EQ(board->at("columns").as_array().size(), 8u);
  EXPECT_EQ(board->at("columns").as_array()[7].at("rule_id").as_string(),
            "orglife.heart_to_heart.yearly");
  EXPECT_EQ(board->at("rows").at("total").as_int64(), 2) << "A and B; E has no members";
  EXPECT_EQ(board->at("total").as_int64(), 2);

  const auto& a = Row(*board, a_);
  const auto& theme = a.at("cells").at("theme_day");
  EXPECT_EQ(theme.at("light").as_string(), "red");
  EXPECT_EQ(theme.at("held").as_int64(), 2) << "July and August; the withdrawn one does not count";
  EXPECT_EQ(json::serialize(theme.at("missed")), R"(["2026-09"])");
  EXPECT_EQ(theme.at("last_held").as_string(), "2026-08-10");
  EXPECT_FALSE(theme.at("finding_id").is_null());
  EXPECT_EQ(theme.at("finding_status").as_string(), "open");
  const auto& committee = a.at("cells").at("committee_meeting");
  EXPECT_EQ(committee.at("light").as_string(), "green");
  EXPECT_EQ(committee.at("held").as_int64(), 3);
  EXPECT_TRUE(committee.at("finding_id").is_null());
  // G's 党小组会 folds into A's row.
  const auto& group = a.at("cells").at("group_meeting");
  EXPECT_EQ(group.at("light").as_string(), "red");
  EXPECT_EQ(group.at("held").as_int64(), 1);
  EXPECT_EQ(json::serialize(group.at("missed")), R"(["2026-08","2026-09"])");
  EXPECT_EQ(group.at("groups").at("total").as_int64(), 1);
  EXPECT_EQ(group.at("groups").at("red").as_int64(), 1);
  ASSERT_EQ(group.at("findings").as_array().size(), 1u);
  EXPECT_EQ(group.at("findings").as_array()[0].at("org_id").as_int64(), g_);
  EXPECT_FALSE(group.at("finding_id").is_null());
  EXPECT_EQ(a.at("parent").at("id").as_int64(), t_);

  const auto& b = Row(*board, b_);
  EXPECT_EQ(b.at("cells").at("committee_meeting").at("light").as_string(), "none")
      << "no committee: no 支委会 duty";
  EXPECT_EQ(b.at("cells").at("group_meeting").at("light").as_string(), "none");
  EXPECT_EQ(b.at("cells").at("branch_general_meeting").at("light").as_string(), "red");
  EXPECT_EQ(b.at("counts").at("red").as_int64(), 4);
  EXPECT_EQ(b.at("counts").at("none").as_int64(), 3) << "no committee: no 谈心谈话 judged either";
  EXPECT_EQ(a.at("cells").at("heart_to_heart").at("light").as_string(), "green")
      << "谈心谈话 is due by the year's end and yellow only from October";
  const auto& committee_column = board->at("columns").as_array()[1];
  EXPECT_EQ(committee_column.at("rule_id").as_string(), "orglife.committee_meeting.monthly");
  EXPECT_NE(committee_column.at("source").as_string().find("第十二条"), std::string::npos);
  EXPECT_EQ(committee_column.at("totals").at("rows").at("none").as_int64(), 1);
  EXPECT_EQ(board->at("columns").as_array()[2].at("subjects").as_string(), "group");
}

TEST_P(BoardTest, RowsFilterByLightSortAndPage) {
  auto ids = [&](BoardQuery q) {
    auto board = Board(org::SubtreeScope::Everything(), std::move(q));
    EXPECT_TRUE(board.has_value()) << board.error().message;
    std::vector<std::int64_t> out;
    if (!board) return out;
    for (const auto& item : board->at("items").as_array())
      out.push_back(item.at("org_id").as_int64());
    return out;
  };
  EXPECT_EQ(ids({t_, "2026-Q3", "", "", "", 1, 50}), (std::vector<std::int64_t>{a_, b_}));
  EXPECT_EQ(ids({t_, "2026-Q3", "", "", "worst", 1, 50}), (std::vector<std::int64_t>{b_, a_}))
      << "B has four red cells, A two";
  EXPECT_EQ(ids({t_, "2026-Q3", "", "", "worst", 2, 1}), (std::vector<std::int64_t>{a_}));
  EXPECT_EQ(ids({t_, "2026-Q3", "green", "", "", 1, 50}), std::vector<std::int64_t>{});
  EXPECT_EQ(ids({t_, "2026-Q3", "none", "committee_meeting", "", 1, 50}),
            (std::vector<std::int64_t>{b_}));
  EXPECT_EQ(ids({t_, "2026-Q3", "green", "committee_meeting", "", 1, 50}),
            (std::vector<std::int64_t>{a_}));
  EXPECT_EQ(ids({std::nullopt, "2026-Q3", "", "", "", 1, 50}).size(), 2u)
      << "the whole deployment's first root is T";

  auto field_of = [&](const org::SubtreeScope& scope, BoardQuery q) {
    auto board = Board(scope, std::move(q));
    EXPECT_FALSE(board.has_value());
    return board ? std::string() : board.error().field;
  };
  auto all = org::SubtreeScope::Everything();
  EXPECT_EQ(field_of(all, {t_, "2026-13", "", "", "", 1, 50}), "period");
  EXPECT_EQ(field_of(all, {t_, "2026-Q3", "purple", "", "", 1, 50}), "light");
  EXPECT_EQ(field_of(all, {t_, "2026-Q3", "red", "picnic", "", 1, 50}), "duty");
  EXPECT_EQ(field_of(all, {t_, "2026-Q3", "", "", "name", 1, 50}), "sort");
  auto outside = Board(org::SubtreeScope::Of({paths_[t_]}), {c_, "2026-Q3", "", "", "", 1, 50});
  ASSERT_FALSE(outside.has_value());
  EXPECT_EQ(outside.error().kind, ErrorKind::kNotFound);
}

TEST_P(BoardTest, EveryWayOfReadingTheRecordsGivesTheEnginesCounts) {
  // The duties read a subtree's records organisation by organisation up to 300 organisations,
  // through the subtree's paths above, and for a whole tree from the index alone: a 党委 S of 320
  // branches under T, every fifth without its 主题党日 of September, every seventh without its
  // 支部党员大会 of the quarter.
  std::int64_t s = 0;
  auto built = db().Write([&](db::Connection& c) -> Result<void> {
    s = Org(c, t_, "S", "committee");
    for (int i = 0; i < 320; ++i) {
      std::int64_t branch = Org(c, s, "S" + std::to_string(i), "branch");
      Member(c, branch);
      std::vector<std::pair<std::string, std::string>> records = {{"theme_day", "2026-07-10"},
                                                                  {"theme_day", "2026-08-10"},
                                                                  {"party_lecture", "2026-08-01"}};
      if (i % 5 != 0) records.emplace_back("theme_day", "2026-09-10");
      if (i % 7 != 0) records.emplace_back("branch_general_meeting", "2026-09-20");
      for (const auto& [kind, day] : records) {
        auto done = c.Execute(
            "INSERT INTO meeting_record (org_id, kind, topic, planned_start, planned_end, "
            "held_on, status, counted, created_at, updated_at) VALUES ($1, $2, '学习', $3, $3, "
            "$4, 'accepted', 1, 'x', 'x')",
            {branch, kind, day + "T09:00", day});
        if (!done) return Fail(done.error());
      }
    }
    return {};
  });
  ASSERT_TRUE(built.has_value()) << built.error().message;
  for (std::int64_t root : {t_, s, a_}) {
    for (const std::string period : {"2026-Q3", "2026-09", "2026-11"}) {
      auto board = Board(org::SubtreeScope::Everything(), {root, period, "", "", "", 1, 50});
      ASSERT_TRUE(board.has_value()) << board.error().message;
      auto engine = db().Read([&](db::Connection& c) -> Result<std::vector<compliance::Finding>> {
        auto p = compliance::ParsePeriod(period);
        return compliance::Scan(c, paths_[root], *p, std::min(p->last_day, std::string(kToday)));
      });
      ASSERT_TRUE(engine.has_value()) << engine.error().message;
      std::map<std::string, std::map<std::string, std::int64_t>> found;
      for (const auto& f : *engine) ++found[f.rule_id][f.severity];
      for (const auto& column : board->at("columns").as_array()) {
        std::string rule(column.at("rule_id").as_string());
        const auto& subjects = column.at("totals").at("subjects");
        EXPECT_EQ(subjects.at("red").as_int64(), found[rule]["red"]) << root << period << rule;
        EXPECT_EQ(subjects.at("yellow").as_int64(), found[rule]["yellow"])
            << root << period << rule;
      }
    }
  }
  // S's quarter: 64 branches missed September's 主题党日, 46 the quarter's 支部党员大会.
  auto quarter = Board(org::SubtreeScope::Everything(), {s, "2026-Q3", "", "", "", 1, 50});
  ASSERT_TRUE(quarter.has_value());
  EXPECT_EQ(quarter->at("rows").at("total").as_int64(), 320);
  for (const auto& column : quarter->at("columns").as_array()) {
    std::int64_t red = column.at("totals").at("subjects").at("red").as_int64();
    if (column.at("id").as_string() == "theme_day") {
      EXPECT_EQ(red, 64);
    }
    if (column.at("id").as_string() == "branch_general_meeting") {
      EXPECT_EQ(red, 46);
    }
    if (column.at("id").as_string() == "party_lecture") {
      EXPECT_EQ(red, 0);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, BoardTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) {
                           return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace zhibu::orglife
