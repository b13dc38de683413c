#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "modules/idcard/check_result.h"

namespace zhibu::idcard {
namespace {

constexpr std::string_view kToday = "2026-11-23";

TEST(IdcardCheckResultTest, ValidNumberIsTheDocumentedObject) {
  boost::json::object r = CheckResult("11010519491231002x", kToday);
  EXPECT_EQ(boost::json::serialize(r),
            R"({"valid":true,"number":"11010519491231002X","masked":"110105********002X",)"
            R"("birth_date":"1949-12-31","sex":"female","area_code":"110105",)"
            R"("converted_from_15":false})");
  EXPECT_TRUE(IsValid(r));
}

TEST(IdcardCheckResultTest, ConvertedAndMale) {
  boost::json::object r = CheckResult("440524800101001", kToday);
  EXPECT_EQ(r.at("number").as_string(), "440524198001010013");
  EXPECT_EQ(r.at("sex").as_string(), "male");
  EXPECT_TRUE(r.at("converted_from_15").as_bool());
}

TEST(IdcardCheckResultTest, InvalidNumberCarriesTheReason) {
  boost::json::object r = CheckResult("110105194912310021", kToday);
  EXPECT_FALSE(IsValid(r));
  EXPECT_EQ(r.size(), 2u) << "valid and error only: nothing about the number leaks";
  const auto& error = r.at("error").as_object();
  EXPECT_EQ(error.at("code").as_string(), "idcard.checksum");
  EXPECT_EQ(error.at("message").as_string(), "校验码应为 X，实为 1");
  EXPECT_EQ(error.at("field").as_string(), "number");
  EXPECT_NE(std::string_view(error.at("rule").as_string()).find("GB 11643-1999"),
            std::string_view::npos);
}

TEST(IdcardCheckResultTest, EachFailureHasItsCode) {
  auto code = [](std::string_view number) {
    return std::string(CheckResult(number, kToday).at("error").at("code").as_string());
  };
  EXPECT_EQ(code("1101051949123100"), "idcard.length");
  EXPECT_EQ(code("1101051949A231002X"), "idcard.characters");
  EXPECT_EQ(code("160105194912310027"), "idcard.area");
  EXPECT_EQ(code("110105202611240016"), "idcard.birth_date");
}

TEST(IdcardCheckResultTest, IsValidNeedsABooleanTrue) {
  EXPECT_FALSE(IsValid(boost::json::object{}));
  EXPECT_FALSE(IsValid(boost::json::object{{"valid", "true"}}));
  EXPECT_TRUE(IsValid(boost::json::object{{"valid", true}}));
}

}  // namespace
}  // namespace zhibu::idcard
