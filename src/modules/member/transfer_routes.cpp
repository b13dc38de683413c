#include "modules/member/transfer_routes.h"

#include "modules/member/member_store.h"
#include "modules/member/transfer_store.h"
#include "modules/org/scoped_route.h"
#include "platform/json/json.h"

namespace zhibu::member {
namespace {

using http::Method;
using http::Request;
using org::ScopedCall;

constexpr std::string_view kRead = "member.read";
constexpr std::string_view kWrite = "member.write";
constexpr std::string_view kApprove = "member.transfer_approve";

//! The step of `call` from a body `{note?, date?}`.
Result<TransferStep> StepFrom(const ScopedCall& call, const boost::json::value& body) {
  if (!body.is_object()) {
    return Fail(Error::Invalid("request.body_not_object", "请求体应为 JSON 对象", ""));
  }
  auto note = StringField(body, "note", false, 1000);
  if (!note) return Fail(note.error());
  auto date = StringField(body, "date", false, 10);
  if (!date) return Fail(date.error());
  std::string by =
      call.caller.display_name.empty() ? call.caller.username : call.caller.display_name;
  return TransferStep{
      {call.Actor(), call.caller.account_id, date->value_or(""), note->value_or("")}, by};
}

//! `POST /api/v1/transfers/{id}/<action>` for one of the four steps.
template <class Action>
void AddStepRoute(ModuleContext& context, std::string action, std::string summary, Action run) {
  auto& identity = context.identity;
  auto& db = context.db;
  context.router.Add(
      Method::kPost, "/api/v1/transfers/{id}/" + action,
      [&identity, &db, run](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto body =
            r.body.empty() ? Result<boost::json::value>(boost::json::object{}) : r.JsonBody();
        if (!body) return http::ErrorResponse(body.error(), r);
        return org::ScopedWrite(
            identity, db, r, kWrite, 200, [&](ScopedCall& call) -> Result<boost::json::value> {
              auto step = StepFrom(call, *body);
              if (!step) return Fail(step.error());
              auto approve = org::SubtreeScope::For(call.connection, call.caller, kApprove);
              if (!approve) return Fail(approve.error());
              TransferScopes scopes{call.scope, *approve};
              auto done = run(call.connection, scopes, *step, *id);
              if (!done) return Fail(done.error());
              return boost::json::value(std::move(*done));
            });
      },
      std::move(summary));
}

}  // namespace

void RegisterTransferRoutes(ModuleContext& context) {
  auto& identity = context.identity;
  auto& db = context.db;
  const crypto::FieldCipher& cipher = context.cipher;
  auto& router = context.router;

  router.Add(
      Method::kGet, "/api/v1/transfers",
      [&identity, &db](Request& r) {
        TransferQuery query;
        auto org_id = http::OptionalIdQuery(r, "org");
        if (!org_id) return http::ErrorResponse(org_id.error(), r);
        query.org_id = *org_id;
        auto member_id = http::OptionalIdQuery(r, "member");
        if (!member_id) return http::ErrorResponse(member_id.error(), r);
        query.member_id = *member_id;
        query.status = r.QueryParam("status").value_or("");
        query.direction = r.QueryParam("direction").value_or("");
        auto paging = http::Paging(r, 50);
        if (!paging) return http::ErrorResponse(paging.error(), r);
        query.page = paging->first;
        query.page_size = paging->second;
        return org::ScopedRead(identity, db, r, kRead,
                               [&](ScopedCall& call) -> Result<boost::json::value> {
                                 auto page = ListTransfers(call.connection, call.scope, query);
                                 if (!page) return Fail(page.error());
                                 return boost::json::value(std::move(*page));
                               });
      },
      "组织关系转接列表（转出或转入方在本人管理范围内）");
  router.Add(
      Method::kPost, "/api/v1/transfers",
      [&identity, &db, &cipher](Request& r) {
        auto body = r.JsonBody();
        if (!body) return http::ErrorResponse(body.error(), r);
        auto request = TransferRequestFromJson(*body);
        if (!request) return http::ErrorResponse(request.error(), r);
        return org::ScopedWrite(
            identity, db, r, kWrite, 201, [&](ScopedCall& call) -> Result<boost::json::value> {
              std::string by = call.caller.display_name.empty() ? call.caller.username
                                                                : call.caller.display_name;
              TransferStep step{{call.Actor(), call.caller.account_id, "", request->reason}, by};
              auto t = RequestTransfer(call.connection, call.scope, cipher, step, *request);
              if (!t) return Fail(t.error());
              return boost::json::value(std::move(*t));
            });
      },
      "发起组织关系转接（系统内、转出本系统，或登记从系统外转入）");
  router.Add(
      Method::kGet, "/api/v1/transfers/{id}",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        return org::ScopedRead(identity, db, r, kRead,
                               [&](ScopedCall& call) -> Result<boost::json::value> {
                                 auto t = GetTransfer(call.connection, call.scope, *id);
                                 if (!t) return Fail(t.error());
                                 return boost::json::value(std::move(*t));
                               });
      },
      "组织关系转接详情（含办理步骤）");
  router.Add(
      Method::kGet, "/api/v1/transfers/{id}/letter",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto caller = auth::Require(identity, db, r, kRead);
        if (!caller) return http::ErrorResponse(caller.error(), r);
        auto html = db.Read([&](db::Connection& c) -> Result<std::string> {
          auto scope = org::SubtreeScope::For(c, *caller, kRead);
          if (!scope) return Fail(scope.error());
          return TransferLetterHtml(c, *scope, *id);
        });
        if (!html) return http::ErrorResponse(html.error(), r);
        http::Response response;
        response.content_type = "text/html; charset=utf-8";
        response.body = std::move(*html);
        // The letter is a page of its own with an inline print style and nothing else.
        response.AddHeader("Content-Security-Policy",
                           "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
        return response;
      },
      "打印党员组织关系介绍信（含回执）");
  AddStepRoute(context, "approve", "转出方基层党委审批并开具介绍信", ApproveTransfer);
  AddStepRoute(context, "receive", "接收方办理接收（系统外转出时登记回执）", ReceiveTransfer);
  AddStepRoute(context, "reject", "退回转接（须说明理由）", RejectTransfer);
  AddStepRoute(context, "cancel", "转出方撤销转接", CancelTransfer);
}

