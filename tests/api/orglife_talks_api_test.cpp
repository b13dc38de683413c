// 谈心谈话 as a compliance rule (orglife.heart_to_heart.yearly; 支部工作条例 ≈第十九条) through the
// API, on both backends, against `zhibu serve --demo`: a branch with a committee of three made as
// a county office would, its 谈心谈话 recorded through the meeting API, the finding read from the
// compliance board (last year: red until every pair of 支委 and every member is covered) and from
// the stored findings of this month's scan (yellow in the fourth quarter, resolved by a record
// covering everyone). A member on leave does not count; another branch's secretary sees nothing.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <memory>

#include "demo_accounts.h"
#include "harness.h"
#include "platform/identity/id_number.h"
#include "platform/util/date.h"

namespace zhibu::apitest {
namespace {

namespace json = boost::json;

constexpr std::string_view kRule = "orglife.heart_to_heart.yearly";

std::string Str(const json::value& v, std::string_view key) {
  return std::string(v.at(key).as_string());
}
std::string Num(std::int64_t n) { return std::to_string(n); }

//! A branch made for one test: five full members, the first three its committee (支委).
struct Branch {
  std::int64_t id = 0;
  std::vector<std::int64_t> committee;
  std::vector<std::int64_t> others;
};

class OrglifeTalksApiTest : public DemoSuite<OrglifeTalksApiTest> {
 protected:
  static void SetUpTestSuite() {
    Start(std::make_unique<TestDatabase>(), std::vector<std::string>{"--demo"});
  }

  //! A new, valid ID number (an area outside the demo county's, a serial per call).
  static std::string NextIdNumber() {
    static int serial = 0;
    ++serial;
    char body[32];
    std::snprintf(body, sizeof body, "110106%04d%02d%02d%03d", 1961 + serial % 30, 1 + serial % 12,
                  1 + serial % 28, 200 + serial % 700);
    return std::string(body) + identity::CheckCode(std::string_view(body, 17));
  }

  //! A rural town of the demo county to put the test branch under.
  static std::int64_t Town() {
    json::value roots = admin_->Get("/api/v1/orgs/roots").Json();
    std::int64_t root = roots.at("items").as_array()[0].at("id").as_int64();
    auto kids = admin_->Get("/api/v1/orgs/" + Num(root) + "/children").Json();
    for (const auto& k : kids.at("items").as_array()) {
      if (Str(k, "kind") == "committee") return k.at("id").as_int64();
    }
    ADD_FAILURE() << "no town in the demo county";
    return 0;
  }

  //! Five full members (in the branch since 2010) and a committee of the first three, elected in
  //! 2024: three pairs of 支委 and two members owe a 谈心谈话 every year.
  static Branch MakeBranch() {
    static int serial = 0;
    ++serial;
    Branch b;
    auto org = Post(*admin_, "/api/v1/orgs",
                    {{"parent_id", Town()},
                     {"code", "TALKS-TEST-" + Num(serial)},
                     {"name", "中共谈心谈话测试第" + Num(serial) + "支部委员会"},
                     {"kind", "branch"},
                     {"domain", "rural"},
                     {"founded_on", "2015-07-01"}});
    EXPECT_EQ(org.status, 201) << org.body;
    b.id = org.Json().at("id").as_int64();
    json::array positions;
    static const std::array<const char*, 3> kPositions = {"secretary", "organisation", "publicity"};
    for (int i = 0; i < 5; ++i) {
      auto made = Post(*admin_, "/api/v1/members",
                       {{"org_id", b.id},
                        {"name", "谈话" + Num(i + 1)},
                        {"id_number", NextIdNumber()},
                        {"ethnicity", "汉族"},
                        {"education", "bachelor"},
                        {"category", "rural"},
                        {"joined_on", "2010-07-01"},
                        {"confirmed_on", "2011-07-01"}});
      EXPECT_EQ(made.status, 201) << made.body;
      std::int64_t id = made.Json().at("id").as_int64();
      if (i < 3) {
        b.committee.push_back(id);
        positions.push_back({{"position", kPositions[static_cast<std::size_t>(i)]},
                             {"member_id", id},
                             {"member_name", "谈话" + Num(i + 1)}});
      } else {
        b.others.push_back(id);
      }
    }
    auto elected = Post(*admin_, "/api/v1/orgs/" + Num(b.id) + "/committees",
                        {{"elected_on", "2024-01-01"}, {"positions", positions}});
    EXPECT_EQ(elected.status, 200) << elected.body;
    return b;
  }

