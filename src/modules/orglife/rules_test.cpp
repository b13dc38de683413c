//! The frequency duties and the 6-month rule on both sides of every threshold: the day before
//! versus the day of turning yellow, and the last day of a cycle turning red.

#include "modules/orglife/rules.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace zhibu::orglife {
namespace {

using compliance::ParsePeriod;

const Duty kCommittee{"committee_meeting", "支委会", "召开", 1, 0, 7};
const Duty kThemeDay{"theme_day", "主题党日", "开展", 1, 10, 7};
const Duty kGeneral{"branch_general_meeting", "支部党员大会", "召开", 3, 0, 15};
const Duty kOrgLife{"org_life_meeting", "组织生活会", "召开", 12, 0, 31};

DutyFacts Branch(std::vector<std::string> held = {}, std::string since = "1950-01-01") {
  return DutyFacts{7, "第一支部", "/1/7/", std::move(since), std::move(held)};
}

std::string Severity(const Duty& duty, const DutyFacts& facts, const std::string& period,
                     const std::string& as_of) {
  auto f = JudgeDuty(duty, facts, *ParsePeriod(period), as_of);
  return f ? f->severity : std::string();
}

TEST(CycleTest, MonthsQuartersYearsAndLocalLengths) {
  EXPECT_EQ(CycleOf("2026-11-23", 1).id, "2026-11");
  EXPECT_EQ(CycleOf("2026-02-10", 1).last_day, "2026-02-28");
  EXPECT_EQ(CycleOf("2026-11-23", 3).id, "2026-Q4");
  EXPECT_EQ(CycleOf("2026-11-23", 3).first_day, "2026-10-01");
  EXPECT_EQ(CycleOf("2026-11-23", 12).id, "2026");
  EXPECT_EQ(CycleOf("2026-11-23", 12).last_day, "2026-12-31");
  EXPECT_EQ(CycleOf("2026-05-01", 6).id, "2026-01~2026-06");
  // Five months from January: Jan–May, Jun–Oct, and the year's short remainder Nov–Dec.
  EXPECT_EQ(CycleOf("2026-11-23", 5).id, "2026-11~2026-12");
  EXPECT_EQ(CycleOf("2026-06-01", 5).first_day, "2026-06-01");
}

TEST(DutyTest, MonthlyCommitteeMeetingTurnsYellowSevenDaysBeforeAndRedOnTheLastDay) {
  DutyFacts october = Branch({"2026-10-15"});  // last month's was held
  EXPECT_EQ(Severity(kCommittee, october, "2026-11", "2026-11-22"), "") << "8 days left";
  EXPECT_EQ(Severity(kCommittee, october, "2026-11", "2026-11-23"), "yellow") << "7 days left";
  EXPECT_EQ(Severity(kCommittee, october, "2026-11", "2026-11-29"), "yellow");
  EXPECT_EQ(Severity(kCommittee, october, "2026-11", "2026-11-30"), "red") << "the month is over";
  EXPECT_EQ(Severity(kCommittee, Branch({"2026-11-05"}), "2026-11", "2026-11-30"), "");
  EXPECT_EQ(Severity(kCommittee, Branch({"2026-10-28"}), "2026-11", "2026-11-30"), "red")
      << "last month's meeting does not count for this month";
  auto f = JudgeDuty(kCommittee, Branch({"2026-10-28"}), *ParsePeriod("2026-11"), "2026-11-23");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->facts.at("due_on").as_string(), "2026-11-30");
  EXPECT_NE(f->message.find("最近一次 2026-10-28"), std::string::npos) << f->message;
}

TEST(DutyTest, MissedMonthsInARowAreNamed) {
  // spec 07's example: last 支委会 2026-07-14; none in 2026-08, 2026-09.
  auto f = JudgeDuty(kCommittee, Branch({"2026-06-10", "2026-07-14"}), *ParsePeriod("2026-09"),
                     "2026-09-30");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, "red");
  EXPECT_EQ(f->facts.at("last_held").as_string(), "2026-07-14");
  EXPECT_EQ(boost::json::serialize(f->facts.at("missed")), R"(["2026-09"])");
  EXPECT_EQ(boost::json::serialize(f->facts.at("missed_in_a_row")), R"(["2026-08","2026-09"])");
  EXPECT_NE(f->message.find("已连续 2 期"), std::string::npos) << f->message;
}

