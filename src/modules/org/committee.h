#pragma once
//! Committees (班子): the positions held, the election date and the term, and every past
//! committee. Terms follow 支部工作条例 第二十一条 (≈; rules.md §1.2): 村/社区 5 years, others 3,
//! within 党章 第三十一条's 3–5; an extension of at most one year (选举工作条例 第三条).

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "modules/org/org_store.h"

namespace zhibu::org {

//! Every committee of `org_id`, current first. `today` decides `overdue`.
Result<boost::json::array> CommitteesOf(db::Connection& c, const SubtreeScope& scope,
                                        std::int64_t org_id, const std::string& today);

//! The current committee as JSON, or null.
Result<boost::json::value> CurrentCommittee(db::Connection& c, std::int64_t org_id,
                                            const std::string& today);

//! Records a newly elected committee (`{elected_on, term_years?, positions:[{position,
//! member_id?, member_name, concurrent_director?}]}`); the previous one goes to history.
//! Refuses more than 7 committee positions for a branch (支部条例: 一般不超过7人), an unknown
//! position, a term outside 3–5 years, an election date in the future.
Result<boost::json::object> ElectCommittee(db::Connection& c, const SubtreeScope& scope,
                                           const Change& change, std::int64_t org_id,
                                           const boost::json::object& body);

//! Approves an extension of the current term until `until` (≤ 1 year past its end).
Result<boost::json::object> ExtendTerm(db::Connection& c, const SubtreeScope& scope,
                                       const Change& change, std::int64_t org_id,
                                       const std::string& until);

}  // namespace zhibu::org
