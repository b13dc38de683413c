#include "platform/document/xlsx_writer.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace zhibu::document {

struct XlsxWriter::Impl {
  lxw_workbook* workbook = nullptr;
  lxw_worksheet* sheet = nullptr;
  lxw_format* text = nullptr;
  lxw_row_t next_row = 0;
  bool closed = false;
};

namespace {

Error WriteFailed(std::string why) {
  return Error::Internal("export.xlsx_failed", "无法写出 Excel 文件：" + std::move(why));
}

//! Display width of `text` in Excel's character units: CJK characters count double.
double WidthOf(const std::string& text) {
  double width = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      width += 1;
    } else if ((c & 0xC0) != 0x80) {
      width += 2;
    }
  }
  return width;
}

//! A path in the temporary directory no other call of this process uses.
std::string TemporaryXlsxPath() {
  static std::atomic<std::uint64_t> counter{0};
  return (std::filesystem::temp_directory_path() /
          ("zhibu-xlsx-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ".xlsx"))
      .string();
}

}  // namespace

XlsxWriter::XlsxWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

XlsxWriter::~XlsxWriter() {
  if (impl_ && !impl_->closed && impl_->workbook != nullptr) workbook_close(impl_->workbook);
}

Result<std::unique_ptr<XlsxWriter>> XlsxWriter::Create(const std::string& path,
                                                       const std::string& sheet_name,
                                                       const std::vector<std::string>& header) {
  auto impl = std::make_unique<Impl>();
  std::string tmpdir = std::filesystem::temp_directory_path().string();
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  options.tmpdir = tmpdir.data();
  options.use_zip64 = LXW_TRUE;
  impl->workbook = workbook_new_opt(path.c_str(), &options);
  if (impl->workbook == nullptr) return Fail(WriteFailed("无法创建 " + path));
  impl->sheet = workbook_add_worksheet(impl->workbook, sheet_name.c_str());
  if (impl->sheet == nullptr) return Fail(WriteFailed("无法添加工作表"));
  impl->text = workbook_add_format(impl->workbook);
  format_set_num_format(impl->text, "@");
  lxw_format* bold = workbook_add_format(impl->workbook);
  format_set_bold(bold);
  format_set_num_format(bold, "@");
  for (std::size_t i = 0; i < header.size(); ++i) {
    double width = std::max(10.0, WidthOf(header[i]) + 2);
    worksheet_set_column(impl->sheet, static_cast<lxw_col_t>(i), static_cast<lxw_col_t>(i),
                         std::min(width, 40.0), impl->text);
  }
  worksheet_freeze_panes(impl->sheet, 1, 0);
  for (std::size_t i = 0; i < header.size(); ++i) {
    worksheet_write_string(impl->sheet, 0, static_cast<lxw_col_t>(i), header[i].c_str(), bold);
  }
  impl->next_row = 1;
  return std::unique_ptr<XlsxWriter>(new XlsxWriter(std::move(impl)));
}

Result<void> XlsxWriter::AddRow(const std::vector<std::string>& cells) {
  lxw_row_t row = impl_->next_row++;
  if (row >= LXW_ROW_MAX) return Fail(WriteFailed("超过 Excel 的最大行数"));
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (cells[i].empty()) continue;
    lxw_error e = worksheet_write_string(impl_->sheet, row, static_cast<lxw_col_t>(i),
                                         cells[i].c_str(), impl_->text);
    if (e != LXW_NO_ERROR) return Fail(WriteFailed(lxw_strerror(e)));
  }
  return {};
}

Result<void> XlsxWriter::Close() {
  impl_->closed = true;
  lxw_error e = workbook_close(impl_->workbook);
  impl_->workbook = nullptr;
  if (e != LXW_NO_ERROR) return Fail(WriteFailed(lxw_strerror(e)));
  return {};
}

Result<std::string> XlsxBytes(const std::string& sheet, const std::vector<std::string>& header,
                              const std::vector<std::vector<std::string>>& rows) {
  std::string path = TemporaryXlsxPath();
  std::string bytes;
  {
    auto writer = XlsxWriter::Create(path, sheet, header);
    if (!writer) return Fail(writer.error());
    for (const auto& row : rows) {
      auto added = (*writer)->AddRow(row);
      if (!added) return Fail(added.error());
    }
    auto closed = (*writer)->Close();
    if (!closed) {
      std::filesystem::remove(path);
      return Fail(closed.error());
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    bytes = std::move(buffer).str();
  }
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
  return bytes;
}

}  // namespace zhibu::document