TEST(DutyTest, AMissedCycleStaysRedUntilTheNextMeeting) {
  // September held, October missed: from 1 November red, until a meeting is held in November.
  auto f = JudgeDuty(kCommittee, Branch({"2026-09-10"}), *ParsePeriod("2026-11"), "2026-11-01");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, "red");
  EXPECT_EQ(boost::json::serialize(f->facts.at("missed")), R"(["2026-10"])");
  EXPECT_NE(f->message.find("本期尚未召开"), std::string::npos) << f->message;
  EXPECT_EQ(Severity(kCommittee, Branch({"2026-09-10", "2026-11-05"}), "2026-11", "2026-11-10"),
            "");
  // A quarter: Q3 missed keeps Q4 red.
  EXPECT_EQ(Severity(kGeneral, Branch({"2026-05-20"}), "2026-10", "2026-10-01"), "red");
}

TEST(DutyTest, ThemeDayIsDueOnTheDayOfTheSetting) {
  DutyFacts october = Branch({"2026-10-10"});
  EXPECT_EQ(Severity(kThemeDay, october, "2026-11", "2026-11-02"), "") << "8 days before the 10th";
  EXPECT_EQ(Severity(kThemeDay, october, "2026-11", "2026-11-03"), "yellow");
  auto late = JudgeDuty(kThemeDay, october, *ParsePeriod("2026-11"), "2026-11-15");
  ASSERT_TRUE(late);
  EXPECT_EQ(late->severity, "yellow") << "past the 10th, the month is not over";
  EXPECT_EQ(late->facts.at("due_on").as_string(), "2026-11-10");
  EXPECT_EQ(Severity(kThemeDay, Branch({"2026-11-10"}), "2026-11", "2026-11-15"), "");
  EXPECT_EQ(Severity(kThemeDay, october, "2026-11", "2026-11-30"), "red");
  Duty thirty = kThemeDay;
  thirty.due_day = 28;  // the setting's largest day exists in February
  DutyFacts january = Branch({"2026-01-28"});
  EXPECT_EQ(Severity(thirty, january, "2026-02", "2026-02-20"), "") << "8 days before the 28th";
  EXPECT_EQ(Severity(thirty, january, "2026-02", "2026-02-21"), "yellow");
}

TEST(DutyTest, QuarterlyGeneralMeetingIsJudgedInTheQuartersLastMonth) {
  DutyFacts q3 = Branch({"2026-08-20"});
  EXPECT_EQ(Severity(kGeneral, q3, "2026-11", "2026-11-30"), "") << "Q4 ends 2026-12-31";
  EXPECT_EQ(Severity(kGeneral, q3, "2026-12", "2026-12-15"), "") << "16 days left";
  EXPECT_EQ(Severity(kGeneral, q3, "2026-12", "2026-12-16"), "yellow") << "15 days left";
  EXPECT_EQ(Severity(kGeneral, q3, "2026-12", "2026-12-31"), "red");
  EXPECT_EQ(Severity(kGeneral, Branch({"2026-10-12"}), "2026-12", "2026-12-31"), "");
  EXPECT_EQ(Severity(kGeneral, q3, "2026-Q4", "2026-12-31"), "red");
  // A year judged at its end: every quarter without a meeting is named.
  auto year =
      JudgeDuty(kGeneral, Branch({"2026-02-01", "2026-08-01"}), *ParsePeriod("2026"), "2026-12-31");
  ASSERT_TRUE(year);
  EXPECT_EQ(boost::json::serialize(year->facts.at("missed")), R"(["2026-Q2","2026-Q4"])");
}

