//! Check-in and leave (spec 04 "Attendance"): the window's arithmetic and its exact edges, then the
//! store on both backends with the time given — a check-in the minute before the window refused,
//! its first and last minute accepted, the minute after refused; once only; only for those with a
//! place in the record (a 流入党员 attached to the branch included); leave closing before the
//! start; the token replaced; every mark audited.

#include "modules/orglife/checkin.h"

#include <gtest/gtest.h>

#include "modules/orglife/meeting_store.h"
#include "modules/orglife/test_registry.h"
#include "platform/audit/audit_trail.h"
#include "platform/settings/settings.h"

namespace zhibu::orglife {
namespace {

TEST(CheckinWindowTest, MinutesMoveAcrossDaysMonthsAndYears) {
  EXPECT_EQ(AddMinutes("2026-06-10T09:00", -20), "2026-06-10T08:40");
  EXPECT_EQ(AddMinutes("2026-06-10T09:00", 20), "2026-06-10T09:20");
  EXPECT_EQ(AddMinutes("2026-01-01T00:10", -20), "2025-12-31T23:50");
  EXPECT_EQ(AddMinutes("2026-02-28T23:50", 20), "2026-03-01T00:10");
  EXPECT_EQ(AddMinutes("2028-02-28T23:50", 20), "2028-02-29T00:10");
  EXPECT_EQ(AddMinutes("2026-06-10T09:00", 0), "2026-06-10T09:00");
  EXPECT_EQ(AddMinutes("2026-06-10T09:00", -1440), "2026-06-09T09:00");
  EXPECT_EQ(MinuteOf("2026-06-10T08:39:59+08:00"), "2026-06-10T08:39");
}

TEST(CheckinWindowTest, BothEdgesAreIncludedToTheMinute) {
  CheckinWindow w = WindowFor("2026-06-10T09:00", 20, 20);
  EXPECT_EQ(w.opens_at, "2026-06-10T08:40");
  EXPECT_EQ(w.closes_at, "2026-06-10T09:20");
  EXPECT_FALSE(w.Contains("2026-06-10T08:39")) << "the minute before opening";
  EXPECT_TRUE(w.Contains("2026-06-10T08:40")) << "the opening minute";
  EXPECT_TRUE(w.Contains("2026-06-10T09:00"));
  EXPECT_TRUE(w.Contains("2026-06-10T09:20")) << "the closing minute";
  EXPECT_FALSE(w.Contains("2026-06-10T09:21")) << "the minute after closing";
  // A window of nothing but the start.
  CheckinWindow tight = WindowFor("2026-06-10T09:00", 0, 0);
  EXPECT_TRUE(tight.Contains("2026-06-10T09:00"));
  EXPECT_FALSE(tight.Contains("2026-06-10T08:59"));
  EXPECT_FALSE(tight.Contains("2026-06-10T09:01"));
}

TEST(CheckinWindowTest, LeaveClosesAtItsMinute) {
  std::string closes = LeaveClosesAt("2026-06-10T09:00", 20);
  EXPECT_EQ(closes, "2026-06-10T08:40");
  EXPECT_TRUE(LeaveOpen(closes, "2026-06-10T08:39"));
  EXPECT_FALSE(LeaveOpen(closes, "2026-06-10T08:40"));
  EXPECT_FALSE(LeaveOpen(closes, "2026-06-10T09:30"));
  EXPECT_TRUE(LeaveOpen(closes, "2026-06-01T20:00")) << "days before";
}

TEST(CheckinWindowTest, TheQrCodeCarriesTheOriginTheBrowserUsed) {
  http::Request r;
  r.headers = {{"host", "zhibu.fl.gov.cn"}, {"x-forwarded-proto", "https"}};
  ASSERT_EQ(RequestOrigin(r).value_or(""), "https://zhibu.fl.gov.cn");
  EXPECT_EQ(CheckinUrl("https://zhibu.fl.gov.cn", "abc_-9"),
            "https://zhibu.fl.gov.cn/m/checkin?t=abc_-9");
  r.headers = {{"host", "127.0.0.1:8080"}};
  EXPECT_EQ(RequestOrigin(r).value_or(""), "http://127.0.0.1:8080");
  for (const char* bad : {"", "evil.example/x?", "a b", "host\"><script>"}) {
    r.headers = {{"host", bad}};
    auto origin = RequestOrigin(r);
    ASSERT_FALSE(origin.has_value()) << bad;
    EXPECT_EQ(origin.error().field, "Host");
  }
}

class CheckinStoreTest : public test::RegistryTest {
 protected:
  void SetUp() override {
    Build("zhibu_orglife_checkin", 4);
    if (IsSkipped() || HasFatalFailure()) return;
    MeetingInput in;
    in.org_id = a_;
    in.kind = "theme_day";
    in.topic = "主题党日";
    in.planned_start = "2026-06-10T09:00";
    in.planned_end = "2026-06-10T11:00";
    auto id = db().Write([&](db::Connection& c) {
      return CreateMeeting(c, org::SubtreeScope::Everything(), change_, in);
    });
    ASSERT_TRUE(id.has_value()) << id.error().message;
    record_ = *id;
    auto token = db().Write([&](db::Connection& c) {
      return IssueCheckinToken(c, org::SubtreeScope::Everything(), change_, record_);
    });
    ASSERT_TRUE(token.has_value()) << token.error().message;
    token_ = *token;
  }

