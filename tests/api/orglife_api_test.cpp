// 组织生活纪实 (spec 04) through the API, on both backends, on a copy of the demo county
// (WithDemo): a fresh branch of known members and committee per test (made through the API as a
// county office would), then the must-shows — a 支委会 with half its committee present is refused
// for want of quorum, a 党员大会 vote that passes only when counted against those present is
// reported as failed, a probationary member's ballot is not counted — the record's life cycle
// (submit, return with a reason, resubmit, accept, archive, edits refused, a linked correction, all
// audited), ids outside the caller's subtree answering 404, and bad input naming the field.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>

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

//! A branch made for one test: `full` full members and `probationary` probationary ones (ids in
//! that order), and a committee of the first `committee` full members.
struct Branch {
  std::int64_t id = 0;
  std::vector<std::int64_t> full;
  std::vector<std::int64_t> probationary;
};

class OrglifeApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = TestDatabase::WithDemo();
    server_ = std::make_unique<ServerProcess>(*db_);
    admin_ = std::make_unique<Client>(DemoLogIn(*server_, "zuzhibu"));
    secretary_ = std::make_unique<Client>(DemoLogIn(*server_, "shuji"));
    auditor_ = std::make_unique<Client>(DemoLogIn(*server_, "auditor"));
  }
  static void TearDownTestSuite() {
    admin_.reset();
    secretary_.reset();
    auditor_.reset();
    EXPECT_EQ(server_->StopWith(SIGTERM), 0) << server_->Log();
    server_.reset();
    db_.reset();
  }

  static HttpResult Send(const Client& c, const std::string& method, const std::string& target,
                         const json::value& body) {
    return server_->Send(method, target, json::serialize(body), c.Headers());
  }
  static HttpResult Post(const Client& c, const std::string& target, const json::value& body) {
    return Send(c, "POST", target, body);
  }
  static HttpResult Patch(const Client& c, const std::string& target, const json::value& body) {
    return Send(c, "PATCH", target, body);
  }

  //! A new, valid ID number (an area outside the demo county's, a serial per call).
  static std::string NextIdNumber() {
    static int serial = 0;
    ++serial;
    char body[32];
    std::snprintf(body, sizeof body, "110105%04d%02d%02d%03d", 1960 + serial % 30, 1 + serial % 12,
                  1 + serial % 28, 100 + serial % 800);
    return std::string(body) + identity::CheckCode(std::string_view(body, 17));
  }

  //! A rural town of the demo county to put test branches under.
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

  static Branch MakeBranch(int full, int probationary, int committee) {
    static int serial = 0;
    ++serial;
    Branch b;
    auto org = Post(*admin_, "/api/v1/orgs",
                    {{"parent_id", Town()},
                     {"code", "ORGLIFE-TEST-" + Num(serial)},
                     {"name", "中共测试第" + Num(serial) + "支部委员会"},
                     {"kind", "branch"},
                     {"domain", "rural"},
                     {"founded_on", "2015-07-01"}});
    EXPECT_EQ(org.status, 201) << org.body;
    b.id = org.Json().at("id").as_int64();
    for (int i = 0; i < full + probationary; ++i) {
      bool is_full = i < full;
      json::object member{{"org_id", b.id},
                          {"name", std::string(is_full ? "正式" : "预备") + Num(i + 1)},
                          {"id_number", NextIdNumber()},
                          {"ethnicity", "汉族"},
                          {"education", "bachelor"},
                          {"category", "rural"},
                          {"joined_on", is_full ? "2010-07-01" : DaysFrom(today_, -60)}};
      if (is_full) member["confirmed_on"] = "2011-07-01";
      auto made = Post(*admin_, "/api/v1/members", member);
      EXPECT_EQ(made.status, 201) << made.body;
      (is_full ? b.full : b.probationary).push_back(made.Json().at("id").as_int64());
    }
    if (committee > 0) {
      static const std::array<const char*, 5> kPositions = {"secretary", "organisation",
                                                            "publicity", "discipline", "member"};
      json::array positions;
      for (int i = 0; i < committee; ++i) {
        positions.push_back({{"position", kPositions[static_cast<std::size_t>(i) % 5]},
                             {"member_id", b.full[static_cast<std::size_t>(i)]},
                             {"member_name", "正式" + Num(i + 1)}});
      }
      auto elected = Post(*admin_, "/api/v1/orgs/" + Num(b.id) + "/committees",
                          {{"elected_on", DaysFrom(today_, -30)}, {"positions", positions}});
      EXPECT_EQ(elected.status, 200) << elected.body;
    }
    return b;
  }

  //! A complete record of `kind` held yesterday morning in `org`, with `present` members present,
  //! `leave` on leave and everyone else absent.
  static json::object Record(std::int64_t org, const std::string& kind,
                             const std::vector<std::int64_t>& present,
                             const std::vector<std::int64_t>& leave = {}) {
    std::string day = DaysFrom(today_, -1);
    json::array attendance;
    for (auto id : present) attendance.push_back({{"member_id", id}, {"status", "present"}});
    for (auto id : leave) {
      attendance.push_back({{"member_id", id}, {"status", "leave"}, {"leave_reason", "外出务工"}});
    }
    return {{"org_id", org},
            {"kind", kind},
            {"topic", "学习贯彻党的二十届三中全会精神"},
            {"planned_start", day + "T09:00"},
            {"planned_end", day + "T11:00"},
            {"actual_start", day + "T09:05"},
            {"actual_end", day + "T10:50"},
            {"place", "村党群服务中心会议室"},
            {"host_name", "正式1"},
            {"recorder_name", "正式2"},
            {"agenda", "一、传达学习；二、讨论"},
            {"minutes", "会议由书记主持……"},
            {"attendance", attendance}};
  }

  static std::int64_t Create(const Client& c, const json::object& record) {
    auto made = Post(c, "/api/v1/meetings", record);
    EXPECT_EQ(made.status, 201) << made.body;
    if (made.status != 201) return 0;
    EXPECT_EQ(Str(made.Json(), "status"), "draft");
    return made.Json().at("id").as_int64();
  }

  static std::string today_;
  static std::unique_ptr<TestDatabase> db_;
  static std::unique_ptr<ServerProcess> server_;
  static std::unique_ptr<Client> admin_;
  static std::unique_ptr<Client> secretary_;
  static std::unique_ptr<Client> auditor_;
};

