//! The file formats: CSV (RFC 4180, BOM, GB18030), the .xlsx reader against files written by
//! libxlsxwriter and by hand (inline and shared strings, gaps, dates as serials), its bounds (zip
//! bomb, oversize, rows) and its refusal of malformed XML and DOCTYPEs; the column conversions.

#include <gtest/gtest.h>
#include <iconv.h>
#include <zip.h>

#include "modules/exchange/member_columns.h"
#include "modules/exchange/records.h"
#include "modules/exchange/tabular.h"
#include "modules/exchange/templates.h"
#include "modules/exchange/xlsx_reader.h"
#include "platform/document/xlsx_writer.h"

namespace zhibu::exchange {
namespace {

std::vector<Row> AllRows(RowReader& reader) {
  std::vector<Row> rows;
  Row row;
  while (true) {
    auto more = reader.Next(row);
    EXPECT_TRUE(more.has_value()) << (more ? "" : more.error().message);
    if (!more || !*more) break;
    rows.push_back(row);
  }
  return rows;
}

//! A zip archive written with minizip: name → contents.
std::string Zip(const std::vector<std::pair<std::string, std::string>>& parts) {
  std::string path = TemporaryPath("test", ".zip");
  zipFile zip = zipOpen64(path.c_str(), APPEND_STATUS_CREATE);
  for (const auto& [name, text] : parts) {
    zip_fileinfo info{};
    zipOpenNewFileInZip64(zip, name.c_str(), &info, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED, 9,
                          1);
    zipWriteInFileInZip(zip, text.data(), static_cast<unsigned>(text.size()));
    zipCloseFileInZip(zip);
  }
  zipClose(zip, nullptr);
  return TakeFile(path);
}

//! A minimal workbook whose first sheet is `sheet_xml` (and `shared` shared strings).
std::string Workbook(const std::string& sheet_xml, const std::string& shared = "") {
  std::vector<std::pair<std::string, std::string>> parts = {
      {"xl/workbook.xml",
       "<?xml version=\"1.0\"?><workbook "
       "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
       "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
       "<sheet name=\"名册\" sheetId=\"1\" r:id=\"rId7\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       "<?xml version=\"1.0\"?><Relationships "
       "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship "
       "Id=\"rId7\" Type=\"worksheet\" Target=\"worksheets/first.xml\"/></Relationships>"},
      {"xl/worksheets/first.xml", sheet_xml}};
  if (!shared.empty()) parts.emplace_back("xl/sharedStrings.xml", shared);
  return Zip(parts);
}

TEST(CsvTest, ReadsQuotedFieldsLineBreaksAndBothLineEndings) {
  auto reader = ReadCsv("a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\n,,\nlast,row,");
  auto rows = AllRows(*reader);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1].number, 2);
  EXPECT_EQ(rows[1].cells, (std::vector<std::string>{"x,1", "say \"hi\"", "two\nlines"}));
  EXPECT_EQ(rows[2].cells, (std::vector<std::string>{"", "", ""}));
  EXPECT_EQ(rows[3].number, 4);
  EXPECT_EQ(rows[3].cells, (std::vector<std::string>{"last", "row", ""}));
}

TEST(CsvTest, UnterminatedQuoteIsAnError) {
  auto reader = ReadCsv("a,b\n\"open,2\n");
  Row row;
  ASSERT_TRUE(reader->Next(row).value());
  auto bad = reader->Next(row);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, "import.csv_malformed");
}

TEST(CsvTest, WrittenRecordsReadBack) {
  std::vector<std::string> cells = {"张三", "a,b", "q\"uote", "line\nbreak", ""};
  std::string text = CsvRecord(cells);
  auto reader = ReadCsv(text);
  auto rows = AllRows(*reader);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells, cells);
}

TEST(CsvTest, BomIsDroppedAndGb18030IsConverted) {
  EXPECT_EQ(ToUtf8(std::string(kUtf8Bom) + "姓名").value(), "姓名");
  std::string utf8 = "姓名,民族\n张三,汉族\n";
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  std::string gb(utf8.size() * 2, '\0');
  char* in = utf8.data();
  std::size_t in_left = utf8.size();
  char* out = gb.data();
  std::size_t out_left = gb.size();
  ASSERT_NE(iconv(cd, &in, &in_left, &out, &out_left), static_cast<std::size_t>(-1));
  iconv_close(cd);
  gb.resize(gb.size() - out_left);
  EXPECT_FALSE(IsValidUtf8(gb));
  EXPECT_EQ(ToUtf8(gb).value(), utf8);
}

