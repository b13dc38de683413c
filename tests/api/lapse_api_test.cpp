// 连续六个月不交纳党费的处置 (spec 05; 党章 第九条) through the API on the demo county, on both
// backends: a flagged member walked from the flag to 除名 (the registry's 出党, 自行脱党除名), one
// closed as 已改正 after 补交, and the refusals at the doors (not flagged, duplicate, scope,
// input).
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <chrono>
#include <memory>
#include <set>
#include <string>

#include "demo_accounts.h"
#include "harness.h"
#include "platform/util/date.h"

namespace zhibu::apitest {
namespace {

namespace json = boost::json;

constexpr std::string_view kCases = "/api/v1/dues/lapse/cases";

//! Today in Shanghai plus `days`.
std::string Day(int days) {
  auto today = *ParseIsoDate(TodayInShanghai());
  return FormatIsoDate(
      std::chrono::year_month_day(std::chrono::sys_days(today) + std::chrono::days(days)));
}

class LapseApiTest : public DemoSuite<LapseApiTest> {
 protected:
  static std::string CasePath(std::int64_t id, const std::string& tail = "") {
    return std::string(kCases) + "/" + std::to_string(id) + tail;
  }
  static HttpResult Step(std::int64_t id, json::object body) {
    return Post(*admin_, CasePath(id, "/steps"), body);
  }

  //! The county's arrears board: flagged members without an open case (the demo opens two), and
  //! one member owing less than six months.
  static void FindMembers(std::vector<json::object>& flagged, json::object& not_flagged) {
    json::value roots = admin_->Get("/api/v1/orgs/roots").Json();
    std::int64_t county = roots.at("items").as_array()[0].at("id").as_int64();
    std::set<std::int64_t> with_case;
    auto open = admin_->Get(std::string(kCases) + "?status=open&page_size=200");
    ASSERT_EQ(open.status, 200) << open.body;
    json::value open_json = open.Json();
    for (const auto& c : open_json.at("items").as_array()) {
      with_case.insert(c.at("member_id").as_int64());
    }
    auto arrears = admin_->Get("/api/v1/dues/arrears?page_size=200&org=" + std::to_string(county));
    ASSERT_EQ(arrears.status, 200) << arrears.body;
    json::value arrears_json = arrears.Json();
    for (const auto& a : arrears_json.at("items").as_array()) {
      if (a.at("six_months").as_bool()) {
        if (!with_case.contains(a.at("member_id").as_int64())) flagged.push_back(a.as_object());
      } else if (not_flagged.empty() && !a.at("unpaid_run").as_array().empty()) {
        not_flagged = a.as_object();
      }
    }
  }
};

TEST_F(LapseApiTest, TheDemoLeavesOpenCasesAndTheTableIsPublished) {
  auto steps = admin_->Get("/api/v1/dues/lapse/steps");
  ASSERT_EQ(steps.status, 200) << steps.body;
  json::value table = steps.Json();
  std::size_t count = 0;
  for (const auto& s : table.at("steps").as_array()) {
    ++count;
    EXPECT_FALSE(s.at("source").as_string().empty());
  }
  EXPECT_EQ(count, 5u);
  auto open = admin_->Get(std::string(kCases) + "?status=open");
  ASSERT_EQ(open.status, 200) << open.body;
  EXPECT_GE(open.Json().at("total").as_int64(), 1) << open.body;
  auto demo = admin_->Get(std::string(kCases) + "?status=all");
  EXPECT_GE(demo.Json().at("total").as_int64(), 2) << demo.body;
  auto bad = admin_->Get(std::string(kCases) + "?status=pending");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Json().at("error").at("field").as_string(), "status");
}

TEST_F(LapseApiTest, AFlaggedMemberWalkedToRemovalLeavesTheParty) {
  std::vector<json::object> flagged;
  json::object not_flagged;
  FindMembers(flagged, not_flagged);
  ASSERT_GE(flagged.size(), 2u);
  ASSERT_FALSE(not_flagged.empty());
  std::int64_t member = flagged[0].at("member_id").as_int64();

  // The doors: bad input, a member owing less than six months, out of scope.
  auto missing = Post(*admin_, std::string(kCases), json::object{});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.Json().at("error").at("field").as_string(), "member_id");
  auto short_run = Post(*admin_, std::string(kCases), {{"member_id", not_flagged.at("member_id")}});
  EXPECT_EQ(short_run.status, 422) << short_run.body;
  EXPECT_EQ(short_run.ErrorCode(), "lapse.not_flagged");
  EXPECT_EQ(Post(*admin_, std::string(kCases), {{"member_id", 99999999}}).status, 404);

