//! 发展党员 (spec 06): the 25 steps of 《中国共产党发展党员工作细则》(2014) on the generic step
//! workflow (platform/workflow) — cases and their records, gates and time limits (steps.h), the
//! pipeline (case_store.h), the standard documents (documents.h), the time limits as compliance
//! rules (rules.h) and the demo county's cases (demo.h).

#include "modules/development/case_store.h"
#include "modules/development/demo.h"
#include "modules/development/routes.h"
#include "modules/development/rules.h"
#include "platform/db/migrations.h"
#include "platform/module/manifest.h"
#include "platform/util/clock.h"

namespace zhibu::modules {

const ModuleManifest& development_module() {
  static const ModuleManifest manifest{
      .name = "development",
      .title = "发展党员",
      .optional = false,
      .depends_on = {"org", "member", "orglife", "dues"},
      .migrations =
          [] { return db::MigrationsFromFiles("development", embedded::development_migrations()); },
      .register_routes = development::RegisterRoutes,
      .permissions = {{std::string(development::kReadPermission), "查看发展党员"},
                      {std::string(development::kWritePermission), "办理发展党员"}},
      .role_permissions = {{"org_department_admin", {"development.read", "development.write"}},
                           {"party_committee_secretary", {"development.read", "development.write"}},
                           {"branch_secretary", {"development.read", "development.write"}},
                           {"organising_member", {"development.read", "development.write"}}},
      .encrypted_columns = {{"development_case", "id", "id_number_cipher", "id_number_index"},
                            {"development_case", "id", "phone_cipher", "phone_index"}},
      .settings = {{std::string(development::kActivistMinApplicationMonths),
                    "递交入党申请书满几个月方可确定为入党积极分子（0 不限）", "个月", 6, 0, 24,
                    "地方规定（rules.md §3.1 第6步）：细则未规定，许多地方要求申请满半年"},
                   {std::string(development::kDueSoonDays), "时限到期前几天提示“即将到期”", "天", 7,
                    1, 60, "产品设置：发展党员各时限的提前提示"},
                   {std::string(development::kPublicNoticeWorkdays), "公示期（工作日）", "个工作日",
                    5, 1, 15,
                    "地方规定（rules.md §3.1 公示）：细则未规定公示天数，多数地方不少于5个工作日"}},
      .rules = development::Rules(),
      .periodic_tasks = {},
      .register_commands = {},
      .load_demo =
          [](DemoContext& context) {
            return development::LoadDemoDevelopment(context.db, context.cipher, TodayShanghai());
          },
  };
  return manifest;
}

}  // namespace zhibu::modules
