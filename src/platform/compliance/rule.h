#pragma once
//! The compliance engine's vocabulary (spec 07), shared by every module that contributes rules:
//! a rule is an id, a title, a severity, a source (regulation and article, or the local setting it
//! follows), the kind of subject it judges and a scan that turns the facts of a subtree into
//! findings. Modules declare rules in their manifest; the compliance module runs them. Rules judge
//! facts with pure functions (unit-tested on both sides of every threshold); the scan only gathers
//! the facts with one set-based query per rule.

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "platform/db/database.h"

namespace zhibu::compliance {

//! red: a rule is broken; yellow: due soon or a soft limit; info: worth knowing.
inline constexpr std::string_view kRed = "red";
inline constexpr std::string_view kYellow = "yellow";
inline constexpr std::string_view kInfo = "info";

//! A reporting period: a month `2026-11`, a quarter `2026-Q4` or a year `2026`.
struct Period {
  std::string id;
  std::string first_day;  //!< YYYY-MM-DD
  std::string last_day;   //!< YYYY-MM-DD
};

//! The period `text` names (400 `compliance.period_invalid`, field `period`, otherwise).
Result<Period> ParsePeriod(std::string_view text);

//! The month containing `date` (YYYY-MM-DD).
Period MonthOf(std::string_view date);

//! One finding: what a rule found about one subject in one period.
struct Finding {
  std::string rule_id;
  std::string subject_kind;  //!< organisation | member | transfer | …
  std::int64_t subject_id = 0;
  std::string subject_name;
  std::int64_t org_id = 0;    //!< the organisation answerable (a member's branch)
  std::string org_path;       //!< its materialised path, for subtree queries
  std::string severity;       //!< kRed | kYellow | kInfo
  std::string message;        //!< Chinese, for people
  boost::json::object facts;  //!< the facts behind it, e.g. {"full_members": 2}
};

//! What a rule's scan receives: the subtree [path_from, path_to) of the materialised path, the
//! period, and the day judged (the period's last day, or today when the period is current).
struct ScanContext {
  db::Connection& connection;
  std::string path_from;
  std::string path_to;
  Period period;
  std::string as_of;
  //! Facts several rules share (e.g. member counts per branch), computed once per scan.
  std::map<std::string, std::shared_ptr<void>> memo;

  //! The memoised value under `key`, computed by `make` (a Result<T>) on first use.
  template <class T, class Make>
  Result<std::shared_ptr<T>> Memo(const std::string& key, Make make) {
    if (auto found = memo.find(key); found != memo.end()) {
      return std::static_pointer_cast<T>(found->second);
    }
    auto made = make();
    if (!made) return Fail(made.error());
    auto value = std::make_shared<T>(std::move(*made));
    memo[key] = value;
    return value;
  }
};

//! One rule.
struct RuleSpec {
  std::string id;        //!< `module.subject.what`, e.g. `org.branch.below_three_full`
  std::string title;     //!< Chinese
  std::string severity;  //!< the most severe finding it can raise
  std::string source;    //!< regulation + article, or 本地设置 `key`
  std::string subject_kind;
  //! Gathers the facts of the subtree and judges them (findings in any order).
  std::function<Result<std::vector<Finding>>(ScanContext&)> scan;
};

//! Records that data under `org_path` changed, so that the subtree's findings are recomputed by
//! the incremental scan (in the caller's transaction; cheap).
Result<void> Touch(db::Connection& c, std::string_view org_path);

}  // namespace zhibu::compliance
