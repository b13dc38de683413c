#include "modules/exchange/deployment.h"

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "modules/exchange/templates.h"
#include "platform/crypto/sm3.h"
#include "platform/util/clock.h"

namespace zhibu::exchange {
namespace {

namespace fs = std::filesystem;
constexpr std::int64_t kPage = 20000;

Error Problem(std::string code, std::string message) {
  return Error::Invalid("deployment." + std::move(code), std::move(message));
}

bool IsIdentifier(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

Result<std::vector<std::string>> ListTables(db::Connection& c) {
  auto rows = c.backend() == db::Backend::kSqlite
                  ? c.Query(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                        "'sqlite_%' ORDER BY name")
                  : c.Query(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                        "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name");
  if (!rows) return Fail(rows.error());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    std::string name = rows->Text(i, 0);
    if (name == "schema_migrations" || !IsIdentifier(name)) continue;
    out.push_back(name);
  }
  return out;
}

//! Column names in the table's order, from the catalogue (not from a query's result, which has
//! none for an empty table on every driver).
Result<std::vector<std::string>> ListColumns(db::Connection& c, const std::string& table) {
  auto rows = c.backend() == db::Backend::kSqlite
                  ? c.Query("SELECT name FROM pragma_table_info($1) ORDER BY cid", {table})
                  : c.Query(
                        "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                        "current_schema() AND table_name = $1 ORDER BY ordinal_position",
                        {table});
  if (!rows) return Fail(rows.error());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < rows->size(); ++i) out.push_back(rows->Text(i, 0));
  return out;
}

boost::json::value ToJson(const db::Value& v) {
  return std::visit(
      [](const auto& x) -> boost::json::value {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::nullptr_t>) {
          return nullptr;
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return x;
        } else if constexpr (std::is_same_v<T, double>) {
          return boost::json::object{{"real", x}};
        } else if constexpr (std::is_same_v<T, std::string>) {
          return boost::json::string(x);
        } else {
          std::string encoded;
          static constexpr char kTable[] =
              "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
          const auto& b = x.bytes;
          for (std::size_t i = 0; i < b.size(); i += 3) {
            std::uint32_t n = static_cast<unsigned char>(b[i]) << 16;
            if (i + 1 < b.size()) n |= static_cast<unsigned char>(b[i + 1]) << 8;
            if (i + 2 < b.size()) n |= static_cast<unsigned char>(b[i + 2]);
            encoded += kTable[(n >> 18) & 63];
            encoded += kTable[(n >> 12) & 63];
            encoded += i + 1 < b.size() ? kTable[(n >> 6) & 63] : '=';
            encoded += i + 2 < b.size() ? kTable[n & 63] : '=';
          }
          return boost::json::object{{"base64", encoded}};
        }
      },
      v);
}

Result<db::Value> FromJson(const boost::json::value& v) {
  if (v.is_null()) return db::Value(nullptr);
  if (v.is_int64()) return db::Value(v.get_int64());
  if (v.is_uint64()) return db::Value(static_cast<std::int64_t>(v.get_uint64()));
  if (v.is_string()) return db::Value(std::string(v.get_string()));
  if (v.is_object()) {
    const auto& o = v.get_object();
    if (const auto* r = o.if_contains("real"); r && r->is_number()) {
      return db::Value(r->to_number<double>());
    }
    if (const auto* b = o.if_contains("base64"); b && b->is_string()) {
      std::string_view text = b->get_string();
      auto decode = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
      };
      std::string bytes;
      std::uint32_t acc = 0;
      int bits = 0;
      for (char c : text) {
        if (c == '=') break;
        int d = decode(c);
        if (d < 0) return Fail(Problem("malformed", "导出文件中的二进制值损坏"));
        acc = (acc << 6) | static_cast<std::uint32_t>(d);
        bits += 6;
        if (bits >= 8) {
          bits -= 8;
          bytes.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
      }
      return db::Value(db::Blob{std::move(bytes)});
    }
  }
  return Fail(Problem("malformed", "导出文件中有无法识别的值"));
}

