// The dues quote of spec 05 through the API and the CLI, on both backends.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "demo_accounts.h"
#include "harness.h"
#include "modules/exchange/records.h"
#include "modules/exchange/xlsx_reader.h"
#include "platform/document/xlsx_writer.h"
#include "platform/identity/id_number.h"

namespace zhibu::apitest {
namespace {

namespace json = boost::json;

constexpr std::string_view kQuote = "/api/v1/dues/quote?";

TEST(DuesApiTest, QuoteAnswersTheContractOfSpec05OnTheApiAndTheCli) {
  TestDatabase db;
  std::string initial = CreateAdmin(db, "sysadmin", "system_admin");
  ServerProcess server(db);
  EXPECT_EQ(server.Get(std::string(kQuote) + "category=employed&base=5000.01").status, 401)
      << "signed-in users only";
  Client c = FirstLogIn(server, "sysadmin", initial, "Sys#Admin2026");

  auto quote = c.Get(std::string(kQuote) + "category=employed&base=5000.01");
  ASSERT_EQ(quote.status, 200) << quote.body;
  json::object body = quote.Json().as_object();
  EXPECT_EQ(body.at("category"), "employed");
  EXPECT_EQ(body.at("base"), "5000.01");
  EXPECT_EQ(body.at("rate"), "0.015");
  EXPECT_EQ(body.at("amount"), "75.00");
  EXPECT_EQ(body.at("rule"), "中组发〔2008〕3号 第二条");

  // The CLI prints the same object.
  auto cli = RunZhibu({"dues", "quote", "--category", "employed", "--base", "5000.01"});
  ASSERT_EQ(cli.exit_code, 0) << cli.output;
  EXPECT_EQ(json::parse(cli.output), quote.Json());

  struct Vector {
    std::string query;
    std::string amount;
    std::string rule;
  };
  for (const Vector& v : {Vector{"category=employed&base=5000.00", "50.00", "第二条"},
                          Vector{"category=employed&base=3000.00", "15.00", "第二条"},
                          Vector{"category=employed&base=3000.01", "30.00", "第二条"},
                          Vector{"category=employed&base=10000.00", "150.00", "第二条"},
                          Vector{"category=employed&base=10000.01", "200.00", "第二条"},
                          Vector{"category=retired&base=5000.00", "25.00", "第五条"},
                          Vector{"category=retired&base=5000.01", "50.00", "第五条"},
                          Vector{"category=student", "0.20", "第六条"},
                          Vector{"category=low_income", "0.20", "第六条"},
                          Vector{"category=farmer&amount=0.60", "0.60", "第六条"}}) {
    auto r = c.Get(std::string(kQuote) + v.query);
    ASSERT_EQ(r.status, 200) << v.query << ": " << r.body;
    EXPECT_EQ(r.Json().at("amount").as_string(), v.amount) << v.query;
    EXPECT_EQ(r.Json().at("rule").as_string(), "中组发〔2008〕3号 " + v.rule) << v.query;
  }

  struct Bad {
    std::string query;
    int status;
    std::string code;
    std::string field;
  };
  for (const Bad& b :
       {Bad{"base=5000", 400, "dues.category_missing", "category"},
        Bad{"category=soldier&base=5000", 400, "dues.category_unknown", "category"},
        Bad{"category=employed", 400, "dues.base_missing", "base"},
        Bad{"category=employed&base=-5000", 400, "money.negative", "base"},
        Bad{"category=employed&base=abc", 400, "money.not_a_number", "base"},
        Bad{"category=employed&base=5000.001", 400, "money.too_precise", "base"},
        Bad{"category=farmer&amount=1.01", 422, "dues.farmer_amount_range", "amount"}}) {
    auto r = c.Get(std::string(kQuote) + b.query);
    EXPECT_EQ(r.status, b.status) << b.query << ": " << r.body;
    EXPECT_EQ(r.ErrorCode(), b.code) << b.query;
    EXPECT_EQ(r.Json().at("error").at("field").as_string(), b.field) << b.query;
  }

  // The CLI refuses the same inputs naming the option's field, with exit code 1.
  auto negative = RunZhibu({"dues", "quote", "--category", "employed", "--base", "-1"});
  EXPECT_EQ(negative.exit_code, 1);
  EXPECT_NE(negative.output.find("money.negative"), std::string::npos) << negative.output;
  EXPECT_NE(negative.output.find("base"), std::string::npos) << negative.output;
  auto three_decimals = RunZhibu({"dues", "quote", "--category", "retired", "--base", "1.005"});
  EXPECT_EQ(three_decimals.exit_code, 1);
  EXPECT_NE(three_decimals.output.find("money.too_precise"), std::string::npos);
}

}  // namespace
}  // namespace zhibu::apitest