  auto opened = Post(*admin_, std::string(kCases), {{"member_id", member}});
  ASSERT_EQ(opened.status, 201) << opened.body;
  json::object c = opened.Json().as_object();
  std::int64_t id = c.at("id").as_int64();
  EXPECT_EQ(c.at("unpaid_months").as_int64(),
            static_cast<std::int64_t>(flagged[0].at("unpaid_run").as_array().size()));
  EXPECT_EQ(c.at("next_steps"), (json::array{1}));
  auto again = Post(*admin_, std::string(kCases), {{"member_id", member}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.ErrorCode(), "lapse.duplicate_case");

  // 1 核实: no proper reason. A date before the run reached six months is refused.
  auto too_early = Step(id, {{"step", 1}, {"done_on", Day(-400)}, {"finding", "no_proper_reason"}});
  EXPECT_EQ(too_early.status, 400);
  EXPECT_EQ(too_early.Json().at("error").at("field").as_string(), "done_on");
  auto bad_choice = Step(id, {{"step", 1}, {"done_on", Day(-20)}, {"finding", "maybe"}});
  EXPECT_EQ(bad_choice.status, 400);
  EXPECT_EQ(bad_choice.Json().at("error").at("field").as_string(), "finding");
  auto verified = Step(id, {{"step", 1}, {"done_on", Day(-20)}, {"finding", "no_proper_reason"}});
  ASSERT_EQ(verified.status, 201) << verified.body;
  EXPECT_EQ(verified.Json().at("steps").as_array()[0].at("data").at("unpaid_run").at("months"),
            c.at("unpaid_months"));

  // 2 谈话、限期改正: a deadline more than a year ahead is refused.
  auto long_deadline = Step(
      id,
      {{"step", 2}, {"done_on", Day(-19)}, {"interviewer", "李书记"}, {"deadline_on", Day(400)}});
  EXPECT_EQ(long_deadline.status, 422);
  EXPECT_EQ(long_deadline.ErrorCode(), "lapse.deadline_too_long");
  auto talked = Step(
      id,
      {{"step", 2}, {"done_on", Day(-19)}, {"interviewer", "李书记"}, {"deadline_on", Day(-10)}});
  ASSERT_EQ(talked.status, 201) << talked.body;
  EXPECT_EQ(talked.Json().at("next_steps"), (json::array{3, 4}));

  // 3 已改正 is refused while the ledger shows the arrears.
  auto not_cleared = Step(id, {{"step", 3}, {"done_on", Day(-5)}});
  EXPECT_EQ(not_cleared.status, 422);
  EXPECT_EQ(not_cleared.ErrorCode(), "lapse.arrears_not_cleared");

  // 4 支部大会: before the deadline, then exactly half attending, then half + 1 of the branch's
  // voters (counted as the 发展党员 支部大会 counts them: full members not under 留党察看).
  auto before_deadline =
      Step(id, {{"step", 4}, {"done_on", Day(-10)}, {"attending_voters", 1}, {"votes_for", 1}});
  EXPECT_EQ(before_deadline.ErrorCode(), "lapse.deadline_not_passed");
  std::int64_t voters = talked.Json().at("eligible_voters").as_int64();
  ASSERT_GE(voters, 2);
  auto too_many = Step(
      id, {{"step", 4}, {"done_on", Day(0)}, {"attending_voters", voters + 1}, {"votes_for", 0}});
  EXPECT_EQ(too_many.status, 400) << too_many.body;
  EXPECT_EQ(too_many.Json().at("error").at("field").as_string(), "attending_voters");
  auto half = Step(id, {{"step", 4},
                        {"done_on", Day(0)},
                        {"expected_voters", voters / 2 * 2},
                        {"exclusion_note", "1名长期卧床，经镇党委同意不计入"},
                        {"attending_voters", voters / 2},
                        {"votes_for", voters / 2}});
  EXPECT_EQ(half.status, 422) << half.body;
  EXPECT_EQ(half.ErrorCode(), "lapse.quorum_not_met");
  auto met = Step(id, {{"step", 4},
                       {"done_on", Day(0)},
                       {"attending_voters", voters / 2 + 1},
                       {"votes_for", voters / 2 + 1}});
  ASSERT_EQ(met.status, 201) << met.body;
  EXPECT_EQ(met.Json().at("steps").as_array()[2].at("data").at("eligible_voters").as_int64(),
            voters);

  // 5 上级党组织批准: not before the meeting; then the member leaves the Party.
  json::object approval{{"step", 5},
                        {"decision", "approved"},
                        {"approved_by", "中共城关镇委员会"},
                        {"document_number", "城党组〔2026〕9号"}};
  approval["done_on"] = Day(-1);
  auto early = Step(id, approval);
  EXPECT_EQ(early.status, 400) << early.body;
  EXPECT_EQ(early.Json().at("error").at("field").as_string(), "done_on");
  approval["done_on"] = Day(0);
  auto approved = Step(id, approval);
  ASSERT_EQ(approved.status, 201) << approved.body;
  json::object done = approved.Json().as_object();
  EXPECT_EQ(done.at("status"), "closed");
  EXPECT_EQ(done.at("outcome"), "removed");
  EXPECT_EQ(done.at("member").at("status"), "exited");
  EXPECT_EQ(done.at("member").at("exit_kind"), "self_lapsed");
  auto person = admin_->Get("/api/v1/members/" + std::to_string(member));
  ASSERT_EQ(person.status, 200) << person.body;
  EXPECT_EQ(person.Json().at("status"), "exited");
  EXPECT_EQ(person.Json().at("exit_kind"), "self_lapsed");
  auto events = admin_->Get("/api/v1/members/" + std::to_string(member) + "/events");
  ASSERT_EQ(events.status, 200) << events.body;
  json::value last = events.Json().at("items").as_array().back();
  EXPECT_EQ(last.at("kind"), "exit") << events.body;
  EXPECT_EQ(last.at("date").as_string(), Day(0)) << events.body;

  // Closed: no further step; the list finds it among the closed.
  EXPECT_EQ(Step(id, {{"step", 5}, {"done_on", Day(0)}}).status, 409);
  auto closed =
      admin_->Get(std::string(kCases) + "?status=closed&member=" + std::to_string(member));
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.Json().at("total").as_int64(), 1);
}