//! Reads a table page by page (keyset on `id` or `seq` when it has one), calling `row` for each.
template <class OnRow>
Result<std::int64_t> ScanTable(db::Connection& c, const std::string& table,
                               const std::vector<std::string>& columns, OnRow on_row) {
  std::string key;
  for (const char* candidate : {"id", "seq"}) {
    if (std::find(columns.begin(), columns.end(), candidate) != columns.end()) {
      key = candidate;
      break;
    }
  }
  std::string list;
  for (const auto& column : columns) list += (list.empty() ? "" : ", ") + column;
  std::int64_t count = 0;
  if (key.empty()) {
    auto rows = c.Query("SELECT " + list + " FROM " + table);
    if (!rows) return Fail(rows.error());
    for (const auto& r : rows->rows()) {
      on_row(r);
      ++count;
    }
    return count;
  }
  std::optional<std::int64_t> after;
  while (true) {
    auto rows =
        after ? c.Query("SELECT " + list + " FROM " + table + " WHERE " + key + " > $1 ORDER BY " +
                            key + " LIMIT $2",
                        {*after, kPage})
              : c.Query("SELECT " + list + " FROM " + table + " ORDER BY " + key + " LIMIT $1",
                        {kPage});
    if (!rows) return Fail(rows.error());
    std::size_t key_index = rows->ColumnIndex(key);
    for (std::size_t i = 0; i < rows->size(); ++i) {
      on_row(rows->rows()[i]);
      after = rows->Int(i, key_index);
      ++count;
    }
    if (static_cast<std::int64_t>(rows->size()) < kPage) return count;
  }
}

std::string Line(const std::vector<db::Value>& row) {
  boost::json::array a;
  a.reserve(row.size());
  for (const auto& v : row) a.push_back(ToJson(v));
  return boost::json::serialize(a);
}

//! SM3 over the sorted lines, each ending in a newline.
TableDigest DigestOf(std::vector<std::string>& lines) {
  std::sort(lines.begin(), lines.end());
  std::string all;
  for (const auto& l : lines) {
    all += l;
    all += '\n';
  }
  return {static_cast<std::int64_t>(lines.size()), crypto::Sm3Hex(all)};
}

Result<std::vector<std::pair<std::string, std::string>>> Migrations(db::Connection& c) {
  auto rows = c.Query("SELECT module, version FROM schema_migrations ORDER BY module, version");
  if (!rows) return Fail(rows.error());
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 0; i < rows->size(); ++i)
    out.emplace_back(rows->Text(i, 0), rows->Text(i, 1));
  return out;
}

//! Tables ordered so that each comes after those its foreign keys refer to.
Result<std::vector<std::string>> DependencyOrder(db::Connection& c,
                                                 const std::vector<std::string>& tables) {
  std::map<std::string, std::set<std::string>> refers;
  for (const auto& t : tables) {
    auto rows =
        c.backend() == db::Backend::kSqlite
            ? c.Query("SELECT \"table\" FROM pragma_foreign_key_list($1)", {t})
            : c.Query(
                  "SELECT DISTINCT ccu.table_name FROM information_schema.table_constraints "
                  "tc JOIN information_schema.constraint_column_usage ccu ON "
                  "ccu.constraint_name = tc.constraint_name AND ccu.constraint_schema = "
                  "tc.constraint_schema WHERE tc.constraint_type = 'FOREIGN KEY' AND "
                  "tc.table_schema = current_schema() AND tc.table_name = $1",
                  {t});
    if (!rows) return Fail(rows.error());
    for (std::size_t i = 0; i < rows->size(); ++i) {
      std::string target = rows->Text(i, 0);
      if (target != t) refers[t].insert(target);
    }
  }
  std::vector<std::string> order;
  std::set<std::string> placed;
  while (order.size() < tables.size()) {
    bool progressed = false;
    for (const auto& t : tables) {
      if (placed.contains(t)) continue;
      bool ready = std::all_of(refers[t].begin(), refers[t].end(), [&](const std::string& r) {
        return placed.contains(r) || std::find(tables.begin(), tables.end(), r) == tables.end();
      });
      if (!ready) continue;
      order.push_back(t);
      placed.insert(t);
      progressed = true;
    }
    if (!progressed) return Fail(Problem("cycle", "表之间的外键形成循环，无法确定导入顺序"));
  }
  return order;
}

class JsonlRows final : public db::RowSource {
 public:
  JsonlRows(std::istream& in, std::size_t width) : in_(in), width_(width) {}
  bool Next(std::vector<db::Value>& row) override {
    std::string line;
    while (std::getline(in_, line)) {
      if (line.empty()) continue;
      ++line_;
      boost::system::error_code ec;
      auto value = boost::json::parse(line, ec);
      if (ec || !value.is_array() || value.get_array().size() != width_) {
        failure = Problem("malformed", "第 " + std::to_string(line_) + " 行不是一行数据");
        return false;
      }
      row.clear();
      for (const auto& v : value.get_array()) {
        auto converted = FromJson(v);
        if (!converted) {
          failure = converted.error();
          return false;
        }
        row.push_back(std::move(*converted));
      }
      return true;
    }
    return false;
  }
  std::optional<Error> failure;

 private:
  std::istream& in_;
  std::size_t width_;
  std::int64_t line_ = 0;
};

}  // namespace

