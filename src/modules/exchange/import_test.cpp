//! The importers' validation on a real SQLite database: an organisation tree imported from CSV
//! (children listed before parents, cycles and unknown parents refused), then member rosters with
//! every kind of bad row reported at once and nothing written, a scope that hides part of the
//! tree, and a clean import with its spans, events and single audit event.

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <filesystem>

#include "modules/exchange/member_columns.h"
#include "modules/exchange/member_import.h"
#include "modules/exchange/org_exchange.h"
#include "modules/exchange/tabular.h"
#include "modules/member/member_store.h"
#include "modules/member/statistics.h"
#include "modules/member/statistics_counters.h"
#include "platform/db/migrations.h"
#include "platform/identity/id_number.h"
#include "platform/module/manifest.h"

namespace zhibu::exchange {
namespace {

constexpr std::string_view kToday = "2026-11-23";

std::string Id(std::string_view body17) {
  return std::string(body17) + identity::CheckCode(body17);
}

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("zhibu-import-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = db::Database::Open("sqlite:" + (dir_ / "z.db").string());
    ASSERT_TRUE(db.has_value());
    db_ = std::move(*db);
    ASSERT_TRUE(db::ApplyMigrations(*db_, AllMigrations()).has_value());
    member::InstallTreeHooks();
    std::string tree =
        "组织编码,组织名称,组织类别,领域,上级组织编码\n"
        "T-1-1,第一支部,党支部,机关,T-1\n"
        "T,测试县委组织部,组织部门,机关,\n"
        "T-1,测试镇党委,基层党委,农村,T\n"
        "T-2,第二支部,党支部,农村,T\n"
        "T-1-G,第一党小组,党小组,机关,T-1-1\n";
    ImportProgress progress;
    auto outcome =
        ImportOrgs(*db_, Everything(), FileFormat::kCsv, tree, std::string(kToday), progress);
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    ASSERT_TRUE(outcome->errors.empty()) << outcome->errors[0].message;
    ASSERT_EQ(outcome->imported, 5);
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  static ImportCaller Everything() {
    return {{std::nullopt, "test", "", std::nullopt, "local"},
            std::nullopt,
            [](db::Connection&) -> Result<org::SubtreeScope> {
              return org::SubtreeScope::Everything();
            }};
  }
  //! A caller who manages only the subtree of `code`.
  ImportCaller Within(const std::string& code) {
    return {{std::nullopt, "test", "", std::nullopt, "local"},
            std::nullopt,
            [code](db::Connection& c) -> Result<org::SubtreeScope> {
              auto rows = c.Query("SELECT path FROM organisation WHERE code = $1", {code});
              if (!rows) return Fail(rows.error());
              return org::SubtreeScope::Of({rows->Text(0, 0)});
            }};
  }

  std::int64_t Count(const std::string& sql) {
    return db_
        ->Read([&](db::Connection& c) -> Result<std::int64_t> {
          auto rows = c.Query(sql);
          if (!rows) return Fail(rows.error());
          return rows->Int(0, 0);
        })
        .value();
  }

  Result<ImportOutcome> Members(const std::string& csv, const ImportCaller& caller) {
    ImportProgress progress;
    return ImportMembers(*db_, cipher_, caller, FileFormat::kCsv, csv, std::string(kToday),
                         progress);
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::Database> db_;
  crypto::FieldCipher cipher_{{{1, std::string(32, 'k')}}};
};

const std::string kHeader =
    "姓名,性别,民族,公民身份号码,学历,入党日期,转正日期,党员状态,人员类别,所在党组织代码,"
    "所在党组织名称,困难党员,出生日期\n";

TEST_F(ImportTest, EveryBadRowIsReportedAndNothingIsWritten) {
  std::string good = Id("11010519800101001");  // male, born 1980-01-01
  std::string csv =
      kHeader +
      // 2: fine
      "张三,男,汉族," + good +
      ",大学本科,2005-07-01,2006-07-01,正式党员,机关,T-1-1,第一支部,否,\n" +
      // 3: bad checksum
      "李四,男,汉族," + good.substr(0, 17) + (good[17] == '1' ? "2" : "1") +
      ",大学本科,2005-07-01,,,机关,T-1-1,,,\n" +
      // 4: 转正 before 入党
      "王五,,汉族," + Id("11010519800202002") + ",大学本科,2005-07-01,2004-07-01,,机关,T-1-1,,,\n" +
      // 5: unknown organisation; 6: not a branch; 7: wrong name for the code
      "赵六,,汉族," + Id("11010519800303003") + ",大学本科,2005-07-01,,,机关,NOPE,,,\n" +
      "钱七,,汉族," + Id("11010519800404004") + ",大学本科,2005-07-01,,,机关,T-1,,,\n" +
      "孙八,,汉族," + Id("11010519800505005") + ",大学本科,2005-07-01,,,机关,T-1-1,第二支部,,\n" +
      // 8: duplicate of row 2; 9: joined before 18; 10: sex disagrees; 11: birth date disagrees
      "周九,,汉族," + good + ",大学本科,2005-07-01,,,机关,T-1-1,,,\n" + "吴十,,汉族," +
      Id("11010520000606006") + ",大学本科,2015-07-01,,,机关,T-1-1,,,\n" + "郑一,女,汉族," +
      Id("11010519800707007") + ",大学本科,2005-07-01,,,机关,T-1-1,,,\n" + "冯二,,汉族," +
      Id("11010519800808008") + ",大学本科,2005-07-01,,,机关,T-1-1,,,1980-08-09\n" +
      // 12: vocabularies and dates; 13: a required cell empty; 14: 正式 without 转正日期
      "陈三,,汉族," + Id("11010519800909009") + ",幼儿园,2005年7月1日,,,外星,T-1-1,,也许,\n" +
      ",,汉族," + Id("11010519801010010") + ",大学本科,2005-07-01,,,机关,T-1-1,,,\n" +
      "褚四,,汉族," + Id("11010519801111011") + ",大学本科,2005-07-01,,正式党员,机关,T-1-1,,,\n";
  auto outcome = Members(csv, Everything());
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  EXPECT_EQ(outcome->total_rows, 13);
  EXPECT_EQ(outcome->imported, 0);
  std::vector<std::pair<std::int64_t, std::string>> got;
  for (const auto& e : outcome->errors) got.emplace_back(e.row, e.column);
  std::vector<std::pair<std::int64_t, std::string>> expected = {
      {3, "公民身份号码"},   {4, "转正日期"},     {5, "所在党组织代码"}, {6, "所在党组织代码"},
      {7, "所在党组织名称"}, {8, "公民身份号码"}, {9, "入党日期"},       {10, "性别"},
      {11, "出生日期"},      {12, "学历"},        {12, "人员类别"},      {12, "困难党员"},
      {13, "姓名"},          {14, "党员状态"}};
  EXPECT_EQ(got, expected);
  for (const auto& e : outcome->errors) {
    EXPECT_FALSE(e.message.empty());
    if (e.column == "公民身份号码") {
      EXPECT_EQ(e.value.find(good), std::string::npos) << "ID numbers are masked in reports";
    }
  }
  EXPECT_NE(outcome->errors[5].message.find("第 2 行"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM member"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_event WHERE action = 'member.import'"), 0);
}

TEST_F(ImportTest, ACleanFileIsImportedWithSpansEventsAndOneAuditEvent) {
  std::string csv = kHeader;
  for (int i = 0; i < 30; ++i) {
    char body[32];
    std::snprintf(body, sizeof body, "110105197%d01%02d%03d", i % 10, 1 + i % 28, 100 + i);
    std::string confirmed = i % 3 == 0 ? "" : "2001-03-01";
    csv += "党员" + std::to_string(i) + ",,汉," + Id(body) + ",本科,2000/3/1," + confirmed +
           ",,农村," + (i % 2 ? "T-1-1" : "T-2") + ",,是,\n";
  }
  std::int64_t audit_before = Count("SELECT COUNT(*) FROM audit_event");
  auto outcome = Members(csv, Everything());
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  ASSERT_TRUE(outcome->errors.empty()) << outcome->errors[0].message;
  EXPECT_EQ(outcome->imported, 30);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM member WHERE status = 'full' AND hardship = 1 AND "
                  "ethnicity = '汉族' AND education = 'bachelor' AND joined_on = '2000-03-01'"),
            20);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM member WHERE status = 'probationary'"), 10);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM member_span"), 30);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM member_event WHERE kind = 'develop'"), 30);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM member_event WHERE kind = 'confirm'"), 20);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_event"), audit_before + 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM member m JOIN organisation o ON o.id = m.org_id WHERE "
                  "m.org_path <> o.path"),
            0);
  // The numbers are stored only encrypted.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM member WHERE id_number_masked NOT LIKE '110105********%'"),
            0);
}