TEST(DutyTest, YearlyDutiesTurnYellowInDecember) {
  DutyFacts last_year = Branch({"2025-12-20"});
  EXPECT_EQ(Severity(kOrgLife, last_year, "2026-11", "2026-11-29"), "") << "32 days left";
  EXPECT_EQ(Severity(kOrgLife, last_year, "2026-11", "2026-11-30"), "yellow") << "31 days left";
  EXPECT_EQ(Severity(kOrgLife, last_year, "2026-12", "2026-12-31"), "red");
  EXPECT_EQ(Severity(kOrgLife, Branch({"2026-03-15"}), "2026-12", "2026-12-31"), "");
}

TEST(DutyTest, ACycleBeginningBeforeTheDutyDoesNotBind) {
  // A branch set up, or a committee elected, on 2026-11-15: no 支委会 due for November.
  EXPECT_EQ(Severity(kCommittee, Branch({}, "2026-11-15"), "2026-11", "2026-11-30"), "");
  EXPECT_EQ(Severity(kCommittee, Branch({}, "2026-11-01"), "2026-11", "2026-11-30"), "red");
  EXPECT_EQ(Severity(kCommittee, Branch({}, "2026-11-15"), "2026-12", "2026-12-31"), "red");
  EXPECT_EQ(Severity(kCommittee, Branch(), "2027-01", "2026-12-31"), "") << "a future period";
}

//! A branch with a committee of three (elected 2024) and three other members, all there for
//! years; `records` are its 谈心谈话 of 2026.
TalkFacts Talks(std::vector<TalkRecord> records) {
  TalkFacts f;
  f.org_id = 7;
  f.org_name = "第一支部";
  f.org_path = "/1/7/";
  f.committee_elected_on = "2024-03-01";
  f.committee = {
      {1, "书记", "2010-01-01"}, {2, "组织委员", "2010-01-01"}, {3, "宣传委员", "2010-01-01"}};
  f.members = {
      {11, "党员甲", "2010-01-01"}, {12, "党员乙", "2015-01-01"}, {13, "党员丙", "2020-01-01"}};
  f.records = std::move(records);
  return f;
}

//! Every pair of 支委 and every member covered: (1,2) with 11, (1,3) with 12, (2,3) with 13.
std::vector<TalkRecord> Covering() {
  return {{"2026-03-05", {1, 2, 11}}, {"2026-06-10", {1, 3, 12}}, {"2026-09-15", {2, 3, 13}}};
}

std::string TalkSeverity(const TalkFacts& facts, const std::string& period,
                         const std::string& as_of) {
  auto f = JudgeTalks(facts, *ParsePeriod(period), as_of);
  return f ? f->severity : std::string();
}

TEST(TalksTest, OnePairOfTheCommitteeMissingIsRedAtTheYearsEndAndNoneMissingIsNot) {
  EXPECT_EQ(TalkSeverity(Talks(Covering()), "2026-12", "2026-12-31"), "");
  EXPECT_EQ(TalkSeverity(Talks(Covering()), "2026", "2026-12-31"), "");
  auto records = Covering();
  records[2].present = {2, 13};  // 宣传委员 away: the pair (2,3) never met, 13 met 2
  auto f = JudgeTalks(Talks(records), *ParsePeriod("2026-12"), "2026-12-31");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, "red");
  EXPECT_EQ(f->facts.at("committee_pairs_due").as_int64(), 3);
  EXPECT_EQ(f->facts.at("committee_pairs_missing").as_int64(), 1);
  EXPECT_EQ(f->facts.at("members_missing").as_int64(), 0);
  EXPECT_EQ(boost::json::serialize(f->facts.at("missing_pairs")),
            R"([[{"member_id":2,"name":"组织委员"},{"member_id":3,"name":"宣传委员"}]])");
  EXPECT_NE(f->message.find("支委之间尚有 1 对未谈心谈话（共 3 对）"), std::string::npos)
      << f->message;
  EXPECT_EQ(f->message.find("名党员"), std::string::npos) << f->message;
  EXPECT_NE(f->message.find("最近一次 2026-09-15"), std::string::npos) << f->message;
}

