// The higher organisation's review through the API (spec 04 "The higher organisation's review",
// "Pages"), on both backends, on a copy of the demo county (WithDemo): the checklist read by anyone
// with orglife.read and edited only with setting.change (audited, retired never deleted); reviews
// that name checklist items (unknown or retired items refused naming problems[i].item_id); the
// queue of a town's reviewer (a 党委书记 granted on the 支部书记's town, made through the API by
// the 三员); a branch secretary who may not review, not even their own branch's record; problem
// statistics; and the compliance board, whose red and yellow counts equal what `zhibu check
// --dry-run` reports for the same subtree and period (a quarter and a month).
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <set>
#include <sstream>

#include "demo_accounts.h"
#include "harness.h"
#include "platform/identity/id_number.h"
#include "platform/util/date.h"

namespace zhibu::apitest {
namespace {

namespace json = boost::json;

std::string Str(const json::value& v, std::string_view key) {
  return std::string(v.at(key).as_string());
}
std::string Num(std::int64_t n) { return std::to_string(n); }

std::string DaysFrom(const std::string& date, int days) {
  return FormatIsoDate(std::chrono::year_month_day(std::chrono::sys_days(*ParseIsoDate(date)) +
                                                   std::chrono::days(days)));
}

//! The error's field of an answer.
std::string FieldOf(const HttpResult& r) {
  if (r.status < 400) return "(" + Num(r.status) + ")";
  return Str(r.Json().at("error"), "field");
}

class OrglifeReviewApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    today_ = TodayInShanghai();
    db_ = TestDatabase::WithDemo();
    server_ = std::make_unique<ServerProcess>(*db_);
    admin_ = std::make_unique<Client>(DemoLogIn(*server_, "zuzhibu"));
    secretary_ = std::make_unique<Client>(DemoLogIn(*server_, "shuji"));
    auditor_ = std::make_unique<Client>(DemoLogIn(*server_, "auditor"));
    // The 支部书记's branch and its town; a 党委书记 granted on that town by the 三员.
    own_branch_ =
        secretary_->Get("/api/v1/orgs/roots").Json().at("items").as_array()[0].at("id").as_int64();
    town_ = admin_->Get("/api/v1/orgs/" + Num(own_branch_)).Json().at("parent_id").as_int64();
    Client sys = DemoLogIn(*server_, "sysadmin");
    Client sec = DemoLogIn(*server_, "secadmin");
    auto made =
        sys.Post("/api/v1/accounts", R"({"username":"zhenwei","display_name":"镇党委书记"})");
    ASSERT_EQ(made.status, 201) << made.body;
    std::int64_t id = made.Json().at("account").at("id").as_int64();
    std::string initial = Str(made.Json(), "initial_password");
    auto granted =
        sec.Post("/api/v1/accounts/" + Num(id) + "/grants",
                 R"({"role":"party_committee_secretary","organisation_id":)" + Num(town_) + "}");
    ASSERT_EQ(granted.status, 201) << granted.body;
    reviewer_ =
        std::make_unique<Client>(FirstLogIn(*server_, "zhenwei", initial, "Town#Review2026"));
  }
  static void TearDownTestSuite() {
    admin_.reset();
    secretary_.reset();
    auditor_.reset();
    reviewer_.reset();
    EXPECT_EQ(server_->StopWith(SIGTERM), 0) << server_->Log();
    server_.reset();
    db_.reset();
  }

  static HttpResult Post(const Client& c, const std::string& target, const json::value& body) {
    return server_->Send("POST", target, json::serialize(body), c.Headers());
  }

  //! A new, valid ID number (an area outside the demo county's, a serial per call).
  static std::string NextIdNumber() {
    static int serial = 0;
    ++serial;
    char body[32];
    std::snprintf(body, sizeof body, "120105%04d%02d%02d%03d", 1960 + serial % 30, 1 + serial % 12,
                  1 + serial % 28, 100 + serial % 800);
    return std::string(body) + identity::CheckCode(std::string_view(body, 17));
  }