namespace zhibu::apitest {
namespace {

//! The dues ledger on the demo county: bases, a quarter paid at once, 补交 and 预交 limits, an
//! approved 免交, the six-month rule through the compliance engine, and subtree totals equal to the
//! sum of the branches' ledgers.
class DuesLedgerApiTest : public DemoSuite<DuesLedgerApiTest> {
 protected:
  //! YYYY-MM of the current month plus `months`.
  static std::string Month(int months) {
    std::string today = TodayInShanghai();
    int index = std::stoi(today.substr(0, 4)) * 12 + std::stoi(today.substr(5, 2)) - 1 + months;
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02d", index / 12, index % 12 + 1);
    return text;
  }
};

TEST_F(DuesLedgerApiTest, BasesPaymentsArrearsAndTheSixMonthRule) {
  // A branch outside the demo's dues town (no base declared yet), with three full members who
  // joined more than a year ago.
  std::int64_t branch = 0;
  std::vector<std::int64_t> ids;
  std::map<std::int64_t, std::vector<std::int64_t>> by_branch;
  for (int page = 1; page <= 20 && branch == 0; ++page) {
    auto members =
        admin_->Get("/api/v1/members?status=full&page_size=200&page=" + std::to_string(page))
            .Json();
    for (const auto& m : members.at("items").as_array()) {
      if (std::string(m.at("joined_on").as_string()) >= Month(-14)) continue;
      by_branch[m.at("org_id").as_int64()].push_back(m.at("id").as_int64());
    }
    for (const auto& [org, members_of] : by_branch) {
      if (members_of.size() < 3) continue;
      auto ledger =
          admin_->Get("/api/v1/dues/ledger?org=" + std::to_string(org) + "&month=" + Month(-1));
      ASSERT_EQ(ledger.status, 200) << ledger.body;
      json::value t = ledger.Json().at("totals");
      if (t.at("without_base").as_int64() == t.at("members").as_int64()) {
        branch = org;
        ids = members_of;
        break;
      }
    }
  }
  ASSERT_NE(branch, 0);
  auto base_path = [](std::int64_t id) {
    return "/api/v1/members/" + std::to_string(id) + "/dues/bases";
  };

  // Bases: 5000.01 employed → 75.00 (第二条), in force from 8 months ago.
  for (std::int64_t id : ids) {
    auto declared =
        Post(*admin_, base_path(id),
             {{"category", "employed"}, {"base", "5000.01"}, {"effective_month", Month(-8)}});
    ASSERT_EQ(declared.status, 201) << declared.body;
    EXPECT_EQ(declared.Json().at("amount").as_string(), "75.00");
    EXPECT_EQ(declared.Json().at("rule").as_string(), "中组发〔2008〕3号 第二条");
  }
  auto bad_base =
      Post(*admin_, base_path(ids[0]),
           {{"category", "employed"}, {"base", "5000.001"}, {"effective_month", Month(0)}});
  EXPECT_EQ(bad_base.status, 400);
  EXPECT_EQ(bad_base.Json().at("error").at("field").as_string(), "base");
  auto float_base =
      Post(*admin_, base_path(ids[0]),
           {{"category", "employed"}, {"base", 5000.5}, {"effective_month", Month(0)}});
  EXPECT_EQ(float_base.status, 400) << "a JSON number with a fraction never reaches the money path";

  // Member 0 pays nothing. Member 1 has an approved 免交 for the same months (第七条).
  auto exempt = Post(*admin_, "/api/v1/members/" + std::to_string(ids[1]) + "/dues/reductions",
                     {{"from_month", Month(-8)},
                      {"to_month", Month(0)},
                      {"amount", "0"},
                      {"reason", "长期患病，生活困难"},
                      {"approved_by", "中共某某镇委员会"},
                      {"approval_ref", "某党发〔2026〕12号"},
                      {"approved_on", TodayInShanghai()}});
  ASSERT_EQ(exempt.status, 201) << exempt.body;
  EXPECT_TRUE(exempt.Json().at("exempt").as_bool());
  auto no_approval = Post(*admin_, "/api/v1/members/" + std::to_string(ids[1]) + "/dues/reductions",
                          {{"from_month", Month(-1)},
                           {"to_month", Month(0)},
                           {"amount", "0"},
                           {"reason", "困难"},
                           {"approved_by", ""},
                           {"approval_ref", "x"},
                           {"approved_on", TodayInShanghai()}});
  EXPECT_EQ(no_approval.status, 400);
  EXPECT_EQ(no_approval.Json().at("error").at("field").as_string(), "approved_by");

  // Member 2 pays the last two months at once, then tries the edges of 第十二条.
  auto pay = [&](const json::object& body) {
    json::object full = body;
    full["member_id"] = ids[2];
    full["method"] = "cash";
    full["paid_on"] = TodayInShanghai();
    return Post(*admin_, "/api/v1/dues/payments", full);
  };
  auto paid = pay({{"months", json::array{Month(-2), Month(-1)}}, {"extra", "1000.00"}});
  ASSERT_EQ(paid.status, 201) << paid.body;
  json::object receipt = paid.Json().as_object();
  EXPECT_EQ(receipt.at("total").as_string(), "1150.00");
  EXPECT_TRUE(receipt.at("extra_for_centre").as_bool())
      << "第十一条: 1000.00 extra goes to the Centre";
  std::string receipt_no(receipt.at("receipt_no").as_string());
  EXPECT_EQ(pay({{"months", json::array{Month(-1)}}}).status, 409) << "already paid";
  auto too_old = pay({{"months", json::array{Month(-7)}}});
  EXPECT_EQ(too_old.status, 422) << too_old.body;
  EXPECT_EQ(too_old.ErrorCode(), "dues.back_payment_too_old");
  EXPECT_EQ(too_old.Json().at("error").at("field").as_string(), "months[0]");
  auto six_late = pay({{"months", json::array{Month(-6)}}});
  EXPECT_EQ(six_late.status, 201) << "6 months late is still 补交: " << six_late.body;
  auto ahead = pay({{"months", json::array{Month(1)}}});
  EXPECT_EQ(ahead.ErrorCode(), "dues.prepayment_not_allowed");
  auto four = pay({{"months", json::array{Month(-5), Month(-4), Month(-3), Month(0)}}});
  EXPECT_EQ(four.ErrorCode(), "dues.too_many_months");
  auto above = pay({{"months", json::array{Month(0)}}, {"amount", "75.01"}});
  EXPECT_EQ(above.ErrorCode(), "dues.amount_above_due");

  // The card shows the months; the ledger of last month has member 2 paid, member 0 owing.
  auto card = admin_->Get("/api/v1/members/" + std::to_string(ids[2]) +
                          "/dues?year=" + Month(-1).substr(0, 4));
  ASSERT_EQ(card.status, 200) << card.body;
  auto ledger =
      admin_->Get("/api/v1/dues/ledger?org=" + std::to_string(branch) + "&month=" + Month(-1));
  ASSERT_EQ(ledger.status, 200) << ledger.body;
  std::map<std::int64_t, json::object> lines;
  json::value ledger_json = ledger.Json();
  for (const auto& line : ledger_json.at("items").as_array()) {
    lines[line.at("member_id").as_int64()] = line.as_object();
  }
  EXPECT_EQ(lines.at(ids[2]).at("paid").as_string(), "75.00");
  EXPECT_EQ(lines.at(ids[0]).at("owed").as_string(), "75.00");
  EXPECT_EQ(lines.at(ids[1]).at("due").as_string(), "0.00");
  EXPECT_TRUE(lines.at(ids[1]).at("reduced").as_bool());

  // Arrears: member 0 owes 8 months in a row and is flagged; member 1 (免交) is not listed.
  auto arrears = admin_->Get("/api/v1/dues/arrears?org=" + std::to_string(branch)).Json();
  std::map<std::int64_t, json::object> owing;
  for (const auto& a : arrears.at("items").as_array())
    owing[a.at("member_id").as_int64()] = a.as_object();
  ASSERT_TRUE(owing.contains(ids[0]));
  EXPECT_EQ(owing.at(ids[0]).at("unpaid_run").as_array().size(), 8u);
  EXPECT_TRUE(owing.at(ids[0]).at("six_months").as_bool());
  EXPECT_FALSE(owing.contains(ids[1]));

  // The compliance engine flags member 0 (党章 第九条), never member 1 with the approved 免交.
  auto scan = Post(*admin_, "/api/v1/findings/scan", {{"org_id", branch}});
  ASSERT_EQ(scan.status, 200) << scan.body;
  auto findings =
      admin_->Get("/api/v1/findings?rule=dues.member.six_months_unpaid&page_size=200").Json();
  std::set<std::int64_t> flagged;
  for (const auto& f : findings.at("items").as_array())
    flagged.insert(f.at("subject_id").as_int64());
  EXPECT_TRUE(flagged.contains(ids[0])) << json::serialize(findings);
  EXPECT_FALSE(flagged.contains(ids[1]));
  EXPECT_FALSE(flagged.contains(ids[2]));

  // A cancelled receipt no longer counts, and is kept.
  auto cancel =
      Post(*admin_, "/api/v1/dues/receipts/" + receipt_no + "/cancel", {{"reason", "录入错误"}});
  ASSERT_EQ(cancel.status, 200) << cancel.body;
  EXPECT_EQ(Post(*admin_, "/api/v1/dues/receipts/" + receipt_no + "/cancel", {{"reason", "again"}})
                .status,
            409);
  auto after =
      admin_->Get("/api/v1/dues/ledger?org=" + std::to_string(branch) + "&month=" + Month(-1))
          .Json();
  for (const auto& line : after.at("items").as_array()) {
    if (line.at("member_id").as_int64() == ids[2]) {
      EXPECT_EQ(line.at("paid").as_string(), "0.00");
    }
  }

  // Out of scope: the 支部书记 cannot see the county's totals or another branch's ledger, and
  // cannot record for its members.
  json::value roots = admin_->Get("/api/v1/orgs/roots").Json();
  std::int64_t county = roots.at("items").as_array()[0].at("id").as_int64();
  EXPECT_EQ(secretary_->Get("/api/v1/dues/totals?org=" + std::to_string(county)).status, 404);
  EXPECT_EQ(secretary_->Get("/api/v1/dues/ledger?org=" + std::to_string(branch)).status, 404);
  EXPECT_EQ(
      Post(*secretary_, base_path(ids[0]), {{"category", "student"}, {"effective_month", Month(0)}})
          .status,
      404);
}

TEST_F(DuesLedgerApiTest, SubtreeTotalsEqualTheSumOfTheBranchLedgers) {
  json::value roots = admin_->Get("/api/v1/orgs/roots").Json();
  std::int64_t county = roots.at("items").as_array()[0].at("id").as_int64();
  // Bases and payments in a few branches across the county, so that the sums are not all zero.
  auto members = admin_->Get("/api/v1/members?status=full&page_size=200").Json();
  int declared = 0;
  for (const auto& m : members.at("items").as_array()) {
    if (declared == 40) break;
    if (std::string(m.at("joined_on").as_string()) >= Month(-3)) continue;
    std::int64_t id = m.at("id").as_int64();
    auto b = Post(*admin_, "/api/v1/members/" + std::to_string(id) + "/dues/bases",
                  {{"category", declared % 2 ? "retired" : "employed"},
                   {"base", declared % 3 ? "3000.01" : "12000"},
                   {"effective_month", Month(-3)}});
    if (b.status != 201) continue;  // e.g. a member already given a base by the other test
    ++declared;
    if (declared % 4 != 0) {
      auto p = Post(*admin_, "/api/v1/dues/payments",
                    {{"member_id", id},
                     {"months", json::array{Month(-1)}},
                     {"method", "transfer"},
                     {"paid_on", TodayInShanghai()}});
      // 409 when the demo's ledger has the month paid already.
      EXPECT_TRUE(p.status == 201 || p.status == 409) << p.body;
    }
  }
  ASSERT_GT(declared, 10);
  auto totals =
      admin_->Get("/api/v1/dues/totals?org=" + std::to_string(county) + "&month=" + Month(-1));
  ASSERT_EQ(totals.status, 200) << totals.body;
  json::value totals_json = totals.Json();
  const auto& branches = totals_json.at("branches").as_array();
  ASSERT_GT(branches.size(), 10u);
  std::int64_t members_sum = 0;
  // Sums in fen, from the two-decimal text the API answers.
  auto fen = [](const json::value& v) {
    std::string s(v.as_string());
    auto dot = s.find('.');
    return std::stoll(s.substr(0, dot)) * 100 + std::stoll(s.substr(dot + 1));
  };
  std::int64_t due = 0, paid = 0, owed = 0;
  for (const auto& b : branches) {
    auto ledger =
        admin_->Get("/api/v1/dues/ledger?org=" + std::to_string(b.at("org_id").as_int64()) +
                    "&month=" + Month(-1));
    ASSERT_EQ(ledger.status, 200) << ledger.body;
    json::value ledger_json = ledger.Json();
    const auto& t = ledger_json.at("totals");
    members_sum += t.at("members").as_int64();
    due += fen(t.at("due"));
    paid += fen(t.at("paid"));
    owed += fen(t.at("owed"));
  }
  const auto& all = totals_json.at("totals");
  EXPECT_EQ(all.at("members").as_int64(), members_sum);
  EXPECT_EQ(fen(all.at("due")), due);
  EXPECT_EQ(fen(all.at("paid")), paid);
  EXPECT_EQ(fen(all.at("owed")), owed);
  EXPECT_GT(paid, 0);

  auto remittance = admin_->Get("/api/v1/dues/remittance?org=" + std::to_string(county)).Json();
  EXPECT_EQ(remittance.at("share_percent").as_int64(), 5);
  EXPECT_EQ(remittance.at("due_by").as_string(),
            std::to_string(std::stoi(TodayInShanghai().substr(0, 4)) + 1) + "-04-30");
}

//! The Excel exports carry the page's figures: the branch ledger row by row with its 合计, the
//! county's totals by branch, every page of the arrears; out of scope is 404, a bad month 400.
TEST_F(DuesLedgerApiTest, ExcelExportsCarryTheSameFiguresAsTheReports) {
  auto rows_of = [](const HttpResult& r) {
    std::vector<std::vector<std::string>> rows;
    EXPECT_EQ(r.headers.at("content-type"),
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    EXPECT_NE(r.headers.at("content-disposition").find("attachment"), std::string::npos);
    auto reader = exchange::ReadXlsx(r.body);
    EXPECT_TRUE(reader.has_value()) << reader.error().message;
    if (!reader) return rows;
    exchange::Row row;
    while (true) {
      auto more = (*reader)->Next(row);
      EXPECT_TRUE(more.has_value());
      if (!more || !*more) break;
      rows.push_back(row.cells);
    }
    return rows;
  };
  std::int64_t branch =
      secretary_->Get("/api/v1/orgs/roots").Json().at("items").as_array()[0].at("id").as_int64();
  std::string query = "?org=" + std::to_string(branch) + "&month=" + Month(-1);
  json::value ledger = admin_->Get("/api/v1/dues/ledger" + query).Json();
  auto file = admin_->Get("/api/v1/dues/ledger/export" + query);
  ASSERT_EQ(file.status, 200) << file.body;
  auto rows = rows_of(file);
  const auto& items = ledger.at("items").as_array();
  ASSERT_EQ(rows.size(), items.size() + 2) << "header, one row per member, 合计";
  EXPECT_EQ(rows[0][1], "姓名");
  EXPECT_EQ(rows[0][5], "应交（元）");
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& line = items[i];
    EXPECT_EQ(rows[i + 1][1], line.at("name").as_string());
    EXPECT_EQ(rows[i + 1][5],
              line.at("due").is_null() ? "未核定基数" : std::string(line.at("due").as_string()));
    EXPECT_EQ(rows[i + 1][6], line.at("paid").as_string());
    EXPECT_EQ(rows[i + 1][7], line.at("owed").as_string());
  }
  const auto& total = ledger.at("totals");
  EXPECT_EQ(rows.back()[0], "合计");
  EXPECT_EQ(rows.back()[5], total.at("due").as_string());
  EXPECT_EQ(rows.back()[6], total.at("paid").as_string());
  EXPECT_EQ(rows.back()[7], total.at("owed").as_string());
  EXPECT_NE(total.at("paid").as_string(), "0.00") << "the demo town has a ledger";

  std::int64_t county =
      admin_->Get("/api/v1/orgs/roots").Json().at("items").as_array()[0].at("id").as_int64();
  std::string county_query = "?org=" + std::to_string(county) + "&month=" + Month(-1);
  json::value totals = admin_->Get("/api/v1/dues/totals" + county_query).Json();
  auto totals_file = admin_->Get("/api/v1/dues/totals/export" + county_query);
  ASSERT_EQ(totals_file.status, 200) << totals_file.body;
  auto totals_rows = rows_of(totals_file);
  ASSERT_EQ(totals_rows.size(), totals.at("branches").as_array().size() + 2);
  EXPECT_EQ(totals_rows.back()[2], std::to_string(totals.at("totals").at("members").as_int64()));
  EXPECT_EQ(totals_rows.back()[5], totals.at("totals").at("paid").as_string());

  json::value arrears =
      admin_->Get("/api/v1/dues/arrears?org=" + std::to_string(county) + "&page_size=5").Json();
  auto arrears_file = admin_->Get("/api/v1/dues/arrears/export?org=" + std::to_string(county));
  ASSERT_EQ(arrears_file.status, 200) << arrears_file.body;
  auto arrears_rows = rows_of(arrears_file);
  ASSERT_GT(arrears.at("total").as_int64(), 5) << "more than one page";
  ASSERT_EQ(static_cast<std::int64_t>(arrears_rows.size()), arrears.at("total").as_int64() + 1)
      << "every page";
  const auto& first = arrears.at("items").as_array()[0];
  EXPECT_EQ(arrears_rows[1][1], first.at("name").as_string());
  EXPECT_EQ(arrears_rows[1][5], first.at("owed").as_string());
  EXPECT_EQ(arrears_rows[1][6], std::to_string(first.at("unpaid_run").as_array().size()));

  // The 支部书记: not the county's totals, not another branch's ledger; a bad month names it.
  EXPECT_EQ(secretary_->Get("/api/v1/dues/totals/export" + county_query).status, 404);
  std::int64_t other = 0;
  for (const auto& b : totals.at("branches").as_array()) {
    if (b.at("org_id").as_int64() != branch) other = b.at("org_id").as_int64();
  }
  ASSERT_NE(other, 0);
  EXPECT_EQ(secretary_->Get("/api/v1/dues/ledger/export?org=" + std::to_string(other)).status, 404);
  auto bad = secretary_->Get("/api/v1/dues/ledger/export?org=" + std::to_string(branch) +
                             "&month=2026-13");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Json().at("error").at("field").as_string(), "month");
  EXPECT_EQ(secretary_->Get("/api/v1/dues/ledger/export" + query).status, 200);
}

//! Bases imported from a spreadsheet by the 支部书记 (spec 05 with spec 03's import rules): a file
//! with one bad row imports nothing and names that row; every kind of bad row is reported, a member
//! outside the branch exactly like one who does not exist; the corrected file imports every row
//! through the single-base route's checks and the ledger and the card show the new amounts; CSV,
//! JSONL and the CLI take the same file.
TEST_F(DuesLedgerApiTest, BasesImportedFromAFileAllOrNothing) {
  std::int64_t branch =
      secretary_->Get("/api/v1/orgs/roots").Json().at("items").as_array()[0].at("id").as_int64();
  auto unmasked_id = [](std::int64_t member) {
    auto clear = admin_->Post("/api/v1/members/" + std::to_string(member) + "/unmask",
                              R"({"reason":"党费基数导入测试：取得身份证号"})");
    EXPECT_EQ(clear.status, 200) << clear.body;
    return std::string(clear.Json().at("id_number").as_string());
  };
  std::vector<std::int64_t> ids;
  std::vector<std::string> numbers;
  json::value branch_members =
      admin_->Get("/api/v1/members?status=full&page_size=200&org=" + std::to_string(branch)).Json();
  for (const auto& m : branch_members.at("items").as_array()) {
    if (ids.size() == 3) break;
    ids.push_back(m.at("id").as_int64());
    numbers.push_back(unmasked_id(ids.back()));
  }
  ASSERT_EQ(ids.size(), 3u);
  std::string outsider;
  json::value some_members = admin_->Get("/api/v1/members?status=full&page_size=50").Json();
  for (const auto& m : some_members.at("items").as_array()) {
    if (m.at("org_id").as_int64() != branch) {
      outsider = unmasked_id(m.at("id").as_int64());
      break;
    }
  }
  ASSERT_FALSE(outsider.empty());
  std::string nobody = "11010519491231" + std::string("001");
  nobody += identity::CheckCode(nobody);  // a valid number nobody in the registry has

  auto card_bases = [&](std::int64_t member) {
    return secretary_->Get("/api/v1/members/" + std::to_string(member) + "/dues")
        .Json()
        .at("bases")
        .as_array();
  };
  std::vector<std::size_t> bases_before;
  for (auto id : ids) bases_before.push_back(card_bases(id).size());

  auto template_file = secretary_->Get("/api/v1/dues/bases/template?format=xlsx");
  ASSERT_EQ(template_file.status, 200) << template_file.body;
  std::vector<std::string> header;
  {
    auto reader = exchange::ReadXlsx(template_file.body);
    ASSERT_TRUE(reader.has_value()) << reader.error().message;
    exchange::Row row;
    ASSERT_TRUE((*reader)->Next(row).value());
    header = row.cells;
  }
  ASSERT_EQ(header.size(), 6u);
  EXPECT_EQ(header[0], "身份证号码");
  EXPECT_EQ(header[2], "基数（元）");

  const std::string month = Month(0);
  const std::string note = "退休金（含补贴）调整，张三代填；“引号”、逗号,与换行\n第二行";
  using Rows = std::vector<std::vector<std::string>>;
  // The corrected file: 5000.01 employed → 75.00; 4800.50 retired → 24.00; 学生 → 0.20.
  Rows good = {{numbers[0], "在职（按月领取工资）", "5000.01", "", month, ""},
               {numbers[1], "离退休", "4800.5", "", month, note},
               {numbers[2], "学生党员", "", "", month, "在校研究生"}};
  auto upload = [&](const std::string& format, const std::string& body) {
    auto headers = secretary_->Headers();
    headers["Content-Type"] =
        std::string(exchange::ContentTypeOf(*exchange::ParseFileFormat(format)));
    return server_->Send("POST", "/api/v1/dues/bases/import?format=" + format, body, headers);
  };
  auto xlsx = [&](const Rows& rows) {
    return document::XlsxBytes("党费基数", header, rows).value();
  };
  auto errors_of = [](const HttpResult& r) {
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.ErrorCode(), "import.rows_invalid");
    EXPECT_EQ(r.Json().at("report").at("imported").as_int64(), 0);
    return r.Json().at("report").at("errors").as_array();
  };

