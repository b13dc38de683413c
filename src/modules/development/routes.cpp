#include "modules/development/routes.h"

#include <charconv>

#include "modules/development/case_store.h"
#include "modules/development/documents.h"
#include "modules/org/route_input.h"
#include "modules/org/scoped_route.h"
#include "platform/document/docx_writer.h"
#include "platform/json/json.h"
#include "platform/util/clock.h"

namespace zhibu::development {
namespace {

using http::Method;
using http::Request;
using org::ChangeOf;
using org::ScopedCall;

Result<CaseInput> CaseInputFromJson(const boost::json::value& body) {
  CaseInput in;
  const auto* org = body.as_object().if_contains("org_id");
  if (org == nullptr || !org->is_int64() || org->as_int64() <= 0) {
    return Fail(
        Error::Invalid("development.org_missing", "org_id：请指定接收申请的党支部", "org_id"));
  }
  in.org_id = org->as_int64();
  for (auto [name, target, required, max] :
       {std::tuple{"name", &in.name, true, std::size_t{100}},
        std::tuple{"id_number", &in.id_number, true, std::size_t{40}},
        std::tuple{"phone", &in.phone, false, std::size_t{20}},
        std::tuple{"ethnicity", &in.ethnicity, false, std::size_t{40}},
        std::tuple{"education", &in.education, false, std::size_t{40}},
        std::tuple{"occupation", &in.occupation, false, std::size_t{100}},
        std::tuple{"work_unit", &in.work_unit, false, std::size_t{200}},
        std::tuple{"category", &in.category, false, std::size_t{40}},
        std::tuple{"applied_on", &in.applied_on, true, std::size_t{10}},
        std::tuple{"note", &in.note, false, std::size_t{2000}}}) {
    auto v = org::BodyText(body, name, required, max);
    if (!v) return Fail(v.error());
    *target = *v;
  }
  return in;
}

}  // namespace

void RegisterRoutes(ModuleContext& context) {
  auto& identity = context.identity;
  auto& db = context.db;
  auto& router = context.router;
  const auto& cipher = context.cipher;

  router.Add(
      Method::kGet, "/api/v1/development/steps",
      [&identity, &db](Request& r) {
        return org::ScopedRead(identity, db, r, kReadPermission,
                               [](ScopedCall&) -> Result<boost::json::value> {
                                 return boost::json::value(TableJson(AdmissionTable()));
                               });
      },
      "发展党员的25个步骤（流程表：字段、把关条件、时限、文书）");

  router.Add(
      Method::kPost, "/api/v1/development/cases",
      [&identity, &db, &cipher](Request& r) {
        auto body = org::ObjectBody(r);
        if (!body) return http::ErrorResponse(body.error(), r);
        auto in = CaseInputFromJson(*body);
        if (!in) return http::ErrorResponse(in.error(), r);
        return org::ScopedWrite(
            identity, db, r, kWritePermission, 201,
            [&](ScopedCall& call) -> Result<boost::json::value> {
              return org::AsValue(CreateCase(call.connection, call.scope, cipher, ChangeOf(call),
                                             *in, TodayShanghai()));
            });
      },
      "登记入党申请（第1步，建立发展党员档案）");

  router.Add(
      Method::kGet, "/api/v1/development/cases",
      [&identity, &db](Request& r) {
        CaseQuery query;
        auto org = http::OptionalIdQuery(r, "org");
        if (!org) return http::ErrorResponse(org.error(), r);
        query.org_id = *org;
        auto paging = http::Paging(r, 20);
        if (!paging) return http::ErrorResponse(paging.error(), r);
        query.page = paging->first;
        query.page_size = paging->second;
        if (auto v = r.QueryParam("stage")) query.stage = *v;
        if (auto v = r.QueryParam("status"); v && !v->empty()) query.status = *v;
        if (auto v = r.QueryParam("q")) query.q = *v;
        if (auto v = r.QueryParam("due")) query.due = *v;
        if (auto v = r.QueryParam("step"); v && !v->empty()) {
          int n = 0;
          auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
          if (ec != std::errc() || end != v->data() + v->size() || n < 1 || n > 25) {
            return http::ErrorResponse(
                Error::Invalid("development.step_invalid", "step：应为 1–25", "step"), r);
          }
          query.step = n;
        }
        return org::ScopedRead(
            identity, db, r, kReadPermission, [&](ScopedCall& call) -> Result<boost::json::value> {
              return org::AsValue(ListCases(call.connection, call.scope, query, TodayShanghai()));
            });
      },
      "发展党员档案列表（按阶段、步骤、到期情况筛选）");

  router.Add(
      Method::kGet, "/api/v1/development/cases/{id}",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        return org::ScopedRead(
            identity, db, r, kReadPermission, [&](ScopedCall& call) -> Result<boost::json::value> {
              return org::AsValue(GetCase(call.connection, call.scope, *id, TodayShanghai()));
            });
      },
      "发展党员档案（全过程时间线、时限、文书）");

