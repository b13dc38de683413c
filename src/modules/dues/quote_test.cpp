#include "modules/dues/quote.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace zhibu::dues {
namespace {

struct Expected {
  std::string_view category;
  std::string_view base;
  std::string_view rate;
  std::string_view amount;
  std::string_view rule;
};

void ExpectQuote(const Expected& e) {
  auto q = QuoteFromText(e.category, e.base);
  ASSERT_TRUE(q.has_value()) << e.category << " " << e.base << ": " << q.error().message;
  auto j = QuoteJson(*q);
  EXPECT_EQ(j.at("category").as_string(), e.category);
  EXPECT_EQ(j.at("base").as_string(), e.base) << e.base;
  EXPECT_EQ(j.at("rate").as_string(), e.rate) << e.category << " " << e.base;
  EXPECT_EQ(j.at("amount").as_string(), e.amount) << e.category << " " << e.base;
  EXPECT_EQ(j.at("rule").as_string(), e.rule);
}

// 第二条: the whole base at its bracket's rate, so the amount jumps at each boundary.
TEST(DuesQuoteTest, EmployedBracketsAtEveryBoundary) {
  const std::string_view rule = "中组发〔2008〕3号 第二条";
  for (const Expected& e : std::initializer_list<Expected>{
           {"employed", "0.00", "0.005", "0.00", rule},
           {"employed", "1.00", "0.005", "0.01", rule},  // 0.005 rounds half-up
           {"employed", "2999.99", "0.005", "15.00", rule},
           {"employed", "3000.00", "0.005", "15.00", rule},
           {"employed", "3000.01", "0.01", "30.00", rule},
           {"employed", "4999.99", "0.01", "50.00", rule},
           {"employed", "5000.00", "0.01", "50.00", rule},
           {"employed", "5000.01", "0.015", "75.00", rule},
           {"employed", "9999.99", "0.015", "150.00", rule},
           {"employed", "10000.00", "0.015", "150.00", rule},
           {"employed", "10000.01", "0.02", "200.00", rule},
           {"employed", "25000.00", "0.02", "500.00", rule},
           {"employed", "4321.09", "0.01", "43.21", rule},
           {"employed", "7777.77", "0.015", "116.67", rule},  // 116.66655
       }) {
    ExpectQuote(e);
  }
}

// 第三条 and 第四条 use the brackets of 第二条 on another base.
TEST(DuesQuoteTest, AnnualSalaryAndSelfEmployedUseTheSameBrackets) {
  ExpectQuote({"annual_salary", "10000.00", "0.015", "150.00", "中组发〔2008〕3号 第三条"});
  ExpectQuote({"annual_salary", "10000.01", "0.02", "200.00", "中组发〔2008〕3号 第三条"});
  ExpectQuote({"self_employed", "3000.00", "0.005", "15.00", "中组发〔2008〕3号 第四条"});
  ExpectQuote({"self_employed", "3000.01", "0.01", "30.00", "中组发〔2008〕3号 第四条"});
}

// 第五条.
TEST(DuesQuoteTest, RetiredBracketsAtTheBoundary) {
  const std::string_view rule = "中组发〔2008〕3号 第五条";
  ExpectQuote({"retired", "4999.99", "0.005", "25.00", rule});
  ExpectQuote({"retired", "5000.00", "0.005", "25.00", rule});
  ExpectQuote({"retired", "5000.01", "0.01", "50.00", rule});
  ExpectQuote({"retired", "10000.01", "0.01", "100.00", rule});
}

// 第六条: flat amounts, whatever the base.
TEST(DuesQuoteTest, FlatCategoriesPayTwentyFen) {
  for (std::string_view category : {"student", "unemployed", "relief", "low_income"}) {
    for (std::optional<std::string_view> base :
         {std::optional<std::string_view>(), std::optional<std::string_view>("8000.00")}) {
      auto q = QuoteFromText(category, base);
      ASSERT_TRUE(q.has_value()) << category;
      auto j = QuoteJson(*q);
      EXPECT_EQ(j.at("amount").as_string(), "0.20") << category;
      EXPECT_TRUE(j.at("rate").is_null()) << category;
      EXPECT_TRUE(j.at("base").is_null()) << category;
      EXPECT_EQ(j.at("rule").as_string(), "中组发〔2008〕3号 第六条");
    }
  }
}

TEST(DuesQuoteTest, FarmersPayWhatTheBranchSetsBetweenTwentyFenAndOneYuan) {
  auto standard = QuoteFromText("farmer", std::nullopt);
  ASSERT_TRUE(standard.has_value());
  auto j = QuoteJson(*standard);
  EXPECT_EQ(j.at("amount").as_string(), "0.20");
  EXPECT_EQ(j.at("minimum").as_string(), "0.20");
  EXPECT_EQ(j.at("maximum").as_string(), "1.00");
  for (std::string_view inside : {"0.20", "0.5", "1.00"}) {
    auto q = QuoteFromText("farmer", std::nullopt, inside);
    ASSERT_TRUE(q.has_value()) << inside;
    EXPECT_EQ(q->amount, *money::ParseYuan(inside, "amount"));
  }
  for (std::string_view outside : {"0.19", "1.01", "0"}) {
    auto q = QuoteFromText("farmer", std::nullopt, outside);
    ASSERT_FALSE(q.has_value()) << outside;
    EXPECT_EQ(q.error().code, "dues.farmer_amount_range");
    EXPECT_EQ(q.error().field, "amount");
    EXPECT_EQ(q.error().rule, "中组发〔2008〕3号 第六条");
  }
  auto not_farmer = QuoteFromText("employed", "5000", "0.50");
  ASSERT_FALSE(not_farmer.has_value());
  EXPECT_EQ(not_farmer.error().field, "amount");
}

TEST(DuesQuoteTest, BadInputNamesTheField) {
  struct Bad {
    std::string_view category;
    std::optional<std::string_view> base;
    std::string_view code;
    std::string_view field;
  };
  for (const Bad& b : std::initializer_list<Bad>{
           {"worker", "5000", "dues.category_unknown", "category"},
           {"", "5000", "dues.category_unknown", "category"},
           {"employed", std::nullopt, "dues.base_missing", "base"},
           {"retired", std::nullopt, "dues.base_missing", "base"},
           {"employed", "-5000", "money.negative", "base"},
           {"employed", "abc", "money.not_a_number", "base"},
           {"employed", "5000.001", "money.too_precise", "base"},
           {"employed", "5e3", "money.not_a_number", "base"},
           {"student", "-1", "money.negative", "base"},
       }) {
    auto q = QuoteFromText(b.category, b.base);
    ASSERT_FALSE(q.has_value()) << b.category;
    EXPECT_EQ(q.error().code, b.code) << b.category << " " << b.base.value_or("(none)");
    EXPECT_EQ(q.error().field, b.field);
  }
}

TEST(DuesQuoteTest, RatesPrintAsTheContractWritesThem) {
  EXPECT_EQ(FormatRate(Rate{50}), "0.005");
  EXPECT_EQ(FormatRate(Rate{100}), "0.01");
  EXPECT_EQ(FormatRate(Rate{150}), "0.015");
  EXPECT_EQ(FormatRate(Rate{200}), "0.02");
  EXPECT_EQ(FormatRate(Rate{10000}), "1");
}

//! The code without its comments and string literals, so that only what compiles is searched.
std::string CodeOnly(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "//") == 0) {
      while (i < text.size() && text[i] != '\n') ++i;
      out += '\n';
    } else if (text.compare(i, 2, "/*") == 0) {
      auto end = text.find("*/", i + 2);
      i = end == std::string::npos ? text.size() : end + 1;
    } else if (text[i] == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
      out += "\"\"";
    } else {
      out += text[i];
    }
  }
  return out;
}

