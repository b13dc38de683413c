// The dues quote of spec 05 through the API and the CLI, on both backends.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "harness.h"

namespace zhibu::apitest {
namespace {

namespace json = boost::json;

constexpr std::string_view kQuote = "/api/v1/dues/quote?";

TEST(DuesApiTest, QuoteAnswersTheContractOfSpec05OnTheApiAndTheCli) {
  TestDatabase db;
  std::string initial = CreateAdmin(db, "sysadmin", "system_admin");
  ServerProcess server(db);
  EXPECT_EQ(server.Get(std::string(kQuote) + "category=employed&base=5000.01").status, 401)
      << "signed-in users only";
  Client c = FirstLogIn(server, "sysadmin", initial, "Sys#Admin2026");

  auto quote = c.Get(std::string(kQuote) + "category=employed&base=5000.01");
  ASSERT_EQ(quote.status, 200) << quote.body;
  json::object body = quote.Json().as_object();
  EXPECT_EQ(body.at("category"), "employed");
  EXPECT_EQ(body.at("base"), "5000.01");
  EXPECT_EQ(body.at("rate"), "0.015");
  EXPECT_EQ(body.at("amount"), "75.00");
  EXPECT_EQ(body.at("rule"), "中组发〔2008〕3号 第二条");

  // The CLI prints the same object.
  auto cli = RunZhibu({"dues", "quote", "--category", "employed", "--base", "5000.01"});
  ASSERT_EQ(cli.exit_code, 0) << cli.output;
  EXPECT_EQ(json::parse(cli.output), quote.Json());

  struct Vector {
    std::string query;
    std::string amount;
    std::string rule;
  };
  for (const Vector& v : {Vector{"category=employed&base=5000.00", "50.00", "第二条"},
                          Vector{"category=employed&base=3000.00", "15.00", "第二条"},
                          Vector{"category=employed&base=3000.01", "30.00", "第二条"},
                          Vector{"category=employed&base=10000.00", "150.00", "第二条"},
                          Vector{"category=employed&base=10000.01", "200.00", "第二条"},
                          Vector{"category=retired&base=5000.00", "25.00", "第五条"},
                          Vector{"category=retired&base=5000.01", "50.00", "第五条"},
                          Vector{"category=student", "0.20", "第六条"},
                          Vector{"category=low_income", "0.20", "第六条"},
                          Vector{"category=farmer&amount=0.60", "0.60", "第六条"}}) {
    auto r = c.Get(std::string(kQuote) + v.query);
    ASSERT_EQ(r.status, 200) << v.query << ": " << r.body;
    EXPECT_EQ(r.Json().at("amount").as_string(), v.amount) << v.query;
    EXPECT_EQ(r.Json().at("rule").as_string(), "中组发〔2008〕3号 " + v.rule) << v.query;
  }

  struct Bad {
    std::string query;
    int status;
    std::string code;
    std::string field;
  };
  for (const Bad& b :
       {Bad{"base=5000", 400, "dues.category_missing", "category"},
        Bad{"category=soldier&base=5000", 400, "dues.category_unknown", "category"},
        Bad{"category=employed", 400, "dues.base_missing", "base"},
        Bad{"category=employed&base=-5000", 400, "money.negative", "base"},
        Bad{"category=employed&base=abc", 400, "money.not_a_number", "base"},
        Bad{"category=employed&base=5000.001", 400, "money.too_precise", "base"},
        Bad{"category=farmer&amount=1.01", 422, "dues.farmer_amount_range", "amount"}}) {
    auto r = c.Get(std::string(kQuote) + b.query);
    EXPECT_EQ(r.status, b.status) << b.query << ": " << r.body;
    EXPECT_EQ(r.ErrorCode(), b.code) << b.query;
    EXPECT_EQ(r.Json().at("error").at("field").as_string(), b.field) << b.query;
  }

  // The CLI refuses the same inputs naming the option's field, with exit code 1.
  auto negative = RunZhibu({"dues", "quote", "--category", "employed", "--base", "-1"});
  EXPECT_EQ(negative.exit_code, 1);
  EXPECT_NE(negative.output.find("money.negative"), std::string::npos) << negative.output;
  EXPECT_NE(negative.output.find("base"), std::string::npos) << negative.output;
  auto three_decimals = RunZhibu({"dues", "quote", "--category", "retired", "--base", "1.005"});
  EXPECT_EQ(three_decimals.exit_code, 1);
  EXPECT_NE(three_decimals.output.find("money.too_precise"), std::string::npos);
}

}  // namespace
}  // namespace zhibu::apitest