  //! Records a 谈心谈话 of `b` on `day` with `present` present and `leave` on leave, and submits
  //! it (a submitted record counts as held).
  static void Talk(const Branch& b, const std::string& day,
                   const std::vector<std::int64_t>& present,
                   const std::vector<std::int64_t>& leave = {}) {
    json::array attendance;
    for (auto id : present) attendance.push_back({{"member_id", id}, {"status", "present"}});
    for (auto id : leave) {
      attendance.push_back({{"member_id", id}, {"status", "leave"}, {"leave_reason", "外出务工"}});
    }
    auto made = Post(*admin_, "/api/v1/meetings",
                     {{"org_id", b.id},
                      {"kind", "heart_to_heart"},
                      {"topic", "谈思想、谈工作、谈作风"},
                      {"planned_start", day + "T00:00"},
                      {"planned_end", day + "T00:01"},
                      {"actual_start", day + "T00:00"},
                      {"actual_end", day + "T00:01"},
                      {"place", "村党群服务中心"},
                      {"host_name", "谈话1"},
                      {"recorder_name", "谈话2"},
                      {"agenda", "交流思想，听取意见建议"},
                      {"minutes", "双方坦诚交流了思想和工作情况……"},
                      {"attendance", attendance}});
    ASSERT_EQ(made.status, 201) << made.body;
    std::int64_t id = made.Json().at("id").as_int64();
    auto submitted = admin_->Post("/api/v1/meetings/" + Num(id) + "/submit");
    ASSERT_EQ(submitted.status, 200) << submitted.body;
  }