  // One bad row (a base with three decimals): nothing imported, that row named.
  Rows one_bad = good;
  one_bad[1][2] = "4800.505";
  auto refused = upload("xlsx", xlsx(one_bad));
  auto errors = errors_of(refused);
  ASSERT_EQ(errors.size(), 1u) << refused.body;
  EXPECT_EQ(errors[0].at("row").as_int64(), 3);
  EXPECT_EQ(errors[0].at("column").as_string(), "基数（元）");
  EXPECT_EQ(errors[0].at("value").as_string(), "4800.505");
  for (std::size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(card_bases(ids[i]).size(), bases_before[i]) << "nothing imported";
  }

  // Every kind of bad row, each reported with its row and column.
  Rows all_bad = good;
  all_bad.push_back({nobody, "在职", "3000", "", month, ""});               // row 5: unknown
  all_bad.push_back({outsider, "在职", "3000", "", month, ""});             // row 6: out of scope
  all_bad.push_back({numbers[0], "公务员", "3000", "", Month(-1), ""});     // row 7: category
  all_bad.push_back({numbers[0], "在职", "-3000", "", Month(-2), ""});      // row 8: negative
  all_bad.push_back({numbers[0], "在职", "三千元", "", Month(-3), ""});     // row 9: not a number
  all_bad.push_back({numbers[0], "在职", "3000", "", "2026-13", ""});       // row 10: month
  all_bad.push_back({numbers[1], "离退休", "4000", "", month, ""});         // row 11: duplicate
  all_bad.push_back({"11010519491231002", "在职", "3000", "", month, ""});  // row 12: 17 digits
  auto many = errors_of(upload("xlsx", xlsx(all_bad)));
  std::map<std::int64_t, json::object> by_row;
  for (const auto& e : many) by_row[e.at("row").as_int64()] = e.as_object();
  ASSERT_EQ(by_row.size(), 8u) << json::serialize(many);
  for (std::int64_t row = 5; row <= 12; ++row) ASSERT_TRUE(by_row.contains(row)) << row;
  EXPECT_EQ(by_row[5].at("column"), "身份证号码");
  EXPECT_EQ(by_row[6].at("column"), "身份证号码");
  EXPECT_EQ(by_row[6].at("message"), by_row[5].at("message"))
      << "a member outside the branch is reported exactly like one who does not exist";
  EXPECT_EQ(by_row[6].at("value").as_string().find(outsider.substr(6, 8)), std::string::npos)
      << "ID numbers are masked in the report";
  EXPECT_EQ(by_row[7].at("column"), "类别");
  EXPECT_EQ(by_row[8].at("column"), "基数（元）");
  EXPECT_EQ(by_row[9].at("column"), "基数（元）");
  EXPECT_EQ(by_row[10].at("column"), "生效月份（YYYY-MM）");
  EXPECT_EQ(by_row[11].at("column"), "身份证号码");
  EXPECT_NE(by_row[11].at("message").as_string().find("第 3 行"), std::string::npos);
  EXPECT_EQ(by_row[12].at("column"), "身份证号码");

