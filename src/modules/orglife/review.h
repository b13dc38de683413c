#pragma once
//! The higher organisation's review (spec 04 "The higher organisation's review"): the local review
//! checklist (the "两审两备五查" items: classes and items, one list per deployment, edited through
//! the API, audited, an item retired and never deleted so that the problems already counted under
//! it stay valid), the problems a review records against its items, the queue of records waiting
//! for review in the caller's review subtree, and the problems counted by class and item, by branch
//! and by month — the numbers the seeds quote ("梳理整改问题5类13项206个").
//!
//! Free-text reasons (the review's older form) are problems without an item, counted under the
//! class 其他. Every list is limited to a SubtreeScope in its SQL; an organisation outside answers
//! 404 like a missing one.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "modules/org/org_store.h"

namespace zhibu::orglife {

//! The class under which free-text reasons (problems without a checklist item) are counted; no
//! checklist class may take this title.
inline constexpr std::string_view kOtherClassTitle = "其他";

//! An organisation whose subtree a report covers.
struct SubtreeRoot {
  std::int64_t id = 0;
  std::string name;
  std::string code;
  std::string path;
};

//! The organisation `org_id` inside `scope` (404 `org.not_found`, like org::GetOrg), or without
//! one the scope's first root (as org::ScopeRoots orders them; 404 when the scope is empty) —
//! without the member counts org::GetOrg computes for the whole subtree.
Result<SubtreeRoot> SubtreeRootOf(db::Connection& c, const org::SubtreeScope& scope,
                                  const std::optional<std::int64_t>& org_id);

//! The checklist as `{classes: [{id, seq, title, items: [{id, seq, title, source, seeded,
//! retired, retired_at}]}]}`, classes and items in their order. Retired items only when
//! `with_retired` (classes without any item shown are left out).
Result<boost::json::object> GetChecklist(db::Connection& c, bool with_retired);

//! A new checklist item: its class by id, or by title (created, last in order, when no class has
//! it), its title, and the basis it follows (empty: 本地做法).
struct ChecklistItemInput {
  std::optional<std::int64_t> class_id;
  std::string class_title;
  std::string title;
  std::string source;
};

//! The body `{class: title | id, title, source?}` as a ChecklistItemInput (400 naming the field).
Result<ChecklistItemInput> ChecklistItemFromJson(const boost::json::value& body);

//! Adds an item at the end of its class (audited `orglife.checklist.add`, and
//! `orglife.checklist.add_class` for a new class). 400 `class` for an unknown class id or the
//! reserved title 其他; 409 `orglife.checklist_item_duplicate` (field `title`) when the class
//! already has an item of that title in use. Answers the item.
Result<boost::json::object> AddChecklistItem(db::Connection& c, const org::Change& change,
                                             const ChecklistItemInput& input);

//! Retires item `id` (audited `orglife.checklist.retire`, with `change.reason` when given): it is
//! no longer offered to reviewers, and the problems recorded under it keep it. 404
//! `orglife.checklist_item_not_found`; 409 `orglife.checklist_item_retired` when already retired.
Result<boost::json::object> RetireChecklistItem(db::Connection& c, const org::Change& change,
                                                std::int64_t id);

//! One problem a reviewer names: a checklist item and an optional note.
struct ProblemInput {
  std::int64_t item_id = 0;
  std::string note;
};

//! The `problems` of a review body: nullopt when absent or null, else each `{item_id, note?}`
//! (400 `problems`, `problems[i]`, `problems[i].item_id` or `problems[i].note` for a wrong type).
Result<std::optional<std::vector<ProblemInput>>> ProblemsFromJson(const boost::json::value& body);

//! Every item named exists and is in use, each once, notes within bounds: 400
//! `orglife.checklist_item_unknown` (an unknown or retired item), `orglife.problem_duplicate` or
//! `orglife.text_too_long`, naming `problems[i].item_id` or `problems[i].note`.
Result<void> CheckProblems(db::Connection& c, const std::vector<ProblemInput>& problems);

//! Stores the problems of review `review_id` of record `record_id` of organisation `org_id`: the
//! checklist problems, then the free-text reasons (no item), found today (Asia/Shanghai). Answers
//! them as the audit records them: `[{item_id, class, item, note}]`.
Result<boost::json::array> RecordProblems(db::Connection& c, std::int64_t review_id,
                                          std::int64_t record_id, std::int64_t org_id,
                                          const std::vector<std::string>& reasons,
                                          const std::vector<ProblemInput>& problems);

//! The problems of review `review_id` as a record shows them: `[{item_id, class, item, note}]`
//! (`item_id` null and class 其他 for a free-text reason).
Result<boost::json::array> ReviewProblemsJson(db::Connection& c, std::int64_t review_id);

//! The review queue's filters.
struct ReviewQueueQuery {
  std::optional<std::int64_t> org_id;  //!< only the records of this organisation's subtree
  std::string kind;
  std::int64_t page = 1;
  std::int64_t page_size = 50;
};

//! The submitted records the caller may review — those whose parent organisation lies inside
//! `review_scope` (a branch's own records are its parent's to review) — oldest submission first,
//! each with its organisation's trail of names inside the scope, the kind's title, when it was
//! submitted and how many days it has waited on `today`. `{items, total, page, page_size}`.
Result<boost::json::object> ReviewQueue(db::Connection& c, const org::SubtreeScope& review_scope,
                                        const ReviewQueueQuery& query, const std::string& today);

//! The problem statistics' filters: months `YYYY-MM`, inclusive (defaults: January of `today`'s
//! year to `today`'s month).
struct ProblemStatsQuery {
  std::optional<std::int64_t> org_id;  //!< default: the first organisation of the scope
  std::string from;
  std::string to;
};

//! The problems found by reviews in the months `from`..`to` (the day of the review) on records of
//! the subtree of `org_id` inside `scope`: totals (problems, records, branches, classes and items
//! with problems), counts by class and item (every item of the checklist, retired ones when they
//! have problems, and 其他), by branch (a 党小组's problems count for its branch) with their
//! classes, and by month (every month of the range). Set-based: a few grouped queries.
Result<boost::json::object> ProblemStats(db::Connection& c, const org::SubtreeScope& scope,
                                         const ProblemStatsQuery& query, const std::string& today);

}  // namespace zhibu::orglife
