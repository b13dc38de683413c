#pragma once
//! Tabular files as the importers read them: a source of rows of text cells, numbered as a person
//! sees them in a spreadsheet (the header is row 1). CSV (RFC 4180) and .xlsx (xlsx_reader.h)
//! both answer a RowReader; CSV is also written here.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "platform/error/error.h"

namespace zhibu::exchange {

//! One row of a table: its number as the user sees it (header = 1) and its cells as text.
struct Row {
  std::int64_t number = 0;
  std::vector<std::string> cells;
};

//! Rows one at a time, in file order; skips nothing (blank rows come with empty cells).
class RowReader {
 public:
  virtual ~RowReader() = default;
  //! Fills `row` and answers true, or answers false at the end; a malformed file is an error
  //! naming the row.
  virtual Result<bool> Next(Row& row) = 0;
};

//! `bytes` as UTF-8 text: a UTF-8 byte-order mark is removed; text that is not valid UTF-8 is
//! taken as GB18030 (what Excel on a Chinese Windows saves as "CSV") and converted, failing with
//! `import.encoding` when it is neither.
Result<std::string> ToUtf8(std::string_view bytes);

//! Whether `text` is valid UTF-8.
bool IsValidUtf8(std::string_view text);

//! A reader of RFC 4180 CSV in `text` (UTF-8, already converted): fields separated by commas,
//! records by CRLF or LF, fields in double quotes may hold commas, quotes (doubled) and line
//! breaks. A quote inside an unquoted field is kept as is; an unterminated quoted field is
//! `import.csv_malformed`. Holds a view of `text`, which must outlive the reader.
std::unique_ptr<RowReader> ReadCsv(std::string_view text);

//! One CSV record with its CRLF; fields holding a comma, quote or line break are quoted.
std::string CsvRecord(const std::vector<std::string>& cells);

//! The byte-order mark that makes Excel open a UTF-8 CSV as UTF-8.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

}  // namespace zhibu::exchange