  // The corrected file: all three, through DeclareBase (source imported), in the ledger.
  auto imported = upload("xlsx", xlsx(good));
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(imported.Json().at("imported").as_int64(), 3);
  EXPECT_EQ(imported.Json().at("total_rows").as_int64(), 3);
  EXPECT_TRUE(imported.Json().at("errors").as_array().empty());
  auto ledger =
      secretary_->Get("/api/v1/dues/ledger?org=" + std::to_string(branch) + "&month=" + month);
  ASSERT_EQ(ledger.status, 200) << ledger.body;
  std::map<std::int64_t, json::object> line_of;
  json::value ledger_json = ledger.Json();
  for (const auto& l : ledger_json.at("items").as_array()) {
    line_of[l.at("member_id").as_int64()] = l.as_object();
  }
  EXPECT_EQ(line_of.at(ids[0]).at("due"), "75.00");
  EXPECT_EQ(line_of.at(ids[0]).at("base"), "5000.01");
  EXPECT_EQ(line_of.at(ids[0]).at("category"), "employed");
  EXPECT_EQ(line_of.at(ids[1]).at("due"), "24.00");
  EXPECT_EQ(line_of.at(ids[1]).at("category"), "retired");
  EXPECT_EQ(line_of.at(ids[2]).at("due"), "0.20");
  auto latest = card_bases(ids[1]);
  ASSERT_EQ(latest.size(), bases_before[1] + 1);
  const auto& base = latest.back();
  EXPECT_EQ(base.at("source"), "imported");
  EXPECT_EQ(base.at("base"), "4800.50");
  EXPECT_EQ(base.at("note").as_string(), note)
      << "Chinese text, quotes, commas and a line break round trip";
  EXPECT_EQ(base.at("rule"), "中组发〔2008〕3号 第五条");
  // Audited as the single-base route is (one dues.base.declare per base), plus the import.
  std::string initial = CreateAdmin(*db_, "dues-auditor", "audit_admin");
  Client auditor = FirstLogIn(*server_, "dues-auditor", initial, "Aud#Dues2026x");
  auto imports = auditor.Get("/api/v1/audit?size=5&action=dues.base.import");
  ASSERT_EQ(imports.status, 200) << imports.body;
  ASSERT_EQ(imports.Json().at("items").as_array().size(), 1u) << imports.body;
  EXPECT_EQ(imports.Json().at("items").as_array()[0].at("detail").at("bases").as_int64(), 3);
  auto declared = auditor.Get("/api/v1/audit?size=5&action=dues.base.declare&target=member:" +
                              std::to_string(ids[1]));
  ASSERT_EQ(declared.status, 200) << declared.body;
  EXPECT_GE(declared.Json().at("items").as_array().size(), 1u) << declared.body;

