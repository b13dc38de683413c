#include "platform/document/docx_writer.h"

#include <fmt/format.h>
#include <ioapi.h>
#include <zip.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <exception>
#include <limits>
#include <numeric>
#include <string_view>
#include <utility>

namespace zhibu::document {
namespace {

// ---- fixed parts of the package ------------------------------------------------------------

constexpr std::string_view kXmlDeclaration =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

constexpr std::string_view kContentTypes =
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
    "<Override PartName=\"/word/settings.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"
    "<Override PartName=\"/word/fontTable.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>"
    "<Override PartName=\"/docProps/core.xml\" "
    "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
    "</Types>";

constexpr std::string_view kPackageRelationships =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"word/document.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/"
    "relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
    "</Relationships>";

constexpr std::string_view kDocumentRelationships =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/styles\" Target=\"styles.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/settings\" Target=\"settings.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/fontTable\" Target=\"fontTable.xml\"/>"
    "</Relationships>";

constexpr std::string_view kWordNamespace =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

//! Defaults: 仿宋_GB2312 三号 for Chinese, Times New Roman for Latin letters and digits; Chinese
//! language; no widow control (Chinese text has none); 0.19 cm cell margins.
constexpr std::string_view kStyles =
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    "<w:rFonts w:ascii=\"Times New Roman\" w:eastAsia=\"仿宋_GB2312\" w:hAnsi=\"Times New Roman\" "
    "w:cs=\"Times New Roman\"/><w:kern w:val=\"2\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>"
    "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/>"
    "</w:rPr></w:rPrDefault>"
    "<w:pPrDefault><w:pPr><w:widowControl w:val=\"0\"/><w:jc w:val=\"both\"/></w:pPr>"
    "</w:pPrDefault></w:docDefaults>"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
    "<w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
    "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\">"
    "<w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/>"
    "<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar>"
    "<w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>"
    "<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/>"
    "</w:tblCellMar></w:tblPr></w:style>";

//! Word 2013 and later open the document in their own mode rather than 兼容模式.
constexpr std::string_view kSettings =
    "<w:compat><w:compatSetting w:name=\"compatibilityMode\" "
    "w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>";

//! The 公文 fonts with the names a reader falls back to where they are not installed (Windows 10
//! and later ship 仿宋 but not 仿宋_GB2312; 方正小标宋简体 comes with 方正's packages only).
constexpr std::string_view kFontTable =
    "<w:font w:name=\"仿宋_GB2312\"><w:altName w:val=\"仿宋\"/><w:charset w:val=\"86\"/>"
    "<w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>"
    "<w:font w:name=\"方正小标宋简体\"><w:altName w:val=\"宋体\"/><w:charset w:val=\"86\"/>"
    "<w:family w:val=\"script\"/><w:pitch w:val=\"variable\"/></w:font>"
    "<w:font w:name=\"宋体\"><w:altName w:val=\"SimSun\"/><w:charset w:val=\"86\"/>"
    "<w:family w:val=\"auto\"/><w:pitch w:val=\"variable\"/></w:font>"
    "<w:font w:name=\"黑体\"><w:altName w:val=\"SimHei\"/><w:charset w:val=\"86\"/>"
    "<w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>"
    "<w:font w:name=\"Times New Roman\"><w:charset w:val=\"00\"/><w:family w:val=\"roman\"/>"
    "<w:pitch w:val=\"variable\"/></w:font>";

//! A4 (210 × 297 mm) with the GB/T 9704 margins, in twips (1 mm = 1440 / 25.4 twips).
constexpr std::string_view kSection =
    "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
    "<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\" "
    "w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/></w:sectPr>";

//! The limits Word puts on a font size, in half-points.
constexpr int kMinSizeHalfPoints = 2;
constexpr int kMaxSizeHalfPoints = 3276;

// ---- text ------------------------------------------------------------------------------------

//! `text` with the XML metacharacters escaped and the control characters XML 1.0 cannot carry
//! left out (tab, line feed and carriage return are kept).
std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        if (static_cast<unsigned char>(ch) >= 0x20 || ch == '\t' || ch == '\n' || ch == '\r') {
          out.push_back(ch);
        }
    }
  }
  return out;
}

