#pragma once
//! Where an export's rows go: CSV (UTF-8 with a byte-order mark, so Excel reads the Chinese),
//! JSONL (one object per row under the stable English keys) or .xlsx (libxlsxwriter, constant
//! memory), into a stream or a file.

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "modules/exchange/records.h"

namespace zhibu::exchange {

//! The columns of an export: titles for CSV/Excel, keys for JSONL; flags are JSON booleans.
struct SinkColumns {
  std::vector<std::string> titles;
  std::vector<std::string> keys;
  std::vector<bool> flag;  //!< columns holding 是/否, written as true/false in JSONL
};

class TableSink {
 public:
  virtual ~TableSink() = default;
  virtual Result<void> Add(const std::vector<std::string>& cells) = 0;
  //! Ends the file (an .xlsx is written only now).
  virtual Result<void> Finish() = 0;
};

//! A sink for `format` writing to `out` (CSV, JSONL) or to the file `xlsx_path` (.xlsx; `out` is
//! unused). The header (CSV, Excel) is written at once.
Result<std::unique_ptr<TableSink>> OpenSink(FileFormat format, const SinkColumns& columns,
                                            std::ostream& out, const std::string& xlsx_path,
                                            const std::string& sheet);

}  // namespace zhibu::exchange