std::string OrglifeApiTest::today_ = TodayInShanghai();
std::unique_ptr<TestDatabase> OrglifeApiTest::db_;
std::unique_ptr<ServerProcess> OrglifeApiTest::server_;
std::unique_ptr<Client> OrglifeApiTest::admin_;
std::unique_ptr<Client> OrglifeApiTest::secretary_;
std::unique_ptr<Client> OrglifeApiTest::auditor_;

TEST_F(OrglifeApiTest, TheDemoCountyHasAYearOfRecordsWithAttendance) {
  // The 支部书记's branch: twelve 主题党日 and the rest, archived after review.
  auto themes = secretary_->Get("/api/v1/meetings?kind=theme_day&page_size=50");
  ASSERT_EQ(themes.status, 200) << themes.body;
  auto list = themes.Json();
  EXPECT_GE(list.at("total").as_int64(), 11);
  EXPECT_LE(list.at("total").as_int64(), 12);
  std::set<std::string> statuses;
  for (const auto& m : list.at("items").as_array()) statuses.insert(Str(m, "status"));
  EXPECT_TRUE(statuses.contains("archived"));
  std::int64_t first = list.at("items").as_array().back().at("id").as_int64();
  auto record = secretary_->Get("/api/v1/meetings/" + Num(first)).Json();
  EXPECT_FALSE(record.at("attendance").at("items").as_array().empty());
  EXPECT_GT(record.at("attendance").at("counts").at("present").as_int64(), 0);
  EXPECT_FALSE(record.at("reviews").as_array().empty());
  EXPECT_GE(secretary_->Get("/api/v1/meetings?status=archived").Json().at("total").as_int64(), 20);
}

