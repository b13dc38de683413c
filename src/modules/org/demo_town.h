#pragma once
//! The town the demo data of the ledger and workflow modules (dues, 发展党员,
//! 连续六个月不交纳党费的 处置) is written into.

#include <optional>
#include <string>

#include "platform/db/database.h"
#include "platform/error/error.h"

namespace zhibu::org {

//! The path of the demo town: the parent of the organisation the first 支部书记 grant (by id) is
//! on; nothing when there is no such grant (the demo tree is not loaded). A database failure is
//! returned as is.
Result<std::optional<std::string>> DemoTownPath(db::Connection& c);

}  // namespace zhibu::org
