#pragma once
//! Subtree statistics "as of" a date (spec 03, first cut of the 党内统计): the tree and the
//! memberships as they were on that date. Two implementations give the same answer: the scan
//! (the reference: every span of the subtree on that date, from organisation_placement ⋈
//! member_span ⋈ member) and the counters (statistics_counters.h: the subtree's counts today,
//! corrected by the spans and placements that changed after the date), which answer the city root
//! in milliseconds.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "modules/org/subtree_scope.h"
#include "platform/db/database.h"

namespace zhibu::member {

//! Which implementation answers.
enum class StatisticsMethod {
  //! The counters when they are built, the organisation holds them (党委 level) and the
  //! correction to the date is smaller than the subtree; otherwise the scan.
  kAuto,
  //! The reference implementation.
  kScan,
  //! The counters whatever the size of the correction; 409 `stats.counters_unavailable` when they
  //! cannot answer (not built, a branch-level organisation, one no longer in the tree). For tests.
  kCounters,
};

//! Statistics for the subtree of `org_id` as it stood on `as_of` (404 outside the scope or when
//! the organisation did not exist then).
Result<boost::json::object> SubtreeStatistics(db::Connection& c, const org::SubtreeScope& scope,
                                              std::int64_t org_id, const std::string& as_of,
                                              StatisticsMethod method = StatisticsMethod::kAuto);

//! Members (正式 + 预备) in the subtree under `path_on_date` on `date`.
Result<std::int64_t> MemberCountOn(db::Connection& c, const std::string& path_on_date,
                                   const std::string& date);

//! Σ Flow(kind) of the events recorded in the subtree under `path` with from ≤ date ≤ to.
Result<std::int64_t> NetFlow(db::Connection& c, const std::string& path, const std::string& from,
                             const std::string& to);

}  // namespace zhibu::member
