#pragma once
//! The compliance board of organisational life for a subtree and a period (spec 04 "Pages": one
//! row per branch, one column per duty of the period, cells red/yellow/green, drilling down to the
//! records). Its cells are computed by the frequency duties' own rule code (rules.h StandingsOf,
//! the function the compliance engine's scan of those rules runs), over the same subtree, period
//! and day judged as `zhibu check --org CODE --period P` — so its red and yellow counts are the
//! findings that command reports for those rules.
//!
//! A 党小组's duty (党小组会, 支部工作条例 第十三条) is folded into its branch's row: the cell
//! shows the worst of the branch's groups, how many groups stand how, and each group's finding;
//! the column's subject totals count the groups.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "modules/org/org_store.h"

namespace zhibu::orglife {

//! The board's query.
struct BoardQuery {
  std::optional<std::int64_t> org_id;  //!< the subtree's root (default: the scope's first root)
  std::string period;                  //!< `2026-11`, `2026-Q3`, `2026` (default: this month)
  //! Only rows whose worst light (or, with `duty`, whose cell in that column) is this: red,
  //! yellow, green or none.
  std::string light;
  std::string duty;  //!< a column id (the kind of record), for `light`
  std::string sort;  //!< `path` (tree order, the default) or `worst` (most red cells first)
  std::int64_t page = 1;
  std::int64_t page_size = 50;
};

//! The board of the subtree of `query.org_id` (inside `scope`, else 404) for `query.period`,
//! judged on the period's last day or `today` when the period is current:
//! `{org, period: {id, first_day, last_day, as_of}, columns: [{id, rule_id, title, cycle_months,
//! subjects, source, totals: {subjects: {red, yellow, green}, rows: {red, yellow, green, none},
//! held}}], totals: {red, yellow, green}, rows: {total, red, yellow, green, none}, items: [{org_id,
//! name, kind, parent, light, counts, cells: {<column id>: {light, held, missed, last_held,
//! due_on, message, finding_id, finding_status[, groups, findings]}}}], total, page,
//! page_size}`. 400 naming `period`, `light`, `duty` or `sort` for a bad filter.
Result<boost::json::object> DutyBoard(db::Connection& c, const org::SubtreeScope& scope,
                                      const BoardQuery& query, const std::string& today);

}  // namespace zhibu::orglife