TEST_F(OrglifeApiTest, CommitteeMeetingWithHalfTheCommitteePresentIsRefusedForWantOfQuorum) {
  Branch b = MakeBranch(6, 0, 4);
  // Two of the four committee members: half, not more than half.
  std::int64_t id =
      Create(*admin_, Record(b.id, "committee_meeting", {b.full[0], b.full[1]}, {b.full[2]}));
  std::string path = "/api/v1/meetings/" + Num(id);
  auto record = admin_->Get(path).Json();
  EXPECT_EQ(record.at("attendance").at("counts").at("expected").as_int64(), 4)
      << "the committee, not the branch, is expected at a 支委会";
  EXPECT_FALSE(record.at("quorum").at("met").as_bool());

  auto refused = admin_->Post(path + "/submit");
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.ErrorCode(), "orglife.quorum");
  auto error = refused.Json().at("error");
  EXPECT_EQ(Str(error, "field"), "attendance");
  EXPECT_NE(Str(error, "message").find("第十二条"), std::string::npos) << refused.body;
  EXPECT_NE(Str(error, "rule").find("半数以上委员到会"), std::string::npos) << refused.body;
  EXPECT_EQ(Str(admin_->Get(path).Json(), "status"), "draft");

  // A member of the branch outside the committee is not one of those expected.
  auto outsider =
      Patch(*admin_, path,
            {{"attendance", json::array{{{"member_id", b.full[5]}, {"status", "present"}}}}});
  EXPECT_EQ(outsider.status, 400) << outsider.body;
  EXPECT_EQ(Str(outsider.Json().at("error"), "field"), "attendance[0].member_id");

  // Three of four: more than half.
  auto third =
      Patch(*admin_, path,
            {{"attendance", json::array{{{"member_id", b.full[2]}, {"status", "present"}}}}});
  ASSERT_EQ(third.status, 200) << third.body;
  EXPECT_TRUE(third.Json().at("quorum").at("met").as_bool());
  auto submitted = admin_->Post(path + "/submit");
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_EQ(Str(submitted.Json(), "status"), "submitted");
}

TEST_F(OrglifeApiTest, GeneralMeetingVotesFollowTheTwoHalvesCountedAgainstThoseExpected) {
  // Eight full members (each with a vote) and two probationary members (none).
  Branch b = MakeBranch(8, 2, 0);
  std::vector<std::int64_t> present = {b.full[0], b.full[1],         b.full[2],        b.full[3],
                                       b.full[4], b.probationary[0], b.probationary[1]};
  json::object record = Record(b.id, "branch_general_meeting", present, {b.full[5]});
  json::array open_ballots;
  for (int i = 0; i < 4; ++i) open_ballots.push_back({{"member_id", b.full[i]}, {"choice", "yes"}});
  open_ballots.push_back({{"member_id", b.full[4]}, {"choice", "no"}});
  for (auto p : b.probationary) open_ballots.push_back({{"member_id", p}, {"choice", "yes"}});
  json::array five_yes;
  for (int i = 0; i < 5; ++i) five_yes.push_back({{"member_id", b.full[i]}, {"choice", "yes"}});
  record["votes"] = json::array{
      {{"resolution", "接收张三为预备党员"}, {"method", "open"}, {"ballots", open_ballots}},
      {{"resolution", "选派李四参加培训"}, {"method", "open"}, {"ballots", five_yes}}};
  std::int64_t id = Create(*admin_, record);
  auto detail = admin_->Get("/api/v1/meetings/" + Num(id)).Json();
  const auto& counts = detail.at("attendance").at("counts");
  EXPECT_EQ(counts.at("expected").as_int64(), 10);
  EXPECT_EQ(counts.at("voting_expected").as_int64(), 8) << "预备党员没有表决权";
  EXPECT_EQ(counts.at("voting_present").as_int64(), 5);

  // 4 counted yes of 8 expected: not more than half — failed, although 4 of the 5 present would
  // be a majority, and the two probationary members' yes votes are set aside.
  const auto& first = detail.at("votes").as_array()[0].at("result");
  EXPECT_EQ(Str(first, "result"), "failed") << json::serialize(first);
  EXPECT_FALSE(first.at("passed").as_bool());
  EXPECT_TRUE(first.at("quorum").as_bool());
  EXPECT_TRUE(first.at("passes_against_present").as_bool());
  EXPECT_EQ(first.at("yes").as_int64(), 4);
  ASSERT_EQ(first.at("not_counted").as_array().size(), 2u);
  for (const auto& uncounted : first.at("not_counted").as_array()) {
    EXPECT_EQ(Str(uncounted, "reason"), "probationary");
  }
  EXPECT_NE(Str(first, "explanation").find("未通过"), std::string::npos);
  // 5 of 8 expected: passed.
  const auto& second = detail.at("votes").as_array()[1].at("result");
  EXPECT_EQ(Str(second, "result"), "passed") << json::serialize(second);

  // A secret ballot may not be handed to a probationary member.
  auto secret = Patch(*admin_, "/api/v1/meetings/" + Num(id),
                      {{"votes", json::array{{{"resolution", "无记名表决"},
                                              {"method", "secret"},
                                              {"voters", json::array{b.full[0], b.probationary[0]}},
                                              {"yes", 2}}}}});
  EXPECT_EQ(secret.status, 422) << secret.body;
  EXPECT_EQ(secret.ErrorCode(), "orglife.voter_without_vote");
  EXPECT_EQ(Str(secret.Json().at("error"), "field"), "votes[0].voters[1]");

  // Only four of eight with a vote present: the vote is not valid at all.
  json::object thin =
      Record(b.id, "branch_general_meeting", {b.full[0], b.full[1], b.full[2], b.full[3]});
  json::array all_yes;
  for (int i = 0; i < 4; ++i) all_yes.push_back({{"member_id", b.full[i]}, {"choice", "yes"}});
  thin["votes"] = json::array{{{"resolution", "人数不足时的表决"}, {"ballots", all_yes}}};
  std::int64_t thin_id = Create(*admin_, thin);
  auto thin_detail = admin_->Get("/api/v1/meetings/" + Num(thin_id)).Json();
  EXPECT_FALSE(thin_detail.at("quorum").at("met").as_bool());
  EXPECT_EQ(Str(thin_detail.at("votes").as_array()[0].at("result"), "result"), "no_quorum");
}