std::string_view EastAsiaName(Font font) {
  switch (font) {
    case Font::kSong:
      return "宋体";
    case Font::kFangSong:
      return "仿宋_GB2312";
    case Font::kHei:
      return "黑体";
    case Font::kXiaoBiaoSong:
      return "方正小标宋简体";
  }
  return "宋体";
}

std::string_view AlignValue(Align align) {
  switch (align) {
    case Align::kLeft:
      return "left";
    case Align::kCenter:
      return "center";
    case Align::kRight:
      return "right";
    case Align::kBoth:
      return "both";
  }
  return "both";
}

//! One <w:r>: its properties, then `text` as <w:t> pieces with <w:br/> for each `\n` and <w:tab/>
//! for each `\t` (a `\r` is dropped, so `\r\n` is one break). The eastAsia hint sets quotation
//! marks and dashes, which Unicode shares between scripts, in the Chinese font.
void AppendRun(std::string& out, std::string_view text, Font font, int size_half_points, bool bold,
               bool underline) {
  out += "<w:r><w:rPr>";
  out += fmt::format(
      "<w:rFonts w:ascii=\"Times New Roman\" w:eastAsia=\"{0}\" w:hAnsi=\"Times New Roman\" "
      "w:cs=\"Times New Roman\" w:hint=\"eastAsia\"/>",
      EastAsiaName(font));
  if (bold) out += "<w:b/><w:bCs/>";
  out += fmt::format("<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/>", size_half_points);
  if (underline) out += "<w:u w:val=\"single\"/>";
  out += "</w:rPr>";
  std::string piece;
  auto flush = [&] {
    if (piece.empty()) return;
    out += "<w:t xml:space=\"preserve\">";
    out += Escape(piece);
    out += "</w:t>";
    piece.clear();
  };
  for (char ch : text) {
    if (ch == '\n') {
      flush();
      out += "<w:br/>";
    } else if (ch == '\t') {
      flush();
      out += "<w:tab/>";
    } else if (ch != '\r') {
      piece.push_back(ch);
    }
  }
  flush();
  out += "</w:r>";
}

//! A <w:pPr> with the spacing, first-line indent and alignment given. The indent is written both
//! in characters (Word and WPS) and in twips for `indent_size_half_points` (other readers).
void AppendParagraphProperties(std::string& out, Align align, int space_after_twips, int line_twips,
                               int indent_chars, int indent_size_half_points) {
  out += "<w:pPr>";
  if (space_after_twips > 0 || line_twips > 0) {
    out += "<w:spacing w:before=\"0\"";
    out += fmt::format(" w:after=\"{}\"", space_after_twips);
    if (line_twips > 0) out += fmt::format(" w:line=\"{}\" w:lineRule=\"exact\"", line_twips);
    out += "/>";
  }
  if (indent_chars > 0) {
    // One character of a size is as wide as the size: half-points × 10 twips.
    out += fmt::format("<w:ind w:firstLine=\"{}\" w:firstLineChars=\"{}\"/>",
                       indent_chars * indent_size_half_points * 10, indent_chars * 100);
  }
  out += fmt::format("<w:jc w:val=\"{}\"/>", AlignValue(align));
  out += "</w:pPr>";
}

// ---- blocks ----------------------------------------------------------------------------------

Error ShapeError(std::string message) {
  return Error::Internal("document.shape", "文书格式有误：" + std::move(message));
}

bool ValidSize(int size_half_points) {
  return size_half_points >= kMinSizeHalfPoints && size_half_points <= kMaxSizeHalfPoints;
}

