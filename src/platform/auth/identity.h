#pragma once
//! Identity (身份鉴别) and sessions: accounts, login with lockout and per-address throttling,
//! server-side sessions with idle and absolute timeouts, CSRF tokens, password changes with
//! history and expiry, role grants with 三员 separation. Every state stays in the database, so any
//! number of `zhibu serve` processes share it. Every write, and every login attempt, is audited.

#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "platform/audit/audit_trail.h"
#include "platform/crypto/field_cipher.h"
#include "platform/db/database.h"
#include "platform/http/message.h"

namespace zhibu::auth {

//! The configurable parts (spec 02 defaults).
struct AuthSettings {
  int lockout_threshold = 5;         //!< failures before the account locks
  std::chrono::minutes lockout{15};  //!< how long it stays locked
  int address_max_failures = 20;     //!< failures per client address per window
  std::chrono::minutes address_window{15};
  std::chrono::minutes idle_timeout{30};     //!< session idle timeout
  std::chrono::hours absolute_lifetime{12};  //!< session absolute lifetime
  int password_max_age_days = 90;            //!< 0: passwords never expire
  int password_history = 5;                  //!< no reuse of the last N
  bool secure_cookie = true;                 //!< `Secure` on the session cookie
};

//! The session cookie's name.
inline constexpr std::string_view kSessionCookie = "zhibu_session";
//! The header carrying the CSRF token on state-changing requests.
inline constexpr std::string_view kCsrfHeader = "x-csrf-token";

//! One role held on an organisation (or system-wide).
struct Grant {
  std::int64_t id = 0;
  std::string role;
  std::optional<std::int64_t> organisation_id;
};

//! An authenticated caller.
struct Principal {
  std::int64_t account_id = 0;
  std::string username;
  std::string display_name;
  std::vector<Grant> grants;
  std::set<std::string, std::less<>> permissions;
  std::int64_t session_id = 0;  //!< 0 for an API token
  std::int64_t token_id = 0;    //!< the API token used, or 0 for a browser session
  std::string csrf_token;
  bool password_expired = false;
  //! An administrator who has not yet set up the second factor.
  bool totp_enrollment_required = false;
  //! The member of the registry this account belongs to (self-service routes act on them), if
  //! an administrator linked one.
  std::optional<std::int64_t> member_id;
  //! Set by `IdentityService::Authenticate(Connection&, …)`: the session was last touched more
  //! than a minute ago, so `IdentityService::Touch` should record this request.
  bool touch_due = false;

  bool Can(std::string_view permission) const { return permissions.contains(permission); }
  //! The role an action is recorded under: the first grant's, or empty.
  std::string PrimaryRole() const { return grants.empty() ? std::string() : grants[0].role; }
  //! The actor for audit events.
  audit::Actor AsActor(const std::string& client_address) const;
  boost::json::object ToJson() const;
};

//! An account as shown to administrators (never the password hash).
struct AccountView {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string status;
  std::string created_at;
  bool locked = false;
  bool must_change_password = false;
  std::vector<Grant> grants;
  std::optional<std::int64_t> member_id;  //!< the member the account belongs to, if linked
  boost::json::object ToJson() const;
};

//! Decides whether an organisation id exists (the organisations module provides it). Without
//! one, business roles cannot be granted.
using OrganisationCheck = std::function<Result<void>(db::Connection&, std::int64_t)>;

class IdentityService {
 public:
  IdentityService(db::Database& db, AuthSettings settings);

  const AuthSettings& settings() const { return settings_; }
  //! The keyring that encrypts second-factor secrets; must outlive the service.
  void set_cipher(const crypto::FieldCipher* cipher) { cipher_ = cipher; }
  void set_organisation_check(OrganisationCheck check) { organisation_check_ = std::move(check); }

  //! A successful login: the caller and the token to put in the cookie.
  struct Login {
    Principal principal;
    std::string token;
  };
  //! Checks the credentials. Every failure — unknown user, wrong password or one-time code,
  //! locked or disabled account — answers the same 401 `auth.login_failed`, so the answer never
  //! tells whether the user exists; too many failures from one address answer 429
  //! `auth.throttled`. An administrator with a second factor who sent the right password but no
  //! code gets 401 `auth.totp_required`.
  Result<Login> LogIn(std::string_view username, std::string_view password,
                      std::string_view totp_code, const std::string& client_address);

  //! Starts second-factor enrolment: a new secret, stored encrypted, not yet active. Answers the
  //! base32 secret and the otpauth:// URI. 409 `auth.totp_already_enabled` when already active.
  struct Enrolment {
    std::string secret;
    std::string uri;
  };
  Result<Enrolment> BeginTotpEnrolment(const Principal& principal, const std::string& client);

  //! Activates the pending secret when `code` matches it.
  Result<void> ConfirmTotpEnrolment(const Principal& principal, std::string_view code,
                                    const std::string& client);

  //! Ends the caller's session, or every session of the account (`everywhere`).
  Result<void> LogOut(const Principal& principal, bool everywhere,
                      const std::string& client_address);

  //! The caller of `request`, from its session cookie. Fails 401 `auth.unauthenticated` (no,
  //! unknown, revoked or expired session), 403 `auth.csrf` (a state-changing request without the
  //! session's CSRF token) or 403 `auth.password_expired` (unless `allow_expired_password`).
  Result<Principal> Authenticate(const http::Request& request, bool allow_expired_password = false);