void RegisterMobilityRoutes(ModuleContext& context) {
  auto& identity = context.identity;
  auto& db = context.db;
  const crypto::FieldCipher& cipher = context.cipher;
  auto& router = context.router;

  router.Add(
      Method::kPatch, "/api/v1/members/{id}",
      [&identity, &db, &cipher](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto body = r.JsonBody();
        if (!body) return http::ErrorResponse(body.error(), r);
        if (!body->is_object()) {
          return http::ErrorResponse(
              Error::Invalid("request.body_not_object", "请求体应为 JSON 对象", ""), r);
        }
        return org::ScopedWrite(
            identity, db, r, kWrite, 200, [&](ScopedCall& call) -> Result<boost::json::value> {
              auto reason = StringField(*body, "reason", false, 1000);
              if (!reason) return Fail(reason.error());
              boost::json::object fields = body->as_object();
              fields.erase("reason");
              org::Change change{call.Actor(), call.caller.account_id, "", reason->value_or("")};
              auto m = UpdateMember(call.connection, call.scope, cipher, change, *id, fields);
              if (!m) return Fail(m.error());
              return boost::json::value(std::move(*m));
            });
      },
      "更正党员基本信息（姓名、民族、学历、手机号等；记入审计）");
  router.Add(
      Method::kPost, "/api/v1/members/{id}/mobility",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto body = r.JsonBody();
        if (!body) return http::ErrorResponse(body.error(), r);
        return org::ScopedWrite(
            identity, db, r, kWrite, 200, [&](ScopedCall& call) -> Result<boost::json::value> {
              auto away = StringField(*body, "away_since", true, 10);
              if (!away) return Fail(away.error());
              auto destination = StringField(*body, "destination", true, 400);
              if (!destination) return Fail(destination.error());
              auto attached = IntField(*body, "attached_org_id", false);
              if (!attached) return Fail(attached.error());
              auto reason = StringField(*body, "reason", false, 1000);
              if (!reason) return Fail(reason.error());
              if (away->value_or("").empty()) {
                return Fail(
                    Error::Invalid("member.away_since_missing", "请填写外出日期", "away_since"));
              }
              org::Change change{call.Actor(), call.caller.account_id, "", reason->value_or("")};
              Mobility mobility{**away, **destination, *attached};
              auto m = SetMobility(call.connection, call.scope, change, *id, mobility);
              if (!m) return Fail(m.error());
              return boost::json::value(std::move(*m));
            });
      },
      "流动党员登记（外出日期、流入地、流入地党支部）");
  router.Add(
      Method::kPost, "/api/v1/members/{id}/mobility/end",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto body = r.JsonBody();
        if (!body) return http::ErrorResponse(body.error(), r);
        return org::ScopedWrite(
            identity, db, r, kWrite, 200, [&](ScopedCall& call) -> Result<boost::json::value> {
              auto date = StringField(*body, "date", false, 10);
              if (!date) return Fail(date.error());
              auto reason = StringField(*body, "reason", false, 1000);
              if (!reason) return Fail(reason.error());
              org::Change change{call.Actor(), call.caller.account_id, date->value_or(""),
                                 reason->value_or("")};
              auto m = SetMobility(call.connection, call.scope, change, *id, Mobility{});
              if (!m) return Fail(m.error());
              return boost::json::value(std::move(*m));
            });
      },
      "流动党员返回");
  router.Add(
      Method::kPost, "/api/v1/members/{id}/lost-contact",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto body = r.JsonBody();
        if (!body) return http::ErrorResponse(body.error(), r);
        return org::ScopedWrite(
            identity, db, r, kWrite, 200, [&](ScopedCall& call) -> Result<boost::json::value> {
              auto since = StringField(*body, "since", true, 10);
              if (!since) return Fail(since.error());
              auto reason = StringField(*body, "reason", true, 1000);
              if (!reason) return Fail(reason.error());
              if (since->value_or("").empty()) {
                return Fail(Error::Invalid("member.since_missing", "请填写失联日期", "since"));
              }
              org::Change change{call.Actor(), call.caller.account_id, "", **reason};
              auto m = SetLostContact(call.connection, call.scope, change, *id, **since);
              if (!m) return Fail(m.error());
              return boost::json::value(std::move(*m));
            });
      },
      "登记失去联系党员");
  router.Add(
      Method::kPost, "/api/v1/members/{id}/lost-contact/end",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto body = r.JsonBody();
        if (!body) return http::ErrorResponse(body.error(), r);
        return org::ScopedWrite(
            identity, db, r, kWrite, 200, [&](ScopedCall& call) -> Result<boost::json::value> {
              auto date = StringField(*body, "date", false, 10);
              if (!date) return Fail(date.error());
              auto reason = StringField(*body, "reason", false, 1000);
              if (!reason) return Fail(reason.error());
              org::Change change{call.Actor(), call.caller.account_id, date->value_or(""),
                                 reason->value_or("")};
              auto m = SetLostContact(call.connection, call.scope, change, *id, "");
              if (!m) return Fail(m.error());
              return boost::json::value(std::move(*m));
            });
      },
      "失联党员恢复联系");
  router.Add(
      Method::kPost, "/api/v1/members/{id}/party-probation",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto body = r.JsonBody();
        if (!body) return http::ErrorResponse(body.error(), r);
        return org::ScopedWrite(
            identity, db, r, kWrite, 200, [&](ScopedCall& call) -> Result<boost::json::value> {
              auto since = StringField(*body, "since", true, 10);
              if (!since) return Fail(since.error());
              auto reason = StringField(*body, "reason", true, 1000);
              if (!reason) return Fail(reason.error());
              if (since->value_or("").empty()) {
                return Fail(
                    Error::Invalid("member.since_missing", "请填写留党察看开始日期", "since"));
              }
              org::Change change{call.Actor(), call.caller.account_id, "", **reason};
              auto m = SetPartyProbation(call.connection, call.scope, change, *id, **since);
              if (!m) return Fail(m.error());
              return boost::json::value(std::move(*m));
            });
      },
      "登记留党察看处分（察看期间没有表决权、选举权和被选举权）");
  router.Add(
      Method::kPost, "/api/v1/members/{id}/party-probation/end",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto body = r.JsonBody();
        if (!body) return http::ErrorResponse(body.error(), r);
        return org::ScopedWrite(
            identity, db, r, kWrite, 200, [&](ScopedCall& call) -> Result<boost::json::value> {
              auto date = StringField(*body, "date", false, 10);
              if (!date) return Fail(date.error());
              auto reason = StringField(*body, "reason", true, 1000);
              if (!reason) return Fail(reason.error());
              org::Change change{call.Actor(), call.caller.account_id, date->value_or(""),
                                 **reason};
              auto m = SetPartyProbation(call.connection, call.scope, change, *id, "");
              if (!m) return Fail(m.error());
              return boost::json::value(std::move(*m));
            });
      },
      "留党察看期满，恢复党员权利");
  router.Add(
      Method::kGet, "/api/v1/orgs/{id}/attached-members",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        return org::ScopedRead(identity, db, r, kRead,
                               [&](ScopedCall& call) -> Result<boost::json::value> {
                                 auto items = AttachedMembers(call.connection, call.scope, *id);
                                 if (!items) return Fail(items.error());
                                 return boost::json::object{{"items", std::move(*items)}};
                               });
      },
      "在本支部参加组织生活的流入党员（双重组织生活）");
}

}  // namespace zhibu::member