  //! The branch's 谈心谈话 cell of the board for `period`.
  static json::object Cell(const Branch& b, const std::string& period) {
    auto board = admin_->Get("/api/v1/meetings/board?org=" + Num(b.id) + "&period=" + period);
    EXPECT_EQ(board.status, 200) << board.body;
    auto j = board.Json();
    bool column = false;
    for (const auto& c : j.at("columns").as_array()) column |= Str(c, "rule_id") == kRule;
    EXPECT_TRUE(column) << "a 谈心谈话 column on the board";
    for (const auto& item : j.at("items").as_array()) {
      if (item.at("org_id").as_int64() == b.id) {
        return item.at("cells").at("heart_to_heart").as_object();
      }
    }
    ADD_FAILURE() << "no row for the branch: " << board.body;
    return {};
  }
};

TEST_F(OrglifeTalksApiTest, LastYearIsRedUntilEveryPairAndEveryMemberHasTalked) {
  Branch b = MakeBranch();
  const std::string today = TodayInShanghai();
  const std::string year = Num(std::stoi(today.substr(0, 4)) - 1);
  const auto& c = b.committee;
  const auto& m = b.others;

  auto cell = Cell(b, year);
  EXPECT_EQ(Str(cell, "light"), "red");
  EXPECT_EQ(json::serialize(cell.at("missed")), "[\"" + year + "\"]");
  EXPECT_NE(Str(cell, "message").find("支委之间尚有 3 对未谈心谈话（共 3 对）"), std::string::npos)
      << Str(cell, "message");
  EXPECT_NE(Str(cell, "message").find("2 名党员未与支委谈心谈话（共 2 名）"), std::string::npos)
      << Str(cell, "message");

  // 支委 1 and 2 with member 4: one pair and one member are covered.
  Talk(b, year + "-03-10", {c[0], c[1], m[0]});
  cell = Cell(b, year);
  EXPECT_EQ(Str(cell, "light"), "red");
  EXPECT_EQ(cell.at("held").as_int64(), 1);
  EXPECT_NE(Str(cell, "message").find("支委之间尚有 2 对"), std::string::npos)
      << Str(cell, "message");
  EXPECT_NE(Str(cell, "message").find("1 名党员"), std::string::npos) << Str(cell, "message");

  // 支委 1 and 3; member 5 on leave does not count.
  Talk(b, year + "-06-10", {c[0], c[2]}, {m[1]});
  cell = Cell(b, year);
  EXPECT_EQ(Str(cell, "light"), "red");
  EXPECT_NE(Str(cell, "message").find("支委之间尚有 1 对"), std::string::npos)
      << Str(cell, "message");
  EXPECT_NE(Str(cell, "message").find("1 名党员"), std::string::npos) << Str(cell, "message");
  EXPECT_EQ(Str(cell, "last_held"), year + "-06-10");

  // 支委 2 and 3 with member 5: everyone covered.
  Talk(b, year + "-09-10", {c[1], c[2], m[1]});
  cell = Cell(b, year);
  EXPECT_EQ(Str(cell, "light"), "green") << json::serialize(cell);
  EXPECT_EQ(Str(cell, "message"), "");
  EXPECT_EQ(cell.at("held").as_int64(), 3);

  // Another branch's secretary does not see this branch's board.
  EXPECT_EQ(secretary_->Get("/api/v1/meetings/board?org=" + Num(b.id)).status, 404);
}

TEST_F(OrglifeTalksApiTest, ThisMonthsScanFindsTheYearUncoveredFromOctoberAndResolvesIt) {
  Branch b = MakeBranch();
  const std::string today = TodayInShanghai();
  const bool fourth_quarter = today.substr(5, 2) >= "10";
  auto scan = [&] {
    auto r = Post(*admin_, "/api/v1/findings/scan", {{"org_id", b.id}});
    EXPECT_EQ(r.status, 200) << r.body;
  };
  auto findings = [&](const std::string& status) {
    auto r = admin_->Get("/api/v1/findings?org=" + Num(b.id) + "&rule=" + std::string(kRule) +
                         "&status=" + status);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json();
  };
  scan();
  auto open = findings("open");
  if (fourth_quarter) {
    ASSERT_EQ(open.at("total").as_int64(), 1) << json::serialize(open);
    const auto& f = open.at("items").as_array()[0];
    EXPECT_EQ(Str(f, "severity"), "yellow");
    EXPECT_EQ(f.at("subject_id").as_int64(), b.id);
    EXPECT_NE(Str(f, "rule_title").find("谈心谈话"), std::string::npos);
    const auto& facts = f.at("facts");
    EXPECT_EQ(facts.at("committee_pairs_missing").as_int64(), 3);
    EXPECT_EQ(facts.at("members_missing").as_int64(), 2);
    EXPECT_EQ(facts.at("missing_members").as_array().size(), 2u);
    EXPECT_EQ(facts.at("missing_members").as_array()[0].at("member_id").as_int64(), b.others[0]);
    EXPECT_EQ(Str(facts, "due_on"), today.substr(0, 4) + "-12-31");
  } else {
    EXPECT_EQ(open.at("total").as_int64(), 0) << "before October nothing is due yet";
  }

  // One 谈心谈话 with everyone present covers every pair and every member.
  std::vector<std::int64_t> everyone = b.committee;
  everyone.insert(everyone.end(), b.others.begin(), b.others.end());
  Talk(b, today, everyone);
  scan();
  EXPECT_EQ(findings("open").at("total").as_int64(), 0);
  if (fourth_quarter) {
    EXPECT_EQ(findings("resolved").at("total").as_int64(), 1);
  }
  EXPECT_EQ(Str(Cell(b, today.substr(0, 7)), "light"), "green");
}

}  // namespace
}  // namespace zhibu::apitest
