//! The PostgreSQL backend on libpq: a pool of connections, statements prepared once per
//! connection, COPY for bulk loads, pg_dump/pg_restore for backups.

#include <fcntl.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <unordered_map>

#include "platform/db/database.h"

extern char** environ;

namespace zhibu::db {
namespace {

// Type OIDs from pg_type.h (stable across PostgreSQL versions).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;

constexpr std::string_view kBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
constexpr std::string_view kBeginWrite = "BEGIN";
constexpr std::size_t kCopyChunkBytes = 64 * 1024;

//! The URI without its password, for logs and messages.
std::string RedactPassword(const std::string& uri) {
  auto scheme = uri.find("://");
  if (scheme == std::string::npos) return uri;
  auto at = uri.find('@', scheme + 3);
  if (at == std::string::npos) return uri;
  auto colon = uri.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return uri;
  return uri.substr(0, colon + 1) + "***" + uri.substr(at);
}

//! Maps a failed result (or connection) to an Error by SQLSTATE.
Error PostgresError(PGconn* conn, const PGresult* result, std::string_view what) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string detail =
      std::string(what) + ": " + (primary != nullptr ? primary : PQerrorMessage(conn));
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
  std::string_view code = state != nullptr ? state : "";
  if (code == "23505") {
    return Error::Conflict("db.unique_violation", "数据重复，违反唯一性约束（" + detail + "）");
  }
  if (code == "23503" || code == "23502" || code == "23514") {
    return Error::Conflict("db.constraint_violation", "数据违反约束（" + detail + "）");
  }
  if (code == "40001" || code == "40P01") {
    return Error::Conflict("db.serialization_failure", "并发冲突，请重试（" + detail + "）");
  }
  if (code.starts_with("08") || code == "57P01" || code == "57P02" || code == "57P03" ||
      PQstatus(conn) != CONNECTION_OK) {
    return Error::Unavailable("db.unavailable", "数据库连接不可用（" + detail + "）");
  }
  return Error::Internal("db.error", "数据库错误（" + detail + "）");
}

bool IsIdentifier(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

//! Owns a PGresult.
struct ResultHandle {
  explicit ResultHandle(PGresult* r) : result(r) {}
  ~ResultHandle() { PQclear(result); }
  ResultHandle(const ResultHandle&) = delete;
  ResultHandle& operator=(const ResultHandle&) = delete;
  PGresult* result;
};

//! Appends `text` to a COPY text-format line, escaping what the format reserves.
void AppendCopyText(std::string& line, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '\\':
        line += "\\\\";
        break;
      case '\t':
        line += "\\t";
        break;
      case '\n':
        line += "\\n";
        break;
      case '\r':
        line += "\\r";
        break;
      default:
        line.push_back(c);
    }
  }
}

