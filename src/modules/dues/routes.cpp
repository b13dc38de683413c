#include "modules/dues/routes.h"

#include <limits>

#include "modules/dues/dues_store.h"
#include "modules/dues/exports.h"
#include "modules/dues/quote.h"
#include "modules/org/route_input.h"
#include "modules/org/scoped_route.h"
#include "platform/audit/audit_trail.h"
#include "platform/document/xlsx_writer.h"
#include "platform/json/json.h"
#include "platform/util/clock.h"

namespace zhibu::dues {
namespace {

using http::Method;
using http::Request;
using org::ChangeOf;
using org::ScopedCall;

constexpr std::string_view kQuoteScope = "dues.quote";

//! An optional yuan member, given as a string ("5000.01") or an integer number of yuan; a JSON
//! number with a fraction is refused so that no binary floating point reaches the money path.
Result<std::optional<std::string>> YuanText(const boost::json::value& body, std::string_view name) {
  const auto* v = body.as_object().if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<std::string>();
  if (v->is_string()) return std::optional<std::string>(std::string(v->as_string()));
  if (v->is_int64()) return std::optional<std::string>(std::to_string(v->as_int64()));
  if (v->is_uint64()) return std::optional<std::string>(std::to_string(v->as_uint64()));
  return Fail(Error::Invalid("money.not_a_string",
                             std::string(name) + "：金额请写成字符串，如 \"5000.01\"",
                             std::string(name)));
}

http::Response QuoteRoute(auth::IdentityService& identity, http::Request& request) {
  auto caller = auth::RequireSignedIn(identity, request, kQuoteScope);
  if (!caller) return http::ErrorResponse(caller.error(), request);
  auto category = request.QueryParam("category");
  if (!category || category->empty()) {
    return http::ErrorResponse(
        Error::Invalid("dues.category_missing", "category：缺少党员类别", "category"), request);
  }
  auto base = request.QueryParam("base");
  auto amount = request.QueryParam("amount");
  auto quote =
      QuoteFromText(*category, base ? std::optional<std::string_view>(*base) : std::nullopt,
                    amount ? std::optional<std::string_view>(*amount) : std::nullopt);
  if (!quote) return http::ErrorResponse(quote.error(), request);
  return http::Response::Json(200, QuoteJson(*quote));
}

//! `?org=` (required) as an id; a malformed one is a 400 naming `org`.
Result<std::int64_t> OrgQuery(const Request& r) {
  auto org = http::OptionalIdQuery(r, "org");
  if (!org) return Fail(org.error());
  if (!*org) return Fail(Error::Invalid("dues.org_missing", "org：请指定组织", "org"));
  return **org;
}

}  // namespace

void RegisterRoutes(ModuleContext& context) {
  auto& identity = context.identity;
  auto& db = context.db;
  auto& router = context.router;

  router.Add(
      Method::kGet, "/api/v1/dues/quote",
      [&identity](Request& r) { return QuoteRoute(identity, r); }, "党费测算（中组发〔2008〕3号）");

  router.Add(
      Method::kGet, "/api/v1/dues/categories",
      [&identity](Request& r) {
        auto caller = auth::RequireSignedIn(identity, r, kQuoteScope);
        if (!caller) return http::ErrorResponse(caller.error(), r);
        boost::json::array items;
        for (const auto& c : Categories()) {
          items.push_back({{"id", c.id}, {"title", c.title}, {"has_base", c.has_base}});
        }
        return http::Response::Json(200, boost::json::object{{"items", std::move(items)}});
      },
      "党员类别（党费计算）");

  router.Add(
      Method::kPost, "/api/v1/members/{id}/dues/bases",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto body = org::ObjectBody(r);
        if (!body) return http::ErrorResponse(body.error(), r);
        BaseInput in;
        auto category = org::BodyText(*body, "category", true, 40);
        if (!category) return http::ErrorResponse(category.error(), r);
        in.category = *category;
        auto base = YuanText(*body, "base");
        if (!base) return http::ErrorResponse(base.error(), r);
        in.base = *base;
        auto amount = YuanText(*body, "amount");
        if (!amount) return http::ErrorResponse(amount.error(), r);
        in.amount = *amount;
        auto month = org::BodyText(*body, "effective_month", true, 7);
        if (!month) return http::ErrorResponse(month.error(), r);
        in.effective_month = *month;
        auto source = org::BodyText(*body, "source", false, 20);
        if (!source) return http::ErrorResponse(source.error(), r);
        if (!source->empty()) in.source = *source;
        auto note = org::BodyText(*body, "note", false, 500);
        if (!note) return http::ErrorResponse(note.error(), r);
        in.note = *note;
        return org::ScopedWrite(identity, db, r, kWritePermission, 201,
                                [&](ScopedCall& call) -> Result<boost::json::value> {
                                  return org::AsValue(DeclareBase(call.connection, call.scope,
                                                                  ChangeOf(call), *id, in));
                                });
      },
      "核定党员的党费计算基数（自某月起执行）");