Result<Digests> DigestTables(db::Database& db) {
  return db.Read([&](db::Connection& c) -> Result<Digests> {
    auto tables = ListTables(c);
    if (!tables) return Fail(tables.error());
    Digests out;
    for (const auto& t : *tables) {
      auto columns = ListColumns(c, t);
      if (!columns) return Fail(columns.error());
      std::vector<std::string> sorted_columns = *columns;
      std::sort(sorted_columns.begin(), sorted_columns.end());
      std::vector<std::string> lines;
      auto scanned = ScanTable(c, t, sorted_columns, [&](const std::vector<db::Value>& row) {
        lines.push_back(Line(row));
      });
      if (!scanned) return Fail(scanned.error());
      out[t] = DigestOf(lines);
    }
    return out;
  });
}

Result<Digests> ExportDeployment(db::Database& db, const std::string& key_file,
                                 const std::string& dir, const TableProgress& progress) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    return Fail(Problem("dir_not_empty", "导出目录已存在且不为空：" + dir));
  }
  fs::create_directories(fs::path(dir) / "tables", ec);
  if (ec) return Fail(Problem("dir_failed", "无法创建目录 " + dir + "：" + ec.message()));
  auto keys = ReadWholeFile(key_file);
  if (!keys) return Fail(Problem("key_missing", "找不到字段加密密钥文件 " + key_file));
  {
    std::ofstream out(fs::path(dir) / "zhibu.key", std::ios::binary);
    out << *keys;
  }
  fs::permissions(fs::path(dir) / "zhibu.key", fs::perms::owner_read | fs::perms::owner_write,
                  fs::perm_options::replace, ec);
  return db.Read([&](db::Connection& c) -> Result<Digests> {
    auto tables = ListTables(c);
    if (!tables) return Fail(tables.error());
    auto migrations = Migrations(c);
    if (!migrations) return Fail(migrations.error());
    boost::json::array manifest_tables;
    Digests digests;
    for (const auto& t : *tables) {
      auto columns = ListColumns(c, t);
      if (!columns) return Fail(columns.error());
      std::ofstream out(fs::path(dir) / "tables" / (t + ".jsonl"), std::ios::binary);
      std::vector<std::string> sorted_columns = *columns;
      std::sort(sorted_columns.begin(), sorted_columns.end());
      std::vector<std::string> lines;
      auto scanned = ScanTable(c, t, sorted_columns, [&](const std::vector<db::Value>& row) {
        std::string line = Line(row);
        out << line << '\n';
        lines.push_back(std::move(line));
        if (progress && lines.size() % 20000 == 0)
          progress(t, static_cast<std::int64_t>(lines.size()));
      });
      if (!scanned) return Fail(scanned.error());
      out.close();
      if (!out) return Fail(Problem("write_failed", "写入 " + t + ".jsonl 失败"));
      TableDigest digest = DigestOf(lines);
      if (progress) progress(t, digest.rows);
      boost::json::array names;
      for (const auto& col : sorted_columns) names.emplace_back(col);
      manifest_tables.push_back(
          {{"name", t}, {"columns", names}, {"rows", digest.rows}, {"sm3", digest.sm3}});
      digests[t] = digest;
    }
    boost::json::array applied;
    for (const auto& [module, version] : *migrations) applied.push_back({module, version});
    boost::json::object manifest{{"format", "zhibu-deployment"},
                                 {"version", 1},
                                 {"source", std::string(db::BackendName(c.backend()))},
                                 {"exported_at", NowShanghaiIso()},
                                 {"migrations", applied},
                                 {"tables", manifest_tables}};
    std::ofstream out(fs::path(dir) / "manifest.json", std::ios::binary);
    out << boost::json::serialize(manifest) << '\n';
    if (!out) return Fail(Problem("write_failed", "写入 manifest.json 失败"));
    return digests;
  });
}

Result<void> InstallDeploymentKeys(const std::string& dir, const std::string& key_file) {
  auto keys = ReadWholeFile((fs::path(dir) / "zhibu.key").string());
  if (!keys) return Fail(Problem("key_missing", "导出目录中没有密钥文件 zhibu.key"));
  std::error_code ec;
  if (fs::exists(key_file, ec)) {
    auto existing = ReadWholeFile(key_file);
    if (existing && *existing == *keys) return {};
    return Fail(Error::Conflict(
        "deployment.key_conflict",
        "目标的密钥文件 " + key_file + " 已存在且与导出的不同：请换一个 --key-file 或移走它"));
  }
  {
    std::ofstream out(key_file, std::ios::binary);
    out << *keys;
    if (!out) return Fail(Problem("key_write_failed", "无法写入密钥文件 " + key_file));
  }
  fs::permissions(key_file, fs::perms::owner_read | fs::perms::owner_write,
                  fs::perm_options::replace, ec);
  return {};
}