// A static check: no floating-point type, conversion or rounding function anywhere on the money
// path — the dues module and the money type it computes with.
TEST(DuesQuoteTest, NoFloatingPointOnTheMoneyPath) {
  const std::filesystem::path root = ZHIBU_SOURCE_DIR;
  std::vector<std::filesystem::path> files = {root / "src/platform/util/money.h",
                                              root / "src/platform/util/money.cpp"};
  for (const auto& entry : std::filesystem::directory_iterator(root / "src/modules/dues")) {
    auto name = entry.path().filename().string();
    bool source = name.ends_with(".h") || name.ends_with(".cpp");
    if (source && !name.ends_with("_test.cpp")) files.push_back(entry.path());
  }
  ASSERT_GE(files.size(), 5u);
  const std::regex floating(
      R"(\b(float|double|long\s+double|stof|stod|stold|strtof|strtod|strtold|atof|lround|llround|)"
      R"(round|floor|ceil|trunc|nearbyint|rint|fmod|pow)\b|<cmath>|<math\.h>|\b\d+\.\d*([eE]|f\b)?)");
  for (const auto& file : files) {
    std::ifstream in(file);
    ASSERT_TRUE(in) << file;
    std::stringstream text;
    text << in.rdbuf();
    std::string code = CodeOnly(text.str());
    std::smatch found;
    EXPECT_FALSE(std::regex_search(code, found, floating))
        << file.filename() << " uses floating point: " << found.str();
  }
}

}  // namespace
}  // namespace zhibu::dues
