#include "modules/exchange/xlsx_reader.h"

#include <expat.h>
#include <ioapi.h>
#include <unzip.h>

#include <charconv>
#include <chrono>
#include <cstring>
#include <deque>
#include <optional>
#include <vector>

#include "platform/util/date.h"

namespace zhibu::exchange {
namespace {

Error Invalid(std::string message) {
  return Error::Invalid("import.xlsx_invalid", "Excel 文件无法读取：" + std::move(message));
}
Error TooLarge(std::string message) {
  return Error{ErrorKind::kPayloadTooLarge, "import.xlsx_too_large", std::move(message), "", ""};
}

// ---- minizip over a memory buffer ---------------------------------------------------------

struct MemoryFile {
  std::string_view bytes;
  std::uint64_t pos = 0;
};

voidpf ZCALLBACK OpenMemory(voidpf opaque, const void*, int) { return opaque; }
uLong ZCALLBACK ReadMemory(voidpf, voidpf stream, void* buf, uLong size) {
  auto* f = static_cast<MemoryFile*>(stream);
  std::uint64_t left = f->bytes.size() - std::min<std::uint64_t>(f->pos, f->bytes.size());
  uLong n = static_cast<uLong>(std::min<std::uint64_t>(size, left));
  std::memcpy(buf, f->bytes.data() + f->pos, n);
  f->pos += n;
  return n;
}
uLong ZCALLBACK WriteMemory(voidpf, voidpf, const void*, uLong) { return 0; }
ZPOS64_T ZCALLBACK TellMemory(voidpf, voidpf stream) {
  return static_cast<MemoryFile*>(stream)->pos;
}
long ZCALLBACK SeekMemory(voidpf, voidpf stream, ZPOS64_T offset, int origin) {
  auto* f = static_cast<MemoryFile*>(stream);
  std::uint64_t base = origin == ZLIB_FILEFUNC_SEEK_SET   ? 0
                       : origin == ZLIB_FILEFUNC_SEEK_CUR ? f->pos
                                                          : f->bytes.size();
  if (base + offset > f->bytes.size()) return -1;
  f->pos = base + offset;
  return 0;
}
int ZCALLBACK CloseMemory(voidpf, voidpf) { return 0; }
int ZCALLBACK ErrorMemory(voidpf, voidpf) { return 0; }

//! One zip archive in memory.
class Archive {
 public:
  Archive(std::string_view bytes, const XlsxLimits& limits) : file_{bytes, 0}, limits_(limits) {
    zlib_filefunc64_def io{OpenMemory, ReadMemory,  WriteMemory, TellMemory,
                           SeekMemory, CloseMemory, ErrorMemory, &file_};
    zip_ = unzOpen2_64("memory.xlsx", &io);
  }
  ~Archive() {
    if (zip_ != nullptr) {
      if (open_) unzCloseCurrentFile(zip_);
      unzClose(zip_);
    }
  }
  Archive(const Archive&) = delete;
  Archive& operator=(const Archive&) = delete;

  bool ok() const { return zip_ != nullptr; }

