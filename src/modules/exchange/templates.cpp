#include "modules/exchange/templates.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "modules/exchange/member_export.h"
#include "modules/exchange/org_exchange.h"
#include "platform/document/xlsx_writer.h"

namespace zhibu::exchange {

Result<std::string> TemplateBytes(std::string_view kind, FileFormat format) {
  SinkColumns columns = kind == "orgs" ? OrgSinkColumns() : MemberSinkColumns();
  switch (format) {
    case FileFormat::kCsv:
      return std::string(kUtf8Bom) + CsvRecord(columns.titles);
    case FileFormat::kXlsx:
      return document::XlsxBytes(kind == "orgs" ? "党组织" : "党员名册", columns.titles, {});
    case FileFormat::kJsonl:
      break;
  }
  return Fail(Error::Invalid("import.template_format", "模板只有 csv 和 xlsx 两种格式", "format"));
}

std::string TemporaryPath(std::string_view prefix, std::string_view suffix) {
  static std::atomic<std::uint64_t> counter{0};
  return (std::filesystem::temp_directory_path() /
          ("zhibu-" + std::string(prefix) + "-" + std::to_string(::getpid()) + "-" +
           std::to_string(++counter) + std::string(suffix)))
      .string();
}

std::string TakeFile(const std::string& path) {
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) return bytes;
    std::ostringstream buffer;
    buffer << in.rdbuf();
    bytes = std::move(buffer).str();
  }
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
  return bytes;
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(Error::Invalid("import.file_unreadable", "无法读取文件：" + path, "file"));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return std::move(buffer).str();
}

}  // namespace zhibu::exchange
