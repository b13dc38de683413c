//! Several `zhibu serve` processes on one database (issue 9; docs/deploy.md): what a province runs
//! behind nginx on PostgreSQL. Everything that must be shared lives in the database: a session
//! made on one server works on the other and a logout on either ends it; a one-time code used on
//! one is refused on the other; a write through one is read through the other, an import started
//! through one is followed through the other; login failures on both count towards one throttle,
//! also behind a trusted proxy that names the client in X-Forwarded-For; and two servers started at
//! the same moment on an empty database both come up, the demo loaded once. On SQLite two
//! processes share one file the same way (WAL; writers take turns), so the suite runs on both.

#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <future>
#include <memory>
#include <thread>

#include "demo_accounts.h"
#include "harness.h"
#include "modules/exchange/records.h"
#include "modules/exchange/tabular.h"
#include "platform/identity/id_number.h"

namespace zhibu::apitest {
namespace {

constexpr std::string_view kChosenPassword = "Branch#Life2026";

//! `c`, talking to `server` instead: the same cookie and CSRF token.
Client On(const ServerProcess& server, Client c) {
  c.server = &server;
  return c;
}

HttpResult SendJson(const Client& c, const std::string& method, const std::string& target,
                    const boost::json::value& body) {
  auto headers = c.Headers();
  headers["Content-Type"] = "application/json";
  return c.server->Send(method, target, boost::json::serialize(body), headers);
}

//! POST /api/v1/auth/login with a wrong password for `username`, as the client at `forwarded_for`
//! (sent as X-Forwarded-For when not empty).
HttpResult FailLogIn(const ServerProcess& server, const std::string& username,
                     const std::string& forwarded_for = "") {
  std::map<std::string, std::string> headers;
  if (!forwarded_for.empty()) headers["X-Forwarded-For"] = forwarded_for;
  return server.Post("/api/v1/auth/login",
                     "{\"username\":\"" + username + "\",\"password\":\"Guess#12345\"}", headers);
}

//! Sends 21 failed logins alternately to `a` and `b` (the first to `a`); answers the number of the
//! first one answered 429 `auth.throttled` (0 when none was), expecting 401 before it.
int FailuresUntilThrottled(const ServerProcess& a, const ServerProcess& b,
                           const std::string& forwarded_for = "") {
  for (int i = 1; i <= 21; ++i) {
    auto r = FailLogIn(i % 2 == 1 ? a : b, "guess" + std::to_string(i), forwarded_for);
    if (r.status == 429) {
      EXPECT_EQ(r.ErrorCode(), "auth.throttled");
      return i;
    }
    EXPECT_EQ(r.status, 401) << r.body;
  }
  return 0;
}

class MultiServerApiTest : public ::testing::Test {
 protected:
  TestDatabase db_;
};

TEST_F(MultiServerApiTest, ASessionMadeOnOneServerWorksOnTheOtherUntilLoggedOutOnEither) {
  std::string initial = CreateAdmin(db_, "sysadmin", "system_admin");
  ServerProcess a(db_);
  ServerProcess b(db_);
  Client on_a = FirstLogIn(a, "sysadmin", initial, std::string(kChosenPassword));
  Client on_b = On(b, on_a);
  auto me = on_b.Get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.Json().at("username").as_string(), "sysadmin");

  // A write through B with the CSRF token A issued; read through A.
  auto created = on_b.Post("/api/v1/accounts", R"({"username":"clerk","display_name":"张文书"})");
  EXPECT_EQ(created.status, 201) << created.body;
  auto listed = on_a.Get("/api/v1/accounts").Json();
  EXPECT_EQ(listed.at("total").as_int64(), 2);

  // A one-time code used to log in on B is refused on A (its step is recorded in the database).
  std::string code = on_a.NextTotpCode();
  std::string body = "{\"username\":\"sysadmin\",\"password\":\"" + std::string(kChosenPassword) +
                     "\",\"totp_code\":\"" + code + "\"}";
  auto first_use = b.Post("/api/v1/auth/login", body);
  EXPECT_EQ(first_use.status, 200) << first_use.body;
  auto replayed = a.Post("/api/v1/auth/login", body);
  EXPECT_EQ(replayed.status, 401) << replayed.body;
  EXPECT_EQ(replayed.ErrorCode(), "auth.login_failed");

