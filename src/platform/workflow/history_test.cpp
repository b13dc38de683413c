#include "platform/workflow/history.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

#include "platform/db/scratch_database.h"

namespace zhibu::workflow {
namespace {

using db::ScratchDatabase;

constexpr std::string_view kCreate =
    "CREATE TABLE probe_step (case_id BIGINT NOT NULL, seq BIGINT NOT NULL, step BIGINT NOT NULL, "
    "done_on TEXT NOT NULL, data TEXT NOT NULL, note TEXT NOT NULL, recorded_at TEXT NOT NULL, "
    "recorded_by BIGINT, recorded_by_name TEXT NOT NULL)";
constexpr std::string_view kInsert =
    "INSERT INTO probe_step (case_id, seq, step, done_on, data, note, recorded_at, recorded_by, "
    "recorded_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
constexpr std::string_view kSteps =
    "SELECT seq, step, done_on, data, note, recorded_at, recorded_by_name FROM probe_step WHERE "
    "case_id = $1 ORDER BY seq";

WorkflowTable TwoSteps() {
  WorkflowTable t;
  t.id = "probe";
  t.title = "测试";
  t.stages = {{"a", "阶段一"}};
  t.steps = {StepSpec{.number = 1, .id = "one", .title = "第一步", .stage = "a"},
             StepSpec{.number = 2, .id = "two", .title = "第二步", .stage = "a"}};
  return t;
}

class HistoryTest : public ::testing::TestWithParam<ScratchDatabase::Backend> {
 protected:
  void SetUp() override {
    if (!ScratchDatabase::Available(GetParam())) {
      GTEST_SKIP() << "set ZHIBU_TEST_POSTGRES_URL to test PostgreSQL";
    }
    scratch_ = std::make_unique<ScratchDatabase>(GetParam(), "workflow_history");
    ASSERT_TRUE(scratch_->db().Write([](db::Connection& c) -> Result<void> {
      auto made = c.Execute(kCreate);
      if (!made) return Fail(made.error());
      return {};
    }));
  }
  std::unique_ptr<ScratchDatabase> scratch_;
};

TEST_P(HistoryTest, AppendedStepsLoadBackInOrderWithTheirTimeline) {
  const auto table = TwoSteps();
  auto loaded = scratch_->db().Write([&](db::Connection& c) -> Result<boost::json::array> {
    StepRecord first{1, "2026-01-05", {}};
    StepRecord second{2, "2026-02-01", {{"who", "张三"}, {"n", 2}}};
    auto a = AppendStep(c, kInsert, 7, 1, first, "", "2026-01-05T09:00:00+08:00", {42, "王书记"});
    if (!a) return Fail(a.error());
    auto b = AppendStep(c, kInsert, 7, 2, second, "补记", "2026-02-01T10:00:00+08:00",
                        {std::nullopt, "系统"});
    if (!b) return Fail(b.error());
    // Another case's record and a third record of an unknown step with unreadable data.
    auto other = AppendStep(c, kInsert, 8, 1, first, "", "2026-01-06T09:00:00+08:00", {1, "x"});
    if (!other) return Fail(other.error());
    auto odd = c.Execute(kInsert, {std::int64_t{7}, std::int64_t{3}, std::int64_t{9}, "2026-03-01",
                                   "not json", "", "2026-03-01T08:00:00+08:00", nullptr, "系统"});
    if (!odd) return Fail(odd.error());
    boost::json::array timeline;
    auto history = LoadHistory(c, kSteps, 7, table, &timeline);
    if (!history) return Fail(history.error());
    EXPECT_EQ(history->size(), 3u);
    EXPECT_EQ((*history)[0].number, 1);
    EXPECT_EQ((*history)[1].done_on, "2026-02-01");
    EXPECT_EQ((*history)[1].data, second.data);
    EXPECT_TRUE((*history)[2].data.empty());
    auto without = LoadHistory(c, kSteps, 7, table, nullptr);
    if (!without) return Fail(without.error());
    EXPECT_EQ(without->size(), 3u);
    return timeline;
  });
  ASSERT_TRUE(loaded) << loaded.error().message;
  auto expected = boost::json::parse(R"([
    {"seq": 1, "number": 1, "id": "one", "title": "第一步", "stage": "a", "done_on": "2026-01-05",
     "data": {}, "note": "", "recorded_at": "2026-01-05T09:00:00+08:00", "actor": "王书记"},
    {"seq": 2, "number": 2, "id": "two", "title": "第二步", "stage": "a", "done_on": "2026-02-01",
     "data": {"who": "张三", "n": 2}, "note": "补记", "recorded_at": "2026-02-01T10:00:00+08:00",
     "actor": "系统"},
    {"seq": 3, "number": 9, "id": "", "title": "", "stage": "", "done_on": "2026-03-01",
     "data": {}, "note": "", "recorded_at": "2026-03-01T08:00:00+08:00", "actor": "系统"}])");
  EXPECT_EQ(boost::json::value(*loaded), expected);
}

TEST_P(HistoryTest, TheAccountIsRecordedOrLeftNull) {
  auto rows = scratch_->db().Write([&](db::Connection& c) -> Result<db::ResultSet> {
    auto a = AppendStep(c, kInsert, 1, 1, StepRecord{1, "2026-01-05", {}}, "", "t", {5, "甲"});
    if (!a) return Fail(a.error());
    auto b = AppendStep(c, kInsert, 1, 2, StepRecord{2, "2026-01-06", {}}, "", "t",
                        {std::nullopt, "乙"});
    if (!b) return Fail(b.error());
    return c.Query("SELECT recorded_by, data FROM probe_step ORDER BY seq");
  });
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(rows->Int(0, 0), 5);
  EXPECT_EQ(rows->Text(0, 1), "{}");
  EXPECT_TRUE(rows->IsNull(1, 0));
}

INSTANTIATE_TEST_SUITE_P(Backends, HistoryTest,
                         ::testing::Values(ScratchDatabase::Backend::kSqlite,
                                           ScratchDatabase::Backend::kPostgres),
                         [](const auto& info) {
                           return info.param == ScratchDatabase::Backend::kSqlite ? "Sqlite"
                                                                                  : "Postgres";
                         });

TEST(StepNote, AbsentNullOrTextUpTo2000Bytes) {
  EXPECT_EQ(*StepNote(boost::json::object{}, "x"), "");
  EXPECT_EQ(*StepNote(boost::json::object{{"note", nullptr}}, "x"), "");
  EXPECT_EQ(*StepNote(boost::json::object{{"note", "已谈话"}}, "x"), "已谈话");
  EXPECT_EQ(*StepNote(boost::json::object{{"note", std::string(2000, 'a')}}, "x"),
            std::string(2000, 'a'));
  for (const auto& bad : {boost::json::value(12), boost::json::value(std::string(2001, 'a'))}) {
    auto refused = StepNote(boost::json::object{{"note", bad}}, "lapse");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "lapse.note_invalid");
    EXPECT_EQ(refused.error().field, "note");
    EXPECT_EQ(refused.error().kind, ErrorKind::kInvalidArgument);
  }
}

