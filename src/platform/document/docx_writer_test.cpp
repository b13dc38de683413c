#include "platform/document/docx_writer.h"

#include <expat.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <unzip.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

namespace zhibu::document {
namespace {

//! The entries of a zip archive held in `bytes`, by name (through a temporary file, removed).
std::map<std::string, std::string> Unzip(const std::string& bytes) {
  std::map<std::string, std::string> parts;
  char path[] = "/tmp/zhibu-docx-test-XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  if (fd < 0) return parts;
  close(fd);
  {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  unzFile zip = unzOpen64(path);
  EXPECT_NE(zip, nullptr) << "not a zip archive";
  for (int at = zip == nullptr ? UNZ_END_OF_LIST_OF_FILE : unzGoToFirstFile(zip); at == UNZ_OK;
       at = unzGoToNextFile(zip)) {
    char name[256];
    unz_file_info64 info;
    EXPECT_EQ(unzGetCurrentFileInfo64(zip, &info, name, sizeof name, nullptr, 0, nullptr, 0),
              UNZ_OK);
    EXPECT_EQ(unzOpenCurrentFile(zip), UNZ_OK);
    std::string content(info.uncompressed_size, '\0');
    int read = unzReadCurrentFile(zip, content.data(), static_cast<unsigned>(content.size()));
    EXPECT_EQ(read, static_cast<int>(content.size())) << name;
    EXPECT_EQ(unzCloseCurrentFile(zip), UNZ_OK) << name << ": CRC mismatch";
    parts[name] = std::move(content);
  }
  if (zip != nullptr) unzClose(zip);
  std::remove(path);
  return parts;
}

//! What expat saw in one XML part.
struct Parsed {
  bool well_formed = false;
  std::string error;
  std::string text;                   //!< the character data of every <w:t> (or of the root's
                                      //!< children for other parts), in order
  std::vector<std::string> elements;  //!< every element with its attributes: `w:br type=page`
};

Parsed ParseXml(const std::string& xml) {
  Parsed parsed;
  struct State {
    Parsed* parsed;
    bool in_text = false;
  } state{&parsed};
  XML_Parser parser = XML_ParserCreate("UTF-8");
  XML_SetUserData(parser, &state);
  XML_SetElementHandler(
      parser,
      [](void* data, const XML_Char* name, const XML_Char** attributes) {
        auto* s = static_cast<State*>(data);
        std::string element = name;
        for (int i = 0; attributes[i] != nullptr; i += 2) {
          std::string attribute = attributes[i];
          element += " " + attribute.substr(attribute.find(':') + 1) + "=" + attributes[i + 1];
        }
        s->parsed->elements.push_back(element);
        s->in_text = std::string_view(name) == "w:t" || std::string_view(name) == "dc:title";
      },
      [](void* data, const XML_Char*) { static_cast<State*>(data)->in_text = false; });
  XML_SetCharacterDataHandler(parser, [](void* data, const XML_Char* text, int length) {
    auto* s = static_cast<State*>(data);
    if (s->in_text) s->parsed->text.append(text, static_cast<std::size_t>(length));
  });
  parsed.well_formed =
      XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_OK;
  if (!parsed.well_formed) parsed.error = XML_ErrorString(XML_GetErrorCode(parser));
  XML_ParserFree(parser);
  return parsed;
}

bool Has(const std::vector<std::string>& elements, const std::string& element) {
  return std::find(elements.begin(), elements.end(), element) != elements.end();
}

//! A 公示 of the shape the 发展党员 module writes: title, body, a table with a merged cell, a page
//! break and a signature.
WordDocument Notice() {
  WordDocument document;
  document.title = "关于拟发展<张三>为预备党员的公示";
  document.author = "中共某某县委组织部";
  document.blocks.push_back(Title("关于拟发展张三为预备党员的公示"));
  document.blocks.push_back(
      Body("经支部委员会研究，拟发展张三同志为预备党员。<&>\"引号\"\n如有意见"));
  Table table;
  table.column_widths_twips = {1800, 2400, 1800, 2400};
  table.rows = {
      {{.text = "姓名", .bold = true}, {.text = "张三"}, {.text = "性别"}, {.text = "男"}},
      {{.text = "培养联系人", .grid_span = 2}, {.text = "李四、王五", .grid_span = 2}}};
  document.blocks.push_back(table);
  document.blocks.push_back(PageBreak{});
  document.blocks.push_back(Signature("中共某某村支部委员会\n2025年6月1日"));
  return document;
}

TEST(DocxWriterTest, WritesAPackageWordOpens) {
  auto bytes = RenderDocx(Notice());
  ASSERT_TRUE(bytes) << bytes.error().message;
  auto parts = Unzip(*bytes);
  for (const char* name :
       {"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
        "word/styles.xml", "word/settings.xml", "word/fontTable.xml", "docProps/core.xml"}) {
    ASSERT_TRUE(parts.contains(name)) << name;
    auto parsed = ParseXml(parts[name]);
    EXPECT_TRUE(parsed.well_formed) << name << ": " << parsed.error;
  }
  EXPECT_EQ(parts.size(), 8u);

  auto types = ParseXml(parts["[Content_Types].xml"]);
  EXPECT_TRUE(Has(types.elements,
                  "Override PartName=/word/document.xml ContentType=application/"
                  "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"));
  auto relationships = ParseXml(parts["_rels/.rels"]);
  EXPECT_TRUE(Has(relationships.elements,
                  "Relationship Id=rId1 Type=http://schemas.openxmlformats.org/officeDocument/"
                  "2006/relationships/officeDocument Target=word/document.xml"));
}

TEST(DocxWriterTest, DocumentHoldsTheTextInOrderEscaped) {
  auto bytes = RenderDocx(Notice());
  ASSERT_TRUE(bytes) << bytes.error().message;
  auto parts = Unzip(*bytes);
  const std::string& xml = parts["word/document.xml"];
  auto document = ParseXml(xml);
  ASSERT_TRUE(document.well_formed) << document.error;

  EXPECT_EQ(document.text,
            "关于拟发展张三为预备党员的公示"
            "经支部委员会研究，拟发展张三同志为预备党员。<&>\"引号\"如有意见"
            "姓名张三性别男培养联系人李四、王五"
            "中共某某村支部委员会2025年6月1日");
  EXPECT_NE(xml.find("&lt;&amp;&gt;&quot;引号&quot;"), std::string::npos);
  // The newlines are line breaks; the merged cells span two columns each of the four.
  EXPECT_EQ(std::count(document.elements.begin(), document.elements.end(), "w:br"), 2);
  EXPECT_TRUE(Has(document.elements, "w:br type=page"));
  EXPECT_EQ(std::count(document.elements.begin(), document.elements.end(), "w:gridSpan val=2"), 2);
  EXPECT_EQ(std::count(document.elements.begin(), document.elements.end(), "w:tcW w=4200 type=dxa"),
            2);
  EXPECT_EQ(std::count(document.elements.begin(), document.elements.end(), "w:gridCol w=1800"), 2);
  // The fonts: 方正小标宋简体 二号 title, 仿宋_GB2312 三号 body indented two characters on 28 pt
  // lines, 宋体 小四 in the table; and the page is A4 with the 公文 margins.
  std::string fonts = "w:rFonts ascii=Times New Roman eastAsia=";
  std::string latin = " hAnsi=Times New Roman cs=Times New Roman hint=eastAsia";
  EXPECT_TRUE(Has(document.elements, fonts + "方正小标宋简体" + latin));
  EXPECT_TRUE(Has(document.elements, fonts + "仿宋_GB2312" + latin));
  EXPECT_TRUE(Has(document.elements, fonts + "宋体" + latin));
  EXPECT_TRUE(Has(document.elements, "w:sz val=44"));
  EXPECT_TRUE(Has(document.elements, "w:sz val=24"));
  EXPECT_TRUE(Has(document.elements, "w:ind firstLine=640 firstLineChars=200"));
  EXPECT_TRUE(Has(document.elements, "w:spacing before=0 after=0 line=560 lineRule=exact"));
  EXPECT_TRUE(Has(document.elements, "w:jc val=center"));
  EXPECT_TRUE(Has(document.elements, "w:jc val=right"));
  EXPECT_TRUE(Has(document.elements, "w:b"));
  EXPECT_TRUE(Has(document.elements, "w:pgSz w=11906 h=16838"));
  EXPECT_TRUE(Has(document.elements,
                  "w:pgMar top=2098 right=1474 bottom=1984 left=1587 header=851 footer=992 "
                  "gutter=0"));

  auto styles = ParseXml(parts["word/styles.xml"]);
  EXPECT_TRUE(Has(styles.elements,
                  "w:rFonts ascii=Times New Roman eastAsia=仿宋_GB2312 hAnsi=Times New Roman "
                  "cs=Times New Roman"));
  auto font_table = ParseXml(parts["word/fontTable.xml"]);
  EXPECT_TRUE(Has(font_table.elements, "w:altName val=仿宋"));
}

TEST(DocxWriterTest, CorePropertiesHoldTitleAuthorAndTimeUtc) {
  auto bytes = RenderDocx(Notice());
  ASSERT_TRUE(bytes) << bytes.error().message;
  auto parts = Unzip(*bytes);
  const std::string& xml = parts["docProps/core.xml"];
  auto core = ParseXml(xml);
  ASSERT_TRUE(core.well_formed) << core.error;
  EXPECT_EQ(core.text, "关于拟发展<张三>为预备党员的公示");
  EXPECT_NE(xml.find("<dc:creator>中共某某县委组织部</dc:creator>"), std::string::npos);
  EXPECT_TRUE(std::regex_search(
      xml, std::regex("<dcterms:created xsi:type=\"dcterms:W3CDTF\">"
                      "20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z<")));
}

TEST(DocxWriterTest, ControlCharactersAreLeftOutAndTabsKept) {
  WordDocument document;
  document.title = "标题\x01";
  Paragraph paragraph = Body(std::string("甲\x01乙\x1f丙\t丁\r\n戊"));
  document.blocks.push_back(paragraph);
  auto bytes = RenderDocx(document);
  ASSERT_TRUE(bytes) << bytes.error().message;
  auto parts = Unzip(*bytes);
  auto body = ParseXml(parts["word/document.xml"]);
  ASSERT_TRUE(body.well_formed) << body.error;
  EXPECT_EQ(body.text, "甲乙丙丁戊");
  EXPECT_TRUE(Has(body.elements, "w:tab"));
  EXPECT_EQ(std::count(body.elements.begin(), body.elements.end(), "w:br"), 1);
  auto core = ParseXml(parts["docProps/core.xml"]);
  ASSERT_TRUE(core.well_formed) << core.error;
  EXPECT_EQ(core.text, "标题");
}

TEST(DocxWriterTest, EmptyDocumentIsStillAPage) {
  auto bytes = RenderDocx(WordDocument{});
  ASSERT_TRUE(bytes) << bytes.error().message;
  auto document = ParseXml(Unzip(*bytes)["word/document.xml"]);
  ASSERT_TRUE(document.well_formed) << document.error;
  EXPECT_TRUE(Has(document.elements, "w:pgSz w=11906 h=16838"));
}

TEST(DocxWriterTest, RefusesATableRowThatDoesNotFillTheGrid) {
  Table table;
  table.column_widths_twips = {2000, 2000};
  WordDocument document;

  table.rows = {{{.text = "甲"}, {.text = "乙", .grid_span = 2}}};
  document.blocks = {table};
  auto over = RenderDocx(document);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, "document.shape");
  EXPECT_EQ(over.error().kind, ErrorKind::kInternal);

  table.rows = {{{.text = "甲"}}};
  document.blocks = {table};
  EXPECT_EQ(RenderDocx(document).error().code, "document.shape");

  table.rows = {{{.text = "甲", .grid_span = 0}, {.text = "乙"}, {.text = "丙"}}};
  document.blocks = {table};
  EXPECT_EQ(RenderDocx(document).error().code, "document.shape");

  table.rows = {};
  document.blocks = {table};
  EXPECT_EQ(RenderDocx(document).error().code, "document.shape");

  Paragraph tiny = Body("字");
  tiny.runs.front().size_half_points = 0;
  document.blocks = {tiny};
  EXPECT_EQ(RenderDocx(document).error().code, "document.shape");
}

TEST(DocxWriterTest, BuildersHaveTheShapesOfAnOfficialDocument) {
  Paragraph title = Title("标题");
  EXPECT_EQ(title.align, Align::kCenter);
  EXPECT_EQ(title.runs.front().font, Font::kXiaoBiaoSong);
  EXPECT_EQ(title.runs.front().size_half_points, 44);
  Paragraph body = Body("正文");
  EXPECT_EQ(body.align, Align::kBoth);
  EXPECT_EQ(body.first_line_indent_chars, 2);
  EXPECT_EQ(body.line_twips, 560);
  EXPECT_EQ(body.runs.front().font, Font::kFangSong);
  EXPECT_EQ(body.runs.front().size_half_points, 32);
  Paragraph signature = Signature("落款");
  EXPECT_EQ(signature.align, Align::kRight);
  EXPECT_EQ(signature.runs.front().text, "落款");
}

}  // namespace
}  // namespace zhibu::document
