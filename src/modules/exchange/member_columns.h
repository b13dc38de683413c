#pragma once
//! The member roster's columns as a county office keeps them (docs/import.md): one Chinese header
//! row for CSV and Excel, stable English keys for JSONL, and the conversions from what people type
//! in a spreadsheet (`2010/7/1`, `大学本科`, `是`) to the registry's values.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace zhibu::exchange {

//! What a column holds, which decides how its cells are read.
enum class CellKind { kText, kDate, kSex, kEducation, kCategory, kStatus, kFlag };

//! One column of the roster.
struct MemberColumn {
  std::string_view key;    //!< JSONL key: `id_number`
  std::string_view title;  //!< header in CSV/Excel: `公民身份号码`
  bool required;
  CellKind kind;
};

//! The columns, in the template's order.
std::span<const MemberColumn> MemberColumns();

//! Positions in MemberColumns(), for the importer and the exporter.
enum MemberField : int {
  kName,
  kSex,
  kEthnicity,
  kBirthDate,
  kIdNumber,
  kPhone,
  kEducation,
  kDegree,
  kOccupation,
  kWorkUnit,
  kHousehold,
  kAddress,
  kWorkStartedOn,
  kJoinedOn,
  kConfirmedOn,
  kStatus,
  kCategory,
  kOrgCode,
  kOrgName,
  kHardship,
  kMemberFieldCount
};

//! The field a header cell names: the title or an accepted alias (`身份证号`), ignoring spaces,
//! a `*` marking a required column and notes in brackets (`困难党员（是/否）`); or the JSONL key.
//! -1 for a column the importer does not know (it is ignored).
int FieldForHeader(std::string_view header);

//! A header cell as a lookup key: spaces (ASCII, ideographic), `*` and bracketed notes (ASCII or
//! full-width) removed — `基数（元）` → `基数`.
std::string HeaderKey(std::string_view text);

//! A date as people type it — `2010-07-01`, `2010/7/1`, `2010.7.1`, `2010年7月1日`, `20100701` —
//! as `YYYY-MM-DD`; with `excel_serial`, also an Excel serial number (how .xlsx stores dates).
//! Nothing when it is none of these (the caller reports the cell; impossible days like 02-30 are
//! left for the date check, which names the rule).
std::optional<std::string> NormaliseDate(std::string_view text, bool excel_serial);

//! `text` with ASCII and ideographic spaces trimmed from both ends.
std::string Trim(std::string_view text);

//! A spreadsheet's rendering of a whole number (`13912345678`, `1.3912345678E10`,
//! `13912345678.0`) as plain digits, for phone numbers that Excel stored as numbers; other text
//! unchanged.
std::string PlainDigits(std::string_view text);

//! The registry's id for a cell of a closed vocabulary: the Chinese title, an accepted alias or
//! the id itself (`大学本科`, `本科`, `bachelor` → `bachelor`). Nothing when unknown.
std::optional<std::string> EducationId(std::string_view text);
std::optional<std::string> CategoryId(std::string_view text);
std::optional<std::string> SexId(std::string_view text);
std::optional<std::string> StatusId(std::string_view text);  //!< full | probationary
//! 是/否 (also 1/0, true/false, Y/N); empty is 否.
std::optional<bool> FlagValue(std::string_view text);

}  // namespace zhibu::exchange
