#include "modules/lapse/steps.h"

#include <gtest/gtest.h>

#include "modules/lapse/case_store.h"

namespace zhibu::lapse {
namespace {

using workflow::Attempt;
using workflow::StepRecord;

const std::map<std::string, std::int64_t> kNoSettings;
const std::string kToday = "2026-11-23";

//! Checks step `number` on `date` with `data` after `history` against the table.
Result<void> Try(const std::vector<StepRecord>& history, int number, const std::string& date,
                 boost::json::object data = {}, boost::json::object facts = {}) {
  const auto& table = LapseTable();
  StepRecord proposed{number, date, std::move(data)};
  return workflow::Check(
      table, Attempt{*table.Find(number), history, proposed, facts, kNoSettings, kToday});
}

std::vector<StepRecord> Upto(int last) {
  std::vector<StepRecord> h;
  if (last >= kVerify) h.push_back({kVerify, "2026-08-05", {{"finding", "no_proper_reason"}}});
  if (last >= kTalk) {
    h.push_back({kTalk, "2026-08-10", {{"interviewer", "李书记"}, {"deadline_on", "2026-09-30"}}});
  }
  if (last >= kMeeting) {
    h.push_back({kMeeting,
                 "2026-10-15",
                 {{"attending_voters", 7}, {"votes_for", 6}, {"expected_voters", 10}}});
  }
  return h;
}

boost::json::object Owing() {
  return {{"owed_months", boost::json::array{"2026-05", "2026-06"}}, {"eligible_voters", 10}};
}

boost::json::object Vote(std::int64_t attending, std::int64_t yes) {
  return {{"attending_voters", attending}, {"votes_for", yes}};
}

std::string CodeOf(const Result<void>& r) { return r ? std::string("passed") : r.error().code; }

TEST(LapseStepsTest, FiveStepsEachWithASourceAndEveryGateCitesOne) {
  const auto& t = LapseTable();
  ASSERT_EQ(t.steps.size(), 5u);
  for (std::size_t i = 0; i < t.steps.size(); ++i) {
    EXPECT_EQ(t.steps[i].number, static_cast<int>(i) + 1);
    EXPECT_FALSE(t.steps[i].source.empty()) << t.steps[i].id;
    for (const auto& g : t.steps[i].gates) EXPECT_FALSE(g.source.empty()) << g.id;
  }
  EXPECT_NE(t.Find(kApproval)->source.find("第九条"), std::string::npos);
}

TEST(LapseStepsTest, AProperReasonClosesTheCaseAndMustBeWritten) {
  auto missing = Try({}, kVerify, "2026-08-05", {{"finding", "proper_reason"}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "lapse.reason_missing");
  EXPECT_EQ(missing.error().field, "reason");
  std::vector<StepRecord> h{
      {kVerify, "2026-08-05", {{"finding", "proper_reason"}, {"reason", "经批准免交"}}}};
  EXPECT_TRUE(workflow::NextSteps(LapseTable(), h).empty());
  EXPECT_EQ(StateOf(h).status, "closed");
  EXPECT_EQ(StateOf(h).outcome, "proper_reason");
  EXPECT_EQ(workflow::NextSteps(LapseTable(), Upto(kVerify)), std::vector<int>{kTalk});
}

TEST(LapseStepsTest, TheDeadlineLiesAfterTheTalkAndWithinAYear) {
  auto h = Upto(kVerify);
  auto talk = [&](const std::string& deadline) {
    return Try(h, kTalk, "2026-08-10", {{"interviewer", "李书记"}, {"deadline_on", deadline}});
  };
  EXPECT_EQ(CodeOf(talk("2026-08-10")), "lapse.deadline_invalid");
  EXPECT_EQ(CodeOf(talk("2026-08-11")), "passed");
  EXPECT_EQ(CodeOf(talk("2027-08-10")), "passed");  // one year, a date ahead of today
  EXPECT_EQ(CodeOf(talk("2027-08-11")), "lapse.deadline_too_long");
  EXPECT_EQ(talk("2027-08-11").error().field, "deadline_on");
}

TEST(LapseStepsTest, AfterTheTalkEitherCorrectedOrTheMeeting) {
  auto h = Upto(kTalk);
  EXPECT_EQ(workflow::NextSteps(LapseTable(), h), (std::vector<int>{kCorrected, kMeeting}));
  EXPECT_EQ(CodeOf(Try(h, kApproval, "2026-10-20",
                       {{"decision", "approved"}, {"approved_by", "镇党委"}})),
            "workflow.step_out_of_order");
}

TEST(LapseStepsTest, CorrectedOnlyWhenTheLedgerShowsTheArrearsCleared) {
  auto h = Upto(kTalk);
  auto owing = Try(h, kCorrected, "2026-09-20", {}, Owing());
  ASSERT_FALSE(owing);
  EXPECT_EQ(owing.error().code, "lapse.arrears_not_cleared");
  EXPECT_NE(owing.error().message.find("2026-05"), std::string::npos);
  EXPECT_EQ(CodeOf(Try(h, kCorrected, "2026-09-20", {}, {{"owed_months", boost::json::array{}}})),
            "passed");
  h.push_back({kCorrected, "2026-09-20", {}});
  EXPECT_EQ(StateOf(h).outcome, "corrected");
  EXPECT_TRUE(workflow::NextSteps(LapseTable(), h).empty());
}

TEST(LapseStepsTest, TheMeetingComesAfterTheDeadlineAndNotOnceCleared) {
  auto h = Upto(kTalk);
  EXPECT_EQ(CodeOf(Try(h, kMeeting, "2026-09-30", Vote(6, 6), Owing())),
            "lapse.deadline_not_passed");
  EXPECT_EQ(CodeOf(Try(h, kMeeting, "2026-10-01", Vote(6, 6), Owing())), "passed");
  EXPECT_EQ(CodeOf(Try(h, kMeeting, "2026-10-01", Vote(6, 6),
                       {{"owed_months", boost::json::array{}}, {"eligible_voters", 10}})),
            "lapse.arrears_cleared");
}

TEST(LapseStepsTest, QuorumExactlyHalfIsRefusedHalfPlusOnePasses) {
  auto h = Upto(kTalk);
  // Ten voters expected: five attending is exactly half.
  auto half = Try(h, kMeeting, "2026-10-15", Vote(5, 5), Owing());
  ASSERT_FALSE(half);
  EXPECT_EQ(half.error().code, "lapse.quorum_not_met");
  EXPECT_EQ(half.error().field, "attending_voters");
  EXPECT_EQ(CodeOf(Try(h, kMeeting, "2026-10-15", Vote(6, 6), Owing())), "passed");
}

TEST(LapseStepsTest, YesVotesExactlyHalfOfTheExpectedAreRefusedHalfPlusOnePass) {
  auto h = Upto(kTalk);
  auto half = Try(h, kMeeting, "2026-10-15", Vote(9, 5), Owing());
  ASSERT_FALSE(half);
  EXPECT_EQ(half.error().code, "lapse.vote_not_passed");
  EXPECT_EQ(half.error().field, "votes_for");
  EXPECT_EQ(CodeOf(Try(h, kMeeting, "2026-10-15", Vote(9, 6), Owing())), "passed");
}

TEST(LapseStepsTest, ExpectedVotersAreTheBranchsVotersUnlessTheExclusionIsNoted) {
  auto h = Upto(kTalk);
  auto more = Vote(6, 6);
  more["expected_voters"] = 11;
  EXPECT_EQ(CodeOf(Try(h, kMeeting, "2026-10-15", more, Owing())), "lapse.expected_voters");
  auto fewer = Vote(5, 5);
  fewer["expected_voters"] = 9;
  EXPECT_EQ(CodeOf(Try(h, kMeeting, "2026-10-15", fewer, Owing())), "lapse.exclusion_note_missing");
  fewer["exclusion_note"] = "1名长期卧床，经镇党委同意不计入";
  EXPECT_EQ(CodeOf(Try(h, kMeeting, "2026-10-15", fewer, Owing())), "passed");
}

TEST(LapseStepsTest, ApprovalBeforeTheMeetingIsRefused) {
  auto h = Upto(kMeeting);  // the meeting on 2026-10-15
  boost::json::object approval{{"decision", "approved"}, {"approved_by", "城关镇党委"}};
  auto early = Try(h, kApproval, "2026-10-14", approval);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().field, "done_on");
  EXPECT_EQ(CodeOf(Try(h, kApproval, "2026-10-15", approval)), "passed");
  h.push_back({kApproval, "2026-10-20", approval});
  EXPECT_EQ(StateOf(h).outcome, "removed");
  h.back().data["decision"] = "not_approved";
  EXPECT_EQ(StateOf(h).outcome, "not_approved");
}

// --- The flag a case needs (the dues ledger's statement) ----------------------------------

const dues::YearMonth kNovember{2026, 11};

//! The statement of a member paying 10.00 a month from 2025-01, who paid every month up to and
//! including `paid_through`, with `reductions`.
LedgerFacts LedgerOf(dues::YearMonth paid_through,
                     std::vector<dues::ReductionEntry> reductions = {}) {
  dues::YearMonth last = dues::AddMonths(kNovember, -1);
  dues::YearMonth first = dues::AddMonths(last, -11);
  std::vector<dues::BaseEntry> bases{{{2025, 1}, money::Fen{1000}}};
  std::vector<std::pair<dues::YearMonth, money::Fen>> paid;
  for (auto m = first; m <= paid_through; m = dues::AddMonths(m, 1)) {
    paid.push_back({m, money::Fen{1000}});
  }
  auto statement = dues::Statement(first, last, {2025, 1}, bases, reductions, paid);
  return LedgerFactsFrom(statement, kNovember, reductions);
}

TEST(LapseFlagTest, FiveUnpaidMonthsAreRefusedSixAreAllowed) {
  auto five = LedgerOf({2026, 5});  // 2026-06..2026-10 unpaid
  EXPECT_EQ(five.unpaid_run.size(), 5u);
  auto refused = RequireFlagged(five, "张三");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "lapse.not_flagged");
  EXPECT_EQ(refused.error().field, "member_id");
  auto six = LedgerOf({2026, 4});  // 2026-05..2026-10 unpaid
  EXPECT_EQ(six.unpaid_run.size(), 6u);
  EXPECT_TRUE(RequireFlagged(six, "张三"));
  // 第十二条: all six may still be paid late in November.
  EXPECT_EQ(six.owed_payable.size(), 6u);
  // Eight months behind: the two oldest can no longer be paid late.
  auto eight = LedgerOf({2026, 2});
  EXPECT_EQ(eight.unpaid_run.size(), 8u);
  EXPECT_EQ(eight.owed_payable.size(), 6u);
  EXPECT_EQ(dues::FormatYearMonth(eight.owed_payable.front()), "2026-05");
}

TEST(LapseFlagTest, AnApprovedExemptionIsNotUnpaid) {
  // Nothing paid since April, but 免交 approved for September and October.
  auto exempted = LedgerOf({2026, 4}, {{{2026, 9}, {2026, 10}, money::Fen{0}}});
  EXPECT_TRUE(exempted.unpaid_run.empty());
  EXPECT_TRUE(exempted.exempted);
  auto refused = RequireFlagged(exempted, "张三");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "lapse.not_flagged");
  EXPECT_NE(refused.error().message.find("免交"), std::string::npos);
}

}  // namespace
}  // namespace zhibu::lapse
