#pragma once
//! One thin database interface with two real backends: SQLite (embedded default) and PostgreSQL.
//!
//! SQL is written once with `$1, $2, …` placeholders, which both backends accept. Values travel as
//! `Value` (null, 64-bit integer, double, text, blob); money is always an integer number of fen.
//! Work happens inside `Database::Read` (a consistent read on a pooled connection) or
//! `Database::Write` (one transaction: committed when the callback succeeds, rolled back when it
//! returns an error or throws). On SQLite there is exactly one writer connection and a pool of
//! readers (WAL); on PostgreSQL every pooled connection may write.

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "platform/error/error.h"

namespace zhibu::db {

//! Binary data (ciphertext, hashes), kept apart from text so each backend binds it as bytes.
struct Blob {
  std::string bytes;
  bool operator==(const Blob&) const = default;
};

//! A value bound to a placeholder or read from a column.
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string, Blob>;

//! Which engine a database runs on.
enum class Backend { kSqlite, kPostgres };

//! "sqlite" or "postgres", as shown by /healthz.
std::string_view BackendName(Backend backend);

//! The rows of a query, fully read. Column values keep the engine's natural type: integers as
//! int64, text as string, NULL as nullptr, bytea/blob as Blob.
class ResultSet {
 public:
  //! The names of a statement's columns, shared by every result of that statement.
  using ColumnNames = std::shared_ptr<const std::vector<std::string>>;

  ResultSet() = default;
  ResultSet(std::vector<std::string> columns, std::vector<std::vector<Value>> rows)
      : columns_(std::make_shared<const std::vector<std::string>>(std::move(columns))),
        rows_(std::move(rows)) {}
  ResultSet(ColumnNames columns, std::vector<std::vector<Value>> rows)
      : columns_(std::move(columns)), rows_(std::move(rows)) {}

  const std::vector<std::string>& columns() const { return columns_ ? *columns_ : NoColumns(); }
  const std::vector<std::vector<Value>>& rows() const { return rows_; }
  std::size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }

  //! The index of a named column; throws std::out_of_range for a name the query did not select
  //! (a bug in the caller, not an expected failure).
  std::size_t ColumnIndex(std::string_view name) const;

  bool IsNull(std::size_t row, std::size_t col) const;
  //! Integer value; text holding an integer is converted (PostgreSQL numeric results arrive as
  //! text in some drivers). Throws std::bad_variant_access for NULL or a non-integer.
  std::int64_t Int(std::size_t row, std::size_t col) const;
  double Real(std::size_t row, std::size_t col) const;
  //! Text value; an integer is rendered in decimal. Throws for NULL.
  std::string Text(std::size_t row, std::size_t col) const;
  const Blob& Bytes(std::size_t row, std::size_t col) const;
  std::optional<std::string> OptionalText(std::size_t row, std::size_t col) const;
  std::optional<std::int64_t> OptionalInt(std::size_t row, std::size_t col) const;

 private:
  static const std::vector<std::string>& NoColumns();
  ColumnNames columns_;
  std::vector<std::vector<Value>> rows_;
};

//! One row of a query read by `Connection::ForEachRow`, in the engine's own memory: a text is
//! valid only until the callback returns. Asking for a column the query does not have, or for
//! the text of a NULL, is a bug and throws.
class RowView {
 public:
  virtual ~RowView() = default;
  virtual std::size_t size() const = 0;
  virtual bool IsNull(std::size_t col) const = 0;
  //! Integer value (text holding an integer is converted); throws for NULL or non-integer text.
  virtual std::int64_t Int(std::size_t col) const = 0;
  //! Text value in place; an integer column is rendered in decimal. Throws for NULL.
  virtual std::string_view Text(std::size_t col) const = 0;
};

//! Row `row` of a `ResultSet` seen as a `RowView`.
class ResultSetRow final : public RowView {
 public:
  ResultSetRow(const ResultSet& rows, std::size_t row) : rows_(rows), row_(row) {}
  std::size_t size() const override { return rows_.rows().at(row_).size(); }
  bool IsNull(std::size_t col) const override { return rows_.IsNull(row_, col); }
  std::int64_t Int(std::size_t col) const override { return rows_.Int(row_, col); }
  std::string_view Text(std::size_t col) const override;

 private:
  const ResultSet& rows_;
  std::size_t row_;
  mutable std::vector<std::string> spare_;  // integers rendered as text, one slot per column
};

//! Feeds rows to `Connection::BulkInsert`. `Next` fills `row` (one Value per column) and returns
//! true, or returns false when there are no more rows.
class RowSource {
 public:
  virtual ~RowSource() = default;
  virtual bool Next(std::vector<Value>& row) = 0;
};

//! A `RowSource` over rows already in memory.
class VectorRowSource final : public RowSource {
 public:
  explicit VectorRowSource(const std::vector<std::vector<Value>>& rows) : rows_(rows) {}
  bool Next(std::vector<Value>& row) override;

 private:
  const std::vector<std::vector<Value>>& rows_;
  std::size_t next_ = 0;
};

