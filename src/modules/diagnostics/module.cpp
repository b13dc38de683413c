//! Diagnostics (诊断): an optional module, enabled with `zhibu serve --enable-module diagnostics`,
//! for operators and for the test suite. It exercises the real server and the real database:
//! a slow request (graceful-shutdown checks), a transactional batch write (crash-consistency
//! checks, write benchmarks) and a consistency report over every batch written.

#include <thread>

#include "modules/diagnostics/write_probe.h"
#include "platform/module/manifest.h"

namespace zhibu::modules {
namespace {

constexpr std::int64_t kMaxSleepMs = 60'000;

http::Response Sleep(http::Request& request) {
  auto text = request.QueryParam("ms");
  std::int64_t ms = -1;
  if (text) {
    try {
      std::size_t used = 0;
      ms = std::stoll(*text, &used);
      if (used != text->size()) ms = -1;
    } catch (const std::exception&) {
      ms = -1;
    }
  }
  if (ms < 0 || ms > kMaxSleepMs) {
    return http::Response::FromError(
        Error::Invalid("diagnostics.sleep_ms_invalid", "ms 应为 0–60000 的整数（毫秒）", "ms"),
        request.request_id);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  return http::Response::Json(200, boost::json::object{{"slept_ms", ms}});
}

void RegisterRoutes(ModuleContext& context) {
  db::Database& db = context.db;
  context.router.Add(http::Method::kGet, "/api/v1/diagnostics/sleep", Sleep,
                     "诊断：延时应答（测试优雅停机）");
  context.router.Add(
      http::Method::kPost, "/api/v1/diagnostics/writes",
      [&db](http::Request& request) {
        auto body = request.JsonBody();
        if (!body) return http::Response::FromError(body.error(), request.request_id);
        auto parsed = diagnostics::ParseWriteRequest(*body);
        if (!parsed) return http::Response::FromError(parsed.error(), request.request_id);
        auto written = diagnostics::WriteBatch(db, *parsed);
        if (!written) return http::Response::FromError(written.error(), request.request_id);
        return http::Response::Json(
            201, boost::json::object{{"batch", parsed->batch}, {"rows", parsed->rows}});
      },
      "诊断：在一个事务中写入一批数据");
  context.router.Add(
      http::Method::kGet, "/api/v1/diagnostics/writes",
      [&db](http::Request& request) {
        auto report = diagnostics::CheckBatches(db);
        if (!report) return http::Response::FromError(report.error(), request.request_id);
        return http::Response::Json(200, boost::json::object{{"batches", report->batches},
                                                             {"rows", report->rows},
                                                             {"incomplete", report->incomplete}});
      },
      "诊断：核对已写入批次是否完整");
}

}  // namespace

const ModuleManifest& diagnostics_module() {
  static const ModuleManifest manifest{
      .name = "diagnostics",
      .title = "诊断",
      .optional = true,
      .depends_on = {},
      .migrations =
          [] { return db::MigrationsFromFiles("diagnostics", embedded::diagnostics_migrations()); },
      .register_routes = RegisterRoutes,
      .permissions = {},
      .role_permissions = {},
      .encrypted_columns = {},
      .settings = {},
      .rules = {},
      .periodic_tasks = {},
      .register_commands = nullptr,
      .load_demo = nullptr,
  };
  return manifest;
}

}  // namespace zhibu::modules