  static SelfCaller Self(std::int64_t member) {
    return {member,
            {member, "member" + std::to_string(member), "party_member", std::nullopt, "local"}};
  }
  Result<boost::json::object> CheckInAt(std::int64_t member, const std::string& time,
                                        const std::string& token = {}) {
    return db().Write([&](db::Connection& c) {
      return CheckIn(c, Self(member), token.empty() ? token_ : token,
                     "2026-06-10T" + time + "+08:00");
    });
  }
  Result<boost::json::object> LeaveAt(std::int64_t member, const std::string& when,
                                      const std::string& reason) {
    return db().Write([&](db::Connection& c) {
      return RequestLeave(c, Self(member), record_, reason, when + "+08:00");
    });
  }
  //! The attendance line of `member`, or null.
  const boost::json::object* Line(const boost::json::object& record, std::int64_t member) {
    for (const auto& item : record.at("attendance").at("items").as_array()) {
      const auto& o = item.as_object();
      if (!o.at("member_id").is_null() && o.at("member_id").as_int64() == member) return &o;
    }
    return nullptr;
  }
  boost::json::object Record() {
    auto got = db().Read(
        [&](db::Connection& c) { return GetMeeting(c, org::SubtreeScope::Everything(), record_); });
    EXPECT_TRUE(got.has_value()) << got.error().message;
    return got.value_or(boost::json::object{});
  }

  std::int64_t record_ = 0;
  std::string token_;
};

TEST_P(CheckinStoreTest, ACheckInCountsOnlyWithinTheWindowBothEdgesIncluded) {
  EXPECT_EQ(token_.size(), 43u) << "32 random bytes, URL-safe base64";
  auto again = db().Write([&](db::Connection& c) {
    return IssueCheckinToken(c, org::SubtreeScope::Everything(), change_, record_);
  });
  EXPECT_EQ(again.value_or(""), token_) << "the same QR code every time it is shown";

  auto early = CheckInAt(full_[0], "08:39:59");
  ASSERT_FALSE(early.has_value());
  EXPECT_EQ(early.error().code, "orglife.checkin_closed");
  EXPECT_EQ(early.error().kind, ErrorKind::kUnprocessable);
  EXPECT_EQ(early.error().field, "token");
  EXPECT_NE(early.error().message.find("尚未开始"), std::string::npos) << early.error().message;

  auto opening = CheckInAt(full_[0], "08:40:00");
  ASSERT_TRUE(opening.has_value()) << opening.error().message;
  EXPECT_EQ(opening->at("checked_in_at").as_string(), "2026-06-10T08:40:00+08:00");
  EXPECT_EQ(opening->at("meeting").at("topic").as_string(), "主题党日");
  auto twice = CheckInAt(full_[0], "08:41:00");
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().code, "orglife.already_checked_in");
  EXPECT_EQ(twice.error().kind, ErrorKind::kConflict);