  router.Add(
      Method::kPost, "/api/v1/members/{id}/dues/reductions",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto body = org::ObjectBody(r);
        if (!body) return http::ErrorResponse(body.error(), r);
        ReductionInput in;
        for (auto [name, target] :
             {std::pair{"from_month", &in.from_month}, std::pair{"to_month", &in.to_month},
              std::pair{"reason", &in.reason}, std::pair{"approved_by", &in.approved_by},
              std::pair{"approval_ref", &in.approval_ref},
              std::pair{"approved_on", &in.approved_on}}) {
          auto v = org::BodyText(*body, name, true, 500);
          if (!v) return http::ErrorResponse(v.error(), r);
          *target = *v;
        }
        auto amount = YuanText(*body, "amount");
        if (!amount) return http::ErrorResponse(amount.error(), r);
        if (!*amount) {
          return http::ErrorResponse(
              Error::Invalid("dues.field_missing", "amount：请填写每月交纳额（免交填 0）",
                             "amount"),
              r);
        }
        in.amount = **amount;
        return org::ScopedWrite(identity, db, r, kWritePermission, 201,
                                [&](ScopedCall& call) -> Result<boost::json::value> {
                                  return org::AsValue(RecordReduction(call.connection, call.scope,
                                                                      ChangeOf(call), *id, in));
                                });
      },
      "登记经上级党委批准的少交、免交党费（第七条）");

  router.Add(
      Method::kGet, "/api/v1/members/{id}/dues",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        std::string today = TodayShanghai();
        int year = std::stoi(today.substr(0, 4));
        if (auto y = r.QueryParam("year")) {
          if (y->size() != 4 || y->find_first_not_of("0123456789") != std::string::npos) {
            return http::ErrorResponse(
                Error::Invalid("dues.year_invalid", "year：年份应为 4 位数字", "year"), r);
          }
          year = std::stoi(*y);
        }
        return org::ScopedRead(
            identity, db, r, kReadPermission, [&](ScopedCall& call) -> Result<boost::json::value> {
              return org::AsValue(MemberCard(call.connection, call.scope, *id, year, today));
            });
      },
      "党员的党费卡：基数、少交免交、全年各月应交实交与收据");

  router.Add(
      Method::kPost, "/api/v1/dues/payments",
      [&identity, &db](Request& r) {
        auto body = org::ObjectBody(r);
        if (!body) return http::ErrorResponse(body.error(), r);
        PaymentInput in;
        auto member = IntField(*body, "member_id", true);
        if (!member) return http::ErrorResponse(member.error(), r);
        in.member_id = **member;
        if (const auto* months = body->as_object().if_contains("months")) {
          if (!months->is_array()) {
            return http::ErrorResponse(
                Error::Invalid("dues.months_invalid", "months：应为月份数组", "months"), r);
          }
          for (std::size_t i = 0; i < months->as_array().size(); ++i) {
            const auto& m = months->as_array()[i];
            if (!m.is_string() || months->as_array().size() > 12) {
              std::string field = "months[" + std::to_string(i) + "]";
              return http::ErrorResponse(
                  Error::Invalid("dues.month_invalid", field + "：月份应为 YYYY-MM 格式", field),
                  r);
            }
            in.months.emplace_back(m.as_string());
          }
        }
        auto amount = YuanText(*body, "amount");
        if (!amount) return http::ErrorResponse(amount.error(), r);
        in.amount = *amount;
        auto extra = YuanText(*body, "extra");
        if (!extra) return http::ErrorResponse(extra.error(), r);
        in.extra = *extra;
        for (auto [name, target, required] :
             {std::tuple{"method", &in.method, true}, std::tuple{"paid_on", &in.paid_on, true},
              std::tuple{"reference", &in.reference, false},
              std::tuple{"payer_name", &in.payer_name, false}}) {
          auto v = org::BodyText(*body, name, required, 500);
          if (!v) return http::ErrorResponse(v.error(), r);
          *target = *v;
        }
        std::string today = TodayShanghai();
        return org::ScopedWrite(identity, db, r, kWritePermission, 201,
                                [&](ScopedCall& call) -> Result<boost::json::value> {
                                  return org::AsValue(RecordPayment(call.connection, call.scope,
                                                                    ChangeOf(call), in, today));
                                });
      },
      "登记党费交纳（按月、按季、代交、补交、自愿多交），开具收据");

  router.Add(
      Method::kGet, "/api/v1/dues/receipts/{receipt}",
      [&identity, &db](Request& r) {
        std::string receipt(r.PathParam("receipt"));
        return org::ScopedRead(identity, db, r, kReadPermission,
                               [&](ScopedCall& call) -> Result<boost::json::value> {
                                 return org::AsValue(Receipt(call.connection, call.scope, receipt));
                               });
      },
      "一张党费收据（打印用：党员、支部、所属月份、金额、代交人、收款人、是否作废）");

  router.Add(
      Method::kPost, "/api/v1/dues/receipts/{receipt}/cancel",
      [&identity, &db](Request& r) {
        std::string receipt(r.PathParam("receipt"));
        auto body = org::ObjectBody(r);
        if (!body) return http::ErrorResponse(body.error(), r);
        auto reason = org::BodyText(*body, "reason", false, 500);
        if (!reason) return http::ErrorResponse(reason.error(), r);
        return org::ScopedWrite(
            identity, db, r, kWritePermission, 200,
            [&](ScopedCall& call) -> Result<boost::json::value> {
              return org::AsValue(
                  CancelReceipt(call.connection, call.scope, ChangeOf(call, *reason), receipt));
            });
      },
      "作废一张党费收据（不删除，留痕）");

  auto add_org_read = [&](std::string path, std::string summary, auto run) {
    router.Add(
        Method::kGet, std::move(path),
        [&identity, &db, run](Request& r) {
          auto org = OrgQuery(r);
          if (!org) return http::ErrorResponse(org.error(), r);
          std::string today = TodayShanghai();
          return org::ScopedRead(identity, db, r, kReadPermission,
                                 [&](ScopedCall& call) -> Result<boost::json::value> {
                                   return org::AsValue(run(call, r, *org, today));
                                 });
        },
        std::move(summary));
  };
  auto month_of = [](const Request& r, const std::string& today) {
    return r.QueryParam("month").value_or(today.substr(0, 7));
  };
  // The same report as an Excel workbook at `{path}/export`: computed by the same function in
  // the caller's scope, recorded in the audit trail (names and amounts leave the system) before
  // the file is sent.
  auto add_org_export = [&](std::string path, std::string report, std::string summary, auto run,
                            auto to_sheet) {
    router.Add(
        Method::kGet, std::move(path),
        [&identity, &db, report, run, to_sheet](Request& r) {
          auto org = OrgQuery(r);
          if (!org) return http::ErrorResponse(org.error(), r);
          auto caller = auth::Require(identity, db, r, kReadPermission);
          if (!caller) return http::ErrorResponse(caller.error(), r);
          std::string today = TodayShanghai();
          auto sheet = db.Read([&](db::Connection& c) -> Result<ExportSheet> {
            auto scope = org::SubtreeScope::For(c, *caller, kReadPermission);
            if (!scope) return Fail(scope.error());
            ScopedCall call{c, *scope, *caller, r};
            auto done = run(call, r, *org, today);
            if (!done) return Fail(done.error());
            return to_sheet(*done);
          });
          if (!sheet) return http::ErrorResponse(sheet.error(), r);
          auto bytes = WorkbookBytes(*sheet);
          if (!bytes) return http::ErrorResponse(bytes.error(), r);
          auto logged =
              audit::AppendAlone(db, {caller->AsActor(r.client_address),
                                      "dues.export",
                                      "org:" + std::to_string(*org),
                                      "success",
                                      {{"report", report},
                                       {"rows", static_cast<std::int64_t>(sheet->rows.size())},
                                       {"month", r.QueryParam("month").value_or("")}}});
          if (!logged) return http::ErrorResponse(logged.error(), r);
          return http::Response::Download(
              std::move(*bytes), std::string(document::kXlsxContentType), sheet->file_name);
        },
        std::move(summary));
  };
  auto ledger = [month_of](ScopedCall& call, const Request& r, std::int64_t org,
                           const std::string& today) {
    return BranchLedger(call.connection, call.scope, org, month_of(r, today), today);
  };
  auto totals = [month_of](ScopedCall& call, const Request& r, std::int64_t org,
                           const std::string& today) {
    return SubtreeLedger(call.connection, call.scope, org, month_of(r, today), today);
  };
  add_org_read("/api/v1/dues/ledger", "支部党费收缴台账（某月）", ledger);
  add_org_export("/api/v1/dues/ledger/export", "ledger", "导出支部党费收缴台账（Excel）", ledger,
                 LedgerSheet);
  add_org_read("/api/v1/dues/totals", "下级各支部党费收缴汇总（某月）", totals);
  add_org_export("/api/v1/dues/totals/export", "totals", "导出下级各支部党费收缴汇总（Excel）",
                 totals, TotalsSheet);
  add_org_read("/api/v1/dues/arrears", "欠交党费的党员（近 12 个月）",
               [](ScopedCall& call, const Request& r, std::int64_t org,
                  const std::string& today) -> Result<boost::json::object> {
                 auto paging = http::Paging(r, 50);
                 if (!paging) return Fail(paging.error());
                 return Arrears(call.connection, call.scope, org, today, paging->first,
                                paging->second);
               });
  add_org_export(
      "/api/v1/dues/arrears/export", "arrears", "导出欠交党费名单（Excel，全部页）",
      [](ScopedCall& call, const Request&, std::int64_t org, const std::string& today) {
        return Arrears(call.connection, call.scope, org, today, 1,
                       std::numeric_limits<std::int32_t>::max());
      },
      ArrearsSheet);
  add_org_read(
      "/api/v1/dues/remittance", "党费上缴报告（某年，第十五、十六条）",
      [](ScopedCall& call, const Request& r, std::int64_t org,
         const std::string& today) -> Result<boost::json::object> {
        std::string year = r.QueryParam("year").value_or(today.substr(0, 4));
        if (year.size() != 4 || year.find_first_not_of("0123456789") != std::string::npos) {
          return Fail(Error::Invalid("dues.year_invalid", "year：年份应为 4 位数字", "year"));
        }
        return Remittance(call.connection, call.scope, org, std::stoi(year));
      });
}

}  // namespace zhibu::dues
