#include "platform/module/manifest.h"

#include "platform/util/embedded.h"

namespace zhibu {

std::vector<db::Migration> AllMigrations() {
  // The platform's tables first: modules may refer to accounts and the audit trail.
  std::vector<db::Migration> all =
      db::MigrationsFromFiles("platform", embedded::platform_migrations());
  for (const ModuleManifest* module : AllModules()) {
    if (!module->migrations) continue;
    for (auto& m : module->migrations()) all.push_back(std::move(m));
  }
  return all;
}

}  // namespace zhibu
