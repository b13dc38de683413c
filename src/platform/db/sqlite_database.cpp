//! The SQLite backend: one writer connection (serialised by a mutex, BEGIN IMMEDIATE) and a pool
//! of read-only connections, all in WAL mode so readers never wait for the writer.

#include <sqlite3.h>

#include <charconv>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <variant>

#include "platform/db/database.h"

namespace zhibu::db {
namespace {

constexpr std::string_view kMemoryPath = ":memory:";

Error SqliteError(sqlite3* handle, int rc, std::string_view what) {
  const char* text = handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
  std::string detail = std::string(what) + ": " + text;
  int primary = rc & 0xff;
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Error::Conflict("db.unique_violation", "数据重复，违反唯一性约束（" + detail + "）");
  }
  if (primary == SQLITE_CONSTRAINT) {
    return Error::Conflict("db.constraint_violation", "数据违反约束（" + detail + "）");
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Error::Unavailable("db.busy", "数据库繁忙，请稍后重试（" + detail + "）");
  }
  return Error::Internal("db.error", "数据库错误（" + detail + "）");
}

//! A prepared statement and, for each of its parameters, which `$N` value it takes.
struct CachedStatement {
  sqlite3_stmt* stmt = nullptr;
  std::vector<int> value_index;    // parameter i+1 binds params[value_index[i]]
  ResultSet::ColumnNames columns;  // read once, shared by every ResultSet of the statement
};

//! The current row of a stepping statement, read in place.
class StatementRow final : public RowView {
 public:
  explicit StatementRow(sqlite3_stmt* stmt)
      : stmt_(stmt), size_(static_cast<std::size_t>(sqlite3_column_count(stmt))) {}
  std::size_t size() const override { return size_; }
  bool IsNull(std::size_t col) const override {
    return sqlite3_column_type(stmt_, Column(col)) == SQLITE_NULL;
  }
  std::int64_t Int(std::size_t col) const override {
    int i = Column(col);
    switch (sqlite3_column_type(stmt_, i)) {
      case SQLITE_INTEGER:
        return sqlite3_column_int64(stmt_, i);
      case SQLITE_TEXT: {
        std::string_view text = Text(col);
        std::int64_t out = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
        if (ec == std::errc() && end == text.data() + text.size()) return out;
        break;
      }
      default:
        break;
    }
    throw std::bad_variant_access();
  }
  std::string_view Text(std::size_t col) const override {
    int i = Column(col);
    if (sqlite3_column_type(stmt_, i) == SQLITE_NULL) throw std::bad_variant_access();
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
    return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))};
  }

 private:
  int Column(std::size_t col) const {
    if (col >= size_) throw std::out_of_range("no column " + std::to_string(col));
    return static_cast<int>(col);
  }
  sqlite3_stmt* stmt_;
  std::size_t size_;
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* handle) : handle_(handle) {}
  ~SqliteConnection() override {
    for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
    sqlite3_close_v2(handle_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  using Connection::Execute;
  using Connection::Query;

  Backend backend() const override { return Backend::kSqlite; }
  sqlite3* handle() const { return handle_; }

  Result<ResultSet> Query(std::string_view sql, std::span<const Value> params) override {
    auto cached = Prepare(sql);
    if (!cached) return Fail(cached.error());
    sqlite3_stmt* stmt = (*cached)->stmt;
    if (auto bound = Bind(**cached, params); !bound) return Fail(bound.error());
    int ncol = sqlite3_column_count(stmt);
    if (!(*cached)->columns) {
      std::vector<std::string> names;
      names.reserve(ncol);
      for (int i = 0; i < ncol; ++i) names.emplace_back(sqlite3_column_name(stmt, i));
      (*cached)->columns = std::make_shared<const std::vector<std::string>>(std::move(names));
    }
    std::vector<std::vector<Value>> rows;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<Value>& row = rows.emplace_back();
      row.reserve(ncol);
      for (int i = 0; i < ncol; ++i) row.push_back(ReadColumn(stmt, i));
    }
    Error error = rc == SQLITE_DONE
                      ? Error{}
                      : SqliteError(handle_, sqlite3_extended_errcode(handle_), "query");
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (rc != SQLITE_DONE) return Fail(std::move(error));
    return ResultSet((*cached)->columns, std::move(rows));
  }

  Result<void> ForEachRow(std::string_view sql, std::span<const Value> params,
                          const std::function<void(const RowView&)>& each) override {
    auto cached = Prepare(sql);
    if (!cached) return Fail(cached.error());
    sqlite3_stmt* stmt = (*cached)->stmt;
    if (auto bound = Bind(**cached, params); !bound) return Fail(bound.error());
    // The statement is reset however the callback leaves (a bug in it may throw).
    struct Reset {
      sqlite3_stmt* stmt;
      ~Reset() {
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
      }
    } reset{stmt};
    StatementRow row(stmt);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) each(row);
    if (rc != SQLITE_DONE)
      return Fail(SqliteError(handle_, sqlite3_extended_errcode(handle_), "query"));
    return {};
  }

  Result<std::int64_t> Execute(std::string_view sql, std::span<const Value> params) override {
    auto cached = Prepare(sql);
    if (!cached) return Fail(cached.error());
    sqlite3_stmt* stmt = (*cached)->stmt;
    if (auto bound = Bind(**cached, params); !bound) return Fail(bound.error());
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    Error error = rc == SQLITE_DONE
                      ? Error{}
                      : SqliteError(handle_, sqlite3_extended_errcode(handle_), "execute");
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (rc != SQLITE_DONE) return Fail(std::move(error));
    return static_cast<std::int64_t>(sqlite3_changes64(handle_));
  }

  Result<void> Control(std::string_view sql) override {
    auto done = Execute(sql);
    if (!done) return Fail(done.error());
    return {};
  }

  Result<void> ExecuteScript(std::string_view sql) override {
    char* message = nullptr;
    std::string text(sql);
    int rc = sqlite3_exec(handle_, text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      std::string detail = message != nullptr ? message : sqlite3_errstr(rc);
      sqlite3_free(message);
      return Fail(Error::Internal("db.error", "数据库脚本执行失败（" + detail + "）"));
    }
    return {};
  }

  Result<std::int64_t> BulkInsert(std::string_view table, std::span<const std::string> columns,
                                  RowSource& rows) override {
    if (!IsIdentifier(table)) {
      return Fail(Error::Invalid("db.identifier_invalid", "表名不合法", std::string(table)));
    }
    std::string sql = "INSERT INTO " + std::string(table) + " (";
    std::string values;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (!IsIdentifier(columns[i])) {
        return Fail(Error::Invalid("db.identifier_invalid", "列名不合法", columns[i]));
      }
      sql += (i ? "," : "") + columns[i];
      values += (i ? ",$" : "$") + std::to_string(i + 1);
    }
    sql += ") VALUES (" + values + ")";
    // Prepared and looked up once; each row is bound and stepped directly.
    auto cached = Prepare(sql);
    if (!cached) return Fail(cached.error());
    sqlite3_stmt* stmt = (*cached)->stmt;
    std::vector<Value> row;
    std::int64_t count = 0;
    while (rows.Next(row)) {
      if (row.size() != columns.size()) {
        return Fail(Error::Invalid("db.bulk_row_width", "批量写入的列数与表头不一致",
                                   "row " + std::to_string(count + 1)));
      }
      if (auto bound = Bind(**cached, row); !bound) return Fail(bound.error());
      int rc = sqlite3_step(stmt);
      Error error = rc == SQLITE_DONE
                        ? Error{}
                        : SqliteError(handle_, sqlite3_extended_errcode(handle_), "bulk insert");
      sqlite3_reset(stmt);
      if (rc != SQLITE_DONE) {
        sqlite3_clear_bindings(stmt);
        return Fail(std::move(error));
      }
      ++count;
    }
    sqlite3_clear_bindings(stmt);
    return count;
  }

  static bool IsIdentifier(std::string_view name) {
    if (name.empty()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
      char c = name[i];
      bool ok = (c >= 'a' && c <= 'z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
      if (!ok) return false;
    }
    return true;
  }

 private:
  Result<CachedStatement*> Prepare(std::string_view sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return &it->second;
    CachedStatement cached;
    int rc = sqlite3_prepare_v3(handle_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &cached.stmt, nullptr);
    if (rc != SQLITE_OK) return Fail(SqliteError(handle_, rc, "prepare"));
    int count = sqlite3_bind_parameter_count(cached.stmt);
    for (int i = 1; i <= count; ++i) {
      const char* name = sqlite3_bind_parameter_name(cached.stmt, i);
      int n = 0;
      bool ok = name != nullptr && name[0] == '$';
      if (ok) {
        std::string_view digits(name + 1);
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
        ok = ec == std::errc() && end == digits.data() + digits.size() && n >= 1;
      }
      if (!ok) {
        sqlite3_finalize(cached.stmt);
        return Fail(Error::Internal("db.placeholder_invalid", "SQL 占位符只能是 $1, $2 …"));
      }
      cached.value_index.push_back(n - 1);
    }
    auto [pos, inserted] = cache_.emplace(std::string(sql), std::move(cached));
    return &pos->second;
  }

  Result<void> Bind(const CachedStatement& cached, std::span<const Value> params) {
    for (std::size_t i = 0; i < cached.value_index.size(); ++i) {
      int slot = static_cast<int>(i + 1);
      auto index = static_cast<std::size_t>(cached.value_index[i]);
      if (index >= params.size()) {
        sqlite3_clear_bindings(cached.stmt);
        return Fail(Error::Internal("db.placeholder_unbound",
                                    "SQL 占位符 $" + std::to_string(index + 1) + " 没有对应的值"));
      }
      const Value& v = params[index];
      int rc = std::visit(
          [&](const auto& x) -> int {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              return sqlite3_bind_null(cached.stmt, slot);
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              return sqlite3_bind_int64(cached.stmt, slot, x);
            } else if constexpr (std::is_same_v<T, double>) {
              return sqlite3_bind_double(cached.stmt, slot, x);
            } else if constexpr (std::is_same_v<T, std::string>) {
              return sqlite3_bind_text64(cached.stmt, slot, x.data(), x.size(), SQLITE_STATIC,
                                         SQLITE_UTF8);
            } else {
              return sqlite3_bind_blob64(cached.stmt, slot, x.bytes.data(), x.bytes.size(),
                                         SQLITE_STATIC);
            }
          },
          v);
      if (rc != SQLITE_OK) return Fail(SqliteError(handle_, rc, "bind"));
    }
    return {};
  }

  static Value ReadColumn(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER:
        return static_cast<std::int64_t>(sqlite3_column_int64(stmt, i));
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, i);
      case SQLITE_TEXT: {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
      }
      case SQLITE_BLOB: {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
        int n = sqlite3_column_bytes(stmt, i);
        return Blob{std::string(p == nullptr ? "" : std::string(p, static_cast<std::size_t>(n)))};
      }
      default:
        return nullptr;
    }
  }

  //! Hashes std::string and std::string_view alike, so that a lookup copies no SQL.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const {
      return std::hash<std::string_view>{}(sql);
    }
  };

  sqlite3* handle_;
  std::unordered_map<std::string, CachedStatement, SqlHash, std::equal_to<>> cache_;
};