TEST(TalksTest, AMemberTalkingOnlyWithOtherMembersOrOnLeaveIsMissing) {
  auto records = Covering();
  records.push_back({"2026-10-20", {12, 13}});  // 党员之间 only: 13 still has the (2,3) record
  records[2].present = {2, 3};                  // 13 was not there
  auto f = JudgeTalks(Talks(records), *ParsePeriod("2026"), "2026-12-31");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, "red");
  EXPECT_EQ(f->facts.at("committee_pairs_missing").as_int64(), 0);
  EXPECT_EQ(boost::json::serialize(f->facts.at("missing_members")),
            R"([{"member_id":13,"name":"党员丙"}])");
  EXPECT_NE(f->message.find("1 名党员未与支委谈心谈话（共 3 名）"), std::string::npos)
      << f->message;
  // Last year's talk does not count for this year.
  records.push_back({"2025-12-30", {1, 13}});
  EXPECT_EQ(TalkSeverity(Talks(records), "2026", "2026-12-31"), "red");
  records.push_back({"2026-12-31", {1, 13}});
  EXPECT_EQ(TalkSeverity(Talks(records), "2026", "2026-12-31"), "") << "on the last day";
}

TEST(TalksTest, YellowFromTheFirstOfOctoberRedOnTheThirtyFirstOfDecember) {
  TalkFacts none = Talks({});
  EXPECT_EQ(TalkSeverity(none, "2026-09", "2026-09-30"), "") << "Q3: nothing yet";
  EXPECT_EQ(TalkSeverity(none, "2026-Q3", "2026-09-30"), "");
  auto october = JudgeTalks(none, *ParsePeriod("2026-10"), "2026-10-01");
  ASSERT_TRUE(october);
  EXPECT_EQ(october->severity, "yellow");
  EXPECT_EQ(october->facts.at("due_on").as_string(), "2026-12-31");
  EXPECT_NE(october->message.find("应于 2026-12-31 前完成"), std::string::npos) << october->message;
  EXPECT_NE(october->message.find("本年度没有记录"), std::string::npos) << october->message;
  EXPECT_EQ(TalkSeverity(none, "2026-12", "2026-12-30"), "yellow") << "the day before the end";
  EXPECT_EQ(TalkSeverity(none, "2026-Q4", "2026-12-31"), "red");
  EXPECT_EQ(TalkSeverity(none, "2026", "2026-11-23"), "yellow") << "the year judged today";
  auto red = JudgeTalks(none, *ParsePeriod("2026-12"), "2026-12-31");
  ASSERT_TRUE(red);
  EXPECT_EQ(red->facts.at("committee_pairs_missing").as_int64(), 3);
  EXPECT_EQ(red->facts.at("members_missing").as_int64(), 3);
  EXPECT_EQ(red->facts.if_contains("due_on"), nullptr);
  // The next year starts afresh.
  EXPECT_EQ(TalkSeverity(none, "2027-01", "2027-01-31"), "");
  EXPECT_EQ(TalkSeverity(none, "2027-01", "2026-12-31"), "") << "a future period";
}

TEST(TalksTest, LateArrivalsAndACommitteeElectedInTheFourthQuarterAreNotDueThatYear) {
  TalkFacts f = Talks(Covering());
  f.members.push_back({14, "党员丁", "2026-10-01"});     // arrived in Q4
  f.committee.push_back({4, "纪检委员", "2026-09-30"});  // there since the cutoff: due
  auto found = JudgeTalks(f, *ParsePeriod("2026-12"), "2026-12-31");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->facts.at("committee_pairs_due").as_int64(), 6);
  EXPECT_EQ(found->facts.at("committee_pairs_missing").as_int64(), 3) << "4 met nobody";
  EXPECT_EQ(found->facts.at("members_due").as_int64(), 3) << "14 came in October";
  f.committee_elected_on = "2026-10-08";
  EXPECT_EQ(TalkSeverity(f, "2026-12", "2026-12-31"), "") << "a new committee's pairs";
  f.records.clear();
  auto members = JudgeTalks(f, *ParsePeriod("2026-12"), "2026-12-31");
  ASSERT_TRUE(members) << "its members still talk with a 支委";
  EXPECT_EQ(members->facts.at("committee_pairs_due").as_int64(), 0);
  EXPECT_EQ(members->facts.at("members_missing").as_int64(), 3);
}

