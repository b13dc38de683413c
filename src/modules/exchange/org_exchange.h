#pragma once
//! Organisation import and export: a whole tree (or a subtree) as rows of code, name, kind, 领域
//! and parent code, so a county can bring its tree in before its members. Import is all or
//! nothing like the member import: every row is checked first (the tree's own rules through
//! org::ValidateOrgInput, codes unique in the file and the database, each parent known — in the
//! database within the caller's scope, or earlier or later in the same file — and no cycles);
//! then the organisations are created parents first in one transaction.

#include <optional>
#include <string>
#include <string_view>

#include "modules/exchange/import_report.h"
#include "modules/exchange/records.h"
#include "modules/exchange/table_sink.h"
#include "platform/db/database.h"

namespace zhibu::exchange {

//! The columns, in order: 组织编码, 组织名称, 组织类别, 领域, 上级组织编码, 成立日期, 批准文号,
//! 地址.
SinkColumns OrgSinkColumns();

//! Imports the organisations in `bytes` (all or nothing) as of `today`.
Result<ImportOutcome> ImportOrgs(db::Database& db, const ImportCaller& caller, FileFormat format,
                                 std::string_view bytes, const std::string& today,
                                 ImportProgress& progress);

//! Writes every organisation of the subtree under the organisation coded `root_code` (the whole
//! tree when empty), parents before children; answers the count.
Result<std::int64_t> ExportOrgs(db::Connection& c, const std::string& root_code, TableSink& sink);

}  // namespace zhibu::exchange
