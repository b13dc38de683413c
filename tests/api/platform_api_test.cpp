// Black-box tests of the platform: run against a real `zhibu serve` on SQLite and on PostgreSQL.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <thread>

#include "harness.h"
#include "platform/db/database.h"

namespace zhibu::apitest {
namespace {

class PlatformApiTest : public ::testing::Test {
 protected:
  TestDatabase db_;
};

TEST_F(PlatformApiTest, HealthzAnswersOkWithTheBackend) {
  ServerProcess server(db_);
  auto r = server.Get("/healthz");
  ASSERT_EQ(r.status, 200);
  auto json = r.Json();
  EXPECT_EQ(json.at("status").as_string(), "ok");
  EXPECT_EQ(json.at("db").as_string(), db_.is_postgres() ? "postgres" : "sqlite");
  EXPECT_EQ(r.headers["content-type"], "application/json; charset=utf-8");
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
}

TEST_F(PlatformApiTest, SecurityHeadersAndRequestIdOnEveryAnswer) {
  ServerProcess server(db_);
  for (const std::string target : {"/healthz", "/api/v1/none", "/"}) {
    auto r = server.Get(target);
    EXPECT_NE(r.headers["content-security-policy"].find("frame-ancestors 'none'"),
              std::string::npos)
        << target;
    EXPECT_EQ(r.headers["x-content-type-options"], "nosniff") << target;
    EXPECT_EQ(r.headers["x-frame-options"], "DENY") << target;
    EXPECT_EQ(r.headers["x-request-id"].size(), 16u) << target;
  }
  auto traced = server.Get("/healthz", {{"X-Request-Id", "trace-42"}});
  EXPECT_EQ(traced.headers["x-request-id"], "trace-42");
  auto forged = server.Get("/healthz", {{"X-Request-Id", "bad id<script>"}});
  EXPECT_NE(forged.headers["x-request-id"], "bad id<script>");
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
}

TEST_F(PlatformApiTest, UnknownPathIs404InTheEnvelopeAndWrongMethodIs405) {
  ServerProcess server(db_);
  auto missing = server.Get("/api/v1/no/such/thing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.ErrorCode(), "request.not_found");
  EXPECT_FALSE(missing.Json().at("error").at("message").as_string().empty());
  auto wrong = server.Send("DELETE", "/healthz", "", {});
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.headers["allow"], "GET");
  EXPECT_EQ(wrong.ErrorCode(), "request.method_not_allowed");
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
}

TEST_F(PlatformApiTest, MalformedJsonIs400NamingTheBody) {
  ServerProcess server(db_);
  auto r = server.Post("/api/v1/diagnostics/writes", "{\"batch\": \"a\", ");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.ErrorCode(), "request.malformed_json");
  EXPECT_EQ(r.Json().at("error").at("field").as_string(), "body");
  std::string deep(100, '[');
  deep += std::string(100, ']');
  auto too_deep = server.Post("/api/v1/diagnostics/writes", deep);
  EXPECT_EQ(too_deep.status, 400);
  EXPECT_EQ(too_deep.ErrorCode(), "request.json_too_deep");
  auto bad_field = server.Post("/api/v1/diagnostics/writes", R"({"batch":"x","rows":"many"})");
  EXPECT_EQ(bad_field.status, 400);
  EXPECT_EQ(bad_field.Json().at("error").at("field").as_string(), "rows");
  // None of it wrote anything.
  EXPECT_EQ(server.Get("/api/v1/diagnostics/writes").Json().at("batches").as_int64(), 0);
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
}

TEST_F(PlatformApiTest, BodyOverTheLimitIs413AndChangesNothing) {
  ServerProcess server(db_, {"--max-body-bytes", "4096"});
  std::string big = R"({"batch":"big","rows":1,"pad":")" + std::string(8000, 'x') + "\"}";
  auto r = server.Post("/api/v1/diagnostics/writes", big);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.ErrorCode(), "request.body_too_large");
  // Chunked, so the server only finds out while reading.
  std::string chunked =
      "POST /api/v1/diagnostics/writes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) chunked += "800\r\n" + std::string(0x800, ' ') + "\r\n";
  chunked += "0\r\n\r\n";
  auto raw = server.SendRaw(chunked);
  EXPECT_EQ(raw.rfind("HTTP/1.1 413", 0), 0u) << raw.substr(0, 200);
  EXPECT_NE(raw.find("request.body_too_large"), std::string::npos);
  // Just under the limit is accepted.
  std::string fits = R"({"batch":"fits","rows":1,"pad":")" + std::string(3000, 'x') + "\"}";
  EXPECT_EQ(server.Post("/api/v1/diagnostics/writes", fits).status, 201);
  EXPECT_EQ(server.Get("/api/v1/diagnostics/writes").Json().at("batches").as_int64(), 1);
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
}