TEST(XlsxTest, LibxlsxwriterFileReadsBackWithChineseText) {
  std::string path = TemporaryPath("test", ".xlsx");
  std::vector<std::string> header = {"姓名", "公民身份号码", "所在党组织名称"};
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < 3000; ++i) {
    rows.push_back({"欧阳修" + std::to_string(i), "11010519491231002X",
                    i % 2 ? "中共红星村支部委员会 & <第一>党小组" : ""});
  }
  auto bytes = document::XlsxBytes("党员名册", header, rows);
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  auto reader = ReadXlsx(*bytes);
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  auto read = AllRows(**reader);
  ASSERT_EQ(read.size(), rows.size() + 1);
  EXPECT_EQ(read[0].number, 1);
  EXPECT_EQ(read[0].cells, header);
  EXPECT_EQ(read[2].number, 3);
  EXPECT_EQ(read[2].cells, rows[1]);
  EXPECT_EQ(read[3000].cells[0], "欧阳修2999");
  EXPECT_EQ(read[1].cells.size(), 2u) << "an empty last cell is not written";
}

TEST(XlsxTest, SharedStringsGapsAndSerialDates) {
  std::string sheet =
      "<?xml version=\"1.0\"?><worksheet "
      "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>1</v></c></row>"
      "<row r=\"4\"><c r=\"B4\"><v>40360</v></c><c r=\"C4\" t=\"b\"><v>1</v></c>"
      "<c r=\"D4\" t=\"inlineStr\"><is><t>行内</t></is></c></row></sheetData></worksheet>";
  std::string shared =
      "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/"
      "main\"><si><t>入党日期</t></si><si><r><t>富</t></r><r><t>文本</t></r><rPh><t>ふ</t></rPh>"
      "</si></sst>";
  const std::string workbook = Workbook(sheet, shared);  // the reader borrows the bytes
  auto reader = ReadXlsx(workbook);
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  auto rows = AllRows(**reader);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].cells, (std::vector<std::string>{"入党日期", "", "富文本"}));
  EXPECT_TRUE(rows[1].cells.empty());
  EXPECT_EQ(rows[2].number, 3);
  EXPECT_EQ(rows[3].number, 4);
  EXPECT_EQ(rows[3].cells, (std::vector<std::string>{"", "40360", "TRUE", "行内"}));
  EXPECT_EQ(ExcelSerialToIsoDate("40360").value(), "2010-07-01");
  EXPECT_EQ(ExcelSerialToIsoDate("1").value(), "1900-01-01");
  EXPECT_EQ(ExcelSerialToIsoDate("61").value(), "1900-03-01");
  EXPECT_FALSE(ExcelSerialToIsoDate("abc"));
}

TEST(XlsxTest, MalformedXmlAndDoctypeAreRefused) {
  const std::string broken_bytes = Workbook("<worksheet><sheetData><row><c><v>1</v></row>");
  auto broken = ReadXlsx(broken_bytes);
  ASSERT_TRUE(broken.has_value());
  Row row;
  auto bad = (*broken)->Next(row);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, "import.xlsx_malformed");

  const std::string laughs_bytes = Workbook(
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
      "\"&lol;&lol;&lol;&lol;\">]><worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&lol2;</t>"
      "</is></c></row></sheetData></worksheet>");
  auto laughs = ReadXlsx(laughs_bytes);
  ASSERT_TRUE(laughs.has_value());
  auto refused = (*laughs)->Next(row);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, "import.xlsx_malformed");
  EXPECT_NE(refused.error().message.find("DOCTYPE"), std::string::npos);

  auto not_zip = ReadXlsx("this is not a zip file at all");
  ASSERT_FALSE(not_zip.has_value());
  EXPECT_EQ(not_zip.error().code, "import.xlsx_invalid");
}

TEST(XlsxTest, ZipBombAndOversizeAreRefused) {
  // 64 MB of one repeated row compresses about a thousandfold.
  std::string row =
      "<row><c t=\"inlineStr\"><is><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></is></c></row>";
  std::string sheet = "<worksheet><sheetData>";
  while (sheet.size() < (64u << 20)) sheet += row;
  sheet += "</sheetData></worksheet>";
  std::string bomb = Workbook(sheet);
  EXPECT_LT(bomb.size(), 1u << 20);
  XlsxLimits limits;
  limits.max_rows = 10'000'000;
  auto reader = ReadXlsx(bomb, limits);
  ASSERT_TRUE(reader.has_value());
  Row r;
  Result<bool> more = true;
  while (more && *more) more = (*reader)->Next(r);
  ASSERT_FALSE(more.has_value());
  EXPECT_EQ(more.error().code, "import.xlsx_bomb");
  EXPECT_EQ(more.error().kind, ErrorKind::kPayloadTooLarge);

  XlsxLimits small;
  small.max_file_bytes = 100;
  auto too_big = ReadXlsx(bomb, small);
  ASSERT_FALSE(too_big.has_value());
  EXPECT_EQ(too_big.error().code, "import.xlsx_too_large");

  XlsxLimits few;
  few.max_rows = 10;
  const std::string few_bytes = Workbook("<worksheet><sheetData>" + row + row + "<row r=\"11\"/>" +
                                         "</sheetData></worksheet>");
  auto rows = ReadXlsx(few_bytes, few);
  ASSERT_TRUE(rows.has_value());
  more = true;
  while (more && *more) more = (*rows)->Next(r);
  ASSERT_FALSE(more.has_value());
  EXPECT_EQ(more.error().code, "import.xlsx_too_large");
}

