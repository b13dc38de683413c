#pragma once
//! The store of 连续六个月不交纳党费 cases (spec 05): a case per flagged member, its step records,
//! the list of a subtree. Each function works inside the caller's transaction and sees only the
//! caller's subtree (an id outside is a 404 like a missing one); every write is audited and marks
//! the branch for the compliance engine. Step records are checked by the workflow engine against
//! LapseTable() with the facts gathered here: the member's dues ledger (dues_store.h) and the
//! branch's voters on the meeting's date (the 发展党员 store's EligibleVoters, the same count its
//! 支部大会 uses).

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "modules/dues/schedule.h"
#include "modules/lapse/steps.h"
#include "modules/org/org_store.h"
#include "modules/org/subtree_scope.h"
#include "platform/util/embedded.h"

namespace zhibu::embedded {
const std::vector<EmbeddedFile>& lapse_migrations();
}  // namespace zhibu::embedded

namespace zhibu::lapse {

//! What the dues ledger says of one member on `day`, over the arrears board's window (the twelve
//! completed months before the month of `day`): the trailing run of unpaid months (党章 第九条 and
//! 第十三条 count it; a month 免交 or paid ends it), the months of the window still owed that may
//! still be paid late on `day` (第十二条: at most 6 months back), and whether an approved 免交
//! (reduction to 0) covers a month of the window.
struct LedgerFacts {
  std::vector<dues::YearMonth> unpaid_run;
  std::vector<dues::YearMonth> owed_payable;
  bool exempted = false;
};
//! The facts of a member's statement over the window ending the month before `month`, with the
//! member's approved reductions (pure; LedgerFactsOf gathers them).
LedgerFacts LedgerFactsFrom(std::span<const dues::StatementMonth> statement, dues::YearMonth month,
                            std::span<const dues::ReductionEntry> reductions);

//! 422 `lapse.not_flagged` (field member_id) unless `ledger` shows at least 6 consecutive unpaid
//! months ending last month (党章 第九条, 第十三条); the message names the run and any 免交.
Result<void> RequireFlagged(const LedgerFacts& ledger, const std::string& name);

Result<LedgerFacts> LedgerFactsOf(db::Connection& c, std::int64_t member_id, std::int64_t org_id,
                                  const std::string& org_path, const std::string& day);

//! Opens a case for member `member_id` on `today`: 404 `lapse.member_not_found` outside the scope;
//! 409 `lapse.not_a_member` when they are no longer a member; 422 `lapse.not_flagged` unless the
//! ledger shows at least 6 consecutive unpaid months (naming the run and any 免交); 409
//! `lapse.duplicate_case` when an open case exists. Records the run with the case; answers it.
Result<boost::json::object> OpenCase(db::Connection& c, const org::SubtreeScope& scope,
                                     const org::Change& change, std::int64_t member_id,
                                     const std::string& today);

//! One case with its records, next steps and, while open, the ledger today and the branch's voters
//! today (404 `lapse.case_not_found`).
Result<boost::json::object> GetCase(db::Connection& c, const org::SubtreeScope& scope,
                                    std::int64_t id, const std::string& today);

//! A page of cases of the scope (or of the subtree of `org_id`, or of one member), `status` open |
//! closed | all (400 naming `status` otherwise), oldest opened first.
struct CaseQuery {
  std::optional<std::int64_t> org_id;
  std::optional<std::int64_t> member_id;
  std::string status = "open";
  std::int64_t page = 1;
  std::int64_t page_size = 20;
};
Result<boost::json::object> ListCases(db::Connection& c, const org::SubtreeScope& scope,
                                      const CaseQuery& query);

//! Records the next step from `{step, done_on, note?, …fields}` (the engine's checks, with the
//! ledger and the voters as facts); step 5 approved makes the member 出党 (自行脱党除名) on its
//! date through the member registry (member::ChangeStatus: audited, an event on their timeline).
//! Answers the case.
Result<boost::json::object> RecordStep(db::Connection& c, const org::SubtreeScope& scope,
                                       const org::Change& change, std::int64_t id,
                                       const boost::json::object& body, const std::string& today);

//! Ends an open case by hand: `outcome` not_passed (支部大会未通过) | member_left (转出、去世或
//! 已出党) | withdrawn (核实有误), with the date and the reason. Answers the case.
Result<boost::json::object> CloseCase(db::Connection& c, const org::SubtreeScope& scope,
                                      const org::Change& change, std::int64_t id,
                                      const std::string& closed_on, const std::string& outcome,
                                      const std::string& reason, const std::string& today);

}  // namespace zhibu::lapse
