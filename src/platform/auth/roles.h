#pragma once
//! Roles and the permissions they carry (spec 02 "Access", GB/T 22239-2019 8.1.4.2).
//!
//! 三员分立: the system administrator (accounts), the security administrator (grants) and the audit
//! administrator (audit trail) can each do only their own work, none of them sees member data,
//! and no account may hold two of the three. Business roles are granted on an organisation and
//! cover its subtree; their permissions arrive with the modules that define them.

#include <string>
#include <string_view>
#include <vector>

namespace zhibu::auth {

//! Permission ids used by the platform itself.
namespace permission {
inline constexpr std::string_view kAccountRead = "account.read";
inline constexpr std::string_view kAccountCreate = "account.create";
inline constexpr std::string_view kAccountDisable = "account.disable";
inline constexpr std::string_view kAccountResetPassword = "account.reset_password";
inline constexpr std::string_view kGrantRead = "grant.read";
inline constexpr std::string_view kGrantChange = "grant.change";
inline constexpr std::string_view kAuditRead = "audit.read";
inline constexpr std::string_view kIdNumberCheck = "idcard.check";
inline constexpr std::string_view kSettingChange = "setting.change";
}  // namespace permission

//! One role.
struct RoleSpec {
  std::string_view id;
  std::string_view title;   //!< Chinese
  bool separated_admin;     //!< one of the 三员
  bool needs_organisation;  //!< granted on an organisation (business roles) or system-wide
  std::vector<std::string_view> permissions;
};

//! Every role, in display order.
const std::vector<RoleSpec>& AllRoles();

//! The role with this id, or null.
const RoleSpec* FindRole(std::string_view id);

//! Adds `permission` (static storage: a module manifest's string) to role `id`. Called once per
//! process at start-up, before any request, by `ApplyModuleRolePermissions`; answers false for
//! an unknown role. Never adds to the 三员 roles (they see no member data): answers false.
bool ExtendRole(std::string_view id, std::string_view permission);

}  // namespace zhibu::auth
