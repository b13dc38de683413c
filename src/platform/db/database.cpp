#include "platform/db/database.h"

#include <charconv>
#include <stdexcept>

namespace zhibu::db {

std::string_view BackendName(Backend backend) {
  return backend == Backend::kSqlite ? "sqlite" : "postgres";
}

const std::vector<std::string>& ResultSet::NoColumns() {
  static const std::vector<std::string> none;
  return none;
}

std::size_t ResultSet::ColumnIndex(std::string_view name) const {
  const auto& names = columns();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return i;
  }
  throw std::out_of_range("no column named " + std::string(name));
}

bool ResultSet::IsNull(std::size_t row, std::size_t col) const {
  return std::holds_alternative<std::nullptr_t>(rows_.at(row).at(col));
}

std::int64_t ResultSet::Int(std::size_t row, std::size_t col) const {
  const Value& v = rows_.at(row).at(col);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* s = std::get_if<std::string>(&v)) {
    std::int64_t out = 0;
    auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
    if (ec == std::errc() && end == s->data() + s->size()) return out;
  }
  throw std::bad_variant_access();
}

double ResultSet::Real(std::size_t row, std::size_t col) const {
  const Value& v = rows_.at(row).at(col);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* s = std::get_if<std::string>(&v)) return std::stod(*s);
  throw std::bad_variant_access();
}

std::string ResultSet::Text(std::size_t row, std::size_t col) const {
  const Value& v = rows_.at(row).at(col);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* b = std::get_if<Blob>(&v)) return b->bytes;
  throw std::bad_variant_access();
}

const Blob& ResultSet::Bytes(std::size_t row, std::size_t col) const {
  return std::get<Blob>(rows_.at(row).at(col));
}

std::optional<std::string> ResultSet::OptionalText(std::size_t row, std::size_t col) const {
  if (IsNull(row, col)) return std::nullopt;
  return Text(row, col);
}

std::optional<std::int64_t> ResultSet::OptionalInt(std::size_t row, std::size_t col) const {
  if (IsNull(row, col)) return std::nullopt;
  return Int(row, col);
}

std::string_view ResultSetRow::Text(std::size_t col) const {
  const Value& v = rows_.rows().at(row_).at(col);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (spare_.size() <= col) spare_.resize(col + 1);
  spare_[col] = rows_.Text(row_, col);  // one slot per column: earlier texts stay valid
  return spare_[col];
}

Result<void> Connection::ForEachRow(std::string_view sql, std::span<const Value> params,
                                    const std::function<void(const RowView&)>& each) {
  auto rows = Query(sql, params);
  if (!rows) return Fail(rows.error());
  for (std::size_t i = 0; i < rows->size(); ++i) each(ResultSetRow(*rows, i));
  return {};
}

bool VectorRowSource::Next(std::vector<Value>& row) {
  if (next_ >= rows_.size()) return false;
  row = rows_[next_++];
  return true;
}

Result<void> RunTransaction(Connection& connection,
                            const std::function<Result<void>(Connection&)>& work,
                            std::string_view begin) {
  if (auto ok = connection.Control(begin); !ok) return Fail(ok.error());
  Result<void> result;
  try {
    result = work(connection);
  } catch (...) {
    (void)connection.Control("ROLLBACK");
    throw;
  }
  if (!result) {
    (void)connection.Control("ROLLBACK");
    return result;
  }
  if (auto ok = connection.Control("COMMIT"); !ok) {
    (void)connection.Control("ROLLBACK");
    return Fail(ok.error());
  }
  return {};
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& url,
                                                 const DatabaseOptions& options) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.rfind(kSqlite, 0) == 0) {
    std::string path = url.substr(kSqlite.size());
    if (path.empty()) {
      return Fail(Error::Invalid("db.url_invalid", "数据库地址缺少 SQLite 文件路径", "db"));
    }
    return OpenSqlite(path, options);
  }
  if (url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0) {
    return OpenPostgres(url, options);
  }
  return Fail(Error::Invalid(
      "db.url_invalid", "数据库地址应为 sqlite:路径 或 postgres://…（收到：" + url + "）", "db"));
}

}  // namespace zhibu::db
