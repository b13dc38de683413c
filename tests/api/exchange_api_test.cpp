//! Import and export over HTTP against a real `zhibu serve --demo` (the demo county, its 组织部 and
//! 支部书记 accounts): an Excel roster of 1,000 members with one bad ID checksum imports nothing
//! and names exactly that row, the corrected file imports all 1,000; CSV and JSONL; Chinese text
//! survives an Excel round trip; a 支部书记's export holds only their branch; and the whole
//! deployment moves from SQLite to this backend (and back) with every table's rows, content and
//! the audit chain intact.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "demo_accounts.h"
#include "harness.h"
#include "modules/exchange/records.h"
#include "modules/exchange/tabular.h"
#include "modules/exchange/xlsx_reader.h"
#include "platform/document/xlsx_writer.h"
#include "platform/identity/id_number.h"

namespace zhibu::apitest {
namespace {

//! The template's columns (the server's own, from its CSV template).
std::vector<std::string> TemplateHeader(const Client& c) {
  auto t = c.Get("/api/v1/imports/template?format=csv");
  EXPECT_EQ(t.status, 200) << t.body;
  std::string text = exchange::ToUtf8(t.body).value();
  auto reader = exchange::ReadCsv(text);
  exchange::Row row;
  EXPECT_TRUE(reader->Next(row).value());
  return row.cells;
}

//! A valid ID number of someone born `day` days after 1960-01-01 (area 110105, away from the
//! demo's own area codes), `serial` 0–999.
std::string IdNumber(int day, int serial) {
  using namespace std::chrono;
  year_month_day birth(sys_days(year(1960) / January / 1) + days(day));
  char body[32];
  std::snprintf(body, sizeof body, "110105%04d%02u%02u%03d", static_cast<int>(birth.year()),
                static_cast<unsigned>(birth.month()), static_cast<unsigned>(birth.day()), serial);
  return std::string(body) + identity::CheckCode(body);
}

struct Person {
  std::string name, id, phone, work_unit, address;
};

Person PersonNumber(int i, int salt) {
  return {"测试" + std::string(i % 2 ? "欧阳" : "司马") + std::to_string(i),
          IdNumber(i * 7 + salt, (i * 37 + salt) % 1000),
          "139" + std::to_string(10000000 + i * 13 + salt).substr(0, 8),
          "涪陵区第" + std::to_string(i) + "中学",
          "重庆市涪陵区龙潭路 " + std::to_string(i) + " 号"};
}

//! A row of the template for `p` in the branch `code`/`name`.
std::vector<std::string> RowFor(const std::vector<std::string>& header, const Person& p,
                                const std::string& code, const std::string& name) {
  std::vector<std::string> cells;
  for (const auto& h : header) {
    if (h == "姓名")
      cells.push_back(p.name);
    else if (h == "民族")
      cells.push_back("汉族");
    else if (h == "公民身份号码")
      cells.push_back(p.id);
    else if (h == "手机号码")
      cells.push_back(p.phone);
    else if (h == "学历")
      cells.push_back("大学本科");
    else if (h == "职业/岗位")
      cells.push_back("专业技术人员");
    else if (h == "工作单位")
      cells.push_back(p.work_unit);
    else if (h == "现居住地")
      cells.push_back(p.address);
    else if (h == "入党日期")
      cells.push_back("2010-07-01");
    else if (h == "转正日期")
      cells.push_back("2011-07-01");
    else if (h == "人员类别")
      cells.push_back("机关");
    else if (h == "所在党组织代码")
      cells.push_back(code);
    else if (h == "所在党组织名称")
      cells.push_back(name);
    else
      cells.push_back("");
  }
  return cells;
}

class ExchangeApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = TestDatabase::WithDemo().release();
    server_ = new ServerProcess(*db_);
    admin_ = new Client(DemoLogIn(*server_, "zuzhibu"));
    secretary_ = new Client(DemoLogIn(*server_, "shuji"));
    auto me = secretary_->Get("/api/v1/me").Json();
    std::int64_t branch = me.at("grants").as_array()[0].at("organisation_id").as_int64();
    auto org = admin_->Get("/api/v1/orgs/" + std::to_string(branch)).Json();
    branch_id_ = branch;
    branch_code_ = std::string(org.at("code").as_string());
    branch_name_ = std::string(org.at("name").as_string());
  }
  static void TearDownTestSuite() {
    delete admin_;
    delete secretary_;
    EXPECT_EQ(server_->StopWith(SIGTERM), 0) << server_->Log();
    delete server_;
    delete db_;
  }

