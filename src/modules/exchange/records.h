#pragma once
//! Rows of an import file as records of named fields, whatever the format: CSV and Excel map their
//! header row's titles to fields, JSONL objects name fields by key. Row numbers are the file's own
//! (the header is row 1; a JSONL record's number is its line).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "modules/exchange/tabular.h"

namespace zhibu::exchange {

//! The formats files come in.
enum class FileFormat { kCsv, kJsonl, kXlsx };

//! `csv`, `jsonl` (or `ndjson`) or `xlsx`; anything else is 400 `import.format_invalid`.
Result<FileFormat> ParseFileFormat(std::string_view text);
std::string_view FormatName(FileFormat format);
//! The format a file name's extension says, if any.
std::optional<FileFormat> FormatOfFileName(std::string_view name);
//! The Content-Type of a file of `format`.
std::string_view ContentTypeOf(FileFormat format);

//! The field a header title or JSONL key names, or -1 when unknown (the column is ignored).
using FieldLookup = std::function<int(std::string_view)>;

//! One record: the row number, each field's text (empty when absent) and a problem that makes
//! the whole row unreadable (a JSONL line that is not an object).
struct Record {
  std::int64_t row = 0;
  std::vector<std::string> values;
  std::string unreadable;
};

class RecordReader {
 public:
  //! Reads `bytes` (which must outlive the reader for .xlsx) with `field_count` fields. For CSV and
  //! Excel the header is the first of the first five rows that names at least two known columns
  //! (a title line above it is allowed); `import.header_missing` when there is none.
  static Result<std::unique_ptr<RecordReader>> Open(FileFormat format, std::string_view bytes,
                                                    std::size_t field_count, FieldLookup lookup);

  //! The next non-blank record, or false at the end.
  Result<bool> Next(Record& record);

  //! Whether field `i` can have values: named by the header (CSV, Excel); always for JSONL.
  bool HasColumn(std::size_t i) const { return tabular_ ? columns_[i] : true; }
  bool tabular() const { return tabular_; }
  //! The header's row number (tabular formats).
  std::int64_t header_row() const { return header_row_; }
  //! How many data rows the file appears to hold (0 when unknown before reading: .xlsx).
  std::int64_t estimated_rows() const { return estimated_rows_; }

 private:
  RecordReader() = default;
  Result<void> FindHeader();
  Result<bool> NextJsonl(Record& record);

  FileFormat format_ = FileFormat::kCsv;
  std::size_t field_count_ = 0;
  FieldLookup lookup_;
  std::string text_;  // CSV and JSONL, as UTF-8
  std::unique_ptr<RowReader> rows_;
  bool tabular_ = true;
  std::vector<bool> columns_;
  std::vector<int> field_of_column_;
  std::int64_t header_row_ = 0;
  std::int64_t estimated_rows_ = 0;
  std::vector<Row> buffered_;  // rows read while looking for the header
  std::size_t buffered_next_ = 0;
  std::size_t jsonl_pos_ = 0;
  std::int64_t jsonl_line_ = 0;
};

}  // namespace zhibu::exchange
