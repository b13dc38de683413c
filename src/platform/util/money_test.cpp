#include "platform/util/money.h"

#include <gtest/gtest.h>

namespace zhibu::money {
namespace {

std::int64_t Parsed(std::string_view text) {
  auto fen = ParseYuan(text, "base");
  EXPECT_TRUE(fen.has_value()) << text;
  return fen ? fen->value : -1;
}

std::string Refused(std::string_view text) {
  auto fen = ParseYuan(text, "base");
  EXPECT_FALSE(fen.has_value()) << text;
  if (fen) return {};
  EXPECT_EQ(fen.error().field, "base") << text;
  EXPECT_EQ(fen.error().kind, ErrorKind::kInvalidArgument) << text;
  return fen.error().code;
}

TEST(MoneyTest, ParsesYuanIntoExactFen) {
  EXPECT_EQ(Parsed("0"), 0);
  EXPECT_EQ(Parsed("5000"), 500000);
  EXPECT_EQ(Parsed("5000.0"), 500000);
  EXPECT_EQ(Parsed("5000.1"), 500010);
  EXPECT_EQ(Parsed("5000.01"), 500001);
  EXPECT_EQ(Parsed("0.07"), 7);
  EXPECT_EQ(Parsed("007.50"), 750);
  // 0.1 + 0.2 is not 0.3 in binary floating point; in fen it is.
  EXPECT_EQ(Parsed("0.1") + Parsed("0.2"), Parsed("0.3"));
  EXPECT_EQ(Parsed("100000000.00"), kMaxFen);
}

TEST(MoneyTest, RefusesWhatIsNotAnAmountNamingTheField) {
  EXPECT_EQ(Refused(""), "money.missing");
  EXPECT_EQ(Refused("-1"), "money.negative");
  EXPECT_EQ(Refused("-0.01"), "money.negative");
  EXPECT_EQ(Refused("5000.001"), "money.too_precise");
  EXPECT_EQ(Refused("3000.000"), "money.too_precise");
  for (std::string_view bad : {"abc", "5e3", "1,000", " 5000", "5000 ", "5000.", ".5", "+5",
                               "５０００", "0x10", "5000.0.1", "NaN", "inf"}) {
    EXPECT_EQ(Refused(bad), "money.not_a_number") << bad;
  }
  EXPECT_EQ(Refused("100000000.01"), "money.too_large");
  EXPECT_EQ(Refused("99999999999999999999999"), "money.too_large");
}

TEST(MoneyTest, FormatsWithTwoDecimals) {
  EXPECT_EQ(FormatYuan(Fen{0}), "0.00");
  EXPECT_EQ(FormatYuan(Fen{7}), "0.07");
  EXPECT_EQ(FormatYuan(Fen{750}), "7.50");
  EXPECT_EQ(FormatYuan(Fen{500001}), "5000.01");
  EXPECT_EQ(FormatYuan(Fen{-1234}), "-12.34");
  EXPECT_EQ(FormatYuan(Fen{kMaxFen}), "100000000.00");
}

TEST(MoneyTest, MultipliesRoundingHalfUpToTheFen) {
  // 0.5% of 2999.99 = 14.99995 → 15.00; of 2999.98 = 14.9999 → 15.00; of 0.99 = 0.00495 → 0.00.
  EXPECT_EQ(MultiplyRoundHalfUp(Fen{299999}, 50, 10000).value, 1500);
  EXPECT_EQ(MultiplyRoundHalfUp(Fen{299998}, 50, 10000).value, 1500);
  EXPECT_EQ(MultiplyRoundHalfUp(Fen{99}, 50, 10000).value, 0);
  // Exactly half a fen goes up: 1.5% of 0.10 = 0.0015 → 0.00; of 1.00 = 0.015 → 0.02.
  EXPECT_EQ(MultiplyRoundHalfUp(Fen{10}, 150, 10000).value, 0);
  EXPECT_EQ(MultiplyRoundHalfUp(Fen{100}, 150, 10000).value, 2);
  EXPECT_EQ(MultiplyRoundHalfUp(Fen{100}, 50, 10000).value, 1);  // 0.005 → 0.01
  EXPECT_EQ(MultiplyRoundHalfUp(Fen{-100}, 50, 10000).value, -1);
  // The largest amount times the largest rate does not overflow.
  EXPECT_EQ(MultiplyRoundHalfUp(Fen{kMaxFen}, 200, 10000).value, kMaxFen / 50);
}

}  // namespace
}  // namespace zhibu::money
