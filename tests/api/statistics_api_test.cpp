// Subtree statistics (GET /api/v1/orgs/{id}/stats) black-box against `zhibu serve --demo` on both
// backends: a write through the API shows in today's statistics at once, leaves a past date's
// unchanged, and the counters the server kept agree with the reference scan (`zhibu stats check`).
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "harness.h"
#include "platform/util/date.h"

namespace zhibu::apitest {
namespace {

namespace json = boost::json;

std::string Today() {
  auto now = std::chrono::system_clock::now() + std::chrono::hours(8);  // Asia/Shanghai, no DST
  return FormatIsoDate(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(now)));
}

std::string DaysFrom(const std::string& date, int days) {
  return FormatIsoDate(std::chrono::year_month_day(std::chrono::sys_days(*ParseIsoDate(date)) +
                                                   std::chrono::days(days)));
}

//! The one-time password the demo printed for `username`.
std::string DemoPassword(const std::string& log, const std::string& username) {
  auto at = log.find("登录 " + username + "（");
  if (at == std::string::npos) return {};
  auto start = log.find("初始密码 ", at);
  if (start == std::string::npos) return {};
  start += std::string("初始密码 ").size();
  return log.substr(start, log.find("（", start) - start);
}

class StatisticsApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = TestDatabase::WithDemo();
    server_ = std::make_unique<ServerProcess>(*db_);
    admin_ = std::make_unique<Client>(FirstLogIn(
        *server_, "zuzhibu", DemoPassword(server_->Log(), "zuzhibu"), "Organ-Dept-2026!pw"));
  }
  static void TearDownTestSuite() {
    admin_.reset();
    EXPECT_EQ(server_->StopWith(SIGTERM), 0) << server_->Log();
    server_.reset();
    db_.reset();
  }

  static json::value Stats(std::int64_t org, const std::string& as_of) {
    auto r = admin_->Get("/api/v1/orgs/" + std::to_string(org) + "/stats?as_of=" + as_of);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json();
  }

  //! `zhibu stats check` on the test database: both ways identical.
  static void ExpectCheckIdentical(std::int64_t org, const std::string& as_of) {
    auto checked = RunZhibu({"stats", "check", "--db", db_->url(), "--key-file", db_->key_file(),
                             "--org", std::to_string(org), "--as-of", as_of});
    EXPECT_EQ(checked.exit_code, 0) << checked.output;
    EXPECT_NE(checked.output.find("\"identical\":true"), std::string::npos) << checked.output;
  }

  static std::unique_ptr<TestDatabase> db_;
  static std::unique_ptr<ServerProcess> server_;
  static std::unique_ptr<Client> admin_;
};

std::unique_ptr<TestDatabase> StatisticsApiTest::db_;
std::unique_ptr<ServerProcess> StatisticsApiTest::server_;
std::unique_ptr<Client> StatisticsApiTest::admin_;

TEST_F(StatisticsApiTest, WritesShowTodayLeaveThePastAndMatchTheScan) {
  const std::string today = Today();
  const std::string yesterday = DaysFrom(today, -1);
  auto roots = admin_->Get("/api/v1/orgs/roots").Json();
  const std::int64_t root = roots.at("items").as_array().at(0).at("id").as_int64();
  json::value now = Stats(root, today);
  json::value past = Stats(root, yesterday);
  const std::int64_t total = now.at("members").at("total").as_int64();
  ASSERT_GT(total, 50000);

  auto listed =
      admin_->Get("/api/v1/members?org=" + std::to_string(root) + "&status=full&page_size=1")
          .Json();
  const std::int64_t member = listed.at("items").as_array().at(0).at("id").as_int64();
  auto died = admin_->Post(
      "/api/v1/members/" + std::to_string(member) + "/status",
      json::serialize(json::object{{"status", "deceased"}, {"date", today}, {"reason", "病故"}}));
  ASSERT_EQ(died.status, 200) << died.body;

  json::value after = Stats(root, today);
  EXPECT_EQ(after.at("members").at("total").as_int64(), total - 1);
  EXPECT_EQ(after.at("members").at("by_status").at("full").as_int64(),
            now.at("members").at("by_status").at("full").as_int64() - 1);
  EXPECT_EQ(json::serialize(Stats(root, yesterday)), json::serialize(past));
  ExpectCheckIdentical(root, today);
  ExpectCheckIdentical(root, yesterday);
  ExpectCheckIdentical(root, "2025-06-30");
}

TEST_F(StatisticsApiTest, ADateBeforeTheOrganisationExistedIsNotFound) {
  auto roots = admin_->Get("/api/v1/orgs/roots").Json();
  const std::int64_t root = roots.at("items").as_array().at(0).at("id").as_int64();
  auto r = admin_->Get("/api/v1/orgs/" + std::to_string(root) + "/stats?as_of=1900-01-01");
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(r.ErrorCode(), "stats.org_absent");
  auto bad = admin_->Get("/api/v1/orgs/" + std::to_string(root) + "/stats?as_of=2025-13-01");
  EXPECT_EQ(bad.status, 400) << bad.body;
}

}  // namespace
}  // namespace zhibu::apitest
