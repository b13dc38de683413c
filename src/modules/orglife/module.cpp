//! 组织生活 (organisational life, spec 04): the records of 三会一课, 主题党日, 组织生活会,
//! 民主评议党员 and the rest, with attendance computed from the registry on the record's date,
//! quorums and the "two halves" votes computed by the server, the higher organisation's review,
//! archiving and linked corrections; the frequency duties and the 6-month rule as compliance
//! rules; a year of demo records.

#include "modules/orglife/meeting_store.h"
#include "modules/orglife/routes.h"
#include "platform/module/manifest.h"

namespace zhibu::modules {

const ModuleManifest& orglife_module() {
  using orglife::kReadPermission;
  using orglife::kReviewPermission;
  using orglife::kWritePermission;
  static const ModuleManifest manifest{
      .name = "orglife",
      .title = "组织生活",
      .optional = false,
      .depends_on = {"org", "member"},
      .migrations =
          [] { return db::MigrationsFromFiles("orglife", embedded::orglife_migrations()); },
      .register_routes = orglife::RegisterRoutes,
      .permissions = {{std::string(kReadPermission), "查看组织生活记录"},
                      {std::string(kWritePermission), "填写、提交、撤回、更正组织生活记录"},
                      {std::string(kReviewPermission), "审核、归档下级组织的组织生活记录"}},
      .role_permissions = {{"org_department_admin",
                            {std::string(kReadPermission), std::string(kWritePermission),
                             std::string(kReviewPermission)}},
                           {"party_committee_secretary",
                            {std::string(kReadPermission), std::string(kWritePermission),
                             std::string(kReviewPermission)}},
                           {"branch_secretary",
                            {std::string(kReadPermission), std::string(kWritePermission)}},
                           {"organising_member",
                            {std::string(kReadPermission), std::string(kWritePermission)}},
                           {"publicity_member", {std::string(kReadPermission)}},
                           {"discipline_member", {std::string(kReadPermission)}}},
      .encrypted_columns = {},
      .settings = {},
      .rules = {},
      .periodic_tasks = {},
      .register_commands = {},
      .load_demo = {},
  };
  return manifest;
}

}  // namespace zhibu::modules
