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
