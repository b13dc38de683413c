#include "modules/orglife/routes.h"

#include "modules/org/scoped_route.h"
#include "modules/orglife/attachments.h"
#include "modules/orglife/checkin.h"
#include "modules/orglife/meeting_store.h"
#include "modules/orglife/vocabulary.h"
#include "platform/json/json.h"

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

org::Change ChangeOf(const ScopedCall& call, std::string reason) {
  return org::Change{call.Actor(), call.caller.account_id, "", std::move(reason)};
}

//! `POST /api/v1/meetings/{id}/<action>` with a body `{reason?}`, answering the record.
template <class Action>
void AddAction(ModuleContext& context, const std::string& action, std::string_view permission,
               bool reason_required, std::string summary, Action run) {
  auto& identity = context.identity;
  auto& db = context.db;
  context.router.Add(
      Method::kPost, "/api/v1/meetings/{id}/" + action,
      [&identity, &db, permission, reason_required, run](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto body = OptionalBody(r);
        if (!body) return http::ErrorResponse(body.error(), r);
        return org::ScopedWrite(
            identity, db, r, permission, 200, [&](ScopedCall& call) -> Result<boost::json::value> {
              auto reason = StringField(*body, "reason", reason_required, 600);
              if (!reason) return Fail(reason.error());
              auto done = run(call, *body, ChangeOf(call, reason->value_or("")), *id);
              if (!done) return Fail(done.error());
              // The record as the caller may read it.
              auto read = org::SubtreeScope::For(call.connection, call.caller, kReadPermission);
              if (!read) return Fail(read.error());
              auto record = GetMeeting(call.connection, *read, *id);
              if (!record) return Fail(record.error());
              return boost::json::value(std::move(*record));
            });
      },
      std::move(summary));
}

boost::json::array TermList(std::span<const Term> terms) {
  boost::json::array out;
  for (const auto& t : terms) out.push_back(boost::json::object{{"id", t.id}, {"title", t.title}});
  return out;
}

}  // namespace