Result<std::unique_ptr<SqliteConnection>> OpenConnection(const std::string& path, bool read_only,
                                                         int busy_timeout_ms) {
  // SQLite's memory statistics take a process-wide mutex around every allocation; nothing here
  // reads them, and every request allocates in SQLite. Off before the library initialises.
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  sqlite3* handle = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI |
              (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string detail = handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    sqlite3_close_v2(handle);
    return Fail(Error::Unavailable("db.unavailable",
                                   "无法打开 SQLite 数据库 " + path + "（" + detail + "）"));
  }
  auto conn = std::make_unique<SqliteConnection>(handle);
  sqlite3_busy_timeout(handle, busy_timeout_ms);
  sqlite3_extended_result_codes(handle, 1);
  std::string pragmas = "PRAGMA foreign_keys=ON;";
  if (!read_only) pragmas += "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;";
  // Readers map the file (up to 1 GiB) instead of copying each page they read with pread.
  if (read_only) pragmas += "PRAGMA mmap_size=1073741824;";
  // Servers opening a new database at once race to turn WAL on, and SQLite answers the loser
  // SQLITE_BUSY without calling the busy handler: retry within the busy timeout.
  auto waited_until = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
  for (;;) {
    int done = sqlite3_exec(handle, pragmas.c_str(), nullptr, nullptr, nullptr);
    if (done == SQLITE_OK) break;
    if ((done & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() >= waited_until) {
      return Fail(SqliteError(handle, sqlite3_extended_errcode(handle), "open"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return conn;
}

//! Copies the whole of `from` into `to` with the online backup API.
Result<void> CopyDatabase(sqlite3* from, sqlite3* to, std::string_view what) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (backup == nullptr) return Fail(SqliteError(to, sqlite3_errcode(to), what));
  int rc = sqlite3_backup_step(backup, -1);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return Fail(SqliteError(nullptr, rc, what));
  return {};
}

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, DatabaseOptions options,
                 std::unique_ptr<SqliteConnection> writer)
      : path_(std::move(path)), options_(options), writer_(std::move(writer)) {}

  Backend backend() const override { return Backend::kSqlite; }
  std::string DisplayUrl() const override { return "sqlite:" + path_; }

  Result<void> Ping() override {
    return RunRead([](Connection& c) -> Result<void> {
      auto r = c.Query("SELECT 1");
      if (!r) return Fail(r.error());
      return {};
    });
  }

  Result<void> Backup(const std::string& path) override {
    std::string tmp = path + ".partial";
    std::filesystem::remove(tmp);
    auto dest = OpenConnection(tmp, false, options_.busy_timeout_ms);
    if (!dest) return Fail(dest.error());
    Result<void> copied;
    if (IsMemory()) {
      std::lock_guard lock(writer_mutex_);
      copied = CopyDatabase(writer_->handle(), (*dest)->handle(), "backup");
    } else {
      auto source = OpenConnection(path_, true, options_.busy_timeout_ms);
      if (!source) return Fail(source.error());
      copied = CopyDatabase((*source)->handle(), (*dest)->handle(), "backup");
    }
    if (copied) copied = (*dest)->ExecuteScript("PRAGMA journal_mode=DELETE;");
    dest->reset();
    if (!copied) {
      std::filesystem::remove(tmp);
      return Fail(Error{ErrorKind::kInternal, "db.backup_failed",
                        "备份失败：" + copied.error().message, "", ""});
    }
    std::filesystem::remove(tmp + "-wal");
    std::filesystem::remove(tmp + "-shm");
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
      return Fail(
          Error::Internal("db.backup_failed", "备份文件无法写入 " + path + "：" + ec.message()));
    }
    return {};
  }

  Result<void> Restore(const std::string& path) override {
    if (!std::filesystem::is_regular_file(path)) {
      return Fail(Error::Invalid("db.restore_source_missing", "备份文件不存在：" + path, "file"));
    }
    auto source = OpenConnection(path, true, options_.busy_timeout_ms);
    if (!source) return Fail(source.error());
    auto check = (*source)->Query("PRAGMA quick_check");
    if (!check || check->empty() || check->Text(0, 0) != "ok") {
      return Fail(Error::Invalid("db.restore_source_invalid",
                                 "备份文件不是完好的 SQLite 数据库：" + path, "file"));
    }
    std::lock_guard lock(writer_mutex_);
    auto copied = CopyDatabase((*source)->handle(), writer_->handle(), "restore");
    if (!copied) {
      return Fail(Error{ErrorKind::kInternal, "db.restore_failed",
                        "恢复失败：" + copied.error().message, "", ""});
    }
    return writer_->ExecuteScript("PRAGMA journal_mode=WAL;");
  }

 protected:
  Result<void> RunRead(const Work& work) override {
    if (IsMemory()) return RunInTransaction(*writer_, work, "BEGIN", writer_mutex_);
    std::unique_ptr<SqliteConnection> reader;
    {
      std::unique_lock lock(pool_mutex_);
      if (idle_.empty() && open_readers_ < options_.pool_size) {
        ++open_readers_;
        lock.unlock();
        auto opened = OpenConnection(path_, true, options_.busy_timeout_ms);
        if (!opened) {
          std::lock_guard relock(pool_mutex_);
          --open_readers_;
          return Fail(opened.error());
        }
        reader = std::move(*opened);
      } else {
        bool got = pool_ready_.wait_for(lock, std::chrono::milliseconds(options_.busy_timeout_ms),
                                        [&] { return !idle_.empty(); });
        if (!got) {
          return Fail(Error::Unavailable("db.pool_exhausted", "数据库连接已用尽，请稍后重试"));
        }
        reader = std::move(idle_.back());
        idle_.pop_back();
      }
    }
    auto result = RunTransaction(*reader, work, "BEGIN");
    {
      std::lock_guard lock(pool_mutex_);
      idle_.push_back(std::move(reader));
    }
    pool_ready_.notify_one();
    return result;
  }

  Result<void> RunWrite(const Work& work) override {
    return RunInTransaction(*writer_, work, "BEGIN IMMEDIATE", writer_mutex_);
  }

 private:
  bool IsMemory() const { return path_ == kMemoryPath; }

  static Result<void> RunInTransaction(SqliteConnection& conn, const Work& work,
                                       std::string_view begin, std::mutex& mutex) {
    std::lock_guard lock(mutex);
    return RunTransaction(conn, work, begin);
  }

  std::string path_;
  DatabaseOptions options_;
  std::mutex writer_mutex_;
  std::unique_ptr<SqliteConnection> writer_;
  std::mutex pool_mutex_;
  std::condition_variable pool_ready_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_;
  int open_readers_ = 0;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path,
                                             const DatabaseOptions& options) {
  if (path != kMemoryPath) {
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty() && !std::filesystem::is_directory(parent)) {
      return Fail(Error::Invalid("db.path_invalid",
                                 "SQLite 数据库所在目录不存在：" + parent.string(), "db"));
    }
  }
  auto writer = OpenConnection(path, false, options.busy_timeout_ms);
  if (!writer) return Fail(writer.error());
  return std::unique_ptr<Database>(
      std::make_unique<SqliteDatabase>(path, options, std::move(*writer)));
}

}  // namespace zhibu::db
