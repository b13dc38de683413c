//! 党员 (member registry): members with encrypted personal numbers, search by name, pinyin
//! initials, ID and phone, masked display with an audited unmask, the event timeline, status
//! changes, and subtree statistics as of a date. The HTTP contract is docs/api-org-member.md.

#include "modules/member/account_link.h"
#include "modules/member/commands.h"
#include "modules/member/demo.h"
#include "modules/member/member_store.h"
#include "modules/member/rules.h"
#include "modules/member/statistics.h"
#include "modules/member/transfer_routes.h"
#include "modules/member/transfer_store.h"
#include "modules/org/scoped_route.h"
#include "platform/json/json.h"
#include "platform/module/manifest.h"
#include "platform/util/clock.h"

namespace zhibu::modules {
namespace {

using http::Method;
using http::Request;
using org::ScopedCall;

constexpr std::string_view kRead = "member.read";
constexpr std::string_view kWrite = "member.write";
constexpr std::string_view kUnmask = "member.unmask";

void RegisterRoutes(ModuleContext& context) {
  member::InstallTreeHooks();
  auto& identity = context.identity;
  auto& db = context.db;
  const crypto::FieldCipher& cipher = context.cipher;
  auto& router = context.router;

  router.Add(
      Method::kGet, "/api/v1/members",
      [&identity, &db, &cipher](Request& r) {
        auto org_id = http::OptionalIdQuery(r, "org");
        if (!org_id) return http::ErrorResponse(org_id.error(), r);
        auto paging = http::Paging(r, 20);
        if (!paging) return http::ErrorResponse(paging.error(), r);
        member::MemberQuery query{*org_id, r.QueryParam("q").value_or(""),
                                  r.QueryParam("status").value_or(""), paging->first,
                                  paging->second};
        return org::ScopedRead(identity, db, r, kRead, [&](ScopedCall& call) -> Result<JsonText> {
          return member::ListMembers(call.connection, call.scope, cipher, query);
        });
      },
      "党员列表与查询（姓名、拼音首字母、身份证号、手机号、组织范围）");
  router.Add(
      Method::kGet, "/api/v1/members/{id}",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        return org::ScopedRead(identity, db, r, kRead,
                               [&](ScopedCall& call) -> Result<boost::json::value> {
                                 auto m = member::GetMember(call.connection, call.scope, *id);
                                 if (!m) return Fail(m.error());
                                 return boost::json::value(std::move(*m));
                               });
      },
      "党员详情（个人信息脱敏）");
  router.Add(
      Method::kGet, "/api/v1/members/{id}/events",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        return org::ScopedRead(identity, db, r, kRead,
                               [&](ScopedCall& call) -> Result<boost::json::value> {
                                 auto events = member::EventsOf(call.connection, call.scope, *id);
                                 if (!events) return Fail(events.error());
                                 return boost::json::object{{"items", std::move(*events)}};
                               });
      },
      "党员变动记录（时间线）");
  router.Add(
      Method::kPost, "/api/v1/members",
      [&identity, &db, &cipher](Request& r) {
        auto body = r.JsonBody();
        if (!body) return http::ErrorResponse(body.error(), r);
        return org::ScopedWrite(
            identity, db, r, kWrite, 201, [&](ScopedCall& call) -> Result<boost::json::value> {
              auto input = member::MemberInputFromJson(*body);
              if (!input) return Fail(input.error());
              auto prepared = member::PrepareMember(*input, TodayShanghai());
              if (!prepared) return Fail(prepared.error());
              org::Change change{call.Actor(), call.caller.account_id, prepared->event_date,
                                 input->reason};
              auto id =
                  member::CreateMember(call.connection, call.scope, cipher, change, *prepared);
              if (!id) return Fail(id.error());
              auto created = member::GetMember(call.connection, call.scope, *id);
              if (!created) return Fail(created.error());
              return boost::json::value(std::move(*created));
            });
      },
      "新增党员（发展、转入、重新入党、恢复党籍）");
  router.Add(
      Method::kPost, "/api/v1/members/{id}/unmask",
      [&identity, &db, &cipher](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto body = r.JsonBody();
        if (!body) return http::ErrorResponse(body.error(), r);
        return org::ScopedWrite(
            identity, db, r, kUnmask, 200, [&](ScopedCall& call) -> Result<boost::json::value> {
              auto reason = StringField(*body, "reason", true, 500);
              if (!reason) return Fail(reason.error());
              org::Change change{call.Actor(), call.caller.account_id, "", **reason};
              auto clear = member::UnmaskMember(call.connection, call.scope, cipher, change, *id);
              if (!clear) return Fail(clear.error());
              return boost::json::value(std::move(*clear));
            });
      },
      "查看完整身份证号和手机号（须有权限并填写事由，记入审计）");
  router.Add(
      Method::kPost, "/api/v1/members/{id}/status",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto body = r.JsonBody();
        if (!body) return http::ErrorResponse(body.error(), r);
        return org::ScopedWrite(
            identity, db, r, kWrite, 200, [&](ScopedCall& call) -> Result<boost::json::value> {
              auto status = StringField(*body, "status", true, 32);
              if (!status) return Fail(status.error());
              auto exit_kind = StringField(*body, "exit_kind", false, 32);
              if (!exit_kind) return Fail(exit_kind.error());
              auto date = StringField(*body, "date", true, 10);
              if (!date) return Fail(date.error());
              auto reason = StringField(*body, "reason", true, 1000);
              if (!reason) return Fail(reason.error());
              org::Change change{call.Actor(), call.caller.account_id, **date, **reason};
              auto changed = member::ChangeStatus(call.connection, call.scope, change, *id,
                                                  **status, exit_kind->value_or(""));
              if (!changed) return Fail(changed.error());
              return boost::json::value(std::move(*changed));
            });
      },
      "党员状态变动（转正、停止党籍、恢复党籍、出党、死亡）");
  router.Add(
      Method::kGet, "/api/v1/orgs/{id}/stats",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        std::string as_of = r.QueryParam("as_of").value_or(TodayShanghai());
        return org::ScopedRead(
            identity, db, r, kRead, [&](ScopedCall& call) -> Result<boost::json::value> {
              auto stats = member::SubtreeStatistics(call.connection, call.scope, *id, as_of);
              if (!stats) return Fail(stats.error());
              return boost::json::value(std::move(*stats));
            });
      },
      "组织（含下级）党员和组织统计（可指定统计日期）");
  member::RegisterTransferRoutes(context);
  member::RegisterMobilityRoutes(context);
  member::RegisterAccountLinkRoutes(context);
}

}  // namespace