  //! Uploads `body` and waits for the job to end; answers its final status.
  static boost::json::object Import(const Client& c, const std::string& format,
                                    const std::string& body, const std::string& kind = "members") {
    auto headers = c.Headers();
    headers["Content-Type"] =
        std::string(exchange::ContentTypeOf(*exchange::ParseFileFormat(format)));
    auto started =
        server_->Send("POST", "/api/v1/imports?format=" + format + "&kind=" + kind, body, headers);
    EXPECT_EQ(started.status, 202) << started.body;
    std::int64_t id = started.Json().at("id").as_int64();
    for (int i = 0; i < 1200; ++i) {
      auto job = c.Get("/api/v1/imports/" + std::to_string(id));
      EXPECT_EQ(job.status, 200) << job.body;
      auto o = job.Json().as_object();
      if (o.at("status") != "running") return o;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "the import did not finish";
    return {};
  }

  static std::int64_t BranchMembers() {
    return admin_->Get("/api/v1/members?org=" + std::to_string(branch_id_) + "&page_size=1")
        .Json()
        .at("total")
        .as_int64();
  }

  static TestDatabase* db_;
  static ServerProcess* server_;
  static Client* admin_;
  static Client* secretary_;
  static std::int64_t branch_id_;
  static std::string branch_code_;
  static std::string branch_name_;
};
TestDatabase* ExchangeApiTest::db_ = nullptr;
ServerProcess* ExchangeApiTest::server_ = nullptr;
Client* ExchangeApiTest::admin_ = nullptr;
Client* ExchangeApiTest::secretary_ = nullptr;
std::int64_t ExchangeApiTest::branch_id_ = 0;
std::string ExchangeApiTest::branch_code_;
std::string ExchangeApiTest::branch_name_;

TEST_F(ExchangeApiTest, ExcelWithOneBadChecksumImportsNothingThenTheFixedFileImportsAll) {
  auto header = TemplateHeader(*admin_);
  ASSERT_FALSE(header.empty());
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < 1000; ++i) {
    rows.push_back(RowFor(header, PersonNumber(i, 11), branch_code_, branch_name_));
  }
  auto id_column = static_cast<std::size_t>(
      std::find(header.begin(), header.end(), "公民身份号码") - header.begin());
  constexpr int kBad = 617;  // the sheet's row 619 (header is row 1)
  std::string good_id = rows[kBad][id_column];
  std::string bad_id = good_id.substr(0, 17) + (good_id[17] == '1' ? "2" : "1");
  rows[kBad][id_column] = bad_id;
  std::int64_t before = BranchMembers();

  auto failed = Import(*admin_, "xlsx", document::XlsxBytes("党员名册", header, rows).value());
  EXPECT_EQ(failed.at("status"), "failed");
  EXPECT_EQ(failed.at("total_rows").as_int64(), 1000);
  auto errors = failed.at("errors").as_array();
  ASSERT_EQ(errors.size(), 1u) << boost::json::serialize(errors);
  EXPECT_EQ(errors[0].at("row").as_int64(), kBad + 2);
  EXPECT_EQ(errors[0].at("column"), "公民身份号码");
  std::string message(errors[0].at("message").as_string());
  EXPECT_NE(message.find("校验码"), std::string::npos) << message;
  EXPECT_EQ(std::string(errors[0].at("value").as_string()).find(bad_id), std::string::npos)
      << "the report masks ID numbers";
  EXPECT_EQ(BranchMembers(), before) << "nothing was imported";

  rows[kBad][id_column] = good_id;
  auto done = Import(*admin_, "xlsx", document::XlsxBytes("党员名册", header, rows).value());
  EXPECT_EQ(done.at("status"), "done") << boost::json::serialize(done);
  EXPECT_EQ(done.at("imported").as_int64(), 1000);
  EXPECT_EQ(BranchMembers(), before + 1000);
  auto found = admin_->Get("/api/v1/members?q=" + good_id).Json();
  ASSERT_EQ(found.at("total").as_int64(), 1);
  EXPECT_EQ(found.at("items").as_array()[0].at("name").as_string(), rows[kBad][0]);