  auto closing = CheckInAt(full_[1], "09:20:59");
  ASSERT_TRUE(closing.has_value()) << closing.error().message;
  auto late = CheckInAt(full_[2], "09:21:00");
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().code, "orglife.checkin_closed");
  EXPECT_NE(late.error().message.find("已结束"), std::string::npos) << late.error().message;

  auto record = Record();
  EXPECT_EQ(Line(record, full_[0])->at("status").as_string(), "present");
  EXPECT_EQ(Line(record, full_[0])->at("checked_in_at").as_string(), "2026-06-10T08:40:00+08:00");
  EXPECT_EQ(Line(record, full_[1])->at("status").as_string(), "present");
  EXPECT_EQ(Line(record, full_[2])->at("status").as_string(), "absent");
  EXPECT_TRUE(Line(record, full_[2])->at("checked_in_at").is_null());
  EXPECT_EQ(record.at("attendance").at("counts").at("present").as_int64(), 2);

  // The window follows the local settings.
  auto set = db().Write([&](db::Connection& c) {
    return settings::SetInteger(c, change_.actor, 0, kCheckinAfterSetting, 30);
  });
  ASSERT_TRUE(set.has_value()) << set.error().message;
  EXPECT_TRUE(CheckInAt(full_[2], "09:30:00").has_value());
  EXPECT_EQ(CheckInAt(full_[3], "09:31:00").error().code, "orglife.checkin_closed");

  // Each check-in is in the trail with the member and the time.
  auto trail = audit::List(db(), {.page = 1,
                                  .size = 50,
                                  .action_prefix = "orglife.checkin",
                                  .actor = "",
                                  .target = "meeting:" + std::to_string(record_),
                                  .result = "",
                                  .from = "",
                                  .to = ""});
  ASSERT_TRUE(trail.has_value());
  int checkins = 0, tokens = 0;
  for (const auto& e : trail->events) {
    if (e.action == "orglife.checkin") {
      ++checkins;
      EXPECT_NE(e.detail.find("checked_in_at"), std::string::npos) << e.detail;
    }
    if (e.action == "orglife.checkin_token") {
      ++tokens;
      EXPECT_EQ(e.detail.find(token_), std::string::npos) << "the token stays out of the trail";
    }
  }
  EXPECT_EQ(checkins, 3);
  EXPECT_EQ(tokens, 1);
}

TEST_P(CheckinStoreTest, OnlyThoseWithAPlaceInTheRecordCheckInAndAttachedMembersCount) {
  auto outsider = CheckInAt(outsider_, "09:00:00");
  ASSERT_FALSE(outsider.has_value());
  EXPECT_EQ(outsider.error().code, "orglife.not_expected");
  EXPECT_EQ(outsider.error().kind, ErrorKind::kUnprocessable);
  EXPECT_NE(outsider.error().rule.find("第三十二条"), std::string::npos);

  // B's member away and attached to A (双重组织生活) checks in at A: present there, as attached.
  auto mobile = CheckInAt(mobile_, "09:00:00");
  ASSERT_TRUE(mobile.has_value()) << mobile.error().message;
  EXPECT_EQ(mobile->at("role").as_string(), "attached");
  auto record = Record();
  ASSERT_NE(Line(record, mobile_), nullptr);
  EXPECT_EQ(Line(record, mobile_)->at("role").as_string(), "attached");
  EXPECT_EQ(Line(record, mobile_)->at("status").as_string(), "present");
  EXPECT_EQ(record.at("attendance").at("counts").at("others_present").as_int64(), 1);

  auto unknown = CheckInAt(full_[0], "09:00:00", "no-such-token");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().kind, ErrorKind::kNotFound);
  auto empty = db().Write([&](db::Connection& c) {
    return CheckIn(c, Self(full_[0]), "", "2026-06-10T09:00:00+08:00");
  });
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().field, "token");

  // The phone page: what the token opens and where the caller stands.
  auto preview = db().Read([&](db::Connection& c) {
    return PreviewCheckin(c, mobile_, token_, "2026-06-10T09:05:00+08:00");
  });
  ASSERT_TRUE(preview.has_value()) << preview.error().message;
  EXPECT_TRUE(preview->at("expected").as_bool());
  EXPECT_TRUE(preview->at("checked_in").as_bool());
  EXPECT_TRUE(preview->at("open").as_bool());
  auto stranger = db().Read([&](db::Connection& c) {
    return PreviewCheckin(c, outsider_, token_, "2026-06-10T10:05:00+08:00");
  });
  ASSERT_TRUE(stranger.has_value());
  EXPECT_FALSE(stranger->at("expected").as_bool());
  EXPECT_FALSE(stranger->at("open").as_bool());

  // A withdrawn record takes no more check-ins.
  org::Change withdraw = change_;
  withdraw.reason = "重复录入";
  ASSERT_TRUE(db().Write([&](db::Connection& c) {
                    return WithdrawMeeting(c, org::SubtreeScope::Everything(), withdraw, record_);
                  })
                  .has_value());
  auto closed = CheckInAt(full_[0], "09:00:00");
  ASSERT_FALSE(closed.has_value());
  EXPECT_EQ(closed.error().code, "orglife.checkin_closed");
}