  //! A branch of `members` full members under the reviewer's town; answers its id and members.
  static std::pair<std::int64_t, std::vector<std::int64_t>> MakeBranch(int members) {
    static int serial = 0;
    ++serial;
    auto org = Post(*admin_, "/api/v1/orgs",
                    {{"parent_id", town_},
                     {"code", "REVIEW-TEST-" + Num(serial)},
                     {"name", "中共审核测试第" + Num(serial) + "支部委员会"},
                     {"kind", "branch"},
                     {"domain", "rural"},
                     {"founded_on", "2015-07-01"}});
    EXPECT_EQ(org.status, 201) << org.body;
    std::int64_t id = org.Json().at("id").as_int64();
    std::vector<std::int64_t> ids;
    for (int i = 0; i < members; ++i) {
      auto made = Post(*admin_, "/api/v1/members",
                       {{"org_id", id},
                        {"name", "党员" + Num(i + 1)},
                        {"id_number", NextIdNumber()},
                        {"ethnicity", "汉族"},
                        {"education", "bachelor"},
                        {"category", "rural"},
                        {"joined_on", "2010-07-01"},
                        {"confirmed_on", "2011-07-01"}});
      EXPECT_EQ(made.status, 201) << made.body;
      ids.push_back(made.Json().at("id").as_int64());
    }
    return {id, ids};
  }

  //! A complete record of `kind` held yesterday in `org` with `present` present, created by `c`
  //! and submitted; answers its id.
  static std::int64_t Submitted(const Client& c, std::int64_t org, const std::string& kind,
                                const std::vector<std::int64_t>& present) {
    std::string day = DaysFrom(today_, -1);
    json::array attendance;
    for (auto id : present) attendance.push_back({{"member_id", id}, {"status", "present"}});
    auto made = Post(c, "/api/v1/meetings",
                     {{"org_id", org},
                      {"kind", kind},
                      {"topic", "学习贯彻党的二十届三中全会精神"},
                      {"planned_start", day + "T09:00"},
                      {"planned_end", day + "T11:00"},
                      {"actual_start", day + "T09:05"},
                      {"actual_end", day + "T10:50"},
                      {"place", "党群服务中心会议室"},
                      {"host_name", "书记"},
                      {"recorder_name", "组织委员"},
                      {"minutes", "会议由书记主持……"},
                      {"attendance", attendance}});
    EXPECT_EQ(made.status, 201) << made.body;
    if (made.status != 201) return 0;
    std::int64_t id = made.Json().at("id").as_int64();
    auto submitted = c.Post("/api/v1/meetings/" + Num(id) + "/submit");
    EXPECT_EQ(submitted.status, 200) << submitted.body;
    return id;
  }

  //! The id of the checklist item titled `title`, as `c` reads the checklist.
  static std::int64_t ItemId(const Client& c, const std::string& title) {
    auto list = c.Get("/api/v1/meetings/checklist?retired=true").Json();
    for (const auto& cls : list.at("classes").as_array()) {
      for (const auto& item : cls.at("items").as_array()) {
        if (item.at("title").as_string() == title) return item.at("id").as_int64();
      }
    }
    ADD_FAILURE() << "no checklist item " << title;
    return 0;
  }

  static std::string today_;
  static std::int64_t own_branch_;
  static std::int64_t town_;
  static std::unique_ptr<TestDatabase> db_;
  static std::unique_ptr<ServerProcess> server_;
  static std::unique_ptr<Client> admin_;
  static std::unique_ptr<Client> secretary_;
  static std::unique_ptr<Client> auditor_;
  static std::unique_ptr<Client> reviewer_;
};

std::string OrglifeReviewApiTest::today_;
std::int64_t OrglifeReviewApiTest::own_branch_ = 0;
std::int64_t OrglifeReviewApiTest::town_ = 0;
std::unique_ptr<TestDatabase> OrglifeReviewApiTest::db_;
std::unique_ptr<ServerProcess> OrglifeReviewApiTest::server_;
std::unique_ptr<Client> OrglifeReviewApiTest::admin_;
std::unique_ptr<Client> OrglifeReviewApiTest::secretary_;
std::unique_ptr<Client> OrglifeReviewApiTest::auditor_;
std::unique_ptr<Client> OrglifeReviewApiTest::reviewer_;