  // The same file again: every row is a duplicate of the registry.
  auto again = Import(*admin_, "xlsx", document::XlsxBytes("党员名册", header, rows).value());
  EXPECT_EQ(again.at("status"), "failed");
  EXPECT_EQ(again.at("errors").as_array().size(), 1000u);
  EXPECT_EQ(BranchMembers(), before + 1000);

  // One audit event for the whole import, with counts and no clear ID numbers.
  auto log = server_->Log();
  EXPECT_EQ(log.find(good_id), std::string::npos);
}

TEST_F(ExchangeApiTest, CsvAndJsonlImportAndReportEveryBadRow) {
  auto header = TemplateHeader(*admin_);
  std::string csv(exchange::kUtf8Bom);
  csv += exchange::CsvRecord(header);
  for (int i = 0; i < 5; ++i) {
    csv += exchange::CsvRecord(RowFor(header, PersonNumber(i, 2000), branch_code_, branch_name_));
  }
  std::int64_t before = BranchMembers();
  auto done = Import(*admin_, "csv", csv);
  EXPECT_EQ(done.at("status"), "done") << boost::json::serialize(done);
  EXPECT_EQ(done.at("imported").as_int64(), 5);

  // JSONL with English keys: two bad rows (unknown organisation, 转正 before 入党, a duplicate in
  // the file), every one reported, nothing imported.
  auto line = [&](const Person& p, const std::string& org, const std::string& confirmed) {
    return boost::json::serialize(boost::json::object{{"name", p.name},
                                                      {"ethnicity", "汉族"},
                                                      {"id_number", p.id},
                                                      {"education", "bachelor"},
                                                      {"joined_on", "2012-05-01"},
                                                      {"confirmed_on", confirmed},
                                                      {"category", "rural"},
                                                      {"org_code", org},
                                                      {"hardship", false}}) +
           "\n";
  };
  Person a = PersonNumber(10, 3000), b = PersonNumber(11, 3000), c = PersonNumber(12, 3000);
  std::string jsonl = line(a, branch_code_, "2013-05-01") + line(b, "NO-SUCH-ORG", "") +
                      line(c, branch_code_, "2011-01-01") + line(a, branch_code_, "");
  auto failed = Import(*admin_, "jsonl", jsonl);
  EXPECT_EQ(failed.at("status"), "failed");
  auto errors = failed.at("errors").as_array();
  ASSERT_EQ(errors.size(), 3u) << boost::json::serialize(errors);
  EXPECT_EQ(errors[0].at("row").as_int64(), 2);
  EXPECT_EQ(errors[0].at("column"), "所在党组织代码");
  EXPECT_EQ(errors[1].at("row").as_int64(), 3);
  EXPECT_EQ(errors[1].at("column"), "转正日期");
  EXPECT_EQ(errors[2].at("row").as_int64(), 4);
  EXPECT_NE(std::string(errors[2].at("message").as_string()).find("第 1 行"), std::string::npos);
  EXPECT_EQ(BranchMembers(), before + 5);

  auto fixed =
      Import(*admin_, "jsonl", line(a, branch_code_, "2013-05-01") + line(b, branch_code_, ""));
  EXPECT_EQ(fixed.at("status"), "done") << boost::json::serialize(fixed);
  EXPECT_EQ(BranchMembers(), before + 7);
}

