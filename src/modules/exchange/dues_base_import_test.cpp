//! The cells of a dues base file: headers and their aliases, category cells, month cells as people
//! type them and as Excel stores them, and the template read back through the importers' own
//! reader (the database side is tests/api/dues_api_test.cpp).

#include "modules/exchange/dues_base_import.h"

#include <gtest/gtest.h>

#include "modules/dues/quote.h"

namespace zhibu::exchange {
namespace {

TEST(DuesBaseColumnsTest, HeadersTitlesAliasesAndKeys) {
  EXPECT_EQ(DuesBaseFieldForHeader("身份证号码"), kBaseIdNumber);
  EXPECT_EQ(DuesBaseFieldForHeader("公民身份号码"), kBaseIdNumber);
  EXPECT_EQ(DuesBaseFieldForHeader("*身份证号码"), kBaseIdNumber);
  EXPECT_EQ(DuesBaseFieldForHeader("类别"), kBaseCategory);
  EXPECT_EQ(DuesBaseFieldForHeader("基数（元）"), kBaseYuan);
  EXPECT_EQ(DuesBaseFieldForHeader("基数"), kBaseYuan);
  EXPECT_EQ(DuesBaseFieldForHeader("农民党员月交纳额（元）"), kBaseFarmerAmount);
  EXPECT_EQ(DuesBaseFieldForHeader("生效月份（YYYY-MM）"), kBaseMonth);
  EXPECT_EQ(DuesBaseFieldForHeader(" 生效月份 "), kBaseMonth);
  EXPECT_EQ(DuesBaseFieldForHeader("备注"), kBaseNote);
  EXPECT_EQ(DuesBaseFieldForHeader("effective_month"), kBaseMonth);
  EXPECT_EQ(DuesBaseFieldForHeader("id_number"), kBaseIdNumber);
  EXPECT_EQ(DuesBaseFieldForHeader("姓名"), -1);
  EXPECT_EQ(DuesBaseFieldForHeader(""), -1);
  // Every template title names its own field.
  for (std::size_t i = 0; i < DuesBaseTitles().size(); ++i) {
    EXPECT_EQ(DuesBaseFieldForHeader(DuesBaseTitles()[i]), static_cast<int>(i));
  }
}

TEST(DuesBaseColumnsTest, CategoryCells) {
  for (const auto& c : dues::Categories()) {
    EXPECT_EQ(DuesCategoryIdOfCell(c.title), std::string(c.id));
    EXPECT_EQ(DuesCategoryIdOfCell(c.id), std::string(c.id));
  }
  EXPECT_EQ(DuesCategoryIdOfCell("在职"), "employed");
  EXPECT_EQ(DuesCategoryIdOfCell("退休"), "retired");
  EXPECT_EQ(DuesCategoryIdOfCell("农民"), "farmer");
  EXPECT_EQ(DuesCategoryIdOfCell("低保"), "low_income");
  EXPECT_FALSE(DuesCategoryIdOfCell("公务员"));
  EXPECT_FALSE(DuesCategoryIdOfCell(""));
}

TEST(DuesBaseColumnsTest, MonthCells) {
  EXPECT_EQ(NormaliseMonthCell("2026-01", false), "2026-01");
  EXPECT_EQ(NormaliseMonthCell("2026/1", false), "2026-01");
  EXPECT_EQ(NormaliseMonthCell("2026.11", false), "2026-11");
  EXPECT_EQ(NormaliseMonthCell("2026年3月", false), "2026-03");
  EXPECT_EQ(NormaliseMonthCell("202612", false), "2026-12");
  EXPECT_FALSE(NormaliseMonthCell("2026-13", false));
  EXPECT_FALSE(NormaliseMonthCell("2026-00", false));
  EXPECT_FALSE(NormaliseMonthCell("2026-1-5", false));
  EXPECT_FALSE(NormaliseMonthCell("26-01", false));
  EXPECT_FALSE(NormaliseMonthCell("一月", false));
  EXPECT_FALSE(NormaliseMonthCell("2026-", false));
  EXPECT_FALSE(NormaliseMonthCell("202613", false));
  // Excel took `2026-01` for a date: serial 46023 is 2026-01-01. Not outside an .xlsx file.
  EXPECT_EQ(NormaliseMonthCell("46023", true), "2026-01");
  EXPECT_FALSE(NormaliseMonthCell("46023", false));
}

TEST(DuesBaseColumnsTest, TemplateReadsBackAsItsOwnHeader) {
  auto csv = DuesBaseTemplateBytes(FileFormat::kCsv);
  ASSERT_TRUE(csv) << csv.error().message;
  std::string file = *csv + "11010519491231002X,离退休,4800.5,,2026-01,中文备注\n";
  auto reader = RecordReader::Open(FileFormat::kCsv, file, kDuesBaseFieldCount,
                                   [](std::string_view h) { return DuesBaseFieldForHeader(h); });
  ASSERT_TRUE(reader) << reader.error().message;
  for (std::size_t f = 0; f < kDuesBaseFieldCount; ++f) EXPECT_TRUE((*reader)->HasColumn(f));
  Record record;
  ASSERT_TRUE((*reader)->Next(record).value());
  EXPECT_EQ(record.row, 2);
  EXPECT_EQ(record.values[kBaseCategory], "离退休");
  EXPECT_EQ(record.values[kBaseYuan], "4800.5");
  EXPECT_EQ(record.values[kBaseNote], "中文备注");
  auto xlsx = DuesBaseTemplateBytes(FileFormat::kXlsx);
  ASSERT_TRUE(xlsx) << xlsx.error().message;
  EXPECT_TRUE(xlsx->starts_with("PK"));
  EXPECT_FALSE(DuesBaseTemplateBytes(FileFormat::kJsonl));
}

}  // namespace
}  // namespace zhibu::exchange