  //! Opens the part `name` for streaming; answers false when the archive has no such part.
  Result<bool> Open(const std::string& name) {
    if (open_) {
      unzCloseCurrentFile(zip_);
      open_ = false;
    }
    if (unzLocateFile(zip_, name.c_str(), 0) != UNZ_OK) return false;
    unz_file_info64 info;
    if (unzGetCurrentFileInfo64(zip_, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK) {
      return Fail(Invalid("压缩包目录损坏"));
    }
    if (info.uncompressed_size > limits_.max_part_bytes) {
      return Fail(TooLarge("Excel 文件的 " + name + " 解压后超过 " +
                           std::to_string(limits_.max_part_bytes >> 20) + " MB"));
    }
    compressed_ = std::max<std::uint64_t>(info.compressed_size, 1);
    read_ = 0;
    part_ = name;
    if (unzOpenCurrentFile(zip_) != UNZ_OK) return Fail(Invalid("无法解压 " + name));
    open_ = true;
    return true;
  }

  //! Reads up to `size` bytes of the open part; 0 at its end. The declared sizes may lie, so the
  //! bytes actually inflated are counted against the limits.
  Result<std::size_t> Read(char* buffer, std::size_t size) {
    int n = unzReadCurrentFile(zip_, buffer, static_cast<unsigned>(size));
    if (n < 0) return Fail(Invalid("解压 " + part_ + " 出错（文件损坏）"));
    read_ += static_cast<std::uint64_t>(n);
    if (read_ > limits_.max_part_bytes) {
      return Fail(TooLarge("Excel 文件的 " + part_ + " 解压后超过 " +
                           std::to_string(limits_.max_part_bytes >> 20) + " MB"));
    }
    if (read_ > (1u << 20) && read_ / compressed_ > limits_.max_ratio) {
      return Fail(Error{ErrorKind::kPayloadTooLarge, "import.xlsx_bomb",
                        "Excel 文件的压缩比异常（疑似“压缩炸弹”），拒绝读取", "", ""});
    }
    return static_cast<std::size_t>(n);
  }

  //! The whole open part as text (for the small parts: workbook, relationships).
  Result<std::string> ReadAll(std::uint64_t max_bytes) {
    std::string out;
    char buffer[16384];
    while (true) {
      auto n = Read(buffer, sizeof buffer);
      if (!n) return Fail(n.error());
      if (*n == 0) break;
      out.append(buffer, *n);
      if (out.size() > max_bytes) return Fail(TooLarge("Excel 文件的 " + part_ + " 过大"));
    }
    return out;
  }

 private:
  MemoryFile file_;
  XlsxLimits limits_;
  unzFile zip_ = nullptr;
  bool open_ = false;
  std::uint64_t compressed_ = 1;
  std::uint64_t read_ = 0;
  std::string part_;
};

// ---- expat helpers -------------------------------------------------------------------------

//! The local part of a possibly prefixed XML name (`x:row` → `row`).
std::string_view Local(const XML_Char* name) {
  std::string_view n(name);
  auto colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

const XML_Char* Attribute(const XML_Char** attributes, std::string_view name) {
  for (int i = 0; attributes[i] != nullptr; i += 2) {
    if (Local(attributes[i]) == name) return attributes[i + 1];
  }
  return nullptr;
}

//! An expat parser that refuses DOCTYPE declarations (so no entity can be defined or expanded).
class Parser {
 public:
  explicit Parser(void* user) : parser_(XML_ParserCreate("UTF-8")) {
    XML_SetUserData(parser_, user);
  }
  ~Parser() { XML_ParserFree(parser_); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
  XML_Parser get() const { return parser_; }

  //! Feeds a chunk; `final` at the end. Errors name the part and line.
  Result<void> Feed(const char* data, std::size_t size, bool final, const std::string& part) {
    if (XML_Parse(parser_, data, static_cast<int>(size), final ? 1 : 0) == XML_STATUS_ERROR) {
      std::string why =
          doctype_ ? "不允许 DOCTYPE 声明" : XML_ErrorString(XML_GetErrorCode(parser_));
      return Fail(Error::Invalid("import.xlsx_malformed",
                                 "Excel 文件的 " + part + " 第 " +
                                     std::to_string(XML_GetCurrentLineNumber(parser_)) +
                                     " 行 XML 格式错误：" + why));
    }
    return {};
  }
  //! Called from the DOCTYPE handler: stops the parse.
  void RefuseDoctype() {
    doctype_ = true;
    XML_StopParser(parser_, XML_FALSE);
  }

 private:
  XML_Parser parser_;
  bool doctype_ = false;
};

//! Streams the open part through `parser` in chunks, calling `after_chunk` after each.
template <class AfterChunk>
Result<void> Stream(Archive& archive, Parser& parser, const std::string& part,
                    AfterChunk after_chunk) {
  std::vector<char> buffer(64 * 1024);
  while (true) {
    auto n = archive.Read(buffer.data(), buffer.size());
    if (!n) return Fail(n.error());
    auto fed = parser.Feed(buffer.data(), *n, *n == 0, part);
    if (!fed) return Fail(fed.error());
    auto more = after_chunk();
    if (!more) return Fail(more.error());
    if (*n == 0) return {};
  }
}

// ---- parts -----------------------------------------------------------------------------------

//! The path inside the archive of the workbook's first worksheet.
Result<std::string> FirstSheetPath(Archive& archive) {
  struct State {
    Parser* parser = nullptr;
    std::string first_rid;
    std::vector<std::pair<std::string, std::string>> rels;  // id → target
  } state;
  auto parse = [&](const std::string& part, XML_StartElementHandler start) -> Result<bool> {
    auto found = archive.Open(part);
    if (!found) return Fail(found.error());
    if (!*found) return false;
    auto text = archive.ReadAll(8u << 20);
    if (!text) return Fail(text.error());
    Parser parser(&state);
    state.parser = &parser;
    XML_SetStartDoctypeDeclHandler(
        parser.get(), [](void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
          static_cast<State*>(data)->parser->RefuseDoctype();
        });
    XML_SetStartElementHandler(parser.get(), start);
    auto fed = parser.Feed(text->data(), text->size(), true, part);
    if (!fed) return Fail(fed.error());
    return true;
  };
  auto workbook =
      parse("xl/workbook.xml", [](void* data, const XML_Char* name, const XML_Char** attributes) {
        auto* s = static_cast<State*>(data);
        if (Local(name) != "sheet" || !s->first_rid.empty()) return;
        if (const XML_Char* id = Attribute(attributes, "id")) s->first_rid = id;
      });
  if (!workbook) return Fail(workbook.error());
  if (*workbook && !state.first_rid.empty()) {
    auto rels = parse("xl/_rels/workbook.xml.rels",
                      [](void* data, const XML_Char* name, const XML_Char** attributes) {
                        auto* s = static_cast<State*>(data);
                        if (Local(name) != "Relationship") return;
                        const XML_Char* id = Attribute(attributes, "Id");
                        const XML_Char* target = Attribute(attributes, "Target");
                        if (id != nullptr && target != nullptr) s->rels.emplace_back(id, target);
                      });
    if (!rels) return Fail(rels.error());
    for (const auto& [id, target] : state.rels) {
      if (id != state.first_rid) continue;
      if (!target.empty() && target.front() == '/') return target.substr(1);
      return "xl/" + target;
    }
  }
  return std::string("xl/worksheets/sheet1.xml");
}

//! Reads xl/sharedStrings.xml (when present): the text of each <si>, rich-text runs joined,
//! phonetic guides (<rPh>) left out.
Result<std::vector<std::string>> SharedStrings(Archive& archive, const XlsxLimits& limits) {
  struct State {
    Parser* parser = nullptr;
    std::vector<std::string> strings;
    std::string current;
    bool in_t = false;
    int phonetic = 0;
    std::uint64_t bytes = 0;
    std::uint64_t max_bytes = 0;
    bool too_large = false;
  } state;
  state.max_bytes = limits.max_shared_string_bytes;
  auto found = archive.Open("xl/sharedStrings.xml");
  if (!found) return Fail(found.error());
  if (!*found) return std::vector<std::string>();
  Parser parser(&state);
  state.parser = &parser;
  XML_SetStartDoctypeDeclHandler(
      parser.get(), [](void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
        static_cast<State*>(data)->parser->RefuseDoctype();
      });
  XML_SetElementHandler(
      parser.get(),
      [](void* data, const XML_Char* name, const XML_Char**) {
        auto* s = static_cast<State*>(data);
        std::string_view n = Local(name);
        if (n == "si") {
          s->current.clear();
        } else if (n == "rPh") {
          ++s->phonetic;
        } else if (n == "t" && s->phonetic == 0) {
          s->in_t = true;
        }
      },
      [](void* data, const XML_Char* name) {
        auto* s = static_cast<State*>(data);
        std::string_view n = Local(name);
        if (n == "si") {
          s->bytes += s->current.size() + sizeof(std::string);
          if (s->bytes > s->max_bytes) {
            s->too_large = true;
            XML_StopParser(s->parser->get(), XML_FALSE);
            return;
          }
          s->strings.push_back(std::move(s->current));
          s->current.clear();
        } else if (n == "rPh") {
          --s->phonetic;
        } else if (n == "t") {
          s->in_t = false;
        }
      });
  XML_SetCharacterDataHandler(parser.get(), [](void* data, const XML_Char* text, int len) {
    auto* s = static_cast<State*>(data);
    if (s->in_t) s->current.append(text, static_cast<std::size_t>(len));
  });
  auto streamed =
      Stream(archive, parser, "xl/sharedStrings.xml", [&]() -> Result<bool> { return true; });
  if (state.too_large) return Fail(TooLarge("Excel 文件的共享字符串表过大"));
  if (!streamed) return Fail(streamed.error());
  return std::move(state.strings);
}

//! The 0-based column of a cell reference (`AB12` → 27), or -1.
int ColumnOf(std::string_view reference) {
  int column = 0;
  std::size_t i = 0;
  for (; i < reference.size() && reference[i] >= 'A' && reference[i] <= 'Z'; ++i) {
    column = column * 26 + (reference[i] - 'A' + 1);
    if (column > 1 << 20) return -1;
  }
  return i == 0 ? -1 : column - 1;
}

std::int64_t RowOf(std::string_view text) {
  std::int64_t row = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), row);
  return ec == std::errc() && end == text.data() + text.size() ? row : -1;
}

//! The worksheet, streamed: a pull reader over expat's push events.
class SheetReader final : public RowReader {
 public:
  SheetReader(std::string_view bytes, const XlsxLimits& limits)
      : archive_(bytes, limits), limits_(limits), parser_(this) {}