TEST_F(ExchangeApiTest, ChineseTextSurvivesAnExcelRoundTrip) {
  auto header = TemplateHeader(*admin_);
  Person p = PersonNumber(1, 4000);
  p.name = "欧阳·娜仁其其格";
  p.work_unit = "涪陵区“两新”组织党群服务中心（第一分部）";
  p.address = "重庆市涪陵区𠀋街 1 号";  // a character outside the BMP
  std::vector<std::vector<std::string>> rows = {RowFor(header, p, branch_code_, branch_name_)};
  auto done = Import(*admin_, "xlsx", document::XlsxBytes("党员名册", header, rows).value());
  ASSERT_EQ(done.at("status"), "done") << boost::json::serialize(done);

  auto exported = admin_->Get("/api/v1/members/export?org=" + std::to_string(branch_id_) +
                              "&format=xlsx&unmasked=1");
  ASSERT_EQ(exported.status, 200) << exported.body;
  auto reader = exchange::ReadXlsx(exported.body);
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  exchange::Row row;
  ASSERT_TRUE((*reader)->Next(row).value());
  EXPECT_EQ(row.cells, header);
  bool seen = false;
  while ((*reader)->Next(row).value()) {
    if (row.cells[0] != p.name) continue;
    seen = true;
    row.cells.resize(header.size());
    auto expected = RowFor(header, p, branch_code_, branch_name_);
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == "性别" || header[i] == "出生日期") expected[i] = row.cells[i];  // derived
      if (header[i] == "党员状态") expected[i] = "正式党员";
      if (header[i] == "困难党员") expected[i] = "否";
    }
    EXPECT_EQ(row.cells, expected);
  }
  EXPECT_TRUE(seen);
}

TEST_F(ExchangeApiTest, BranchSecretaryExportsOnlyTheirBranchMasked) {
  auto exported = secretary_->Get("/api/v1/members/export?format=csv");
  ASSERT_EQ(exported.status, 200) << exported.body;
  std::string text = exchange::ToUtf8(exported.body).value();
  auto reader = exchange::ReadCsv(text);
  exchange::Row row;
  ASSERT_TRUE(reader->Next(row).value());
  auto header = row.cells;
  auto column = [&](std::string_view title) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), title) -
                                    header.begin());
  };
  std::int64_t count = 0;
  while (reader->Next(row).value()) {
    ++count;
    EXPECT_EQ(row.cells[column("所在党组织代码")], branch_code_);
    EXPECT_NE(row.cells[column("公民身份号码")].find("********"), std::string::npos);
  }
  EXPECT_EQ(count, BranchMembers());

  // The root is outside their scope: not found, as if it did not exist; no unmask permission.
  auto roots = admin_->Get("/api/v1/orgs/roots").Json();
  std::int64_t root = roots.at("items").as_array()[0].at("id").as_int64();
  EXPECT_EQ(secretary_->Get("/api/v1/members/export?format=csv&org=" + std::to_string(root)).status,
            404);
  EXPECT_EQ(secretary_->Get("/api/v1/members/export?format=csv&unmasked=1").status, 403);
  // Their import jobs are theirs alone.
  auto jsonl = std::string("{\"name\":\"x\"}\n");
  auto headers = admin_->Headers();
  auto started = server_->Send("POST", "/api/v1/imports?format=jsonl", jsonl, headers);
  ASSERT_EQ(started.status, 202);
  EXPECT_EQ(secretary_->Get("/api/v1/imports/" + std::to_string(started.Json().at("id").as_int64()))
                .status,
            404);
  // A member of another branch cannot be imported by the secretary: unknown organisation.
  auto header_row = TemplateHeader(*secretary_);
  auto other = admin_->Get("/api/v1/orgs/roots").Json().at("items").as_array()[0];
  std::string csv = exchange::CsvRecord(header_row) +
                    exchange::CsvRecord(RowFor(header_row, PersonNumber(3, 5000),
                                               std::string(other.at("code").as_string()), ""));
  auto refused = Import(*secretary_, "csv", csv);
  EXPECT_EQ(refused.at("status"), "failed");
  EXPECT_EQ(refused.at("errors").as_array()[0].at("column"), "所在党组织代码");
}

