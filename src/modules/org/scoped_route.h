#pragma once
//! The shape of every scoped route: authenticate, check the permission (refusals audited), open a
//! transaction, compute the caller's SubtreeScope for that permission inside it, run the body.
//! The body answers JSON or an error; errors become the envelope at this one place.

#include <boost/json/value.hpp>
#include <optional>
#include <type_traits>

#include "modules/org/subtree_scope.h"
#include "platform/auth/auth_routes.h"
#include "platform/http/params.h"

namespace zhibu::org {

//! What a scoped route body receives.
struct ScopedCall {
  db::Connection& connection;
  const SubtreeScope& scope;
  const auth::Principal& caller;
  const http::Request& request;
  //! The caller as an audit actor (their first grant's role and organisation).
  audit::Actor Actor() const { return caller.AsActor(request.client_address); }
};

//! A read: `body(ScopedCall&) -> Result<boost::json::value>` (or `Result<JsonText>`, a page
//! written straight from the rows) answered with 200. The caller is
//! authenticated in the same read transaction as the scope and the body (one pooled connection,
//! one snapshot); what authentication writes — the refusal audit, the session touch — follows
//! the transaction.
template <class Body>
http::Response ScopedRead(auth::IdentityService& identity, db::Database& db,
                          const http::Request& request, std::string_view permission, Body body) {
  using Answer =
      std::conditional_t<std::is_same_v<std::invoke_result_t<Body, ScopedCall&>, Result<JsonText>>,
                         Result<JsonText>, Result<boost::json::value>>;
  std::optional<auth::Principal> caller;
  auto answer = db.Read([&](db::Connection& c) -> Answer {
    auto authenticated = identity.Authenticate(c, request);
    if (!authenticated) return Fail(authenticated.error());
    caller.emplace(std::move(*authenticated));
    if (!caller->Can(permission)) return Fail(auth::Forbidden());
    auto scope = SubtreeScope::For(c, *caller, permission);
    if (!scope) return Fail(scope.error());
    ScopedCall call{c, *scope, *caller, request};
    return body(call);
  });
  if (caller) {
    auto recorded = auth::RecordRequire(identity, db, request, permission, *caller);
    if (!recorded) return http::ErrorResponse(recorded.error(), request);
  }
  if (!answer) return http::ErrorResponse(answer.error(), request);
  return http::Response::Json(200, std::move(*answer));
}

//! A write in one transaction, answered with `status` (200, or 201 for a creation).
template <class Body>
http::Response ScopedWrite(auth::IdentityService& identity, db::Database& db,
                           const http::Request& request, std::string_view permission, int status,
                           Body body) {
  auto caller = auth::Require(identity, db, request, permission);
  if (!caller) return http::ErrorResponse(caller.error(), request);
  auto answer = db.Write([&](db::Connection& c) -> Result<boost::json::value> {
    auto scope = SubtreeScope::For(c, *caller, permission);
    if (!scope) return Fail(scope.error());
    ScopedCall call{c, *scope, *caller, request};
    return body(call);
  });
  if (!answer) return http::ErrorResponse(answer.error(), request);
  return http::Response::Json(status, *answer);
}

}  // namespace zhibu::org
