#include "platform/identity/id_number.h"

#include <gtest/gtest.h>

#include <string>

namespace zhibu::identity {
namespace {

constexpr std::string_view kToday = "2026-11-23";

//! "ok", or the error code.
std::string Code(std::string_view input, std::string_view today = kToday) {
  auto r = ParseIdNumber(input, today);
  return r ? std::string("ok") : r.error().code;
}

//! The error message (empty when valid).
std::string Message(std::string_view input, std::string_view today = kToday) {
  auto r = ParseIdNumber(input, today);
  return r ? std::string() : r.error().message;
}

//! A 17-digit body completed with its correct check code.
std::string WithCheck(const std::string& body17) { return body17 + CheckCode(body17); }

// GB 11643-1999 附录 A: the standard's two examples, and rules.md §8's verified numbers.
TEST(IdNumberTest, TheStandardsExamples) {
  auto a = ParseIdNumber("11010519491231002X", kToday).value();
  EXPECT_EQ(a.number, "11010519491231002X");
  EXPECT_EQ(a.area_code, "110105");
  EXPECT_EQ(a.birth_date, "1949-12-31");
  EXPECT_EQ(a.birth_year, 1949);
  EXPECT_EQ(a.birth_month, 12);
  EXPECT_EQ(a.birth_day, 31);
  EXPECT_EQ(a.sex, Sex::kFemale);
  EXPECT_FALSE(a.converted_from_15);

  auto b = ParseIdNumber("440524188001010014", kToday).value();
  EXPECT_EQ(b.birth_date, "1880-01-01") << "the 1800 floor admits the standard's 1880 example";
  EXPECT_EQ(b.sex, Sex::kMale);
  EXPECT_EQ(b.area_code, "440524");

  EXPECT_EQ(Code("110101199003074477"), "ok");
  EXPECT_EQ(Code("11010119900307803X"), "ok");
}

TEST(IdNumberTest, WrongCheckCodeSaysWhatItShouldBe) {
  auto bad = ParseIdNumber("110105194912310021", kToday);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(bad.error().code, "idcard.checksum");
  EXPECT_EQ(bad.error().field, "number");
  EXPECT_EQ(bad.error().message, "校验码应为 X，实为 1");
  EXPECT_NE(bad.error().rule.find("GB 11643-1999"), std::string::npos);
  EXPECT_EQ(Message("440524188001010015"), "校验码应为 4，实为 5");
  EXPECT_EQ(Message("11010119900307447X"), "校验码应为 7，实为 X");
}

TEST(IdNumberTest, CheckCodeIsIso7064Mod112) {
  EXPECT_EQ(CheckCode("11010519491231002"), 'X');  // S = 167, 167 mod 11 = 2 → X
  EXPECT_EQ(CheckCode("44052418800101001"), '4');  // S = 195, 195 mod 11 = 8 → 4
  EXPECT_EQ(CheckCode("11010119900307447"), '7');  // S = 214, 214 mod 11 = 5 → 7
  EXPECT_EQ(CheckCode("00000000000000000"), '1');  // S = 0 → 1
  EXPECT_EQ(CheckCode("1101051949123100"), '\0') << "16 digits";
  EXPECT_EQ(CheckCode("110105194912310021"), '\0') << "18 digits";
  EXPECT_EQ(CheckCode("1101051949123100X"), '\0') << "not all digits";
}

TEST(IdNumberTest, LowerCaseXIsUpperCased) {
  auto r = ParseIdNumber("11010519491231002x", kToday).value();
  EXPECT_EQ(r.number, "11010519491231002X");
}

TEST(IdNumberTest, FullWidthDigitsAndXAreFolded) {
  EXPECT_EQ(ParseIdNumber("１１０１０５１９４９１２３１００２Ｘ", kToday)->number,
            "11010519491231002X");
  EXPECT_EQ(ParseIdNumber("１１０１０５１９４９１２３１００２ｘ", kToday)->number,
            "11010519491231002X");
  EXPECT_EQ(ParseIdNumber("４４０５２４１８８００１０１００１４", kToday)->number,
            "440524188001010014");
  EXPECT_EQ(ParseIdNumber("110105１９４９1231002X", kToday)->number, "11010519491231002X")
      << "mixed widths";
}

TEST(IdNumberTest, SurroundingSpacesAreTrimmedInnerOnesRefused) {
  EXPECT_EQ(ParseIdNumber("  11010519491231002X\t", kToday)->number, "11010519491231002X");
  EXPECT_EQ(ParseIdNumber("\u300011010519491231002X\u3000\r\n", kToday)->number,
            "11010519491231002X");
  EXPECT_EQ(Code("110105 19491231002X"), "idcard.characters");
  EXPECT_EQ(Message("110105 19491231002X"),
            "身份证号码第 7 位是空格：只能是数字，末位校验码可以是 X");
  EXPECT_EQ(Code("   "), "idcard.length") << "only spaces is an empty number";
}

TEST(IdNumberTest, FifteenDigitNumbersAreConverted) {
  auto old = ParseIdNumber("110105491231002", kToday).value();
  EXPECT_EQ(old.number, "11010519491231002X");
  EXPECT_TRUE(old.converted_from_15);
  EXPECT_EQ(old.birth_date, "1949-12-31");
  EXPECT_EQ(old.sex, Sex::kFemale);
  auto male = ParseIdNumber("440524800101001", kToday).value();
  EXPECT_EQ(male.number, "440524198001010013");
  EXPECT_EQ(male.sex, Sex::kMale);
  EXPECT_EQ(Code("１１０１０５４９１２３１００２"), "ok") << "full-width 15-digit";
  EXPECT_EQ(Code("11010549123100X"), "idcard.characters");
  EXPECT_EQ(Message("11010549123100X"),
            "身份证号码第 15 位是 X：15 位旧式号码没有校验码，只能由数字组成");
  EXPECT_EQ(Code("110105490229002"), "idcard.birth_date") << "1949 is not a leap year";
  EXPECT_EQ(Code("110105480229002"), "ok") << "1948 is";
}

TEST(IdNumberTest, ImpossibleDatesAreRejected) {
  EXPECT_EQ(Code(WithCheck("11010520000229001")), "ok");  // 2000: divisible by 400, leap
  EXPECT_EQ(Code(WithCheck("11010519960229001")), "ok");  // 1996: leap
  EXPECT_EQ(Code(WithCheck("11010519000229001")), "idcard.birth_date");  // 1900: by 100, not
  EXPECT_EQ(Code(WithCheck("11010520010229001")), "idcard.birth_date");
  EXPECT_EQ(Message(WithCheck("11010520010229001")),
            "出生日期 2001-02-29 不存在：2001 年不是闰年，2 月只有 28 天");
  EXPECT_EQ(Code(WithCheck("11010519901301001")), "idcard.birth_date");
  EXPECT_EQ(Message(WithCheck("11010519901301001")),
            "出生日期 1990-13-01 不存在：月份 13 应在 01–12 之间");
  EXPECT_EQ(Code(WithCheck("11010519900001001")), "idcard.birth_date");  // month 00
  EXPECT_EQ(Code(WithCheck("11010519900100001")), "idcard.birth_date");
  EXPECT_EQ(Message(WithCheck("11010519900100001")),
            "出生日期 1990-01-00 不存在：日 00 应在 01–31 之间");
  EXPECT_EQ(Message(WithCheck("11010519900431001")),
            "出生日期 1990-04-31 不存在：1990 年 4 月只有 30 天");
  EXPECT_EQ(Code(WithCheck("11010519900132001")), "idcard.birth_date");  // 32 January
}

TEST(IdNumberTest, BirthDateFloorIs1800) {
  EXPECT_EQ(Code(WithCheck("11010518000101001")), "ok");
  EXPECT_EQ(Code(WithCheck("11010517991231001")), "idcard.birth_date");
  EXPECT_EQ(Message(WithCheck("11010517991231001")), "出生日期 1799-12-31 早于 1800-01-01");
  EXPECT_EQ(Code(WithCheck("11010507991231001")), "idcard.birth_date") << "a century typo";
}

TEST(IdNumberTest, BirthDateNotAfterToday) {
  std::string born_yesterday = WithCheck("11010520261122001");
  std::string born_today = WithCheck("11010520261123001");
  std::string born_tomorrow = WithCheck("11010520261124001");
  EXPECT_EQ(Code(born_yesterday, "2026-11-23"), "ok");
  EXPECT_EQ(Code(born_today, "2026-11-23"), "ok") << "born today is allowed";
  EXPECT_EQ(Code(born_tomorrow, "2026-11-23"), "idcard.birth_date");
  EXPECT_EQ(Message(born_tomorrow, "2026-11-23"), "出生日期 2026-11-24 晚于今天（2026-11-23）");
  EXPECT_EQ(Code(born_tomorrow, "2026-11-24"), "ok") << "the day of";
  EXPECT_EQ(Code(WithCheck("11010520270101001"), "2026-12-31"), "idcard.birth_date")
      << "across a year end";
  EXPECT_EQ(Code(WithCheck("11010599991231001")), "idcard.birth_date");
}

TEST(IdNumberTest, TodayDefaultsToShanghaisCalendar) {
  EXPECT_EQ(ParseIdNumber("11010519491231002X")->birth_date, "1949-12-31");
  EXPECT_EQ(ParseIdNumber(WithCheck("11010599991231001")).error().code, "idcard.birth_date");
}

TEST(IdNumberTest, WrongLengths) {
  EXPECT_EQ(Code(""), "idcard.length");
  EXPECT_EQ(Code("1101051949123100"), "idcard.length");
  EXPECT_EQ(Message("1101051949123100"), "身份证号码应为 18 位（旧式号码 15 位），实为 16 位");
  EXPECT_EQ(Code("11010519491231002X1"), "idcard.length");
  EXPECT_EQ(Code("11010549123100"), "idcard.length");
  EXPECT_EQ(Code("１１０１０５１９４９１２３１００２"), "idcard.length") << "17 full-width digits";
}

TEST(IdNumberTest, LettersAndOtherCharacters) {
  EXPECT_EQ(Code("1101051949A231002X"), "idcard.characters");
  EXPECT_EQ(Message("1101051949A231002X"),
            "身份证号码第 11 位是「A」：只能是数字，末位校验码可以是 X");
  EXPECT_EQ(Code("110105194912X10021"), "idcard.characters");
  EXPECT_EQ(Message("110105194912X10021"), "身份证号码第 13 位是 X：X 只能作为第 18 位校验码");
  EXPECT_EQ(Code("11010519491231002Y"), "idcard.characters");
  EXPECT_EQ(Code("11010519491231一02X"), "idcard.characters");
  EXPECT_EQ(Message("11010519491231一02X"),
            "身份证号码第 15 位是「一」：只能是数字，末位校验码可以是 X");
  EXPECT_EQ(Code("110105-19491231-002X"), "idcard.characters");
  EXPECT_EQ(Code(std::string("1101051949\xff"
                             "1231002X")),
            "idcard.characters");
  EXPECT_EQ(Message(std::string("1101051949\xff"
                                "1231002X")),
            "身份证号码第 11 位是无效的 UTF-8 字节 0xFF：只能是数字，末位校验码可以是 X");
  EXPECT_EQ(Code(std::string("11010519491231002X\0", 19)), "idcard.characters");
}

TEST(IdNumberTest, AreaCodeMustStartWithAProvince) {
  EXPECT_EQ(Code(WithCheck("01010519491231002")), "idcard.area");
  EXPECT_EQ(Message(WithCheck("01010519491231002")),
            "地址码首位是 0：省级行政区划代码的首位为 1–9（GB/T 2260）");
  EXPECT_EQ(Code(WithCheck("16010519491231002")), "idcard.area");
  EXPECT_EQ(Message(WithCheck("16010519491231002")),
            "地址码前两位「16」不是省级行政区划代码（GB/T 2260）");
  EXPECT_EQ(Code(WithCheck("20010519491231002")), "idcard.area");
  EXPECT_EQ(Code(WithCheck("66010519491231002")), "idcard.area");
  EXPECT_EQ(Code(WithCheck("72010519491231002")), "idcard.area");
  for (std::string province : {"11", "15", "21", "23", "31", "37", "41", "46", "50", "54", "61",
                               "65", "71", "81", "82", "83"}) {
    EXPECT_EQ(Code(WithCheck(province + "010519491231002")), "ok") << province;
  }
  // 外国人永久居留身份证 (2023): 9, then the issuing province's code.
  EXPECT_EQ(Code(WithCheck("91115619800101001")), "ok");
  EXPECT_EQ(Code(WithCheck("93115619800101001")), "ok") << "digits 2–3 = 31, 上海";
  EXPECT_EQ(Code(WithCheck("99915619800101001")), "idcard.area");
  EXPECT_EQ(Code(WithCheck("90015619800101001")), "idcard.area");
}

TEST(IdNumberTest, ChecksRunInTheDocumentedOrder) {
  // Several faults at once: the first in the order characters, length, area, date, checksum wins.
  EXPECT_EQ(Code("A101051949123100"), "idcard.characters");
  EXPECT_EQ(Code("0101051949123100"), "idcard.length");
  EXPECT_EQ(Code("010105194913310021"), "idcard.area");
  EXPECT_EQ(Code("110105194913310021"), "idcard.birth_date");
}

TEST(IdNumberTest, Masking) {
  EXPECT_EQ(MaskIdNumber("11010519491231002X"), "110105********002X");
  EXPECT_EQ(MaskIdNumber("440524188001010014"), "440524********0014");
  EXPECT_EQ(MaskIdNumber("123"), "***");
  EXPECT_EQ(MaskIdNumber(""), "");
}

TEST(IdNumberTest, SexNames) {
  EXPECT_EQ(SexName(Sex::kMale), "male");
  EXPECT_EQ(SexName(Sex::kFemale), "female");
}

}  // namespace
}  // namespace zhibu::identity
