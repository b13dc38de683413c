#pragma once
//! Writes .xlsx workbooks with libxlsxwriter (Debian's libxlsxwriter) in its constant-memory mode,
//! so a city-sized export streams row by row to disk. Every cell is written as text: ID and phone
//! numbers must not become numbers, and dates stay `YYYY-MM-DD` as the importer reads them.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "platform/error/error.h"

namespace zhibu::document {

//! The media type of an .xlsx workbook.
inline constexpr std::string_view kXlsxContentType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

class XlsxWriter {
 public:
  //! Starts a workbook at `path` with one sheet named `sheet`; `header` is the first row (bold,
  //! frozen) and sets the column widths.
  static Result<std::unique_ptr<XlsxWriter>> Create(const std::string& path,
                                                    const std::string& sheet,
                                                    const std::vector<std::string>& header);
  ~XlsxWriter();
  XlsxWriter(const XlsxWriter&) = delete;
  XlsxWriter& operator=(const XlsxWriter&) = delete;

  //! Appends one row below the last.
  Result<void> AddRow(const std::vector<std::string>& cells);
  //! Writes the file; nothing is on disk before.
  Result<void> Close();

 private:
  struct Impl;
  explicit XlsxWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

//! A whole workbook as bytes (through a temporary file): `header` and then `rows`.
Result<std::string> XlsxBytes(const std::string& sheet, const std::vector<std::string>& header,
                              const std::vector<std::vector<std::string>>& rows);

}  // namespace zhibu::document
