#include "platform/identity/id_number.h"

#include <gtest/gtest.h>

namespace zhibu::identity {
namespace {

constexpr std::string_view kToday = "2026-11-23";

std::string Code(std::string_view input, std::string_view today = kToday) {
  auto r = ParseIdNumber(input, today);
  return r ? std::string("ok") : r.error().code;
}

TEST(IdNumberTest, TheStandardsExamples) {
  auto a = ParseIdNumber("11010519491231002X", kToday).value();
  EXPECT_EQ(a.birth_date, "1949-12-31");
  EXPECT_FALSE(a.male);
  EXPECT_EQ(a.area_code, "110105");
  auto b = ParseIdNumber("440524188001010014", kToday).value();
  EXPECT_EQ(b.birth_date, "1880-01-01");
  EXPECT_TRUE(b.male);
  EXPECT_EQ(Code("110101199003074477"), "ok");
  EXPECT_EQ(Code("11010119900307803X"), "ok");
  auto bad = ParseIdNumber("110105194912310021", kToday);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "idcard.checksum");
  EXPECT_EQ(bad.error().field, "number");
  EXPECT_NE(bad.error().message.find("校验码应为 X"), std::string::npos) << bad.error().message;
  EXPECT_NE(bad.error().rule.find("GB 11643"), std::string::npos);
}

TEST(IdNumberTest, CheckCodeIsIso7064Mod112) {
  EXPECT_EQ(CheckCode("11010519491231002"), 'X');
  EXPECT_EQ(CheckCode("44052418800101001"), '4');
  EXPECT_EQ(CheckCode("11010119900307447"), '7');
}

TEST(IdNumberTest, LowerCaseFullWidthAndSpacesAreFolded) {
  EXPECT_EQ(ParseIdNumber("11010519491231002x", kToday)->number, "11010519491231002X");
  EXPECT_EQ(ParseIdNumber("１１０１０５１９４９１２３１００２Ｘ", kToday)->number,
            "11010519491231002X");
  EXPECT_EQ(ParseIdNumber("１１０１０５１９４９１２３１００２ｘ", kToday)->number,
            "11010519491231002X");
  EXPECT_EQ(ParseIdNumber("  11010519491231002X\t", kToday)->number, "11010519491231002X");
  EXPECT_EQ(ParseIdNumber("　11010519491231002X　", kToday)->number, "11010519491231002X");
}

TEST(IdNumberTest, FifteenDigitNumbersAreConverted) {
  auto old = ParseIdNumber("110105491231002", kToday).value();
  EXPECT_EQ(old.number, "11010519491231002X");
  EXPECT_TRUE(old.converted_from_15);
  EXPECT_FALSE(old.male);
  EXPECT_EQ(Code("11010549123100X"), "idcard.characters");
}

TEST(IdNumberTest, ImpossibleDatesAreRejected) {
  auto with = [](std::string body17) { return body17 + CheckCode(body17); };
  EXPECT_EQ(Code(with("11010520000229001")), "ok");                 // leap year
  EXPECT_EQ(Code(with("11010519000229001")), "idcard.birth_date");  // 1900 is not
  EXPECT_EQ(Code(with("11010520010229001")), "idcard.birth_date");
  EXPECT_EQ(Code(with("11010519901301001")), "idcard.birth_date");  // month 13
  EXPECT_EQ(Code(with("11010519900100001")), "idcard.birth_date");  // day 00
  EXPECT_EQ(Code(with("11010519900431001")), "idcard.birth_date");  // 31 April
  EXPECT_EQ(Code(with("11010517991231001")), "idcard.birth_date");  // before 1800
}

TEST(IdNumberTest, BirthDateNotAfterTodayEdge) {
  auto with = [](std::string body17) { return body17 + CheckCode(body17); };
  std::string born_today = with("11010520261123001");
  std::string born_tomorrow = with("11010520261124001");
  EXPECT_EQ(Code(born_today, "2026-11-23"), "ok");
  EXPECT_EQ(Code(born_tomorrow, "2026-11-23"), "idcard.birth_date");
  EXPECT_EQ(Code(born_tomorrow, "2026-11-24"), "ok");
}

TEST(IdNumberTest, LengthCharactersAndAreaAreChecked) {
  EXPECT_EQ(Code("1101051949123100"), "idcard.length");
  EXPECT_EQ(Code("11010519491231002X1"), "idcard.length");
  EXPECT_EQ(Code(""), "idcard.length");
  EXPECT_EQ(Code("1101051949A231002X"), "idcard.characters");
  EXPECT_EQ(Code("110105194912X10021"), "idcard.characters");
  EXPECT_EQ(Code("11010519491231002Y"), "idcard.characters");
  auto with = [](std::string body17) { return body17 + CheckCode(body17); };
  EXPECT_EQ(Code(with("00010519491231002")), "idcard.area");
  EXPECT_EQ(Code(with("99010519491231002")), "idcard.area");
  EXPECT_EQ(Code(with("81000019491231002")), "ok");  // 港澳台居民居住证
}

TEST(IdNumberTest, Masking) {
  EXPECT_EQ(MaskIdNumber("11010519491231002X"), "110105********002X");
  EXPECT_EQ(MaskIdNumber("123"), "***");
}

}  // namespace
}  // namespace zhibu::identity
