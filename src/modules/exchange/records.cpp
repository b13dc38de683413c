#include "modules/exchange/records.h"

#include <boost/json.hpp>
#include <cstdio>

#include "modules/exchange/xlsx_reader.h"

namespace zhibu::exchange {

Result<FileFormat> ParseFileFormat(std::string_view text) {
  if (text == "csv") return FileFormat::kCsv;
  if (text == "jsonl" || text == "ndjson") return FileFormat::kJsonl;
  if (text == "xlsx") return FileFormat::kXlsx;
  return Fail(Error::Invalid("import.format_invalid", "文件格式应为 csv、jsonl 或 xlsx", "format"));
}

std::string_view FormatName(FileFormat format) {
  switch (format) {
    case FileFormat::kCsv:
      return "csv";
    case FileFormat::kJsonl:
      return "jsonl";
    case FileFormat::kXlsx:
      return "xlsx";
  }
  return "csv";
}

std::optional<FileFormat> FormatOfFileName(std::string_view name) {
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string ext(name.substr(dot + 1));
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto format = ParseFileFormat(ext);
  if (!format) return std::nullopt;
  return *format;
}

std::string_view ContentTypeOf(FileFormat format) {
  switch (format) {
    case FileFormat::kCsv:
      return "text/csv; charset=utf-8";
    case FileFormat::kJsonl:
      return "application/jsonl; charset=utf-8";
    case FileFormat::kXlsx:
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  return "application/octet-stream";
}

Result<std::unique_ptr<RecordReader>> RecordReader::Open(FileFormat format, std::string_view bytes,
                                                         std::size_t field_count,
                                                         FieldLookup lookup) {
  std::unique_ptr<RecordReader> reader(new RecordReader());
  reader->format_ = format;
  reader->field_count_ = field_count;
  reader->lookup_ = std::move(lookup);
  if (format == FileFormat::kXlsx) {
    auto rows = ReadXlsx(bytes);
    if (!rows) return Fail(rows.error());
    reader->rows_ = std::move(*rows);
  } else {
    auto text = ToUtf8(bytes);
    if (!text) return Fail(text.error());
    reader->text_ = std::move(*text);
    std::int64_t lines = 0;
    for (char c : reader->text_) lines += c == '\n';
    if (!reader->text_.empty() && reader->text_.back() != '\n') ++lines;
    if (format == FileFormat::kJsonl) {
      reader->tabular_ = false;
      reader->estimated_rows_ = lines;
      return reader;
    }
    reader->estimated_rows_ = std::max<std::int64_t>(0, lines - 1);
    reader->rows_ = ReadCsv(reader->text_);
  }
  auto header = reader->FindHeader();
  if (!header) return Fail(header.error());
  return reader;
}

Result<void> RecordReader::FindHeader() {
  Row row;
  for (int i = 0; i < 5; ++i) {
    auto more = rows_->Next(row);
    if (!more) return Fail(more.error());
    if (!*more) break;
    int known = 0;
    for (const auto& cell : row.cells) known += lookup_(cell) >= 0;
    if (known >= 2) {
      header_row_ = row.number;
      columns_.assign(field_count_, false);
      for (const auto& cell : row.cells) {
        int field = lookup_(cell);
        field_of_column_.push_back(field);
        if (field >= 0) columns_[static_cast<std::size_t>(field)] = true;
      }
      if (estimated_rows_ > 0) estimated_rows_ = std::max<std::int64_t>(0, estimated_rows_ - i);
      return {};
    }
    buffered_.push_back(std::move(row));
  }
  return Fail(Error::Invalid("import.header_missing",
                             "找不到表头：前 5 行中没有一行是列名（如“姓名”“公民身份号码”），请使用"
                             "导入模板"));
}

Result<bool> RecordReader::Next(Record& record) {
  if (!tabular_) return NextJsonl(record);
  Row row;
  while (true) {
    auto more = rows_->Next(row);
    if (!more) return Fail(more.error());
    if (!*more) return false;
    bool blank = true;
    for (const auto& cell : row.cells) {
      if (cell.find_first_not_of(" \t\r\n") != std::string::npos) {
        blank = false;
        break;
      }
    }
    if (blank) continue;
    record.row = row.number;
    record.unreadable.clear();
    record.values.assign(field_count_, std::string());
    for (std::size_t c = 0; c < row.cells.size() && c < field_of_column_.size(); ++c) {
      int field = field_of_column_[c];
      if (field >= 0) record.values[static_cast<std::size_t>(field)] = std::move(row.cells[c]);
    }
    return true;
  }
}

Result<bool> RecordReader::NextJsonl(Record& record) {
  while (jsonl_pos_ < text_.size()) {
    auto end = text_.find('\n', jsonl_pos_);
    if (end == std::string::npos) end = text_.size();
    std::string_view line(text_.data() + jsonl_pos_, end - jsonl_pos_);
    jsonl_pos_ = end + 1;
    ++jsonl_line_;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    record.row = jsonl_line_;
    record.unreadable.clear();
    record.values.assign(field_count_, std::string());
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(line, ec);
    if (ec || !value.is_object()) {
      record.unreadable = ec ? "不是有效的 JSON：" + ec.message() : "每行应为一个 JSON 对象";
      return true;
    }
    for (const auto& [key, v] : value.get_object()) {
      int field = lookup_(key);
      if (field < 0) continue;
      std::string& into = record.values[static_cast<std::size_t>(field)];
      if (v.is_string()) {
        into = std::string(v.get_string());
      } else if (v.is_int64()) {
        into = std::to_string(v.get_int64());
      } else if (v.is_uint64()) {
        into = std::to_string(v.get_uint64());
      } else if (v.is_double()) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.15g", v.get_double());
        into = buffer;
      } else if (v.is_bool()) {
        into = v.get_bool() ? "true" : "false";
      } else if (!v.is_null()) {
        record.unreadable = "字段 " + std::string(key) + " 应为文本、数字或布尔值";
      }
    }
    return true;
  }
  return false;
}

}  // namespace zhibu::exchange