TEST_F(OrglifeApiTest, ARecordLivesFromDraftToArchiveAndIsCorrectedByALinkedRecord) {
  Branch b = MakeBranch(5, 0, 0);
  std::int64_t id =
      Create(*admin_, Record(b.id, "theme_day", {b.full[0], b.full[1], b.full[2]}, {b.full[3]}));
  std::string path = "/api/v1/meetings/" + Num(id);
  auto detail = admin_->Get(path).Json();
  EXPECT_EQ(detail.at("attendance").at("counts").at("present").as_int64(), 3);
  EXPECT_EQ(detail.at("attendance").at("counts").at("leave").as_int64(), 1);
  EXPECT_EQ(detail.at("attendance").at("counts").at("absent").as_int64(), 1);

  ASSERT_EQ(admin_->Post(path + "/submit").status, 200);
  auto locked = Patch(*admin_, path, {{"minutes", "改动"}});
  EXPECT_EQ(locked.status, 409) << locked.body;
  EXPECT_EQ(locked.ErrorCode(), "orglife.not_editable");

  // Returned with a reason (a reason is required), edited, submitted again, accepted.
  auto bare = Post(*admin_, path + "/review", {{"decision", "return"}});
  EXPECT_EQ(bare.status, 400) << bare.body;
  EXPECT_EQ(Str(bare.Json().at("error"), "field"), "reasons");
  auto returned = Post(*admin_, path + "/review",
                       {{"decision", "return"}, {"reasons", json::array{"会议记录过于简略"}}});
  ASSERT_EQ(returned.status, 200) << returned.body;
  EXPECT_EQ(Str(returned.Json(), "status"), "returned");
  auto fixed =
      Patch(*admin_, path, {{"minutes", "会议由书记主持，传达了……，讨论了……，形成决议……"}});
  ASSERT_EQ(fixed.status, 200) << fixed.body;
  ASSERT_EQ(admin_->Post(path + "/submit").status, 200);
  auto accepted = Post(*admin_, path + "/review", {{"decision", "accept"}});
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  auto after = accepted.Json();
  EXPECT_EQ(Str(after, "status"), "accepted");
  ASSERT_EQ(after.at("reviews").as_array().size(), 2u);
  EXPECT_EQ(Str(after.at("reviews").as_array()[0].at("reasons").as_array()[0], "note"),
            "会议记录过于简略");

  // Accepted, then archived: no edit either way.
  EXPECT_EQ(Patch(*admin_, path, {{"topic", "改"}}).ErrorCode(), "orglife.not_editable");
  ASSERT_EQ(admin_->Post(path + "/archive").status, 200);
  auto archived = Patch(*admin_, path, {{"topic", "改"}});
  EXPECT_EQ(archived.status, 409);
  EXPECT_NE(Str(archived.Json().at("error"), "message").find("更正"), std::string::npos);

  // A correction is a new record linked to the archived one, with its reason.
  auto no_reason = Post(*admin_, path + "/corrections", json::object{});
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_EQ(Str(no_reason.Json().at("error"), "field"), "reason");
  auto corrected = Post(*admin_, path + "/corrections", {{"reason", "出席人数登记有误"}});
  ASSERT_EQ(corrected.status, 201) << corrected.body;
  auto copy = corrected.Json();
  std::int64_t copy_id = copy.at("id").as_int64();
  EXPECT_EQ(copy.at("correction_of").as_int64(), id);
  EXPECT_EQ(Str(copy, "status"), "draft");
  EXPECT_EQ(Str(copy, "correction_reason"), "出席人数登记有误");
  EXPECT_EQ(copy.at("attendance").at("counts").at("present").as_int64(), 3);
  EXPECT_EQ(Post(*admin_, path + "/corrections", {{"reason", "再次"}}).ErrorCode(),
            "orglife.correction_open");
  auto original = admin_->Get(path).Json();
  EXPECT_EQ(Str(original, "status"), "archived");
  EXPECT_EQ(original.at("corrections").as_array()[0].at("id").as_int64(), copy_id);

  // The correction, accepted, supersedes the original.
  std::string copy_path = "/api/v1/meetings/" + Num(copy_id);
  ASSERT_EQ(Patch(*admin_, copy_path,
                  {{"attendance", json::array{{{"member_id", b.full[4]}, {"status", "present"}}}}})
                .status,
            200);
  ASSERT_EQ(admin_->Post(copy_path + "/submit").status, 200);
  ASSERT_EQ(Post(*admin_, copy_path + "/review", {{"decision", "accept"}}).status, 200);
  EXPECT_EQ(admin_->Get(path).Json().at("superseded_by").as_int64(), copy_id);

  // A draft is withdrawn, never deleted.
  std::int64_t draft = Create(*admin_, Record(b.id, "party_lecture", {b.full[0]}));
  EXPECT_EQ(Post(*admin_, "/api/v1/meetings/" + Num(draft) + "/withdraw", json::object{}).status,
            400);
  auto withdrawn =
      Post(*admin_, "/api/v1/meetings/" + Num(draft) + "/withdraw", {{"reason", "重复录入"}});
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  EXPECT_EQ(Str(withdrawn.Json(), "status"), "withdrawn");
  auto listed = admin_->Get("/api/v1/meetings?org=" + Num(b.id) + "&status=withdrawn").Json();
  EXPECT_EQ(listed.at("total").as_int64(), 1);

  // Every step is in the audit trail.
  auto trail = auditor_->Get("/api/v1/audit?size=50&target=meeting:" + Num(id));
  ASSERT_EQ(trail.status, 200) << trail.body;
  std::set<std::string> actions;
  json::value events = trail.Json();
  for (const auto& e : events.at("items").as_array()) {
    actions.insert(Str(e, "action"));
    // Who was marked how is part of the trail.
    if (Str(e, "action") == "orglife.create") {
      const auto& marked = e.at("detail").at("attendance").as_array();
      ASSERT_EQ(marked.size(), 4u);
      EXPECT_EQ(Str(marked[3], "leave_reason"), "外出务工");
    }
  }
  for (const char* action : {"orglife.create", "orglife.submit", "orglife.review", "orglife.update",
                             "orglife.archive", "orglife.correct", "orglife.supersede"}) {
    EXPECT_TRUE(actions.contains(action)) << action;
  }
}