void AppendCopyValue(std::string& line, const Value& value) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::nullptr_t>) {
          line += "\\N";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          line += std::to_string(x);
        } else if constexpr (std::is_same_v<T, double>) {
          char buf[64];
          auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
          line.append(buf, end);
        } else if constexpr (std::is_same_v<T, std::string>) {
          AppendCopyText(line, x);
        } else {
          line += "\\\\x";  // bytea hex input, with the backslash escaped for COPY
          for (unsigned char b : x.bytes) {
            line.push_back(kHex[b >> 4]);
            line.push_back(kHex[b & 0xf]);
          }
        }
      },
      value);
}

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(PGconn* conn) : conn_(conn) {}
  ~PostgresConnection() override { PQfinish(conn_); }
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  using Connection::Execute;
  using Connection::Query;

  Backend backend() const override { return Backend::kPostgres; }
  bool healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

  Result<ResultSet> Query(std::string_view sql, std::span<const Value> params) override {
    auto result = Run(sql, params);
    if (!result) return Fail(result.error());
    PGresult* r = (*result)->result;
    int ncol = PQnfields(r);
    int nrow = PQntuples(r);
    std::vector<std::string> columns;
    columns.reserve(ncol);
    std::vector<Oid> types;
    for (int c = 0; c < ncol; ++c) {
      columns.emplace_back(PQfname(r, c));
      types.push_back(PQftype(r, c));
    }
    std::vector<std::vector<Value>> rows;
    rows.reserve(nrow);
    for (int i = 0; i < nrow; ++i) {
      std::vector<Value>& row = rows.emplace_back();
      row.reserve(ncol);
      for (int c = 0; c < ncol; ++c) row.push_back(ReadValue(r, i, c, types[c]));
    }
    return ResultSet(std::move(columns), std::move(rows));
  }

  Result<std::int64_t> Execute(std::string_view sql, std::span<const Value> params) override {
    auto result = Run(sql, params);
    if (!result) return Fail(result.error());
    const char* tuples = PQcmdTuples((*result)->result);
    std::int64_t count = 0;
    if (tuples != nullptr && *tuples != '\0') {
      std::from_chars(tuples, tuples + std::strlen(tuples), count);
    }
    return count;
  }

  Result<void> Control(std::string_view sql) override { return ExecuteScript(sql); }

  Result<void> ExecuteScript(std::string_view sql) override {
    std::string text(sql);
    ResultHandle result(PQexec(conn_, text.c_str()));
    auto status = PQresultStatus(result.result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      return Fail(PostgresError(conn_, result.result, "script"));
    }
    return {};
  }

  Result<std::int64_t> BulkInsert(std::string_view table, std::span<const std::string> columns,
                                  RowSource& rows) override {
    if (!IsIdentifier(table)) {
      return Fail(Error::Invalid("db.identifier_invalid", "表名不合法", std::string(table)));
    }
    std::string sql = "COPY " + std::string(table) + " (";
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (!IsIdentifier(columns[i])) {
        return Fail(Error::Invalid("db.identifier_invalid", "列名不合法", columns[i]));
      }
      sql += (i ? "," : "") + columns[i];
    }
    sql += ") FROM STDIN";
    {
      ResultHandle start(PQexec(conn_, sql.c_str()));
      if (PQresultStatus(start.result) != PGRES_COPY_IN) {
        return Fail(PostgresError(conn_, start.result, "copy"));
      }
    }
    std::string chunk;
    chunk.reserve(kCopyChunkBytes + 4096);
    std::vector<Value> row;
    std::int64_t count = 0;
    std::optional<Error> failure;
    while (rows.Next(row)) {
      if (row.size() != columns.size()) {
        failure = Error::Invalid("db.bulk_row_width", "批量写入的列数与表头不一致",
                                 "row " + std::to_string(count + 1));
        break;
      }
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (i) chunk.push_back('\t');
        AppendCopyValue(chunk, row[i]);
      }
      chunk.push_back('\n');
      ++count;
      if (chunk.size() >= kCopyChunkBytes) {
        if (PQputCopyData(conn_, chunk.data(), static_cast<int>(chunk.size())) != 1) {
          failure = PostgresError(conn_, nullptr, "copy data");
          break;
        }
        chunk.clear();
      }
    }
    if (!failure && !chunk.empty() &&
        PQputCopyData(conn_, chunk.data(), static_cast<int>(chunk.size())) != 1) {
      failure = PostgresError(conn_, nullptr, "copy data");
    }
    // Ending with an error message aborts the COPY (and so the transaction): nothing is loaded.
    PQputCopyEnd(conn_, failure ? "zhibu: bulk load aborted" : nullptr);
    std::optional<Error> server_error;
    while (PGresult* r = PQgetResult(conn_)) {
      ResultHandle end(r);
      if (PQresultStatus(r) != PGRES_COMMAND_OK && !server_error) {
        server_error = PostgresError(conn_, r, "copy");
      }
    }
    if (failure) return Fail(std::move(*failure));
    if (server_error) return Fail(std::move(*server_error));
    return count;
  }

 private:
  struct Prepared {
    std::string name;
  };

  Result<std::unique_ptr<ResultHandle>> Run(std::string_view sql, std::span<const Value> params) {
    auto prepared = Prepare(sql, static_cast<int>(params.size()));
    if (!prepared) return Fail(prepared.error());
    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<int> lengths(params.size(), 0);
    std::vector<int> formats(params.size(), 0);
    for (std::size_t i = 0; i < params.size(); ++i) {
      std::visit(
          [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              values[i] = nullptr;
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              text[i] = std::to_string(x);
              values[i] = text[i].c_str();
            } else if constexpr (std::is_same_v<T, double>) {
              char buf[64];
              auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
              text[i].assign(buf, end);
              values[i] = text[i].c_str();
            } else if constexpr (std::is_same_v<T, std::string>) {
              values[i] = x.c_str();
            } else {
              values[i] = x.bytes.data();
              lengths[i] = static_cast<int>(x.bytes.size());
              formats[i] = 1;  // binary: bytea as raw bytes
            }
          },
          params[i]);
    }
    auto result = std::make_unique<ResultHandle>(
        PQexecPrepared(conn_, (*prepared)->name.c_str(), static_cast<int>(params.size()),
                       values.data(), lengths.data(), formats.data(), 0));
    auto status = PQresultStatus(result->result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      return Fail(PostgresError(conn_, result->result, "query"));
    }
    return result;
  }

  Result<const Prepared*> Prepare(std::string_view sql, int nparams) {
    std::string key(sql);
    auto it = prepared_.find(key);
    if (it != prepared_.end()) return &it->second;
    Prepared p{"zs" + std::to_string(prepared_.size() + 1)};
    ResultHandle result(PQprepare(conn_, p.name.c_str(), key.c_str(), nparams, nullptr));
    if (PQresultStatus(result.result) != PGRES_COMMAND_OK) {
      return Fail(PostgresError(conn_, result.result, "prepare"));
    }
    auto [pos, inserted] = prepared_.emplace(std::move(key), std::move(p));
    return &pos->second;
  }

  static Value ReadValue(PGresult* r, int row, int col, Oid type) {
    if (PQgetisnull(r, row, col)) return nullptr;
    const char* text = PQgetvalue(r, row, col);
    int length = PQgetlength(r, row, col);
    switch (type) {
      case kInt2Oid:
      case kInt4Oid:
      case kInt8Oid:
      case kOidOid: {
        std::int64_t v = 0;
        std::from_chars(text, text + length, v);
        return v;
      }
      case kFloat4Oid:
      case kFloat8Oid: {
        double v = 0;
        std::from_chars(text, text + length, v);
        return v;
      }
      case kBoolOid:
        return std::int64_t{text[0] == 't' ? 1 : 0};
      case kByteaOid: {
        std::size_t n = 0;
        unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &n);
        Blob blob{std::string(reinterpret_cast<const char*>(bytes), n)};
        PQfreemem(bytes);
        return blob;
      }
      default:
        return std::string(text, static_cast<std::size_t>(length));
    }
  }

  PGconn* conn_;
  std::unordered_map<std::string, Prepared> prepared_;
};

