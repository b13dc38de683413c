#include "platform/auth/auth_routes.h"

#include <charconv>

#include "platform/audit/audit_trail.h"
#include "platform/auth/roles.h"
#include "platform/http/params.h"
#include "platform/json/json.h"

namespace zhibu::auth {
namespace {

using http::Method;
using http::Request;
using http::Response;

using http::IdParam;
using http::Paging;

Response Error(const zhibu::Error& e, const Request& r) { return http::ErrorResponse(e, r); }

Response LogInRoute(IdentityService& identity, Request& r) {
  auto body = r.JsonBody();
  if (!body) return Error(body.error(), r);
  auto username = StringField(*body, "username", true, 64);
  if (!username) return Error(username.error(), r);
  auto password = StringField(*body, "password", true, 256);
  if (!password) return Error(password.error(), r);
  auto totp = StringField(*body, "totp_code", false, 16);
  if (!totp) return Error(totp.error(), r);
  auto login = identity.LogIn(**username, **password, totp->value_or(""), r.client_address);
  if (!login) return Error(login.error(), r);
  Response response =
      Response::Json(200, boost::json::object{{"account", login->principal.ToJson()}});
  response.AddHeader("Set-Cookie", identity.SessionCookie(login->token));
  return response;
}

}  // namespace

Result<Principal> Require(IdentityService& identity, db::Database& db, const Request& request,
                          std::string_view permission) {
  auto principal = identity.Authenticate(request);
  if (!principal) return Fail(principal.error());
  if (!principal->Can(permission)) {
    (void)audit::AppendAlone(db, {principal->AsActor(request.client_address),
                                  std::string(permission),
                                  std::string(request.path),
                                  "denied",
                                  {{"method", http::MethodName(request.method)}}});
    return Fail(Forbidden());
  }
  return principal;
}

zhibu::Error Forbidden() {
  return zhibu::Error{ErrorKind::kPermissionDenied, "auth.forbidden", "没有执行此操作的权限", "",
                      "GB/T 22239-2019 8.1.4.2 最小权限"};
}

Result<void> RecordRequire(IdentityService& identity, db::Database& db, const Request& request,
                           std::string_view permission, const Principal& caller) {
  if (!caller.Can(permission)) {
    (void)audit::AppendAlone(db, {caller.AsActor(request.client_address),
                                  std::string(permission),
                                  std::string(request.path),
                                  "denied",
                                  {{"method", http::MethodName(request.method)}}});
  }
  return identity.Touch(caller);
}

Result<Principal> RequireSignedIn(IdentityService& identity, const Request& request,
                                  std::string_view token_scope) {
  auto principal = identity.Authenticate(request);
  if (!principal) return Fail(principal.error());
  if (principal->token_id != 0 && !principal->Can(token_scope)) {
    return Fail(zhibu::Error{ErrorKind::kPermissionDenied, "auth.forbidden",
                             "API 令牌的权限范围不含 " + std::string(token_scope), "", ""});
  }
  return principal;
}

//! The `scopes` array of a token request: strings, at most 50.
Result<std::vector<std::string>> ScopesField(const boost::json::value& body) {
  const auto* object = body.if_object();
  const auto* value = object != nullptr ? object->if_contains("scopes") : nullptr;
  if (value == nullptr || !value->is_array() || value->get_array().size() > 50) {
    return Fail(zhibu::Error::Invalid("request.field_type", "scopes 应为权限名称的数组", "scopes"));
  }
  std::vector<std::string> out;
  for (const auto& item : value->get_array()) {
    if (!item.is_string() || item.get_string().size() > 64) {
      return Fail(
          zhibu::Error::Invalid("request.field_type", "scopes 应为权限名称的数组", "scopes"));
    }
    out.emplace_back(item.get_string());
  }
  return out;
}

//! The filters of GET /api/v1/audit into `query`: `action` (a prefix), `actor`, `target` (an
//! exact object such as `member:42`), `result`, and the time range `from`/`to` (inclusive,
//! Asia/Shanghai). Each at most 200 bytes; a malformed one is a 400 naming it.
Result<void> AuditFilters(const Request& r, audit::Query& query) {
  for (auto [name, into] :
       {std::pair{"action", &query.action_prefix}, std::pair{"actor", &query.actor},
        std::pair{"target", &query.target}, std::pair{"result", &query.result}}) {
    *into = r.QueryParam(name).value_or("");
    if (into->size() > 200) {
      return Fail(zhibu::Error::Invalid("audit.filter_too_long",
                                        std::string(name) + " 不超过 200 字节", name));
    }
  }
  if (!query.result.empty() && !audit::IsEventResult(query.result)) {
    return Fail(zhibu::Error::Invalid("audit.result_invalid",
                                      "result 应为 success、failure 或 denied", "result"));
  }
  for (auto [name, upper, into] :
       {std::tuple{"from", false, &query.from}, std::tuple{"to", true, &query.to}}) {
    std::string text = r.QueryParam(name).value_or("");
    if (text.empty()) continue;
    auto bound = audit::TimeBound(text, upper, name);
    if (!bound) return Fail(bound.error());
    *into = *bound;
  }
  return {};
}

//! A route for holders of `permission`: checks it (audited when refused), then runs `body`.
template <class Body>
http::Handler Guarded(IdentityService& identity, db::Database& db, std::string_view permission,
                      Body body) {
  return [&identity, &db, permission, body](Request& r) -> Response {
    auto caller = Require(identity, db, r, permission);
    if (!caller) return Error(caller.error(), r);
    return body(*caller, r);
  };
}

//! As `Guarded`, for a route with an `{id}` capture (a malformed id is a 404).
template <class Body>
http::Handler GuardedById(IdentityService& identity, db::Database& db, std::string_view permission,
                          Body body) {
  return Guarded(identity, db, permission, [body](const Principal& caller, Request& r) {
    auto id = IdParam(r, "id");
    if (!id) return Error(id.error(), r);
    return body(caller, *id, r);
  });
}

void RegisterAuthRoutes(http::Router& router, IdentityService& identity, db::Database& db) {
  router.Add(
      Method::kPost, "/api/v1/auth/login",
      [&identity](Request& r) { return LogInRoute(identity, r); }, "登录");

  auto logout = [&identity](bool everywhere) {
    return [&identity, everywhere](Request& r) {
      auto p = identity.Authenticate(r, /*allow_pending_setup=*/true);
      if (!p) return Error(p.error(), r);
      if (auto ok = identity.LogOut(*p, everywhere, r.client_address); !ok)
        return Error(ok.error(), r);
      Response response = Response::Json(200, boost::json::object{{"logged_out", true}});
      response.AddHeader("Set-Cookie", identity.ClearedSessionCookie());
      return response;
    };
  };
  router.Add(Method::kPost, "/api/v1/auth/logout", logout(false), "退出登录");
  router.Add(Method::kPost, "/api/v1/auth/logout-all", logout(true), "在所有设备上退出登录");

  router.Add(
      Method::kGet, "/api/v1/me",
      [&identity](Request& r) {
        auto p = identity.Authenticate(r, /*allow_pending_setup=*/true);
        if (!p) return Error(p.error(), r);
        return Response::Json(200, p->ToJson());
      },
      "当前登录账号");

  router.Add(
      Method::kPost, "/api/v1/me/password",
      [&identity](Request& r) {
        auto p = identity.Authenticate(r, /*allow_pending_setup=*/true);
        if (!p) return Error(p.error(), r);
        auto body = r.JsonBody();
        if (!body) return Error(body.error(), r);
        auto current = StringField(*body, "current_password", true, 256);
        if (!current) return Error(current.error(), r);
        auto replacement = StringField(*body, "new_password", true, 256);
        if (!replacement) return Error(replacement.error(), r);
        auto ok = identity.ChangePassword(*p, **current, **replacement, r.client_address);
        if (!ok) return Error(ok.error(), r);
        return Response::Json(200, boost::json::object{{"changed", true}});
      },
      "修改本人密码");

  router.Add(
      Method::kPost, "/api/v1/me/totp/enrol",
      [&identity](Request& r) {
        auto p = identity.Authenticate(r, /*allow_pending_setup=*/true);
        if (!p) return Error(p.error(), r);
        auto enrolment = identity.BeginTotpEnrolment(*p, r.client_address);
        if (!enrolment) return Error(enrolment.error(), r);
        return Response::Json(200, boost::json::object{{"secret", enrolment->secret},
                                                       {"otpauth_uri", enrolment->uri}});
      },
      "开始绑定身份验证器（返回密钥与 otpauth 链接）");

  router.Add(
      Method::kPost, "/api/v1/me/totp/confirm",
      [&identity](Request& r) {
        auto p = identity.Authenticate(r, /*allow_pending_setup=*/true);
        if (!p) return Error(p.error(), r);
        auto body = r.JsonBody();
        if (!body) return Error(body.error(), r);
        auto code = StringField(*body, "code", true, 16);
        if (!code) return Error(code.error(), r);
        if (auto ok = identity.ConfirmTotpEnrolment(*p, **code, r.client_address); !ok) {
          return Error(ok.error(), r);
        }
        return Response::Json(200, boost::json::object{{"enabled", true}});
      },
      "确认绑定身份验证器（提交一次动态口令）");

  router.Add(
      Method::kGet, "/api/v1/roles",
      [&identity](Request& r) {
        auto p = identity.Authenticate(r);
        if (!p) return Error(p.error(), r);
        boost::json::array roles;
        for (const auto& role : AllRoles()) {
          roles.push_back({{"id", role.id},
                           {"title", role.title},
                           {"separated_admin", role.separated_admin},
                           {"needs_organisation", role.needs_organisation}});
        }
        return Response::Json(200, boost::json::object{{"roles", std::move(roles)}});
      },
      "角色列表");

  router.Add(Method::kGet, "/api/v1/accounts",
             Guarded(identity, db, permission::kAccountRead,
                     [&identity](const Principal&, Request& r) {
                       auto accounts = identity.ListAccounts();
                       if (!accounts) return Error(accounts.error(), r);
                       boost::json::array items;
                       for (const auto& a : *accounts) items.push_back(a.ToJson());
                       return Response::Json(200, boost::json::object{{"items", std::move(items)},
                                                                      {"total", accounts->size()}});
                     }),
             "账号列表（系统管理员、安全管理员）");

  router.Add(Method::kPost, "/api/v1/accounts",
             Guarded(identity, db, permission::kAccountCreate,
                     [&identity](const Principal& caller, Request& r) {
                       auto body = r.JsonBody();
                       if (!body) return Error(body.error(), r);
                       auto username = StringField(*body, "username", true, 64);
                       if (!username) return Error(username.error(), r);
                       auto display = StringField(*body, "display_name", true, 200);
                       if (!display) return Error(display.error(), r);
                       auto created =
                           identity.CreateAccount(caller.AsActor(r.client_address), **username,
                                                  **display, "", /*must_change=*/true);
                       if (!created) return Error(created.error(), r);
                       return Response::Json(
                           201, boost::json::object{{"account", created->account.ToJson()},
                                                    {"initial_password", created->password}});
                     }),
             "新建账号（系统管理员；初始密码只显示一次）");

  router.Add(Method::kGet, "/api/v1/accounts/{id}",
             GuardedById(identity, db, permission::kAccountRead,
                         [&identity](const Principal&, std::int64_t id, Request& r) {
                           auto account = identity.GetAccount(id);
                           if (!account) return Error(account.error(), r);
                           return Response::Json(200, account->ToJson());
                         }),
             "账号详情");

  router.Add(Method::kPost, "/api/v1/accounts/{id}/disable",
             GuardedById(identity, db, permission::kAccountDisable,
                         [&identity](const Principal& caller, std::int64_t id, Request& r) {
                           auto account =
                               identity.DisableAccount(caller.AsActor(r.client_address), id);
                           if (!account) return Error(account.error(), r);
                           return Response::Json(200, account->ToJson());
                         }),
             "停用账号（不删除）");

  router.Add(Method::kPost, "/api/v1/accounts/{id}/reset-password",
             GuardedById(
                 identity, db, permission::kAccountResetPassword,
                 [&identity](const Principal& caller, std::int64_t id, Request& r) {
                   auto password = identity.ResetPassword(caller.AsActor(r.client_address), id);
                   if (!password) return Error(password.error(), r);
                   return Response::Json(200, boost::json::object{{"initial_password", *password}});
                 }),
             "重置密码（须在下次登录时修改）");

  router.Add(Method::kPost, "/api/v1/accounts/{id}/grants",
             GuardedById(identity, db, permission::kGrantChange,
                         [&identity](const Principal& caller, std::int64_t id, Request& r) {
                           auto body = r.JsonBody();
                           if (!body) return Error(body.error(), r);
                           auto role = StringField(*body, "role", true, 64);
                           if (!role) return Error(role.error(), r);
                           auto organisation = IntField(*body, "organisation_id", false);
                           if (!organisation) return Error(organisation.error(), r);
                           auto grant = identity.GrantRole(caller.AsActor(r.client_address), id,
                                                           **role, *organisation);
                           if (!grant) return Error(grant.error(), r);
                           return Response::Json(
                               201, boost::json::object{{"id", grant->id}, {"role", grant->role}});
                         }),
             "授予角色（安全管理员）");

  router.Add(Method::kPost, "/api/v1/grants/{id}/revoke",
             GuardedById(identity, db, permission::kGrantChange,
                         [&identity](const Principal& caller, std::int64_t id, Request& r) {
                           if (auto ok = identity.RevokeGrant(caller.AsActor(r.client_address), id);
                               !ok) {
                             return Error(ok.error(), r);
                           }
                           return Response::Json(200, boost::json::object{{"revoked", true}});
                         }),
             "撤销角色（安全管理员）");

  router.Add(
      Method::kPost, "/api/v1/accounts/{id}/tokens",
      GuardedById(identity, db, permission::kGrantChange,
                  [&identity](const Principal& caller, std::int64_t id, Request& r) {
                    auto body = r.JsonBody();
                    if (!body) return Error(body.error(), r);
                    auto name = StringField(*body, "name", true, 100);
                    if (!name) return Error(name.error(), r);
                    auto scopes = ScopesField(*body);
                    if (!scopes) return Error(scopes.error(), r);
                    auto days = IntField(*body, "expires_in_days", true);
                    if (!days) return Error(days.error(), r);
                    if (**days < 1 || **days > 365) {
                      return Error(zhibu::Error::Invalid("token.days_invalid",
                                                         "有效期应为 1–365 天", "expires_in_days"),
                                   r);
                    }
                    auto issued = identity.IssueToken(caller.AsActor(r.client_address), id, **name,
                                                      *scopes, static_cast<int>(**days));
                    if (!issued) return Error(issued.error(), r);
                    boost::json::object out = issued->second.ToJson();
                    out["token"] = issued->first;
                    return Response::Json(201, out);
                  }),
      "签发 API 令牌（安全管理员；令牌只显示一次）");

  router.Add(
      Method::kGet, "/api/v1/accounts/{id}/tokens",
      GuardedById(identity, db, permission::kGrantRead,
                  [&identity](const Principal&, std::int64_t id, Request& r) {
                    auto tokens = identity.ListTokens(id);
                    if (!tokens) return Error(tokens.error(), r);
                    boost::json::array items;
                    for (const auto& t : *tokens) items.push_back(t.ToJson());
                    return Response::Json(200, boost::json::object{{"items", std::move(items)}});
                  }),
      "账号的 API 令牌（不含令牌本身）");

  router.Add(Method::kPost, "/api/v1/tokens/{id}/revoke",
             GuardedById(identity, db, permission::kGrantChange,
                         [&identity](const Principal& caller, std::int64_t id, Request& r) {
                           if (auto ok = identity.RevokeToken(caller.AsActor(r.client_address), id);
                               !ok) {
                             return Error(ok.error(), r);
                           }
                           return Response::Json(200, boost::json::object{{"revoked", true}});
                         }),
             "撤销 API 令牌");

  router.Add(Method::kGet, "/api/v1/audit",
             Guarded(identity, db, permission::kAuditRead,
                     [&db](const Principal&, Request& r) {
                       auto paging = Paging(r, 50);
                       if (!paging) return Error(paging.error(), r);
                       audit::Query query;
                       query.page = paging->first;
                       query.size = paging->second;
                       auto filters = AuditFilters(r, query);
                       if (!filters) return Error(filters.error(), r);
                       auto page = audit::List(db, query);
                       if (!page) return Error(page.error(), r);
                       boost::json::array items;
                       for (const auto& e : page->events) items.push_back(audit::ToJson(e));
                       return Response::Json(200, boost::json::object{{"items", std::move(items)},
                                                                      {"total", page->total},
                                                                      {"page", query.page},
                                                                      {"size", query.size}});
                     }),
             "审计记录（审计管理员）");

  router.Add(Method::kGet, "/api/v1/audit/verify",
             Guarded(identity, db, permission::kAuditRead,
                     [&db](const Principal&, Request& r) {
                       auto report = audit::Verify(db);
                       if (!report) return Error(report.error(), r);
                       boost::json::object body{{"events", report->events},
                                                {"intact", !report->first_broken_seq.has_value()}};
                       if (report->first_broken_seq) {
                         body["first_broken_seq"] = *report->first_broken_seq;
                         body["problem"] = report->problem;
                       }
                       return Response::Json(200, body);
                     }),
             "校验审计哈希链（审计管理员）");
}

}  // namespace zhibu::auth
