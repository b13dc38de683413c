#include "platform/auth/roles.h"

namespace zhibu::auth {

namespace {

std::vector<RoleSpec>& MutableRoles() {
  using namespace permission;
  static std::vector<RoleSpec> roles = {
      // 三员 (GB/T 22239-2019 8.1.4.2 c/d: separated administrators, least privilege).
      {"system_admin",
       "系统管理员",
       true,
       false,
       {kAccountRead, kAccountCreate, kAccountDisable, kAccountResetPassword}},
      {"security_admin", "安全管理员", true, false, {kAccountRead, kGrantRead, kGrantChange}},
      {"audit_admin", "审计管理员", true, false, {kAuditRead}},
      // Machine clients (other systems): system-wide, used through API tokens.
      {"integration", "系统对接账号", false, false, {kIdNumberCheck}},
      // Business roles (spec 02): granted on an organisation, covering its subtree.
      {"org_department_admin", "组织部管理员", false, true, {kIdNumberCheck, kSettingChange}},
      {"party_committee_secretary", "党委/党工委书记", false, true, {kIdNumberCheck}},
      {"branch_secretary", "支部书记", false, true, {kIdNumberCheck}},
      {"organising_member", "组织委员", false, true, {kIdNumberCheck}},
      {"publicity_member", "宣传委员", false, true, {}},
      {"discipline_member", "纪检委员", false, true, {}},
      {"party_member", "党员", false, true, {}},
      {"resident", "群众", false, true, {}},
      {"department", "职能部门", false, true, {}},
  };
  return roles;
}

}  // namespace

const std::vector<RoleSpec>& AllRoles() { return MutableRoles(); }

bool ExtendRole(std::string_view id, std::string_view permission) {
  for (auto& role : MutableRoles()) {
    if (role.id != id) continue;
    if (role.separated_admin) return false;
    for (auto held : role.permissions) {
      if (held == permission) return true;
    }
    role.permissions.push_back(permission);
    return true;
  }
  return false;
}

const RoleSpec* FindRole(std::string_view id) {
  for (const auto& role : AllRoles()) {
    if (role.id == id) return &role;
  }
  return nullptr;
}

}  // namespace zhibu::auth
