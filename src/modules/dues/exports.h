#pragma once
//! The dues reports as Excel workbooks (spec 05 "Excel exports"): the branch ledger of a month, the
//! subtree's totals by branch, and the arrears list. Each takes the JSON the matching API route
//! answers, so the workbook shows the same figures as the page, with a 合计 row where the page has
//! totals. Amounts stay text (`50.00`): the money path has no floating point, and Excel shows them
//! as the ledger does.

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "platform/error/error.h"

namespace zhibu::dues {

//! A workbook's sheet: its header and rows, and the name to download it under.
struct ExportSheet {
  std::string sheet;
  std::string file_name;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

//! The ledger of `BranchLedger`: one row per member, then 合计.
ExportSheet LedgerSheet(const boost::json::object& ledger);

//! The totals of `SubtreeLedger`: one row per branch, then 合计.
ExportSheet TotalsSheet(const boost::json::object& totals);

//! The arrears of `Arrears` (every page): one row per member owing, the longest unpaid run first.
ExportSheet ArrearsSheet(const boost::json::object& arrears);

//! The sheet as .xlsx bytes.
Result<std::string> WorkbookBytes(const ExportSheet& sheet);

}  // namespace zhibu::dues