  //! As `Authenticate`, inside the caller's (read) transaction on `c`, so that a read route
  //! authenticates and answers in one transaction; it writes nothing. When the answer's
  //! `touch_due` is set, the caller calls `Touch` once its transaction is over (the session's
  //! last-seen time is recorded at most once a minute, so the idle timeout holds to within that).
  Result<Principal> Authenticate(db::Connection& c, const http::Request& request,
                                 bool allow_expired_password = false);

  //! Records now as the last-seen time of `principal`'s session when its `touch_due` is set (a
  //! write transaction); does nothing otherwise.
  Result<void> Touch(const Principal& principal);

  //! Changes the caller's password: checks the current one, the policy and the history.
  Result<void> ChangePassword(const Principal& principal, std::string_view current,
                              std::string_view replacement, const std::string& client_address);

  //! Creates an account. With `password` empty a strong one is generated; `must_change` makes the
  //! holder change it at first login. Answers the account and the password (shown once).
  struct Created {
    AccountView account;
    std::string password;
  };
  Result<Created> CreateAccount(const audit::Actor& actor, std::string_view username,
                                std::string_view display_name, std::string_view password,
                                bool must_change);

  //! Sets a new generated password that must be changed at next login; unlocks the account.
  Result<std::string> ResetPassword(const audit::Actor& actor, std::int64_t account_id);

  //! Disables an account and revokes its sessions (accounts are never deleted).
  Result<AccountView> DisableAccount(const audit::Actor& actor, std::int64_t account_id);

  //! Grants `role` (on `organisation_id` for business roles). Refuses a second 三员 role
  //! (`auth.separation_of_duties`), an unknown role, a missing or superfluous organisation.
  Result<Grant> GrantRole(const audit::Actor& actor, std::int64_t account_id, std::string_view role,
                          std::optional<std::int64_t> organisation_id);

  //! An API token as listed (never the token itself).
  struct TokenView {
    std::int64_t id = 0;
    std::string name;
    std::vector<std::string> scopes;
    std::string created_at;
    std::int64_t expires_at_ms = 0;
    bool revoked = false;
    boost::json::object ToJson() const;
  };
  //! Issues a token for `account_id` limited to `scopes` (each a permission the account holds) for
  //! `days` (1–365). Refused for 三员 accounts, which must sign in with two factors. Answers the
  //! token (shown once) and its view.
  Result<std::pair<std::string, TokenView>> IssueToken(const audit::Actor& actor,
                                                       std::int64_t account_id,
                                                       std::string_view name,
                                                       const std::vector<std::string>& scopes,
                                                       int days);
  Result<std::vector<TokenView>> ListTokens(std::int64_t account_id);
  Result<void> RevokeToken(const audit::Actor& actor, std::int64_t token_id);

  //! Revokes a grant (kept, marked revoked).
  Result<void> RevokeGrant(const audit::Actor& actor, std::int64_t grant_id);

  Result<std::vector<AccountView>> ListAccounts();
  Result<AccountView> GetAccount(std::int64_t account_id);
  //! The account `account_id` read inside the caller's transaction (404 `account.not_found`).
  Result<AccountView> GetAccount(db::Connection& c, std::int64_t account_id);

  //! Links account `account_id` to the member `member_id`, or unlinks it (nullopt), inside the
  //! caller's transaction: the caller (the member registry's route) has checked that the member
  //! exists and lies in the acting administrator's subtree. Refuses an account of the 三员 (422
  //! `account.separated_admin`, field `account`: they hold no business role and act as nobody's
  //! member) and a member already linked to another account (409 `account.member_taken`, field
  //! `member_id`). Audited as `account.link_member` with the member before and after. Answers the
  //! account as it now is.
  Result<AccountView> LinkMember(db::Connection& c, const audit::Actor& actor,
                                 std::int64_t account_id, std::optional<std::int64_t> member_id);
  //! The account id for a username, or 404.
  Result<std::int64_t> FindAccountId(std::string_view username);

  //! The `Set-Cookie` value that stores `token`, and the one that clears it.
  std::string SessionCookie(const std::string& token) const;
  std::string ClearedSessionCookie() const;

 private:
  Result<Principal> LoadPrincipal(db::Connection& c, std::int64_t account_id,
                                  std::int64_t session_id, std::string csrf_token,
                                  std::int64_t password_changed_at_ms);
  //! Completes `p` (account, session and grants filled in): its permissions, whether its password
  //! has expired, whether an administrator still has to enrol a second factor.
  Result<void> CompletePrincipal(db::Connection& c, Principal& p,
                                 std::int64_t password_changed_at_ms);
  Result<AccountView> LoadAccount(db::Connection& c, std::int64_t account_id);
  //! The caller for an `Authorization: Bearer` API token (no CSRF: not a browser cookie).
  Result<Principal> AuthenticateToken(db::Connection& c, std::string_view token);
  Result<void> NoteAddressFailure(db::Connection& c, const std::string& address);

  db::Database& db_;
  AuthSettings settings_;
  OrganisationCheck organisation_check_;
  const crypto::FieldCipher* cipher_ = nullptr;
};

//! Milliseconds since the epoch, now.
std::int64_t NowMs();

//! The value of cookie `name` in a `Cookie` header, or empty.
std::string CookieValue(std::string_view header, std::string_view name);

}  // namespace zhibu::auth
