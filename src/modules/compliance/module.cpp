//! 预警 (compliance, spec 07): the engine that runs every module's rules, the findings with their
//! life cycle, the alert board, `zhibu check` and `zhibu rules`, the daily scan and the
//! incremental rescan of changed subtrees. The catalogue of rules is docs/rules.md.

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "modules/compliance/engine.h"
#include "modules/org/org_store.h"
#include "modules/org/scoped_route.h"
#include "platform/json/json.h"
#include "platform/module/manifest.h"
#include "platform/util/clock.h"

namespace zhibu::modules {
namespace {

using http::Method;
using http::Request;
using org::ScopedCall;

constexpr std::string_view kRead = "compliance.read";
constexpr std::string_view kAcknowledge = "compliance.acknowledge";

int PrintError(const Error& e) {
  std::cerr << "错误 [" << e.code << "]：" << e.message;
  if (!e.field.empty()) std::cerr << "（" << e.field << "）";
  std::cerr << '\n';
  return 1;
}

void RegisterRoutes(ModuleContext& context) {
  auto& identity = context.identity;
  auto& db = context.db;
  auto& router = context.router;

  router.Add(
      Method::kGet, "/api/v1/rules",
      [&identity](Request& r) {
        auto caller = auth::RequireSignedIn(identity, r, kRead);
        if (!caller) return http::ErrorResponse(caller.error(), r);
        return http::Response::Json(200,
                                    boost::json::object{{"items", compliance::CatalogueJson()}});
      },
      "规则目录（每条规则的依据）");
  router.Add(
      Method::kGet, "/api/v1/findings",
      [&identity, &db](Request& r) {
        compliance::FindingQuery query;
        auto org_id = http::OptionalIdQuery(r, "org");
        if (!org_id) return http::ErrorResponse(org_id.error(), r);
        query.org_id = *org_id;
        query.period = r.QueryParam("period").value_or("");
        query.rule_id = r.QueryParam("rule").value_or("");
        query.severity = r.QueryParam("severity").value_or("");
        query.status = r.QueryParam("status").value_or("");
        auto paging = http::Paging(r, 50);
        if (!paging) return http::ErrorResponse(paging.error(), r);
        query.page = paging->first;
        query.page_size = paging->second;
        return org::ScopedRead(
            identity, db, r, kRead, [&](ScopedCall& call) -> Result<boost::json::value> {
              auto page = compliance::ListFindings(call.connection, call.scope, query);
              if (!page) return Fail(page.error());
              return boost::json::value(std::move(*page));
            });
      },
      "预警列表（本人管理范围内，按级别排序）");
  router.Add(
      Method::kGet, "/api/v1/findings/board",
      [&identity, &db](Request& r) {
        auto org_id = http::OptionalIdQuery(r, "org");
        if (!org_id) return http::ErrorResponse(org_id.error(), r);
        std::string period = r.QueryParam("period").value_or("");
        return org::ScopedRead(
            identity, db, r, kRead, [&](ScopedCall& call) -> Result<boost::json::value> {
              std::int64_t id = 0;
              if (*org_id) {
                id = **org_id;
              } else {
                auto roots = org::ScopeRoots(call.connection, call.scope);
                if (!roots) return Fail(roots.error());
                if (roots->empty()) {
                  return Fail(Error::NotFound("org.not_found", "您没有可查看的组织"));
                }
                id = roots->front().id;
              }
              auto board = compliance::Board(call.connection, call.scope, id, period);
              if (!board) return Fail(board.error());
              return boost::json::value(std::move(*board));
            });
      },
      "预警看板（按规则和级别计数，下级组织红黄绿灯）");
  router.Add(
      Method::kPost, "/api/v1/findings/{id}/acknowledge",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto body = r.JsonBody();
        if (!body) return http::ErrorResponse(body.error(), r);
        auto note = StringField(*body, "note", true, 1000);
        if (!note) return http::ErrorResponse(note.error(), r);
        return org::ScopedWrite(identity, db, r, kAcknowledge, 200,
                                [&](ScopedCall& call) -> Result<boost::json::value> {
                                  auto done = compliance::Acknowledge(
                                      call.connection, call.scope, call.Actor(),
                                      call.caller.account_id, *id, **note);
                                  if (!done) return Fail(done.error());
                                  return boost::json::value(std::move(*done));
                                });
      },
      "确认预警（填写说明；预警只因数据变化而解除）");
  router.Add(
      Method::kPost, "/api/v1/findings/scan",
      [&identity, &db](Request& r) {
        auto body = r.JsonBody();
        if (!body) return http::ErrorResponse(body.error(), r);
        auto org_id = IntField(*body, "org_id", true);
        if (!org_id) return http::ErrorResponse(org_id.error(), r);
        return org::ScopedWrite(identity, db, r, kAcknowledge, 200,
                                [&](ScopedCall& call) -> Result<boost::json::value> {
                                  auto org = org::GetOrg(call.connection, call.scope, **org_id);
                                  if (!org) return Fail(org.error());
                                  auto report = compliance::Rescan(call.connection, org->path,
                                                                   TodayShanghai());
                                  if (!report) return Fail(report.error());
                                  return boost::json::object{{"found", report->found},
                                                             {"opened", report->opened},
                                                             {"resolved", report->resolved}};
                                });
      },
      "立即重新检查一个组织（含下级）本月的预警");
}

void RegisterCommands(CommandRegistry& registry) {
  struct CheckOptions {
    std::string org_code;
    std::string period;
    std::string rule;
    bool dry_run = false;
  };
  auto check_options = std::make_shared<CheckOptions>();
  CLI::App* check = registry.Add(
      "check", "检查规则，按行输出 JSON 格式的预警（默认同时保存结果）",
      [check_options](const CommandContext& context) {
        auto runtime = context.open();
        if (!runtime) return PrintError(runtime.error());
        std::string today = TodayShanghai();
        compliance::Period period = compliance::MonthOf(today);
        if (!check_options->period.empty()) {
          auto parsed = compliance::ParsePeriod(check_options->period);
          if (!parsed) return PrintError(parsed.error());
          period = *parsed;
        }
        std::string as_of = std::min(period.last_day, today);
        // Where the time goes, for bench/city-check.sh and the operator: the rules' scan and the
        // reconciliation with the stored findings, measured apart (steady clock, in process).
        using Clock = std::chrono::steady_clock;
        Clock::duration scanning{}, storing{};
        auto result = runtime->db.Write([&](db::Connection& c) -> Result<std::int64_t> {
          std::vector<std::string> roots;
          if (!check_options->org_code.empty()) {
            auto org =
                org::GetOrgByCode(c, org::SubtreeScope::Everything(), check_options->org_code);
            if (!org) return Fail(org.error());
            roots.push_back(org->path);
          } else {
            auto rows =
                c.Query("SELECT path FROM organisation WHERE parent_id IS NULL ORDER BY path", {});
            if (!rows) return Fail(rows.error());
            for (std::size_t i = 0; i < rows->size(); ++i) roots.push_back(rows->Text(i, 0));
          }
          std::int64_t count = 0;
          for (const auto& root : roots) {
            auto scan_start = Clock::now();
            auto findings = compliance::Scan(c, root, period, as_of, check_options->rule);
            scanning += Clock::now() - scan_start;
            if (!findings) return Fail(findings.error());
            for (const auto& f : *findings)
              std::cout << compliance::FindingLine(f, period.id) << '\n';
            count += static_cast<std::int64_t>(findings->size());
            if (!check_options->dry_run && check_options->rule.empty()) {
              auto store_start = Clock::now();
              auto stored = compliance::Persist(c, *findings, root, period, today);
              storing += Clock::now() - store_start;
              if (!stored) return Fail(stored.error());
            }
          }
          return count;
        });
        if (!result) return PrintError(result.error());
        auto ms = [](Clock::duration d) {
          return std::chrono::duration<double, std::milli>(d).count();
        };
        char timing[96];
        std::snprintf(timing, sizeof timing, "扫描 %.1f ms，保存 %.1f ms", ms(scanning),
                      ms(storing));
        std::cerr << "预警 " << *result << " 条（" << period.id << "）；" << timing << '\n';
        return 0;
      });
  check->add_option("--org", check_options->org_code, "只检查此组织（编码）及其下级");
  check->add_option("--period", check_options->period,
                    "统计期间 YYYY-MM、YYYY-Qn 或 YYYY（默认本月）");
  check->add_option("--rule", check_options->rule, "只运行这一条规则（不保存结果）");
  check->add_flag("--dry-run", check_options->dry_run, "只输出，不保存");

  auto markdown = std::make_shared<bool>(false);
  CLI::App* rules =
      registry.Add("rules", "输出规则目录（每条规则及其依据）", [markdown](const CommandContext&) {
        if (*markdown) {
          std::cout << compliance::CatalogueMarkdown();
        } else {
          for (const auto& row : compliance::CatalogueJson()) {
            std::cout << boost::json::serialize(row) << '\n';
          }
        }
        return 0;
      });
  rules->add_flag("--markdown", *markdown, "Markdown 表格（即 docs/rules.md）");
}

void RescanTouched(db::Database& db, const std::atomic<bool>& stopping) {
  auto start = std::chrono::steady_clock::now();
  auto done = compliance::RescanTouched(db, TodayShanghai(), &stopping);
  if (!done) {
    spdlog::error("compliance rescan failed: {}", done.error().message);
  } else if (*done > 0) {
    spdlog::info("compliance: rescanned {} changed subtrees in {:.1f} ms", *done,
                 std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count());
  }
}

void DailyScan(db::Database& db, const std::atomic<bool>& stopping) {
  auto report = compliance::RunDailyScanIfDue(db, NowShanghaiIso(), &stopping);
  if (!report) {
    spdlog::error("compliance daily scan failed: {}", report.error().message);
  } else if (*report) {
    spdlog::info("compliance daily scan: {} findings, {} new, {} resolved", (*report)->found,
                 (*report)->opened, (*report)->resolved);
  }
}

}  // namespace