//! One connection, used by one thread at a time, always inside a transaction opened by
//! `Database::Read` or `Database::Write`.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Backend backend() const = 0;

  //! Runs a statement that returns rows. Statements are prepared once per connection and cached.
  virtual Result<ResultSet> Query(std::string_view sql, std::span<const Value> params) = 0;
  Result<ResultSet> Query(std::string_view sql, std::initializer_list<Value> params = {}) {
    return Query(sql, std::span<const Value>(params.begin(), params.size()));
  }

  //! Runs a statement that returns rows and hands each to `each` as it is read, without copying
  //! its values: for pages answered straight from the rows. The default reads a `ResultSet`
  //! first; SQLite overrides it to read the statement's columns in place.
  virtual Result<void> ForEachRow(std::string_view sql, std::span<const Value> params,
                                  const std::function<void(const RowView&)>& each);

  //! Runs a statement that returns no rows; answers the number of rows it changed.
  virtual Result<std::int64_t> Execute(std::string_view sql, std::span<const Value> params) = 0;
  Result<std::int64_t> Execute(std::string_view sql, std::initializer_list<Value> params = {}) {
    return Execute(sql, std::span<const Value>(params.begin(), params.size()));
  }

  //! Runs several `;`-separated statements without parameters (migrations).
  virtual Result<void> ExecuteScript(std::string_view sql) = 0;

  //! Runs a transaction-control statement (`BEGIN …`, `COMMIT`, `ROLLBACK`) the way this backend
  //! runs them fastest.
  virtual Result<void> Control(std::string_view sql) = 0;

  //! Loads many rows into `table` fast: one prepared statement on SQLite, COPY on PostgreSQL.
  //! Runs inside the caller's transaction, so a failure rolls back every row. Answers the count.
  virtual Result<std::int64_t> BulkInsert(std::string_view table,
                                          std::span<const std::string> columns,
                                          RowSource& rows) = 0;
};

//! Pool and concurrency settings.
struct DatabaseOptions {
  //! Readers on SQLite / connections on PostgreSQL.
  int pool_size = 8;
  //! How long a writer waits for a lock (SQLite busy timeout) or a pooled connection, in ms.
  int busy_timeout_ms = 5000;
};

//! A database: a pool of connections to one SQLite file or one PostgreSQL database.
class Database {
 public:
  virtual ~Database() = default;

  //! Opens `url`: `sqlite:PATH` (the file is created if missing), `sqlite::memory:` for tests, or
  //! `postgres://…` / `postgresql://…` (a libpq URI). Fails with `db.url_invalid` or
  //! `db.unavailable`.
  static Result<std::unique_ptr<Database>> Open(const std::string& url,
                                                const DatabaseOptions& options = {});

  virtual Backend backend() const = 0;
  //! The URL it was opened with, with any password removed (for logs).
  virtual std::string DisplayUrl() const = 0;

  //! Runs `fn(Connection&)` inside a read-only transaction on a pooled connection. `fn` returns a
  //! `Result<T>`; its error is passed through.
  template <class F>
  auto Read(F&& fn) -> std::invoke_result_t<F, Connection&> {
    using R = std::invoke_result_t<F, Connection&>;
    std::optional<R> out;
    auto status = RunRead([&](Connection& c) -> Result<void> {
      out.emplace(fn(c));
      if (!out->has_value()) return Fail(out->error());
      return {};
    });
    if (out) return std::move(*out);
    return Fail(status.error());
  }

  //! Runs `fn(Connection&)` inside one write transaction: committed when `fn` answers a value,
  //! rolled back when it answers an error or throws. On SQLite writers are serialised.
  template <class F>
  auto Write(F&& fn) -> std::invoke_result_t<F, Connection&> {
    using R = std::invoke_result_t<F, Connection&>;
    std::optional<R> out;
    auto status = RunWrite([&](Connection& c) -> Result<void> {
      out.emplace(fn(c));
      if (!out->has_value()) return Fail(out->error());
      return {};
    });
    if (!status) return Fail(status.error());
    return std::move(*out);
  }

  //! Checks that the database answers (`SELECT 1`).
  virtual Result<void> Ping() = 0;

  //! Writes a consistent copy of the whole database to `path` while it is in use (SQLite online
  //! backup API; `pg_dump --format=custom` on PostgreSQL).
  virtual Result<void> Backup(const std::string& path) = 0;

  //! Replaces the whole database with the copy at `path` written by `Backup`. No other process may
  //! use the database meanwhile.
  virtual Result<void> Restore(const std::string& path) = 0;

 protected:
  using Work = std::function<Result<void>(Connection&)>;
  virtual Result<void> RunRead(const Work& work) = 0;
  virtual Result<void> RunWrite(const Work& work) = 0;
};

//! Runs `work` between `begin` and COMMIT on `connection`; rolls back when `work` answers an
//! error or throws (and rethrows). The one transaction wrapper both backends use.
Result<void> RunTransaction(Connection& connection,
                            const std::function<Result<void>(Connection&)>& work,
                            std::string_view begin);

//! Opens a SQLite database (`path` or ":memory:").
Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path,
                                             const DatabaseOptions& options);
//! Opens a PostgreSQL database from a libpq connection URI.
Result<std::unique_ptr<Database>> OpenPostgres(const std::string& uri,
                                               const DatabaseOptions& options);

}  // namespace zhibu::db