TEST_F(OrglifeApiTest, ACommitteesPartyLectureIsAttendedByTheMembersOfItsBranches) {
  // 党课 by the 党委书记 for the members of the branches under the 党委 (支部工作条例 第十六条,
  // spec 04): nobody is expected in advance, members of the 党委's subtree are entered.
  std::int64_t town = Town();
  Branch b = MakeBranch(3, 1, 0);
  std::int64_t id =
      Create(*admin_, Record(town, "party_lecture", {b.full[0], b.probationary[0]}, {b.full[1]}));
  ASSERT_NE(id, 0);
  std::string path = "/api/v1/meetings/" + Num(id);
  auto record = admin_->Get(path).Json();
  std::map<std::int64_t, std::string> statuses;
  for (const auto& a : record.at("attendance").at("items").as_array()) {
    EXPECT_EQ(Str(a, "role"), "participant") << json::serialize(a);
    statuses[a.at("member_id").as_int64()] = Str(a, "status");
  }
  EXPECT_EQ(statuses,
            (std::map<std::int64_t, std::string>{
                {b.full[0], "present"}, {b.probationary[0], "present"}, {b.full[1], "leave"}}));
  // Participants are not expected: those present count as `others_present`.
  EXPECT_EQ(record.at("attendance").at("counts").at("expected").as_int64(), 0);
  EXPECT_EQ(record.at("attendance").at("counts").at("others_present").as_int64(), 2);

  // A member outside the 党委's subtree (of another town) has no place there: 400 on the field,
  // nothing changed.
  json::value roots = admin_->Get("/api/v1/orgs/roots").Json();
  std::int64_t root = roots.at("items").as_array()[0].at("id").as_int64();
  json::value towns = admin_->Get("/api/v1/orgs/" + Num(root) + "/children").Json();
  std::int64_t outsider = 0;
  for (const auto& k : towns.at("items").as_array()) {
    if (Str(k, "kind") != "committee" || k.at("id").as_int64() == town) continue;
    json::value members =
        admin_
            ->Get("/api/v1/members?org=" + Num(k.at("id").as_int64()) + "&status=full&page_size=1")
            .Json();
    if (members.at("items").as_array().empty()) continue;
    outsider = members.at("items").as_array()[0].at("id").as_int64();
    break;
  }
  ASSERT_NE(outsider, 0) << "no member in another town of the demo county";
  auto refused =
      Patch(*admin_, path,
            {{"attendance", json::array{{{"member_id", outsider}, {"status", "present"}}}}});
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(refused.ErrorCode(), "orglife.attendee_unknown");
  EXPECT_EQ(Str(refused.Json().at("error"), "field"), "attendance[0].member_id");
  EXPECT_EQ(admin_->Get(path).Json().at("attendance").at("items").as_array().size(), 3u);

  auto submitted = admin_->Post(path + "/submit");
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_EQ(Str(submitted.Json(), "status"), "submitted");

  // A branch's 党课 keeps the branch's own members: one of another branch is refused.
  Branch other = MakeBranch(1, 0, 0);
  auto branch_lecture =
      Post(*admin_, "/api/v1/meetings", Record(b.id, "party_lecture", {other.full[0]}));
  EXPECT_EQ(branch_lecture.status, 400) << branch_lecture.body;
  EXPECT_EQ(Str(branch_lecture.Json().at("error"), "field"), "attendance[0].member_id");
}

