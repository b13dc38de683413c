// The routes of the higher organisation's review (review.h) and of the compliance board
// (board.h), registered by RegisterRoutes.

#include "modules/org/scoped_route.h"
#include "modules/orglife/board.h"
#include "modules/orglife/review.h"
#include "modules/orglife/routes.h"
#include "platform/auth/roles.h"
#include "platform/json/json.h"
#include "platform/util/clock.h"

namespace zhibu::orglife {
namespace {

using http::Method;
using http::Request;
using org::ScopedCall;

//! The body of a request that may be empty (`{}` then).
Result<boost::json::value> OptionalBody(Request& r) {
  if (r.body.empty()) return boost::json::value(boost::json::object{});
  auto body = r.JsonBody();
  if (!body) return Fail(body.error());
  if (!body->is_object()) {
    return Fail(Error::Invalid("request.body_not_object", "请求体应为 JSON 对象", ""));
  }
  return body;
}

//! A yes/no query parameter (`true`/`false`, `1`/`0`), false when absent.
Result<bool> FlagQuery(const Request& r, std::string_view name) {
  auto value = r.QueryParam(name);
  if (!value || *value == "false" || *value == "0") return false;
  if (*value == "true" || *value == "1") return true;
  return Fail(Error::Invalid("request.query_invalid", std::string(name) + " 应为 true 或 false",
                             std::string(name)));
}

//! A write to the deployment's checklist: `setting.change`, as every local setting.
template <class Body>
http::Response ChecklistWrite(auth::IdentityService& identity, db::Database& db, Request& r,
                              int status, Body body) {
  auto caller = auth::Require(identity, db, r, auth::permission::kSettingChange);
  if (!caller) return http::ErrorResponse(caller.error(), r);
  auto answer =
      db.Write([&](db::Connection& c) -> Result<boost::json::value> { return body(c, *caller); });
  if (!answer) return http::ErrorResponse(answer.error(), r);
  return http::Response::Json(status, *answer);
}

}  // namespace

void RegisterReviewRoutes(ModuleContext& context) {
  auto& identity = context.identity;
  auto& db = context.db;
  auto& router = context.router;

  router.Add(
      Method::kGet, "/api/v1/meetings/checklist",
      [&identity, &db](Request& r) {
        auto with_retired = FlagQuery(r, "retired");
        if (!with_retired) return http::ErrorResponse(with_retired.error(), r);
        auto caller = auth::Require(identity, db, r, kReadPermission);
        if (!caller) return http::ErrorResponse(caller.error(), r);
        auto answer = db.Read([&](db::Connection& c) -> Result<boost::json::value> {
          auto list = GetChecklist(c, *with_retired);
          if (!list) return Fail(list.error());
          return boost::json::value(std::move(*list));
        });
        if (!answer) return http::ErrorResponse(answer.error(), r);
        return http::Response::Json(200, *answer);
      },
      "审核问题清单（两审两备五查：问题类别和条目，本地设置；retired=true 含已停用条目）");
  router.Add(
      Method::kPost, "/api/v1/meetings/checklist/items",
      [&identity, &db](Request& r) {
        auto body = r.JsonBody();
        if (!body) return http::ErrorResponse(body.error(), r);
        auto input = ChecklistItemFromJson(*body);
        if (!input) return http::ErrorResponse(input.error(), r);
        return ChecklistWrite(
            identity, db, r, 201,
            [&](db::Connection& c, const auth::Principal& caller) -> Result<boost::json::value> {
              org::Change change{caller.AsActor(r.client_address), caller.account_id, "", ""};
              auto item = AddChecklistItem(c, change, *input);
              if (!item) return Fail(item.error());
              return boost::json::value(std::move(*item));
            });
      },
      "新增审核问题清单条目（类别不存在时一并新增；须有修改本地设置的权限，记入审计）");
  router.Add(
      Method::kPost, "/api/v1/meetings/checklist/items/{id}/retire",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto body = OptionalBody(r);
        if (!body) return http::ErrorResponse(body.error(), r);
        auto reason = StringField(*body, "reason", false, 600);
        if (!reason) return http::ErrorResponse(reason.error(), r);
        return ChecklistWrite(
            identity, db, r, 200,
            [&](db::Connection& c, const auth::Principal& caller) -> Result<boost::json::value> {
              org::Change change{caller.AsActor(r.client_address), caller.account_id, "",
                                 reason->value_or("")};
              auto item = RetireChecklistItem(c, change, *id);
              if (!item) return Fail(item.error());
              return boost::json::value(std::move(*item));
            });
      },
      "停用审核问题清单条目（不删除：已记录的问题仍归入该条目；记入审计）");
  router.Add(
      Method::kGet, "/api/v1/meetings/review-queue",
      [&identity, &db](Request& r) {
        ReviewQueueQuery query;
        auto org_id = http::OptionalIdQuery(r, "org");
        if (!org_id) return http::ErrorResponse(org_id.error(), r);
        query.org_id = *org_id;
        query.kind = r.QueryParam("kind").value_or("");
        auto paging = http::Paging(r, 50);
        if (!paging) return http::ErrorResponse(paging.error(), r);
        query.page = paging->first;
        query.page_size = paging->second;
        return org::ScopedRead(identity, db, r, kReviewPermission,
                               [&](ScopedCall& call) -> Result<boost::json::value> {
                                 auto page = ReviewQueue(call.connection, call.scope, query,
                                                         TodayShanghai());
                                 if (!page) return Fail(page.error());
                                 return boost::json::value(std::move(*page));
                               });
      },
      "待审核队列（本人可审核的下级组织已提交的记录，提交最早的在前，含等待天数）");
  router.Add(
      Method::kGet, "/api/v1/meetings/problems/stats",
      [&identity, &db](Request& r) {
        ProblemStatsQuery query;
        auto org_id = http::OptionalIdQuery(r, "org");
        if (!org_id) return http::ErrorResponse(org_id.error(), r);
        query.org_id = *org_id;
        query.from = r.QueryParam("from").value_or("");
        query.to = r.QueryParam("to").value_or("");
        return org::ScopedRead(
            identity, db, r, kReadPermission, [&](ScopedCall& call) -> Result<boost::json::value> {
              auto stats = ProblemStats(call.connection, call.scope, query, TodayShanghai());
              if (!stats) return Fail(stats.error());
              return boost::json::value(std::move(*stats));
            });
      },
      "审核发现问题统计（按类别和条目、按支部、按月；本人管理范围内）");
  router.Add(
      Method::kGet, "/api/v1/meetings/board",
      [&identity, &db](Request& r) {
        BoardQuery query;
        auto org_id = http::OptionalIdQuery(r, "org");
        if (!org_id) return http::ErrorResponse(org_id.error(), r);
        query.org_id = *org_id;
        query.period = r.QueryParam("period").value_or("");
        query.light = r.QueryParam("light").value_or("");
        query.duty = r.QueryParam("duty").value_or("");
        query.sort = r.QueryParam("sort").value_or("");
        auto paging = http::Paging(r, 50);
        if (!paging) return http::ErrorResponse(paging.error(), r);
        query.page = paging->first;
        query.page_size = paging->second;
        return org::ScopedRead(
            identity, db, r, kReadPermission, [&](ScopedCall& call) -> Result<boost::json::value> {
              auto board = DutyBoard(call.connection, call.scope, query, TodayShanghai());
              if (!board) return Fail(board.error());
              return boost::json::value(std::move(*board));
            });
      },
      "组织生活看板（每个支部一行、每项组织生活任务一列，红黄绿灯与预警规则一致）");
}

}  // namespace zhibu::orglife
