#include "modules/diagnostics/write_probe.h"

#include "platform/util/clock.h"

namespace zhibu::diagnostics {
namespace {

constexpr std::string_view kInsertBatch =
    "INSERT INTO diagnostic_batch (batch, declared_rows, created_at) VALUES ($1, $2, $3)";
constexpr std::string_view kInsertRow =
    "INSERT INTO diagnostic_row (batch, seq, payload) VALUES ($1, $2, $3)";
constexpr std::string_view kReport =
    "SELECT (SELECT COUNT(*) FROM diagnostic_batch),"
    " (SELECT COUNT(*) FROM diagnostic_row),"
    " (SELECT COUNT(*) FROM diagnostic_batch b WHERE b.declared_rows <>"
    "   (SELECT COUNT(*) FROM diagnostic_row r WHERE r.batch = b.batch))";
constexpr std::int64_t kMaxRows = 10'000;

}  // namespace

Result<WriteRequest> ParseWriteRequest(const boost::json::value& body) {
  const auto* object = body.if_object();
  if (object == nullptr)
    return Fail(Error::Invalid("request.body_not_object", "请求体应为 JSON 对象", "body"));
  WriteRequest out;
  const auto* batch = object->if_contains("batch");
  if (batch == nullptr || !batch->is_string() || batch->get_string().empty() ||
      batch->get_string().size() > 64) {
    return Fail(
        Error::Invalid("diagnostics.batch_invalid", "batch 应为 1–64 个字符的名称", "batch"));
  }
  for (char c : batch->get_string()) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    if (!ok) {
      return Fail(
          Error::Invalid("diagnostics.batch_invalid", "batch 只能含字母、数字和 . _ -", "batch"));
    }
  }
  out.batch = std::string(batch->get_string());
  const auto* rows = object->if_contains("rows");
  if (rows == nullptr || !rows->is_int64() || rows->get_int64() < 1 ||
      rows->get_int64() > kMaxRows) {
    return Fail(Error::Invalid("diagnostics.rows_invalid", "rows 应为 1–10000 的整数", "rows"));
  }
  out.rows = rows->get_int64();
  return out;
}

Result<void> WriteBatch(db::Database& db, const WriteRequest& request) {
  return db.Write([&](db::Connection& c) -> Result<void> {
    auto header = c.Execute(kInsertBatch, {request.batch, request.rows, NowShanghaiIso()});
    if (!header) {
      if (header.error().code == "db.unique_violation") {
        return Fail(Error::Conflict("diagnostics.batch_exists", "该批次名已使用：" + request.batch,
                                    "batch"));
      }
      return Fail(header.error());
    }
    for (std::int64_t seq = 1; seq <= request.rows; ++seq) {
      auto row = c.Execute(kInsertRow, {request.batch, seq, "行 " + std::to_string(seq)});
      if (!row) return Fail(row.error());
    }
    return {};
  });
}

Result<BatchReport> CheckBatches(db::Database& db) {
  return db.Read([](db::Connection& c) -> Result<BatchReport> {
    auto rows = c.Query(kReport);
    if (!rows) return Fail(rows.error());
    return BatchReport{rows->Int(0, 0), rows->Int(0, 1), rows->Int(0, 2)};
  });
}

}  // namespace zhibu::diagnostics