void RegisterRoutes(ModuleContext& context) {
  auto& identity = context.identity;
  auto& db = context.db;
  auto& router = context.router;

  router.Add(
      Method::kGet, "/api/v1/meetings",
      [&identity, &db](Request& r) {
        MeetingQuery query;
        auto org_id = http::OptionalIdQuery(r, "org");
        if (!org_id) return http::ErrorResponse(org_id.error(), r);
        query.org_id = *org_id;
        query.kind = r.QueryParam("kind").value_or("");
        query.status = r.QueryParam("status").value_or("");
        query.from = r.QueryParam("from").value_or("");
        query.to = r.QueryParam("to").value_or("");
        auto paging = http::Paging(r, 50);
        if (!paging) return http::ErrorResponse(paging.error(), r);
        query.page = paging->first;
        query.page_size = paging->second;
        return org::ScopedRead(identity, db, r, kReadPermission,
                               [&](ScopedCall& call) -> Result<boost::json::value> {
                                 auto page = ListMeetings(call.connection, call.scope, query);
                                 if (!page) return Fail(page.error());
                                 return boost::json::value(std::move(*page));
                               });
      },
      "组织生活记录列表（本人管理范围内；可按组织、类型、状态、日期筛选，待审核即 "
      "status=submitted）");
  router.Add(
      Method::kGet, "/api/v1/meetings/vocabulary",
      [&identity](Request& r) {
        auto caller = auth::RequireSignedIn(identity, r, kReadPermission);
        if (!caller) return http::ErrorResponse(caller.error(), r);
        boost::json::array kinds;
        for (const auto& k : Kinds()) {
          boost::json::array org_kinds;
          for (auto o : k.org_kinds) org_kinds.push_back(boost::json::value(o));
          kinds.push_back(boost::json::object{{"id", k.id},
                                              {"title", k.title},
                                              {"org_kinds", std::move(org_kinds)},
                                              {"votes", k.votes}});
        }
        return http::Response::Json(
            200, boost::json::object{{"kinds", std::move(kinds)},
                                     {"statuses", TermList(Statuses())},
                                     {"attendance_statuses", TermList(AttendanceStatuses())},
                                     {"roles", TermList(Roles())},
                                     {"no_vote_reasons", TermList(NoVoteReasons())}});
      },
      "组织生活类型、记录状态、出席情况等取值");
  router.Add(
      Method::kPost, "/api/v1/meetings",
      [&identity, &db](Request& r) {
        auto body = r.JsonBody();
        if (!body) return http::ErrorResponse(body.error(), r);
        auto input = MeetingInputFromJson(*body);
        if (!input) return http::ErrorResponse(input.error(), r);
        return org::ScopedWrite(identity, db, r, kWritePermission, 201,
                                [&](ScopedCall& call) -> Result<boost::json::value> {
                                  auto id = CreateMeeting(call.connection, call.scope,
                                                          ChangeOf(call, ""), *input);
                                  if (!id) return Fail(id.error());
                                  auto record = GetMeeting(call.connection, call.scope, *id);
                                  if (!record) return Fail(record.error());
                                  return boost::json::value(std::move(*record));
                                });
      },
      "新建组织生活记录（草稿；应到人员按当日组织关系自动生成）");
  router.Add(
      Method::kGet, "/api/v1/meetings/{id}",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        return org::ScopedRead(identity, db, r, kReadPermission,
                               [&](ScopedCall& call) -> Result<boost::json::value> {
                                 auto record = GetMeeting(call.connection, call.scope, *id);
                                 if (!record) return Fail(record.error());
                                 return boost::json::value(std::move(*record));
                               });
      },
      "组织生活记录详情（出席、列席、表决结果、审核意见、更正关系）");
  router.Add(
      Method::kPatch, "/api/v1/meetings/{id}",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto body = r.JsonBody();
        if (!body) return http::ErrorResponse(body.error(), r);
        auto patch = MeetingInputFromJson(*body);
        if (!patch) return http::ErrorResponse(patch.error(), r);
        return org::ScopedWrite(identity, db, r, kWritePermission, 200,
                                [&](ScopedCall& call) -> Result<boost::json::value> {
                                  auto done = UpdateMeeting(call.connection, call.scope,
                                                            ChangeOf(call, ""), *id, *patch);
                                  if (!done) return Fail(done.error());
                                  auto record = GetMeeting(call.connection, call.scope, *id);
                                  if (!record) return Fail(record.error());
                                  return boost::json::value(std::move(*record));
                                });
      },
      "修改组织生活记录（仅草稿和退回的记录；已通过、已归档的记录以更正记录更正）");
  AddAction(context, "submit", kWritePermission, false, "提交上级党组织审核",
            [](ScopedCall& call, const boost::json::value&, const org::Change& change,
               std::int64_t id) { return SubmitMeeting(call.connection, call.scope, change, id); });
  AddAction(
      context, "withdraw", kWritePermission, true, "撤回草稿或退回的记录（须说明原因；记录保留）",
      [](ScopedCall& call, const boost::json::value&, const org::Change& change, std::int64_t id) {
        return WithdrawMeeting(call.connection, call.scope, change, id);
      });
  AddAction(
      context, "review", kReviewPermission, false,
      "上级党组织审核：通过（accept）或退回（return，须选择问题清单条目或说明理由）",
      [](ScopedCall& call, const boost::json::value& body, const org::Change& change,
         std::int64_t id) -> Result<void> {
        auto decision = StringField(body, "decision", true, 16);
        if (!decision) return Fail(decision.error());
        std::vector<std::string> reasons;
        if (const auto* list = body.as_object().if_contains("reasons");
            list != nullptr && !list->is_null()) {
          if (!list->is_array()) {
            return Fail(Error::Invalid("request.field_type", "字段 reasons 应为数组", "reasons"));
          }
          for (std::size_t i = 0; i < list->get_array().size(); ++i) {
            const auto& item = list->get_array()[i];
            if (!item.is_string()) {
              return Fail(Error::Invalid("request.field_type", "退回理由应为字符串",
                                         "reasons[" + std::to_string(i) + "]"));
            }
            reasons.emplace_back(item.get_string());
          }
        }
        auto problems = ProblemsFromJson(body);
        if (!problems) return Fail(problems.error());
        return ReviewMeeting(call.connection, call.scope, change, id, **decision, reasons,
                             *problems);
      });
  AddAction(
      context, "archive", kReviewPermission, false, "归档审核通过的记录",
      [](ScopedCall& call, const boost::json::value&, const org::Change& change, std::int64_t id) {
        return ArchiveMeeting(call.connection, call.scope, change, id);
      });
  router.Add(
      Method::kPost, "/api/v1/meetings/{id}/corrections",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto body = r.JsonBody();
        if (!body) return http::ErrorResponse(body.error(), r);
        return org::ScopedWrite(identity, db, r, kWritePermission, 201,
                                [&](ScopedCall& call) -> Result<boost::json::value> {
                                  auto reason = StringField(*body, "reason", true, 600);
                                  if (!reason) return Fail(reason.error());
                                  auto copy = CorrectMeeting(call.connection, call.scope,
                                                             ChangeOf(call, **reason), *id);
                                  if (!copy) return Fail(copy.error());
                                  auto record = GetMeeting(call.connection, call.scope, *copy);
                                  if (!record) return Fail(record.error());
                                  return boost::json::value(std::move(*record));
                                });
      },
      "更正已通过或已归档的记录：新建与原记录关联的更正记录（草稿，须说明原因，记入审计）");
  RegisterCheckinRoutes(context);
  RegisterAttachmentRoutes(context);
  RegisterReviewRoutes(context);
}

}  // namespace zhibu::orglife
