#pragma once
//! Word documents (.docx, WordprocessingML) for the forms a 公文 clerk prints or adjusts in WPS or
//! Word: 公示, 政审 summaries, 批复. A document is a list of blocks (paragraphs, tables, page
//! breaks) rendered to the bytes of a zip package in memory. Only font names are written, never
//! font files: 宋体, 仿宋_GB2312, 黑体 and 方正小标宋简体 are the reader's.
//!
//! The page is A4 with the margins of GB/T 9704-2012 (党政机关公文格式): top 37 mm, bottom 35 mm,
//! left 28 mm, right 26 mm.

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "platform/error/error.h"

namespace zhibu::document {

//! Horizontal alignment of a paragraph or a cell; kBoth justifies both edges (公文 body text).
enum class Align { kLeft, kCenter, kRight, kBoth };

//! The East Asian font of a run; Latin letters and digits are set in Times New Roman.
enum class Font {
  kSong,      //!< 宋体: tables and forms.
  kFangSong,  //!< 仿宋_GB2312: the body of a 公文 (Word falls back to 仿宋 where it is missing).
  kHei,       //!< 黑体: first-level headings.
  kXiaoBiaoSong,  //!< 方正小标宋简体: titles (falls back to 宋体).
};

//! A stretch of text with one format. A `\n` in `text` is a line break within the paragraph, a
//! `\t` a tab; other control characters (which XML cannot carry) are left out.
struct Run {
  std::string text;
  bool bold = false;
  int size_half_points = 32;  //!< 32 = 三号 (16 pt), the body size of a 公文; 44 = 二号 (22 pt).
  Font font = Font::kFangSong;
  bool underline = false;
};

//! A paragraph of runs.
struct Paragraph {
  std::vector<Run> runs;
  Align align = Align::kBoth;
  int first_line_indent_chars = 0;  //!< 2 = the customary two-character indent.
  int space_after_twips = 0;        //!< 20 twips = 1 pt.
  int line_twips = 0;               //!< 0 = single spacing; otherwise exact (560 = the 28 pt line).
};

//! A table cell holding one paragraph of `text` (with `\n` as line breaks) that spans `grid_span`
//! columns of the table's grid.
struct Cell {
  std::string text;
  int grid_span = 1;
  bool bold = false;
  Align align = Align::kLeft;
};

//! A table with single-line borders, centred on the page. Every row's cells must span exactly
//! `column_widths_twips.size()` columns (567 twips = 1 cm).
struct Table {
  std::vector<int> column_widths_twips;
  std::vector<std::vector<Cell>> rows;
  int size_half_points = 24;  //!< 24 = 小四 (12 pt).
  Font font = Font::kSong;
};

//! Starts a new page.
struct PageBreak {};

using Block = std::variant<Paragraph, Table, PageBreak>;

//! The media type of a .docx, for `http::Response::Download`.
inline constexpr std::string_view kDocxContentType =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

//! A whole document; `title` and `author` go into its properties (shown by 文件 → 属性).
struct WordDocument {
  std::string title;
  std::string author;
  std::vector<Block> blocks;
};

//! The bytes of a .docx holding `document`: [Content_Types].xml, _rels/.rels, word/document.xml
//! and its relationships, word/styles.xml (default fonts), word/settings.xml, word/fontTable.xml
//! (fallback names of the 公文 fonts) and docProps/core.xml (title, author, created time UTC).
//! Text is XML-escaped; newlines inside a run become <w:br/>. Answers an Internal error (never
//! throws) when a table row does not fill the table's grid exactly (a caller's mistake), or when
//! the zip library fails.
Result<std::string> RenderDocx(const WordDocument& document);

//! The title of a 公文: 方正小标宋简体 二号, centred, followed by one blank 28 pt line.
Paragraph Title(std::string text);
//! A body paragraph: 仿宋_GB2312 三号, justified, a two-character first-line indent, 28 pt lines.
Paragraph Body(std::string text);
//! The signature or date line: 仿宋_GB2312 三号, right-aligned, 28 pt lines.
Paragraph Signature(std::string text);

}  // namespace zhibu::document
