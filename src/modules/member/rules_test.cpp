//! The member registry's compliance judgements on both sides of every threshold.

#include "modules/member/rules.h"

#include <gtest/gtest.h>

namespace zhibu::member {
namespace {

BranchFacts Branch(std::int64_t full, std::int64_t probationary = 0, std::string kind = "branch") {
  return BranchFacts{7, "第一支部", "/1/7/", std::move(kind), full, probationary, false, 0};
}

TEST(BranchRulesTest, ThreeFullMembersIsTheFloor) {
  EXPECT_TRUE(JudgeBelowThreeFull(Branch(2, 5)).has_value()) << "probationary do not count";
  EXPECT_FALSE(JudgeBelowThreeFull(Branch(3)).has_value());
  auto f = JudgeBelowThreeFull(Branch(2));
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, "red");
  EXPECT_EQ(f->facts.at("full_members").as_int64(), 2);
  EXPECT_FALSE(JudgeBelowThreeFull(Branch(1, 0, "general_branch")).has_value());
  EXPECT_TRUE(JudgeBelowThreeFull(Branch(2, 0, "joint_branch")).has_value());
}

TEST(BranchRulesTest, FiftyMembersIsASoftCap) {
  EXPECT_FALSE(JudgeOverFifty(Branch(45, 5)).has_value());
  auto f = JudgeOverFifty(Branch(45, 6));
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, "yellow");
}

TEST(BranchRulesTest, SevenFullMembersNeedACommittee) {
  EXPECT_FALSE(JudgeCommitteeRequired(Branch(6, 3)).has_value());
  EXPECT_TRUE(JudgeCommitteeRequired(Branch(7)).has_value());
  BranchFacts with = Branch(7);
  with.has_committee = true;
  with.committee_size = 3;
  EXPECT_FALSE(JudgeCommitteeRequired(with).has_value());
}

TEST(BranchRulesTest, CommitteeOfThreeToFiveAtMostSeven) {
  BranchFacts b = Branch(20);
  b.has_committee = true;
  for (auto [size, severity] : std::vector<std::pair<int, std::string>>{
           {2, "yellow"}, {3, ""}, {5, ""}, {6, "yellow"}, {7, "yellow"}, {8, "red"}}) {
    b.committee_size = size;
    auto f = JudgeCommitteeSize(b);
    EXPECT_EQ(f ? f->severity : std::string(), severity) << size;
  }
}

TEST(BranchRulesTest, GeneralBranchThresholds) {
  EXPECT_TRUE(JudgeGeneralBranchSize(Branch(49, 0, "general_branch")).has_value());
  EXPECT_FALSE(JudgeGeneralBranchSize(Branch(50, 0, "general_branch")).has_value());
  EXPECT_FALSE(JudgeGeneralBranchSize(Branch(99, 0, "general_branch")).has_value());
  auto f = JudgeGeneralBranchSize(Branch(100, 0, "general_branch"));
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, "info");
}

MemberFacts Member() {
  return MemberFacts{42, "张三", 7, "/1/7/", "full", "2010-07-01", {}, {}, false};
}

TEST(MemberRulesTest, AwaySixMonthsToTheDay) {
  MemberFacts m = Member();
  m.away_since = "2026-05-24";
  EXPECT_FALSE(JudgeMobileTransferDue(m, "2026-11-23").has_value()) << "the day before";
  m.away_since = "2026-05-23";
  EXPECT_TRUE(JudgeMobileTransferDue(m, "2026-11-23").has_value()) << "the day of";
}

TEST(MemberRulesTest, LostContactSixMonthsToTheDay) {
  MemberFacts m = Member();
  m.lost_contact_since = "2026-05-24";
  EXPECT_FALSE(JudgeLostContact(m, "2026-11-23").has_value());
  m.lost_contact_since = "2026-05-23";
  auto f = JudgeLostContact(m, "2026-11-23");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, "red");
  EXPECT_EQ(f->subject_kind, "member");
}

TEST(MemberRulesTest, ProbationEndsAYearAfterAdmission) {
  MemberFacts m = Member();
  m.status = "probationary";
  m.joined_on = "2025-11-23";
  EXPECT_FALSE(JudgeProbationOverdue(m, "2026-11-23").has_value()) << "the last day of probation";
  auto f = JudgeProbationOverdue(m, "2026-11-24");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->facts.at("probation_ends_on").as_string(), "2026-11-23");
  m.probation_extended = true;  // extended: at most one more year
  EXPECT_FALSE(JudgeProbationOverdue(m, "2027-11-23").has_value());
  EXPECT_TRUE(JudgeProbationOverdue(m, "2027-11-24").has_value());
  m.status = "full";
  EXPECT_FALSE(JudgeProbationOverdue(m, "2030-01-01").has_value());
}

TEST(TransferRulesTest, PendingDaysAndExpiredLetters) {
  TransferFacts t{3, "李四", 7, "/1/7/", "requested", "2026-10-24", std::nullopt};
  EXPECT_FALSE(JudgeTransferPending(t, "2026-11-23", 30).has_value()) << "30 days open";
  auto f = JudgeTransferPending(t, "2026-11-24", 30);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, "yellow");
  t.status = "approved";
  t.requested_on = "2026-11-20";
  t.letter_valid_until = "2026-11-23";
  EXPECT_FALSE(JudgeTransferPending(t, "2026-11-23", 30).has_value()) << "valid through the day";
  auto expired = JudgeTransferPending(t, "2026-11-24", 30);
  ASSERT_TRUE(expired);
  EXPECT_EQ(expired->severity, "red");
}

TEST(BranchRulesTest, UnitsOfAJointBranchWithThreeFullMembers) {
  BranchFacts joint = Branch(9, 0, "joint_branch");
  EXPECT_FALSE(JudgeUnitNeedsBranch(joint, {{"甲公司", 2}, {"乙公司", 2}}).has_value());
  auto f = JudgeUnitNeedsBranch(joint, {{"甲公司", 3}, {"乙公司", 2}});
  ASSERT_TRUE(f);
  EXPECT_NE(f->message.find("甲公司"), std::string::npos);
  EXPECT_EQ(f->message.find("乙公司"), std::string::npos);
  EXPECT_FALSE(JudgeUnitNeedsBranch(Branch(9), {{"甲公司", 5}}).has_value());
}

}  // namespace
}  // namespace zhibu::member
