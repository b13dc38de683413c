#pragma once
//! 连续六个月不交纳党费的处置 as a workflow table (spec 05; rules.md §2): 党章 第九条 ("党员如果
//! 没有正当理由，连续六个月……不交纳党费……就被认为是自行脱党。支部大会应当决定把这样的党员除名，
//! 并报上级党组织批准"), 中组发〔2008〕3号 第十三条 and 《中国共产党党员教育管理工作条例》
//! 第二十九–三十一条 (批评教育 → 限期改正 → 除名). Five steps: 1 支部核实 (有正当理由 closes the
//! case), 2 谈话、批评教育，限期改正, then either 3 已改正 (the ledger shows the arrears cleared)
//! or 4 支部大会讨论决定除名 and 5 上级党组织批准 (the member leaves the Party as 自行脱党除名).
//! Gates are pure functions of the case's records and the facts the store gathers
//! (`facts.owed_months`, `facts.eligible_voters`), unit-tested at their edges in steps_test.cpp.

#include <string>
#include <vector>

#include "platform/workflow/workflow.h"

namespace zhibu::lapse {

//! Step numbers the store refers to.
enum Step : int {
  kVerify = 1,
  kTalk = 2,
  kCorrected = 3,
  kMeeting = 4,
  kApproval = 5,
};

//! The table (built once).
const workflow::WorkflowTable& LapseTable();

//! Where a case stands after `history`: `open`, or closed with its outcome — `proper_reason`
//! (step 1 found a proper reason), `corrected` (step 3), `removed` (step 5 approved the 除名),
//! `not_approved` (step 5 did not).
struct CaseState {
  std::string status;   //!< open | closed
  std::string outcome;  //!< empty while open
  int current_step = 0;
  std::string deadline_on;  //!< the 限期改正 date of step 2 (empty before it)
};
CaseState StateOf(const std::vector<workflow::StepRecord>& history);

}  // namespace zhibu::lapse
