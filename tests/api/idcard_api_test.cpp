// GB 11643 checks through the API and the CLI, on both backends.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>

#include "harness.h"

namespace zhibu::apitest {
namespace {

constexpr std::string_view kCheck = "/api/v1/idcard/check?number=";

//! `output` parsed as the one JSON object `zhibu idcard check` prints (stdout; stderr is empty).
boost::json::object CliJson(const CommandResult& r) {
  return boost::json::parse(r.output).as_object();
}

TEST(IdcardApiTest, CheckAnswersValidityWithTheReason) {
  TestDatabase db;
  std::string initial = CreateAdmin(db, "sysadmin", "system_admin");
  ServerProcess server(db);
  auto anonymous = server.Get(std::string(kCheck) + "11010519491231002X");
  EXPECT_EQ(anonymous.status, 401) << "signed-in users only";
  Client c = FirstLogIn(server, "sysadmin", initial, "Sys#Admin2026");

  auto valid = c.Get(std::string(kCheck) + "11010519491231002x");
  ASSERT_EQ(valid.status, 200) << valid.body;
  EXPECT_EQ(valid.Json(), boost::json::parse(R"({"valid":true,"number":"11010519491231002X",)"
                                             R"("masked":"110105********002X",)"
                                             R"("birth_date":"1949-12-31","sex":"female",)"
                                             R"("area_code":"110105","converted_from_15":false})"));

  // Full-width input, percent-encoded as a browser sends it, with spaces around it.
  auto wide =
      c.Get(std::string(kCheck) +
            "%20%EF%BC%94%EF%BC%94%EF%BC%90%EF%BC%95%EF%BC%92%EF%BC%94"
            "%EF%BC%91%EF%BC%98%EF%BC%98%EF%BC%90%EF%BC%90%EF%BC%91%EF%BC%90%EF%BC%91%EF%BC%90"
            "%EF%BC%90%EF%BC%91%EF%BC%94%20");
  ASSERT_EQ(wide.status, 200);
  EXPECT_TRUE(wide.Json().at("valid").as_bool()) << wide.body;
  EXPECT_EQ(wide.Json().at("number").as_string(), "440524188001010014");
  EXPECT_EQ(wide.Json().at("birth_date").as_string(), "1880-01-01");
  EXPECT_EQ(wide.Json().at("sex").as_string(), "male");

  auto old = c.Get(std::string(kCheck) + "110105491231002").Json();
  EXPECT_EQ(old.at("number").as_string(), "11010519491231002X");
  EXPECT_TRUE(old.at("converted_from_15").as_bool());

  // An invalid number is a 200: the check succeeded, its answer is "no".
  auto invalid = c.Get(std::string(kCheck) + "110105194912310021");
  EXPECT_EQ(invalid.status, 200);
  auto answer = invalid.Json().as_object();
  EXPECT_FALSE(answer.at("valid").as_bool());
  EXPECT_FALSE(answer.contains("number")) << "nothing derived from an invalid number";
  EXPECT_EQ(answer.at("error").at("code").as_string(), "idcard.checksum");
  EXPECT_EQ(answer.at("error").at("message").as_string(), "校验码应为 X，实为 1");
  EXPECT_EQ(answer.at("error").at("field").as_string(), "number");

  struct Case {
    std::string number;
    std::string code;
  };
  for (const Case& bad :
       {Case{"1101051949123100", "idcard.length"}, Case{"1101051949A231002X", "idcard.characters"},
        Case{"160105194912310027", "idcard.area"},
        Case{"110105200102290010", "idcard.birth_date"},   // 2001 not leap
        Case{"110105299901010012", "idcard.birth_date"}})  // the future
  {
    auto r = c.Get(std::string(kCheck) + bad.number);
    EXPECT_EQ(r.status, 200) << bad.number;
    EXPECT_EQ(r.Json().at("error").at("code").as_string(), bad.code) << bad.number << r.body;
  }

  // A malformed request, not a number to check: 400 in the envelope, naming the field.
  for (const std::string target : {"/api/v1/idcard/check", "/api/v1/idcard/check?number="}) {
    auto missing = c.Get(target);
    EXPECT_EQ(missing.status, 400) << target;
    EXPECT_EQ(missing.ErrorCode(), "idcard.number_missing") << target;
    EXPECT_EQ(missing.Json().at("error").at("field").as_string(), "number");
  }
  auto too_long = c.Get(std::string(kCheck) + std::string(65, '1'));
  EXPECT_EQ(too_long.status, 400);
  EXPECT_EQ(too_long.ErrorCode(), "idcard.number_too_long");
  EXPECT_EQ(too_long.Json().at("error").at("field").as_string(), "number");
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
}

TEST(IdcardCliTest, PrintsTheApisJsonAndExitCodeSaysValidity) {
  auto ok = RunZhibu({"idcard", "check", "440524188001010014"});
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_EQ(CliJson(ok),
            boost::json::parse(R"({"valid":true,"number":"440524188001010014",)"
                               R"("masked":"440524********0014","birth_date":"1880-01-01",)"
                               R"("sex":"male","area_code":"440524","converted_from_15":false})"));

  auto bad = RunZhibu({"idcard", "check", "110105194912310021"});
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  auto answer = CliJson(bad);
  EXPECT_FALSE(answer.at("valid").as_bool());
  EXPECT_EQ(answer.at("error").at("code").as_string(), "idcard.checksum");
  EXPECT_EQ(answer.at("error").at("message").as_string(), "校验码应为 X，实为 1");

  auto old = RunZhibu({"idcard", "check", "110105491231002"});
  EXPECT_EQ(old.exit_code, 0) << old.output;
  EXPECT_EQ(CliJson(old).at("number").as_string(), "11010519491231002X");
  EXPECT_TRUE(CliJson(old).at("converted_from_15").as_bool());

  auto wide = RunZhibu({"idcard", "check", "１１０１０５１９４９１２３１００２ｘ"});
  EXPECT_EQ(wide.exit_code, 0) << wide.output;
  EXPECT_EQ(CliJson(wide).at("number").as_string(), "11010519491231002X");

  auto future = RunZhibu({"idcard", "check", "110105299901010012"});
  EXPECT_EQ(future.exit_code, 1) << future.output;
  EXPECT_EQ(CliJson(future).at("error").at("code").as_string(), "idcard.birth_date");
}

TEST(IdcardCliTest, UsageAndHelp) {
  EXPECT_EQ(RunZhibu({"idcard", "check"}).exit_code, 2) << "NUMBER is required";
  EXPECT_EQ(RunZhibu({"idcard"}).exit_code, 2) << "a subcommand is required";
  EXPECT_EQ(RunZhibu({"idcard", "frobnicate"}).exit_code, 2);
  EXPECT_EQ(RunZhibu({"idcard", "check", "1", "2"}).exit_code, 2) << "one number only";
  auto help = RunZhibu({"idcard", "--help"});
  EXPECT_EQ(help.exit_code, 0) << help.output;
  EXPECT_NE(help.output.find("check"), std::string::npos) << help.output;
  auto check_help = RunZhibu({"idcard", "check", "--help"});
  EXPECT_EQ(check_help.exit_code, 0) << check_help.output;
  EXPECT_NE(check_help.output.find("NUMBER"), std::string::npos) << check_help.output;
  EXPECT_NE(RunZhibu({"--help"}).output.find("idcard"), std::string::npos);
}

}  // namespace
}  // namespace zhibu::apitest
