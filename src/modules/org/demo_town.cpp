#include "modules/org/demo_town.h"

#include <string_view>

namespace zhibu::org {
namespace {

constexpr std::string_view kDemoTown =
    "SELECT p.path FROM role_grant g JOIN organisation o ON o.id = g.organisation_id JOIN "
    "organisation p ON p.id = o.parent_id WHERE g.role = 'branch_secretary' ORDER BY g.id LIMIT 1";

}  // namespace

Result<std::optional<std::string>> DemoTownPath(db::Connection& c) {
  auto town = c.Query(kDemoTown);
  if (!town) return Fail(town.error());
  if (town->empty()) return std::optional<std::string>();
  return std::optional<std::string>(town->Text(0, 0));
}

}  // namespace zhibu::org
