#include "modules/lapse/demo.h"

#include "modules/lapse/case_store.h"
#include "modules/org/demo_town.h"
#include "modules/org/subtree_scope.h"

namespace zhibu::lapse {
namespace {

constexpr std::string_view kTownMembers =
    "SELECT m.id, m.org_id, m.org_path FROM member m WHERE m.org_path >= $1 AND m.org_path < $2 "
    "AND m.status IN ('full', 'probationary') ORDER BY m.id";

constexpr int kDemoCases = 2;

}  // namespace

Result<std::string> LoadDemoLapse(db::Database& db, const std::string& today) {
  return db.Write([&](db::Connection& c) -> Result<std::string> {
    auto existing = c.Query("SELECT COUNT(*) FROM lapse_case");
    if (!existing) return Fail(existing.error());
    if (existing->Int(0, 0) > 0) return std::string();
    auto town = org::DemoTownPath(c);
    if (!town) return Fail(town.error());
    if (!*town) return std::string();
    std::string path = **town;
    auto members = c.Query(kTownMembers, {path, org::SubtreeEnd(path)});
    if (!members) return Fail(members.error());
    org::Change change{audit::Actor{std::nullopt, "demo", "", std::nullopt, ""}, std::nullopt, "",
                       ""};
    auto scope = org::SubtreeScope::Everything();
    int opened = 0;
    for (std::size_t i = 0; i < members->size() && opened < kDemoCases; ++i) {
      auto ledger =
          LedgerFactsOf(c, members->Int(i, 0), members->Int(i, 1), members->Text(i, 2), today);
      if (!ledger) return Fail(ledger.error());
      if (static_cast<int>(ledger->unpaid_run.size()) < dues::kUnpaidMonthsFlagged) continue;
      auto one = OpenCase(c, scope, change, members->Int(i, 0), today);
      if (!one) return Fail(one.error());
      if (opened == 0) {
        boost::json::object verify{
            {"step", static_cast<std::int64_t>(kVerify)},
            {"done_on", one->at("flagged_on").as_string()},
            {"finding", "no_proper_reason"},
            {"findings", "经支部核实，该同志外出务工，未说明不交纳党费的理由"}};
        auto recorded = RecordStep(c, scope, change, one->at("id").as_int64(), verify, today);
        if (!recorded) return Fail(recorded.error());
      }
      ++opened;
    }
    if (opened == 0) return std::string();
    return "连续六个月不交纳党费的处置案件 " + std::to_string(opened) + " 件";
  });
}

}  // namespace zhibu::lapse
