#include "modules/exchange/tabular.h"

#include <iconv.h>

#include <cerrno>

namespace zhibu::exchange {
namespace {

class CsvReader final : public RowReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {}

  Result<bool> Next(Row& row) override {
    if (pos_ >= text_.size()) return false;
    row.number = ++record_;
    row.cells.clear();
    std::string cell;
    bool quoted = false;
    bool was_quoted = false;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (quoted) {
        if (c == '"') {
          if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
            cell.push_back('"');
            pos_ += 2;
          } else {
            quoted = false;
            ++pos_;
          }
        } else {
          cell.push_back(c);
          ++pos_;
        }
        continue;
      }
      if (c == '"' && cell.empty() && !was_quoted) {
        quoted = was_quoted = true;
        ++pos_;
      } else if (c == ',') {
        row.cells.push_back(std::move(cell));
        cell.clear();
        was_quoted = false;
        ++pos_;
      } else if (c == '\r' || c == '\n') {
        pos_ += (c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ? 2 : 1;
        row.cells.push_back(std::move(cell));
        return true;
      } else {
        cell.push_back(c);
        ++pos_;
      }
    }
    if (quoted) {
      return Fail(Error::Invalid("import.csv_malformed",
                                 "第 " + std::to_string(record_) + " 行：引号没有闭合",
                                 "row " + std::to_string(record_)));
    }
    row.cells.push_back(std::move(cell));
    return true;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::int64_t record_ = 0;
};

}  // namespace

bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    int extra = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      extra = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, cp = c & 0x07;
    } else {
      return false;
    }
    for (int k = 1; k <= extra; ++k) {
      if (i + k >= n || (s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

Result<std::string> ToUtf8(std::string_view bytes) {
  if (bytes.substr(0, kUtf8Bom.size()) == kUtf8Bom) bytes.remove_prefix(kUtf8Bom.size());
  if (IsValidUtf8(bytes)) return std::string(bytes);
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return Fail(Error::Invalid("import.encoding", "文件不是 UTF-8 编码（本机无法转换 GB18030）"));
  }
  std::string out(bytes.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  char* dst = out.data();
  std::size_t out_left = out.size();
  bool ok = true;
  while (in_left > 0) {
    if (iconv(cd, &in, &in_left, &dst, &out_left) == static_cast<std::size_t>(-1)) {
      if (errno == E2BIG) {
        std::size_t used = out.size() - out_left;
        out.resize(out.size() * 2);
        dst = out.data() + used;
        out_left = out.size() - used;
        continue;
      }
      ok = false;
      break;
    }
  }
  iconv_close(cd);
  if (!ok) {
    return Fail(Error::Invalid(
        "import.encoding", "文件编码无法识别：请另存为 UTF-8 编码的 CSV 或 Excel（.xlsx）文件"));
  }
  out.resize(out.size() - out_left);
  return out;
}

std::unique_ptr<RowReader> ReadCsv(std::string_view text) {
  return std::make_unique<CsvReader>(text);
}

std::string CsvRecord(const std::vector<std::string>& cells) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) out.push_back(',');
    const std::string& cell = cells[i];
    if (cell.find_first_of(",\"\r\n") == std::string::npos) {
      out += cell;
      continue;
    }
    out.push_back('"');
    for (char c : cell) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out += "\r\n";
  return out;
}

}  // namespace zhibu::exchange
