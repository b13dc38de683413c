//! 导入导出 (import and export, spec 03 §Import and export): member rosters and organisation trees
//! in CSV, JSONL and Excel, all or nothing, as background jobs with a progress report; members'
//! dues bases (spec 05) from the same files, all or nothing, answered with the row report; scoped
//! and audited exports; and `zhibu export all` / `zhibu import all`, a lossless move of a whole
//! deployment between SQLite and PostgreSQL. The HTTP contract is docs/api-org-member.md, the
//! file layout docs/import.md.

#include <sstream>

#include "modules/dues/dues_store.h"
#include "modules/exchange/commands.h"
#include "modules/exchange/dues_base_import.h"
#include "modules/exchange/import_jobs.h"
#include "modules/exchange/member_export.h"
#include "modules/exchange/member_import.h"
#include "modules/exchange/org_exchange.h"
#include "modules/exchange/templates.h"
#include "modules/org/scoped_route.h"
#include "platform/auth/auth_routes.h"
#include "platform/json/json.h"
#include "platform/module/manifest.h"
#include "platform/util/clock.h"
#include "platform/util/embedded.h"

namespace zhibu::embedded {
const std::vector<EmbeddedFile>& exchange_migrations();
}  // namespace zhibu::embedded

namespace zhibu::modules {
namespace {

using http::Method;
using http::Request;
using http::Response;

//! The largest file an import takes over HTTP (a city's roster as CSV is about 60 MB).
constexpr std::size_t kMaxImportBytes = 128u << 20;

//! `kind` of an import: members (default) or orgs.
Result<std::string> KindParam(const Request& r) {
  std::string kind = r.QueryParam("kind").value_or("members");
  if (kind != "members" && kind != "orgs") {
    return Fail(Error::Invalid("import.kind_invalid", "导入类型应为 members 或 orgs", "kind"));
  }
  return kind;
}

void RegisterRoutes(ModuleContext& context) {
  auto& identity = context.identity;
  auto& db = context.db;
  const crypto::FieldCipher& cipher = context.cipher;
  auto& router = context.router;
  // Owned by the routes: destroyed (cancelling and joining running jobs) with the router, which
  // the application drops before its database.
  auto jobs = std::make_shared<exchange::ImportJobs>(db);

  router.Add(
      Method::kGet, "/api/v1/imports/template",
      [&identity](Request& r) {
        auto caller = auth::RequireSignedIn(identity, r, "member.write");
        if (!caller) return http::ErrorResponse(caller.error(), r);
        auto kind = KindParam(r);
        if (!kind) return http::ErrorResponse(kind.error(), r);
        auto format = exchange::ParseFileFormat(r.QueryParam("format").value_or("xlsx"));
        if (!format) return http::ErrorResponse(format.error(), r);
        auto bytes = exchange::TemplateBytes(*kind, *format);
        if (!bytes) return http::ErrorResponse(bytes.error(), r);
        std::string name = std::string(*kind == "orgs" ? "党组织导入模板." : "党员导入模板.") +
                           std::string(exchange::FormatName(*format));
        return Response::Download(std::move(*bytes), std::string(exchange::ContentTypeOf(*format)),
                                  name);
      },
      "导入模板（中文表头，CSV 或 Excel）");

  router.Add(
      Method::kPost, "/api/v1/imports",
      [&identity, &db, &cipher, jobs](Request& r) {
        auto kind = KindParam(r);
        if (!kind) return http::ErrorResponse(kind.error(), r);
        std::string permission = *kind == "orgs" ? "org.write" : "member.write";
        auto caller = auth::Require(identity, db, r, permission);
        if (!caller) return http::ErrorResponse(caller.error(), r);
        auto format = exchange::ParseFileFormat(r.QueryParam("format").value_or(""));
        if (!format) return http::ErrorResponse(format.error(), r);
        if (r.body.empty()) {
          return http::ErrorResponse(
              Error::Invalid("import.empty", "请上传文件（请求体为文件内容）", "body"), r);
        }
        exchange::ImportCaller who{caller->AsActor(r.client_address), caller->account_id,
                                   [principal = *caller, permission](db::Connection& c) {
                                     return org::SubtreeScope::For(c, principal, permission);
                                   }};
        auto started = jobs->Start(
            caller->account_id, *kind, exchange::FormatName(*format),
            [&db, &cipher, who, kind = *kind, format = *format, body = std::move(r.body)](
                exchange::ImportProgress& progress) -> Result<exchange::ImportOutcome> {
              if (kind == "orgs") {
                return exchange::ImportOrgs(db, who, format, body, TodayShanghai(), progress);
              }
              return exchange::ImportMembers(db, cipher, who, format, body, TodayShanghai(),
                                             progress);
            });
        if (!started) return http::ErrorResponse(started.error(), r);
        return Response::Json(202, boost::json::object{{"id", *started}, {"status", "running"}});
      },
      "上传文件导入党员或党组织（全部成功或全部不导入；后台执行）");
  router.SetBodyLimit(Method::kPost, "/api/v1/imports", kMaxImportBytes);

  router.Add(
      Method::kGet, "/api/v1/imports/{id}",
      [&identity, jobs](Request& r) {
        auto caller = auth::RequireSignedIn(identity, r, "member.write");
        if (!caller) return http::ErrorResponse(caller.error(), r);
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto status = jobs->Status(*id, caller->account_id);
        if (!status) return http::ErrorResponse(status.error(), r);
        return Response::Json(200, *status);
      },
      "导入进度与逐行错误报告");

  router.Add(
      Method::kGet, "/api/v1/dues/bases/template",
      [&identity](Request& r) {
        auto caller = auth::RequireSignedIn(identity, r, dues::kWritePermission);
        if (!caller) return http::ErrorResponse(caller.error(), r);
        auto format = exchange::ParseFileFormat(r.QueryParam("format").value_or("xlsx"));
        if (!format) return http::ErrorResponse(format.error(), r);
        auto bytes = exchange::DuesBaseTemplateBytes(*format);
        if (!bytes) return http::ErrorResponse(bytes.error(), r);
        return Response::Download(std::move(*bytes), std::string(exchange::ContentTypeOf(*format)),
                                  "党费基数导入模板." + std::string(exchange::FormatName(*format)));
      },
      "党费基数导入模板（中文表头，Excel 或 CSV）");

  // Bases are a branch's or a county's worth of rows, each written through DeclareBase: imported
  // while the request waits, and answered with the row report (422 when any row is bad).
  router.Add(
      Method::kPost, "/api/v1/dues/bases/import",
      [&identity, &db, &cipher](Request& r) {
        auto caller = auth::Require(identity, db, r, dues::kWritePermission);
        if (!caller) return http::ErrorResponse(caller.error(), r);
        auto format = exchange::ParseFileFormat(r.QueryParam("format").value_or(""));
        if (!format) return http::ErrorResponse(format.error(), r);
        if (r.body.empty()) {
          return http::ErrorResponse(
              Error::Invalid("import.empty", "请上传文件（请求体为文件内容）", "body"), r);
        }
        exchange::ImportCaller who{caller->AsActor(r.client_address), caller->account_id,
                                   [principal = *caller](db::Connection& c) {
                                     return org::SubtreeScope::For(c, principal,
                                                                   dues::kWritePermission);
                                   }};
        exchange::ImportProgress progress;
        auto outcome = exchange::ImportDuesBases(db, cipher, who, *format, r.body, progress);
        if (!outcome) return http::ErrorResponse(outcome.error(), r);
        boost::json::array errors;
        for (const auto& e : outcome->errors) errors.push_back(e.ToJson());
        boost::json::object report{{"format", std::string(exchange::FormatName(*format))},
                                   {"total_rows", outcome->total_rows},
                                   {"imported", outcome->imported},
                                   {"errors", std::move(errors)}};
        if (outcome->errors.empty()) return Response::Json(200, report);
        auto envelope = ErrorEnvelope(
            Error::Unprocessable(
                "import.rows_invalid",
                "文件中有 " + std::to_string(outcome->errors.size()) + " 处错误，未导入任何数据",
                "file", "spec 03：导入全部成功或全部不导入"),
            r.request_id);
        envelope["report"] = std::move(report);
        return Response::Json(422, envelope);
      },
      "上传文件导入党费基数（全部成功或全部不导入，逐行报告错误）");
  router.SetBodyLimit(Method::kPost, "/api/v1/dues/bases/import", kMaxImportBytes);

  router.Add(
      Method::kGet, "/api/v1/members/export",
      [&identity, &db, &cipher](Request& r) {
        auto org_id = http::OptionalIdQuery(r, "org");
        if (!org_id) return http::ErrorResponse(org_id.error(), r);
        auto format = exchange::ParseFileFormat(r.QueryParam("format").value_or("xlsx"));
        if (!format) return http::ErrorResponse(format.error(), r);
        bool unmasked = r.QueryParam("unmasked").value_or("") == "1";
        std::string permission = unmasked ? "member.unmask" : "member.read";
        auto caller = auth::Require(identity, db, r, permission);
        if (!caller) return http::ErrorResponse(caller.error(), r);
        std::ostringstream out;
        std::string xlsx_path;
        if (*format == exchange::FileFormat::kXlsx) {
          xlsx_path = exchange::TemporaryPath("export", ".xlsx");
        }
        auto summary = db.Read([&](db::Connection& c) -> Result<exchange::ExportSummary> {
          auto scope = org::SubtreeScope::For(c, *caller, permission);
          if (!scope) return Fail(scope.error());
          auto sink = exchange::OpenSink(*format, exchange::MemberSinkColumns(), out, xlsx_path,
                                         "党员名册");
          if (!sink) return Fail(sink.error());
          auto done = exchange::ExportMembers(c, *scope, cipher, *org_id, unmasked, **sink);
          if (!done) return Fail(done.error());
          auto finished = (*sink)->Finish();
          if (!finished) return Fail(finished.error());
          return done;
        });
        std::string body = xlsx_path.empty() ? std::move(out).str() : exchange::TakeFile(xlsx_path);
        if (!summary) return http::ErrorResponse(summary.error(), r);
        // The export is recorded before anything leaves: no record, no file.
        auto logged =
            audit::AppendAlone(db, {caller->AsActor(r.client_address),
                                    "member.export",
                                    "org:" + std::to_string(summary->org_id),
                                    "success",
                                    {{"org_code", summary->org_code},
                                     {"org_name", summary->org_name},
                                     {"members", summary->members},
                                     {"format", std::string(exchange::FormatName(*format))},
                                     {"unmasked", unmasked}}});
        if (!logged) return http::ErrorResponse(logged.error(), r);
        return Response::Download(
            std::move(body), std::string(exchange::ContentTypeOf(*format)),
            summary->org_name + "党员名册." + std::string(exchange::FormatName(*format)));
      },
      "导出党员名册（CSV、JSONL、Excel；默认脱敏，记入审计）");
}

}  // namespace

const ModuleManifest& exchange_module() {
  static const ModuleManifest manifest{
      .name = "exchange",
      .title = "导入导出",
      .optional = false,
      .depends_on = {"org", "member", "dues"},
      .migrations =
          [] { return db::MigrationsFromFiles("exchange", embedded::exchange_migrations()); },
      .register_routes = RegisterRoutes,
      .permissions = {},
      .role_permissions = {},
      .encrypted_columns = {},
      .settings = {},
      .rules = {},
      .periodic_tasks = {},
      .register_commands = exchange::RegisterCommands,
      .load_demo = nullptr,
  };
  return manifest;
}

}  // namespace zhibu::modules