  // CSV (a different month) and JSONL take the same columns; the CLI prints the same report.
  std::string csv = std::string(exchange::kUtf8Bom) + exchange::CsvRecord(header) +
                    exchange::CsvRecord({numbers[0], "在职", "10000.01", "", Month(-1), "提薪"});
  auto csv_done = upload("csv", csv);
  ASSERT_EQ(csv_done.status, 200) << csv_done.body;
  EXPECT_EQ(csv_done.Json().at("imported").as_int64(), 1);
  std::string jsonl = json::serialize(json::object{{"id_number", numbers[2]},
                                                   {"category", "farmer"},
                                                   {"amount", "0.50"},
                                                   {"effective_month", Month(-1)}}) +
                      "\n";
  auto jsonl_done = upload("jsonl", jsonl);
  ASSERT_EQ(jsonl_done.status, 200) << jsonl_done.body;
  bool farmer_base = false;
  for (const auto& b : card_bases(ids[2])) {
    if (b.at("effective_month").as_string() == Month(-1) && b.at("category") == "farmer") {
      farmer_base = true;
      EXPECT_EQ(b.at("amount"), "0.50");
      EXPECT_EQ(b.at("source"), "imported");
    }
  }
  EXPECT_TRUE(farmer_base) << "the JSONL row";
  std::string bad_csv = std::string(exchange::kUtf8Bom) + exchange::CsvRecord(header) +
                        exchange::CsvRecord({numbers[0], "在职", "5000.001", "", month, ""});
  std::string path = std::filesystem::temp_directory_path() /
                     ("zhibu-dues-bases-" + std::to_string(::getpid()) + ".csv");
  {
    std::ofstream out(path, std::ios::binary);
    out << bad_csv;
  }
  auto cli =
      RunZhibu({"import", "dues-bases", path, "--db", db_->url(), "--key-file", db_->key_file()});
  std::filesystem::remove(path);
  EXPECT_EQ(cli.exit_code, 1) << cli.output;
  EXPECT_NE(cli.output.find("第 2 行「基数（元）」"), std::string::npos) << cli.output;