TEST_F(LapseApiTest, PayingUpWithinTheLimitClosesTheCaseAsCorrected) {
  std::vector<json::object> flagged;
  json::object not_flagged;
  FindMembers(flagged, not_flagged);
  ASSERT_GE(flagged.size(), 1u);
  std::int64_t member = flagged[0].at("member_id").as_int64();
  auto opened = Post(*admin_, std::string(kCases), {{"member_id", member}});
  ASSERT_EQ(opened.status, 201) << opened.body;
  std::int64_t id = opened.Json().at("id").as_int64();
  ASSERT_EQ(Step(id, {{"step", 1}, {"done_on", Day(-3)}, {"finding", "no_proper_reason"}}).status,
            201);
  auto talked = Step(
      id, {{"step", 2}, {"done_on", Day(-2)}, {"interviewer", "王委员"}, {"deadline_on", Day(30)}});
  ASSERT_EQ(talked.status, 201) << talked.body;
  EXPECT_FALSE(talked.Json().at("ledger").at("cleared").as_bool());

  // 补交 every month the ledger still lets them pay (第十二条), three at a time.
  json::array owed = talked.Json().at("ledger").at("owed_payable").as_array();
  ASSERT_FALSE(owed.empty());
  for (std::size_t i = 0; i < owed.size(); i += 3) {
    json::array months;
    for (std::size_t j = i; j < owed.size() && j < i + 3; ++j) months.push_back(owed[j]);
    auto paid =
        Post(*admin_, "/api/v1/dues/payments",
             {{"member_id", member}, {"months", months}, {"method", "cash"}, {"paid_on", Day(0)}});
    ASSERT_EQ(paid.status, 201) << paid.body;
  }
  auto meeting =
      Step(id, {{"step", 4}, {"done_on", Day(0)}, {"attending_voters", 1}, {"votes_for", 1}});
  EXPECT_EQ(meeting.status, 422) << "the deadline has not passed: " << meeting.body;
  auto corrected = Step(id, {{"step", 3}, {"done_on", Day(0)}, {"summary", "已补交"}});
  ASSERT_EQ(corrected.status, 201) << corrected.body;
  EXPECT_EQ(corrected.Json().at("status"), "closed");
  EXPECT_EQ(corrected.Json().at("outcome"), "corrected");
  EXPECT_EQ(corrected.Json().at("member").at("status"), "full");

  // No longer flagged: a new case is refused.
  auto reopened = Post(*admin_, std::string(kCases), {{"member_id", member}});
  EXPECT_EQ(reopened.status, 422) << reopened.body;
  EXPECT_EQ(reopened.ErrorCode(), "lapse.not_flagged");
}

