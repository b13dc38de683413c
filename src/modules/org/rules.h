#pragma once
//! The organisation tree's compliance rules (spec 07 wave 1): committee terms overdue or ending
//! soon. Each rule is a pure judgement of facts, unit-tested on both sides of its threshold; the
//! scan gathers the facts of a subtree in one query.

#include <optional>
#include <string>
#include <vector>

#include "platform/compliance/rule.h"

namespace zhibu::org {

//! How many months before a term ends the 换届 reminder starts (local practice).
inline constexpr std::string_view kTermWarningSetting = "org.term_warning_months";

//! The current committee of one organisation.
struct CommitteeTermFacts {
  std::int64_t org_id = 0;
  std::string org_name;
  std::string org_path;
  std::string elected_on;
  int term_years = 0;
  std::string term_ends_on;
  std::optional<std::string> extended_until;
};

//! 届满未换届: the term (with any approved extension) ended before `as_of` — red. 党章 第三十一条;
//! 选举工作条例 第三条.
std::optional<compliance::Finding> JudgeTermOverdue(const CommitteeTermFacts& facts,
                                                    const std::string& as_of);

//! 即将届满: the term ends on or after `as_of` and within `warning_months` of it — yellow.
std::optional<compliance::Finding> JudgeTermEnding(const CommitteeTermFacts& facts,
                                                   const std::string& as_of, int warning_months);

//! The rules above, for the manifest.
std::vector<compliance::RuleSpec> TreeRules();

}  // namespace zhibu::org
