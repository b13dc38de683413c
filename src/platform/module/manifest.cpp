#include "platform/module/manifest.h"

#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>

#include "platform/auth/roles.h"
#include "platform/util/embedded.h"

namespace zhibu {

std::vector<const ModuleManifest*> ModulesInDependencyOrder() {
  std::map<std::string, const ModuleManifest*, std::less<>> by_name;
  for (const ModuleManifest* m : AllModules()) by_name[m->name] = m;
  std::vector<const ModuleManifest*> order;
  std::map<std::string, int, std::less<>> state;  // 1 visiting, 2 done
  std::function<void(const ModuleManifest*)> visit = [&](const ModuleManifest* m) {
    int& s = state[m->name];
    if (s == 2) return;
    if (s == 1) throw std::logic_error("module dependency cycle at " + m->name);
    s = 1;
    for (const auto& dep : m->depends_on) {
      auto it = by_name.find(dep);
      if (it == by_name.end()) {
        throw std::logic_error("module " + m->name + " depends on unknown module " + dep);
      }
      visit(it->second);
    }
    state[m->name] = 2;
    order.push_back(m);
  };
  for (const ModuleManifest* m : AllModules()) visit(m);
  return order;
}

void ApplyModuleRolePermissions() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (const ModuleManifest* m : AllModules()) {
      for (const auto& grant : m->role_permissions) {
        for (const auto& permission : grant.permissions) {
          if (!auth::ExtendRole(grant.role, permission)) {
            throw std::logic_error("module " + m->name + " extends unknown role " + grant.role);
          }
        }
      }
    }
  });
}

std::vector<db::Migration> AllMigrations() {
  // The platform's tables first: modules may refer to accounts and the audit trail.
  std::vector<db::Migration> all =
      db::MigrationsFromFiles("platform", embedded::platform_migrations());
  for (const ModuleManifest* module : ModulesInDependencyOrder()) {
    if (!module->migrations) continue;
    for (auto& m : module->migrations()) all.push_back(std::move(m));
  }
  return all;
}

}  // namespace zhibu