TEST_F(LapseApiTest, ScopeAndClosingByHand) {
  // The 支部书记 sees only their branch's cases; another branch's case is a 404.
  auto all = admin_->Get(std::string(kCases) + "?status=all&page_size=200").Json();
  auto mine = secretary_->Get(std::string(kCases) + "?status=all&page_size=200");
  ASSERT_EQ(mine.status, 200) << mine.body;
  std::set<std::int64_t> visible;
  json::value mine_json = mine.Json();
  for (const auto& c : mine_json.at("items").as_array()) visible.insert(c.at("id").as_int64());
  std::int64_t outside = 0;
  std::int64_t open_case = 0;
  for (const auto& c : all.at("items").as_array()) {
    if (!visible.contains(c.at("id").as_int64())) outside = c.at("id").as_int64();
    if (c.at("status") == "open") open_case = c.at("id").as_int64();
  }
  ASSERT_NE(open_case, 0);
  ASSERT_NE(outside, 0) << "the demo's cases lie in several branches";
  EXPECT_EQ(secretary_->Get(CasePath(outside)).status, 404);
  EXPECT_EQ(Post(*secretary_, CasePath(outside, "/close"),
                 {{"closed_on", Day(0)}, {"outcome", "withdrawn"}, {"reason", "x"}})
                .status,
            404);
  auto bad_outcome = Post(*admin_, CasePath(open_case, "/close"),
                          {{"closed_on", Day(0)}, {"outcome", "deleted"}, {"reason", "x"}});
  EXPECT_EQ(bad_outcome.status, 400);
  EXPECT_EQ(bad_outcome.Json().at("error").at("field").as_string(), "outcome");
  auto future = Post(*admin_, CasePath(open_case, "/close"),
                     {{"closed_on", Day(1)}, {"outcome", "withdrawn"}, {"reason", "x"}});
  EXPECT_EQ(future.Json().at("error").at("field").as_string(), "closed_on");
  auto closed = Post(*admin_, CasePath(open_case, "/close"),
                     {{"closed_on", Day(0)}, {"outcome", "member_left"}, {"reason", "已转出"}});
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.Json().at("outcome"), "member_left");
  EXPECT_EQ(closed.Json().at("close_reason"), "已转出");
  EXPECT_EQ(Post(*admin_, CasePath(open_case, "/close"),
                 {{"closed_on", Day(0)}, {"outcome", "withdrawn"}, {"reason", "x"}})
                .status,
            409);
}

}  // namespace
}  // namespace zhibu::apitest