  router.Add(
      Method::kPost, "/api/v1/development/cases/{id}/steps",
      [&identity, &db, &cipher](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto body = org::ObjectBody(r);
        if (!body) return http::ErrorResponse(body.error(), r);
        return org::ScopedWrite(
            identity, db, r, kWritePermission, 201,
            [&](ScopedCall& call) -> Result<boost::json::value> {
              return org::AsValue(RecordStep(call.connection, call.scope, cipher, ChangeOf(call),
                                             *id, body->as_object(), TodayShanghai()));
            });
      },
      "办理下一步（按流程表把关）");

  router.Add(
      Method::kPost, "/api/v1/development/cases/{id}/close",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto body = org::ObjectBody(r);
        if (!body) return http::ErrorResponse(body.error(), r);
        auto closed_on = org::BodyText(*body, "closed_on", true, 10);
        if (!closed_on) return http::ErrorResponse(closed_on.error(), r);
        auto outcome = org::BodyText(*body, "outcome", true, 20);
        if (!outcome) return http::ErrorResponse(outcome.error(), r);
        auto reason = org::BodyText(*body, "reason", true, 2000);
        if (!reason) return http::ErrorResponse(reason.error(), r);
        return org::ScopedWrite(
            identity, db, r, kWritePermission, 200,
            [&](ScopedCall& call) -> Result<boost::json::value> {
              return org::AsValue(CloseCase(call.connection, call.scope, ChangeOf(call, *reason),
                                            *id, *closed_on, *outcome, *reason, TodayShanghai()));
            });
      },
      "终止发展党员档案（本人撤回、未通过、调离）");

  router.Add(
      Method::kGet, "/api/v1/development/cases/{id}/documents/{kind}",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        std::string kind(r.PathParam("kind"));
        auto caller = auth::Require(identity, db, r, kReadPermission);
        if (!caller) return http::ErrorResponse(caller.error(), r);
        auto made = db.Read([&](db::Connection& c) -> Result<GeneratedDocument> {
          auto scope = org::SubtreeScope::For(c, *caller, kReadPermission);
          if (!scope) return Fail(scope.error());
          auto file = LoadCaseFile(c, *scope, *id);
          if (!file) return Fail(file.error());
          return GenerateDocument(*file, kind, TodayShanghai());
        });
        if (!made) return http::ErrorResponse(made.error(), r);
        return http::Response::Download(std::move(made->bytes),
                                        std::string(document::kDocxContentType), made->filename);
      },
      "生成文书（公示、政审综合材料、批复；Word .docx）");

  router.Add(
      Method::kGet, "/api/v1/development/pipeline",
      [&identity, &db](Request& r) {
        auto org = http::OptionalIdQuery(r, "org");
        if (!org) return http::ErrorResponse(org.error(), r);
        return org::ScopedRead(
            identity, db, r, kReadPermission, [&](ScopedCall& call) -> Result<boost::json::value> {
              return org::AsValue(Pipeline(call.connection, call.scope, *org, TodayShanghai()));
            });
      },
      "发展党员工作进度（按阶段、步骤、下级组织统计，含即将到期和逾期）");

  router.Add(
      Method::kGet, "/api/v1/development/statistics",
      [&identity, &db](Request& r) {
        auto org = http::OptionalIdQuery(r, "org");
        if (!org) return http::ErrorResponse(org.error(), r);
        int year = std::stoi(TodayShanghai().substr(0, 4));
        if (auto v = r.QueryParam("year"); v && !v->empty()) {
          auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), year);
          if (ec != std::errc() || end != v->data() + v->size()) {
            return http::ErrorResponse(
                Error::Invalid("development.year_invalid", "year：应为四位年份", "year"), r);
          }
        }
        return org::ScopedRead(
            identity, db, r, kReadPermission, [&](ScopedCall& call) -> Result<boost::json::value> {
              return org::AsValue(YearStatistics(call.connection, call.scope, *org, year));
            });
      },
      "年度发展党员统计（性别、35岁及以下、学历、职业；党内统计年报）");
}

}  // namespace zhibu::development
