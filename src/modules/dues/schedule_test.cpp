#include "modules/dues/schedule.h"

#include <gtest/gtest.h>

#include "modules/dues/rules.h"

namespace zhibu::dues {
namespace {

YearMonth M(std::string_view text) { return *ParseYearMonth(text); }
money::Fen Y(std::int64_t fen) { return money::Fen{fen}; }

TEST(DuesScheduleTest, MonthsParseCountAndEnd) {
  EXPECT_EQ(FormatYearMonth(M("2026-11")), "2026-11");
  for (std::string_view bad : {"2026-13", "2026-00", "2026-1", "26-11", "2026/11", "1899-12", ""}) {
    EXPECT_FALSE(ParseYearMonth(bad).has_value()) << bad;
  }
  EXPECT_EQ(AddMonths(M("2026-11"), 2), M("2027-01"));
  EXPECT_EQ(AddMonths(M("2026-01"), -1), M("2025-12"));
  EXPECT_EQ(MonthsBetween(M("2026-05"), M("2026-11")), 6);
  EXPECT_EQ(MonthsBetween(M("2026-11"), M("2026-05")), -6);
  EXPECT_EQ(LastDayOf(M("2024-02")), "2024-02-29");
  EXPECT_EQ(LastDayOf(M("2026-02")), "2026-02-28");
  EXPECT_EQ(FirstDayOf(M("2026-11")), "2026-11-01");
  EXPECT_EQ(MonthOfDate("2026-11-23"), M("2026-11"));
}

// 第八条: from the month of admission; 第十条: a new base from its month.
TEST(DuesScheduleTest, DueFollowsAdmissionAndTheBaseInForce) {
  std::vector<BaseEntry> bases{{M("2026-01"), Y(5000)}, {M("2026-07"), Y(7500)}};
  EXPECT_FALSE(DueFor(M("2025-12"), M("2025-06"), bases, {}).due.has_value()) << "no base yet";
  EXPECT_FALSE(DueFor(M("2026-02"), M("2026-03"), bases, {}).due.has_value()) << "not yet admitted";
  EXPECT_EQ(DueFor(M("2026-03"), M("2026-03"), bases, {}).due, Y(5000)) << "the admission month";
  EXPECT_EQ(DueFor(M("2026-06"), M("2025-01"), bases, {}).due, Y(5000)) << "the month before";
  EXPECT_EQ(DueFor(M("2026-07"), M("2025-01"), bases, {}).due, Y(7500)) << "the new base's month";
  // Two bases for the same month: the later declaration wins.
  std::vector<BaseEntry> corrected{{M("2026-01"), Y(5000)}, {M("2026-01"), Y(3000)}};
  EXPECT_EQ(DueFor(M("2026-05"), M("2025-01"), corrected, {}).due, Y(3000));
}

// 第七条: an approved reduction replaces the amount in its months, inclusive.
TEST(DuesScheduleTest, ReductionsApplyExactlyToTheirMonths) {
  std::vector<BaseEntry> bases{{M("2026-01"), Y(5000)}};
  std::vector<ReductionEntry> exempt{{M("2026-04"), M("2026-06"), Y(0)}};
  EXPECT_EQ(DueFor(M("2026-03"), M("2025-01"), bases, exempt).due, Y(5000));
  auto april = DueFor(M("2026-04"), M("2025-01"), bases, exempt);
  EXPECT_EQ(april.due, Y(0));
  EXPECT_TRUE(april.reduced);
  EXPECT_EQ(DueFor(M("2026-06"), M("2025-01"), bases, exempt).due, Y(0));
  EXPECT_EQ(DueFor(M("2026-07"), M("2025-01"), bases, exempt).due, Y(5000));
}

std::vector<StatementMonth> Year2026(const std::vector<std::pair<YearMonth, money::Fen>>& paid,
                                     std::vector<ReductionEntry> reductions = {}) {
  std::vector<BaseEntry> bases{{M("2025-01"), Y(5000)}};
  return Statement(M("2026-01"), M("2026-12"), M("2025-01"), bases, reductions, paid);
}

// 党章 第九条 / 第十三条: six consecutive unpaid months, counted back from the last month judged.
TEST(DuesScheduleTest, SixConsecutiveUnpaidMonthsAreFiveThenSix) {
  // Paid through June 2026, nothing since: judged at November, five months; at December, six.
  std::vector<std::pair<YearMonth, money::Fen>> paid;
  for (int m = 1; m <= 6; ++m) paid.push_back({YearMonth{2026, m}, Y(5000)});
  auto year = Year2026(paid);
  auto to_november = std::span<const StatementMonth>(year).first(11);
  EXPECT_EQ(TrailingUnpaidRun(to_november).size(), 5u);
  auto judged_november = Judge(to_november, 3, M("2026-11"), M("2026-11"));
  EXPECT_FALSE(judged_november.six_months);
  EXPECT_TRUE(judged_november.arrears_notice);
  auto judged_december = Judge(year, 3, M("2026-12"), M("2026-12"));
  EXPECT_TRUE(judged_december.six_months);
  EXPECT_FALSE(judged_december.arrears_notice);
  EXPECT_EQ(judged_december.unpaid_run.front(), M("2026-07"));
  // A back payment (补交) of any month of the run breaks it.
  paid.push_back({M("2026-09"), Y(5000)});
  EXPECT_EQ(TrailingUnpaidRun(Year2026(paid)).size(), 3u);
}

TEST(DuesScheduleTest, AnApprovedExemptionIsNotUnpaid) {
  std::vector<std::pair<YearMonth, money::Fen>> paid;
  for (int m = 1; m <= 6; ++m) paid.push_back({YearMonth{2026, m}, Y(5000)});
  auto exempt = Year2026(paid, {{M("2026-07"), M("2026-12"), Y(0)}});
  EXPECT_TRUE(TrailingUnpaidRun(exempt).empty());
  EXPECT_FALSE(Judge(exempt, 3, M("2026-12"), M("2026-12")).six_months);
  // A reduction to 0.20 still has to be paid: unpaid months count.
  auto reduced = Year2026(paid, {{M("2026-07"), M("2026-12"), Y(20)}});
  EXPECT_EQ(TrailingUnpaidRun(reduced).size(), 6u);
}

TEST(DuesScheduleTest, PaidBelowWithoutApprovalIsFlaggedWithApprovalNot) {
  auto below = Year2026({{M("2026-03"), Y(4999)}, {M("2026-04"), Y(5000)}});
  EXPECT_TRUE(below[2].paid_below());
  EXPECT_EQ(below[2].owed(), Y(1));
  EXPECT_FALSE(below[3].paid_below());
  EXPECT_EQ(Judge(below, 3, M("2026-01"), M("2026-06")).paid_below,
            std::vector<YearMonth>{M("2026-03")});
  EXPECT_TRUE(Judge(below, 3, M("2026-04"), M("2026-06")).paid_below.empty()) << "outside";
  auto approved = Year2026({{M("2026-03"), Y(20)}}, {{M("2026-03"), M("2026-03"), Y(20)}});
  EXPECT_FALSE(approved[2].paid_below());
}

TEST(DuesScheduleTest, TheLastCompletedMonthEndsOnItsLastDay) {
  EXPECT_EQ(LastCompletedMonth("2026-11-29"), M("2026-10"));
  EXPECT_EQ(LastCompletedMonth("2026-11-30"), M("2026-11"));
  EXPECT_EQ(LastCompletedMonth("2026-12-01"), M("2026-11"));
}

}  // namespace
}  // namespace zhibu::dues
