#pragma once
//! The HTTP face of identity and audit: login/logout, the caller, password change, account and
//! grant administration (三员), and the audit trail for the audit administrator.

#include "platform/auth/identity.h"
#include "platform/db/database.h"
#include "platform/http/router.h"

namespace zhibu::auth {

//! The caller of `request` when they hold `permission`. A missing permission is a 403
//! `auth.forbidden` and is itself audited (`denied`).
Result<Principal> Require(IdentityService& identity, db::Database& db, const http::Request& request,
                          std::string_view permission);

//! The 403 `auth.forbidden` answered to a caller without the permission a route needs.
zhibu::Error Forbidden();

//! What `Require` writes, for a route that authenticated with
//! `IdentityService::Authenticate(Connection&, …)` inside its own read transaction and called
//! after that transaction: the `denied` audit event when `caller` lacks `permission`, and the
//! session's last-seen touch when due. Fails only when that write fails.
Result<void> RecordRequire(IdentityService& identity, db::Database& db,
                           const http::Request& request, std::string_view permission,
                           const Principal& caller);

//! The caller of `request`, signed in by any means. A browser session may call; an API token only
//! when its scope includes `token_scope` (else 403 `auth.forbidden`).
Result<Principal> RequireSignedIn(IdentityService& identity, const http::Request& request,
                                  std::string_view token_scope);

//! Registers /api/v1/auth/*, /api/v1/me*, /api/v1/accounts*, /api/v1/grants/*, /api/v1/roles and
//! /api/v1/audit*.
void RegisterAuthRoutes(http::Router& router, IdentityService& identity, db::Database& db);

}  // namespace zhibu::auth
