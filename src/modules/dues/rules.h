#pragma once
//! The dues rules of the compliance engine (spec 05, spec 07): six consecutive months unpaid
//! (党章 第九条, 中组发〔2008〕3号 第十三条: a warning and a matter for the 支部大会, never a
//! removal), arrears building up to it (local setting `dues.arrears_notice_months`), and a month
//! paid below the computed amount without an approved reduction (第七条).

#include <vector>

#include "modules/dues/schedule.h"
#include "platform/compliance/rule.h"

namespace zhibu::dues {

//! The last month a scan on `as_of` may judge as over: the month of `as_of` when it is that month's
//! last day, else the month before.
YearMonth LastCompletedMonth(const std::string& as_of);

//! What the rules conclude about one member's statement (pure; unit-tested).
struct DuesJudgement {
  std::vector<YearMonth> unpaid_run;  //!< the trailing run of unpaid months
  bool six_months = false;            //!< run ≥ 6 (red)
  bool arrears_notice = false;        //!< notice ≤ run < 6 (yellow)
  std::vector<YearMonth> paid_below;  //!< months of the period paid below the amount due
};
DuesJudgement Judge(std::span<const StatementMonth> statement, int notice_months,
                    YearMonth period_first, YearMonth period_last);

//! The rules, for the module's manifest.
std::vector<compliance::RuleSpec> Rules();

}  // namespace zhibu::dues