TEST_F(OrglifeApiTest, RecordsOutsideTheCallersSubtreeAreNotFound) {
  Branch b = MakeBranch(3, 0, 0);
  std::int64_t foreign = Create(*admin_, Record(b.id, "theme_day", {b.full[0]}));
  std::int64_t missing = 99'999'999;
  auto same = [&](const HttpResult& a, const HttpResult& m) {
    EXPECT_EQ(a.status, 404) << a.body;
    EXPECT_EQ(a.ErrorCode(), m.ErrorCode());
  };
  same(secretary_->Get("/api/v1/meetings/" + Num(foreign)),
       secretary_->Get("/api/v1/meetings/" + Num(missing)));
  same(Patch(*secretary_, "/api/v1/meetings/" + Num(foreign), {{"topic", "越权"}}),
       Patch(*secretary_, "/api/v1/meetings/" + Num(missing), {{"topic", "越权"}}));
  same(secretary_->Post("/api/v1/meetings/" + Num(foreign) + "/submit"),
       secretary_->Post("/api/v1/meetings/" + Num(missing) + "/submit"));
  same(Post(*secretary_, "/api/v1/meetings/" + Num(foreign) + "/corrections", {{"reason", "x"}}),
       Post(*secretary_, "/api/v1/meetings/" + Num(missing) + "/corrections", {{"reason", "x"}}));
  EXPECT_EQ(secretary_->Get("/api/v1/meetings?org=" + Num(b.id)).status, 404);
  // Creating a record for someone else's branch: the organisation is unknown to the caller.
  auto elsewhere = Post(*secretary_, "/api/v1/meetings", Record(b.id, "theme_day", {}));
  EXPECT_EQ(elsewhere.status, 400) << elsewhere.body;
  EXPECT_EQ(Str(elsewhere.Json().at("error"), "field"), "org_id");
  // The list shows only the secretary's own branch and its 党小组.
  json::value roots = secretary_->Get("/api/v1/orgs/roots").Json();
  std::int64_t own = roots.at("items").as_array()[0].at("id").as_int64();
  std::set<std::int64_t> subtree{own};
  auto groups = secretary_->Get("/api/v1/orgs/" + Num(own) + "/children").Json();
  for (const auto& g : groups.at("items").as_array()) subtree.insert(g.at("id").as_int64());
  auto mine = secretary_->Get("/api/v1/meetings?page_size=200").Json();
  for (const auto& m : mine.at("items").as_array()) {
    EXPECT_TRUE(subtree.contains(m.at("org_id").as_int64())) << json::serialize(m);
  }
  // A branch secretary does not review: that is for the higher organisation.
  auto review =
      Post(*secretary_, "/api/v1/meetings/" + Num(foreign) + "/review", {{"decision", "accept"}});
  EXPECT_EQ(review.status, 403) << review.body;
}

