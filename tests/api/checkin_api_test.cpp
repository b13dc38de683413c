// Check-in, leave and attachments of 组织生活纪实 (spec 04 "Attendance", "Each record") through the
// API, on both backends, on a copy of the demo county (WithDemo). Members get their own accounts as
// a deployment gives them (the system administrator creates, the security administrator grants
// 党员, the organisation department links the account to the member), then: the QR code and the
// window's edges (the minute before opening refused, the opening and the closing minute accepted,
// the minute after refused), a second check-in refused, a member not expected refused, a 流入党员
// checked in at the destination counted for the home branch's 6-month rule, leave before and
// after its close, and attachments — a PNG read back byte for byte, a program renamed .png and an
// oversize file refused, a withdrawn one kept in the trail.
//
// The server has no test clock: meetings are planned relative to the current minute, and the
// edge tests start early in a minute (waiting for the next one when fewer than 20 seconds are
// left) so that everything they do falls within it.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "demo_accounts.h"
#include "harness.h"
#include "modules/orglife/checkin.h"
#include "platform/identity/id_number.h"
#include "platform/util/clock.h"
#include "platform/util/date.h"

namespace zhibu::apitest {
namespace {

namespace json = boost::json;

std::string Str(const json::value& v, std::string_view key) {
  return std::string(v.at(key).as_string());
}
std::string Num(std::int64_t n) { return std::to_string(n); }

//! Percent-encodes every byte outside [A-Za-z0-9._~-] (an X-File-Name value).
std::string Encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    auto b = static_cast<unsigned char>(ch);
    if (std::isalnum(b) || ch == '.' || ch == '_' || ch == '~' || ch == '-') {
      out.push_back(ch);
    } else {
      out += {'%', kHex[b >> 4], kHex[b & 15]};
    }
  }
  return out;
}

//! The current minute in Shanghai (`YYYY-MM-DDTHH:MM`), taken when at least 20 seconds of it are
//! left (otherwise at the start of the next one), so that a test's requests all fall inside it.
std::string FreshMinute() {
  std::string now = NowShanghaiIso();
  int second = std::stoi(now.substr(17, 2));
  if (second > 40) {
    std::this_thread::sleep_for(std::chrono::seconds(61 - second));
    now = NowShanghaiIso();
  }
  return now.substr(0, 16);
}

//! A 1×1 PNG.
const std::string kPng(
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00\x00"
    "\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0d\x49\x44\x41\x54\x78\xda\x63\x64\x60"
    "\xf8\x5f\x0f\x00\x02\x87\x01\x80\xeb\x47\xba\x92\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60"
    "\x82",
    70);

class CheckinApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = TestDatabase::WithDemo();
    server_ = std::make_unique<ServerProcess>(*db_);
    admin_ = std::make_unique<Client>(DemoLogIn(*server_, "zuzhibu"));
    secretary_ = std::make_unique<Client>(DemoLogIn(*server_, "shuji"));
    sys_ = std::make_unique<Client>(DemoLogIn(*server_, "sysadmin"));
    sec_ = std::make_unique<Client>(DemoLogIn(*server_, "secadmin"));
    auditor_ = std::make_unique<Client>(DemoLogIn(*server_, "auditor"));
  }
  static void TearDownTestSuite() {
    for (auto* c : {&admin_, &secretary_, &sys_, &sec_, &auditor_}) c->reset();
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

  static std::string NextIdNumber() {
    static int serial = 0;
    ++serial;
    char body[32];
    std::snprintf(body, sizeof body, "110106%04d%02d%02d%03d", 1960 + serial % 30, 1 + serial % 12,
                  1 + serial % 28, 100 + serial % 800);
    return std::string(body) + identity::CheckCode(std::string_view(body, 17));
  }

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

  //! A new branch of `members` full members (joined 2010); answers its id and theirs.
  static std::pair<std::int64_t, std::vector<std::int64_t>> MakeBranch(int members) {
    static int serial = 0;
    ++serial;
    auto org = Post(*admin_, "/api/v1/orgs",
                    {{"parent_id", Town()},
                     {"code", "CHECKIN-TEST-" + Num(serial)},
                     {"name", "中共签到测试第" + Num(serial) + "支部委员会"},
                     {"kind", "branch"},
                     {"domain", "rural"},
                     {"founded_on", "2015-07-01"}});
    EXPECT_EQ(org.status, 201) << org.body;
    std::int64_t id = org.Json().at("id").as_int64();
    std::vector<std::int64_t> ids;
    for (int i = 0; i < members; ++i) {
      auto made = Post(*admin_, "/api/v1/members",
                       {{"org_id", id},
                        {"name", "签到" + Num(serial) + "-" + Num(i)},
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

  //! The member's own account, made as a deployment makes it: created by the system
  //! administrator, 党员 granted on `org` by the security administrator, linked to the member by
  //! the organisation department; logged in once (its first password replaced).
  static Client MemberAccount(std::int64_t member, std::int64_t org) {
    static int serial = 0;
    ++serial;
    std::string username = "dangyuan" + Num(serial);
    auto made = sys_->Post("/api/v1/accounts",
                           json::serialize(json::object{{"username", username},
                                                        {"display_name", "党员" + Num(serial)}}));
    EXPECT_EQ(made.status, 201) << made.body;
    std::int64_t account = made.Json().at("account").at("id").as_int64();
    std::string initial = Str(made.Json(), "initial_password");
    auto granted = Post(*sec_, "/api/v1/accounts/" + Num(account) + "/grants",
                        {{"role", "party_member"}, {"organisation_id", org}});
    EXPECT_EQ(granted.status, 201) << granted.body;
    auto linked = Send(*admin_, "PUT", "/api/v1/accounts/" + Num(account) + "/member",
                       {{"member_id", member}});
    EXPECT_EQ(linked.status, 200) << linked.body;
    return FirstLogIn(*server_, username, initial, "Dang#Yuan-" + Num(serial) + "x2026");
  }

  //! A draft 主题党日 of `org` planned to start at `start` (`YYYY-MM-DDTHH:MM`).
  static std::int64_t Meeting(std::int64_t org, const std::string& start) {
    auto made = Post(*admin_, "/api/v1/meetings",
                     {{"org_id", org},
                      {"kind", "theme_day"},
                      {"topic", "主题党日：签到测试"},
                      {"planned_start", start},
                      {"planned_end", orglife::AddMinutes(start, 90)}});
    EXPECT_EQ(made.status, 201) << made.body;
    return made.status == 201 ? made.Json().at("id").as_int64() : 0;
  }

  //! The check-in token of record `id`, from the console's view of it.
  static std::string TokenOf(std::int64_t id) {
    auto view = admin_->Get("/api/v1/meetings/" + Num(id) + "/checkin");
    EXPECT_EQ(view.status, 200) << view.body;
    std::string url = Str(view.Json(), "token_url");
    auto at = url.find("/m/checkin?t=");
    EXPECT_NE(at, std::string::npos) << url;
    return at == std::string::npos ? std::string() : url.substr(at + 13);
  }

  static HttpResult CheckIn(const Client& member, const std::string& token) {
    return Post(member, "/api/v1/checkin", {{"token", token}});
  }

  //! The attendance line of `member` in record `id`, as the admin reads it.
  static json::object Line(std::int64_t id, std::int64_t member) {
    auto record = admin_->Get("/api/v1/meetings/" + Num(id)).Json();
    for (const auto& item : record.at("attendance").at("items").as_array()) {
      if (!item.at("member_id").is_null() && item.at("member_id").as_int64() == member) {
        return item.as_object();
      }
    }
    ADD_FAILURE() << "member " << member << " not in record " << id;
    return {};
  }

  static std::set<std::int64_t> Flagged(std::int64_t org) {
    auto scan = Post(*admin_, "/api/v1/findings/scan", {{"org_id", org}});
    EXPECT_EQ(scan.status, 200) << scan.body;
    auto found = admin_->Get("/api/v1/findings?org=" + Num(org) +
                             "&rule=orglife.member.six_months_without_life");
    EXPECT_EQ(found.status, 200) << found.body;
    std::set<std::int64_t> out;
    json::value page = found.Json();
    for (const auto& f : page.at("items").as_array()) {
      out.insert(f.at("subject_id").as_int64());
    }
    return out;
  }

  static std::unique_ptr<TestDatabase> db_;
  static std::unique_ptr<ServerProcess> server_;
  static std::unique_ptr<Client> admin_, secretary_, sys_, sec_, auditor_;
};

std::unique_ptr<TestDatabase> CheckinApiTest::db_;
std::unique_ptr<ServerProcess> CheckinApiTest::server_;
std::unique_ptr<Client> CheckinApiTest::admin_;
std::unique_ptr<Client> CheckinApiTest::secretary_;
std::unique_ptr<Client> CheckinApiTest::sys_;
std::unique_ptr<Client> CheckinApiTest::sec_;
std::unique_ptr<Client> CheckinApiTest::auditor_;

TEST_F(CheckinApiTest, TheOrganisationDepartmentLinksAnAccountToItsMember) {
  auto [branch, members] = MakeBranch(1);
  Client member = MemberAccount(members[0], branch);
  auto me = member.Get("/api/v1/me").Json();
  EXPECT_EQ(me.at("member_id").as_int64(), members[0]);
  bool can_check_in = false;
  for (const auto& p : me.at("permissions").as_array()) can_check_in |= p == "orglife.checkin";
  EXPECT_TRUE(can_check_in) << json::serialize(me);
  std::int64_t account = me.at("id").as_int64();
  std::string path = "/api/v1/accounts/" + Num(account) + "/member";

  // Neither the 三员 nor a 支部书记 link accounts; nobody is linked by a bad request.
  for (const Client* other : {sys_.get(), sec_.get(), secretary_.get()}) {
    auto refused = Send(*other, "PUT", path, {{"member_id", nullptr}});
    EXPECT_EQ(refused.status, 403) << refused.body;
  }
  auto missing = Send(*admin_, "PUT", path, json::object{});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(Str(missing.Json().at("error"), "field"), "member_id");
  auto unknown = Send(*admin_, "PUT", path, {{"member_id", 99'999'999}});
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(Str(unknown.Json().at("error"), "field"), "member_id");
  EXPECT_EQ(
      Send(*admin_, "PUT", "/api/v1/accounts/99999999/member", {{"member_id", members[0]}}).status,
      404);
  // An administrator's account acts as nobody's member.
  std::int64_t sys_id = sys_->Get("/api/v1/me").Json().at("id").as_int64();
  auto separated = Send(*admin_, "PUT", "/api/v1/accounts/" + Num(sys_id) + "/member",
                        {{"member_id", members[0]}});
  EXPECT_EQ(separated.status, 422) << separated.body;
  EXPECT_EQ(separated.ErrorCode(), "account.separated_admin");
  EXPECT_EQ(member.Get("/api/v1/me").Json().at("member_id").as_int64(), members[0]);

  // The security administrator sees the link among the accounts; the auditor sees who made it.
  auto listed = sec_->Get("/api/v1/accounts/" + Num(account)).Json();
  EXPECT_EQ(listed.at("member_id").as_int64(), members[0]);
  auto trail =
      auditor_->Get("/api/v1/audit?action=account.link_member&target=account:" + Num(account));
  ASSERT_EQ(trail.status, 200) << trail.body;
  ASSERT_EQ(trail.Json().at("total").as_int64(), 1);
  EXPECT_EQ(Str(trail.Json().at("items").as_array()[0], "actor"), "zuzhibu");

  // The demo county's 党员 account comes linked to a member of the sample branch.
  Client demo_member = DemoLogIn(*server_, "dangyuan");
  auto demo_me = demo_member.Get("/api/v1/me").Json();
  ASSERT_TRUE(demo_me.at("member_id").is_int64()) << json::serialize(demo_me);
  EXPECT_EQ(demo_member.Get("/api/v1/meetings/mine").status, 200);

  // An account without a member cannot check in, whatever its roles.
  auto unlinked = Send(*admin_, "PUT", path, {{"member_id", nullptr}});
  ASSERT_EQ(unlinked.status, 200) << unlinked.body;
  EXPECT_TRUE(unlinked.Json().at("member").is_null());
  auto nobody = CheckIn(member, "whatever");
  EXPECT_EQ(nobody.status, 403) << nobody.body;
  EXPECT_EQ(nobody.ErrorCode(), "orglife.account_not_linked");
}

TEST_F(CheckinApiTest, CheckInIsAcceptedFromTheOpeningToTheClosingMinuteAndOnlyOnce) {
  auto [branch, members] = MakeBranch(4);
  std::vector<Client> phones;
  for (auto m : members) phones.push_back(MemberAccount(m, branch));

  const std::string now = FreshMinute();
  // Window: 20 minutes either side of the planned start (the defaults), both edges included.
  std::int64_t not_yet = Meeting(branch, orglife::AddMinutes(now, 21));   // opens next minute
  std::int64_t opening = Meeting(branch, orglife::AddMinutes(now, 20));   // opens this minute
  std::int64_t closing = Meeting(branch, orglife::AddMinutes(now, -20));  // closes this minute
  std::int64_t over = Meeting(branch, orglife::AddMinutes(now, -21));     // closed last minute

  auto early = CheckIn(phones[0], TokenOf(not_yet));
  EXPECT_EQ(early.status, 422) << early.body;
  EXPECT_EQ(early.ErrorCode(), "orglife.checkin_closed");
  EXPECT_EQ(Str(early.Json().at("error"), "field"), "token");

  std::string opening_token = TokenOf(opening);
  auto first = CheckIn(phones[0], opening_token);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Str(first.Json(), "checked_in_at").substr(0, 16), now);
  EXPECT_EQ(Str(first.Json().at("meeting"), "topic"), "主题党日：签到测试");
  auto again = CheckIn(phones[0], opening_token);
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(again.ErrorCode(), "orglife.already_checked_in");

  auto last = CheckIn(phones[1], TokenOf(closing));
  EXPECT_EQ(last.status, 200) << last.body;
  auto late = CheckIn(phones[2], TokenOf(over));
  EXPECT_EQ(late.status, 422) << late.body;
  EXPECT_EQ(late.ErrorCode(), "orglife.checkin_closed");

  // The console says the same of each window, at the server's own minute.
  for (auto [id, open] : {std::pair{not_yet, false}, std::pair{opening, true},
                          std::pair{closing, true}, std::pair{over, false}}) {
    auto view = admin_->Get("/api/v1/meetings/" + Num(id) + "/checkin").Json();
    EXPECT_EQ(view.at("open").as_bool(), open) << json::serialize(view);
    ASSERT_EQ(Str(view, "now").substr(0, 16), now) << "the test ran past its minute";
  }
  auto view = admin_->Get("/api/v1/meetings/" + Num(opening) + "/checkin").Json();
  EXPECT_EQ(Str(view, "opens_at"), now);
  EXPECT_EQ(Str(view, "closes_at"), orglife::AddMinutes(now, 40));
  EXPECT_EQ(view.at("checked_in").as_int64(), 1);
  EXPECT_EQ(Str(view, "token_url"), "http://127.0.0.1/m/checkin?t=" + opening_token);

  // Marked present with the time, as the editor shows it; the rest still absent.
  auto line = Line(opening, members[0]);
  EXPECT_EQ(Str(line, "status"), "present");
  EXPECT_EQ(Str(line, "checked_in_at"), Str(first.Json(), "checked_in_at"));
  EXPECT_EQ(Str(Line(opening, members[3]), "status"), "absent");

  // The QR code is an SVG drawn by the server; the phone page sees where its member stands.
  auto qr = admin_->Get("/api/v1/meetings/" + Num(opening) + "/checkin-qr");
  ASSERT_EQ(qr.status, 200) << qr.body;
  EXPECT_EQ(qr.headers["content-type"], "image/svg+xml");
  EXPECT_NE(qr.body.find("<svg xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
  EXPECT_NE(qr.body.find("<path fill=\"#000\" d=\"M4 4h7v1h-7z"), std::string::npos)
      << "the finder pattern's top edge";
  auto preview = phones[0].Get("/api/v1/checkin?t=" + opening_token);
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_TRUE(preview.Json().at("checked_in").as_bool());
  EXPECT_EQ(Str(preview.Json(), "role"), "expected");
  EXPECT_EQ(phones[0].Get("/api/v1/checkin?t=not-a-token").status, 404);
  EXPECT_EQ(Str(phones[0].Get("/api/v1/checkin").Json().at("error"), "field"), "t");

  // A new token: the old QR code stops working.
  auto rotated = admin_->Post("/api/v1/meetings/" + Num(opening) + "/checkin/rotate");
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  EXPECT_EQ(CheckIn(phones[3], opening_token).status, 404);
  EXPECT_NE(Str(rotated.Json(), "token_url"), Str(view, "token_url"));

  // Each check-in is in the trail under the member's account.
  auto trail = auditor_->Get("/api/v1/audit?action=orglife.checkin&target=meeting:" + Num(opening) +
                             "&result=success");
  ASSERT_EQ(trail.status, 200);
  std::set<std::string> actions;
  json::value events = trail.Json();
  for (const auto& e : events.at("items").as_array()) actions.insert(Str(e, "action"));
  EXPECT_EQ(actions, (std::set<std::string>{"orglife.checkin", "orglife.checkin_token"}));
}

TEST_F(CheckinApiTest, MembersWithoutAPlaceInTheRecordAreRefused) {
  auto [branch, members] = MakeBranch(2);
  auto [other_branch, others] = MakeBranch(1);
  Client stranger = MemberAccount(others[0], other_branch);
  std::int64_t id = Meeting(branch, orglife::AddMinutes(NowShanghaiIso().substr(0, 16), 5));
  std::string token = TokenOf(id);
  auto refused = CheckIn(stranger, token);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.ErrorCode(), "orglife.not_expected");
  auto preview = stranger.Get("/api/v1/checkin?t=" + token);
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_FALSE(preview.Json().at("expected").as_bool());
  // Nor may they ask for leave from a meeting that is not theirs: it does not exist for them.
  auto leave = Post(stranger, "/api/v1/meetings/" + Num(id) + "/leave", {{"reason", "外出"}});
  EXPECT_EQ(leave.status, 404) << leave.body;
  // Accounts that are not members' (an administrator of the county) cannot check in at all.
  EXPECT_EQ(CheckIn(*admin_, token).status, 403);
  EXPECT_EQ(admin_->Get("/api/v1/meetings/" + Num(id))
                .Json()
                .at("attendance")
                .at("counts")
                .at("present")
                .as_int64(),
            0);
}

TEST_F(CheckinApiTest, AMobileMemberCheckedInAtTheDestinationCountsForTheHomeBranch) {
  auto [home, home_members] = MakeBranch(3);
  auto [destination, destination_members] = MakeBranch(1);
  std::int64_t mobile = home_members[0];
  std::string today = TodayInShanghai();
  auto away = Post(
      *admin_, "/api/v1/members/" + Num(mobile) + "/mobility",
      {{"away_since", FormatIsoDate(std::chrono::year_month_day(
                          std::chrono::sys_days(*ParseIsoDate(today)) - std::chrono::days(30)))},
       {"destination", "浙江省宁波市"},
       {"attached_org_id", destination}});
  ASSERT_EQ(away.status, 200) << away.body;

  // The home branch met today without them: they, and the member who stayed away, are flagged
  // for six months without organisational life (党章 第九条).
  auto held =
      Post(*admin_, "/api/v1/meetings",
           {{"org_id", home},
            {"kind", "theme_day"},
            {"topic", "主题党日"},
            {"planned_start", today + "T00:00"},
            {"planned_end", today + "T00:01"},
            {"actual_start", today + "T00:00"},
            {"actual_end", today + "T00:01"},
            {"place", "村部"},
            {"host_name", "书记"},
            {"recorder_name", "委员"},
            {"minutes", "会议记录"},
            {"attendance", json::array{{{"member_id", home_members[1]}, {"status", "present"}}}}});
  ASSERT_EQ(held.status, 201) << held.body;
  ASSERT_EQ(
      admin_->Post("/api/v1/meetings/" + Num(held.Json().at("id").as_int64()) + "/submit").status,
      200);
  EXPECT_EQ(Flagged(home), (std::set<std::int64_t>{mobile, home_members[2]}));

  // At the destination they check in with their phone: present there, as a 流入党员.
  Client phone = MemberAccount(mobile, home);
  std::string now = NowShanghaiIso().substr(0, 16);
  std::int64_t id = Meeting(destination, orglife::AddMinutes(now, 10));
  auto checked = CheckIn(phone, TokenOf(id));
  ASSERT_EQ(checked.status, 200) << checked.body;
  EXPECT_EQ(Str(checked.Json(), "role"), "attached");
  auto line = Line(id, mobile);
  EXPECT_EQ(Str(line, "role"), "attached");
  EXPECT_EQ(Str(line, "status"), "present");

  // The destination completes and submits its record: the home branch no longer flags them.
  auto completed = Send(*admin_, "PATCH", "/api/v1/meetings/" + Num(id),
                        {{"actual_start", now},
                         {"actual_end", orglife::AddMinutes(now, 1)},
                         {"place", "社区党群服务中心"},
                         {"host_name", "书记"},
                         {"recorder_name", "委员"},
                         {"minutes", "流入党员参加主题党日"}});
  ASSERT_EQ(completed.status, 200) << completed.body;
  ASSERT_EQ(admin_->Post("/api/v1/meetings/" + Num(id) + "/submit").status, 200);
  EXPECT_EQ(Str(Line(id, mobile), "status"), "present") << "kept through the submission";
  EXPECT_EQ(Flagged(home), (std::set<std::int64_t>{home_members[2]}));
}

TEST_F(CheckinApiTest, LeaveIsAcceptedUntilItClosesBeforeTheStart) {
  auto [branch, members] = MakeBranch(2);
  Client phone = MemberAccount(members[0], branch);
  const std::string now = FreshMinute();
  // Leave closes 20 minutes before the start (the default) from that minute on.
  std::int64_t open = Meeting(branch, orglife::AddMinutes(now, 21));
  std::int64_t closed = Meeting(branch, orglife::AddMinutes(now, 20));

  auto bare = Post(phone, "/api/v1/meetings/" + Num(open) + "/leave", {{"reason", ""}});
  EXPECT_EQ(bare.status, 400) << bare.body;
  EXPECT_EQ(Str(bare.Json().at("error"), "field"), "reason");
  auto accepted =
      Post(phone, "/api/v1/meetings/" + Num(open) + "/leave", {{"reason", "在外务工，无法参加"}});
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(Str(accepted.Json(), "leave_closes_at"), orglife::AddMinutes(now, 1));
  auto refused =
      Post(phone, "/api/v1/meetings/" + Num(closed) + "/leave", {{"reason", "临时有事"}});
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.ErrorCode(), "orglife.leave_closed");
  ASSERT_EQ(
      Str(admin_->Get("/api/v1/meetings/" + Num(closed) + "/checkin").Json(), "now").substr(0, 16),
      now)
      << "the test ran past its minute";

  // The phone lists the member's coming meetings with what may still be done.
  auto mine = phone.Get("/api/v1/meetings/mine");
  ASSERT_EQ(mine.status, 200) << mine.body;
  json::value listed = mine.Json();
  std::map<std::int64_t, json::object> by_id;
  for (const auto& item : listed.at("items").as_array()) {
    by_id[item.at("meeting").at("id").as_int64()] = item.as_object();
  }
  ASSERT_TRUE(by_id.contains(open) && by_id.contains(closed)) << mine.body;
  EXPECT_EQ(Str(by_id[open], "status"), "leave");
  EXPECT_TRUE(by_id[open].at("leave_open").as_bool());
  EXPECT_FALSE(by_id[closed].at("leave_open").as_bool());
  EXPECT_EQ(secretary_->Get("/api/v1/meetings/mine").status, 403) << "members only";

  auto line = Line(open, members[0]);
  EXPECT_EQ(Str(line, "status"), "leave");
  EXPECT_EQ(Str(line, "leave_reason"), "在外务工，无法参加");
  EXPECT_EQ(Str(Line(closed, members[0]), "status"), "absent");
  auto trail =
      auditor_->Get("/api/v1/audit?action=orglife.leave_request&target=meeting:" + Num(open));
  ASSERT_EQ(trail.status, 200);
  EXPECT_EQ(trail.Json().at("total").as_int64(), 1);
  // The branch may still mark leave in the editor, as before.
  auto marked = Send(*admin_, "PATCH", "/api/v1/meetings/" + Num(closed),
                     {{"attendance", json::array{{{"member_id", members[0]},
                                                  {"status", "leave"},
                                                  {"leave_reason", "向书记当面请假"}}}}});
  EXPECT_EQ(marked.status, 200) << marked.body;
}

TEST_F(CheckinApiTest, AttachmentsAreCheckedByContentKeptByteForByteAndNeverDeleted) {
  auto [branch, members] = MakeBranch(1);
  std::int64_t id = Meeting(branch, TodayInShanghai() + "T09:00");
  std::string path = "/api/v1/meetings/" + Num(id) + "/attachments";
  auto upload = [&](const std::string& type, const std::string& name, const std::string& body) {
    auto headers = admin_->Headers();
    headers["Content-Type"] = type;
    headers["X-File-Name"] = Encode(name);
    return server_->Send("POST", path, body, headers);
  };

  auto png = upload("image/png", "会议照片.png", kPng);
  ASSERT_EQ(png.status, 201) << png.body;
  std::int64_t photo = png.Json().at("id").as_int64();
  EXPECT_EQ(png.Json().at("size_bytes").as_int64(), 70);
  auto read = admin_->Get(path + "/" + Num(photo));
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.body, kPng) << "byte for byte";
  EXPECT_EQ(read.headers["content-type"], "image/png");
  EXPECT_EQ(
      read.headers["content-disposition"],
      "inline; filename=\"____.png\"; filename*=UTF-8''%E4%BC%9A%E8%AE%AE%E7%85%A7%E7%89%87.png");
  EXPECT_EQ(read.headers["x-content-sha256"], Str(png.Json(), "sha256"));

  // A program renamed .png is refused by its content; so is an image over the size limit.
  std::string program("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF", 14);
  auto renamed = upload("image/png", "photo.png", program + std::string(2000, 'A'));
  EXPECT_EQ(renamed.status, 422) << renamed.body;
  EXPECT_EQ(renamed.ErrorCode(), "orglife.attachment_type_unsupported");
  EXPECT_EQ(Str(renamed.Json().at("error"), "field"), "file");
  auto mislabelled = upload("application/pdf", "photo.pdf", kPng);
  EXPECT_EQ(mislabelled.status, 422);
  EXPECT_EQ(Str(mislabelled.Json().at("error"), "field"), "content_type");
  auto exe_type = upload("application/x-msdownload", "setup.exe", program);
  EXPECT_EQ(exe_type.status, 400);
  EXPECT_EQ(Str(exe_type.Json().at("error"), "field"), "content_type");
  auto oversize = upload("image/png", "big.png", kPng + std::string(10 * 1024 * 1024, '\0'));
  EXPECT_EQ(oversize.status, 413) << oversize.body.substr(0, 300);
  EXPECT_EQ(oversize.ErrorCode(), "orglife.attachment_too_large");
  EXPECT_EQ(Str(oversize.Json().at("error"), "field"), "file");
  auto unnamed = upload("image/png", "", kPng);
  EXPECT_EQ(Str(unnamed.Json().at("error"), "field"), "file_name");

  // Withdrawn with a reason: still listed, still readable, in the trail.
  auto bare = Post(*admin_, path + "/" + Num(photo) + "/withdraw", json::object{});
  EXPECT_EQ(bare.status, 400);
  EXPECT_EQ(Str(bare.Json().at("error"), "field"), "reason");
  auto withdrawn = Post(*admin_, path + "/" + Num(photo) + "/withdraw", {{"reason", "照片模糊"}});
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  EXPECT_TRUE(withdrawn.Json().at("withdrawn").as_bool());
  auto listed = admin_->Get(path).Json().at("items").as_array();
  ASSERT_EQ(listed.size(), 1u) << "only the PNG was accepted";
  EXPECT_TRUE(listed[0].at("withdrawn").as_bool());
  EXPECT_EQ(Str(listed[0], "withdraw_reason"), "照片模糊");
  EXPECT_EQ(admin_->Get(path + "/" + Num(photo)).body, kPng);
  auto record = admin_->Get("/api/v1/meetings/" + Num(id)).Json();
  ASSERT_EQ(record.at("attachments").as_array().size(), 1u);
  auto trail = auditor_->Get("/api/v1/audit?action=orglife.attachment&target=meeting:" + Num(id));
  ASSERT_EQ(trail.status, 200);
  std::multiset<std::string> actions;
  json::value events = trail.Json();
  for (const auto& e : events.at("items").as_array()) actions.insert(Str(e, "action"));
  EXPECT_EQ(actions.count("orglife.attachment_add"), 1u);
  EXPECT_EQ(actions.count("orglife.attachment_withdraw"), 1u);

  // Outside the caller's subtree the record's attachments do not exist.
  EXPECT_EQ(secretary_->Get(path).status, 404);
  EXPECT_EQ(secretary_->Get(path + "/" + Num(photo)).status, 404);
}

}  // namespace
}  // namespace zhibu::apitest