Result<Digests> ImportDeployment(db::Database& db, const std::string& dir,
                                 const TableProgress& progress) {
  auto text = ReadWholeFile((fs::path(dir) / "manifest.json").string());
  if (!text) return Fail(Problem("manifest_missing", "导出目录中没有 manifest.json：" + dir));
  boost::system::error_code ec;
  auto manifest = boost::json::parse(*text, ec);
  if (ec || !manifest.is_object() || manifest.as_object().if_contains("format") == nullptr ||
      manifest.at("format") != "zhibu-deployment") {
    return Fail(Problem("manifest_invalid", "manifest.json 不是支部系统的整库导出"));
  }
  Digests expected;
  auto loaded = db.Write([&](db::Connection& c) -> Result<std::int64_t> {
    auto migrations = Migrations(c);
    if (!migrations) return Fail(migrations.error());
    boost::json::array applied;
    for (const auto& [module, version] : *migrations) applied.push_back({module, version});
    if (applied != manifest.at("migrations").as_array()) {
      return Fail(Problem("schema_mismatch",
                          "导出与目标数据库的迁移版本不一致：请用同一版本的 zhibu 导出和导入"));
    }
    auto head = c.Query("SELECT COUNT(*) FROM audit_event");
    if (!head) return Fail(head.error());
    if (head->Int(0, 0) > 0) {
      return Fail(Error::Conflict("deployment.target_not_empty",
                                  "目标数据库已有数据（审计记录不为空），只能导入到新库"));
    }
    auto tables = ListTables(c);
    if (!tables) return Fail(tables.error());
    std::map<std::string, std::vector<std::string>> columns_of;
    for (const auto& t : manifest.at("tables").as_array()) {
      std::string name(t.at("name").as_string());
      if (std::find(tables->begin(), tables->end(), name) == tables->end()) {
        return Fail(Problem("table_unknown", "目标数据库没有表 " + name));
      }
      std::vector<std::string> columns;
      for (const auto& col : t.at("columns").as_array()) columns.emplace_back(col.as_string());
      columns_of[name] = columns;
      expected[name] = {t.at("rows").to_number<std::int64_t>(),
                        std::string(t.at("sm3").as_string())};
    }
    for (const auto& t : *tables) {
      if (!columns_of.contains(t)) {
        return Fail(Problem("table_missing", "导出中缺少表 " + t));
      }
    }
    if (c.backend() == db::Backend::kSqlite) {
      auto deferred = c.Execute("PRAGMA defer_foreign_keys = ON");
      if (!deferred) return Fail(deferred.error());
    }
    auto order = DependencyOrder(c, *tables);
    if (!order) return Fail(order.error());
    // Rows the target's migrations seeded (the audit head) make way for the source's.
    for (auto it = order->rbegin(); it != order->rend(); ++it) {
      auto cleared = c.Execute("DELETE FROM " + *it);
      if (!cleared) return Fail(cleared.error());
    }
    std::int64_t total = 0;
    for (const auto& t : *order) {
      std::ifstream in(fs::path(dir) / "tables" / (t + ".jsonl"), std::ios::binary);
      if (!in) return Fail(Problem("table_file_missing", "导出中缺少 tables/" + t + ".jsonl"));
      JsonlRows rows(in, columns_of[t].size());
      auto count = c.BulkInsert(t, columns_of[t], rows);
      if (rows.failure) return Fail(*rows.failure);
      if (!count) return Fail(count.error());
      total += *count;
      if (progress) progress(t, *count);
    }
    if (c.backend() == db::Backend::kPostgres) {
      auto serials = c.Query(
          "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = "
          "current_schema() AND column_default LIKE 'nextval(%'");
      if (!serials) return Fail(serials.error());
      for (std::size_t i = 0; i < serials->size(); ++i) {
        std::string t = serials->Text(i, 0), col = serials->Text(i, 1);
        if (!IsIdentifier(t) || !IsIdentifier(col)) continue;
        auto moved = c.Query("SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(" + col +
                                 "), 0) + 1, false) FROM " + t,
                             {t, col});
        if (!moved) return Fail(moved.error());
      }
    }
    return total;
  });
  if (!loaded) return Fail(loaded.error());
  auto digests = DigestTables(db);
  if (!digests) return Fail(digests.error());
  for (const auto& [t, digest] : expected) {
    auto it = digests->find(t);
    if (it == digests->end() || !(it->second == digest)) {
      return Fail(Error::Internal("deployment.mismatch",
                                  "导入后表 " + t + " 的行数或内容摘要与导出不一致"));
    }
  }
  return digests;
}

}  // namespace zhibu::exchange