  // Logging out on B ends the session on A too.
  EXPECT_EQ(on_b.Post("/api/v1/auth/logout").status, 200);
  auto after = on_a.Get("/api/v1/me");
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(after.ErrorCode(), "auth.unauthenticated");
  EXPECT_EQ(a.StopWith(SIGTERM), 0) << a.Log();
  EXPECT_EQ(b.StopWith(SIGTERM), 0) << b.Log();
}

TEST_F(MultiServerApiTest, LoginFailuresOnBothServersCountTowardsOneThrottle) {
  ServerProcess a(db_);
  ServerProcess b(db_);
  // 20 failures per address per 15 minutes are allowed (AuthApiTest on one server): 10 on each,
  // and the 21st is refused on A, and then on B as well.
  EXPECT_EQ(FailuresUntilThrottled(a, b), 21);
  auto on_b = FailLogIn(b, "guess22");
  EXPECT_EQ(on_b.status, 429);
  EXPECT_EQ(on_b.ErrorCode(), "auth.throttled");
  EXPECT_EQ(a.StopWith(SIGTERM), 0) << a.Log();
  EXPECT_EQ(b.StopWith(SIGTERM), 0) << b.Log();
}

// nginx on the servers' host connects from 127.0.0.1 and appends the client's address to
// X-Forwarded-For (docs/deploy.md): with `--trusted-proxy 127.0.0.1` the throttle keys on that
// client, so one client's failures do not lock every user of the proxy out, and an address a
// client writes into the header itself counts for nothing.
TEST_F(MultiServerApiTest, BehindATrustedProxyTheThrottleKeysOnTheForwardedClient) {
  ServerProcess a(db_, {"--trusted-proxy", "127.0.0.1"});
  ServerProcess b(db_, {"--trusted-proxy", "127.0.0.1"});
  EXPECT_EQ(FailuresUntilThrottled(a, b, "198.51.100.7"), 21);
  // Another client behind the same proxy is not throttled…
  EXPECT_EQ(FailLogIn(b, "someone", "198.51.100.8").status, 401);
  // …nor is one that claims the throttled address left of what the proxy appended.
  EXPECT_EQ(FailLogIn(a, "someone", "198.51.100.7, 198.51.100.9").status, 401);
  EXPECT_EQ(FailLogIn(a, "someone", "198.51.100.9, 198.51.100.7").status, 429);

  // A server that trusts no proxy keys on the peer (127.0.0.1) whatever the header says.
  ServerProcess direct(db_);
  EXPECT_EQ(FailLogIn(direct, "someone", "198.51.100.7").status, 401);
  auto bad = RunZhibu({"serve", "--db", db_.url(), "--key-file", db_.key_file(), "--listen",
                       "127.0.0.1:0", "--trusted-proxy", "nginx"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.output.find("--trusted-proxy"), std::string::npos) << bad.output;
  EXPECT_EQ(a.StopWith(SIGTERM), 0) << a.Log();
  EXPECT_EQ(b.StopWith(SIGTERM), 0) << b.Log();
  EXPECT_EQ(direct.StopWith(SIGTERM), 0) << direct.Log();
}

// Both servers of a fresh deployment started at the same moment on an empty database: both apply
// the migrations (taking turns), both come up, and the demo county is loaded once.
TEST_F(MultiServerApiTest, TwoServersStartedTogetherOnAnEmptyDatabaseBothComeUp) {
  auto start = [&] {
    return std::async(std::launch::async, [&] {
      return std::make_unique<ServerProcess>(db_, std::vector<std::string>{"--demo"});
    });
  };
  auto first = start();
  auto second = start();
  std::unique_ptr<ServerProcess> a = first.get();
  std::unique_ptr<ServerProcess> b = second.get();
  EXPECT_EQ(a->Get("/healthz").status, 200);
  EXPECT_EQ(b->Get("/healthz").status, 200);
  const std::string kPasswordLine = "演示数据 登录 sysadmin";
  bool a_loaded = a->Log().find(kPasswordLine) != std::string::npos;
  bool b_loaded = b->Log().find(kPasswordLine) != std::string::npos;
  EXPECT_NE(a_loaded, b_loaded) << "exactly one server loads the demo:\n"
                                << a->Log() << "\n----\n"
                                << b->Log();
  const ServerProcess& loader = a_loaded ? *a : *b;
  const ServerProcess& other = a_loaded ? *b : *a;
  EXPECT_NE(other.Log().find("已载入过"), std::string::npos) << other.Log();
  // The demo's accounts, made by one server, log in on the other.
  Client admin = DemoLogIn(loader, "zuzhibu");
  auto members = On(other, admin).Get("/api/v1/members?page_size=1");
  EXPECT_EQ(members.status, 200) << members.body;
  EXPECT_GT(members.Json().at("total").as_int64(), 1000);
  EXPECT_EQ(a->StopWith(SIGTERM), 0) << a->Log();
  EXPECT_EQ(b->StopWith(SIGTERM), 0) << b->Log();
}

//! A valid ID number of someone born `day` days after 1960-01-01 in area 110105 (not the demo's).
std::string IdNumber(int day, int serial) {
  using namespace std::chrono;
  year_month_day birth(sys_days(year(1960) / January / 1) + days(day));
  char body[32];
  std::snprintf(body, sizeof body, "110105%04d%02u%02u%03d", static_cast<int>(birth.year()),
                static_cast<unsigned>(birth.month()), static_cast<unsigned>(birth.day()), serial);
  return std::string(body) + identity::CheckCode(body);
}

//! A roster of `count` members of the branch `code`/`name` in the server's CSV template.
std::string Roster(const Client& c, int count, const std::string& code, const std::string& name) {
  auto t = c.Get("/api/v1/imports/template?format=csv");
  EXPECT_EQ(t.status, 200) << t.body;
  std::string text = exchange::ToUtf8(t.body).value();  // the reader keeps a view of it
  auto reader = exchange::ReadCsv(text);
  exchange::Row header;
  EXPECT_TRUE(reader->Next(header).value());
  std::string csv(exchange::kUtf8Bom);
  csv += exchange::CsvRecord(header.cells);
  for (int i = 0; i < count; ++i) {
    std::vector<std::string> cells;
    for (const auto& h : header.cells) {
      if (h == "姓名") {
        cells.push_back("多机" + std::to_string(i));
      } else if (h == "民族") {
        cells.push_back("汉族");
      } else if (h == "公民身份号码") {
        cells.push_back(IdNumber(i * 11 + 5, (i * 41 + 3) % 1000));
      } else if (h == "手机号码") {
        cells.push_back("137" + std::to_string(20000000 + i * 17));
      } else if (h == "职业/岗位") {
        cells.push_back("专业技术人员");
      } else if (h == "工作单位") {
        cells.push_back("涪陵区多机中学");
      } else if (h == "现居住地") {
        cells.push_back("重庆市涪陵区多机路 " + std::to_string(i) + " 号");
      } else if (h == "入党日期") {
        cells.push_back("2012-07-01");
      } else if (h == "转正日期") {
        cells.push_back("2013-07-01");
      } else if (h == "人员类别") {
        cells.push_back("机关");
      } else if (h == "学历") {
        cells.push_back("大学本科");
      } else if (h == "所在党组织代码") {
        cells.push_back(code);
      } else if (h == "所在党组织名称") {
        cells.push_back(name);
      } else {
        cells.push_back("");
      }
    }
    csv += exchange::CsvRecord(cells);
  }
  return csv;
}

TEST(MultiServerDemoApiTest, WritesAndImportsThroughOneServerAreReadThroughTheOther) {
  auto db = TestDatabase::WithDemo();
  ServerProcess a(*db);
  ServerProcess b(*db);
  Client admin_a = DemoLogIn(a, "zuzhibu");
  Client admin_b = On(b, admin_a);

  // A setting changed through A is what B uses and shows: settings are read from the database in
  // the transaction that needs them, never cached in a process.
  const std::string key = "member.transfer_letter_validity_days";
  auto set = SendJson(admin_a, "PUT", "/api/v1/settings/" + key, {{"value", 45}});
  ASSERT_EQ(set.status, 200) << set.body;
  std::int64_t seen = 0;
  auto settings = admin_b.Get("/api/v1/settings").Json();
  for (const auto& item : settings.at("items").as_array()) {
    if (item.at("key").as_string() == key) seen = item.at("value").as_int64();
  }
  EXPECT_EQ(seen, 45);

  // An import started through A is followed through B (the job's row is in the database) and
  // its members are read through B.
  auto shuji = DemoLogIn(a, "shuji");
  std::int64_t branch =
      shuji.Get("/api/v1/me").Json().at("grants").as_array()[0].at("organisation_id").as_int64();
  auto org = admin_b.Get("/api/v1/orgs/" + std::to_string(branch)).Json();
  auto members_of_branch = [&] {
    return admin_b.Get("/api/v1/members?org=" + std::to_string(branch) + "&page_size=1")
        .Json()
        .at("total")
        .as_int64();
  };
  std::int64_t before = members_of_branch();
  auto headers = admin_a.Headers();
  headers["Content-Type"] = std::string(exchange::ContentTypeOf(exchange::FileFormat::kCsv));
  constexpr int kRows = 300;
  auto started = a.Send("POST", "/api/v1/imports?format=csv&kind=members",
                        Roster(admin_a, kRows, std::string(org.at("code").as_string()),
                               std::string(org.at("name").as_string())),
                        headers);
  ASSERT_EQ(started.status, 202) << started.body;
  std::string job = "/api/v1/imports/" + std::to_string(started.Json().at("id").as_int64());
  boost::json::object status;
  for (int i = 0; i < 1200; ++i) {
    auto polled = admin_b.Get(job);
    ASSERT_EQ(polled.status, 200) << polled.body;
    status = polled.Json().as_object();
    if (status.at("status") != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status.at("status"), "done") << boost::json::serialize(status);
  EXPECT_EQ(status.at("imported").as_int64(), kRows);
  EXPECT_EQ(members_of_branch(), before + kRows);
  // Another account's job is as unknown on B as on A.
  EXPECT_EQ(On(b, shuji).Get(job).status, 404);
  EXPECT_EQ(a.StopWith(SIGTERM), 0) << a.Log();
  EXPECT_EQ(b.StopWith(SIGTERM), 0) << b.Log();
}

}  // namespace
}  // namespace zhibu::apitest