TEST(ReadStepRequest, NamesAStepFromFirstToTheLastAndARealDate) {
  const auto table = TwoSteps();
  auto ok = ReadStepRequest(boost::json::object{{"step", 2}, {"done_on", "2026-02-28"}}, table, 2,
                            "probe");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->spec->id, "two");
  EXPECT_EQ(ok->done_on, "2026-02-28");
  struct Case {
    boost::json::object body;
    std::string code;
    std::string field;
    std::string message;
  };
  for (const auto& c : std::vector<Case>{
           {{{"done_on", "2026-02-28"}},
            "probe.step_missing",
            "step",
            "step：请写明办理第几步（1–2）"},
           {{{"step", "2"}, {"done_on", "2026-02-28"}}, "probe.step_missing", "step", ""},
           {{{"step", 1}, {"done_on", "2026-02-28"}},
            "probe.step_unknown",
            "step",
            "step：应为 2–2 中的一步"},
           {{{"step", 3}, {"done_on", "2026-02-28"}}, "probe.step_unknown", "step", ""},
           {{{"step", 2}}, "", "done_on", ""},
           {{{"step", 2}, {"done_on", "2026-02-30"}}, "", "done_on", ""},
       }) {
    auto refused = ReadStepRequest(c.body, table, 2, "probe");
    ASSERT_FALSE(refused) << boost::json::serialize(c.body);
    EXPECT_EQ(refused.error().kind, ErrorKind::kInvalidArgument);
    EXPECT_EQ(refused.error().field, c.field);
    if (!c.code.empty()) {
      EXPECT_EQ(refused.error().code, c.code);
    }
    if (!c.message.empty()) {
      EXPECT_EQ(refused.error().message, c.message);
    }
  }
}

TEST(RecordData, IntOrAndTextOrReadOnlyTheirOwnType) {
  boost::json::object data{{"n", 3}, {"big", 5u}, {"s", "文"}, {"f", 1.5}};
  EXPECT_EQ(IntOr(data, "n", -1), 3);
  EXPECT_EQ(IntOr(data, "big", -1), 5);
  EXPECT_EQ(IntOr(data, "f", -1), -1);
  EXPECT_EQ(IntOr(data, "s", -1), -1);
  EXPECT_EQ(IntOr(data, "missing", 7), 7);
  EXPECT_EQ(TextOr(data, "s"), "文");
  EXPECT_EQ(TextOr(data, "n"), "");
  EXPECT_EQ(TextOr(data, "missing"), "");
}

}  // namespace
}  // namespace zhibu::workflow