TEST_F(PlatformApiTest, OversizedHeadersAndGarbageAreRefusedWithoutCrashing) {
  ServerProcess server(db_);
  std::string huge =
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(40000, 'a') + "\r\n\r\n";
  auto raw = server.SendRaw(huge);
  EXPECT_EQ(raw.rfind("HTTP/1.1 431", 0), 0u) << raw.substr(0, 200);
  auto garbage = server.SendRaw("\x16\x03\x01 not http at all\r\n\r\n");
  EXPECT_EQ(garbage.rfind("HTTP/1.1 400", 0), 0u) << garbage.substr(0, 200);
  EXPECT_NE(garbage.find("request.malformed_http"), std::string::npos);
  EXPECT_EQ(server.Get("/healthz").status, 200) << "still serving";
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
}

TEST_F(PlatformApiTest, KeepAliveServesManyRequestsOnOneConnection) {
  ServerProcess server(db_);
  std::string two =
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: "
      "close\r\n\r\n";
  auto raw = server.SendRaw(two);
  std::size_t first = raw.find("HTTP/1.1 200");
  ASSERT_NE(first, std::string::npos);
  EXPECT_NE(raw.find("HTTP/1.1 200", first + 1), std::string::npos);
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
}

TEST_F(PlatformApiTest, OpenApiDocumentAndConsoleAreServed) {
  ServerProcess server(db_);
  auto doc = server.Get("/api/v1/openapi.json");
  ASSERT_EQ(doc.status, 200);
  auto json = doc.Json();
  EXPECT_EQ(std::string(json.at("openapi").as_string()).substr(0, 2), "3.");
  EXPECT_TRUE(json.at("paths").as_object().contains("/healthz"));
  auto console = server.Get("/organisations/123");  // a client-side route
  EXPECT_EQ(console.status, 200);
  EXPECT_NE(console.body.find("支部"), std::string::npos);
  EXPECT_EQ(server.Get("/missing.js").status, 404);
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
}

TEST_F(PlatformApiTest, SigtermDuringASlowRequestFinishesItAndExitsZero) {
  ServerProcess server(db_);
  auto slow = std::async(std::launch::async,
                         [&] { return server.Get("/api/v1/diagnostics/sleep?ms=1500"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  auto started = std::chrono::steady_clock::now();
  int code = server.StopWith(SIGTERM);
  auto answer = slow.get();
  EXPECT_EQ(code, 0) << server.Log();
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.Json().at("slept_ms").as_int64(), 1500);
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(500))
      << "the server must wait for the request in flight";
}

TEST_F(PlatformApiTest, SigkillDuringWritesLeavesTheDatabaseConsistent) {
  std::int64_t batches_before_kill = 0;
  {
    ServerProcess server(db_);
    std::atomic<bool> stop{false};
    std::atomic<int> written{0};
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
      writers.emplace_back([&, w] {
        for (int i = 0; !stop; ++i) {
          try {
            auto r = server.Post("/api/v1/diagnostics/writes",
                                 "{\"batch\":\"w" + std::to_string(w) + "-" + std::to_string(i) +
                                     "\",\"rows\":400}");
            if (r.status == 201) ++written;
          } catch (const std::exception&) {
            return;  // the server died under us, as intended
          }
        }
      });
    }
    while (written < 8) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_EQ(server.StopWith(SIGKILL), 128 + SIGKILL);
    stop = true;
    for (auto& t : writers) t.join();
    batches_before_kill = written;
  }
  if (!db_.is_postgres()) {
    sqlite3* handle = nullptr;
    ASSERT_EQ(sqlite3_open(db_.path().c_str(), &handle), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(handle, "PRAGMA integrity_check", -1, &stmt, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "ok");
    sqlite3_finalize(stmt);
    sqlite3_close(handle);
  }
  ServerProcess restarted(db_);
  auto report = restarted.Get("/api/v1/diagnostics/writes").Json();
  EXPECT_EQ(report.at("incomplete").as_int64(), 0) << "a batch was half-written";
  EXPECT_GE(report.at("batches").as_int64(), batches_before_kill)
      << "an acknowledged write was lost";
  EXPECT_EQ(report.at("rows").as_int64(), report.at("batches").as_int64() * 400);
  EXPECT_EQ(restarted.StopWith(SIGTERM), 0) << restarted.Log();
}

TEST_F(PlatformApiTest, DatabaseNewerThanTheBinaryIsRefused) {
  {
    ServerProcess server(db_);  // creates and migrates
    EXPECT_EQ(server.StopWith(SIGTERM), 0);
  }
  auto db = db::Database::Open(db_.url()).value();
  ASSERT_TRUE(db->Write([](db::Connection& c) {
    return c.Execute(
        "INSERT INTO schema_migrations (module, version, title, applied_at) VALUES ($1, $2, $3, "
        "$4)",
        {"from_the_future", std::int64_t{1}, "later", "2030-01-01T00:00:00+08:00"});
  }));
  auto serve = RunZhibu({"serve", "--db", db_.url(), "--listen", "127.0.0.1:0"});
  EXPECT_EQ(serve.exit_code, 1) << serve.output;
  EXPECT_NE(serve.output.find("db.schema_too_new"), std::string::npos) << serve.output;
  EXPECT_NE(serve.output.find("from_the_future 0001_later"), std::string::npos) << serve.output;
  auto migrate = RunZhibu({"migrate", "--db", db_.url()});
  EXPECT_EQ(migrate.exit_code, 1) << migrate.output;
}

TEST_F(PlatformApiTest, MigrateIsIdempotentAndCheckReportsCurrent) {
  auto first = RunZhibu({"migrate", "--db", db_.url()});
  EXPECT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("diagnostics 0001_write_probe"), std::string::npos) << first.output;
  auto second = RunZhibu({"migrate", "--db", db_.url()});
  EXPECT_EQ(second.exit_code, 0) << second.output;
  EXPECT_EQ(second.output.find("已执行迁移"), std::string::npos) << second.output;
  auto check = RunZhibu({"migrate", "--check", "--db", db_.url()});
  EXPECT_EQ(check.exit_code, 0) << check.output;
}