  Result<void> Start() {
    if (!archive_.ok()) return Fail(Invalid("不是有效的 .xlsx（zip）文件"));
    auto sheet = FirstSheetPath(archive_);
    if (!sheet) return Fail(sheet.error());
    auto strings = SharedStrings(archive_, limits_);
    if (!strings) return Fail(strings.error());
    shared_ = std::move(*strings);
    part_ = *sheet;
    auto found = archive_.Open(part_);
    if (!found) return Fail(found.error());
    if (!*found) return Fail(Invalid("找不到工作表 " + part_));
    XML_SetStartDoctypeDeclHandler(
        parser_.get(), [](void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
          static_cast<SheetReader*>(data)->parser_.RefuseDoctype();
        });
    XML_SetElementHandler(parser_.get(), &SheetReader::OnStart, &SheetReader::OnEnd);
    XML_SetCharacterDataHandler(parser_.get(), &SheetReader::OnText);
    buffer_.resize(64 * 1024);
    return {};
  }

  Result<bool> Next(Row& row) override {
    while (pending_.empty()) {
      if (failure_) return Fail(*failure_);
      if (ended_) {
        if (!saw_sheet_data_) return Fail(Invalid("工作表没有 sheetData"));
        return false;
      }
      auto n = archive_.Read(buffer_.data(), buffer_.size());
      if (!n) return Fail(n.error());
      auto fed = parser_.Feed(buffer_.data(), *n, *n == 0, part_);
      if (failure_) return Fail(*failure_);
      if (!fed) return Fail(fed.error());
      if (*n == 0) ended_ = true;
    }
    row = std::move(pending_.front());
    pending_.pop_front();
    return true;
  }

