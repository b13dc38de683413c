#pragma once
//! 党费基数导入 (spec 05: "Declare or import each member's base (with its effective month)"): a
//! spreadsheet of members' dues bases in, all or nothing, under spec 03's import rules. Each row
//! names the member by 身份证号码 (found through the registry's blind index, as search does), the
//! category of the dues rules, the base in yuan, the month it takes effect and a note. Every row is
//! checked first and every bad row reported with its column and reason; a file without any bad
//! row writes each base through dues::DeclareBase — the single-base route's own validation and
//! audit — in one transaction.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "modules/exchange/import_report.h"
#include "modules/exchange/records.h"
#include "platform/crypto/field_cipher.h"
#include "platform/db/database.h"

namespace zhibu::exchange {

//! The fields of a base file, in the template's order.
enum DuesBaseField {
  kBaseIdNumber,  //!< 身份证号码
  kBaseCategory,  //!< 类别: a category title (`在职（按月领取工资）`, `离退休`…) or its id
  kBaseYuan,          //!< 基数: yuan, at most two decimals; empty for the flat categories
  kBaseFarmerAmount,  //!< 农民党员月交纳额: the branch's amount (0.20–1.00), optional
  kBaseMonth,         //!< 生效月份: YYYY-MM
  kBaseNote,          //!< 备注, optional
  kDuesBaseFieldCount,
};

//! The template's header titles, in field order.
const std::vector<std::string>& DuesBaseTitles();

//! The field a header title (or an alias such as `公民身份号码`, ignoring spaces, a `*` and a
//! bracketed note) or a JSONL key (`id_number`, `category`, `base`, `amount`, `effective_month`,
//! `note`) names; -1 for a column the importer does not know (ignored).
int DuesBaseFieldForHeader(std::string_view header);

//! The dues category id (`employed`, …) of a cell: the category's id, its title in the dues
//! rules or a short form people write (`在职`, `退休`, `农民`, `学生`, `下岗失业`, `低保`).
//! Nothing when unknown.
std::optional<std::string> DuesCategoryIdOfCell(std::string_view text);

//! A month cell as `YYYY-MM`: `2026-01`, `2026/1`, `2026.01`, `2026年1月`, `202601`; with
//! `excel_serial` also an Excel date (a serial number, how Excel stores `2026-01` once it has
//! taken it for a date), whose month is taken. Nothing when it is none of these or the month is
//! not 1–12.
std::optional<std::string> NormaliseMonthCell(std::string_view text, bool excel_serial);

//! The template (header row only) as CSV (UTF-8 with BOM) or .xlsx; JSONL has none (400
//! `import.template_format`).
Result<std::string> DuesBaseTemplateBytes(FileFormat format);

//! Imports the bases in `bytes` (a file of `format`) for members in `caller`'s scope (of the
//! permission `dues.write`). A member not in the registry and one outside the scope are reported
//! alike (not found). Answers the outcome — with every bad row and nothing written, or the count
//! written — or an error when the file cannot be read at all or the database fails.
Result<ImportOutcome> ImportDuesBases(db::Database& db, const crypto::FieldCipher& cipher,
                                      const ImportCaller& caller, FileFormat format,
                                      std::string_view bytes, ImportProgress& progress);

}  // namespace zhibu::exchange
