#pragma once
//! The compliance engine (spec 07): runs every registered rule over a subtree for a period,
//! orders the findings deterministically, and reconciles them with the stored ones (new → open,
//! still there → last seen today, gone → resolved by the data). Same data, same findings.

#include <atomic>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "modules/org/org_store.h"
#include "modules/org/subtree_scope.h"
#include "platform/audit/audit_trail.h"
#include "platform/compliance/rule.h"
#include "platform/util/embedded.h"

namespace zhibu::embedded {
const std::vector<EmbeddedFile>& compliance_migrations();
}  // namespace zhibu::embedded

namespace zhibu::compliance {

//! A rule with the module that registered it.
struct RegisteredRule {
  const RuleSpec* spec = nullptr;
  std::string module;
};

//! Every rule of every module, ordered by id. Throws std::logic_error on a duplicate id, an empty
//! source or an unknown severity (a build mistake).
const std::vector<RegisteredRule>& AllRules();

//! The catalogue as Markdown (docs/rules.md is this text; a test compares them).
std::string CatalogueMarkdown();

//! The catalogue as JSON rows `{id, module, title, severity, source, subject_kind}`.
boost::json::array CatalogueJson();

//! Runs every rule (or only `rule_id`) over the subtree under `root_path` for `period`, judged on
//! `as_of`. Findings are ordered by rule, subject kind, subject id.
Result<std::vector<Finding>> Scan(db::Connection& c, const std::string& root_path,
                                  const Period& period, const std::string& as_of,
                                  const std::string& rule_id = {});

//! One finding as a JSON line of `zhibu check` (no first/last seen: byte-identical for equal data).
std::string FindingLine(const Finding& f, const std::string& period);

//! What a reconciliation changed.
struct ReconcileReport {
  std::int64_t found = 0;
  std::int64_t opened = 0;
  std::int64_t resolved = 0;
};

//! Stores `findings` of the subtree under `root_path` for `period` as seen on `today`.
Result<ReconcileReport> Persist(db::Connection& c, const std::vector<Finding>& findings,
                                const std::string& root_path, const Period& period,
                                const std::string& today);

//! Scans and stores the subtree of `root_path` for the month of `today` (the incremental path).
//! On PostgreSQL it first takes a transaction-scoped advisory lock on the tree's root, so that
//! rescans of one tree by several servers on one database take turns instead of colliding.
Result<ReconcileReport> Rescan(db::Connection& c, const std::string& root_path,
                               const std::string& today);

//! Above this many marks, RescanTouched rescans the roots they lie under instead of each subtree.
inline constexpr std::size_t kRootRescanAbove = 200;

//! Rescans every subtree recorded by compliance::Touch for the month of `today` (the server passes
//! the Shanghai date), each in its own transaction that also clears the marks it covers; answers
//! how many subtrees were rescanned. A subtree whose marks another server cleared meanwhile (it
//! rescanned them first) is skipped, so of several servers each change is rescanned once. Returns
//! early, leaving the rest marked, once `*stopping`.
Result<std::int64_t> RescanTouched(db::Database& db, const std::string& today,
                                   const std::atomic<bool>* stopping = nullptr);

//! Scans and stores every root's subtree for the month of `today` (the scheduled full scan).
//! Returns early (the roots not yet scanned left as they were) once `*stopping`.
Result<ReconcileReport> ScanEverything(db::Database& db, const std::string& today,
                                       const std::atomic<bool>* stopping = nullptr);

//! The setting naming the Shanghai hour from which the daily full scan runs.
inline constexpr std::string_view kDailyScanHourSetting = "compliance.daily_scan_hour";

//! How long a daily scan's claim holds without finishing (a full city scan takes seconds).
inline constexpr int kDailyScanLeaseHours = 3;

//! The scheduled full scan (spec 07: "a scheduled job (daily by default)"). Runs ScanEverything
//! when the Shanghai hour of `now_iso` (ISO 8601, +08:00) has reached the setting
//! compliance.daily_scan_hour and no scan has claimed that day yet. The claim is the day's row in
//! compliance_scan_run, inserted in its own transaction before the scan, so of several servers on
//! one database only one scans; the row records when the scan finished and what it found, or the
//! error of a failed scan (the day is then claimed again by the next call). A claim still
//! unfinished kDailyScanLeaseHours after it was taken is taken over (its server died while
//! scanning). Answers nullopt when no scan was due.
Result<std::optional<ReconcileReport>> RunDailyScanIfDue(
    db::Database& db, const std::string& now_iso, const std::atomic<bool>* stopping = nullptr);

//! The latest scheduled scan as `{run_on, started_at, finished_at, found, opened, resolved}`
//! (finished_at null while it runs; `error` when it failed), or null when none ran yet.
Result<boost::json::value> LatestDailyScan(db::Connection& c);

//! Stored findings inside `scope` (and the subtree of `org_id`), filtered.
struct FindingQuery {
  std::optional<std::int64_t> org_id;
  std::string period;  //!< empty: the current month
  std::string rule_id;
  std::string severity;
  std::string status;  //!< empty: open and acknowledged
  std::int64_t page = 1;
  std::int64_t page_size = 50;
};
Result<boost::json::object> ListFindings(db::Connection& c, const org::SubtreeScope& scope,
                                         const FindingQuery& query);

//! The alert board of `org_id` for `period`: counts by rule and severity, by status (open,
//! acknowledged), for each active child organisation its light (red/yellow/green) and counts, and
//! the latest daily scan.
Result<boost::json::object> Board(db::Connection& c, const org::SubtreeScope& scope,
                                  std::int64_t org_id, const std::string& period);

//! Acknowledges an open finding with a note (audited). Resolution is never manual.
Result<boost::json::object> Acknowledge(db::Connection& c, const org::SubtreeScope& scope,
                                        const audit::Actor& actor, std::int64_t account_id,
                                        std::int64_t id, const std::string& note);

}  // namespace zhibu::compliance