 private:
  static void OnStart(void* data, const XML_Char* name, const XML_Char** attributes) {
    auto* s = static_cast<SheetReader*>(data);
    std::string_view n = Local(name);
    if (n == "sheetData") {
      s->saw_sheet_data_ = true;
    } else if (n == "row") {
      std::int64_t number = s->last_row_ + 1;
      if (const XML_Char* r = Attribute(attributes, "r")) number = RowOf(r);
      if (number <= s->last_row_ || number > s->limits_.max_rows) {
        s->Stop(number > s->limits_.max_rows
                    ? TooLarge("工作表超过 " + std::to_string(s->limits_.max_rows) + " 行")
                    : Error::Invalid("import.xlsx_malformed", "工作表的行号不是递增的"));
        return;
      }
      // Rows Excel left out (all empty) come as empty rows, so numbering stays as shown.
      for (std::int64_t gap = s->last_row_ + 1; gap < number; ++gap) {
        s->pending_.push_back(Row{gap, {}});
      }
      s->row_ = Row{number, {}};
      s->last_row_ = number;
      s->next_column_ = 0;
    } else if (n == "c") {
      s->column_ = s->next_column_;
      if (const XML_Char* r = Attribute(attributes, "r")) s->column_ = ColumnOf(r);
      const XML_Char* t = Attribute(attributes, "t");
      s->type_ = t != nullptr ? t : "n";
      s->value_.clear();
      if (s->column_ < 0 || s->column_ >= s->limits_.max_columns) {
        s->Stop(Error::Invalid("import.xlsx_too_wide",
                               "第 " + std::to_string(s->row_.number) + " 行的列超过 " +
                                   std::to_string(s->limits_.max_columns) + " 列"));
      }
    } else if (n == "v" || (n == "t" && s->type_ == "inlineStr")) {
      s->in_value_ = true;
    } else if (n == "rPh") {
      ++s->phonetic_;
    }
  }