//! An import counts its members into the statistics' counters from the rows in memory: they agree
//! with the scan, and statistics_span, statistics_org and statistics_counter hold exactly what a
//! rebuild from the registry writes.
TEST_F(ImportTest, StatisticsCountTheImportedMembers) {
  auto roster = [](int from, int to) {
    std::string csv = kHeader;
    for (int i = from; i < to; ++i) {
      char body[32];
      std::snprintf(body, sizeof body, "110105198%d02%02d%03d", i % 10, 1 + i % 28, 200 + i);
      csv += "成员" + std::to_string(i) + ",,汉," + Id(body) + ",大专,2010/5/1," +
             (i % 4 == 0 ? "" : "2011-05-01") + ",,农村," + (i % 2 ? "T-1-1" : "T-2") + ",,否,\n";
    }
    return csv;
  };
  auto same = [&](const std::string& as_of) {
    auto both = db_->Read([&](db::Connection& c) -> Result<std::pair<std::string, std::string>> {
      auto root = c.Query("SELECT id FROM organisation WHERE code = 'T'");
      if (!root) return Fail(root.error());
      auto everything = org::SubtreeScope::Everything();
      auto scan = member::SubtreeStatistics(c, everything, root->Int(0, 0), as_of,
                                            member::StatisticsMethod::kScan);
      if (!scan) return Fail(scan.error());
      auto counted = member::SubtreeStatistics(c, everything, root->Int(0, 0), as_of,
                                               member::StatisticsMethod::kCounters);
      if (!counted) return Fail(counted.error());
      return std::pair{boost::json::serialize(*scan), boost::json::serialize(*counted)};
    });
    ASSERT_TRUE(both.has_value()) << both.error().message;
    EXPECT_EQ(both->first, both->second) << as_of;
  };
  auto large = Members(roster(0, 40), Everything());
  ASSERT_TRUE(large.has_value() && large->errors.empty());
  same(std::string(kToday));
  auto small = Members(roster(40, 42), Everything());
  ASSERT_TRUE(small.has_value() && small->errors.empty());
  same(std::string(kToday));
  EXPECT_EQ(Count("SELECT SUM(tally) FROM statistics_counter c JOIN organisation o ON o.id = "
                  "c.org_id WHERE o.code = 'T' AND c.measure = 'status'"),
            42);
  auto tables = [&] {
    return db_
        ->Read([&](db::Connection& c) -> Result<std::string> {
          std::string all;
          for (const char* sql :
               {"SELECT * FROM statistics_span ORDER BY valid_from, member_id, seq",
                "SELECT * FROM statistics_org ORDER BY org_id",
                "SELECT * FROM statistics_counter ORDER BY org_id, measure, bucket"}) {
            auto rows = c.Query(sql);
            if (!rows) return Fail(rows.error());
            for (std::size_t r = 0; r < rows->size(); ++r) {
              for (std::size_t i = 0; i < rows->columns().size(); ++i) {
                all += rows->OptionalText(r, i).value_or("NULL");
                all += i + 1 < rows->columns().size() ? "|" : "\n";
              }
            }
            all += "--\n";
          }
          return all;
        })
        .value();
  };
  std::string counted = tables();
  EXPECT_NE(counted.find("|committee|"), std::string::npos) << "a branch has 7 full members";
  auto rebuilt = db_->Write([](db::Connection& c) { return member::RebuildStatistics(c); });
  ASSERT_TRUE(rebuilt.has_value()) << rebuilt.error().message;
  EXPECT_EQ(counted, tables());
}