const ModuleManifest& member_module() {
  static const ModuleManifest manifest{
      .name = "member",
      .title = "党员",
      .optional = false,
      .depends_on = {"org"},
      .migrations = [] { return db::MigrationsFromFiles("member", embedded::member_migrations()); },
      .register_routes = RegisterRoutes,
      .permissions = {{"member.read", "查看党员信息（脱敏）"},
                      {"member.write", "维护党员信息"},
                      {"member.unmask", "查看完整身份证号和手机号"},
                      {"member.transfer_approve", "审批组织关系转接、开具介绍信（基层党委）"},
                      {std::string(member::kLinkAccountPermission),
                       "将账号关联到党员本人（党员签到、请假等自助操作）"}},
      .role_permissions =
          {{"org_department_admin",
            {"member.read", "member.write", "member.unmask", "member.transfer_approve",
             std::string(member::kLinkAccountPermission)}},
           {"party_committee_secretary",
            {"member.read", "member.write", "member.unmask", "member.transfer_approve"}},
           {"branch_secretary", {"member.read", "member.write"}},
           {"organising_member", {"member.read", "member.write"}}},
      .encrypted_columns = {{"member", "id", "id_number_cipher", "id_number_index"},
                            {"member", "id", "phone_cipher", "phone_index"}},
      .settings = {{.key = std::string(member::kLetterValiditySetting),
                    .title = "组织关系介绍信有效期",
                    .unit = "天",
                    .default_value = 90,
                    .min = 7,
                    .max = 183,
                    .source = "本地做法：介绍信有效期通常市内约10天、市外约30天、最长不超过3个月"
                              "（常见说法，未见中央文件原文，见 rules.md §5 介绍信）"},
                   {.key = std::string(member::kTransferPendingSetting),
                    .title = "组织关系转接办理时限提醒",
                    .unit = "天",
                    .default_value = 30,
                    .min = 3,
                    .max = 183,
                    .source = "本地做法：转接提出后超过此天数仍未办结的给出预警"}},
      .rules = member::RegistryRules(),
      .periodic_tasks = {},
      .register_commands = member::RegisterCommands,
      .load_demo = member::LoadDemoCounty,
  };
  return manifest;
}

}  // namespace zhibu::modules
