#include "platform/module/manifest.h"

namespace zhibu {

std::vector<db::Migration> AllMigrations() {
  std::vector<db::Migration> all;
  for (const ModuleManifest* module : AllModules()) {
    if (!module->migrations) continue;
    for (auto& m : module->migrations()) all.push_back(std::move(m));
  }
  return all;
}

}  // namespace zhibu
