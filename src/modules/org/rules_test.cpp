//! Committee term judgements on both sides of their thresholds.

#include "modules/org/rules.h"

#include <gtest/gtest.h>

namespace zhibu::org {
namespace {

CommitteeTermFacts Term(std::string ends, std::optional<std::string> extended = std::nullopt) {
  return CommitteeTermFacts{
      7, "第一支部", "/1/7/", "2023-11-23", 3, std::move(ends), std::move(extended)};
}

TEST(TermRulesTest, OverdueTheDayAfterTheTermEnds) {
  EXPECT_FALSE(JudgeTermOverdue(Term("2026-11-23"), "2026-11-23").has_value()) << "last day";
  auto f = JudgeTermOverdue(Term("2026-11-23"), "2026-11-24");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, "red");
  // An approved extension moves the end.
  EXPECT_FALSE(JudgeTermOverdue(Term("2026-11-23", "2027-05-23"), "2027-05-23").has_value());
  EXPECT_TRUE(JudgeTermOverdue(Term("2026-11-23", "2027-05-23"), "2027-05-24").has_value());
}

TEST(TermRulesTest, EndingWithinTheWarningMonths) {
  EXPECT_FALSE(JudgeTermEnding(Term("2027-05-24"), "2026-11-23", 6).has_value())
      << "6 months + 1 day";
  EXPECT_TRUE(JudgeTermEnding(Term("2027-05-23"), "2026-11-23", 6).has_value()) << "6 months";
  EXPECT_TRUE(JudgeTermEnding(Term("2026-11-23"), "2026-11-23", 6).has_value()) << "ends today";
  EXPECT_FALSE(JudgeTermEnding(Term("2026-11-22"), "2026-11-23", 6).has_value()) << "overdue";
}

}  // namespace
}  // namespace zhibu::org
