// 组织关系转接, 流动党员, 失联 and registry corrections (spec 03), black-box against `zhibu serve
// --demo` on both backends: one demo county per suite, the demo's 组织部管理员 and 支部书记 logged
// in.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "demo_accounts.h"
#include "harness.h"
#include "platform/util/date.h"

namespace zhibu::apitest {
namespace {

namespace json = boost::json;

std::string Today() { return TodayInShanghai(); }

std::string DaysFrom(const std::string& date, int days) {
  return FormatIsoDate(std::chrono::year_month_day(std::chrono::sys_days(*ParseIsoDate(date)) +
                                                   std::chrono::days(days)));
}

std::string MonthsFrom(const std::string& date, int months) {
  return FormatIsoDate(AddMonths(*ParseIsoDate(date), months));
}

std::string Str(const json::value& v, std::string_view key) {
  return std::string(v.at(key).as_string());
}

class TransferApiTest : public DemoSuite<TransferApiTest> {
 protected:
  static HttpResult Send(const Client& c, const std::string& method, const std::string& target,
                         const json::value& body) {
    return server_->Send(method, target, json::serialize(body), c.Headers());
  }

  //! Two active sibling branches, the first with at least `members` full members not taken by
  //! an earlier test (each test uses its own pair, walking the demo's towns in order).
  struct Pair {
    std::int64_t from = 0;
    std::int64_t to = 0;
    std::vector<std::int64_t> members;
  };
  static Pair SiblingBranches(std::size_t members) {
    static std::set<std::int64_t> used;
    std::vector<std::int64_t> queue;
    json::value roots = admin_->Get("/api/v1/orgs/roots").Json();
    for (const auto& root : roots.at("items").as_array()) {
      queue.push_back(root.at("id").as_int64());
    }
    for (std::size_t i = 0; i < queue.size(); ++i) {
      auto kids = admin_->Get("/api/v1/orgs/" + std::to_string(queue[i]) + "/children").Json();
      std::vector<const json::value*> branches;
      for (const auto& k : kids.at("items").as_array()) {
        std::string kind = Str(k, "kind");
        if (Str(k, "status") != "active") continue;
        if (kind == "branch" || kind == "joint_branch") {
          if (!used.contains(k.at("id").as_int64())) branches.push_back(&k);
        } else if (k.at("child_count").as_int64() > 0) {
          queue.push_back(k.at("id").as_int64());
        }
      }
      if (branches.size() < 2) continue;
      for (const auto* b : branches) {
        std::int64_t id = b->at("id").as_int64();
        auto list =
            admin_->Get("/api/v1/members?org=" + std::to_string(id) + "&status=full&page_size=20")
                .Json();
        std::vector<std::int64_t> ids;
        for (const auto& m : list.at("items").as_array()) {
          if (m.at("org_id").as_int64() == id) ids.push_back(m.at("id").as_int64());
        }
        if (ids.size() < members) continue;
        for (const auto* other : branches) {
          std::int64_t to = other->at("id").as_int64();
          if (to == id) continue;
          used.insert(id);
          used.insert(to);
          ids.resize(members);
          return Pair{id, to, ids};
        }
      }
    }
    ADD_FAILURE() << "the demo county has no two sibling branches left";
    return {};
  }
};

TEST_F(TransferApiTest, InternalTransferMovesTheMemberOnlyOnReceipt) {
  Pair p = SiblingBranches(1);
  std::int64_t member = p.members[0];
  std::string m = "/api/v1/members/" + std::to_string(member);
  std::int64_t before_from =
      admin_->Get("/api/v1/orgs/" + std::to_string(p.from)).Json().at("member_count").as_int64();

  auto created = Post(*admin_, "/api/v1/transfers",
                      {{"member_id", member}, {"to_org_id", p.to}, {"reason", "工作调动"}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto t = created.Json();
  EXPECT_EQ(Str(t, "status"), "requested");
  EXPECT_EQ(Str(t, "direction"), "internal");
  EXPECT_TRUE(t.at("letter_number").is_null());
  std::string path = "/api/v1/transfers/" + std::to_string(t.at("id").as_int64());

  // One open transfer per member.
  auto again = Post(*admin_, "/api/v1/transfers",
                    {{"member_id", member}, {"to_org_id", p.to}, {"reason", "重复"}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.ErrorCode(), "transfer.already_open");

  // No receipt before the letter; no letter before approval.
  auto early = Post(*admin_, path + "/receive", json::object{});
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(early.ErrorCode(), "transfer.not_approved");
  EXPECT_EQ(admin_->Get(path + "/letter").status, 409);

  auto approved = Post(*admin_, path + "/approve", {{"note", "同意转出"}});
  ASSERT_EQ(approved.status, 200) << approved.body;
  auto a = approved.Json();
  EXPECT_EQ(Str(a, "status"), "approved");
  EXPECT_EQ(Str(a, "letter_number").rfind("组转〔" + Today().substr(0, 4) + "〕", 0), 0u)
      << a.at("letter_number");
  EXPECT_EQ(Str(a, "letter_valid_until"), DaysFrom(Today(), 90));  // the default setting
  EXPECT_EQ(a.at("steps").as_array().size(), 2u);

  // Until receipt the member is where they were.
  EXPECT_EQ(admin_->Get(m).Json().at("org_id").as_int64(), p.from);

  auto letter = admin_->Get(path + "/letter");
  ASSERT_EQ(letter.status, 200) << letter.body;
  EXPECT_NE(letter.headers["content-type"].find("text/html"), std::string::npos);
  std::string name = Str(admin_->Get(m).Json(), "name");
  EXPECT_NE(letter.body.find(name), std::string::npos);
  EXPECT_NE(letter.body.find(Str(a, "letter_number")), std::string::npos);
  EXPECT_NE(letter.body.find("回　执"), std::string::npos);
  EXPECT_NE(letter.body.find("有效期至"), std::string::npos);

  auto received = Post(*admin_, path + "/receive", {{"note", "已报到"}});
  ASSERT_EQ(received.status, 200) << received.body;
  EXPECT_EQ(Str(received.Json(), "status"), "received");
  EXPECT_EQ(Str(received.Json(), "return_slip_on"), Today());
  EXPECT_EQ(admin_->Get(m).Json().at("org_id").as_int64(), p.to);
  EXPECT_EQ(
      admin_->Get("/api/v1/orgs/" + std::to_string(p.from)).Json().at("member_count").as_int64(),
      before_from - 1);
  auto events = admin_->Get(m + "/events").Json().at("items").as_array();
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(Str(events[events.size() - 2], "kind"), "transfer_out");
  EXPECT_EQ(Str(events.back(), "kind"), "transfer_in");
  EXPECT_EQ(Str(events.back(), "date"), Today());

  // Closed: no second receipt, no cancel.
  EXPECT_EQ(Post(*admin_, path + "/receive", json::object{}).status, 409);
  EXPECT_EQ(Post(*admin_, path + "/cancel", json::object{}).status, 409);
}

TEST_F(TransferApiTest, TheLetterIsValidThroughItsLastDayOnly) {
  Pair p = SiblingBranches(2);
  // The county sets a 7-day letter; the approval was 20 days ago.
  auto set =
      Send(*admin_, "PUT", "/api/v1/settings/member.transfer_letter_validity_days", {{"value", 7}});
  ASSERT_EQ(set.status, 200) << set.body;
  std::string requested = DaysFrom(Today(), -21);
  std::string approved_on = DaysFrom(Today(), -20);
  std::vector<std::string> paths;
  for (std::int64_t member : p.members) {
    auto t = Post(
        *admin_, "/api/v1/transfers",
        {{"member_id", member}, {"to_org_id", p.to}, {"reason", "工作调动"}, {"date", requested}});
    ASSERT_EQ(t.status, 201) << t.body;
    std::string path = "/api/v1/transfers/" + std::to_string(t.Json().at("id").as_int64());
    auto a = Post(*admin_, path + "/approve", {{"date", approved_on}});
    ASSERT_EQ(a.status, 200) << a.body;
    EXPECT_EQ(Str(a.Json(), "letter_valid_until"), DaysFrom(approved_on, 7));
    paths.push_back(path);
  }
  // The day after the last valid day: refused, citing the setting; the member stays.
  auto late = Post(*admin_, paths[0] + "/receive", {{"date", DaysFrom(approved_on, 8)}});
  EXPECT_EQ(late.status, 422) << late.body;
  EXPECT_EQ(late.ErrorCode(), "transfer.letter_expired");
  EXPECT_EQ(Str(late.Json().at("error"), "field"), "date");
  EXPECT_EQ(
      admin_->Get("/api/v1/members/" + std::to_string(p.members[0])).Json().at("org_id").as_int64(),
      p.from);
  EXPECT_TRUE(admin_->Get(paths[0]).Json().at("letter_expired").as_bool());
  // The last valid day itself: received, and the member moves on that date.
  auto in_time = Post(*admin_, paths[1] + "/receive", {{"date", DaysFrom(approved_on, 7)}});
  ASSERT_EQ(in_time.status, 200) << in_time.body;
  auto events = admin_->Get("/api/v1/members/" + std::to_string(p.members[1]) + "/events")
                    .Json()
                    .at("items")
                    .as_array();
  EXPECT_EQ(Str(events.back(), "date"), DaysFrom(approved_on, 7));
  // A step cannot predate the previous one or lie in the future.
  EXPECT_EQ(Post(*admin_, paths[0] + "/cancel", {{"date", DaysFrom(approved_on, -1)}}).ErrorCode(),
            "transfer.date_before_previous");
  EXPECT_EQ(Post(*admin_, paths[0] + "/cancel", {{"date", DaysFrom(Today(), 1)}}).ErrorCode(),
            "transfer.date_future");
  EXPECT_EQ(Post(*admin_, paths[0] + "/cancel", json::object{}).status, 200);
  ASSERT_EQ(
      Send(*admin_, "PUT", "/api/v1/settings/member.transfer_letter_validity_days", {{"value", 90}})
          .status,
      200);
}

TEST_F(TransferApiTest, OutgoingTransferEndsMembershipHereWhenTheReturnSlipArrives) {
  Pair p = SiblingBranches(1);
  std::int64_t member = p.members[0];
  std::string m = "/api/v1/members/" + std::to_string(member);
  auto missing = Post(*admin_, "/api/v1/transfers", {{"member_id", member}, {"reason", "外出"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(Str(missing.Json().at("error"), "field"), "external_org");

  auto t = Post(*admin_, "/api/v1/transfers",
                {{"member_id", member},
                 {"external_org", "中共广州市天河区某街道工作委员会"},
                 {"reason", "随子女迁居广州"}});
  ASSERT_EQ(t.status, 201) << t.body;
  EXPECT_EQ(Str(t.Json(), "direction"), "outgoing");
  std::string path = "/api/v1/transfers/" + std::to_string(t.Json().at("id").as_int64());
  ASSERT_EQ(Post(*admin_, path + "/approve", json::object{}).status, 200);
  auto letter = admin_->Get(path + "/letter");
  EXPECT_NE(letter.body.find("中共广州市天河区某街道工作委员会"), std::string::npos);
  auto slip = Post(*admin_, path + "/receive", {{"note", "回执已寄回"}});
  ASSERT_EQ(slip.status, 200) << slip.body;

  auto after = admin_->Get(m).Json();
  EXPECT_EQ(Str(after, "departed_on"), Today());
  EXPECT_EQ(Str(after, "departed_to"), "中共广州市天河区某街道工作委员会");
  // Gone from the current list of the branch, kept in the record.
  auto current = admin_->Get("/api/v1/members?org=" + std::to_string(p.from) + "&page_size=100")
                     .Json()
                     .at("items")
                     .as_array();
  for (const auto& row : current) EXPECT_NE(row.at("id").as_int64(), member);
  auto departed =
      admin_
          ->Get("/api/v1/members?org=" + std::to_string(p.from) + "&status=departed&page_size=100")
          .Json()
          .at("items")
          .as_array();
  bool listed = false;
  for (const auto& row : departed) listed = listed || row.at("id").as_int64() == member;
  EXPECT_TRUE(listed);
  // No more changes to someone whose relation has left.
  auto status =
      Post(*admin_, m + "/status", {{"status", "deceased"}, {"date", Today()}, {"reason", "测试"}});
  EXPECT_EQ(status.status, 409);
  EXPECT_EQ(status.ErrorCode(), "member.departed");
  EXPECT_EQ(Post(*admin_, "/api/v1/transfers",
                 {{"member_id", member}, {"to_org_id", p.to}, {"reason", "再转"}})
                .ErrorCode(),
            "transfer.member_inactive");
}

TEST_F(TransferApiTest, IncomingLetterEntersTheMemberOrNothing) {
  Pair p = SiblingBranches(0);
  json::object member{{"name", "外来甲"},
                      {"id_number", "11010519491231002X"},
                      {"ethnicity", "汉族"},
                      {"education", "bachelor"},
                      {"category", "retired"},
                      {"joined_on", "1975-07-01"},
                      {"confirmed_on", "1976-07-01"}};
  json::object bad = member;
  bad["id_number"] = "110105194912310021";  // wrong check digit
  auto refused = Post(*admin_, "/api/v1/transfers",
                      {{"direction", "incoming"},
                       {"to_org_id", p.to},
                       {"external_org", "中共北京市西城区某社区委员会"},
                       {"letter_number", "西组转〔2026〕15号"},
                       {"reason", "随子女迁居"},
                       {"member", bad}});
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(Str(refused.Json().at("error"), "field"), "member.id_number");
  auto none = admin_->Get("/api/v1/members?q=11010519491231002X").Json();
  EXPECT_EQ(none.at("total").as_int64(), 0);

  auto arrived = Post(*admin_, "/api/v1/transfers",
                      {{"direction", "incoming"},
                       {"to_org_id", p.to},
                       {"external_org", "中共北京市西城区某社区委员会"},
                       {"letter_number", "西组转〔2026〕15号"},
                       {"reason", "随子女迁居"},
                       {"member", member}});
  ASSERT_EQ(arrived.status, 201) << arrived.body;
  auto t = arrived.Json();
  EXPECT_EQ(Str(t, "status"), "received");
  EXPECT_EQ(Str(t, "letter_number"), "西组转〔2026〕15号");
  auto found = admin_->Get("/api/v1/members?q=11010519491231002X").Json();
  ASSERT_EQ(found.at("total").as_int64(), 1);
  EXPECT_EQ(found.at("items").as_array()[0].at("org_id").as_int64(), p.to);
  auto events =
      admin_->Get("/api/v1/members/" + std::to_string(t.at("member_id").as_int64()) + "/events")
          .Json()
          .at("items")
          .as_array();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(Str(events[0], "kind"), "transfer_in");

  // The same person arriving twice is refused on the member's ID number, and a receiving
  // organisation that is not a branch on to_org_id: the fields as this request names them.
  json::object twice{{"direction", "incoming"},
                     {"to_org_id", p.to},
                     {"external_org", "中共北京市西城区某社区委员会"},
                     {"reason", "再次转入"},
                     {"member", member}};
  auto duplicate = Post(*admin_, "/api/v1/transfers", twice);
  EXPECT_EQ(duplicate.status / 100, 4) << duplicate.body;
  EXPECT_EQ(Str(duplicate.Json().at("error"), "field"), "member.id_number") << duplicate.body;
  json::object other = member;
  other["id_number"] = "11010519500701003X";
  json::object to_parent = twice;
  to_parent["member"] = other;
  to_parent["to_org_id"] =
      admin_->Get("/api/v1/orgs/" + std::to_string(p.to)).Json().at("parent_id").as_int64();
  auto not_branch = Post(*admin_, "/api/v1/transfers", to_parent);
  EXPECT_EQ(not_branch.status, 400) << not_branch.body;
  EXPECT_EQ(Str(not_branch.Json().at("error"), "field"), "to_org_id") << not_branch.body;
  EXPECT_EQ(admin_->Get("/api/v1/members?q=11010519500701003X").Json().at("total").as_int64(), 0);
}

TEST_F(TransferApiTest, RefusalNeedsAReasonAndTheBranchSecretaryCannotApprove) {
  // The 支部书记's own branch and a sibling.
  auto me = secretary_->Get("/api/v1/orgs/roots").Json().at("items").as_array();
  ASSERT_EQ(me.size(), 1u);
  std::int64_t own = me[0].at("id").as_int64();
  std::int64_t parent = me[0].at("parent_id").as_int64();
  std::int64_t sibling = 0;
  json::value siblings = admin_->Get("/api/v1/orgs/" + std::to_string(parent) + "/children").Json();
  for (const auto& k : siblings.at("items").as_array()) {
    std::string kind = Str(k, "kind");
    if (k.at("id").as_int64() != own && Str(k, "status") == "active" &&
        (kind == "branch" || kind == "joint_branch")) {
      sibling = k.at("id").as_int64();
    }
  }
  ASSERT_NE(sibling, 0);
  auto mine =
      secretary_->Get("/api/v1/members?status=full&page_size=5").Json().at("items").as_array();
  ASSERT_GE(mine.size(), 2u);
  std::int64_t member = mine[0].at("id").as_int64();

  auto t = Post(*secretary_, "/api/v1/transfers",
                {{"member_id", member}, {"to_org_id", sibling}, {"reason", "工作调动"}});
  ASSERT_EQ(t.status, 201) << t.body;
  std::string path = "/api/v1/transfers/" + std::to_string(t.Json().at("id").as_int64());
  // 支部书记 requests but does not approve: the 基层党委 does.
  auto approve = Post(*secretary_, path + "/approve", json::object{});
  EXPECT_EQ(approve.status, 403) << approve.body;
  EXPECT_EQ(approve.ErrorCode(), "transfer.wrong_side");
  // A refusal without a reason is not allowed (第二十五条).
  auto bare = Post(*admin_, path + "/reject", json::object{});
  EXPECT_EQ(bare.status, 422);
  EXPECT_EQ(Str(bare.Json().at("error"), "field"), "note");
  auto rejected = Post(*admin_, path + "/reject", {{"note", "材料不全，请补充后重新申请"}});
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(Str(rejected.Json(), "status"), "rejected");
  // The secretary sees their own branch's transfers and nothing else.
  auto listed = secretary_->Get("/api/v1/transfers").Json().at("items").as_array();
  ASSERT_FALSE(listed.empty());
  for (const auto& row : listed) {
    bool touches = (row.at("from_org_id").is_int64() && row.at("from_org_id").as_int64() == own) ||
                   (row.at("to_org_id").is_int64() && row.at("to_org_id").as_int64() == own);
    EXPECT_TRUE(touches) << json::serialize(row);
  }
  // A transfer between two other branches is not found for them.
  Pair other = SiblingBranches(1);
  auto foreign = Post(*admin_, "/api/v1/transfers",
                      {{"member_id", other.members[0]}, {"to_org_id", other.to}, {"reason", "x"}});
  ASSERT_EQ(foreign.status, 201);
  std::string foreign_path =
      "/api/v1/transfers/" + std::to_string(foreign.Json().at("id").as_int64());
  EXPECT_EQ(secretary_->Get(foreign_path).status, 404);
  EXPECT_EQ(secretary_->Get(foreign_path + "/letter").status, 404);
  EXPECT_EQ(Post(*secretary_, foreign_path + "/cancel", json::object{}).status, 404);
  // A new request after a refusal; the sending side may withdraw it.
  auto retry = Post(*secretary_, "/api/v1/transfers",
                    {{"member_id", member}, {"to_org_id", sibling}, {"reason", "补充材料后"}});
  ASSERT_EQ(retry.status, 201) << retry.body;
  auto cancelled =
      Post(*secretary_,
           "/api/v1/transfers/" + std::to_string(retry.Json().at("id").as_int64()) + "/cancel",
           {{"note", "本人暂缓调动"}});
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(Str(cancelled.Json(), "status"), "cancelled");
  EXPECT_EQ(Post(*admin_, foreign_path + "/cancel", json::object{}).status, 200);
}

TEST_F(TransferApiTest, MobileMembersAreAttachedAndFlaggedAfterSixMonths) {
  Pair p = SiblingBranches(2);
  std::string m = "/api/v1/members/" + std::to_string(p.members[0]);
  // Away since six months ago tomorrow: not yet due; since six months ago today: due.
  std::string today = Today();
  std::string not_yet = DaysFrom(MonthsFrom(today, -6), 1);
  auto away = Post(*admin_, m + "/mobility",
                   {{"away_since", not_yet},
                    {"destination", "广东省东莞市"},
                    {"attached_org_id", p.to},
                    {"reason", "外出务工"}});
  ASSERT_EQ(away.status, 200) << away.body;
  EXPECT_FALSE(away.Json().at("mobile").at("transfer_due").as_bool());
  auto due = Post(*admin_, m + "/mobility",
                  {{"away_since", MonthsFrom(today, -6)},
                   {"destination", "广东省东莞市"},
                   {"attached_org_id", p.to}});
  ASSERT_EQ(due.status, 200) << due.body;
  EXPECT_TRUE(due.Json().at("mobile").at("transfer_due").as_bool());
  EXPECT_EQ(due.Json().at("mobile").at("attached_org_id").as_int64(), p.to);
  // The destination branch sees them for organisational life there.
  auto attached = admin_->Get("/api/v1/orgs/" + std::to_string(p.to) + "/attached-members")
                      .Json()
                      .at("items")
                      .as_array();
  ASSERT_EQ(attached.size(), 1u);
  EXPECT_EQ(attached[0].at("id").as_int64(), p.members[0]);
  EXPECT_EQ(attached[0].at("home_org_id").as_int64(), p.from);
  EXPECT_FALSE(attached[0].as_object().contains("id_number_masked"));
  // Their own branch cannot be the destination.
  auto home = Post(*admin_, "/api/v1/members/" + std::to_string(p.members[1]) + "/mobility",
                   {{"away_since", today}, {"destination", "本村"}, {"attached_org_id", p.from}});
  EXPECT_EQ(Str(home.Json().at("error"), "field"), "attached_org_id");
  auto back = Post(*admin_, m + "/mobility/end", {{"reason", "返乡"}});
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_TRUE(back.Json().at("mobile").is_null());
  EXPECT_TRUE(admin_->Get("/api/v1/orgs/" + std::to_string(p.to) + "/attached-members")
                  .Json()
                  .at("items")
                  .as_array()
                  .empty());
  auto events = admin_->Get(m + "/events").Json().at("items").as_array();
  EXPECT_EQ(Str(events.back(), "kind"), "mobile_back");

  // 失联: six months to the day → 停止党籍 may be proposed; a day less → not yet.
  std::string other = "/api/v1/members/" + std::to_string(p.members[1]);
  auto no_reason = Post(*admin_, other + "/lost-contact", {{"since", not_yet}});
  EXPECT_EQ(no_reason.status, 400);
  auto lost = Post(*admin_, other + "/lost-contact",
                   {{"since", not_yet}, {"reason", "电话停机，走访未见"}});
  ASSERT_EQ(lost.status, 200) << lost.body;
  EXPECT_FALSE(lost.Json().at("suspension_due").as_bool());
  ASSERT_EQ(Post(*admin_, other + "/lost-contact/end", {{"reason", "已联系上"}}).status, 200);
  auto long_lost = Post(*admin_, other + "/lost-contact",
                        {{"since", MonthsFrom(today, -6)}, {"reason", "多方查找未果"}});
  ASSERT_EQ(long_lost.status, 200) << long_lost.body;
  EXPECT_TRUE(long_lost.Json().at("suspension_due").as_bool());
  EXPECT_EQ(Post(*admin_, other + "/lost-contact", {{"since", today}, {"reason", "x"}}).ErrorCode(),
            "member.already_lost");
}

TEST_F(TransferApiTest, CorrectionsAreValidatedAndSearchable) {
  Pair p = SiblingBranches(1);
  std::string m = "/api/v1/members/" + std::to_string(p.members[0]);
  auto locked = Send(*admin_, "PATCH", m, {{"id_number", "11010519491231002X"}});
  EXPECT_EQ(locked.status, 400);
  EXPECT_EQ(Str(locked.Json().at("error"), "field"), "id_number");
  auto bad_phone = Send(*admin_, "PATCH", m, {{"phone", "2345"}});
  EXPECT_EQ(Str(bad_phone.Json().at("error"), "field"), "phone");
  auto fixed = Send(*admin_, "PATCH", m,
                    {{"phone", "13912345678"}, {"education", "college"}, {"reason", "本人申请"}});
  ASSERT_EQ(fixed.status, 200) << fixed.body;
  EXPECT_EQ(Str(fixed.Json(), "phone_masked"), "139****5678");
  EXPECT_EQ(Str(fixed.Json(), "education"), "college");
  auto found = admin_->Get("/api/v1/members?q=13912345678").Json();
  ASSERT_EQ(found.at("total").as_int64(), 1);
  EXPECT_EQ(found.at("items").as_array()[0].at("id").as_int64(), p.members[0]);
}

TEST_F(TransferApiTest, SettingsNameTheirSourceAndBounds) {
  auto list = admin_->Get("/api/v1/settings").Json().at("items").as_array();
  const json::value* validity = nullptr;
  for (const auto& s : list) {
    if (Str(s, "key") == "member.transfer_letter_validity_days") validity = &s;
  }
  ASSERT_NE(validity, nullptr);
  EXPECT_FALSE(Str(*validity, "source").empty());
  EXPECT_EQ(validity->at("default").as_int64(), 90);
  auto low =
      Send(*admin_, "PUT", "/api/v1/settings/member.transfer_letter_validity_days", {{"value", 3}});
  EXPECT_EQ(low.status, 400);
  EXPECT_EQ(Str(low.Json().at("error"), "field"), "value");
  auto unknown = Send(*admin_, "PUT", "/api/v1/settings/no.such", {{"value", 3}});
  EXPECT_EQ(unknown.status, 404);
  auto secretary = Send(*secretary_, "PUT", "/api/v1/settings/member.transfer_letter_validity_days",
                        {{"value", 30}});
  EXPECT_EQ(secretary.status, 403);
}

}  // namespace
}  // namespace zhibu::apitest