const ModuleManifest& compliance_module() {
  static const ModuleManifest manifest{
      .name = "compliance",
      .title = "预警",
      .optional = false,
      .depends_on = {"org", "member"},
      .migrations =
          [] { return db::MigrationsFromFiles("compliance", embedded::compliance_migrations()); },
      .register_routes = RegisterRoutes,
      .permissions = {{std::string(kRead), "查看预警"},
                      {std::string(kAcknowledge), "确认预警、立即重新检查"}},
      .role_permissions = {{"org_department_admin",
                            {std::string(kRead), std::string(kAcknowledge)}},
                           {"party_committee_secretary",
                            {std::string(kRead), std::string(kAcknowledge)}},
                           {"branch_secretary", {std::string(kRead), std::string(kAcknowledge)}},
                           {"organising_member", {std::string(kRead)}}},
      .encrypted_columns = {},
      .settings = {{.key = std::string(compliance::kDailyScanHourSetting),
                    .title = "每日全面检查开始时间",
                    .unit = "时",
                    .default_value = 2,
                    .min = 0,
                    .max = 23,
                    .source = "本地做法：每日全面检查一次（spec 07“daily by default”），"
                              "默认凌晨2时业务量最小时进行；改动的支部另由增量检查在几秒内更新"}},
      .rules = {},
      // The incremental rescan every 5 s; the daily scan checks every 5 minutes whether its
      // hour has come and today's scan has not been claimed yet.
      .periodic_tasks = {{.name = "compliance.rescan_touched",
                          .interval = std::chrono::seconds(5),
                          .run = RescanTouched},
                         {.name = "compliance.daily_scan",
                          .interval = std::chrono::minutes(5),
                          .run = DailyScan}},
      .register_commands = RegisterCommands,
      .load_demo = {},
  };
  return manifest;
}

}  // namespace zhibu::modules
