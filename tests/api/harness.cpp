#include "harness.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "platform/auth/totp.h"

namespace zhibu::apitest {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

std::string RandomSuffix() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::to_string(rng() % 1'000'000'000ULL);
}

std::string MakeTempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
  char* made = ::mkdtemp(pattern.data());
  if (made == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

void RunAdmin(const std::string& admin_url, const std::string& sql) {
  PGconn* conn = PQconnectdb(admin_url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("cannot reach the test PostgreSQL cluster: " + message);
  }
  PGresult* res = PQexec(conn, sql.c_str());
  bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  std::string message = PQerrorMessage(conn);
  PQclear(res);
  PQfinish(conn);
  if (!ok) throw std::runtime_error(sql + ": " + message);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

boost::json::value HttpResult::Json() const { return boost::json::parse(body); }

std::string HttpResult::ErrorCode() const {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return {};
  const auto* err = v.as_object().if_contains("error");
  if (err == nullptr || !err->is_object()) return {};
  const auto* code = err->as_object().if_contains("code");
  return code != nullptr && code->is_string() ? std::string(code->as_string()) : std::string();
}

TestDatabase::TestDatabase() : dir_(MakeTempDir("zhibu-api-")) {
  std::string backend = Env("ZHIBU_TEST_BACKEND");
  if (backend == "postgres") {
    postgres_ = true;
    admin_url_ = Env("ZHIBU_TEST_POSTGRES_URL");
    if (admin_url_.empty()) {
      throw std::runtime_error("ZHIBU_TEST_BACKEND=postgres needs ZHIBU_TEST_POSTGRES_URL");
    }
    name_ = "zhibu_api_" + RandomSuffix();
    RunAdmin(admin_url_, "CREATE DATABASE " + name_);
    auto slash = admin_url_.rfind('/');
    url_ = admin_url_.substr(0, slash + 1) + name_;
  } else {
    path_ = dir_ + "/zhibu.db";
    url_ = "sqlite:" + path_;
  }
}

TestDatabase::~TestDatabase() {
  try {
    if (postgres_) RunAdmin(admin_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "warning: %s\n", e.what());
  }
  if (!dir_.empty()) std::filesystem::remove_all(dir_);
}

CommandResult RunZhibu(const std::vector<std::string>& args) {
  std::string binary = Env("ZHIBU_BINARY");
  std::string dir = MakeTempDir("zhibu-cmd-");
  std::string out_path = dir + "/out";
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, 0);
    std::vector<char*> argv;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.output = ReadFile(out_path);
  std::filesystem::remove_all(dir);
  return result;
}

ServerProcess::ServerProcess(const TestDatabase& db, std::vector<std::string> extra) {
  const std::string& db_url = db.url();
  std::string binary = Env("ZHIBU_BINARY");
  if (binary.empty()) throw std::runtime_error("set ZHIBU_BINARY to the zhibu executable");
  dir_ = MakeTempDir("zhibu-server-");
  std::string port_file = dir_ + "/port";
  std::string log_file = dir_ + "/log";
  std::filesystem::create_directories(dir_ + "/web");
  std::ofstream(dir_ + "/web/index.html") << "<!doctype html><title>支部</title>";
  std::vector<std::string> args = {binary,        "serve",       "--db",
                                   db_url,        "--listen",    "127.0.0.1:0",
                                   "--port-file", port_file,     "--enable-module",
                                   "diagnostics", "--threads",   "4",
                                   "--web-root",  dir_ + "/web", "--key-file",
                                   db.key_file()};
  for (auto& e : extra) args.push_back(std::move(e));
  pid_ = ::fork();
  if (pid_ == 0) {
    int fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, 0);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  // Generous: `serve --demo` generates the county first, which under ASan on PostgreSQL on a
  // busy two-core machine has taken over a minute.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(240);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      throw std::runtime_error("zhibu serve exited early:\n" + Log());
    }
    std::ifstream in(port_file);
    if (in >> port_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("zhibu serve did not start listening within 240 s:\n" + Log());
}

ServerProcess::~ServerProcess() {
  if (!exited_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  std::filesystem::remove_all(dir_);
}

std::string ServerProcess::Log() const { return ReadFile(dir_ + "/log"); }

int ServerProcess::StopWith(int signal, std::chrono::seconds timeout) {
  ::kill(pid_, signal);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

HttpResult ServerProcess::Get(const std::string& target,
                              std::map<std::string, std::string> headers) const {
  return Send("GET", target, "", std::move(headers));
}

HttpResult ServerProcess::Post(const std::string& target, const std::string& body,
                               std::map<std::string, std::string> headers) const {
  if (!headers.contains("Content-Type")) headers["Content-Type"] = "application/json";
  return Send("POST", target, body, std::move(headers));
}

HttpResult ServerProcess::Send(const std::string& method, const std::string& target,
                               const std::string& body,
                               std::map<std::string, std::string> headers) const {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(
      tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)));
  stream.expires_after(std::chrono::seconds(120));
  bhttp::request<bhttp::string_body> req(bhttp::string_to_verb(method), target, 11);
  req.set(bhttp::field::host, "127.0.0.1");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  bhttp::write(stream, req);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64u << 20);
  if (method == "HEAD") parser.skip(true);
  bhttp::read(stream, buffer, parser);
  HttpResult out;
  out.status = static_cast<int>(parser.get().result_int());
  for (const auto& field : parser.get()) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(field.value());
  }
  out.body = parser.get().body();
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return out;
}