TEST(ColumnsTest, HeadersDatesAndVocabularies) {
  EXPECT_EQ(FieldForHeader("姓名"), kName);
  EXPECT_EQ(FieldForHeader(" 公民身份号码* "), kIdNumber);
  EXPECT_EQ(FieldForHeader("身份证号"), kIdNumber);
  EXPECT_EQ(FieldForHeader("困难党员（是/否）"), kHardship);
  EXPECT_EQ(FieldForHeader("id_number"), kIdNumber);
  EXPECT_EQ(FieldForHeader("序号"), -1);
  EXPECT_EQ(NormaliseDate("2010-07-01", false).value(), "2010-07-01");
  EXPECT_EQ(NormaliseDate("2010/7/1", false).value(), "2010-07-01");
  EXPECT_EQ(NormaliseDate("2010.07.01", false).value(), "2010-07-01");
  EXPECT_EQ(NormaliseDate("2010年7月1日", false).value(), "2010-07-01");
  EXPECT_EQ(NormaliseDate("20100701", false).value(), "2010-07-01");
  EXPECT_EQ(NormaliseDate("40360", true).value(), "2010-07-01");
  EXPECT_FALSE(NormaliseDate("40360", false));
  EXPECT_FALSE(NormaliseDate("七月一日", false));
  EXPECT_FALSE(NormaliseDate("2010/7", false));
  EXPECT_EQ(PlainDigits("1.3912345678E10"), "13912345678");
  EXPECT_EQ(PlainDigits("13912345678"), "13912345678");
  EXPECT_EQ(EducationId("大学本科").value(), "bachelor");
  EXPECT_EQ(EducationId("本科").value(), "bachelor");
  EXPECT_FALSE(EducationId("幼儿园"));
  EXPECT_EQ(CategoryId("农村").value(), "rural");
  EXPECT_EQ(SexId("女").value(), "female");
  EXPECT_EQ(StatusId("预备党员").value(), "probationary");
  EXPECT_EQ(FlagValue("").value(), false);
  EXPECT_EQ(FlagValue("是").value(), true);
  EXPECT_FALSE(FlagValue("也许"));
  EXPECT_EQ(Trim("　张三 "), "张三");
}

TEST(RecordsTest, HeaderBelowATitleLineAndJsonlKeys) {
  std::string csv = "某某支部党员花名册,,\n序号,姓名,公民身份号码\n1,张三,110105194912310021\n,,\n";
  auto reader = RecordReader::Open(FileFormat::kCsv, csv, kMemberFieldCount,
                                   [](std::string_view h) { return FieldForHeader(h); });
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  EXPECT_EQ((*reader)->header_row(), 2);
  Record record;
  ASSERT_TRUE((*reader)->Next(record).value());
  EXPECT_EQ(record.row, 3);
  EXPECT_EQ(record.values[kName], "张三");
  EXPECT_FALSE((*reader)->Next(record).value()) << "blank rows are skipped";

  std::string jsonl = "{\"name\":\"李四\",\"hardship\":true,\"phone\":13912345678}\n\n[1]\n";
  auto lines = RecordReader::Open(FileFormat::kJsonl, jsonl, kMemberFieldCount,
                                  [](std::string_view h) { return FieldForHeader(h); });
  ASSERT_TRUE(lines.has_value());
  ASSERT_TRUE((*lines)->Next(record).value());
  EXPECT_EQ(record.values[kName], "李四");
  EXPECT_EQ(record.values[kHardship], "true");
  EXPECT_EQ(record.values[kPhone], "13912345678");
  ASSERT_TRUE((*lines)->Next(record).value());
  EXPECT_EQ(record.row, 3);
  EXPECT_FALSE(record.unreadable.empty());

  auto none = RecordReader::Open(FileFormat::kCsv, "a,b\n1,2\n", kMemberFieldCount,
                                 [](std::string_view h) { return FieldForHeader(h); });
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code, "import.header_missing");
}

}  // namespace
}  // namespace zhibu::exchange