TEST_F(OrglifeReviewApiTest, TheChecklistIsReadByReadersAndEditedByTheAdministratorAudited) {
  // Anyone with orglife.read: the default of 5 classes and 13 items, each with its basis.
  auto list = secretary_->Get("/api/v1/meetings/checklist");
  ASSERT_EQ(list.status, 200) << list.body;
  std::size_t items = 0;
  json::value classes = list.Json();
  for (const auto& cls : classes.at("classes").as_array()) {
    for (const auto& item : cls.at("items").as_array()) {
      ++items;
      EXPECT_FALSE(Str(item, "source").empty());
    }
  }
  EXPECT_EQ(list.Json().at("classes").as_array().size(), 5u);
  EXPECT_EQ(items, 13u);
  EXPECT_EQ(FieldOf(secretary_->Get("/api/v1/meetings/checklist?retired=maybe")), "retired");

  // Only with setting.change (组织部管理员): the 支部书记 and the 党委书记 are refused.
  json::object item{{"class", "会议记录不规范"}, {"title", "会议记录未经主持人审阅签字"}};
  EXPECT_EQ(Post(*secretary_, "/api/v1/meetings/checklist/items", item).status, 403);
  EXPECT_EQ(Post(*reviewer_, "/api/v1/meetings/checklist/items", item).status, 403);
  EXPECT_EQ(FieldOf(Post(*admin_, "/api/v1/meetings/checklist/items", {{"title", "x"}})), "class");
  EXPECT_EQ(FieldOf(Post(*admin_, "/api/v1/meetings/checklist/items",
                         {{"class", json::array{}}, {"title", "x"}})),
            "class");
  EXPECT_EQ(FieldOf(Post(*admin_, "/api/v1/meetings/checklist/items",
                         {{"class", "其他"}, {"title", "x"}})),
            "class");
  EXPECT_EQ(FieldOf(Post(*admin_, "/api/v1/meetings/checklist/items",
                         {{"class", "会议记录不规范"}, {"title", ""}})),
            "title");
  EXPECT_EQ(FieldOf(Post(*admin_, "/api/v1/meetings/checklist/items",
                         {{"class", "会议记录不规范"}, {"title", "x"}, {"colour", "red"}})),
            "colour");
  auto added = Post(*admin_, "/api/v1/meetings/checklist/items", item);
  ASSERT_EQ(added.status, 201) << added.body;
  std::int64_t id = added.Json().at("id").as_int64();
  EXPECT_EQ(Str(added.Json(), "class"), "会议记录不规范");
  EXPECT_EQ(Str(added.Json(), "source"), "本地做法");
  auto duplicate = Post(*admin_, "/api/v1/meetings/checklist/items", item);
  EXPECT_EQ(duplicate.status, 409) << duplicate.body;
  EXPECT_EQ(FieldOf(duplicate), "title");

  // Retired, never deleted: gone from the list offered to reviewers, kept with the retired ones.
  std::string retire = "/api/v1/meetings/checklist/items/" + Num(id) + "/retire";
  EXPECT_EQ(Post(*secretary_, retire, json::object{}).status, 403);
  auto retired = Post(*admin_, retire, {{"reason", "并入“记录要素不全”"}});
  ASSERT_EQ(retired.status, 200) << retired.body;
  EXPECT_TRUE(retired.Json().at("retired").as_bool());
  EXPECT_EQ(Post(*admin_, retire, json::object{}).status, 409);
  EXPECT_EQ(
      Post(*admin_, "/api/v1/meetings/checklist/items/99999999/retire", json::object{}).status,
      404);
  EXPECT_EQ(secretary_->Get("/api/v1/meetings/checklist").body.find("会议记录未经主持人审阅签字"),
            std::string::npos);
  EXPECT_NE(secretary_->Get("/api/v1/meetings/checklist?retired=true")
                .body.find("会议记录未经主持人审阅签字"),
            std::string::npos);

  auto trail = auditor_->Get("/api/v1/audit?size=50&target=checklist_item:" + Num(id));
  ASSERT_EQ(trail.status, 200) << trail.body;
  std::set<std::string> actions;
  json::value events = trail.Json();
  for (const auto& e : events.at("items").as_array()) actions.insert(Str(e, "action"));
  EXPECT_TRUE(actions.contains("orglife.checklist.add"));
  EXPECT_TRUE(actions.contains("orglife.checklist.retire"));
}

