#include "platform/workflow/workflow.h"

#include <gtest/gtest.h>

namespace zhibu::workflow {
namespace {

//! A three-step table: a repeatable second step due within 1 month of the first, a third at
//! least 2 months after the first with a gate on a fact.
WorkflowTable Tiny() {
  WorkflowTable t;
  t.id = "tiny";
  t.title = "测试";
  t.stages = {{"a", "阶段一"}, {"b", "阶段二"}};
  StepSpec one{.number = 1, .id = "one", .title = "第一步", .stage = "a"};
  StepSpec two{.number = 2, .id = "two", .title = "第二步", .stage = "a", .repeatable = true};
  two.fields = {
      FieldSpec{.name = "who", .title = "谁", .required = true},
      FieldSpec{.name = "n", .title = "数", .type = FieldType::kInteger, .min = 1, .max = 3},
      FieldSpec{.name = "ids", .title = "人", .type = FieldType::kMembers, .min = 1, .max = 2},
      FieldSpec{.name = "kind",
                .title = "类",
                .type = FieldType::kChoice,
                .choices = {{"x", "甲"}, {"y", "乙"}}}};
  two.limits = {LimitSpec{.from_step = 1, .kind = LimitKind::kWithin, .months = 1, .source = "s"}};
  StepSpec three{.number = 3, .id = "three", .title = "第三步", .stage = "b"};
  three.limits = {LimitSpec{.from_step = 1,
                            .kind = LimitKind::kAtLeast,
                            .months = 2,
                            .code = "tiny.too_early",
                            .source = "第二条"}};
  three.gates = {GateSpec{"tiny.fact", "事实", "第三条", [](const Attempt& a) -> Result<void> {
                            if (a.facts.contains("ok")) return {};
                            return Fail(Error::Unprocessable("tiny.fact", "缺少事实", "x", ""));
                          }}};
  t.steps = {one, two, three};
  return t;
}

const std::map<std::string, std::int64_t> kNoSettings;

Result<void> Try(const WorkflowTable& t, const std::vector<StepRecord>& history, int number,
                 const std::string& date, const boost::json::object& facts = {}) {
  StepRecord proposed{number, date, {}};
  std::string today = "2026-06-30";
  return Check(t, Attempt{*t.Find(number), history, proposed, facts, kNoSettings, today});
}

TEST(WorkflowTest, NextStepsFollowTheTableAndRepeatableSteps) {
  auto t = Tiny();
  EXPECT_EQ(NextSteps(t, {}), std::vector<int>{1});
  EXPECT_EQ(NextSteps(t, {{1, "2026-01-01", {}}}), std::vector<int>{2});
  EXPECT_EQ(NextSteps(t, {{1, "2026-01-01", {}}, {2, "2026-01-05", {}}}), (std::vector<int>{3, 2}));
  EXPECT_TRUE(NextSteps(t, {{1, "d", {}}, {2, "d", {}}, {3, "d", {}}}).empty());
}

TEST(WorkflowTest, CheckRefusesOrderDatesLimitsAndGates) {
  auto t = Tiny();
  std::vector<StepRecord> h{{1, "2026-01-10", {}}, {2, "2026-01-20", {}}};
  auto order = Try(t, {{1, "2026-01-10", {}}}, 3, "2026-05-01", {{"ok", true}});
  ASSERT_FALSE(order);
  EXPECT_EQ(order.error().code, "workflow.step_out_of_order");
  EXPECT_EQ(Try(t, h, 3, "2026-01-19", {{"ok", true}}).error().code,
            "workflow.date_before_previous");
  EXPECT_EQ(Try(t, h, 3, "2026-07-01", {{"ok", true}}).error().code, "workflow.date_in_future");
  // At least 2 months after 2026-01-10: the day before refused, the day itself passes.
  auto early = Try(t, h, 3, "2026-03-09", {{"ok", true}});
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, "tiny.too_early");
  EXPECT_EQ(early.error().field, "done_on");
  EXPECT_EQ(early.error().rule, "第二条");
  EXPECT_TRUE(Try(t, h, 3, "2026-03-10", {{"ok", true}}));
  // Gates come after limits and carry their source.
  auto gate = Try(t, h, 3, "2026-03-10");
  ASSERT_FALSE(gate);
  EXPECT_EQ(gate.error().code, "tiny.fact");
  EXPECT_EQ(gate.error().rule, "第三条");
}

TEST(WorkflowTest, FieldsAreValidatedAndNamed) {
  auto t = Tiny();
  const auto& two = *t.Find(2);
  std::string today = "2026-06-30";
  EXPECT_EQ(ValidateFields(two, {}, today).error().field, "who");
  EXPECT_EQ(ValidateFields(two, {{"who", "  "}}, today).error().field, "who");
  EXPECT_EQ(ValidateFields(two, {{"who", "a"}, {"n", 4}}, today).error().field, "n");
  EXPECT_EQ(ValidateFields(two, {{"who", "a"}, {"n", "2"}}, today).error().field, "n");
  EXPECT_EQ(ValidateFields(two, {{"who", "a"}, {"ids", boost::json::array{}}}, today).error().field,
            "ids");
  EXPECT_EQ(
      ValidateFields(two, {{"who", "a"}, {"ids", boost::json::array{1, 1}}}, today).error().field,
      "ids");
  EXPECT_EQ(ValidateFields(two, {{"who", "a"}, {"kind", "z"}}, today).error().field, "kind");
  auto ok = ValidateFields(two,
                           {{"who", "a"},
                            {"n", 3},
                            {"ids", boost::json::array{4, 5}},
                            {"kind", "y"},
                            {"extra", "dropped"}},
                           today);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_FALSE(ok->contains("extra"));
  EXPECT_EQ(ok->at("n").as_int64(), 3);
}

TEST(WorkflowTest, DeadlinesCountWhileTheCaseIsBetweenTheSteps) {
  auto t = Tiny();
  std::vector<StepRecord> h{{1, "2026-01-10", {}}};
  auto d = Deadlines(t, h, kNoSettings, "2026-02-03", 7);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].step, 2);
  EXPECT_EQ(d[0].due_on, "2026-02-10");
  EXPECT_EQ(d[0].state, "due_soon");
  EXPECT_EQ(Deadlines(t, h, kNoSettings, "2026-02-02", 7)[0].state, "ok");
  EXPECT_EQ(Deadlines(t, h, kNoSettings, "2026-02-10", 7)[0].state, "due_soon");
  EXPECT_EQ(Deadlines(t, h, kNoSettings, "2026-02-11", 7)[0].state, "overdue");
  // A repeatable step is due again a month after its latest record; none once past it.
  h.push_back({2, "2026-02-01", {}});
  d = Deadlines(t, h, kNoSettings, "2026-02-05", 7);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].due_on, "2026-03-01");
  h.push_back({3, "2026-03-10", {}});
  EXPECT_TRUE(Deadlines(t, h, kNoSettings, "2026-03-11", 7).empty());
}

TEST(WorkflowTest, TheTableIsPublishedWithFieldsGatesAndLimits) {
  auto j = TableJson(Tiny());
  EXPECT_EQ(j.at("steps").as_array().size(), 3u);
  const auto& two = j.at("steps").as_array()[1].as_object();
  EXPECT_EQ(two.at("fields").as_array()[0].at("name").as_string(), "done_on");
  EXPECT_EQ(two.at("fields").as_array()[4].at("choices").as_array().size(), 2u);
  EXPECT_EQ(j.at("steps").as_array()[2].at("gates").as_array()[0].at("source").as_string(),
            "第三条");
  EXPECT_EQ(j.at("stages").as_array()[0].at("steps").as_array().size(), 2u);
}

}  // namespace
}  // namespace zhibu::workflow
