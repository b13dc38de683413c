#pragma once
//! A small streaming reader of .xlsx workbooks (Office Open XML spreadsheets) on minizip and
//! expat: the first worksheet's cells as text, row by row, never the whole sheet in memory.
//! Shared strings, inline strings, numbers (as written, so dates stay serial numbers for the
//! caller to convert in date columns), booleans and formula results are read; styles are not.
//! Untrusted input is bounded: the file's size, each part's uncompressed size, the ratio of
//! uncompressed to compressed bytes (zip bombs), the number of rows and cells, and XML with a
//! DOCTYPE is refused (no entity expansion). Every refusal is an `import.xlsx_*` error.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "modules/exchange/tabular.h"

namespace zhibu::exchange {

//! Bounds on a workbook read from untrusted input.
struct XlsxLimits {
  std::uint64_t max_file_bytes = 64u << 20;            //!< the .xlsx file itself
  std::uint64_t max_part_bytes = 512u << 20;           //!< one part once uncompressed
  std::uint64_t max_ratio = 200;                       //!< uncompressed / compressed per part
  std::int64_t max_rows = 1'000'000;                   //!< rows of the worksheet
  std::int64_t max_columns = 256;                      //!< cells per row (A … IV)
  std::uint64_t max_shared_string_bytes = 128u << 20;  //!< all shared strings together
};

//! Opens the workbook held in `bytes` (which must outlive the reader) and answers a reader of its
//! first worksheet. Rows come numbered as in the sheet (its `r` attribute), gaps filled with empty
//! rows so numbering matches what Excel shows; cells are placed by their reference (`C7`), missing
//! cells are empty. Fails with `import.xlsx_invalid` (not a zip or no worksheet),
//! `import.xlsx_too_large`, `import.xlsx_bomb` or `import.xlsx_malformed` (bad XML).
Result<std::unique_ptr<RowReader>> ReadXlsx(std::string_view bytes, const XlsxLimits& limits = {});

//! An Excel date serial number (1900 date system, days since 1899-12-30, with Excel's phantom
//! 1900-02-29 for serials below 61) as `YYYY-MM-DD`; a fraction (time of day) is dropped.
//! Nothing when `text` is not a number in the range of 1900-01-01 … 9999-12-31.
std::optional<std::string> ExcelSerialToIsoDate(std::string_view text);

}  // namespace zhibu::exchange