  static void OnEnd(void* data, const XML_Char* name) {
    auto* s = static_cast<SheetReader*>(data);
    std::string_view n = Local(name);
    if (n == "v" || n == "t") {
      s->in_value_ = false;
    } else if (n == "rPh") {
      --s->phonetic_;
    } else if (n == "c") {
      std::string text;
      if (s->type_ == "s") {
        std::int64_t index = RowOf(s->value_);
        if (index < 0 || static_cast<std::size_t>(index) >= s->shared_.size()) {
          s->Stop(Error::Invalid("import.xlsx_malformed", "第 " + std::to_string(s->row_.number) +
                                                              " 行引用了不存在的共享字符串"));
          return;
        }
        text = s->shared_[static_cast<std::size_t>(index)];
      } else if (s->type_ == "b") {
        text = s->value_ == "1" ? "TRUE" : "FALSE";
      } else {
        text = std::move(s->value_);  // n, str, inlineStr, e: as written
      }
      auto column = static_cast<std::size_t>(s->column_);
      if (s->row_.cells.size() <= column) s->row_.cells.resize(column + 1);
      s->row_.cells[column] = std::move(text);
      s->next_column_ = s->column_ + 1;
    } else if (n == "row") {
      s->pending_.push_back(std::move(s->row_));
      s->row_ = Row{};
    }
  }

  static void OnText(void* data, const XML_Char* text, int len) {
    auto* s = static_cast<SheetReader*>(data);
    if (s->in_value_ && s->phonetic_ == 0) s->value_.append(text, static_cast<std::size_t>(len));
  }

  void Stop(Error error) {
    if (!failure_) failure_ = std::move(error);
    XML_StopParser(parser_.get(), XML_FALSE);
  }

  Archive archive_;
  XlsxLimits limits_;
  Parser parser_;
  std::string part_;
  std::vector<std::string> shared_;
  std::vector<char> buffer_;
  std::deque<Row> pending_;
  Row row_;
  std::int64_t last_row_ = 0;
  int column_ = 0;
  int next_column_ = 0;
  std::string type_;
  std::string value_;
  bool in_value_ = false;
  int phonetic_ = 0;
  bool saw_sheet_data_ = false;
  bool ended_ = false;
  std::optional<Error> failure_;
};

}  // namespace

Result<std::unique_ptr<RowReader>> ReadXlsx(std::string_view bytes, const XlsxLimits& limits) {
  if (bytes.size() > limits.max_file_bytes) {
    return Fail(TooLarge("Excel 文件超过 " + std::to_string(limits.max_file_bytes >> 20) + " MB"));
  }
  auto reader = std::make_unique<SheetReader>(bytes, limits);
  auto started = reader->Start();
  if (!started) return Fail(started.error());
  return std::unique_ptr<RowReader>(std::move(reader));
}

std::optional<std::string> ExcelSerialToIsoDate(std::string_view text) {
  double serial = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), serial);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (serial < 1 || serial > 2958465) return std::nullopt;
  auto days = static_cast<int>(serial);
  // Excel counts 1900-02-29, which did not exist: serials before it are one day earlier.
  if (days < 61) ++days;
  using namespace std::chrono;
  return FormatIsoDate(
      year_month_day(sys_days(year(1899) / December / 30) + std::chrono::days(days)));
}

}  // namespace zhibu::exchange
