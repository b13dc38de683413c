#include "modules/development/steps.h"

#include <gtest/gtest.h>

namespace zhibu::development {
namespace {

using workflow::Attempt;
using workflow::StepRecord;

const std::map<std::string, std::int64_t> kSettings = {
    {std::string(kActivistMinApplicationMonths), 6},
    {std::string(kDueSoonDays), 7},
    {std::string(kPublicNoticeWorkdays), 5}};

//! Checks step `number` on `date` with `data` after `history` against the table.
Result<void> Try(const std::vector<StepRecord>& history, int number, const std::string& date,
                 boost::json::object data = {}, boost::json::object facts = {}) {
  const auto& table = AdmissionTable();
  StepRecord proposed{number, date, std::move(data)};
  std::string today = "2026-11-23";
  return workflow::Check(table,
                         Attempt{*table.Find(number), history, proposed, facts, kSettings, today});
}

std::vector<StepRecord> Upto(int last) {
  std::vector<StepRecord> h;
  const std::vector<std::pair<int, std::string>> dates = {
      {1, "2022-01-10"},  {2, "2022-01-20"},  {3, "2022-07-10"},  {4, "2022-07-15"},
      {5, "2022-07-20"},  {6, "2022-12-01"},  {7, "2023-07-10"},  {8, "2023-07-15"},
      {9, "2023-07-20"},  {10, "2023-08-20"}, {11, "2023-09-03"}, {12, "2023-09-10"},
      {13, "2023-09-20"}, {14, "2023-09-25"}, {15, "2023-12-01"}, {16, "2023-12-10"},
      {17, "2024-01-20"}, {18, "2024-01-25"}, {19, "2024-01-26"}, {20, "2024-01-27"},
      {21, "2024-06-01"}, {22, "2024-11-20"}};
  for (const auto& [n, d] : dates) {
    if (n > last) break;
    boost::json::object data;
    if (n == 10) data = {{"result", "passed"}, {"conclusion", "合格"}};
    h.push_back({n, d, data});
  }
  return h;
}

TEST(DevelopmentStepsTest, TheTableHasTwentyFiveStepsInFiveStagesEachWithASource) {
  const auto& t = AdmissionTable();
  ASSERT_EQ(t.steps.size(), 25u);
  EXPECT_EQ(t.stages.size(), 5u);
  for (std::size_t i = 0; i < t.steps.size(); ++i) {
    EXPECT_EQ(t.steps[i].number, static_cast<int>(i) + 1);
    EXPECT_FALSE(t.steps[i].source.empty()) << t.steps[i].id;
    for (const auto& g : t.steps[i].gates) EXPECT_FALSE(g.source.empty()) << g.id;
  }
}

TEST(DevelopmentStepsTest, EighteenOnTheBirthdayNotTheDayBefore) {
  EXPECT_FALSE(EighteenOn("2004-01-10", "2022-01-09"));
  EXPECT_TRUE(EighteenOn("2004-01-10", "2022-01-10"));
  // Born on 29 February: 18 on 1 March of a common year.
  EXPECT_FALSE(EighteenOn("2004-02-29", "2022-02-28"));
  EXPECT_TRUE(EighteenOn("2004-02-29", "2022-03-01"));
  auto refused = Try({}, 1, "2022-01-09", {}, {{"birth_date", "2004-01-10"}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "development.under_eighteen");
  EXPECT_NE(refused.error().message.find("2022-01-10"), std::string::npos);
  EXPECT_TRUE(Try({}, 1, "2022-01-10", {}, {{"birth_date", "2004-01-10"}}));
}

TEST(DevelopmentStepsTest, ActivistAfterSixMonthsByTheRightMeeting) {
  auto h = Upto(2);
  boost::json::object meeting{{"decided_by", "general_meeting"}};
  EXPECT_EQ(Try(h, 3, "2022-07-09", meeting, {{"has_committee", false}}).error().code,
            "development.application_too_recent");
  EXPECT_TRUE(Try(h, 3, "2022-07-10", meeting, {{"has_committee", false}}));
  EXPECT_EQ(Try(h, 3, "2022-07-10", meeting, {{"has_committee", true}}).error().code,
            "development.decided_by");
  EXPECT_TRUE(
      Try(h, 3, "2022-07-10", {{"decided_by", "branch_committee"}}, {{"has_committee", true}}));
}

TEST(DevelopmentStepsTest, TargetOnTheFirstAnniversaryOfTheActivistDate) {
  auto h = Upto(6);
  EXPECT_EQ(Try(h, 7, "2023-07-09").error().code, "development.cultivation_one_year");
  EXPECT_TRUE(Try(h, 7, "2023-07-10"));
}

TEST(DevelopmentStepsTest, SponsorsAreTwoFullMembersNotUnderPartyProbation) {
  auto h = Upto(8);
  auto member = [](std::string status, bool in_branch, bool probation) {
    return boost::json::object{{"name", "某"},
                               {"status", status},
                               {"in_branch", in_branch},
                               {"party_probation", probation}};
  };
  boost::json::object data{{"sponsor_ids", boost::json::array{1, 2}}};
  auto facts = [&](boost::json::object second) {
    return boost::json::object{
        {"members", boost::json::object{{"1", member("full", true, false)}, {"2", second}}}};
  };
  EXPECT_TRUE(Try(h, 9, "2023-07-20", data, facts(member("full", true, false))));
  EXPECT_EQ(Try(h, 9, "2023-07-20", data, facts(member("full", true, true))).error().code,
            "development.sponsors");
  EXPECT_EQ(Try(h, 9, "2023-07-20", data, facts(member("probationary", true, false))).error().code,
            "development.sponsors");
  EXPECT_EQ(Try(h, 9, "2023-07-20", data, facts(member("full", false, false))).error().code,
            "development.sponsors");
}

TEST(DevelopmentStepsTest, TrainingOfThreeDaysOrTwentyFourHours) {
  auto h = Upto(10);
  EXPECT_EQ(Try(h, 11, "2023-09-03", {{"days", 2}, {"hours", 23}}).error().code,
            "development.training_too_short");
  EXPECT_TRUE(Try(h, 11, "2023-09-03", {{"days", 3}}));
  EXPECT_TRUE(Try(h, 11, "2023-09-03", {{"hours", 24}}));
}

TEST(DevelopmentStepsTest, TheVoteNeedsMoreThanHalfPresentAndMoreThanHalfInFavour) {
  auto h = Upto(14);
  boost::json::object facts{{"eligible_voters", 6}};
  auto vote = [](int attending, int yes) {
    return boost::json::object{{"attending_voters", attending}, {"votes_for", yes}};
  };
  EXPECT_EQ(Try(h, 15, "2023-12-01", vote(3, 3), facts).error().code, "development.quorum_not_met");
  EXPECT_EQ(Try(h, 15, "2023-12-01", vote(4, 3), facts).error().code,
            "development.vote_not_passed");
  EXPECT_TRUE(Try(h, 15, "2023-12-01", vote(4, 4), facts));
  // Fewer expected than the branch's voters only with the note of who is left out.
  auto fewer = vote(3, 3);
  fewer["expected_voters"] = 5;
  EXPECT_EQ(Try(h, 15, "2023-12-01", fewer, facts).error().code,
            "development.exclusion_note_missing");
  fewer["exclusion_note"] = "一人长期卧床，经镇党委同意不计入";
  EXPECT_TRUE(Try(h, 15, "2023-12-01", fewer, facts));
  // No admission without a passed political review.
  auto failed = h;
  failed[9].data["result"] = "failed";
  EXPECT_EQ(Try(failed, 15, "2023-12-01", vote(4, 4), facts).error().code,
            "development.political_review_missing");
}

TEST(DevelopmentStepsTest, ApprovalWithinThreeMonthsOrSixWithAReason) {
  auto h = Upto(16);
  EXPECT_TRUE(Try(h, 17, "2024-03-01"));
  EXPECT_EQ(Try(h, 17, "2024-03-02").error().field, "special_reason");
  EXPECT_TRUE(Try(h, 17, "2024-06-01", {{"special_reason", "换届"}}));
  EXPECT_EQ(Try(h, 17, "2024-06-02", {{"special_reason", "换届"}}).error().field, "done_on");
}

TEST(DevelopmentStepsTest, ProbationEndsAfterAYearAndIsExtendedOnceBySixToTwelveMonths) {
  auto h = Upto(22);
  boost::json::object facts{{"eligible_voters", 6}};
  auto meeting = [](std::string outcome, int months) {
    boost::json::object o{{"attending_voters", 5}, {"votes_for", 5}, {"outcome", outcome}};
    if (months > 0) o["extension_months"] = months;
    return o;
  };
  EXPECT_EQ(Try(h, 23, "2024-11-30", meeting("on_time", 0), facts).error().code,
            "development.probation_not_ended");
  EXPECT_TRUE(Try(h, 23, "2024-12-01", meeting("on_time", 0), facts));
  for (int months : {5, 13}) {
    EXPECT_EQ(Try(h, 23, "2024-12-01", meeting("extend", months), facts).error().code,
              "development.extension_months")
        << months;
  }
  for (int months : {6, 12})
    EXPECT_TRUE(Try(h, 23, "2024-12-01", meeting("extend", months), facts));
  // Once extended (approved), the new end counts and a second extension is refused.
  h.push_back({23, "2024-12-01", meeting("extend", 6)});
  h.push_back({24, "2025-01-10", {}});
  auto dates = KeyDatesOf(h);
  EXPECT_EQ(dates.probation_ends_on, "2025-06-01");
  EXPECT_EQ(StageOf(h), "probationary");
  EXPECT_EQ(workflow::NextSteps(AdmissionTable(), h), (std::vector<int>{21, 22}));
  h.push_back({22, "2025-05-20", {}});
  EXPECT_EQ(Try(h, 23, "2025-05-31", meeting("on_time", 0), facts).error().code,
            "development.probation_not_ended");
  EXPECT_EQ(Try(h, 23, "2025-06-01", meeting("extend", 6), facts).error().code,
            "development.extended_once");
  h.push_back({23, "2025-06-01", meeting("on_time", 0)});
  h.push_back({24, "2025-07-01", {}});
  EXPECT_EQ(KeyDatesOf(h).confirmed_on, "2025-06-01");
  EXPECT_EQ(StageOf(h), "converted");
}

TEST(DevelopmentStepsTest, DeadlinesOfACase) {
  auto h = Upto(1);
  auto d = CaseDeadlines(h, kSettings, "2022-02-05");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].step, 2);
  EXPECT_EQ(d[0].due_on, "2022-02-10");
  EXPECT_EQ(d[0].state, "due_soon");
  // A probationary member: the conversion meeting is due when the probation ends.
  d = CaseDeadlines(Upto(21), kSettings, "2024-11-30");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].step, 23);
  EXPECT_EQ(d[0].due_on, "2024-12-01");
  EXPECT_EQ(CaseDeadlines(Upto(21), kSettings, "2024-12-02")[0].state, "overdue");
}

}  // namespace
}  // namespace zhibu::development
