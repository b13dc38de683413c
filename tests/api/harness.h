#pragma once
//! Black-box API test harness: starts a real `zhibu serve` (the binary in $ZHIBU_BINARY) on a
//! kernel-chosen loopback port against a fresh database of the backend in $ZHIBU_TEST_BACKEND
//! (`sqlite`: a new file in a temp dir; `postgres`: a new database in the cluster at
//! $ZHIBU_TEST_POSTGRES_URL), and talks plain HTTP/1.1 to it.

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace zhibu::apitest {

//! An HTTP answer.
struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  //!< lower-case names
  std::string body;
  boost::json::value Json() const;
  //! `error.code` of the envelope, or empty.
  std::string ErrorCode() const;
};

//! A fresh database for one test; dropped (PostgreSQL) or deleted (SQLite) afterwards.
class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  //! A fresh database holding the demo county exactly as `zhibu serve --demo` first loads it, with
  //! its key file. The county is generated once per test process (by a `serve --demo` on a template
  //! database) and copied: the SQLite file, or `CREATE DATABASE … TEMPLATE` on PostgreSQL. A server
  //! on the copy needs no `--demo`; its Log() starts with the demo's one-time passwords.
  static std::unique_ptr<TestDatabase> WithDemo();
  const std::string& url() const { return url_; }
  bool is_postgres() const { return postgres_; }
  //! For SQLite: the file path.
  const std::string& path() const { return path_; }
  //! The field-encryption key file every server and command of this test uses.
  std::string key_file() const { return dir_ + "/zhibu.key"; }
  //! What the first `serve --demo` printed (the demo accounts' one-time passwords), or empty.
  const std::string& demo_log() const { return demo_log_; }

 private:
  bool postgres_ = false;
  std::string url_;
  std::string path_;
  std::string dir_;
  std::string admin_url_;
  std::string name_;
  std::string demo_log_;
};

//! Runs `zhibu ARGS…` to completion; answers exit code and combined output.
struct CommandResult {
  int exit_code = -1;
  std::string output;
};
CommandResult RunZhibu(const std::vector<std::string>& args);

//! A running `zhibu serve`.
class ServerProcess {
 public:
  //! Starts the server on `db_url` with the diagnostics module enabled plus `extra` arguments and
  //! waits until it listens (fails the test on timeout or early exit).
  explicit ServerProcess(const TestDatabase& db, std::vector<std::string> extra = {});
  ~ServerProcess();

  int port() const { return port_; }
  int pid() const { return pid_; }
  //! Sends `signal` and waits for exit; answers the exit status (128+n when killed by signal n).
  int StopWith(int signal, std::chrono::seconds timeout = std::chrono::seconds(60));
  //! The server's captured stderr/stdout so far.
  std::string Log() const;

  HttpResult Get(const std::string& target, std::map<std::string, std::string> headers = {}) const;
  HttpResult Post(const std::string& target, const std::string& body,
                  std::map<std::string, std::string> headers = {}) const;
  HttpResult Send(const std::string& method, const std::string& target, const std::string& body,
                  std::map<std::string, std::string> headers) const;
  //! Writes `raw` bytes on a new connection and reads until the server closes it (or timeout).
  std::string SendRaw(const std::string& raw) const;

 private:
  int pid_ = -1;
  int port_ = 0;
  std::string dir_;
  std::string demo_log_;  //!< the database's demo_log(), shown before this server's own output
  bool exited_ = false;
};

//! A logged-in browser: the session cookie and the CSRF token.
struct Client {
  const ServerProcess* server = nullptr;
  std::string cookie;
  std::string csrf;
  std::string totp_secret;          //!< raw bytes, once enrolled
  std::int64_t totp_last_step = 0;  //!< the last step used (codes cannot be replayed)

  //! A one-time code the server will accept next: a step after the last one used, within the
  //! ±1-step window.
  std::string NextTotpCode();

  std::map<std::string, std::string> Headers(bool with_csrf = true) const;
  HttpResult Get(const std::string& target) const;
  HttpResult Post(const std::string& target, const std::string& body = "{}") const;
};

//! `zhibu admin create USERNAME --role ROLE` on `db`; answers the generated password.
std::string CreateAdmin(const TestDatabase& db, const std::string& username,
                        const std::string& role);
//! POST /api/v1/auth/login.
HttpResult LogInRaw(const ServerProcess& server, const std::string& username,
                    const std::string& password);
//! Logs in (expecting success) and answers the client; `totp` supplies the second factor's
//! secret for an enrolled administrator (and records the step used).
Client LogIn(const ServerProcess& server, const std::string& username, const std::string& password,
             Client* totp = nullptr);
//! Logs in with a generated password and replaces it by `chosen`, and enrols an administrator's
//! authenticator, as a first login must.
Client FirstLogIn(const ServerProcess& server, const std::string& username,
                  const std::string& initial, const std::string& chosen);

}  // namespace zhibu::apitest
