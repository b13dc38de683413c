// Identity, access and audit (spec 02), black-box against `zhibu serve` on both backends: each test
// tries something an attacker or a careless user would, and checks that it fails and is recorded.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sqlite3.h>

#include <set>

#include "harness.h"
#include "platform/auth/totp.h"
#include "platform/db/database.h"

namespace zhibu::apitest {
namespace {

class AuthApiTest : public ::testing::Test {
 protected:
  std::string CreateAdmin(const std::string& username, const std::string& role) {
    return apitest::CreateAdmin(db_, username, role);
  }
  HttpResult LogInRaw(const ServerProcess& server, const std::string& username,
                      const std::string& password) {
    return apitest::LogInRaw(server, username, password);
  }
  Client LogIn(const ServerProcess& server, const std::string& u, const std::string& p) {
    return apitest::LogIn(server, u, p);
  }
  Client FirstLogIn(const ServerProcess& server, const std::string& u, const std::string& initial,
                    const std::string& chosen) {
    return apitest::FirstLogIn(server, u, initial, chosen);
  }

  TestDatabase db_;
};

TEST_F(AuthApiTest, SixWrongPasswordsLockTheAccountAndTheAnswerNeverRevealsTheUser) {
  std::string password = CreateAdmin("sysadmin", "system_admin");
  ServerProcess server(db_);
  auto unknown = LogInRaw(server, "nobody-here", "Whatever#1");
  EXPECT_EQ(unknown.status, 401);
  for (int i = 0; i < 6; ++i) {
    auto wrong = LogInRaw(server, "sysadmin", "Wrong#Pass" + std::to_string(i));
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(wrong.ErrorCode(), "auth.login_failed");
    // Same code and message as for a user who does not exist.
    EXPECT_EQ(wrong.Json().at("error").at("message"), unknown.Json().at("error").at("message"));
  }
  auto right = LogInRaw(server, "sysadmin", password);
  EXPECT_EQ(right.status, 401) << "locked for 15 minutes after 5 failures";
  EXPECT_EQ(right.ErrorCode(), "auth.login_failed");
  EXPECT_TRUE(right.headers["set-cookie"].empty());
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
}

TEST_F(AuthApiTest, ManyFailuresFromOneAddressAreThrottled) {
  ServerProcess server(db_);
  int throttled_at = 0;
  for (int i = 1; i <= 21 && throttled_at == 0; ++i) {
    auto r = LogInRaw(server, "guess" + std::to_string(i), "Guess#12345");
    if (r.status == 429)
      throttled_at = i;
    else
      EXPECT_EQ(r.status, 401);
  }
  EXPECT_EQ(throttled_at, 21) << "20 failures per address per 15 minutes are allowed";
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
}

TEST_F(AuthApiTest, SessionCookieIsHttpOnlyStrictAndLogoutEndsIt) {
  std::string initial = CreateAdmin("sysadmin", "system_admin");
  ServerProcess server(db_);
  auto login = LogInRaw(server, "sysadmin", initial);
  ASSERT_EQ(login.status, 200);
  std::string cookie = login.headers["set-cookie"];
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("Secure"), std::string::npos);
  Client c = FirstLogIn(server, "sysadmin", initial, "Branch#Life2026");
  EXPECT_EQ(c.Get("/api/v1/me").status, 200);
  EXPECT_EQ(c.Post("/api/v1/auth/logout").status, 200);
  auto reused = c.Get("/api/v1/me");
  EXPECT_EQ(reused.status, 401) << "a logged-out session must not work again";
  EXPECT_EQ(reused.ErrorCode(), "auth.unauthenticated");
  EXPECT_EQ(server.Get("/api/v1/me").status, 401);
  EXPECT_EQ(server.Get("/api/v1/me", {{"Cookie", "zhibu_session=forged-token"}}).status, 401);
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
}

TEST_F(AuthApiTest, StateChangingRequestsNeedTheCsrfToken) {
  std::string initial = CreateAdmin("sysadmin", "system_admin");
  ServerProcess server(db_);
  Client c = FirstLogIn(server, "sysadmin", initial, "Branch#Life2026");
  std::string body = R"({"username":"clerk","display_name":"张文书"})";
  auto without = server.Post("/api/v1/accounts", body, c.Headers(/*with_csrf=*/false));
  EXPECT_EQ(without.status, 403);
  EXPECT_EQ(without.ErrorCode(), "auth.csrf");
  auto wrong = server.Post("/api/v1/accounts", body, {{"Cookie", c.cookie}, {"X-CSRF-Token", "x"}});
  EXPECT_EQ(wrong.status, 403);
  auto list = c.Get("/api/v1/accounts").Json();
  EXPECT_EQ(list.at("total").as_int64(), 1) << "nothing was created";
  auto with = c.Post("/api/v1/accounts", body);
  EXPECT_EQ(with.status, 201) << with.body;
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
}

TEST_F(AuthApiTest, InitialPasswordMustBeChangedAndThePolicyNamesTheField) {
  std::string initial = CreateAdmin("sysadmin", "system_admin");
  ServerProcess server(db_);
  Client c = LogIn(server, "sysadmin", initial);
  EXPECT_TRUE(c.Get("/api/v1/me").Json().at("password_expired").as_bool());
  auto blocked = c.Get("/api/v1/accounts");
  EXPECT_EQ(blocked.status, 403);
  EXPECT_EQ(blocked.ErrorCode(), "auth.password_expired");
  auto weak = c.Post("/api/v1/me/password",
                     "{\"current_password\":\"" + initial + "\",\"new_password\":\"abcdefgh\"}");
  EXPECT_EQ(weak.status, 400);
  EXPECT_EQ(weak.Json().at("error").at("field").as_string(), "new_password");
  auto same = c.Post("/api/v1/me/password", "{\"current_password\":\"" + initial +
                                                "\",\"new_password\":\"" + initial + "\"}");
  EXPECT_EQ(same.ErrorCode(), "auth.password_reused");
  auto bad_current = c.Post("/api/v1/me/password",
                            R"({"current_password":"Nope#1234","new_password":"Branch#Life2026"})");
  EXPECT_EQ(bad_current.Json().at("error").at("field").as_string(), "current_password");
  auto ok = c.Post("/api/v1/me/password", "{\"current_password\":\"" + initial +
                                              "\",\"new_password\":\"Branch#Life2026\"}");
  EXPECT_EQ(ok.status, 200);
  // Past the password gate; an administrator's next gate is the second factor.
  EXPECT_EQ(c.Get("/api/v1/accounts").ErrorCode(), "auth.totp_enrollment_required");
  // The old one is in the history now.
  auto back =
      c.Post("/api/v1/me/password",
             "{\"current_password\":\"Branch#Life2026\",\"new_password\":\"" + initial + "\"}");
  EXPECT_EQ(back.ErrorCode(), "auth.password_reused");
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
}

TEST_F(AuthApiTest, ThreeAdministratorsCannotDoEachOthersWorkOrEscalate) {
  std::string sys0 = CreateAdmin("sysadmin", "system_admin");
  std::string sec0 = CreateAdmin("secadmin", "security_admin");
  std::string aud0 = CreateAdmin("auditor", "audit_admin");
  ServerProcess server(db_);
  Client sys = FirstLogIn(server, "sysadmin", sys0, "Sys#Admin2026");
  Client sec = FirstLogIn(server, "secadmin", sec0, "Sec#Admin2026");
  Client aud = FirstLogIn(server, "auditor", aud0, "Aud#Admin2026");

  // The system administrator makes accounts but cannot grant roles, not even to itself.
  auto clerk = sys.Post("/api/v1/accounts", R"({"username":"clerk","display_name":"李文书"})");
  ASSERT_EQ(clerk.status, 201) << clerk.body;
  std::int64_t clerk_id = clerk.Json().at("account").at("id").as_int64();
  std::string sys_id = std::to_string(sys.Get("/api/v1/me").Json().at("id").as_int64());
  EXPECT_EQ(
      sys.Post("/api/v1/accounts/" + sys_id + "/grants", R"({"role":"security_admin"})").status,
      403);
  // The security administrator grants but cannot create accounts, read the audit trail, or take a
  // second administrator role.
  EXPECT_EQ(sec.Post("/api/v1/accounts", R"({"username":"x2","display_name":"x"})").status, 403);
  EXPECT_EQ(sec.Get("/api/v1/audit").status, 403);
  std::string sec_id = std::to_string(sec.Get("/api/v1/me").Json().at("id").as_int64());
  auto second = sec.Post("/api/v1/accounts/" + sec_id + "/grants", R"({"role":"audit_admin"})");
  EXPECT_EQ(second.status, 422);
  EXPECT_EQ(second.ErrorCode(), "auth.separation_of_duties");
  // The audit administrator reads the trail and nothing else: no accounts, no grants.
  EXPECT_EQ(aud.Get("/api/v1/accounts").status, 403);
  EXPECT_EQ(aud.Post("/api/v1/accounts/" + std::to_string(clerk_id) + "/grants",
                     R"({"role":"system_admin"})")
                .status,
            403);
  EXPECT_EQ(aud.Get("/api/v1/audit").status, 200);
  // An account with no role cannot raise itself.
  std::string clerk_pw(clerk.Json().at("initial_password").as_string());
  Client plain = FirstLogIn(server, "clerk", clerk_pw, "Desk#Work2026");
  auto escalate = plain.Post("/api/v1/accounts/" + std::to_string(clerk_id) + "/grants",
                             R"({"role":"system_admin"})");
  EXPECT_EQ(escalate.status, 403);
  EXPECT_EQ(escalate.ErrorCode(), "auth.forbidden");
  EXPECT_EQ(plain.Get("/api/v1/me").Json().at("grants").as_array().size(), 0u);
  // Every refusal above is in the trail, as `denied`.
  auto denied = aud.Get("/api/v1/audit?size=200").Json();
  int denials = 0;
  for (const auto& e : denied.at("items").as_array()) {
    if (e.at("result").as_string() == "denied") ++denials;
  }
  EXPECT_GE(denials, 5);
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
}

TEST_F(AuthApiTest, AuditTrailRecordsLoginsAndChangesAndVerifies) {
  std::string sys0 = CreateAdmin("sysadmin", "system_admin");
  std::string aud0 = CreateAdmin("auditor", "audit_admin");
  ServerProcess server(db_);
  EXPECT_EQ(LogInRaw(server, "sysadmin", "Wrong#Pass1").status, 401);
  Client sys = FirstLogIn(server, "sysadmin", sys0, "Sys#Admin2026");
  ASSERT_EQ(sys.Post("/api/v1/accounts", R"({"username":"clerk","display_name":"王文书"})").status,
            201);
  Client aud = FirstLogIn(server, "auditor", aud0, "Aud#Admin2026");
  auto trail = aud.Get("/api/v1/audit?size=200").Json();
  std::set<std::string> seen;
  for (const auto& e : trail.at("items").as_array()) {
    seen.insert(std::string(e.at("action").as_string()) + "/" +
                std::string(e.at("result").as_string()));
  }
  for (const char* expected : {"auth.login/failure", "auth.login/success", "account.create/success",
                               "auth.password_change/success", "grant.create/success"}) {
    EXPECT_TRUE(seen.contains(expected)) << expected;
  }
  auto create = aud.Get("/api/v1/audit?action=account.create&size=10").Json();
  const auto& newest = create.at("items").as_array().at(0).as_object();
  EXPECT_EQ(newest.at("actor").as_string(), "sysadmin");
  EXPECT_EQ(newest.at("detail").at("after").at("username").as_string(), "clerk");
  auto verify = aud.Get("/api/v1/audit/verify").Json();
  EXPECT_TRUE(verify.at("intact").as_bool());
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
}

//! Runs SQL directly against the test database, as someone with access to the files would.
void Tamper(const TestDatabase& db, const std::string& sqlite_sql, const std::string& pg_sql) {
  if (db.is_postgres()) {
    PGconn* c = PQconnectdb(db.url().c_str());
    ASSERT_EQ(PQstatus(c), CONNECTION_OK);
    PGresult* r = PQexec(c, pg_sql.c_str());
    EXPECT_EQ(PQresultStatus(r), PGRES_COMMAND_OK) << PQerrorMessage(c);
    PQclear(r);
    PQfinish(c);
  } else {
    sqlite3* h = nullptr;
    ASSERT_EQ(sqlite3_open(db.path().c_str(), &h), SQLITE_OK);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(h, sqlite_sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(h);
  }
}

TEST_F(AuthApiTest, TamperingWithTheAuditTrailIsRefusedThenDetected) {
  CreateAdmin("sysadmin", "system_admin");
  CreateAdmin("auditor", "audit_admin");
  auto intact = RunZhibu({"audit", "verify", "--db", db_.url()});
  ASSERT_EQ(intact.exit_code, 0) << intact.output;
  // The database itself refuses changes to the trail…
  auto db = db::Database::Open(db_.url()).value();
  auto refused = db->Write([](db::Connection& c) {
    return c.Execute("UPDATE audit_event SET result = 'failure' WHERE seq = 2");
  });
  EXPECT_FALSE(refused) << "audit_event must be append-only";
  auto refused_delete = db->Write(
      [](db::Connection& c) { return c.Execute("DELETE FROM audit_event WHERE seq = 2"); });
  EXPECT_FALSE(refused_delete);
  db.reset();
  // …and someone who drops the guard and edits a row is caught, at that row.
  Tamper(db_,
         "DROP TRIGGER audit_event_no_update; DROP TRIGGER audit_event_no_delete;"
         "UPDATE audit_event SET actor = 'someone-else' WHERE seq = 2;",
         "ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change;"
         "UPDATE audit_event SET actor = 'someone-else' WHERE seq = 2;");
  auto edited = RunZhibu({"audit", "verify", "--db", db_.url()});
  EXPECT_EQ(edited.exit_code, 1) << edited.output;
  EXPECT_NE(edited.output.find("\"first_broken_seq\":2"), std::string::npos) << edited.output;
}

TEST_F(AuthApiTest, DeletingTheNewestAuditRowIsDetected) {
  CreateAdmin("sysadmin", "system_admin");
  CreateAdmin("auditor", "audit_admin");
  Tamper(db_,
         "DROP TRIGGER audit_event_no_delete;"
         "DELETE FROM audit_event WHERE seq = (SELECT MAX(seq) FROM audit_event);",
         "ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change;"
         "DELETE FROM audit_event WHERE seq = (SELECT MAX(seq) FROM audit_event);");
  auto truncated = RunZhibu({"audit", "verify", "--db", db_.url()});
  EXPECT_EQ(truncated.exit_code, 1) << truncated.output;
  EXPECT_NE(truncated.output.find("\"intact\":false"), std::string::npos) << truncated.output;
}

TEST_F(AuthApiTest, AdministratorsNeedASecondFactor) {
  std::string initial = CreateAdmin("sysadmin", "system_admin");
  ServerProcess server(db_);
  Client c = LogIn(server, "sysadmin", initial);
  ASSERT_EQ(c.Post("/api/v1/me/password",
                   "{\"current_password\":\"" + initial + "\",\"new_password\":\"Sys#Admin2026\"}")
                .status,
            200);
  auto before = c.Get("/api/v1/accounts");
  EXPECT_EQ(before.status, 403);
  EXPECT_EQ(before.ErrorCode(), "auth.totp_enrollment_required");
  auto enrol = c.Post("/api/v1/me/totp/enrol").Json();
  EXPECT_EQ(std::string(enrol.at("otpauth_uri").as_string()).rfind("otpauth://totp/", 0), 0u);
  c.totp_secret = *auth::Base32Decode(std::string(enrol.at("secret").as_string()));
  auto wrong = c.Post("/api/v1/me/totp/confirm", R"({"code":"000000"})");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.Json().at("error").at("field").as_string(), "code");
  ASSERT_EQ(c.Post("/api/v1/me/totp/confirm", "{\"code\":\"" + c.NextTotpCode() + "\"}").status,
            200);
  EXPECT_EQ(c.Get("/api/v1/accounts").status, 200);
  ASSERT_EQ(c.Post("/api/v1/auth/logout").status, 200);

  // Now the password alone is not enough…
  auto no_code = LogInRaw(server, "sysadmin", "Sys#Admin2026");
  EXPECT_EQ(no_code.status, 401);
  EXPECT_EQ(no_code.ErrorCode(), "auth.totp_required");
  auto bad_code =
      server.Post("/api/v1/auth/login",
                  R"({"username":"sysadmin","password":"Sys#Admin2026","totp_code":"123456"})");
  EXPECT_EQ(bad_code.ErrorCode(), "auth.login_failed");
  // …a fresh code works once, and the same code cannot be replayed.
  std::string code = c.NextTotpCode();
  std::string body =
      R"({"username":"sysadmin","password":"Sys#Admin2026","totp_code":")" + code + "\"}";
  EXPECT_EQ(server.Post("/api/v1/auth/login", body).status, 200);
  EXPECT_EQ(server.Post("/api/v1/auth/login", body).ErrorCode(), "auth.login_failed");
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();

  // The secret is stored SM4-encrypted, never as itself.
  auto db = db::Database::Open(db_.url()).value();
  auto stored = db->Read([](db::Connection& conn) {
    return conn.Query("SELECT totp_secret FROM account WHERE username = 'sysadmin'");
  });
  ASSERT_TRUE(stored);
  std::string raw = stored->Bytes(0, 0).bytes;
  EXPECT_EQ(raw.find(c.totp_secret), std::string::npos);
  EXPECT_GT(raw.size(), c.totp_secret.size() + 32);
}

TEST_F(AuthApiTest, ApiTokensCarryOnlyTheirScopeUntilRevoked) {
  std::string sys0 = CreateAdmin("sysadmin", "system_admin");
  std::string sec0 = CreateAdmin("secadmin", "security_admin");
  ServerProcess server(db_);
  Client sys = FirstLogIn(server, "sysadmin", sys0, "Sys#Admin2026");
  Client sec = FirstLogIn(server, "secadmin", sec0, "Sec#Admin2026");
  auto made = sys.Post("/api/v1/accounts", R"({"username":"hr-system","display_name":"人事系统"})");
  ASSERT_EQ(made.status, 201);
  std::string id = std::to_string(made.Json().at("account").at("id").as_int64());
  ASSERT_EQ(sec.Post("/api/v1/accounts/" + id + "/grants", R"({"role":"integration"})").status,
            201);
  // A token may not exceed what its account holds, nor be issued to an administrator.
  auto too_wide = sec.Post("/api/v1/accounts/" + id + "/tokens",
                           R"({"name":"hr","scopes":["audit.read"],"expires_in_days":30})");
  EXPECT_EQ(too_wide.status, 400);
  EXPECT_EQ(too_wide.Json().at("error").at("field").as_string(), "scopes");
  std::string sec_id = std::to_string(sec.Get("/api/v1/me").Json().at("id").as_int64());
  auto for_admin = sec.Post("/api/v1/accounts/" + sec_id + "/tokens",
                            R"({"name":"x","scopes":["grant.read"],"expires_in_days":30})");
  EXPECT_EQ(for_admin.ErrorCode(), "token.admin_account");
  auto bad_days = sec.Post("/api/v1/accounts/" + id + "/tokens",
                           R"({"name":"hr","scopes":["idcard.check"],"expires_in_days":366})");
  EXPECT_EQ(bad_days.Json().at("error").at("field").as_string(), "expires_in_days");

  auto issued =
      sec.Post("/api/v1/accounts/" + id + "/tokens",
               R"({"name":"人事系统对接","scopes":["idcard.check"],"expires_in_days":30})");
  ASSERT_EQ(issued.status, 201) << issued.body;
  std::string token(issued.Json().at("token").as_string());
  std::string token_id = std::to_string(issued.Json().at("id").as_int64());
  std::map<std::string, std::string> bearer{{"Authorization", "Bearer " + token}};
  auto checked = server.Get("/api/v1/idcard/check?number=11010519491231002X", bearer);
  EXPECT_EQ(checked.status, 200) << checked.body;
  EXPECT_TRUE(checked.Json().at("valid").as_bool());
  EXPECT_EQ(server.Get("/api/v1/accounts", bearer).status, 403);
  auto listed = sec.Get("/api/v1/accounts/" + id + "/tokens").Json();
  EXPECT_EQ(listed.at("items").as_array().size(), 1u);
  EXPECT_EQ(listed.at("items").at(0).as_object().count("token"), 0u) << "never shown again";
  ASSERT_EQ(sec.Post("/api/v1/tokens/" + token_id + "/revoke").status, 200);
  EXPECT_EQ(server.Get("/api/v1/idcard/check?number=11010519491231002X", bearer).status, 401);
  EXPECT_EQ(server.Get("/api/v1/me", {{"Authorization", "Bearer zbt_forged"}}).status, 401);
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
}

TEST_F(AuthApiTest, SecondServerSeesTheSameSessions) {
  std::string initial = CreateAdmin("sysadmin", "system_admin");
  ServerProcess one(db_);
  ServerProcess two(db_);
  Client c = FirstLogIn(one, "sysadmin", initial, "Sys#Admin2026");
  auto there = two.Get("/api/v1/me", {{"Cookie", c.cookie}});
  EXPECT_EQ(there.status, 200) << "sessions live in the database, not in a server";
  EXPECT_EQ(one.StopWith(SIGTERM), 0) << one.Log();
  EXPECT_EQ(two.StopWith(SIGTERM), 0) << two.Log();
}

}  // namespace
}  // namespace zhibu::apitest