TEST_F(OrglifeReviewApiTest, AReviewerReturnsWithChecklistProblemsFromTheQueue) {
  auto [branch, members] = MakeBranch(4);
  std::int64_t record = Submitted(*admin_, branch, "theme_day", {members[0], members[1]});
  std::string path = "/api/v1/meetings/" + Num(record);

  // The town's queue holds it, oldest submission first, with its trail and waiting days.
  auto queue = reviewer_->Get("/api/v1/meetings/review-queue?page_size=200");
  ASSERT_EQ(queue.status, 200) << queue.body;
  auto q = queue.Json();
  bool found = false;
  std::string previous;
  for (const auto& item : q.at("items").as_array()) {
    EXPECT_GE(Str(item, "submitted_at"), previous) << "oldest first";
    previous = Str(item, "submitted_at");
    const auto& trail = item.at("org_trail").as_array();
    ASSERT_GE(trail.size(), 2u);
    EXPECT_EQ(trail[0].at("id").as_int64(), town_) << "inside the reviewer's subtree only";
    if (item.at("id").as_int64() != record) continue;
    found = true;
    EXPECT_EQ(Str(item, "kind_title"), "主题党日");
    EXPECT_EQ(item.at("days_waiting").as_int64(), 0);
    EXPECT_EQ(item.at("org_id").as_int64(), branch);
  }
  EXPECT_TRUE(found || q.at("total").as_int64() > 200) << queue.body;
  auto filtered =
      reviewer_->Get("/api/v1/meetings/review-queue?kind=theme_day&org=" + Num(branch)).Json();
  ASSERT_EQ(filtered.at("total").as_int64(), 1) << json::serialize(filtered);
  EXPECT_EQ(filtered.at("items").as_array()[0].at("id").as_int64(), record);
  EXPECT_EQ(FieldOf(reviewer_->Get("/api/v1/meetings/review-queue?kind=picnic")), "kind");
  EXPECT_EQ(reviewer_->Get("/api/v1/meetings/review-queue?page_size=1")
                .Json()
                .at("items")
                .as_array()
                .size(),
            1u);

  // Bad problems name the field and change nothing.
  std::int64_t quorum = ItemId(*reviewer_, "支委会到会委员未超过半数");
  std::int64_t brief = ItemId(*reviewer_, "记录过于简略，未写明讨论和决议情况");
  auto scratch = Post(*admin_, "/api/v1/meetings/checklist/items",
                      {{"class", "材料归档不规范"}, {"title", "会议通知未提前发出"}});
  ASSERT_EQ(scratch.status, 201) << scratch.body;
  std::int64_t retired = scratch.Json().at("id").as_int64();
  ASSERT_EQ(
      Post(*admin_, "/api/v1/meetings/checklist/items/" + Num(retired) + "/retire", json::object{})
          .status,
      200);
  auto review = [&](json::object body) { return Post(*reviewer_, path + "/review", body); };
  EXPECT_EQ(FieldOf(review({{"decision", "return"}, {"problems", json::array{}}})), "problems");
  EXPECT_EQ(FieldOf(review({{"decision", "return"}, {"problems", "会议记录简略"}})), "problems");
  EXPECT_EQ(FieldOf(review({{"decision", "return"},
                            {"problems", json::array{{{"item_id", quorum}}, {{"note", "x"}}}}})),
            "problems[1].item_id");
  EXPECT_EQ(FieldOf(review(
                {{"decision", "return"}, {"problems", json::array{{{"item_id", 99'999'999}}}}})),
            "problems[0].item_id");
  auto refused =
      review({{"decision", "return"}, {"problems", json::array{{{"item_id", retired}}}}});
  EXPECT_EQ(FieldOf(refused), "problems[0].item_id") << "a retired item";
  EXPECT_EQ(refused.ErrorCode(), "orglife.checklist_item_unknown");
  EXPECT_EQ(
      FieldOf(review({{"decision", "return"}, {"problems", json::array{{{"item_id", "一"}}}}})),
      "problems[0].item_id");
  EXPECT_EQ(Str(reviewer_->Get(path).Json(), "status"), "submitted");

  // Returned with two items and a free-text reason (the older form, class 其他).
  auto returned = review({{"decision", "return"},
                          {"problems", json::array{{{"item_id", brief}, {"note", "未写明讨论情况"}},
                                                   {{"item_id", quorum}}}},
                          {"reasons", json::array{"签到表缺页"}}});
  ASSERT_EQ(returned.status, 200) << returned.body;
  EXPECT_EQ(Str(returned.Json(), "status"), "returned");
  json::value after = returned.Json();
  const auto& reasons = after.at("reviews").as_array().back().at("reasons").as_array();
  ASSERT_EQ(reasons.size(), 3u);
  EXPECT_EQ(Str(reasons[0], "class"), "会议记录不规范");
  EXPECT_EQ(Str(reasons[0], "note"), "未写明讨论情况");
  EXPECT_EQ(Str(reasons[2], "class"), "其他");
  auto gone = reviewer_->Get("/api/v1/meetings/review-queue?org=" + Num(branch)).Json();
  EXPECT_EQ(gone.at("total").as_int64(), 0) << "a returned record leaves the queue";

  // Fixed and resubmitted, accepted with a minor problem.
  ASSERT_EQ(admin_->Post(path + "/submit").status, 200);
  auto accepted = review({{"decision", "accept"}, {"problems", json::array{{{"item_id", brief}}}}});
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(Str(accepted.Json(), "status"), "accepted");
  auto trail = auditor_->Get("/api/v1/audit?size=50&target=meeting:" + Num(record));
  EXPECT_NE(trail.body.find("未写明讨论情况"), std::string::npos) << "the problems are audited";

  // The branch's statistics this month: 4 problems on one record, by class and by month.
  std::string month = today_.substr(0, 7);
  auto stats = reviewer_->Get("/api/v1/meetings/problems/stats?org=" + Num(branch) +
                              "&from=" + month + "&to=" + month);
  ASSERT_EQ(stats.status, 200) << stats.body;
  auto s = stats.Json();
  EXPECT_EQ(s.at("total").as_int64(), 4);
  EXPECT_EQ(s.at("records").as_int64(), 1);
  EXPECT_EQ(s.at("branches").as_int64(), 1);
  EXPECT_EQ(s.at("classes_with_problems").as_int64(), 3);
  EXPECT_EQ(s.at("items_with_problems").as_int64(), 3);
  EXPECT_EQ(s.at("by_branch").as_array()[0].at("count").as_int64(), 4);
  EXPECT_EQ(s.at("by_month").as_array().size(), 1u);
  EXPECT_EQ(s.at("by_month").as_array()[0].at("count").as_int64(), 4);
  for (const auto& cls : s.at("classes").as_array()) {
    if (Str(cls, "title") == "会议记录不规范") {
      EXPECT_EQ(cls.at("count").as_int64(), 2);
    }
  }
  // The town's totals include the demo's reviews; bad months name the field.
  auto town = reviewer_->Get("/api/v1/meetings/problems/stats").Json();
  EXPECT_GE(town.at("total").as_int64(), 4);
  EXPECT_EQ(FieldOf(reviewer_->Get("/api/v1/meetings/problems/stats?from=2026-13")), "from");
  EXPECT_EQ(FieldOf(reviewer_->Get("/api/v1/meetings/problems/stats?from=2026-05&to=2026-04")),
            "to");
}

