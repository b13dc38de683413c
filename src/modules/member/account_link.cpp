#include "modules/member/account_link.h"

#include "modules/org/scoped_route.h"
#include "platform/json/json.h"

namespace zhibu::member {
namespace {

//! A member who may hold an account: a current member (正式 or 预备, still in the deployment).
constexpr std::string_view kLinkableMember =
    "SELECT m.id, m.name, m.org_id, o.name FROM member m JOIN organisation o ON o.id = m.org_id "
    "WHERE m.id = $1 AND m.departed_on IS NULL AND m.status IN ('full', 'probationary') AND ";
//! The member an account is linked to, inside the scope (any status).
constexpr std::string_view kLinkedMember =
    "SELECT m.id, m.name, m.org_id, o.name FROM member m JOIN organisation o ON o.id = m.org_id "
    "WHERE m.id = $1 AND ";

//! The member `id` as `{id, name, org_id, org_name}` when `sql` finds it inside `scope`.
Result<std::optional<boost::json::object>> MemberIn(db::Connection& c,
                                                    const org::SubtreeScope& scope,
                                                    std::string_view sql, std::int64_t id) {
  std::vector<db::Value> params{id};
  std::string query = std::string(sql) + scope.Condition("m.org_path", params);
  auto rows = c.Query(query, std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return std::optional<boost::json::object>();
  return std::optional<boost::json::object>(boost::json::object{{"id", rows->Int(0, 0)},
                                                                {"name", rows->Text(0, 1)},
                                                                {"org_id", rows->Int(0, 2)},
                                                                {"org_name", rows->Text(0, 3)}});
}

}  // namespace

Result<boost::json::object> LinkAccountToMember(db::Connection& c, auth::IdentityService& identity,
                                                const org::SubtreeScope& scope,
                                                const audit::Actor& actor, std::int64_t account_id,
                                                std::optional<std::int64_t> member_id) {
  auto account = identity.GetAccount(c, account_id);
  if (!account) return Fail(account.error());
  if (account->member_id) {
    // Someone else's member: not this administrator's account to change.
    auto current = MemberIn(c, scope, kLinkedMember, *account->member_id);
    if (!current) return Fail(current.error());
    if (!*current) return Fail(Error::NotFound("account.not_found", "账号不存在"));
  }
  std::optional<boost::json::object> member;
  if (member_id) {
    auto found = MemberIn(c, scope, kLinkableMember, *member_id);
    if (!found) return Fail(found.error());
    if (!*found) {
      return Fail(Error::Invalid("account.member_unknown",
                                 "党员不存在、已不在党员队伍中或不在您的管理范围内", "member_id"));
    }
    member = std::move(*found);
  }
  auto linked = identity.LinkMember(c, actor, account_id, member_id);
  if (!linked) return Fail(linked.error());
  boost::json::object out{
      {"id", linked->id}, {"username", linked->username}, {"display_name", linked->display_name}};
  out["member"] = member ? boost::json::value(std::move(*member)) : boost::json::value(nullptr);
  return out;
}

void RegisterAccountLinkRoutes(ModuleContext& context) {
  auto& identity = context.identity;
  auto& db = context.db;
  context.router.Add(
      http::Method::kPut, "/api/v1/accounts/{id}/member",
      [&identity, &db](http::Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        // The permission first: a caller without it learns nothing from the body's checks.
        return org::ScopedWrite(
            identity, db, r, kLinkAccountPermission, 200,
            [&](org::ScopedCall& call) -> Result<boost::json::value> {
              auto body = r.JsonBody();
              if (!body) return Fail(body.error());
              if (!body->is_object() || !body->as_object().contains("member_id")) {
                return Fail(Error::Invalid("request.field_missing",
                                           "请提供 member_id（党员编号；null 表示解除关联）",
                                           "member_id"));
              }
              auto member_id = IntField(*body, "member_id", false);
              if (!member_id) return Fail(member_id.error());
              auto linked = LinkAccountToMember(call.connection, identity, call.scope, call.Actor(),
                                                *id, *member_id);
              if (!linked) return Fail(linked.error());
              return boost::json::value(std::move(*linked));
            });
      },
      "将账号关联到本人管理范围内的党员（组织部管理员；member_id 为 null 时解除；用于党员本人签到、"
      "请假）");
}

}  // namespace zhibu::member
