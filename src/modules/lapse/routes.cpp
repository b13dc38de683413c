#include "modules/lapse/routes.h"

#include "modules/dues/dues_store.h"
#include "modules/lapse/case_store.h"
#include "modules/org/route_input.h"
#include "modules/org/scoped_route.h"
#include "platform/json/json.h"
#include "platform/util/clock.h"

namespace zhibu::lapse {
namespace {

using http::Method;
using http::Request;
using org::ChangeOf;
using org::ScopedCall;

}  // namespace

void RegisterRoutes(ModuleContext& context) {
  auto& identity = context.identity;
  auto& db = context.db;
  auto& router = context.router;
  const auto read = dues::kReadPermission;
  const auto write = dues::kWritePermission;

  router.Add(
      Method::kGet, "/api/v1/dues/lapse/steps",
      [&identity, &db, read](Request& r) {
        return org::ScopedRead(identity, db, r, read,
                               [](ScopedCall&) -> Result<boost::json::value> {
                                 return boost::json::value(TableJson(LapseTable()));
                               });
      },
      "连续六个月不交纳党费处置的5个步骤（流程表：字段、把关条件、依据）");

  router.Add(
      Method::kGet, "/api/v1/dues/lapse/cases",
      [&identity, &db, read](Request& r) {
        CaseQuery query;
        auto org = http::OptionalIdQuery(r, "org");
        if (!org) return http::ErrorResponse(org.error(), r);
        query.org_id = *org;
        auto member = http::OptionalIdQuery(r, "member");
        if (!member) return http::ErrorResponse(member.error(), r);
        query.member_id = *member;
        auto paging = http::Paging(r, 20);
        if (!paging) return http::ErrorResponse(paging.error(), r);
        query.page = paging->first;
        query.page_size = paging->second;
        if (auto v = r.QueryParam("status"); v && !v->empty()) query.status = *v;
        return org::ScopedRead(identity, db, r, read,
                               [&](ScopedCall& call) -> Result<boost::json::value> {
                                 return org::AsValue(ListCases(call.connection, call.scope, query));
                               });
      },
      "连续六个月不交纳党费的处置案件列表（办理中、已结案）");

  router.Add(
      Method::kPost, "/api/v1/dues/lapse/cases",
      [&identity, &db, write](Request& r) {
        auto body = org::ObjectBody(r);
        if (!body) return http::ErrorResponse(body.error(), r);
        auto member = IntField(*body, "member_id", true);
        if (!member) return http::ErrorResponse(member.error(), r);
        if (**member <= 0) {
          return http::ErrorResponse(
              Error::Invalid("lapse.member_invalid", "member_id：应为党员编号", "member_id"), r);
        }
        return org::ScopedWrite(
            identity, db, r, write, 201, [&](ScopedCall& call) -> Result<boost::json::value> {
              return org::AsValue(
                  OpenCase(call.connection, call.scope, ChangeOf(call), **member, TodayShanghai()));
            });
      },
      "对连续六个月不交纳党费的党员启动处置（党章第九条）");

  router.Add(
      Method::kGet, "/api/v1/dues/lapse/cases/{id}",
      [&identity, &db, read](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        return org::ScopedRead(
            identity, db, r, read, [&](ScopedCall& call) -> Result<boost::json::value> {
              return org::AsValue(GetCase(call.connection, call.scope, *id, TodayShanghai()));
            });
      },
      "处置案件（各步记录、下一步、党费台账现状）");

  router.Add(
      Method::kPost, "/api/v1/dues/lapse/cases/{id}/steps",
      [&identity, &db, write](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto body = org::ObjectBody(r);
        if (!body) return http::ErrorResponse(body.error(), r);
        return org::ScopedWrite(
            identity, db, r, write, 201, [&](ScopedCall& call) -> Result<boost::json::value> {
              return org::AsValue(RecordStep(call.connection, call.scope, ChangeOf(call), *id,
                                             body->as_object(), TodayShanghai()));
            });
      },
      "办理处置的下一步（按流程表把关；上级批准除名后党员出党）");

  router.Add(
      Method::kPost, "/api/v1/dues/lapse/cases/{id}/close",
      [&identity, &db, write](Request& r) {
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
            identity, db, r, write, 200, [&](ScopedCall& call) -> Result<boost::json::value> {
              return org::AsValue(CloseCase(call.connection, call.scope, ChangeOf(call, *reason),
                                            *id, *closed_on, *outcome, *reason, TodayShanghai()));
            });
      },
      "处置案件结案（支部大会未通过、党员已转出或去世、核实有误）");
}

}  // namespace zhibu::lapse