TEST_F(OrglifeReviewApiTest, OutsideTheReviewersSubtreeIsNotFoundAndNobodyReviewsTheirOwn) {
  // The 支部书记 records their own branch's 主题党日: they may write it, never review it.
  auto own_members = secretary_->Get("/api/v1/members?page_size=3&org=" + Num(own_branch_)).Json();
  ASSERT_FALSE(own_members.at("items").as_array().empty());
  std::int64_t member = own_members.at("items").as_array()[0].at("id").as_int64();
  std::int64_t own = Submitted(*secretary_, own_branch_, "theme_day", {member});
  auto self =
      Post(*secretary_, "/api/v1/meetings/" + Num(own) + "/review", {{"decision", "accept"}});
  EXPECT_EQ(self.status, 403) << self.body;
  EXPECT_EQ(secretary_->Get("/api/v1/meetings/review-queue").status, 403)
      << "a 支部书记 has no review queue";
  // The town reviews it; the town's own record is for the county to review.
  auto listed = reviewer_->Get("/api/v1/meetings/review-queue?org=" + Num(own_branch_)).Json();
  std::set<std::int64_t> ids;
  for (const auto& item : listed.at("items").as_array()) ids.insert(item.at("id").as_int64());
  EXPECT_TRUE(ids.contains(own)) << json::serialize(listed);
  // A 谈心谈话 of the town itself (its participants entered).
  std::int64_t town_record = Submitted(*admin_, town_, "heart_to_heart", {member});
  ASSERT_NE(town_record, 0);
  auto town_own = Post(*reviewer_, "/api/v1/meetings/" + Num(town_record) + "/review",
                       {{"decision", "accept"}});
  EXPECT_EQ(town_own.status, 403) << town_own.body;
  EXPECT_EQ(town_own.ErrorCode(), "orglife.review_own");
  auto whole_town = reviewer_->Get("/api/v1/meetings/review-queue?page_size=200").Json();
  for (const auto& item : whole_town.at("items").as_array()) {
    EXPECT_NE(item.at("id").as_int64(), town_record) << "not in the town's own queue";
  }
  auto county =
      admin_->Get("/api/v1/meetings/review-queue?org=" + Num(town_) + "&kind=heart_to_heart");
  ASSERT_EQ(county.status, 200) << county.body;
  bool in_county = false;
  json::value queued = county.Json();
  for (const auto& item : queued.at("items").as_array()) {
    in_county = in_county || item.at("id").as_int64() == town_record;
  }
  EXPECT_TRUE(in_county || county.Json().at("total").as_int64() > 50);

  // Another town's organisation: 404 like a missing one, for the queue, statistics and board.
  json::value roots = admin_->Get("/api/v1/orgs/roots").Json();
  std::int64_t root = roots.at("items").as_array()[0].at("id").as_int64();
  std::int64_t elsewhere = 0;
  json::value children = admin_->Get("/api/v1/orgs/" + Num(root) + "/children").Json();
  for (const auto& k : children.at("items").as_array()) {
    if (k.at("id").as_int64() != town_) elsewhere = k.at("id").as_int64();
  }
  ASSERT_NE(elsewhere, 0);
  for (const std::string target :
       {"/api/v1/meetings/review-queue?org=", "/api/v1/meetings/problems/stats?org=",
        "/api/v1/meetings/board?org="}) {
    auto outside = reviewer_->Get(target + Num(elsewhere));
    auto missing = reviewer_->Get(target + "99999999");
    EXPECT_EQ(outside.status, 404) << target << outside.body;
    EXPECT_EQ(outside.ErrorCode(), missing.ErrorCode()) << target;
  }
  EXPECT_EQ(secretary_->Get("/api/v1/meetings/board?org=" + Num(town_)).status, 404);
  auto accepted =
      Post(*reviewer_, "/api/v1/meetings/" + Num(own) + "/review", {{"decision", "accept"}});
  EXPECT_EQ(accepted.status, 200) << accepted.body;
}

