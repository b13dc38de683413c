#pragma once
//! The time limits of 发展党员 as compliance rules (spec 06, spec 07): the talk within a month of
//! the application, the half-yearly review of activists, the 党委's approval within 3 months of
//! the 支部大会, the 支部大会 on conversion when the probation ends, and the approval of the
//! conversion within 3 months. Each judges the case's most urgent deadline (kept on the case row
//! by every write): yellow when due within `development.due_soon_days`, red when past.

#include <vector>

#include "platform/compliance/rule.h"

namespace zhibu::development {

std::vector<compliance::RuleSpec> Rules();

}  // namespace zhibu::development