TEST(TalksTest, ABranchWithoutACommitteeIsNotBoundAndALoneSecretaryTalksWithEveryone) {
  TalkFacts f = Talks({});
  f.committee.clear();
  f.committee_not_judged = {"外单位兼任书记"};
  EXPECT_FALSE(AssessTalks(f, *ParsePeriod("2026-12"), "2026-12-31").binds);
  EXPECT_EQ(TalkSeverity(f, "2026-12", "2026-12-31"), "");
  f.committee = {{1, "书记", "2010-01-01"}};
  f.records = {{"2026-04-01", {1, 11}}, {"2026-05-01", {1, 12, 13}}};
  auto covered = AssessTalks(f, *ParsePeriod("2026-12"), "2026-12-31");
  EXPECT_TRUE(covered.binds);
  EXPECT_EQ(covered.pairs_due, 0);
  EXPECT_FALSE(covered.finding.has_value());
  EXPECT_EQ(covered.held_in_period, 0) << "none in December";
  f.records.pop_back();
  auto missing = JudgeTalks(f, *ParsePeriod("2026"), "2026-12-31");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->facts.at("members_missing").as_int64(), 2);
  EXPECT_EQ(boost::json::serialize(missing->facts.at("committee_not_judged")),
            R"(["外单位兼任书记"])");
}

TEST(TalksTest, AtMostTwentyAreListedAndAllAreCounted) {
  TalkFacts f = Talks({});
  f.members.clear();
  for (int i = 0; i < 30; ++i)
    f.members.push_back({100 + i, "党员" + std::to_string(i), "2010-01-01"});
  auto found = JudgeTalks(f, *ParsePeriod("2026-12"), "2026-12-31");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->facts.at("members_missing").as_int64(), 30);
  EXPECT_EQ(found->facts.at("missing_members").as_array().size(), kTalksListed);
  EXPECT_NE(found->message.find("30 名党员"), std::string::npos) << found->message;
}

AbsenceFacts Member(std::optional<std::string> last, std::string since = "2010-01-01") {
  return AbsenceFacts{42, "张三", 7, "/1/7/", std::move(last), std::move(since)};
}

TEST(AbsenceTest, SixMonthsToTheDayIsRedFiveIsYellow) {
  auto m = Member("2026-05-23");
  EXPECT_FALSE(JudgeAbsence(m, "2026-10-22", 5).has_value()) << "the day before five months";
  auto notice = JudgeAbsence(m, "2026-10-23", 5);
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->severity, "yellow");
  EXPECT_EQ(JudgeAbsence(m, "2026-11-22", 5)->severity, "yellow") << "the day before six months";
  auto red = JudgeAbsence(m, "2026-11-23", 5);
  ASSERT_TRUE(red);
  EXPECT_EQ(red->severity, "red") << "six months to the day";
  EXPECT_EQ(red->subject_kind, "member");
  EXPECT_NE(red->message.find("不自动除名"), std::string::npos);
  EXPECT_EQ(red->facts.at("six_months_on").as_string(), "2026-11-23");
  // The notice setting moves only the yellow threshold.
  EXPECT_FALSE(JudgeAbsence(m, "2026-08-22", 3).has_value());
  EXPECT_EQ(JudgeAbsence(m, "2026-08-23", 3)->severity, "yellow");
}

TEST(AbsenceTest, ANewcomerIsCountedFromTheirArrival) {
  // Never attended, arrived 2026-06-01: red only from 2026-12-01.
  EXPECT_EQ(JudgeAbsence(Member(std::nullopt, "2026-06-01"), "2026-11-30", 5)->severity, "yellow");
  EXPECT_EQ(JudgeAbsence(Member(std::nullopt, "2026-06-01"), "2026-12-01", 5)->severity, "red");
  // Attended before arriving here (another deployment's records do not exist): the later date.
  EXPECT_FALSE(JudgeAbsence(Member("2025-01-01", "2026-09-01"), "2026-11-23", 5).has_value());
}

}  // namespace
}  // namespace zhibu::orglife