Result<void> AppendParagraph(std::string& out, const Paragraph& paragraph) {
  if (paragraph.first_line_indent_chars < 0 || paragraph.space_after_twips < 0 ||
      paragraph.line_twips < 0) {
    return Fail(ShapeError("段落的缩进、段后距或行距为负数"));
  }
  int indent_size =
      paragraph.runs.empty() ? Run{}.size_half_points : paragraph.runs.front().size_half_points;
  out += "<w:p>";
  AppendParagraphProperties(out, paragraph.align, paragraph.space_after_twips, paragraph.line_twips,
                            paragraph.first_line_indent_chars, indent_size);
  for (const Run& run : paragraph.runs) {
    if (!ValidSize(run.size_half_points)) return Fail(ShapeError("字号超出范围"));
    AppendRun(out, run.text, run.font, run.size_half_points, run.bold, run.underline);
  }
  out += "</w:p>";
  return {};
}

Result<void> AppendTable(std::string& out, const Table& table) {
  const auto& widths = table.column_widths_twips;
  if (widths.empty() || table.rows.empty()) return Fail(ShapeError("表格没有列或没有行"));
  if (std::any_of(widths.begin(), widths.end(), [](int w) { return w <= 0; })) {
    return Fail(ShapeError("表格的列宽应为正数"));
  }
  if (!ValidSize(table.size_half_points)) return Fail(ShapeError("表格的字号超出范围"));
  int total = std::accumulate(widths.begin(), widths.end(), 0);
  out += "<w:tbl><w:tblPr>";
  out += fmt::format("<w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>", total);
  out += "<w:tblBorders>";
  for (std::string_view edge : {"top", "left", "bottom", "right", "insideH", "insideV"}) {
    out +=
        fmt::format("<w:{} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>", edge);
  }
  out += "</w:tblBorders><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>";
  for (int width : widths) out += fmt::format("<w:gridCol w:w=\"{}\"/>", width);
  out += "</w:tblGrid>";
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    out += "<w:tr>";
    std::size_t column = 0;
    for (const Cell& cell : table.rows[r]) {
      if (cell.grid_span < 1 || column + cell.grid_span > widths.size()) {
        return Fail(
            ShapeError(fmt::format("表格第 {} 行的单元格超出 {} 列", r + 1, widths.size())));
      }
      int width =
          std::accumulate(widths.begin() + column, widths.begin() + column + cell.grid_span, 0);
      column += cell.grid_span;
      out += fmt::format("<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/>", width);
      if (cell.grid_span > 1) out += fmt::format("<w:gridSpan w:val=\"{}\"/>", cell.grid_span);
      out += "<w:vAlign w:val=\"center\"/></w:tcPr><w:p>";
      AppendParagraphProperties(out, cell.align, 0, 0, 0, table.size_half_points);
      AppendRun(out, cell.text, table.font, table.size_half_points, cell.bold, false);
      out += "</w:p></w:tc>";
    }
    if (column != widths.size()) {
      return Fail(ShapeError(
          fmt::format("表格第 {} 行的单元格只占 {} 列，应为 {} 列", r + 1, column, widths.size())));
    }
    out += "</w:tr>";
  }
  out += "</w:tbl>";
  return {};
}

Result<std::string> DocumentXml(const WordDocument& document) {
  std::string out(kXmlDeclaration);
  out += "<w:document ";
  out += kWordNamespace;
  out += "><w:body>";
  for (const Block& block : document.blocks) {
    Result<void> appended;
    if (const auto* paragraph = std::get_if<Paragraph>(&block)) {
      appended = AppendParagraph(out, *paragraph);
    } else if (const auto* table = std::get_if<Table>(&block)) {
      appended = AppendTable(out, *table);
    } else {
      out += "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>";
    }
    if (!appended) return Fail(appended.error());
  }
  out += kSection;
  out += "</w:body></w:document>";
  return out;
}

//! `part` (the children of the root) inside `<w:root xmlns:w=…>`.
std::string WordPart(std::string_view root, std::string_view part) {
  return fmt::format("{}<w:{} {}>{}</w:{}>", kXmlDeclaration, root, kWordNamespace, part, root);
}