TEST_F(ExchangeApiTest, UploadsAreCheckedBeforeAJobStarts) {
  auto headers = admin_->Headers();
  EXPECT_EQ(server_->Send("POST", "/api/v1/imports?format=pdf", "x", headers).status, 400);
  EXPECT_EQ(server_->Send("POST", "/api/v1/imports?format=csv", "", headers).status, 400);
  EXPECT_EQ(server_->Send("POST", "/api/v1/imports?format=csv&kind=dues", "x", headers).status,
            400);
  EXPECT_EQ(server_->Send("POST", "/api/v1/imports?format=csv", "x", {}).status, 401);
  // Larger than the default 1 MB request limit, accepted by this route.
  std::string big = "姓名,公民身份号码\n" + std::string(3u << 20, 'a') + "\n";
  auto started = server_->Send("POST", "/api/v1/imports?format=csv", big, headers);
  EXPECT_EQ(started.status, 202) << started.body;
  auto xlsx = admin_->Get("/api/v1/imports/template?format=xlsx");
  EXPECT_EQ(xlsx.status, 200);
  EXPECT_TRUE(exchange::ReadXlsx(xlsx.body).has_value());
  // Saved as 党员导入模板.xlsx (RFC 5987), with an ASCII fallback for old clients.
  EXPECT_EQ(xlsx.headers["content-disposition"],
            "attachment; filename=\"______.xlsx\"; "
            "filename*=UTF-8''%E5%85%9A%E5%91%98%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx");
  EXPECT_EQ(xlsx.headers["cache-control"], "no-store");
}

TEST(DeploymentMoveTest, DemoCountyMovesFromSqliteAndBackLosslessly) {
  std::string dir =
      std::filesystem::temp_directory_path() / ("zhibu-move-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string source = "sqlite:" + dir + "/source.db";
  std::string source_key = dir + "/source.key";
  auto demo = RunZhibu({"demo", "--scale", "county", "--db", source, "--key-file", source_key});
  ASSERT_EQ(demo.exit_code, 0) << demo.output;
  auto exported = RunZhibu({"export", "all", dir + "/dump", "--db", source, "--key-file",
                            source_key, "--log-level", "warn"});
  ASSERT_EQ(exported.exit_code, 0) << exported.output;

  TestDatabase target;  // this run's backend
  auto imported = RunZhibu({"import", "all", dir + "/dump", "--db", target.url(), "--key-file",
                            target.key_file(), "--log-level", "warn"});
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  auto digests = [](const std::string& output) {
    auto brace = output.find("{\"tables\"");
    EXPECT_NE(brace, std::string::npos) << output;
    return boost::json::parse(output.substr(brace, output.find('\n', brace) - brace));
  };
  auto before = digests(exported.output);
  EXPECT_EQ(digests(imported.output), before);
  EXPECT_EQ(before.at("tables").at("member").at("rows").as_int64(), 63000);
  EXPECT_GT(before.at("tables").at("audit_event").at("rows").as_int64(), 0);
  auto verify =
      RunZhibu({"audit", "verify", "--db", target.url(), "--key-file", target.key_file()});
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_NE(verify.output.find("\"intact\":true"), std::string::npos) << verify.output;

  // The key travelled: clear numbers read back; new rows get fresh ids (sequences moved on).
  auto members = RunZhibu({"export", "members", dir + "/m.csv", "--unmasked", "--db", target.url(),
                           "--key-file", target.key_file(), "--log-level", "warn"});
  EXPECT_EQ(members.exit_code, 0) << members.output;
  auto added = RunZhibu({"org", "add", "--code", "MOVED-1", "--name", "迁移后新建支部", "--kind",
                         "branch", "--domain", "rural", "--parent", "500102-100", "--db",
                         target.url(), "--key-file", target.key_file(), "--log-level", "warn"});
  ASSERT_EQ(added.exit_code, 0) << added.output;
  EXPECT_NE(added.output.find("\"id\":2601"), std::string::npos) << added.output;

  // A second import into a database with data is refused.
  auto again = RunZhibu(
      {"import", "all", dir + "/dump", "--db", target.url(), "--key-file", target.key_file()});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.output.find("deployment.target_not_empty"), std::string::npos) << again.output;

  // And back to a new SQLite file from this backend.
  auto out = RunZhibu({"export", "all", dir + "/dump2", "--db", target.url(), "--key-file",
                       target.key_file(), "--log-level", "warn"});
  ASSERT_EQ(out.exit_code, 0) << out.output;
  auto back = RunZhibu({"import", "all", dir + "/dump2", "--db", "sqlite:" + dir + "/back.db",
                        "--key-file", dir + "/back.key", "--log-level", "warn"});
  ASSERT_EQ(back.exit_code, 0) << back.output;
  auto moved = digests(back.output);
  EXPECT_EQ(moved.at("tables").at("member"), before.at("tables").at("member"));
  EXPECT_EQ(moved.at("tables").at("organisation").at("rows").as_int64(), 2601);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace zhibu::apitest