TEST_P(CheckinStoreTest, LeaveClosesBeforeTheStartAndACheckInReplacesIt) {
  auto bare = LeaveAt(full_[0], "2026-06-10T08:00:00", "");
  ASSERT_FALSE(bare.has_value());
  EXPECT_EQ(bare.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(bare.error().field, "reason");

  auto in_time = LeaveAt(full_[0], "2026-06-10T08:39:59", "外出务工");
  ASSERT_TRUE(in_time.has_value()) << in_time.error().message;
  EXPECT_EQ(in_time->at("leave_closes_at").as_string(), "2026-06-10T08:40");
  auto too_late = LeaveAt(full_[1], "2026-06-10T08:40:00", "临时有事");
  ASSERT_FALSE(too_late.has_value());
  EXPECT_EQ(too_late.error().code, "orglife.leave_closed");
  EXPECT_EQ(too_late.error().kind, ErrorKind::kUnprocessable);
  EXPECT_NE(too_late.error().rule.find("第九条"), std::string::npos);
  auto days_before = LeaveAt(full_[2], "2026-06-01T20:00:00", "住院治疗");
  ASSERT_TRUE(days_before.has_value()) << days_before.error().message;

  auto record = Record();
  EXPECT_EQ(Line(record, full_[0])->at("status").as_string(), "leave");
  EXPECT_EQ(Line(record, full_[0])->at("leave_reason").as_string(), "外出务工");
  EXPECT_EQ(Line(record, full_[1])->at("status").as_string(), "absent");
  EXPECT_EQ(record.at("attendance").at("counts").at("leave").as_int64(), 2);

  // A record the member has no place in is not theirs: not found.
  auto stranger = LeaveAt(outsider_, "2026-06-09T08:00:00", "外出");
  ASSERT_FALSE(stranger.has_value());
  EXPECT_EQ(stranger.error().kind, ErrorKind::kNotFound);

  // Came after all: the check-in replaces the leave; leave after a check-in is refused.
  ASSERT_TRUE(CheckInAt(full_[0], "08:50:00").has_value());
  EXPECT_EQ(Line(Record(), full_[0])->at("status").as_string(), "present");
  EXPECT_EQ(Line(Record(), full_[0])->at("leave_reason").as_string(), "");
  auto after = LeaveAt(full_[0], "2026-06-10T08:00:00", "再请假");
  ASSERT_FALSE(after.has_value());
  EXPECT_EQ(after.error().code, "orglife.already_checked_in");

  auto trail = audit::List(db(), {.page = 1,
                                  .size = 50,
                                  .action_prefix = "orglife.leave_request",
                                  .actor = "",
                                  .target = "meeting:" + std::to_string(record_),
                                  .result = "",
                                  .from = "",
                                  .to = ""});
  ASSERT_TRUE(trail.has_value());
  EXPECT_EQ(trail->total, 2);
}

TEST_P(CheckinStoreTest, TheConsoleSeesTheWindowAndAReplacedTokenStopsWorking) {
  auto overview = db().Write([&](db::Connection& c) {
    return CheckinOverview(c, org::SubtreeScope::Everything(), change_, record_,
                           "https://zhibu.example", "2026-06-10T08:45:00+08:00");
  });
  ASSERT_TRUE(overview.has_value()) << overview.error().message;
  EXPECT_EQ(overview->at("token_url").as_string(), "https://zhibu.example/m/checkin?t=" + token_);
  EXPECT_EQ(overview->at("opens_at").as_string(), "2026-06-10T08:40");
  EXPECT_EQ(overview->at("closes_at").as_string(), "2026-06-10T09:20");
  EXPECT_TRUE(overview->at("open").as_bool());
  EXPECT_EQ(overview->at("checked_in").as_int64(), 0);

  // Outside the caller's subtree the record does not exist.
  std::string b_path =
      db().Read([&](db::Connection& c) -> Result<std::string> { return Path(c, b_); }).value();
  auto foreign = db().Write([&](db::Connection& c) {
    return IssueCheckinToken(c, org::SubtreeScope::Of({b_path}), change_, record_);
  });
  ASSERT_FALSE(foreign.has_value());
  EXPECT_EQ(foreign.error().kind, ErrorKind::kNotFound);

  auto rotated = db().Write([&](db::Connection& c) {
    return RotateCheckinToken(c, org::SubtreeScope::Everything(), change_, record_);
  });
  ASSERT_TRUE(rotated.has_value()) << rotated.error().message;
  EXPECT_NE(*rotated, token_);
  EXPECT_EQ(CheckInAt(full_[0], "09:00:00").error().kind, ErrorKind::kNotFound);
  EXPECT_TRUE(CheckInAt(full_[0], "09:00:00", *rotated).has_value());
  auto after = db().Write([&](db::Connection& c) {
    return CheckinOverview(c, org::SubtreeScope::Everything(), change_, record_, "http://h",
                           "2026-06-10T09:21:00+08:00");
  });
  ASSERT_TRUE(after.has_value());
  EXPECT_FALSE(after->at("open").as_bool());
  EXPECT_EQ(after->at("checked_in").as_int64(), 1);
  EXPECT_EQ(after->at("present").as_int64(), 1);
}

TEST_P(CheckinStoreTest, AMemberSeesTheRecordsWhereTheyHaveAPlace) {
  auto mine = [&](std::int64_t member, const std::string& now) {
    auto listed = db().Read([&](db::Connection& c) { return MyMeetings(c, member, now); });
    EXPECT_TRUE(listed.has_value()) << listed.error().message;
    return listed.value_or(boost::json::object{{"items", boost::json::array{}}})
        .at("items")
        .as_array();
  };
  auto before = mine(full_[0], "2026-06-10T08:00:00+08:00");
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].at("meeting").at("id").as_int64(), record_);
  EXPECT_EQ(before[0].at("role").as_string(), "expected");
  EXPECT_FALSE(before[0].at("open").as_bool());
  EXPECT_TRUE(before[0].at("leave_open").as_bool());
  // B's member attached to A sees A's record; B's other member sees nothing.
  auto mobile = mine(mobile_, "2026-06-10T08:45:00+08:00");
  ASSERT_EQ(mobile.size(), 1u);
  EXPECT_EQ(mobile[0].at("role").as_string(), "attached");
  EXPECT_TRUE(mobile[0].at("open").as_bool());
  EXPECT_FALSE(mobile[0].at("leave_open").as_bool());
  EXPECT_TRUE(mine(outsider_, "2026-06-10T08:45:00+08:00").empty());
  // Checked in: nothing more to do there; two days later the record is no longer listed.
  ASSERT_TRUE(CheckInAt(full_[0], "08:45:00").has_value());
  auto done = mine(full_[0], "2026-06-10T08:46:00+08:00");
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].at("status").as_string(), "present");
  EXPECT_FALSE(done[0].at("open").as_bool());
  EXPECT_TRUE(mine(full_[0], "2026-06-12T08:00:00+08:00").empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, CheckinStoreTest,
                         ::testing::Values(test::Backend::kSqlite, test::Backend::kPostgres),
                         [](const auto& info) {
                           return info.param == test::Backend::kSqlite ? "sqlite" : "postgres";
                         });

}  // namespace
}  // namespace zhibu::orglife
