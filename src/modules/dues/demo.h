#pragma once
//! Demo dues (spec 05) for `zhibu serve --demo`: one town of the demo county — the 党委 above the
//! demo 支部书记's branch — keeps its ledger in Zhibu: every member has a base from the demo's
//! category (在职 brackets, 离退休 pensions, 农民党员 flat amounts set per branch, 下岗失业 0.20),
//! and a year of monthly payments, with deliberate cases the rules find: members who stopped
//! paying seven or more months ago (党章 第九条), some three or four months behind, an approved
//! 免交 (第七条), a month paid short, and a voluntary 1000.00 for the Centre (第十一条). The same
//! county gives the same ledger (every choice is a hash of the member id).

#include <string>

#include "platform/module/manifest.h"

namespace zhibu::dues {

//! Loads the demo ledger unless a base exists already; answers a one-line summary (empty when
//! there was nothing to do). `today` fixes the months (the last 12 completed ones and this one).
Result<std::string> LoadDemoDues(db::Database& db, const std::string& today);

//! The same year of ledger for the members under the organisation at `path` (e.g. a town of the
//! demo city, for the tests at city scale); 409 `dues.demo_not_empty` when one of them has a base.
Result<std::string> GenerateDemoDues(db::Database& db, const std::string& path,
                                     const std::string& today);

}  // namespace zhibu::dues