std::string CoreXml(const WordDocument& document, std::chrono::system_clock::time_point now) {
  auto seconds = std::chrono::floor<std::chrono::seconds>(now);
  auto day = std::chrono::floor<std::chrono::days>(seconds);
  std::chrono::year_month_day ymd{day};
  std::chrono::hh_mm_ss hms{seconds - day};
  std::string created =
      fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  hms.hours().count(), hms.minutes().count(), hms.seconds().count());
  std::string author = Escape(document.author);
  return fmt::format(
      "{}<cp:coreProperties "
      "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
      "<dc:title>{}</dc:title><dc:creator>{}</dc:creator>"
      "<cp:lastModifiedBy>{}</cp:lastModifiedBy>"
      "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{}</dcterms:created>"
      "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{}</dcterms:modified>"
      "</cp:coreProperties>",
      kXmlDeclaration, Escape(document.title), author, author, created, created);
}

// ---- zip in memory ---------------------------------------------------------------------------

//! The archive's bytes as minizip writes them: it seeks back to fill in each entry's sizes and
//! checksum, so writes overwrite as well as append.
struct MemorySink {
  std::string bytes;
  std::size_t position = 0;
};

voidpf ZCALLBACK OpenSink(voidpf opaque, const void*, int) { return opaque; }
uLong ZCALLBACK ReadSink(voidpf, voidpf, void*, uLong) { return 0; }
uLong ZCALLBACK WriteSink(voidpf, voidpf stream, const void* data, uLong size) {
  auto* sink = static_cast<MemorySink*>(stream);
  try {
    std::size_t end = sink->position + size;
    if (end > sink->bytes.size()) sink->bytes.resize(end);
    std::memcpy(sink->bytes.data() + sink->position, data, size);
    sink->position = end;
    return size;
  } catch (const std::exception&) {  // out of memory: minizip reports ZIP_ERRNO
    return 0;
  }
}
ZPOS64_T ZCALLBACK TellSink(voidpf, voidpf stream) {
  return static_cast<MemorySink*>(stream)->position;
}
long ZCALLBACK SeekSink(voidpf, voidpf stream, ZPOS64_T offset, int origin) {
  auto* sink = static_cast<MemorySink*>(stream);
  std::size_t base = origin == ZLIB_FILEFUNC_SEEK_SET   ? 0
                     : origin == ZLIB_FILEFUNC_SEEK_CUR ? sink->position
                                                        : sink->bytes.size();
  if (base + offset > sink->bytes.size()) return -1;
  sink->position = base + offset;
  return 0;
}
int ZCALLBACK CloseSink(voidpf, voidpf) { return 0; }
int ZCALLBACK ErrorSink(voidpf, voidpf) { return 0; }

//! A zip archive being written into a MemorySink; closed (and freed) on destruction.
class ZipWriter {
 public:
  explicit ZipWriter(std::chrono::system_clock::time_point now) {
    zlib_filefunc64_def io{OpenSink, ReadSink,  WriteSink, TellSink,
                           SeekSink, CloseSink, ErrorSink, &sink_};
    zip_ = zipOpen2_64("memory.docx", APPEND_STATUS_CREATE, nullptr, &io);
    // Entry times are local (MS-DOS) times: Shanghai's.
    auto local = std::chrono::floor<std::chrono::seconds>(now) + std::chrono::hours(8);
    auto day = std::chrono::floor<std::chrono::days>(local);
    std::chrono::year_month_day ymd{day};
    std::chrono::hh_mm_ss hms{local - day};
    info_.tmz_date.tm_sec = static_cast<uInt>(hms.seconds().count());
    info_.tmz_date.tm_min = static_cast<uInt>(hms.minutes().count());
    info_.tmz_date.tm_hour = static_cast<uInt>(hms.hours().count());
    info_.tmz_date.tm_mday = static_cast<unsigned>(ymd.day());
    info_.tmz_date.tm_mon = static_cast<unsigned>(ymd.month()) - 1;
    info_.tmz_date.tm_year = static_cast<uInt>(static_cast<int>(ymd.year()));
  }
  ~ZipWriter() {
    if (zip_ != nullptr) zipClose(zip_, nullptr);
  }
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  //! Adds the entry `name` holding `content`, deflated.
  Result<void> Add(const char* name, std::string_view content) {
    if (zip_ == nullptr) return Fail(ZipError("无法创建压缩包"));
    if (content.size() >= std::numeric_limits<std::uint32_t>::max()) {
      return Fail(ZipError(std::string(name) + " 超过 4 GB"));
    }
    if (zipOpenNewFileInZip(zip_, name, &info_, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED,
                            Z_DEFAULT_COMPRESSION) != ZIP_OK) {
      return Fail(ZipError(std::string("无法写入 ") + name));
    }
    int written = zipWriteInFileInZip(zip_, content.data(), static_cast<unsigned>(content.size()));
    int closed = zipCloseFileInZip(zip_);
    if (written != ZIP_OK || closed != ZIP_OK) {
      return Fail(ZipError(std::string("无法写入 ") + name));
    }
    return {};
  }

