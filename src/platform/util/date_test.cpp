//! Dates as Zhibu spells them (ISO 8601 calendar dates, Asia/Shanghai): parsing refuses anything
//! but a valid `YYYY-MM-DD`, formatting pads every part, and the two round-trip.

#include "platform/util/date.h"

#include <gtest/gtest.h>

namespace zhibu {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

TEST(DateTest, FormatsWithZeroPaddedParts) {
  EXPECT_EQ(FormatIsoDate(year(2026) / month(1) / day(5)), "2026-01-05");
  EXPECT_EQ(FormatIsoDate(year(1900) / month(12) / day(31)), "1900-12-31");
  EXPECT_EQ(FormatIsoDate(year(2199) / month(2) / day(28)), "2199-02-28");
  EXPECT_EQ(FormatIsoDate(year(987) / month(10) / day(10)), "0987-10-10");
}

TEST(DateTest, ParsesOnlyValidDatesAndRoundTrips) {
  for (const char* text : {"2026-11-24", "2024-02-29", "1949-10-01", "2199-12-31"}) {
    auto parsed = ParseIsoDate(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(FormatIsoDate(*parsed), text);
  }
  for (const char* text : {"2026-02-29", "2026-13-01", "2026-1-01", "26-01-01", "2026/01/01",
                           "1899-12-31", "2026-01-0x"}) {
    EXPECT_FALSE(ParseIsoDate(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace zhibu