Result<std::unique_ptr<PostgresConnection>> Connect(const std::string& uri) {
  PGconn* conn = PQconnectdb(uri.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return Fail(Error::Unavailable(
        "db.unavailable", "无法连接 PostgreSQL " + RedactPassword(uri) + "（" + message + "）"));
  }
  // Quiet NOTICEs (e.g. "relation already exists, skipping") instead of printing to stderr.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  auto c = std::make_unique<PostgresConnection>(conn);
  if (auto ok = c->ExecuteScript("SET TIME ZONE 'Asia/Shanghai'"); !ok) return Fail(ok.error());
  return c;
}

//! Runs a PostgreSQL client tool without a shell; answers its exit status and stderr tail.
Result<void> RunTool(const std::string& tool, std::vector<std::string> args,
                     const std::string& error_code, const std::string& what) {
  std::string path = "/usr/lib/postgresql/15/bin/" + tool;
  if (!std::filesystem::exists(path)) path = tool;  // from PATH
  char err_template[] = "/tmp/zhibu-pgtool-XXXXXX";
  int err_fd = ::mkstemp(err_template);
  if (err_fd < 0) return Fail(Error::Internal(error_code, what + "：无法创建临时文件"));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  args.insert(args.begin(), path);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int spawned = path.find('/') != std::string::npos
                    ? ::posix_spawn(&pid, path.c_str(), &actions, nullptr, argv.data(), environ)
                    : ::posix_spawnp(&pid, path.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(err_fd);
  std::ifstream err_in(err_template);
  std::stringstream err_text;
  int status = 0;
  if (spawned == 0) ::waitpid(pid, &status, 0);
  err_text << err_in.rdbuf();
  ::unlink(err_template);
  if (spawned != 0) {
    return Fail(Error::Internal(
        error_code, what + "：无法运行 " + tool + "（" + std::strerror(spawned) + "）"));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string tail = err_text.str();
    if (tail.size() > 2000) tail = tail.substr(tail.size() - 2000);
    return Fail(Error::Internal(error_code, what + "：" + tool + " 失败（" + tail + "）"));
  }
  return {};
}

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(std::string uri, DatabaseOptions options,
                   std::unique_ptr<PostgresConnection> first)
      : uri_(std::move(uri)), options_(options) {
    idle_.push_back(std::move(first));
    open_ = 1;
  }

  Backend backend() const override { return Backend::kPostgres; }
  std::string DisplayUrl() const override { return RedactPassword(uri_); }

  Result<void> Ping() override {
    return RunRead([](Connection& c) -> Result<void> {
      auto r = c.Query("SELECT 1");
      if (!r) return Fail(r.error());
      return {};
    });
  }

  Result<void> Backup(const std::string& path) override {
    return RunTool("pg_dump", {"--format=custom", "--no-owner", "--file=" + path, uri_},
                   "db.backup_failed", "备份失败");
  }

  Result<void> Restore(const std::string& path) override {
    if (!std::filesystem::is_regular_file(path)) {
      return Fail(Error::Invalid("db.restore_source_missing", "备份文件不存在：" + path, "file"));
    }
    // Pooled connections hold prepared statements on tables about to be replaced.
    {
      std::lock_guard lock(mutex_);
      open_ -= static_cast<int>(idle_.size());
      idle_.clear();
    }
    return RunTool(
        "pg_restore",
        {"--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname=" + uri_, path},
        "db.restore_failed", "恢复失败");
  }

 protected:
  Result<void> RunRead(const Work& work) override { return Run(work, kBeginRead); }
  Result<void> RunWrite(const Work& work) override { return Run(work, kBeginWrite); }

 private:
  Result<void> Run(const Work& work, std::string_view begin) {
    auto conn = Acquire();
    if (!conn) return Fail(conn.error());
    auto result = RunTransaction(**conn, work, begin);
    Release(std::move(*conn));
    return result;
  }

  Result<std::unique_ptr<PostgresConnection>> Acquire() {
    std::unique_lock lock(mutex_);
    auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.busy_timeout_ms);
    while (true) {
      if (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        return conn;
      }
      if (open_ < options_.pool_size) {
        ++open_;
        lock.unlock();
        auto made = Connect(uri_);
        if (!made) {
          std::lock_guard relock(mutex_);
          --open_;
          return Fail(made.error());
        }
        return std::move(*made);
      }
      if (ready_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
          open_ >= options_.pool_size) {
        return Fail(Error::Unavailable("db.pool_exhausted", "数据库连接已用尽，请稍后重试"));
      }
    }
  }

  void Release(std::unique_ptr<PostgresConnection> conn) {
    {
      std::lock_guard lock(mutex_);
      if (conn->healthy()) {
        idle_.push_back(std::move(conn));
      } else {
        --open_;  // a broken connection is dropped; the next Acquire opens a fresh one
      }
    }
    ready_.notify_one();
  }

  std::string uri_;
  DatabaseOptions options_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<std::unique_ptr<PostgresConnection>> idle_;
  int open_ = 0;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& uri,
                                               const DatabaseOptions& options) {
  auto first = Connect(uri);
  if (!first) return Fail(first.error());
  return std::unique_ptr<Database>(
      std::make_unique<PostgresDatabase>(uri, options, std::move(*first)));
}

}  // namespace zhibu::db
