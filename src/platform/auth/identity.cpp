#include "platform/auth/identity.h"

#include <sodium.h>

#include "platform/auth/password.h"
#include "platform/auth/roles.h"
#include "platform/auth/totp.h"
#include "platform/crypto/sm3.h"
#include "platform/util/clock.h"

namespace zhibu::auth {
namespace {

constexpr std::string_view kSelectLoginAccount =
    "SELECT id, password_hash, status, failed_logins, locked_until_ms, password_changed_at_ms,"
    " totp_secret, totp_enabled_at_ms, totp_last_step FROM account WHERE username = $1";
constexpr std::string_view kSelectTotp =
    "SELECT totp_secret, totp_enabled_at_ms, totp_last_step FROM account WHERE id = $1";
constexpr std::string_view kSetTotpPending =
    "UPDATE account SET totp_secret = $2, totp_enabled_at_ms = NULL, totp_last_step = 0"
    " WHERE id = $1";
constexpr std::string_view kEnableTotp =
    "UPDATE account SET totp_enabled_at_ms = $2, totp_last_step = $3 WHERE id = $1";
//! Only forwards: of two logins with one code at once (on two servers), one changes the row.
constexpr std::string_view kUseTotpStep =
    "UPDATE account SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2";
constexpr std::string_view kClearTotp =
    "UPDATE account SET totp_secret = NULL, totp_enabled_at_ms = NULL, totp_last_step = 0"
    " WHERE id = $1";
//! Counted in the row (whose lock the transaction then holds), not from an earlier read, so that
//! failures arriving at once on several servers all count.
constexpr std::string_view kCountFailure =
    "UPDATE account SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins";
constexpr std::string_view kLockAccount =
    "UPDATE account SET failed_logins = 0, locked_until_ms = $2 WHERE id = $1";
constexpr std::string_view kResetFailures =
    "UPDATE account SET failed_logins = 0, locked_until_ms = 0 WHERE id = $1";
constexpr std::string_view kSelectThrottle =
    "SELECT window_start_ms, failures FROM login_throttle WHERE address = $1";
//! One statement, so that failures from one address arriving at once on several servers (or
//! pooled connections) all count: $2 now, $3 the window, both in ms.
constexpr std::string_view kCountAddressFailure =
    "INSERT INTO login_throttle (address, window_start_ms, failures) VALUES ($1, $2, 1) "
    "ON CONFLICT (address) DO UPDATE SET "
    "window_start_ms = CASE WHEN $2 - login_throttle.window_start_ms >= $3 THEN $2 "
    "ELSE login_throttle.window_start_ms END, "
    "failures = CASE WHEN $2 - login_throttle.window_start_ms >= $3 THEN 1 "
    "ELSE login_throttle.failures + 1 END";
constexpr std::string_view kInsertSession =
    "INSERT INTO auth_session (token_hash, account_id, csrf_token, created_at_ms, last_seen_ms,"
    " expires_at_ms, client_address) VALUES ($1, $2, $3, $4, $4, $5, $6)";
constexpr std::string_view kSelectSessionId = "SELECT id FROM auth_session WHERE token_hash = $1";
//! The session, its account and the account's current grants in one statement: one row per grant
//! (one row with NULL grant columns for an account without any), in grant order.
constexpr std::string_view kSelectSessionPrincipal =
    "SELECT s.id, s.account_id, s.csrf_token, s.last_seen_ms, s.expires_at_ms, s.revoked_at_ms,"
    " a.status, a.password_changed_at_ms, a.username, a.display_name, a.member_id,"
    " g.id, g.role, g.organisation_id"
    " FROM auth_session s JOIN account a ON a.id = s.account_id"
    " LEFT JOIN role_grant g ON g.account_id = a.id AND g.revoked_at IS NULL"
    " WHERE s.token_hash = $1 ORDER BY g.id";
constexpr std::string_view kTouchSession =
    "UPDATE auth_session SET last_seen_ms = $2 WHERE id = $1 AND revoked_at_ms IS NULL";
constexpr std::string_view kRevokeSession =
    "UPDATE auth_session SET revoked_at_ms = $2 WHERE id = $1 AND revoked_at_ms IS NULL";
constexpr std::string_view kRevokeAccountSessions =
    "UPDATE auth_session SET revoked_at_ms = $2 WHERE account_id = $1 AND revoked_at_ms IS NULL";
constexpr std::string_view kSelectAccount =
    "SELECT id, username, display_name, status, created_at, locked_until_ms,"
    " password_changed_at_ms, member_id FROM account WHERE id = $1";
constexpr std::string_view kSelectAccountOfMember = "SELECT id FROM account WHERE member_id = $1";
constexpr std::string_view kSetAccountMember = "UPDATE account SET member_id = $2 WHERE id = $1";
constexpr std::string_view kSelectAccounts = "SELECT id FROM account ORDER BY id";
constexpr std::string_view kSelectAccountByName = "SELECT id FROM account WHERE username = $1";
constexpr std::string_view kSelectGrants =
    "SELECT id, role, organisation_id FROM role_grant"
    " WHERE account_id = $1 AND revoked_at IS NULL ORDER BY id";
constexpr std::string_view kInsertAccount =
    "INSERT INTO account (username, display_name, password_hash, password_changed_at_ms,"
    " created_at) VALUES ($1, $2, $3, $4, $5)";
constexpr std::string_view kSelectPasswordHash = "SELECT password_hash FROM account WHERE id = $1";
constexpr std::string_view kSelectHistory =
    "SELECT password_hash FROM password_history WHERE account_id = $1"
    " ORDER BY changed_at_ms DESC LIMIT $2";
constexpr std::string_view kInsertHistory =
    "INSERT INTO password_history (account_id, password_hash, changed_at_ms) VALUES ($1, $2, $3)";
constexpr std::string_view kSetPassword =
    "UPDATE account SET password_hash = $2, password_changed_at_ms = $3, failed_logins = 0,"
    " locked_until_ms = 0 WHERE id = $1";
constexpr std::string_view kDisableAccount = "UPDATE account SET status = 'disabled' WHERE id = $1";
constexpr std::string_view kInsertGrant =
    "INSERT INTO role_grant (account_id, role, organisation_id, granted_at, granted_by)"
    " VALUES ($1, $2, $3, $4, $5)";
constexpr std::string_view kSelectGrantId =
    "SELECT id FROM role_grant WHERE account_id = $1 AND role = $2 AND revoked_at IS NULL"
    " ORDER BY id DESC LIMIT 1";
constexpr std::string_view kSelectGrant =
    "SELECT account_id, role, organisation_id, revoked_at FROM role_grant WHERE id = $1";
constexpr std::string_view kRevokeGrant = "UPDATE role_grant SET revoked_at = $2 WHERE id = $1";

constexpr std::string_view kInsertToken =
    "INSERT INTO api_token (account_id, name, token_hash, scopes, created_at, created_by,"
    " expires_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)";
constexpr std::string_view kSelectTokenByHash =
    "SELECT t.id, t.account_id, t.scopes, t.expires_at_ms, t.revoked_at, a.status,"
    " a.password_changed_at_ms FROM api_token t JOIN account a ON a.id = t.account_id"
    " WHERE t.token_hash = $1";
constexpr std::string_view kSelectTokens =
    "SELECT id, name, scopes, created_at, expires_at_ms, revoked_at FROM api_token"
    " WHERE account_id = $1 ORDER BY id";
constexpr std::string_view kSelectTokenId = "SELECT id FROM api_token WHERE token_hash = $1";
constexpr std::string_view kSelectTokenOwner =
    "SELECT account_id, revoked_at FROM api_token WHERE id = $1";
constexpr std::string_view kRevokeToken = "UPDATE api_token SET revoked_at = $2 WHERE id = $1";
constexpr std::string_view kBearerPrefix = "Bearer ";
constexpr int kMaxTokenDays = 365;

constexpr std::int64_t kMsPerDay = 24LL * 3600 * 1000;
//! Sessions are touched at most this often, so a busy user costs one write a minute, not one a
//! request; the idle timeout is therefore exact to within this.
constexpr std::int64_t kTouchIntervalMs = 60'000;

Error LoginFailed() {
  return Error{ErrorKind::kUnauthenticated, "auth.login_failed",
               "用户名或密码错误，或账号已被暂时锁定、停用", "", ""};
}

Error Unauthenticated() {
  return Error{ErrorKind::kUnauthenticated, "auth.unauthenticated",
               "请先登录（会话不存在或已过期）", "", ""};
}

db::Value OptionalInt(const std::optional<std::int64_t>& v) {
  return v ? db::Value{*v} : db::Value{nullptr};
}

bool IsUnsafeMethod(http::Method m) {
  return m != http::Method::kGet && m != http::Method::kHead && m != http::Method::kOptions;
}

bool ValidUsername(std::string_view name) {
  if (name.size() < 2 || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

boost::json::array GrantsJson(const std::vector<Grant>& grants) {
  boost::json::array out;
  for (const auto& g : grants) {
    const RoleSpec* spec = FindRole(g.role);
    out.push_back(boost::json::object{
        {"id", g.id},
        {"role", g.role},
        {"title", spec != nullptr ? spec->title : std::string_view(g.role)},
        {"organisation_id", g.organisation_id ? boost::json::value(*g.organisation_id)
                                              : boost::json::value(nullptr)}});
  }
  return out;
}

std::vector<std::string> SplitScopes(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto comma = text.find(',', start);
    out.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

bool HoldsSeparatedAdminRole(const std::vector<Grant>& grants) {
  for (const auto& g : grants) {
    const RoleSpec* spec = FindRole(g.role);
    if (spec != nullptr && spec->separated_admin) return true;
  }
  return false;
}

Result<std::vector<Grant>> LoadGrants(db::Connection& c, std::int64_t account_id) {
  auto rows = c.Query(kSelectGrants, {account_id});
  if (!rows) return Fail(rows.error());
  std::vector<Grant> grants;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    grants.push_back({rows->Int(i, 0), rows->Text(i, 1), rows->OptionalInt(i, 2)});
  }
  return grants;
}

}  // namespace

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    auto semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
  }
  return {};
}

audit::Actor Principal::AsActor(const std::string& client_address) const {
  audit::Actor actor;
  actor.account_id = account_id;
  actor.name = username;
  actor.role = PrimaryRole();
  if (!grants.empty()) actor.organisation_id = grants[0].organisation_id;
  actor.client_address = client_address;
  return actor;
}

boost::json::object Principal::ToJson() const {
  boost::json::array perms;
  for (const auto& p : permissions) perms.push_back(boost::json::value(p));
  return {{"id", account_id},
          {"username", username},
          {"display_name", display_name},
          {"grants", GrantsJson(grants)},
          {"permissions", std::move(perms)},
          {"csrf_token", csrf_token},
          {"password_expired", password_expired},
          {"totp_enrollment_required", totp_enrollment_required},
          {"member_id", member_id ? boost::json::value(*member_id) : boost::json::value(nullptr)}};
}

boost::json::object AccountView::ToJson() const {
  return {{"id", id},
          {"username", username},
          {"display_name", display_name},
          {"status", status},
          {"created_at", created_at},
          {"locked", locked},
          {"must_change_password", must_change_password},
          {"grants", GrantsJson(grants)},
          {"member_id", member_id ? boost::json::value(*member_id) : boost::json::value(nullptr)}};
}

IdentityService::IdentityService(db::Database& db, AuthSettings settings)
    : db_(db), settings_(settings) {}

std::string IdentityService::SessionCookie(const std::string& token) const {
  return std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict" +
         (settings_.secure_cookie ? "; Secure" : "");
}

std::string IdentityService::ClearedSessionCookie() const {
  return std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" +
         (settings_.secure_cookie ? "; Secure" : "");
}

Result<void> IdentityService::NoteAddressFailure(db::Connection& c, const std::string& address) {
  std::int64_t window = std::chrono::milliseconds(settings_.address_window).count();
  auto ok = c.Execute(kCountAddressFailure, {address, NowMs(), window});
  if (!ok) return Fail(ok.error());
  return {};
}

Result<IdentityService::Login> IdentityService::LogIn(std::string_view username,
                                                      std::string_view password,
                                                      std::string_view totp_code,
                                                      const std::string& client_address) {
  std::int64_t now = NowMs();
  std::int64_t window = std::chrono::milliseconds(settings_.address_window).count();
  // Per-address throttling first: it protects every account, existing or not.
  auto throttle =
      db_.Read([&](db::Connection& c) { return c.Query(kSelectThrottle, {client_address}); });
  if (!throttle) return Fail(throttle.error());
  if (!throttle->empty() && now - throttle->Int(0, 0) < window &&
      throttle->Int(0, 1) >= settings_.address_max_failures) {
    (void)audit::AppendAlone(
        db_, {{std::nullopt, std::string(username), "", std::nullopt, client_address},
              "auth.login",
              "address:" + client_address,
              "denied",
              {{"reason", "throttled"}}});
    return Fail(Error{ErrorKind::kRateLimited, "auth.throttled", "登录失败次数过多，请稍后再试", "",
                      "GB/T 22239-2019 8.1.4.1 b 登录失败处理"});
  }

  auto account = db_.Read(
      [&](db::Connection& c) { return c.Query(kSelectLoginAccount, {std::string(username)}); });
  if (!account) return Fail(account.error());
  // Do the work of a verification whatever happens, so timing does not reveal the account.
  bool found = !account->empty();
  bool password_ok = false;
  if (found) {
    password_ok = VerifyPassword(password, account->Text(0, 1));
  } else {
    BurnVerificationTime(password);
  }
  bool active = found && account->Text(0, 2) == "active";
  bool locked = found && account->Int(0, 4) > now;
  // The second factor, for accounts that have one (administrators, spec 02).
  bool totp_enabled = found && !account->IsNull(0, 6) && !account->IsNull(0, 7);
  bool totp_ok = true;
  std::optional<std::int64_t> totp_step;
  if (found && password_ok && active && !locked && totp_enabled) {
    if (totp_code.empty()) {
      return Fail(Error{ErrorKind::kUnauthenticated, "auth.totp_required",
                        "请输入身份验证器中的 6 位动态口令", "totp_code",
                        "GB/T 22239-2019 8.1.4.1 d 双因素鉴别"});
    }
    if (cipher_ == nullptr) return Fail(Error::Internal("auth.no_keys", "未配置加密密钥"));
    auto secret = cipher_->Decrypt(account->Bytes(0, 6).bytes);
    if (!secret) return Fail(secret.error());
    totp_step = MatchTotp(*secret, totp_code, TotpStep(now / 1000), account->Int(0, 8));
    totp_ok = totp_step.has_value();
  }
  if (!found || !password_ok || !active || locked || !totp_ok) {
    std::string reason = !found         ? "unknown_user"
                         : locked       ? "locked"
                         : !active      ? "disabled"
                         : !password_ok ? "wrong_password"
                                        : "wrong_totp";
    bool counts = found && !locked && active;  // a wrong password or code counts to the lockout
    auto recorded = db_.Write([&](db::Connection& c) -> Result<void> {
      if (counts) {
        auto failures = c.Query(kCountFailure, {account->Int(0, 0)});
        if (!failures) return Fail(failures.error());
        if (!failures->empty() && failures->Int(0, 0) >= settings_.lockout_threshold) {
          std::int64_t locked_until = now + std::chrono::milliseconds(settings_.lockout).count();
          auto ok = c.Execute(kLockAccount, {account->Int(0, 0), locked_until});
          if (!ok) return Fail(ok.error());
          reason = "wrong_password_locked";
        }
      }
      if (auto ok = NoteAddressFailure(c, client_address); !ok) return Fail(ok.error());
      audit::Actor actor{found ? std::optional<std::int64_t>(account->Int(0, 0)) : std::nullopt,
                         std::string(username), "", std::nullopt, client_address};
      auto logged = audit::Append(c, {actor,
                                      "auth.login",
                                      "account:" + std::string(username),
                                      "failure",
                                      {{"reason", reason}}});
      if (!logged) return Fail(logged.error());
      return {};
    });
    if (!recorded) return Fail(recorded.error());
    return Fail(LoginFailed());
  }

  std::int64_t account_id = account->Int(0, 0);
  std::string token = RandomToken();
  std::string csrf = RandomToken(24);
  std::int64_t expires = now + std::chrono::milliseconds(settings_.absolute_lifetime).count();
  auto principal = db_.Write([&](db::Connection& c) -> Result<Principal> {
    if (auto ok = c.Execute(kResetFailures, {account_id}); !ok) return Fail(ok.error());
    if (totp_step) {
      auto used = c.Execute(kUseTotpStep, {account_id, *totp_step});
      if (!used) return Fail(used.error());
      // The same code was used at this moment by another login (on another server): no session.
      if (*used == 0) return Fail(LoginFailed());
    }
    auto made = c.Execute(kInsertSession,
                          {crypto::Sm3Hex(token), account_id, csrf, now, expires, client_address});
    if (!made) return Fail(made.error());
    auto id = c.Query(kSelectSessionId, {crypto::Sm3Hex(token)});
    if (!id) return Fail(id.error());
    auto p = LoadPrincipal(c, account_id, id->Int(0, 0), csrf, account->Int(0, 5));
    if (!p) return Fail(p.error());
    auto logged = audit::Append(c, {p->AsActor(client_address),
                                    "auth.login",
                                    "account:" + std::to_string(account_id),
                                    "success",
                                    {{"session", id->Int(0, 0)}}});
    if (!logged) return Fail(logged.error());
    return p;
  });
  if (!principal) return Fail(principal.error());
  return Login{std::move(*principal), std::move(token)};
}

Result<Principal> IdentityService::LoadPrincipal(db::Connection& c, std::int64_t account_id,
                                                 std::int64_t session_id, std::string csrf_token,
                                                 std::int64_t password_changed_at_ms) {
  auto account = c.Query(kSelectAccount, {account_id});
  if (!account) return Fail(account.error());
  if (account->empty()) return Fail(Unauthenticated());
  auto grants = LoadGrants(c, account_id);
  if (!grants) return Fail(grants.error());
  Principal p;
  p.account_id = account_id;
  p.username = account->Text(0, 1);
  p.display_name = account->Text(0, 2);
  p.member_id = account->OptionalInt(0, 7);
  p.grants = std::move(*grants);
  p.session_id = session_id;
  p.csrf_token = std::move(csrf_token);
  if (auto ok = CompletePrincipal(c, p, password_changed_at_ms); !ok) return Fail(ok.error());
  return p;
}

Result<void> IdentityService::CompletePrincipal(db::Connection& c, Principal& p,
                                                std::int64_t password_changed_at_ms) {
  for (const auto& g : p.grants) {
    if (const RoleSpec* spec = FindRole(g.role)) {
      for (auto perm : spec->permissions) p.permissions.emplace(perm);
    }
  }
  std::int64_t max_age = static_cast<std::int64_t>(settings_.password_max_age_days) * kMsPerDay;
  p.password_expired =
      password_changed_at_ms == 0 || (max_age > 0 && NowMs() - password_changed_at_ms > max_age);
  if (HoldsSeparatedAdminRole(p.grants)) {
    auto totp = c.Query(kSelectTotp, {p.account_id});
    if (!totp) return Fail(totp.error());
    p.totp_enrollment_required = totp->empty() || totp->IsNull(0, 1);
  }
  return {};
}

Result<Principal> IdentityService::Authenticate(const http::Request& request,
                                                bool allow_pending_setup) {
  auto principal =
      db_.Read([&](db::Connection& c) { return Authenticate(c, request, allow_pending_setup); });
  if (!principal) return Fail(principal.error());
  if (auto touched = Touch(*principal); !touched) return Fail(touched.error());
  return principal;
}

Result<void> IdentityService::Touch(const Principal& principal) {
  if (!principal.touch_due) return {};
  auto touched = db_.Write([&](db::Connection& c) {
    return c.Execute(kTouchSession, {principal.session_id, NowMs()});
  });
  if (!touched) return Fail(touched.error());
  return {};
}

Result<Principal> IdentityService::Authenticate(db::Connection& c, const http::Request& request,
                                                bool allow_pending_setup) {
  std::string_view authorization = request.HeaderValue("authorization");
  if (authorization.rfind(kBearerPrefix, 0) == 0) {
    return AuthenticateToken(c, authorization.substr(kBearerPrefix.size()));
  }
  std::string token = CookieValue(request.HeaderValue("cookie"), kSessionCookie);
  if (token.empty() || token.size() > 128) return Fail(Unauthenticated());
  std::int64_t now = NowMs();
  auto s = c.Query(kSelectSessionPrincipal, {crypto::Sm3Hex(token)});
  if (!s) return Fail(s.error());
  if (s->empty() || !s->IsNull(0, 5) || s->Text(0, 6) != "active") return Fail(Unauthenticated());
  std::int64_t idle = std::chrono::milliseconds(settings_.idle_timeout).count();
  if (now - s->Int(0, 3) > idle || now > s->Int(0, 4)) return Fail(Unauthenticated());
  Result<Principal> principal{Principal{}};
  principal->account_id = s->Int(0, 1);
  principal->username = s->Text(0, 8);
  principal->display_name = s->Text(0, 9);
  principal->member_id = s->OptionalInt(0, 10);
  for (std::size_t i = 0; i < s->size(); ++i) {
    if (s->IsNull(i, 11)) continue;  // an account without grants
    principal->grants.push_back({s->Int(i, 11), s->Text(i, 12), s->OptionalInt(i, 13)});
  }
  principal->session_id = s->Int(0, 0);
  principal->csrf_token = s->Text(0, 2);
  if (auto ok = CompletePrincipal(c, *principal, s->Int(0, 7)); !ok) return Fail(ok.error());
  principal->touch_due = now - s->Int(0, 3) > kTouchIntervalMs;
  if (IsUnsafeMethod(request.method)) {
    std::string_view sent = request.HeaderValue(kCsrfHeader);
    const std::string& expected = principal->csrf_token;
    bool ok = sent.size() == expected.size() &&
              sodium_memcmp(sent.data(), expected.data(), expected.size()) == 0;
    if (!ok) {
      return Fail(Error{ErrorKind::kPermissionDenied, "auth.csrf",
                        "缺少或错误的 CSRF 令牌（请求头 X-CSRF-Token）", "X-CSRF-Token", ""});
    }
  }
  if (principal->password_expired && !allow_pending_setup) {
    return Fail(Error{ErrorKind::kPermissionDenied, "auth.password_expired",
                      "密码已过期或为初始密码，请先修改密码", "password",
                      "GB/T 22239-2019 8.1.4.1 a 口令定期更换"});
  }
  if (principal->totp_enrollment_required && !allow_pending_setup) {
    return Fail(Error{ErrorKind::kPermissionDenied, "auth.totp_enrollment_required",
                      "管理员须先绑定身份验证器（双因素登录）", "totp",
                      "GB/T 22239-2019 8.1.4.1 d 双因素鉴别"});
  }
  return principal;
}

Result<IdentityService::Enrolment> IdentityService::BeginTotpEnrolment(const Principal& principal,
                                                                       const std::string& client) {
  if (cipher_ == nullptr) return Fail(Error::Internal("auth.no_keys", "未配置加密密钥"));
  std::string secret = NewTotpSecret();
  auto done = db_.Write([&](db::Connection& c) -> Result<void> {
    auto current = c.Query(kSelectTotp, {principal.account_id});
    if (!current) return Fail(current.error());
    if (!current->empty() && !current->IsNull(0, 1)) {
      return Fail(Error::Conflict("auth.totp_already_enabled", "已绑定身份验证器"));
    }
    auto stored =
        c.Execute(kSetTotpPending, {principal.account_id, db::Blob{cipher_->Encrypt(secret)}});
    if (!stored) return Fail(stored.error());
    auto logged = audit::Append(c, {principal.AsActor(client),
                                    "auth.totp_enrol_begin",
                                    "account:" + std::to_string(principal.account_id),
                                    "success",
                                    {}});
    if (!logged) return Fail(logged.error());
    return {};
  });
  if (!done) return Fail(done.error());
  return Enrolment{Base32Encode(secret), TotpUri("Zhibu 支部", principal.username, secret)};
}

Result<void> IdentityService::ConfirmTotpEnrolment(const Principal& principal,
                                                   std::string_view code,
                                                   const std::string& client) {
  if (cipher_ == nullptr) return Fail(Error::Internal("auth.no_keys", "未配置加密密钥"));
  return db_.Write([&](db::Connection& c) -> Result<void> {
    auto current = c.Query(kSelectTotp, {principal.account_id});
    if (!current) return Fail(current.error());
    if (current->empty() || current->IsNull(0, 0)) {
      return Fail(Error::Conflict("auth.totp_not_started", "请先开始绑定身份验证器"));
    }
    if (!current->IsNull(0, 1)) {
      return Fail(Error::Conflict("auth.totp_already_enabled", "已绑定身份验证器"));
    }
    auto secret = cipher_->Decrypt(current->Bytes(0, 0).bytes);
    if (!secret) return Fail(secret.error());
    std::int64_t now = NowMs();
    auto step = MatchTotp(*secret, code, TotpStep(now / 1000), 0);
    if (!step) {
      return Fail(
          Error::Invalid("auth.totp_wrong", "动态口令不正确，请核对手机时间后重试", "code"));
    }
    if (auto ok = c.Execute(kEnableTotp, {principal.account_id, now, *step}); !ok) {
      return Fail(ok.error());
    }
    auto logged = audit::Append(c, {principal.AsActor(client),
                                    "auth.totp_enrol",
                                    "account:" + std::to_string(principal.account_id),
                                    "success",
                                    {}});
    if (!logged) return Fail(logged.error());
    return {};
  });
}

Result<Principal> IdentityService::AuthenticateToken(db::Connection& c, std::string_view token) {
  if (token.empty() || token.size() > 128) return Fail(Unauthenticated());
  std::string token_hash = crypto::Sm3Hex(token);
  auto t = c.Query(kSelectTokenByHash, {token_hash});
  if (!t) return Fail(t.error());
  if (t->empty() || !t->IsNull(0, 4) || t->Text(0, 5) != "active" || NowMs() > t->Int(0, 3)) {
    return Fail(Unauthenticated());
  }
  auto p = LoadPrincipal(c, t->Int(0, 1), 0, "", t->Int(0, 6));
  if (!p) return Fail(p.error());
  // A token carries only its scope, and only what the owner still holds.
  std::set<std::string, std::less<>> allowed;
  for (const auto& scope : SplitScopes(t->Text(0, 2))) {
    if (p->permissions.contains(scope)) allowed.insert(scope);
  }
  p->permissions = std::move(allowed);
  p->token_id = t->Int(0, 0);
  p->password_expired = false;  // machine clients have no password to change
  return p;
}

boost::json::object IdentityService::TokenView::ToJson() const {
  boost::json::array s;
  for (const auto& scope : scopes) s.push_back(boost::json::value(scope));
  return {{"id", id},
          {"name", name},
          {"scopes", std::move(s)},
          {"created_at", created_at},
          {"expires_at", ShanghaiIso(std::chrono::system_clock::time_point(
                             std::chrono::milliseconds(expires_at_ms)))},
          {"revoked", revoked}};
}

Result<std::pair<std::string, IdentityService::TokenView>> IdentityService::IssueToken(
    const audit::Actor& actor, std::int64_t account_id, std::string_view name,
    const std::vector<std::string>& scopes, int days) {
  if (name.empty() || name.size() > 100) {
    return Fail(Error::Invalid("token.name_invalid", "令牌名称不能为空且不超过 100 字节", "name"));
  }
  if (days < 1 || days > kMaxTokenDays) {
    return Fail(Error::Invalid("token.days_invalid", "有效期应为 1–365 天", "expires_in_days"));
  }
  if (scopes.empty()) {
    return Fail(Error::Invalid("token.scopes_empty", "至少指定一项权限范围", "scopes"));
  }
  std::string token = "zbt_" + RandomToken();
  return db_.Write([&](db::Connection& c) -> Result<std::pair<std::string, TokenView>> {
    auto owner = LoadAccount(c, account_id);
    if (!owner) return Fail(owner.error());
    if (HoldsSeparatedAdminRole(owner->grants)) {
      return Fail(Error{ErrorKind::kUnprocessable, "token.admin_account",
                        "三员账号须以双因素方式登录，不能签发 API 令牌", "account",
                        "GB/T 22239-2019 8.1.4.1 d"});
    }
    auto holder = LoadPrincipal(c, account_id, 0, "", 1);
    if (!holder) return Fail(holder.error());
    std::string joined;
    for (const auto& scope : scopes) {
      if (!holder->permissions.contains(scope)) {
        return Fail(Error::Invalid("token.scope_not_held",
                                   "账号不具有权限 " + scope + "，令牌不能超出账号的权限",
                                   "scopes"));
      }
      joined += (joined.empty() ? "" : ",") + scope;
    }
    std::int64_t expires = NowMs() + days * kMsPerDay;
    auto inserted =
        c.Execute(kInsertToken, {account_id, std::string(name), crypto::Sm3Hex(token), joined,
                                 NowShanghaiIso(), OptionalInt(actor.account_id), expires});
    if (!inserted) return Fail(inserted.error());
    auto id = c.Query(kSelectTokenId, {crypto::Sm3Hex(token)});
    if (!id) return Fail(id.error());
    TokenView view{id->Int(0, 0), std::string(name), scopes, NowShanghaiIso(), expires, false};
    auto logged = audit::Append(c, {actor,
                                    "token.issue",
                                    "account:" + std::to_string(account_id),
                                    "success",
                                    {{"after", view.ToJson()}}});
    if (!logged) return Fail(logged.error());
    return std::pair{token, view};
  });
}

Result<std::vector<IdentityService::TokenView>> IdentityService::ListTokens(
    std::int64_t account_id) {
  return db_.Read([&](db::Connection& c) -> Result<std::vector<TokenView>> {
    auto owner = LoadAccount(c, account_id);
    if (!owner) return Fail(owner.error());
    auto rows = c.Query(kSelectTokens, {account_id});
    if (!rows) return Fail(rows.error());
    std::vector<TokenView> out;
    for (std::size_t i = 0; i < rows->size(); ++i) {
      out.push_back({rows->Int(i, 0), rows->Text(i, 1), SplitScopes(rows->Text(i, 2)),
                     rows->Text(i, 3), rows->Int(i, 4), !rows->IsNull(i, 5)});
    }
    return out;
  });
}

Result<void> IdentityService::RevokeToken(const audit::Actor& actor, std::int64_t token_id) {
  return db_.Write([&](db::Connection& c) -> Result<void> {
    auto row = c.Query(kSelectTokenOwner, {token_id});
    if (!row) return Fail(row.error());
    if (row->empty() || !row->IsNull(0, 1)) {
      return Fail(Error::NotFound("token.not_found", "令牌不存在或已撤销"));
    }
    if (auto ok = c.Execute(kRevokeToken, {token_id, NowShanghaiIso()}); !ok)
      return Fail(ok.error());
    auto logged = audit::Append(c, {actor,
                                    "token.revoke",
                                    "account:" + std::to_string(row->Int(0, 0)),
                                    "success",
                                    {{"token", token_id}}});
    if (!logged) return Fail(logged.error());
    return {};
  });
}

Result<void> IdentityService::LogOut(const Principal& principal, bool everywhere,
                                     const std::string& client_address) {
  return db_.Write([&](db::Connection& c) -> Result<void> {
    auto done = everywhere ? c.Execute(kRevokeAccountSessions, {principal.account_id, NowMs()})
                           : c.Execute(kRevokeSession, {principal.session_id, NowMs()});
    if (!done) return Fail(done.error());
    auto logged = audit::Append(c, {principal.AsActor(client_address),
                                    everywhere ? "auth.logout_all" : "auth.logout",
                                    "account:" + std::to_string(principal.account_id),
                                    "success",
                                    {{"sessions_ended", *done}}});
    if (!logged) return Fail(logged.error());
    return {};
  });
}

Result<void> IdentityService::ChangePassword(const Principal& principal, std::string_view current,
                                             std::string_view replacement,
                                             const std::string& client_address) {
  if (auto ok = CheckPasswordPolicy(replacement, principal.username, "new_password"); !ok) {
    return ok;
  }
  std::string new_hash = HashPassword(replacement);
  return db_.Write([&](db::Connection& c) -> Result<void> {
    auto stored = c.Query(kSelectPasswordHash, {principal.account_id});
    if (!stored) return Fail(stored.error());
    if (stored->empty() || !VerifyPassword(current, stored->Text(0, 0))) {
      return Fail(
          Error::Invalid("auth.current_password_wrong", "当前密码不正确", "current_password"));
    }
    if (VerifyPassword(replacement, stored->Text(0, 0))) {
      return Fail(Error::Invalid("auth.password_reused", "新密码不能与最近使用过的密码相同",
                                 "new_password"));
    }
    auto history = c.Query(kSelectHistory,
                           {principal.account_id, std::int64_t{settings_.password_history - 1}});
    if (!history) return Fail(history.error());
    for (std::size_t i = 0; i < history->size(); ++i) {
      if (VerifyPassword(replacement, history->Text(i, 0))) {
        return Fail(Error{ErrorKind::kInvalidArgument, "auth.password_reused",
                          "新密码不能与最近 " + std::to_string(settings_.password_history) +
                              " 次使用过的密码相同",
                          "new_password", "GB/T 22239-2019 8.1.4.1 a"});
      }
    }
    std::int64_t now = NowMs();
    if (auto ok = c.Execute(kInsertHistory, {principal.account_id, stored->Text(0, 0), now}); !ok) {
      return Fail(ok.error());
    }
    if (auto ok = c.Execute(kSetPassword, {principal.account_id, new_hash, now}); !ok) {
      return Fail(ok.error());
    }
    auto logged = audit::Append(c, {principal.AsActor(client_address),
                                    "auth.password_change",
                                    "account:" + std::to_string(principal.account_id),
                                    "success",
                                    {}});
    if (!logged) return Fail(logged.error());
    return {};
  });
}

Result<AccountView> IdentityService::LoadAccount(db::Connection& c, std::int64_t account_id) {
  auto row = c.Query(kSelectAccount, {account_id});
  if (!row) return Fail(row.error());
  if (row->empty()) return Fail(Error::NotFound("account.not_found", "账号不存在"));
  auto grants = LoadGrants(c, account_id);
  if (!grants) return Fail(grants.error());
  AccountView v;
  v.id = row->Int(0, 0);
  v.username = row->Text(0, 1);
  v.display_name = row->Text(0, 2);
  v.status = row->Text(0, 3);
  v.created_at = row->Text(0, 4);
  v.locked = row->Int(0, 5) > NowMs();
  v.must_change_password = row->Int(0, 6) == 0;
  v.member_id = row->OptionalInt(0, 7);
  v.grants = std::move(*grants);
  return v;
}

Result<IdentityService::Created> IdentityService::CreateAccount(const audit::Actor& actor,
                                                                std::string_view username,
                                                                std::string_view display_name,
                                                                std::string_view password,
                                                                bool must_change) {
  if (!ValidUsername(username)) {
    return Fail(Error::Invalid("account.username_invalid",
                               "用户名应为 2–64 个小写字母、数字或 . _ -", "username"));
  }
  if (display_name.empty() || display_name.size() > 200) {
    return Fail(Error::Invalid("account.display_name_invalid", "姓名不能为空且不超过 200 字节",
                               "display_name"));
  }
  std::string chosen = password.empty() ? GeneratePassword() : std::string(password);
  if (auto ok = CheckPasswordPolicy(chosen, username); !ok) return Fail(ok.error());
  std::string hash = HashPassword(chosen);
  auto account = db_.Write([&](db::Connection& c) -> Result<AccountView> {
    auto inserted =
        c.Execute(kInsertAccount, {std::string(username), std::string(display_name), hash,
                                   must_change ? std::int64_t{0} : NowMs(), NowShanghaiIso()});
    if (!inserted) {
      if (inserted.error().code == "db.unique_violation") {
        return Fail(Error::Conflict("account.username_taken", "用户名已被使用", "username"));
      }
      return Fail(inserted.error());
    }
    auto id = c.Query(kSelectAccountByName, {std::string(username)});
    if (!id) return Fail(id.error());
    auto view = LoadAccount(c, id->Int(0, 0));
    if (!view) return Fail(view.error());
    auto logged = audit::Append(c, {actor,
                                    "account.create",
                                    "account:" + std::to_string(view->id),
                                    "success",
                                    {{"after", view->ToJson()}}});
    if (!logged) return Fail(logged.error());
    return view;
  });
  if (!account) return Fail(account.error());
  return Created{std::move(*account), chosen};
}

Result<std::string> IdentityService::ResetPassword(const audit::Actor& actor,
                                                   std::int64_t account_id) {
  std::string password = GeneratePassword();
  std::string hash = HashPassword(password);
  auto done = db_.Write([&](db::Connection& c) -> Result<void> {
    auto before = LoadAccount(c, account_id);
    if (!before) return Fail(before.error());
    if (auto ok = c.Execute(kSetPassword, {account_id, hash, std::int64_t{0}}); !ok) {
      return Fail(ok.error());
    }
    // A reset is for someone who lost access: the second factor is enrolled again too.
    if (auto ok = c.Execute(kClearTotp, {account_id}); !ok) return Fail(ok.error());
    if (auto ok = c.Execute(kRevokeAccountSessions, {account_id, NowMs()}); !ok) {
      return Fail(ok.error());
    }
    auto logged = audit::Append(
        c,
        {actor, "account.reset_password", "account:" + std::to_string(account_id), "success", {}});
    if (!logged) return Fail(logged.error());
    return {};
  });
  if (!done) return Fail(done.error());
  return password;
}

Result<AccountView> IdentityService::DisableAccount(const audit::Actor& actor,
                                                    std::int64_t account_id) {
  return db_.Write([&](db::Connection& c) -> Result<AccountView> {
    auto before = LoadAccount(c, account_id);
    if (!before) return Fail(before.error());
    if (actor.account_id && *actor.account_id == account_id) {
      return Fail(Error::Conflict("account.disable_self", "不能停用自己的账号"));
    }
    if (auto ok = c.Execute(kDisableAccount, {account_id}); !ok) return Fail(ok.error());
    if (auto ok = c.Execute(kRevokeAccountSessions, {account_id, NowMs()}); !ok) {
      return Fail(ok.error());
    }
    auto after = LoadAccount(c, account_id);
    if (!after) return Fail(after.error());
    auto logged = audit::Append(c, {actor,
                                    "account.disable",
                                    "account:" + std::to_string(account_id),
                                    "success",
                                    {{"before", before->ToJson()}, {"after", after->ToJson()}}});
    if (!logged) return Fail(logged.error());
    return after;
  });
}

Result<Grant> IdentityService::GrantRole(const audit::Actor& actor, std::int64_t account_id,
                                         std::string_view role,
                                         std::optional<std::int64_t> organisation_id) {
  const RoleSpec* spec = FindRole(role);
  if (spec == nullptr) return Fail(Error::Invalid("grant.role_unknown", "没有这个角色", "role"));
  if (spec->needs_organisation && !organisation_id) {
    return Fail(
        Error::Invalid("grant.organisation_required", "业务角色须指定所在组织", "organisation_id"));
  }
  if (!spec->needs_organisation && organisation_id) {
    return Fail(Error::Invalid("grant.organisation_unexpected", "三员角色是系统级的，不指定组织",
                               "organisation_id"));
  }
  return db_.Write([&](db::Connection& c) -> Result<Grant> {
    auto before = LoadAccount(c, account_id);
    if (!before) return Fail(before.error());
    if (spec->needs_organisation) {
      if (!organisation_check_) {
        return Fail(Error::Unprocessable("grant.organisations_unavailable",
                                         "组织机构尚未建立，暂不能授予业务角色", "organisation_id",
                                         ""));
      }
      if (auto ok = organisation_check_(c, *organisation_id); !ok) return Fail(ok.error());
    }
    for (const auto& g : before->grants) {
      const RoleSpec* held = FindRole(g.role);
      if (g.role == role && g.organisation_id == organisation_id) {
        return Fail(Error::Conflict("grant.duplicate", "该账号已有此角色", "role"));
      }
      if (spec->separated_admin && held != nullptr && held->separated_admin) {
        return Fail(Error{ErrorKind::kUnprocessable, "auth.separation_of_duties",
                          "系统管理员、安全管理员、审计管理员须由不同账号担任（三员分立）", "role",
                          "GB/T 22239-2019 8.1.4.2 三员分立"});
      }
      if (spec->separated_admin != (held != nullptr && held->separated_admin)) {
        return Fail(Error{ErrorKind::kUnprocessable, "auth.separation_of_duties",
                          "三员账号不得兼任业务角色，业务账号不得兼任三员", "role",
                          "GB/T 22239-2019 8.1.4.2 最小权限"});
      }
    }
    auto inserted =
        c.Execute(kInsertGrant, {account_id, std::string(role), OptionalInt(organisation_id),
                                 NowShanghaiIso(), OptionalInt(actor.account_id)});
    if (!inserted) return Fail(inserted.error());
    auto id = c.Query(kSelectGrantId, {account_id, std::string(role)});
    if (!id) return Fail(id.error());
    Grant grant{id->Int(0, 0), std::string(role), organisation_id};
    auto after = LoadAccount(c, account_id);
    if (!after) return Fail(after.error());
    auto logged = audit::Append(
        c, {actor,
            "grant.create",
            "account:" + std::to_string(account_id),
            "success",
            {{"before", GrantsJson(before->grants)}, {"after", GrantsJson(after->grants)}}});
    if (!logged) return Fail(logged.error());
    return grant;
  });
}

Result<void> IdentityService::RevokeGrant(const audit::Actor& actor, std::int64_t grant_id) {
  return db_.Write([&](db::Connection& c) -> Result<void> {
    auto row = c.Query(kSelectGrant, {grant_id});
    if (!row) return Fail(row.error());
    if (row->empty() || !row->IsNull(0, 3)) {
      return Fail(Error::NotFound("grant.not_found", "授权不存在或已撤销"));
    }
    if (auto ok = c.Execute(kRevokeGrant, {grant_id, NowShanghaiIso()}); !ok) {
      return Fail(ok.error());
    }
    auto logged = audit::Append(c, {actor,
                                    "grant.revoke",
                                    "account:" + std::to_string(row->Int(0, 0)),
                                    "success",
                                    {{"grant", grant_id}, {"role", row->Text(0, 1)}}});
    if (!logged) return Fail(logged.error());
    return {};
  });
}

Result<std::vector<AccountView>> IdentityService::ListAccounts() {
  return db_.Read([&](db::Connection& c) -> Result<std::vector<AccountView>> {
    auto ids = c.Query(kSelectAccounts);
    if (!ids) return Fail(ids.error());
    std::vector<AccountView> out;
    for (std::size_t i = 0; i < ids->size(); ++i) {
      auto v = LoadAccount(c, ids->Int(i, 0));
      if (!v) return Fail(v.error());
      out.push_back(std::move(*v));
    }
    return out;
  });
}

Result<AccountView> IdentityService::GetAccount(std::int64_t account_id) {
  return db_.Read([&](db::Connection& c) { return LoadAccount(c, account_id); });
}

Result<AccountView> IdentityService::GetAccount(db::Connection& c, std::int64_t account_id) {
  return LoadAccount(c, account_id);
}

Result<AccountView> IdentityService::LinkMember(db::Connection& c, const audit::Actor& actor,
                                                std::int64_t account_id,
                                                std::optional<std::int64_t> member_id) {
  auto account = LoadAccount(c, account_id);
  if (!account) return Fail(account.error());
  if (member_id && HoldsSeparatedAdminRole(account->grants)) {
    return Fail(Error{ErrorKind::kUnprocessable, "account.separated_admin",
                      "三员账号不担任业务角色，不能关联党员", "account",
                      "GB/T 22239-2019 8.1.4.2 d 三员分立"});
  }
  if (member_id) {
    auto holder = c.Query(kSelectAccountOfMember, {*member_id});
    if (!holder) return Fail(holder.error());
    if (!holder->empty() && holder->Int(0, 0) != account_id) {
      return Fail(Error::Conflict(
          "account.member_taken",
          "该党员已关联其他账号（编号 " + std::to_string(holder->Int(0, 0)) + "），请先解除",
          "member_id"));
    }
  }
  auto json_member = [](const std::optional<std::int64_t>& id) {
    return id ? boost::json::value(*id) : boost::json::value(nullptr);
  };
  boost::json::object detail{{"before", {{"member_id", json_member(account->member_id)}}},
                             {"after", {{"member_id", json_member(member_id)}}}};
  auto updated = c.Execute(kSetAccountMember,
                           {account_id, member_id ? db::Value(*member_id) : db::Value(nullptr)});
  if (!updated) return Fail(updated.error());
  auto logged = audit::Append(c, {actor, "account.link_member",
                                  "account:" + std::to_string(account_id), "success", detail});
  if (!logged) return Fail(logged.error());
  account->member_id = member_id;
  return account;
}

Result<std::int64_t> IdentityService::FindAccountId(std::string_view username) {
  return db_.Read([&](db::Connection& c) -> Result<std::int64_t> {
    auto row = c.Query(kSelectAccountByName, {std::string(username)});
    if (!row) return Fail(row.error());
    if (row->empty()) return Fail(Error::NotFound("account.not_found", "账号不存在"));
    return row->Int(0, 0);
  });
}

}  // namespace zhibu::auth