TEST_F(PlatformApiTest, BackupWhileServingThenRestoreBringsBackThatState) {
  std::string dir =
      std::filesystem::temp_directory_path() / ("zhibu-backup-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string file = dir + "/backup.bin";
  {
    ServerProcess server(db_);
    ASSERT_EQ(server.Post("/api/v1/diagnostics/writes", R"({"batch":"before","rows":5})").status,
              201);
    auto backup = RunZhibu({"backup", "--db", db_.url(), file});
    ASSERT_EQ(backup.exit_code, 0) << backup.output;
    ASSERT_EQ(server.Post("/api/v1/diagnostics/writes", R"({"batch":"after","rows":5})").status,
              201);
    EXPECT_EQ(server.Get("/api/v1/diagnostics/writes").Json().at("batches").as_int64(), 2);
    EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
  }
  auto restore = RunZhibu({"restore", "--db", db_.url(), file});
  ASSERT_EQ(restore.exit_code, 0) << restore.output;
  ServerProcess server(db_);
  auto report = server.Get("/api/v1/diagnostics/writes").Json();
  EXPECT_EQ(report.at("batches").as_int64(), 1);
  EXPECT_EQ(report.at("rows").as_int64(), 5);
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
  std::filesystem::remove_all(dir);
}

TEST_F(PlatformApiTest, DemoCreatesTheAdministratorsOnceAndPrintsTheirLogins) {
  std::string log;
  {
    ServerProcess server(db_, {"--demo"});
    log = server.Log();
    auto mark = log.find("登录 sysadmin（system_admin）初始密码 ");
    ASSERT_NE(mark, std::string::npos) << log;
    std::string rest =
        log.substr(mark + std::string("登录 sysadmin（system_admin）初始密码 ").size());
    std::string password = rest.substr(0, rest.find("（"));
    EXPECT_EQ(LogInRaw(server, "sysadmin", password).status, 200);
    EXPECT_NE(log.find("登录 secadmin"), std::string::npos);
    EXPECT_NE(log.find("登录 auditor"), std::string::npos);
    EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
  }
  ServerProcess again(db_, {"--demo"});
  EXPECT_EQ(again.Log().find("初始密码"), std::string::npos) << "only once";
  EXPECT_EQ(again.StopWith(SIGTERM), 0) << again.Log();
}

TEST(CliTest, ExitCodesFollowTheConvention) {
  EXPECT_EQ(RunZhibu({}).exit_code, 2);
  EXPECT_EQ(RunZhibu({"no-such-command"}).exit_code, 2);
  EXPECT_EQ(RunZhibu({"serve", "--threads", "nope"}).exit_code, 2);
  for (const std::string cmd : {"serve", "migrate", "backup", "restore"}) {
    auto help = RunZhibu({cmd, "--help"});
    EXPECT_EQ(help.exit_code, 0) << cmd;
    EXPECT_NE(help.output.find("--db"), std::string::npos) << cmd;
  }
  EXPECT_EQ(RunZhibu({"--help"}).exit_code, 0);
  auto bad_listen = RunZhibu({"serve", "--db", "sqlite::memory:", "--listen", "nowhere"});
  EXPECT_EQ(bad_listen.exit_code, 1);
  EXPECT_NE(bad_listen.output.find("listen"), std::string::npos) << bad_listen.output;
  auto bad_db = RunZhibu({"migrate", "--db", "mysql://x"});
  EXPECT_EQ(bad_db.exit_code, 1);
  EXPECT_NE(bad_db.output.find("db.url_invalid"), std::string::npos) << bad_db.output;
}

}  // namespace
}  // namespace zhibu::apitest

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  std::printf("API tests against backend: %s\n",
              std::getenv("ZHIBU_TEST_BACKEND") ? std::getenv("ZHIBU_TEST_BACKEND") : "sqlite");
  return RUN_ALL_TESTS();
}
