#include "modules/exchange/table_sink.h"

#include <boost/json.hpp>

#include "platform/document/xlsx_writer.h"

namespace zhibu::exchange {
namespace {

class CsvSink final : public TableSink {
 public:
  CsvSink(std::ostream& out, const SinkColumns& columns) : out_(out) {
    out_ << kUtf8Bom << CsvRecord(columns.titles);
  }
  Result<void> Add(const std::vector<std::string>& cells) override {
    out_ << CsvRecord(cells);
    return {};
  }
  Result<void> Finish() override {
    out_.flush();
    return {};
  }

 private:
  std::ostream& out_;
};

class JsonlSink final : public TableSink {
 public:
  JsonlSink(std::ostream& out, const SinkColumns& columns) : out_(out), columns_(columns) {}
  Result<void> Add(const std::vector<std::string>& cells) override {
    boost::json::object line;
    for (std::size_t i = 0; i < cells.size() && i < columns_.keys.size(); ++i) {
      if (columns_.flag[i]) {
        line[columns_.keys[i]] = cells[i] == "是";
      } else {
        line[columns_.keys[i]] = cells[i];
      }
    }
    out_ << boost::json::serialize(line) << '\n';
    return {};
  }
  Result<void> Finish() override {
    out_.flush();
    return {};
  }

 private:
  std::ostream& out_;
  SinkColumns columns_;
};

class XlsxSink final : public TableSink {
 public:
  explicit XlsxSink(std::unique_ptr<document::XlsxWriter> writer) : writer_(std::move(writer)) {}
  Result<void> Add(const std::vector<std::string>& cells) override {
    return writer_->AddRow(cells);
  }
  Result<void> Finish() override { return writer_->Close(); }

 private:
  std::unique_ptr<document::XlsxWriter> writer_;
};

}  // namespace

Result<std::unique_ptr<TableSink>> OpenSink(FileFormat format, const SinkColumns& columns,
                                            std::ostream& out, const std::string& xlsx_path,
                                            const std::string& sheet) {
  switch (format) {
    case FileFormat::kCsv:
      return std::unique_ptr<TableSink>(std::make_unique<CsvSink>(out, columns));
    case FileFormat::kJsonl:
      return std::unique_ptr<TableSink>(std::make_unique<JsonlSink>(out, columns));
    case FileFormat::kXlsx: {
      auto writer = document::XlsxWriter::Create(xlsx_path, sheet, columns.titles);
      if (!writer) return Fail(writer.error());
      return std::unique_ptr<TableSink>(std::make_unique<XlsxSink>(std::move(*writer)));
    }
  }
  return Fail(Error::Internal("export.format", "未知的导出格式"));
}

}  // namespace zhibu::exchange