TEST_F(OrglifeApiTest, DutiesAndTheSixMonthRuleBecomeFindingsAndAreResolvedByRecords) {
  Branch b = MakeBranch(4, 0, 0);
  // 主题党日 on the 1st of the month (a local setting): from today on it is due or missed.
  auto set = Send(*admin_, "PUT", "/api/v1/settings/orglife.theme_day_of_month", {{"value", 1}});
  ASSERT_EQ(set.status, 200) << set.body;
  auto scan = [&] {
    auto r = Post(*admin_, "/api/v1/findings/scan", {{"org_id", b.id}});
    EXPECT_EQ(r.status, 200) << r.body;
  };
  auto findings = [&](const std::string& rule) {
    auto r = admin_->Get("/api/v1/findings?org=" + Num(b.id) + "&rule=" + rule);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json();
  };
  scan();
  auto theme = findings("orglife.theme_day.monthly");
  ASSERT_EQ(theme.at("total").as_int64(), 1) << json::serialize(theme);
  std::string severity = Str(theme.at("items").as_array()[0], "severity");
  EXPECT_TRUE(severity == "yellow" || severity == "red") << severity;
  EXPECT_NE(Str(theme.at("items").as_array()[0], "rule_title").find("主题党日"), std::string::npos);
  // A branch that offers no organisational life is the branch's failure, not its members'.
  EXPECT_EQ(findings("orglife.member.six_months_without_life").at("total").as_int64(), 0);

  // Held today and submitted: the duty is met; members absent with no record for six months are
  // flagged (党章 第九条), the one present and the one on leave are not.
  json::object record = Record(b.id, "theme_day", {b.full[0]}, {b.full[1]});
  record["planned_start"] = today_ + "T00:00";
  record["planned_end"] = today_ + "T00:01";
  record["actual_start"] = today_ + "T00:00";
  record["actual_end"] = today_ + "T00:01";
  std::int64_t id = Create(*admin_, record);
  ASSERT_EQ(admin_->Post("/api/v1/meetings/" + Num(id) + "/submit").status, 200);
  scan();
  EXPECT_EQ(findings("orglife.theme_day.monthly").at("total").as_int64(), 0);
  auto resolved = admin_
                      ->Get("/api/v1/findings?org=" + Num(b.id) +
                            "&rule=orglife.theme_day.monthly&status=resolved")
                      .Json();
  EXPECT_EQ(resolved.at("total").as_int64(), 1);
  auto absent = findings("orglife.member.six_months_without_life");
  std::set<std::int64_t> flagged;
  for (const auto& f : absent.at("items").as_array()) {
    EXPECT_EQ(Str(f, "severity"), "red");
    flagged.insert(f.at("subject_id").as_int64());
  }
  EXPECT_EQ(flagged, (std::set<std::int64_t>{b.full[2], b.full[3]}));
  ASSERT_EQ(
      Send(*admin_, "PUT", "/api/v1/settings/orglife.theme_day_of_month", {{"value", 10}}).status,
      200);
}