//! The red and yellow findings of the frequency duties `zhibu check --dry-run` prints for the
//! subtree of `code` and `period`: rule id → severity → count.
std::map<std::string, std::map<std::string, std::int64_t>> CheckCounts(
    const TestDatabase& db, const std::string& code, const std::string& period,
    const std::set<std::string>& rules) {
  auto run = RunZhibu({"check", "--db", db.url(), "--key-file", db.key_file(), "--org", code,
                       "--period", period, "--dry-run"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  std::map<std::string, std::map<std::string, std::int64_t>> out;
  std::istringstream lines(run.output);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] != '{') continue;
    auto j = json::parse(line);
    std::string rule = Str(j, "rule");
    if (rules.contains(rule)) ++out[rule][Str(j, "severity")];
  }
  return out;
}

TEST_F(OrglifeReviewApiTest, TheBoardCountsWhatZhibuCheckReportsForAQuarterAndAMonth) {
  json::value roots = admin_->Get("/api/v1/orgs/roots").Json();
  std::int64_t root = roots.at("items").as_array()[0].at("id").as_int64();
  std::string code = Str(admin_->Get("/api/v1/orgs/" + Num(root)).Json(), "code");
  // This quarter (its open cycles: yellow as well as red) and last month (closed: red only).
  auto this_day = *ParseIsoDate(today_);
  unsigned month = static_cast<unsigned>(this_day.month());
  std::string quarter = today_.substr(0, 4) + "-Q" + Num((month - 1) / 3 + 1);
  std::string last_month =
      FormatIsoDate(std::chrono::year_month_day(
                        std::chrono::sys_days(*ParseIsoDate(today_.substr(0, 7) + "-01")) -
                        std::chrono::days(1)))
          .substr(0, 7);
  for (const std::string& period : {quarter, last_month}) {
    auto answer =
        admin_->Get("/api/v1/meetings/board?page_size=200&org=" + Num(root) + "&period=" + period);
    ASSERT_EQ(answer.status, 200) << answer.body;
    auto board = answer.Json();
    std::set<std::string> rules;
    for (const auto& column : board.at("columns").as_array()) rules.insert(Str(column, "rule_id"));
    ASSERT_EQ(rules.size(), 8u) << "seven frequency duties and 谈心谈话";
    auto cli = CheckCounts(*db_, code, period, rules);
    std::int64_t red = 0, yellow = 0;
    for (const auto& column : board.at("columns").as_array()) {
      const auto& subjects = column.at("totals").at("subjects");
      auto& counted = cli[Str(column, "rule_id")];
      EXPECT_EQ(subjects.at("red").as_int64(), counted["red"])
          << period << " " << Str(column, "id");
      EXPECT_EQ(subjects.at("yellow").as_int64(), counted["yellow"])
          << period << " " << Str(column, "id");
      red += counted["red"];
      yellow += counted["yellow"];
    }
    EXPECT_EQ(board.at("totals").at("red").as_int64(), red) << period;
    EXPECT_EQ(board.at("totals").at("yellow").as_int64(), yellow) << period;
    EXPECT_GT(red, 0) << period << ": the demo's deliberate gaps";
    // The rows: every branch once; the red filter keeps rows with a red cell.
    std::int64_t rows = board.at("rows").at("total").as_int64();
    EXPECT_GT(rows, 100);
    EXPECT_EQ(board.at("total").as_int64(), rows);
    auto reds = admin_
                    ->Get("/api/v1/meetings/board?page_size=5&light=red&org=" + Num(root) +
                          "&period=" + period)
                    .Json();
    EXPECT_EQ(reds.at("total").as_int64(), board.at("rows").at("red").as_int64());
    for (const auto& row : reds.at("items").as_array()) EXPECT_EQ(Str(row, "light"), "red");
  }
  // The 支部书记's board: their branch alone, by default.
  auto own = secretary_->Get("/api/v1/meetings/board?period=" + quarter);
  ASSERT_EQ(own.status, 200) << own.body;
  ASSERT_EQ(own.Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(own.Json().at("items").as_array()[0].at("org_id").as_int64(), own_branch_);
  EXPECT_EQ(FieldOf(admin_->Get("/api/v1/meetings/board?period=2026-Q5")), "period");
  EXPECT_EQ(FieldOf(admin_->Get("/api/v1/meetings/board?light=purple")), "light");
  EXPECT_EQ(FieldOf(admin_->Get("/api/v1/meetings/board?light=red&duty=picnic")), "duty");
}

}  // namespace
}  // namespace zhibu::apitest
