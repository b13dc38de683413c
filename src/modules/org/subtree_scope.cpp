#include "modules/org/subtree_scope.h"

#include <algorithm>

#include "platform/auth/roles.h"

namespace zhibu::org {
namespace {

constexpr std::string_view kSelectPath = "SELECT path FROM organisation WHERE id = $1";

//! Keeps the paths that no other path contains, sorted.
std::vector<std::string> Minimal(std::vector<std::string> paths) {
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  std::vector<std::string> out;
  for (auto& path : paths) {
    if (!out.empty() && path.starts_with(out.back())) continue;
    out.push_back(std::move(path));
  }
  return out;
}

}  // namespace

std::string SubtreeEnd(std::string_view path) {
  std::string end(path);
  if (!end.empty()) end.back() = '0';
  return end;
}

SubtreeScope SubtreeScope::Everything() {
  SubtreeScope scope;
  scope.everything_ = true;
  return scope;
}

SubtreeScope SubtreeScope::Of(std::vector<std::string> paths) {
  SubtreeScope scope;
  scope.paths_ = Minimal(std::move(paths));
  return scope;
}

Result<SubtreeScope> SubtreeScope::For(db::Connection& connection, const auth::Principal& principal,
                                       std::string_view permission) {
  std::vector<std::string> paths;
  for (const auto& grant : principal.grants) {
    const auth::RoleSpec* role = auth::FindRole(grant.role);
    if (role == nullptr) continue;
    if (std::find(role->permissions.begin(), role->permissions.end(), permission) ==
        role->permissions.end()) {
      continue;
    }
    // An API token is limited to its scopes, which `principal.permissions` already reflects.
    if (!principal.Can(permission)) continue;
    if (!grant.organisation_id) return Everything();
    auto rows = connection.Query(kSelectPath, {*grant.organisation_id});
    if (!rows) return Fail(rows.error());
    if (!rows->empty()) paths.push_back(rows->Text(0, 0));
  }
  return Of(std::move(paths));
}

bool SubtreeScope::Contains(std::string_view path) const {
  if (everything_) return true;
  return std::any_of(paths_.begin(), paths_.end(),
                     [&](const std::string& root) { return path.starts_with(root); });
}

std::string SubtreeScope::Condition(std::string_view path_column,
                                    std::vector<db::Value>& params) const {
  if (everything_) return "1=1";
  if (paths_.empty()) return "1=0";
  std::string sql = "(";
  for (std::size_t i = 0; i < paths_.size(); ++i) {
    if (i > 0) sql += " OR ";
    params.emplace_back(paths_[i]);
    std::string low = "$" + std::to_string(params.size());
    params.emplace_back(SubtreeEnd(paths_[i]));
    std::string high = "$" + std::to_string(params.size());
    sql += "(" + std::string(path_column) + " >= " + low + " AND " + std::string(path_column) +
           " < " + high + ")";
  }
  return sql + ")";
}

}  // namespace zhibu::org
