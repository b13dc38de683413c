//! 连续六个月不交纳党费的处置 (spec 05; 党章 第九条, 中组发〔2008〕3号 第十三条, 党员教育管理条例
//! 第二十九–三十一条): the dues module flags a member six months unpaid — a warning, never a
//! removal — and this module carries the branch's handling on the generic step workflow
//! (steps.h): 支部核实, 谈话、限期改正, then 已改正 or the 支部大会's 除名 with the higher
//! organisation's approval, whose effect is the member registry's 出党 (自行脱党除名). It reads the
//! dues ledger (dues_store.h) and counts the 支部大会's voters as 发展党员 does; it uses the dues
//! permissions (dues.read, dues.write).

#include "modules/lapse/case_store.h"
#include "modules/lapse/demo.h"
#include "modules/lapse/routes.h"
#include "platform/db/migrations.h"
#include "platform/module/manifest.h"
#include "platform/util/clock.h"

namespace zhibu::modules {

const ModuleManifest& lapse_module() {
  static const ModuleManifest manifest{
      .name = "lapse",
      .title = "连续六个月不交纳党费的处置",
      .optional = false,
      .depends_on = {"org", "member", "dues", "development"},
      .migrations = [] { return db::MigrationsFromFiles("lapse", embedded::lapse_migrations()); },
      .register_routes = lapse::RegisterRoutes,
      .permissions = {},
      .role_permissions = {},
      .encrypted_columns = {},
      .settings = {},
      .rules = {},
      .periodic_tasks = {},
      .register_commands = {},
      .load_demo =
          [](DemoContext& context) { return lapse::LoadDemoLapse(context.db, TodayShanghai()); },
  };
  return manifest;
}

}  // namespace zhibu::modules
