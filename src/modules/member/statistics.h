#pragma once
//! Subtree statistics "as of" a date (spec 03, first cut of the 党内统计): the tree and the
//! memberships as they were on that date, rebuilt from organisation_placement and member_span.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "modules/org/subtree_scope.h"
#include "platform/db/database.h"

namespace zhibu::member {

//! Statistics for the subtree of `org_id` as it stood on `as_of` (404 outside the scope or when
//! the organisation did not exist then).
Result<boost::json::object> SubtreeStatistics(db::Connection& c, const org::SubtreeScope& scope,
                                              std::int64_t org_id, const std::string& as_of);

//! Members (正式 + 预备) in the subtree under `path_on_date` on `date`.
Result<std::int64_t> MemberCountOn(db::Connection& c, const std::string& path_on_date,
                                   const std::string& date);

//! Σ Flow(kind) of the events recorded in the subtree under `path` with from ≤ date ≤ to.
Result<std::int64_t> NetFlow(db::Connection& c, const std::string& path, const std::string& from,
                             const std::string& to);

}  // namespace zhibu::member