  // Without dues.write, no import; a file that is not one is an error naming the file.
  EXPECT_EQ(server_->Send("POST", "/api/v1/dues/bases/import?format=xlsx", xlsx(good), {}).status,
            401);
  auto garbage = upload("xlsx", "not a workbook");
  EXPECT_EQ(garbage.status / 100, 4) << garbage.body;
  EXPECT_EQ(upload("pdf", "x").status, 400);
}

//! One receipt as the print page reads it: the member, the branch, the months, the total in fen,
//! who recorded it; 404 for a receipt of another branch and for none.
TEST_F(DuesLedgerApiTest, AReceiptReadsBackForPrinting) {
  std::int64_t branch =
      secretary_->Get("/api/v1/orgs/roots").Json().at("items").as_array()[0].at("id").as_int64();
  std::string receipt;
  json::object payment;
  std::int64_t member = 0;
  json::value branch_members =
      admin_->Get("/api/v1/members?status=full&page_size=50&org=" + std::to_string(branch)).Json();
  for (const auto& m : branch_members.at("items").as_array()) {
    auto card = secretary_->Get("/api/v1/members/" + std::to_string(m.at("id").as_int64()) +
                                "/dues?year=" + Month(-1).substr(0, 4));
    ASSERT_EQ(card.status, 200) << card.body;
    json::value card_json = card.Json();
    for (const auto& p : card_json.at("payments").as_array()) {
      if (!p.at("cancelled").as_bool() && p.at("kind") == "regular") {
        receipt = std::string(p.at("receipt_no").as_string());
        payment = p.as_object();
        member = m.at("id").as_int64();
        break;
      }
    }
    if (!receipt.empty()) break;
  }
  ASSERT_FALSE(receipt.empty()) << "the demo town has receipts";
  auto r = secretary_->Get("/api/v1/dues/receipts/" + receipt);
  ASSERT_EQ(r.status, 200) << r.body;
  json::value j = r.Json();
  EXPECT_EQ(j.at("receipt_no").as_string(), receipt);
  EXPECT_EQ(j.at("member_id").as_int64(), member);
  EXPECT_FALSE(j.at("member_name").as_string().empty());
  EXPECT_EQ(j.at("org_id").as_int64(), branch);
  EXPECT_FALSE(j.at("org_name").as_string().empty());
  EXPECT_EQ(j.at("paid_on"), payment.at("paid_on"));
  EXPECT_FALSE(j.at("cancelled").as_bool());
  std::int64_t fen = 0;
  bool month_listed = false;
  for (const auto& line : j.at("months").as_array()) {
    std::string amount(line.at("amount").as_string());
    fen += std::stoll(amount.substr(0, amount.size() - 3)) * 100 +
           std::stoll(amount.substr(amount.size() - 2));
    month_listed = month_listed || line.at("month") == payment.at("month");
  }
  EXPECT_TRUE(month_listed);
  std::string extra(j.at("extra").as_string());
  fen += std::stoll(extra.substr(0, extra.size() - 3)) * 100 +
         std::stoll(extra.substr(extra.size() - 2));
  EXPECT_EQ(j.at("total_fen").as_int64(), fen);
  EXPECT_EQ(secretary_->Get("/api/v1/dues/receipts/DF1999-999999").status, 404);

  // A receipt paid to another branch is as absent to the 支部书记 as a missing one.
  std::int64_t outsider = 0;
  json::value all_members = admin_->Get("/api/v1/members?status=full&page_size=200").Json();
  for (const auto& m : all_members.at("items").as_array()) {
    if (m.at("org_id").as_int64() == branch ||
        std::string(m.at("joined_on").as_string()) >= Month(-14)) {
      continue;
    }
    // Someone without any dues record (outside the demo's dues town, untouched by the tests above:
    // no base, no approved 免交, nothing paid).
    json::value card =
        admin_->Get("/api/v1/members/" + std::to_string(m.at("id").as_int64()) + "/dues").Json();
    if (card.at("payments").as_array().empty() && card.at("bases").as_array().empty() &&
        card.at("reductions").as_array().empty()) {
      outsider = m.at("id").as_int64();
      break;
    }
  }
  ASSERT_NE(outsider, 0);
  auto declared =
      Post(*admin_, "/api/v1/members/" + std::to_string(outsider) + "/dues/bases",
           {{"category", "student"}, {"effective_month", Month(0)}, {"note", "收据范围测试"}});
  ASSERT_EQ(declared.status, 201) << declared.body;
  auto paid = Post(*admin_, "/api/v1/dues/payments",
                   {{"member_id", outsider},
                    {"months", json::array{json::value(Month(0))}},
                    {"method", "cash"},
                    {"payer_name", "家属代交"},
                    {"paid_on", TodayInShanghai()}});
  ASSERT_EQ(paid.status, 201) << paid.body;
  std::string other_receipt(paid.Json().at("receipt_no").as_string());
  auto seen = admin_->Get("/api/v1/dues/receipts/" + other_receipt);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(seen.Json().at("total"), "0.20");
  EXPECT_EQ(seen.Json().at("total_fen").as_int64(), 20);
  EXPECT_EQ(seen.Json().at("payer_name"), "家属代交");
  EXPECT_FALSE(seen.Json().at("collector").as_string().empty()) << "the account that recorded it";
  auto hidden = secretary_->Get("/api/v1/dues/receipts/" + other_receipt);
  EXPECT_EQ(hidden.status, 404) << hidden.body;
  EXPECT_EQ(hidden.ErrorCode(), "dues.receipt_not_found");
  // Cancelled, it says so and why.
  auto cancelled =
      Post(*admin_, "/api/v1/dues/receipts/" + other_receipt + "/cancel", {{"reason", "测试作废"}});
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  json::value after = admin_->Get("/api/v1/dues/receipts/" + other_receipt).Json();
  EXPECT_TRUE(after.at("cancelled").as_bool());
  EXPECT_EQ(after.at("cancelled_reason"), "测试作废");
}

}  // namespace
}  // namespace zhibu::apitest