TEST_F(OrglifeApiTest, BadInputNamesTheField) {
  Branch b = MakeBranch(3, 0, 0);
  auto field_of = [&](const json::object& body) {
    auto r = Post(*admin_, "/api/v1/meetings", body);
    EXPECT_EQ(r.status, 400) << r.body;
    return r.status == 400 ? Str(r.Json().at("error"), "field") : std::string();
  };
  json::object good = Record(b.id, "theme_day", {b.full[0]});
  auto with = [&](std::string_view key, json::value value) {
    json::object body = good;
    body[key] = std::move(value);
    return body;
  };
  EXPECT_EQ(field_of(with("kind", "picnic")), "kind");
  EXPECT_EQ(field_of(with("kind", "group_meeting")), "kind") << "a 党小组会 is a 党小组's";
  EXPECT_EQ(field_of(with("planned_start", "2026-13-01T09:00")), "planned_start");
  EXPECT_EQ(field_of(with("planned_end", good.at("planned_start"))), "planned_end");
  EXPECT_EQ(field_of(with("actual_start", json::string(DaysFrom(today_, 2) + "T09:00"))),
            "actual_start");
  EXPECT_EQ(field_of(with("topic", "")), "topic");
  EXPECT_EQ(field_of(with("online", "yes")), "online");
  EXPECT_EQ(field_of(with("colour", "red")), "colour");
  EXPECT_EQ(
      field_of(with("attendance", json::array{{{"member_id", b.full[0]}, {"status", "leave"}}})),
      "attendance[0].leave_reason");
  EXPECT_EQ(
      field_of(with("attendance", json::array{{{"member_id", b.full[0]}, {"status", "late"}}})),
      "attendance[0].status");
  EXPECT_EQ(
      field_of(with("attendance", json::array{{{"member_id", 99'999'999}, {"status", "present"}}})),
      "attendance[0].member_id");
  EXPECT_EQ(field_of(with("guests", json::array{{{"unit", "镇党委"}}})), "guests[0].name");
  EXPECT_EQ(field_of(with("votes", json::array{{{"resolution", "x"}, {"ballots", json::array{}}}})),
            "votes")
      << "only a 党员大会 votes";

  std::int64_t id = Create(*admin_, good);
  std::string path = "/api/v1/meetings/" + Num(id);
  auto early = Post(*admin_, path + "/review", {{"decision", "accept"}});
  EXPECT_EQ(early.status, 409) << "not submitted yet: " << early.body;
  EXPECT_EQ(early.ErrorCode(), "orglife.not_submitted");
  ASSERT_EQ(admin_->Post(path + "/submit").status, 200);
  auto review = Post(*admin_, path + "/review", {{"decision", "maybe"}});
  EXPECT_EQ(review.status, 400) << review.body;
  EXPECT_EQ(Str(review.Json().at("error"), "field"), "decision");
  // Submitting needs a complete record: the missing part is named.
  json::object incomplete = good;
  incomplete.erase("minutes");
  std::int64_t draft = Create(*admin_, incomplete);
  auto submit = admin_->Post("/api/v1/meetings/" + Num(draft) + "/submit");
  EXPECT_EQ(submit.status, 400) << submit.body;
  EXPECT_EQ(Str(submit.Json().at("error"), "field"), "minutes");
}

}  // namespace
}  // namespace zhibu::apitest
