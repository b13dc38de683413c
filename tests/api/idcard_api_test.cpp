// GB 11643 checks through the API and the CLI, on both backends.
#include <gtest/gtest.h>
#include <signal.h>

#include "harness.h"

namespace zhibu::apitest {
namespace {

TEST(IdcardApiTest, CheckAnswersValidityWithTheReason) {
  TestDatabase db;
  std::string initial = CreateAdmin(db, "sysadmin", "system_admin");
  ServerProcess server(db);
  EXPECT_EQ(server.Get("/api/v1/idcard/check?number=11010519491231002X").status, 401)
      << "signed-in users only";
  Client c = FirstLogIn(server, "sysadmin", initial, "Sys#Admin2026");
  auto valid = c.Get("/api/v1/idcard/check?number=11010519491231002x");
  ASSERT_EQ(valid.status, 200);
  auto v = valid.Json();
  EXPECT_TRUE(v.at("valid").as_bool());
  EXPECT_EQ(v.at("number").as_string(), "11010519491231002X");
  EXPECT_EQ(v.at("masked").as_string(), "110105********002X");
  EXPECT_EQ(v.at("birth_date").as_string(), "1949-12-31");
  EXPECT_EQ(v.at("sex").as_string(), "female");
  // Full-width input, percent-encoded as a browser sends it.
  auto wide = c.Get(
      "/api/v1/idcard/check?number=%EF%BC%94%EF%BC%94%EF%BC%90%EF%BC%95%EF%BC%92%EF%BC%94"
      "%EF%BC%91%EF%BC%98%EF%BC%98%EF%BC%90%EF%BC%90%EF%BC%91%EF%BC%90%EF%BC%91%EF%BC%90"
      "%EF%BC%90%EF%BC%91%EF%BC%94");
  EXPECT_TRUE(wide.Json().at("valid").as_bool()) << wide.body;
  EXPECT_EQ(wide.Json().at("sex").as_string(), "male");
  auto invalid = c.Get("/api/v1/idcard/check?number=110105194912310021").Json();
  EXPECT_FALSE(invalid.at("valid").as_bool());
  EXPECT_EQ(invalid.at("error").at("code").as_string(), "idcard.checksum");
  EXPECT_EQ(invalid.at("error").at("field").as_string(), "number");
  auto missing = c.Get("/api/v1/idcard/check");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.Json().at("error").at("field").as_string(), "number");
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
}

TEST(IdcardCliTest, ExitCodeSaysValidity) {
  auto ok = RunZhibu({"idcard", "check", "440524188001010014"});
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_NE(ok.output.find("\"valid\":true"), std::string::npos);
  EXPECT_NE(ok.output.find("1880-01-01"), std::string::npos);
  auto bad = RunZhibu({"idcard", "check", "110105194912310021"});
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_NE(bad.output.find("idcard.checksum"), std::string::npos);
  auto old = RunZhibu({"idcard", "check", "110105491231002"});
  EXPECT_EQ(old.exit_code, 0);
  EXPECT_NE(old.output.find("11010519491231002X"), std::string::npos);
  EXPECT_EQ(RunZhibu({"idcard", "check"}).exit_code, 2);
  EXPECT_EQ(RunZhibu({"idcard", "check", "--help"}).exit_code, 0);
}

}  // namespace
}  // namespace zhibu::apitest
