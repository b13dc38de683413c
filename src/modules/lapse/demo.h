#pragma once
//! Demo cases for `zhibu serve --demo`: in the demo dues town (dues/demo.h), the first two members
//! the ledger flags six months unpaid get an open case — the first verified by its branch (step 1,
//! 无正当理由), the second just opened — so that the 处置 pages are not empty; the other flagged
//! members are left for the branch to start.

#include <string>

#include "platform/db/database.h"

namespace zhibu::lapse {

//! Opens the demo cases unless a case exists already; answers a one-line summary (empty when there
//! was nothing to do).
Result<std::string> LoadDemoLapse(db::Database& db, const std::string& today);

}  // namespace zhibu::lapse