std::string ServerProcess::SendRaw(const std::string& raw) const {
  asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(
      tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)));
  boost::system::error_code ec;
  asio::write(socket, asio::buffer(raw), ec);
  std::string answer;
  std::array<char, 4096> chunk;
  // Read until the server closes (it must, after an error it answered).
  ::timeval tv{10, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  while (true) {
    std::size_t n = socket.read_some(asio::buffer(chunk), ec);
    if (ec) break;
    answer.append(chunk.data(), n);
  }
  return answer;
}

std::map<std::string, std::string> Client::Headers(bool with_csrf) const {
  std::map<std::string, std::string> h{{"Cookie", cookie}};
  if (with_csrf) h["X-CSRF-Token"] = csrf;
  return h;
}

HttpResult Client::Get(const std::string& target) const {
  return server->Get(target, Headers(false));
}

HttpResult Client::Post(const std::string& target, const std::string& body) const {
  return server->Post(target, body, Headers());
}

std::string CreateAdmin(const TestDatabase& db, const std::string& username,
                        const std::string& role) {
  auto made = RunZhibu(
      {"admin", "create", username, "--role", role, "--db", db.url(), "--key-file", db.key_file()});
  EXPECT_EQ(made.exit_code, 0) << made.output;
  auto mark = made.output.rfind("：");
  EXPECT_NE(mark, std::string::npos) << made.output;
  std::string rest = made.output.substr(mark + std::string("：").size());
  return rest.substr(0, rest.find('\n'));
}

HttpResult LogInRaw(const ServerProcess& server, const std::string& username,
                    const std::string& password) {
  return server.Post("/api/v1/auth/login",
                     "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
}

std::string Client::NextTotpCode() {
  std::int64_t now = auth::TotpStep(std::time(nullptr));
  std::int64_t step = std::max(now - 1, totp_last_step + 1);
  while (step > now + 1) {  // every step in the window used: wait for the next one
    std::this_thread::sleep_for(std::chrono::seconds(1));
    now = auth::TotpStep(std::time(nullptr));
  }
  totp_last_step = step;
  return auth::TotpCode(totp_secret, step);
}

Client LogIn(const ServerProcess& server, const std::string& username, const std::string& password,
             Client* totp) {
  std::string body = "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"";
  if (totp != nullptr) body += ",\"totp_code\":\"" + totp->NextTotpCode() + "\"";
  auto r = server.Post("/api/v1/auth/login", body + "}");
  EXPECT_EQ(r.status, 200) << r.body;
  Client c;
  if (totp != nullptr) c = *totp;
  c.server = &server;
  std::string set_cookie = r.headers["set-cookie"];
  c.cookie = set_cookie.substr(0, set_cookie.find(';'));
  if (r.status == 200) c.csrf = std::string(r.Json().at("account").at("csrf_token").as_string());
  return c;
}

Client FirstLogIn(const ServerProcess& server, const std::string& username,
                  const std::string& initial, const std::string& chosen) {
  Client c = LogIn(server, username, initial);
  auto changed = c.Post("/api/v1/me/password", "{\"current_password\":\"" + initial +
                                                   "\",\"new_password\":\"" + chosen + "\"}");
  EXPECT_EQ(changed.status, 200) << changed.body;
  if (c.Get("/api/v1/me").Json().at("totp_enrollment_required").as_bool()) {
    auto enrol = c.Post("/api/v1/me/totp/enrol");
    EXPECT_EQ(enrol.status, 200) << enrol.body;
    c.totp_secret = *auth::Base32Decode(std::string(enrol.Json().at("secret").as_string()));
    auto confirmed = c.Post("/api/v1/me/totp/confirm", "{\"code\":\"" + c.NextTotpCode() + "\"}");
    EXPECT_EQ(confirmed.status, 200) << confirmed.body;
  }
  return c;
}

}  // namespace zhibu::apitest