  //! Writes the central directory and answers the archive's bytes.
  Result<std::string> Finish() {
    if (zip_ == nullptr) return Fail(ZipError("无法创建压缩包"));
    int closed = zipClose(zip_, nullptr);
    zip_ = nullptr;
    if (closed != ZIP_OK) return Fail(ZipError("无法写完压缩包"));
    return std::move(sink_.bytes);
  }

 private:
  static Error ZipError(std::string message) {
    return Error::Internal("document.zip_failed", "生成 Word 文档失败：" + std::move(message));
  }

  MemorySink sink_;
  zip_fileinfo info_{};
  zipFile zip_ = nullptr;
};

Paragraph OneRun(std::string text, Align align, int size_half_points, Font font,
                 int first_line_indent_chars, int space_after_twips, int line_twips) {
  Paragraph paragraph;
  Run run;
  run.text = std::move(text);
  run.size_half_points = size_half_points;
  run.font = font;
  paragraph.runs.push_back(std::move(run));
  paragraph.align = align;
  paragraph.first_line_indent_chars = first_line_indent_chars;
  paragraph.space_after_twips = space_after_twips;
  paragraph.line_twips = line_twips;
  return paragraph;
}

//! The 28 pt line of a 公文 page (22 lines of 三号 text on the GB/T 9704 type area).
constexpr int kOfficialLineTwips = 560;

}  // namespace

Result<std::string> RenderDocx(const WordDocument& document) {
  auto body = DocumentXml(document);
  if (!body) return Fail(body.error());
  auto now = std::chrono::system_clock::now();
  const std::pair<const char*, std::string> parts[] = {
      {"[Content_Types].xml", std::string(kXmlDeclaration) + std::string(kContentTypes)},
      {"_rels/.rels", std::string(kXmlDeclaration) + std::string(kPackageRelationships)},
      {"word/document.xml", std::move(*body)},
      {"word/_rels/document.xml.rels",
       std::string(kXmlDeclaration) + std::string(kDocumentRelationships)},
      {"word/styles.xml", WordPart("styles", kStyles)},
      {"word/settings.xml", WordPart("settings", kSettings)},
      {"word/fontTable.xml", WordPart("fonts", kFontTable)},
      {"docProps/core.xml", CoreXml(document, now)},
  };
  ZipWriter zip(now);
  for (const auto& [name, content] : parts) {
    auto added = zip.Add(name, content);
    if (!added) return Fail(added.error());
  }
  return zip.Finish();
}

Paragraph Title(std::string text) {
  return OneRun(std::move(text), Align::kCenter, 44, Font::kXiaoBiaoSong, 0, kOfficialLineTwips, 0);
}

Paragraph Body(std::string text) {
  return OneRun(std::move(text), Align::kBoth, 32, Font::kFangSong, 2, 0, kOfficialLineTwips);
}

Paragraph Signature(std::string text) {
  return OneRun(std::move(text), Align::kRight, 32, Font::kFangSong, 0, 0, kOfficialLineTwips);
}

}  // namespace zhibu::document
