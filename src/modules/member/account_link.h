#pragma once
//! 账号与党员关联: which member of the registry an account belongs to, so that self-service
//! routes (组织生活签到、请假, spec 04) act on the caller's own member and on no one else.
//!
//! The link is made by an administrator of the organisation department (`member.link_account`,
//! a business permission: the 三员 neither see members nor hold it, GB/T 22239-2019 8.1.4.2 d)
//! for a member inside their subtree, on any account that is not one of the 三员's. One member
//! has at most one account. Every change is audited on the account (`account.link_member`).

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string_view>

#include "modules/org/subtree_scope.h"
#include "platform/module/manifest.h"

namespace zhibu::member {

//! Links accounts to members (组织部管理员).
inline constexpr std::string_view kLinkAccountPermission = "member.link_account";

//! Links account `account_id` to member `member_id`, or unlinks it (nullopt). The member must be
//! current (not departed) and inside `scope` (400 `account.member_unknown` naming `member_id`);
//! an account already linked to a member outside `scope` is not the caller's to change (404
//! `account.not_found`, as for a missing account). The platform refuses a 三员 account and a
//! member linked to another account (IdentityService::LinkMember). Answers `{id, username,
//! display_name, member: {id, name, org_id, org_name} | null}`.
Result<boost::json::object> LinkAccountToMember(db::Connection& c, auth::IdentityService& identity,
                                                const org::SubtreeScope& scope,
                                                const audit::Actor& actor, std::int64_t account_id,
                                                std::optional<std::int64_t> member_id);

//! Registers `PUT /api/v1/accounts/{id}/member` `{member_id: n | null}`.
void RegisterAccountLinkRoutes(ModuleContext& context);

}  // namespace zhibu::member
