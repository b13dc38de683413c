//! The review's store on both backends: the checklist (seeded default, items added to a class or a
//! new one, retired and never deleted, every change audited, bad input naming the field), reviews
//! naming checklist items, the queue of a reviewer's subtree, and the problem statistics by class
//! and item, by branch (a 党小组's problems counted for its branch) and by month, limited to the
//! caller's subtree.

#include "modules/orglife/review.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "modules/org/subtree_scope.h"
#include "modules/orglife/meeting_store.h"
#include "platform/db/migrations.h"
#include "platform/db/scratch_database.h"
#include "platform/module/manifest.h"

namespace zhibu::orglife {
namespace {

using Backend = db::ScratchDatabase::Backend;
namespace json = boost::json;

//! Two towns: T with branches A (and its 党小组 G) and B; U with branch C.
class ReviewTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (!db::ScratchDatabase::Available(GetParam())) GTEST_SKIP() << "no PostgreSQL test cluster";
    scratch_ = std::make_unique<db::ScratchDatabase>(GetParam(), "zhibu_orglife_review");
    ASSERT_TRUE(db::ApplyMigrations(db(), AllMigrations()).has_value());
    auto built = db().Write([&](db::Connection& c) -> Result<void> {
      t_ = Org(c, std::nullopt, "T", "committee");
      a_ = Org(c, t_, "A", "branch");
      b_ = Org(c, t_, "B", "branch");
      g_ = Org(c, a_, "G", "group");
      u_ = Org(c, std::nullopt, "U", "committee");
      c_ = Org(c, u_, "C", "branch");
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

  //! A submitted record of `org` held on `day`, submitted at `submitted_at`.
  std::int64_t Submitted(std::int64_t org, const std::string& kind, const std::string& day,
                         const std::string& submitted_at) {
    auto id = db().Write([&](db::Connection& c) -> Result<std::int64_t> {
      auto row = c.Query(
          "INSERT INTO meeting_record (org_id, kind, topic, planned_start, planned_end, "
          "actual_start, actual_end, held_on, status, counted, created_at, updated_at, "
          "submitted_at) VALUES ($1, $2, '学习', $3, $4, $3, $4, $5, 'submitted', 1, 'x', 'x', $6) "
          "RETURNING id",
          {org, kind, day + "T09:00", day + "T10:00", day, submitted_at});
      if (!row) return Fail(row.error());
      return row->Int(0, 0);
    });
    EXPECT_TRUE(id.has_value()) << id.error().message;
    return id.value_or(0);
  }

  org::SubtreeScope Scope(std::int64_t org) { return org::SubtreeScope::Of({paths_[org]}); }

  Result<void> Review(std::int64_t record, const std::string& decision,
                      std::vector<std::string> reasons,
                      std::optional<std::vector<ProblemInput>> problems) {
    return db().Write([&](db::Connection& c) {
      return ReviewMeeting(c, Scope(t_), change_, record, decision, reasons, problems);
    });
  }

  json::object Checklist(bool with_retired) {
    auto list = db().Read([&](db::Connection& c) { return GetChecklist(c, with_retired); });
    EXPECT_TRUE(list.has_value()) << list.error().message;
    return list.value_or(json::object{});
  }

  //! The id of the checklist item titled `title`.
  std::int64_t ItemId(const std::string& title) {
    json::object list = Checklist(true);
    for (const auto& cls : list.at("classes").as_array()) {
      for (const auto& item : cls.at("items").as_array()) {
        if (item.at("title").as_string() == title) return item.at("id").as_int64();
      }
    }
    ADD_FAILURE() << "no item " << title;
    return 0;
  }

  std::int64_t AuditCount(const std::string& action) {
    auto n = db().Read([&](db::Connection& c) -> Result<std::int64_t> {
      auto rows = c.Query("SELECT COUNT(*) FROM audit_event WHERE action = $1", {action});
      if (!rows) return Fail(rows.error());
      return rows->Int(0, 0);
    });
    return n.value_or(-1);
  }

  std::unique_ptr<db::ScratchDatabase> scratch_;
  std::map<std::int64_t, std::string> paths_;
  org::Change change_{{std::nullopt, "reviewer", "", std::nullopt, "local"}, std::nullopt, "", ""};
  std::int64_t t_ = 0, a_ = 0, b_ = 0, g_ = 0, u_ = 0, c_ = 0;
};

TEST_P(ReviewTest, TheDefaultChecklistHasFiveClassesOfThirteenItemsEachWithItsBasis) {
  auto list = Checklist(false);
  const auto& classes = list.at("classes").as_array();
  ASSERT_EQ(classes.size(), 5u);
  std::size_t items = 0;
  for (const auto& cls : classes) {
    for (const auto& item : cls.at("items").as_array()) {
      ++items;
      EXPECT_TRUE(item.at("seeded").as_bool());
      EXPECT_FALSE(item.at("retired").as_bool());
      EXPECT_FALSE(item.at("source").as_string().empty()) << json::serialize(item);
    }
  }
  EXPECT_EQ(items, 13u);
  EXPECT_EQ(classes[1].at("title").as_string(), "参会人数不足");
  EXPECT_NE(json::serialize(classes[1]).find("第十二条"), std::string::npos)
      << "the committee quorum item cites 支部工作条例 第十二条";
}

TEST_P(ReviewTest, ItemsAreAddedRetiredAndNeverDeletedAllAudited) {
  auto add = [&](ChecklistItemInput in) {
    return db().Write([&](db::Connection& c) { return AddChecklistItem(c, change_, in); });
  };
  // To an existing class by its title: last in the class, the basis defaulting to local practice.
  auto added = add({std::nullopt, "会议记录不规范", "会议记录未经主持人签字", ""});
  ASSERT_TRUE(added.has_value()) << added.error().message;
  EXPECT_EQ(added->at("seq").as_int64(), 4);
  EXPECT_EQ(added->at("source").as_string(), "本地做法");
  EXPECT_FALSE(added->at("seeded").as_bool());
  // A new class is created with it.
  auto fresh = add({std::nullopt, "整改落实不到位", "上次退回的问题未整改", "某县规定"});
  ASSERT_TRUE(fresh.has_value()) << fresh.error().message;
  EXPECT_EQ(Checklist(false).at("classes").as_array().size(), 6u);
  // By class id.
  auto by_id = add({fresh->at("class_id").as_int64(), "", "整改报告未报送", ""});
  ASSERT_TRUE(by_id.has_value()) << by_id.error().message;
  EXPECT_EQ(by_id->at("class").as_string(), "整改落实不到位");

  // Bad input names the field and changes nothing.
  auto field_of = [&](ChecklistItemInput in) {
    auto r = add(std::move(in));
    EXPECT_FALSE(r.has_value());
    return r.has_value() ? std::string() : r.error().field;
  };
  EXPECT_EQ(field_of({std::nullopt, "会议记录不规范", "会议记录未经主持人签字", ""}), "title")
      << "a duplicate of an item in use";
  EXPECT_EQ(field_of({std::nullopt, "其他", "x", ""}), "class") << "其他 is reserved";
  EXPECT_EQ(field_of({999'999, "", "x", ""}), "class");
  EXPECT_EQ(field_of({std::nullopt, "", "x", ""}), "class");
  EXPECT_EQ(field_of({std::nullopt, "会议记录不规范", "", ""}), "title");
  EXPECT_EQ(field_of({std::nullopt, "会议记录不规范", std::string(301, 'x'), ""}), "title");
  EXPECT_EQ(Checklist(false).at("classes").as_array().size(), 6u);

  // Retired: no longer offered, still listed with the retired ones; a second time is a conflict.
  std::int64_t id = added->at("id").as_int64();
  org::Change why = change_;
  why.reason = "与条目“记录要素不全”合并";
  auto retired = db().Write([&](db::Connection& c) { return RetireChecklistItem(c, why, id); });
  ASSERT_TRUE(retired.has_value()) << retired.error().message;
  EXPECT_TRUE(retired->at("retired").as_bool());
  EXPECT_EQ(json::serialize(Checklist(false)).find("会议记录未经主持人签字"), std::string::npos);
  EXPECT_NE(json::serialize(Checklist(true)).find("会议记录未经主持人签字"), std::string::npos);
  auto again = db().Write([&](db::Connection& c) { return RetireChecklistItem(c, why, id); });
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, "orglife.checklist_item_retired");
  auto missing =
      db().Write([&](db::Connection& c) { return RetireChecklistItem(c, why, 999'999); });
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
  // Its title may be used again by a new item.
  EXPECT_TRUE(add({std::nullopt, "会议记录不规范", "会议记录未经主持人签字", ""}).has_value());

  EXPECT_EQ(AuditCount("orglife.checklist.add"), 4);
  EXPECT_EQ(AuditCount("orglife.checklist.add_class"), 1);
  EXPECT_EQ(AuditCount("orglife.checklist.retire"), 1);
}

TEST_P(ReviewTest, AReviewNamesItemsInUseAndAReturnNeedsAProblemOrAReason) {
  std::int64_t record = Submitted(a_, "theme_day", "2026-11-10", "2026-11-10T18:00:00+08:00");
  std::int64_t quorum = ItemId("支委会到会委员未超过半数");
  std::int64_t brief = ItemId("记录过于简略，未写明讨论和决议情况");
  auto error_of = [&](const std::string& decision, std::vector<std::string> reasons,
                      std::optional<std::vector<ProblemInput>> problems) {
    auto r = Review(record, decision, std::move(reasons), std::move(problems));
    EXPECT_FALSE(r.has_value());
    return r.has_value() ? Error{} : r.error();
  };
  EXPECT_EQ(error_of("return", {}, std::vector<ProblemInput>{}).field, "problems");
  EXPECT_EQ(error_of("return", {}, std::nullopt).field, "reasons") << "the older form's field";
  auto unknown = error_of("return", {}, std::vector<ProblemInput>{{quorum, ""}, {999'999, ""}});
  EXPECT_EQ(unknown.code, "orglife.checklist_item_unknown");
  EXPECT_EQ(unknown.field, "problems[1].item_id");
  EXPECT_EQ(error_of("return", {}, std::vector<ProblemInput>{{quorum, ""}, {quorum, "x"}}).field,
            "problems[1].item_id");
  EXPECT_EQ(
      error_of("return", {}, std::vector<ProblemInput>{{quorum, std::string(601, 'x')}}).field,
      "problems[0].note");
  // Retired: refused for new reviews.
  auto retired =
      db().Write([&](db::Connection& c) { return RetireChecklistItem(c, change_, brief); });
  ASSERT_TRUE(retired.has_value());
  EXPECT_EQ(error_of("return", {}, std::vector<ProblemInput>{{brief, ""}}).field,
            "problems[0].item_id");

  // Returned with an item and a free-text reason; the record shows both.
  ASSERT_TRUE(
      Review(record, "return", {"签到表缺页"}, std::vector<ProblemInput>{{quorum, "到会2人"}})
          .has_value());
  auto shown = db().Read(
      [&](db::Connection& c) { return GetMeeting(c, org::SubtreeScope::Everything(), record); });
  ASSERT_TRUE(shown.has_value()) << shown.error().message;
  const auto& reasons = shown->at("reviews").as_array()[0].at("reasons").as_array();
  ASSERT_EQ(reasons.size(), 2u);
  EXPECT_EQ(reasons[0].at("item_id").as_int64(), quorum);
  EXPECT_EQ(reasons[0].at("class").as_string(), "参会人数不足");
  EXPECT_EQ(reasons[0].at("note").as_string(), "到会2人");
  EXPECT_TRUE(reasons[1].at("item_id").is_null());
  EXPECT_EQ(reasons[1].at("class").as_string(), "其他");
  EXPECT_EQ(reasons[1].at("note").as_string(), "签到表缺页");
  auto trail = db().Read([&](db::Connection& c) -> Result<std::string> {
    auto rows =
        c.Query("SELECT detail FROM audit_event WHERE action = 'orglife.review' AND target = $1",
                {"meeting:" + std::to_string(record)});
    if (!rows) return Fail(rows.error());
    return rows->Text(0, 0);
  });
  ASSERT_TRUE(trail.has_value());
  EXPECT_NE(trail->find("到会2人"), std::string::npos) << *trail;

  // An accept may record a minor problem.
  std::int64_t other = Submitted(b_, "theme_day", "2026-11-10", "2026-11-10T18:00:00+08:00");
  ASSERT_TRUE(Review(other, "accept", {}, std::vector<ProblemInput>{{quorum, ""}}).has_value());
}

TEST_P(ReviewTest, TheQueueHoldsTheSubmittedRecordsOfTheReviewersSubtreeOldestFirst) {
  std::int64_t late = Submitted(a_, "theme_day", "2026-11-10", "2026-11-12T09:00:00+08:00");
  std::int64_t early = Submitted(b_, "theme_day", "2026-11-01", "2026-11-02T09:00:00+08:00");
  std::int64_t group = Submitted(g_, "group_meeting", "2026-11-05", "2026-11-05T20:00:00+08:00");
  std::int64_t own = Submitted(t_, "party_lecture", "2026-11-03", "2026-11-03T09:00:00+08:00");
  std::int64_t foreign = Submitted(c_, "theme_day", "2026-11-01", "2026-11-01T09:00:00+08:00");
  auto queue = [&](const org::SubtreeScope& scope, ReviewQueueQuery q) {
    auto page =
        db().Read([&](db::Connection& c) { return ReviewQueue(c, scope, q, "2026-11-24"); });
    EXPECT_TRUE(page.has_value()) << page.error().message;
    json::object answer = page.value_or(json::object{{"items", json::array{}}});
    std::vector<std::int64_t> ids;
    for (const auto& item : answer.at("items").as_array()) ids.push_back(item.at("id").as_int64());
    return std::pair{ids, answer};
  };
  // T's reviewer: A's, B's and G's records (their parents lie in T), not T's own nor U's.
  auto [ids, page] = queue(Scope(t_), {});
  EXPECT_EQ(ids, (std::vector<std::int64_t>{early, group, late}));
  EXPECT_EQ(page.at("total").as_int64(), 3);
  const auto& first = page.at("items").as_array()[0];
  EXPECT_EQ(first.at("days_waiting").as_int64(), 22);
  EXPECT_EQ(first.at("kind_title").as_string(), "主题党日");
  EXPECT_EQ(first.at("org_path_title").as_string(), "组织T / 组织B");
  const auto& g = page.at("items").as_array()[1];
  EXPECT_EQ(g.at("org_trail").as_array().size(), 3u);
  // A reviewer of A alone sees G's records only; of everything, T's own as well (T has no parent:
  // nobody reviews it).
  EXPECT_EQ(queue(Scope(a_), {}).first, (std::vector<std::int64_t>{group}));
  auto all = queue(org::SubtreeScope::Everything(), {}).first;
  EXPECT_EQ(all, (std::vector<std::int64_t>{foreign, early, group, late}));
  (void)own;
  // Filters: an organisation's subtree, a kind, paging.
  ReviewQueueQuery of_a;
  of_a.org_id = a_;
  EXPECT_EQ(queue(Scope(t_), of_a).first, (std::vector<std::int64_t>{group, late}));
  ReviewQueueQuery themes;
  themes.kind = "theme_day";
  EXPECT_EQ(queue(Scope(t_), themes).first, (std::vector<std::int64_t>{early, late}));
  ReviewQueueQuery second;
  second.page = 2;
  second.page_size = 2;
  EXPECT_EQ(queue(Scope(t_), second).first, (std::vector<std::int64_t>{late}));
  // Outside the scope: not found; a bad kind names the field.
  ReviewQueueQuery outside;
  outside.org_id = c_;
  auto refused = db().Read(
      [&](db::Connection& c) { return ReviewQueue(c, Scope(t_), outside, "2026-11-24"); });
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().kind, ErrorKind::kNotFound);
  ReviewQueueQuery bad;
  bad.kind = "picnic";
  auto invalid =
      db().Read([&](db::Connection& c) { return ReviewQueue(c, Scope(t_), bad, "2026-11-24"); });
  ASSERT_FALSE(invalid.has_value());
  EXPECT_EQ(invalid.error().field, "kind");
}

TEST_P(ReviewTest, ProblemsAreCountedByClassItemBranchAndMonthInTheCallersSubtree) {
  std::int64_t quorum = ItemId("支委会到会委员未超过半数");
  std::int64_t brief = ItemId("记录过于简略，未写明讨论和决议情况");
  std::int64_t photos = ItemId("签到表、照片等佐证材料缺失");
  // A: two records (one with two problems); G (A's 党小组): one; B: one free-text reason; C (in
  // U): one. Then the months they were found are set: A's in September, the rest in October.
  std::int64_t a1 = Submitted(a_, "theme_day", "2026-09-10", "2026-09-10T18:00:00+08:00");
  std::int64_t a2 = Submitted(a_, "committee_meeting", "2026-09-05", "2026-09-05T18:00:00+08:00");
  std::int64_t g1 = Submitted(g_, "group_meeting", "2026-10-15", "2026-10-15T20:00:00+08:00");
  std::int64_t b1 = Submitted(b_, "theme_day", "2026-10-10", "2026-10-10T18:00:00+08:00");
  std::int64_t c1 = Submitted(c_, "theme_day", "2026-10-10", "2026-10-10T18:00:00+08:00");
  ASSERT_TRUE(Review(a1, "return", {}, std::vector<ProblemInput>{{brief, ""}, {photos, ""}}));
  ASSERT_TRUE(Review(a2, "accept", {}, std::vector<ProblemInput>{{quorum, "2/4"}}));
  ASSERT_TRUE(Review(g1, "return", {}, std::vector<ProblemInput>{{brief, ""}}));
  ASSERT_TRUE(Review(b1, "return", {"签到表缺页"}, std::nullopt));
  ASSERT_TRUE(db().Write([&](db::Connection& c) {
    return ReviewMeeting(c, Scope(u_), change_, c1, "return", {},
                         std::vector<ProblemInput>{{quorum, ""}});
  }));
  // The item retired afterwards still counts its problems.
  ASSERT_TRUE(
      db().Write([&](db::Connection& c) { return RetireChecklistItem(c, change_, photos); }));
  ASSERT_TRUE(db().Write([&](db::Connection& c) -> Result<void> {
    auto done = c.Execute(
        "UPDATE meeting_review_problem SET found_on = CASE WHEN org_id = $1 THEN '2026-09-10' "
        "ELSE '2026-10-16' END",
        {a_});
    if (!done) return Fail(done.error());
    return {};
  }));

  auto stats = [&](const org::SubtreeScope& scope, ProblemStatsQuery q) {
    return db().Read([&](db::Connection& c) { return ProblemStats(c, scope, q, "2026-11-24"); });
  };
  auto t = stats(Scope(t_), {std::nullopt, "2026-08", "2026-11"});
  ASSERT_TRUE(t.has_value()) << t.error().message;
  EXPECT_EQ(t->at("total").as_int64(), 5);
  EXPECT_EQ(t->at("records").as_int64(), 4);
  EXPECT_EQ(t->at("branches").as_int64(), 2) << "G's problem is A's";
  EXPECT_EQ(t->at("classes_with_problems").as_int64(), 4) << "参会人数, 记录, 材料, 其他";
  EXPECT_EQ(t->at("items_with_problems").as_int64(), 4);
  std::map<std::string, std::int64_t> by_item;
  std::map<std::string, std::int64_t> by_class;
  for (const auto& cls : t->at("classes").as_array()) {
    by_class[std::string(cls.at("title").as_string())] = cls.at("count").as_int64();
    for (const auto& item : cls.at("items").as_array()) {
      by_item[std::string(item.at("title").as_string())] = item.at("count").as_int64();
    }
  }
  EXPECT_EQ(by_item["记录过于简略，未写明讨论和决议情况"], 2);
  EXPECT_EQ(by_item["签到表、照片等佐证材料缺失"], 1) << "retired, still counted";
  EXPECT_EQ(by_item["支委会到会委员未超过半数"], 1) << "C's is outside T";
  EXPECT_EQ(by_item["三会一课未按期召开"], 0) << "every item in use is listed";
  EXPECT_EQ(by_class["其他"], 1);
  EXPECT_EQ(by_class["会议记录不规范"], 2);
  const auto& branches = t->at("by_branch").as_array();
  ASSERT_EQ(branches.size(), 2u);
  EXPECT_EQ(branches[0].at("org_id").as_int64(), a_);
  EXPECT_EQ(branches[0].at("count").as_int64(), 4);
  EXPECT_EQ(branches[1].at("org_id").as_int64(), b_);
  EXPECT_TRUE(branches[1].at("classes").as_array()[0].at("class_id").is_null());
  const auto& months = t->at("by_month").as_array();
  ASSERT_EQ(months.size(), 4u) << "every month of the range";
  EXPECT_EQ(months[0].at("month").as_string(), "2026-08");
  EXPECT_EQ(months[0].at("count").as_int64(), 0);
  EXPECT_EQ(months[1].at("count").as_int64(), 3);
  EXPECT_EQ(months[2].at("count").as_int64(), 2);

  // A narrower range and a subtree; the whole deployment sees C's too.
  auto october = stats(Scope(t_), {std::nullopt, "2026-10", "2026-10"});
  ASSERT_TRUE(october.has_value());
  EXPECT_EQ(october->at("total").as_int64(), 2);
  auto of_b = stats(Scope(t_), {b_, "2026-01", "2026-11"});
  ASSERT_TRUE(of_b.has_value());
  EXPECT_EQ(of_b->at("total").as_int64(), 1);
  auto everything = stats(org::SubtreeScope::Everything(), {u_, "2026-01", "2026-11"});
  ASSERT_TRUE(everything.has_value());
  EXPECT_EQ(everything->at("total").as_int64(), 1);
  // Outside the scope: not found. Bad months name the field.
  auto outside = stats(Scope(t_), {c_, "2026-01", "2026-11"});
  ASSERT_FALSE(outside.has_value());
  EXPECT_EQ(outside.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(stats(Scope(t_), {std::nullopt, "2026-13", ""}).error().field, "from");
  EXPECT_EQ(stats(Scope(t_), {std::nullopt, "", "2026/10"}).error().field, "to");
  EXPECT_EQ(stats(Scope(t_), {std::nullopt, "2026-10", "2026-09"}).error().field, "to");
  // Defaults: January to this month.
  auto defaults = stats(Scope(t_), {});
  ASSERT_TRUE(defaults.has_value());
  EXPECT_EQ(defaults->at("from").as_string(), "2026-01");
  EXPECT_EQ(defaults->at("to").as_string(), "2026-11");
  EXPECT_EQ(defaults->at("total").as_int64(), 5);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReviewTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) {
                           return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace zhibu::orglife