TEST_F(ImportTest, OrganisationsOutsideTheScopeAreUnknown) {
  std::string csv = kHeader + "张三,,汉族," + Id("11010519800101001") +
                    ",大学本科,2005-07-01,,,机关,T-2,,,\n" + "李四,,汉族," +
                    Id("11010519800202002") + ",大学本科,2005-07-01,,,机关,T-1-1,,,\n";
  auto outcome = Members(csv, Within("T-1"));
  ASSERT_TRUE(outcome.has_value());
  ASSERT_EQ(outcome->errors.size(), 1u);
  EXPECT_EQ(outcome->errors[0].row, 2);
  EXPECT_NE(outcome->errors[0].message.find("未知的党组织代码"), std::string::npos);
}

TEST_F(ImportTest, MissingColumnsAndBrokenTreesAreRefused) {
  auto missing = Members("姓名,民族\n张三,汉族\n", Everything());
  ASSERT_TRUE(missing.has_value());
  std::vector<std::string> columns;
  for (const auto& e : missing->errors) columns.push_back(e.column);
  EXPECT_EQ(columns, (std::vector<std::string>{"公民身份号码", "学历", "入党日期", "人员类别",
                                               "所在党组织代码"}));

  std::string tree =
      "组织编码,组织名称,组织类别,领域,上级组织编码\n"
      "A,甲,党支部,机关,B\n"
      "B,乙,党总支,机关,A\n"
      "C,丙,党支部,机关,NOWHERE\n"
      "T-2,重复,党支部,机关,T\n"
      "D,丁,外星组织,机关,T\n";
  ImportProgress progress;
  auto outcome =
      ImportOrgs(*db_, Within("T"), FileFormat::kCsv, tree, std::string(kToday), progress);
  ASSERT_TRUE(outcome.has_value()) << outcome.error().code << " " << outcome.error().message;
  std::vector<std::pair<std::int64_t, std::string>> got;
  for (const auto& e : outcome->errors) got.emplace_back(e.row, e.message);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].first, 3);  // the cycle is reported on the row that closes it
  EXPECT_NE(got[0].second.find("循环"), std::string::npos);
  EXPECT_EQ(got[1].first, 4);
  EXPECT_EQ(got[2].first, 5);
  EXPECT_NE(got[2].second.find("已被使用"), std::string::npos);
  EXPECT_EQ(got[3].first, 6);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM organisation"), 5);
}

}  // namespace
}  // namespace zhibu::exchange
