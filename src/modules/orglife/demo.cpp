#include "modules/orglife/demo.h"

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <array>
#include <chrono>
#include <iostream>
#include <map>

#include "modules/orglife/rules.h"
#include "platform/audit/audit_trail.h"
#include "platform/settings/settings.h"
#include "platform/util/clock.h"
#include "platform/util/date.h"

namespace zhibu::orglife {
namespace {

//! The kinds the demo records, with their usual hours and topics. `stage` tells the attendance
//! queries apart two demo records of one kind (the two rounds of 谈心谈话).
struct DemoKind {
  std::string_view id;
  std::string_view start;
  std::string_view end;
  std::array<std::string_view, 4> topics;
  std::string_view stage = id;
};
enum : std::uint8_t {
  kTheme,
  kCommittee,
  kGroup,
  kGeneral,
  kLecture,
  kOrgLife,
  kAppraisal,
  kCommitteeTalk,
  kMemberTalk
};
constexpr std::array<DemoKind, 9> kDemoKinds = {{
    {"theme_day",
     "09:00",
     "11:30",
     {"集中学习习近平新时代中国特色社会主义思想", "重温入党誓词，开展志愿服务",
      "观看警示教育片，学习党章党规", "民主议事：村（社区）重点工作"}},
    {"committee_meeting",
     "15:00",
     "16:30",
     {"研究本月党建工作安排", "讨论发展党员和入党积极分子培养", "研究党费收缴和困难党员帮扶",
      "研究主题党日和党课安排"}},
    {"group_meeting",
     "19:00",
     "20:00",
     {"党小组学习讨论", "党小组成员交流思想和工作", "传达支部工作安排", "开展谈心交流"}},
    {"branch_general_meeting",
     "09:00",
     "11:00",
     {"通报支部工作，讨论决定重要事项", "学习贯彻党的二十届三中全会精神", "讨论本季度重点工作",
      "听取和讨论支部委员会工作报告"}},
    {"party_lecture",
     "14:30",
     "16:00",
     {"书记讲党课：坚定理想信念", "专题党课：全面从严治党", "党课：发扬党的优良传统",
      "党课：基层党建工作实务"}},
    {"org_life_meeting",
     "14:30",
     "17:00",
     {"年度组织生活会：开展批评和自我批评", "年度组织生活会", "年度组织生活会", "年度组织生活会"}},
    {"member_appraisal",
     "09:00",
     "11:30",
     {"年度民主评议党员", "年度民主评议党员", "年度民主评议党员", "年度民主评议党员"}},
    // 谈心谈话 (支部工作条例 第十九条): the 支委 among themselves, then each member with a 支委.
    {"heart_to_heart",
     "14:30",
     "16:30",
     {"支委班子成员相互谈心谈话", "支委班子成员相互谈心谈话", "支委班子成员相互谈心谈话",
      "支委班子成员相互谈心谈话"},
     "heart_to_heart:committee"},
    {"heart_to_heart",
     "14:30",
     "17:30",
     {"支部委员与党员谈心谈话", "支部委员与党员谈心谈话", "支部委员与党员谈心谈话",
      "支部委员与党员谈心谈话"},
     "heart_to_heart:members"},
}};

enum : std::uint8_t { kDraft, kSubmitted, kReturned, kAccepted, kArchived };
constexpr std::array<std::string_view, 5> kStatusIds = {"draft", "submitted", "returned",
                                                        "accepted", "archived"};

//! One record to generate.
struct Plan {
  std::int64_t org_id = 0;
  std::uint8_t kind = 0;
  std::uint8_t topic = 0;
  std::uint8_t status = 0;
  std::string held_on;
  //! expected, present, leave, absent, voting expected, voting present (from the attendance).
  std::array<std::int64_t, 6> counts{};
};

//! An organisation that holds records, with its host and recorder.
struct Holder {
  std::int64_t id = 0;
  bool group = false;
  std::optional<std::string> committee_since;
  std::string host = "党支部书记";
  std::string recorder = "组织委员";
};

constexpr std::string_view kHolders =
    "SELECT o.id, o.kind FROM organisation o WHERE o.status = 'active' AND o.kind IN ('branch', "
    "'joint_branch', 'temporary_branch') AND EXISTS (SELECT 1 FROM member m WHERE m.org_id = o.id "
    "AND m.status IN ('full', 'probationary') AND m.departed_on IS NULL) UNION ALL SELECT o.id, "
    "o.kind FROM organisation o WHERE o.status = 'active' AND o.kind = 'group' AND EXISTS (SELECT "
    "1 FROM member m WHERE m.group_id = o.id AND m.status IN ('full', 'probationary') AND "
    "m.departed_on IS NULL)";
constexpr std::string_view kCommittees =
    "SELECT c.org_id, c.elected_on, p.position, p.member_name FROM committee c JOIN "
    "committee_position p ON p.committee_id = c.id WHERE c.is_current = 1 ORDER BY c.org_id, p.id";
//! The members as the attendance needs them, narrow: from which day each never comes
//! (hardship-exempt members, one in 97, members out of contact), is away (on leave) and is a full
//! member. Filled once, joined to every record.
constexpr std::string_view kCreateDemoMembers =
    "CREATE TEMP TABLE orglife_demo_member (id {id} PRIMARY KEY, name TEXT NOT NULL, hardship "
    "INTEGER NOT NULL, gone TEXT NOT NULL, away TEXT NOT NULL, confirmed TEXT NOT NULL)";
constexpr std::string_view kFillDemoMembers =
    "INSERT INTO orglife_demo_member (id, name, hardship, gone, away, confirmed) SELECT id, name, "
    "hardship, CASE WHEN hardship = 1 OR id % 97 = 0 THEN '0000' ELSE COALESCE(lost_contact_since, "
    "'9999') END, COALESCE(away_since, '9999'), COALESCE(confirmed_on, '9999') FROM member";
//! Who takes part: of the members who come, about 5% are on leave and 5% absent, by a roll of the
//! record and the member.
constexpr std::string_view kMemberStatus =
    "CASE WHEN m.gone <= r.held_on THEN 'absent' WHEN m.away <= r.held_on THEN 'leave' ELSE CASE "
    "(r.id * 7 + m.id * 13) % 20 WHEN 0 THEN 'leave' WHEN 1 THEN 'absent' ELSE 'present' END END, "
    "CASE WHEN m.gone <= r.held_on THEN '' WHEN m.away <= r.held_on THEN '外出流动' WHEN (r.id * 7 "
    "+ m.id * 13) % 20 = 0 THEN '因公出差' ELSE '' END, CASE WHEN s.status = 'full' AND "
    "m.confirmed <= r.held_on THEN 1 ELSE 0 END, CASE WHEN s.status = 'full' AND m.confirmed <= "
    "r.held_on THEN '' ELSE 'probationary' END, m.hardship, CASE WHEN r.counted = 1 THEN r.held_on "
    "END";
constexpr std::string_view kAttendanceColumns =
    "INSERT INTO meeting_attendance (record_id, role, member_id, name, status, leave_reason, "
    "voting, no_vote_reason, hardship, counted_on) ";
constexpr std::string_view kBranchAttendance =
    " FROM orglife_demo_record r JOIN member_span s ON s.org_id = r.org_id AND s.valid_from <= "
    "r.held_on AND (s.valid_to IS NULL OR s.valid_to > r.held_on) JOIN orglife_demo_member m ON "
    "m.id = s.member_id WHERE r.id >= $1 AND r.id <= $2 AND r.kind IN ('branch_general_meeting', "
    "'party_lecture', 'theme_day', 'org_life_meeting', 'member_appraisal')";
constexpr std::string_view kGroupAttendance =
    " FROM orglife_demo_record r JOIN organisation g ON g.id = r.org_id JOIN member gm ON "
    "gm.group_id = "
    "g.id JOIN orglife_demo_member m ON m.id = gm.id JOIN member_span s ON s.member_id = m.id AND "
    "s.org_id = g.parent_id AND s.valid_from <= r.held_on AND (s.valid_to IS NULL OR s.valid_to > "
    "r.held_on) WHERE r.id >= $1 AND r.id <= $2 AND r.kind = 'group_meeting'";
//! The secondary indexes of the records and the attendance, dropped while the empty tables are
//! filled and built once afterwards.
constexpr std::string_view kSqliteIndexes =
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('meeting_record', "
    "'meeting_attendance') AND sql IS NOT NULL";
constexpr std::string_view kPostgresIndexes =
    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('meeting_record', "
    "'meeting_attendance') AND indexname NOT LIKE '%_pkey'";
//! The committee current on the day; one member in five records is on leave (a quorum remains).
constexpr std::string_view kCommitteeAttendance =
    "INSERT INTO meeting_attendance (record_id, role, member_id, name, position, status, "
    "leave_reason, voting, no_vote_reason, hardship, counted_on) SELECT r.id, 'expected', "
    "p.member_id, p.member_name, p.position, CASE WHEN r.id % 5 = 0 AND p.position = 'publicity' "
    "THEN 'leave' ELSE 'present' END, CASE WHEN r.id % 5 = 0 AND p.position = 'publicity' THEN "
    "'因公出差' ELSE '' END, 1, '', 0, CASE WHEN r.counted = 1 THEN r.held_on END FROM "
    "orglife_demo_record r JOIN committee c ON c.org_id = r.org_id AND c.is_current = 1 AND "
    "c.elected_on <= r.held_on JOIN committee_position p ON p.committee_id = c.id WHERE r.id >= $1 "
    "AND r.id <= $2 AND r.kind = 'committee_meeting'";
//! 谈心谈话 of the committee: every 支委 of the committee current on the day takes part.
constexpr std::string_view kCommitteeTalkAttendance =
    "INSERT INTO meeting_attendance (record_id, role, member_id, name, position, status, "
    "leave_reason, voting, no_vote_reason, hardship, counted_on) SELECT r.id, 'participant', "
    "p.member_id, p.member_name, p.position, 'present', '', 0, '', 0, CASE WHEN r.counted = 1 THEN "
    "r.held_on END FROM orglife_demo_record r JOIN committee c ON c.org_id = r.org_id AND "
    "c.is_current = 1 AND c.elected_on <= r.held_on JOIN committee_position p ON p.committee_id = "
    "c.id WHERE r.id >= $1 AND r.id <= $2 AND r.kind = 'heart_to_heart:committee' AND "
    "p.member_id IS NOT NULL";
//! 谈心谈话 of the members with the 支委: the committee and every member of the branch on the day
//! take part — those away (流动党员) by telephone or video, the hardship-exempt and those who never
//! come to meetings visited at home; not those out of contact, the gaps the rule shows.
constexpr std::string_view kMemberTalkAttendance =
    "INSERT INTO meeting_attendance (record_id, role, member_id, name, status, leave_reason, "
    "voting, no_vote_reason, hardship, counted_on) SELECT r.id, 'participant', m.id, m.name, "
    "'present', '', 0, '', 0, CASE WHEN r.counted = 1 THEN r.held_on END FROM orglife_demo_record "
    "r JOIN member_span s ON s.org_id = r.org_id AND s.valid_from <= r.held_on AND (s.valid_to IS "
    "NULL OR s.valid_to > r.held_on) JOIN orglife_demo_member m ON m.id = s.member_id WHERE r.id "
    ">= "
    "$1 AND r.id <= $2 AND r.kind = 'heart_to_heart:members' AND (m.gone = '0000' OR m.gone > "
    "r.held_on)";
//! The counts kept with each record (as CountAttendance computes them), read back from the
//! attendance before the records are written.
constexpr std::string_view kCounts =
    "SELECT record_id, SUM(CASE WHEN hardship = 0 OR status = 'present' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN status = 'present' THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'leave' AND "
    "hardship = 0 THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'absent' AND hardship = 0 THEN 1 ELSE "
    "0 END), SUM(CASE WHEN voting = 1 AND (hardship = 0 OR status = 'present') THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN voting = 1 AND status = 'present' THEN 1 ELSE 0 END) FROM meeting_attendance "
    "WHERE record_id >= $1 AND record_id <= $2 AND role = 'expected' GROUP BY record_id";
//! The records' keys, staged so that the attendance can be joined to them before the records are
//! written with their counts.
constexpr std::string_view kCreateStaging =
    "CREATE TEMP TABLE orglife_demo_record (id {id} PRIMARY KEY, org_id BIGINT NOT NULL, kind TEXT "
    "NOT NULL, held_on TEXT NOT NULL, counted INTEGER NOT NULL)";
constexpr std::string_view kReviews =
    "INSERT INTO meeting_review (record_id, decision, reviewer_name, reviewed_at) SELECT id, CASE "
    "WHEN status = 'returned' THEN 'returned' ELSE 'accepted' END, '上级党委（演示）', reviewed_at "
    "FROM meeting_record WHERE id >= $1 AND id <= $2 AND status IN ('returned', 'accepted', "
    "'archived')";
//! The problems the reviews found, named by the items of the review checklist in use (review.h):
//! one for each returned record and for one accepted record in 29 (a minor problem), the item by a
//! roll of the record ($3: how many items are in use).
constexpr std::string_view kProblems =
    "INSERT INTO meeting_review_problem (review_id, record_id, org_id, item_id, note, found_on) "
    "SELECT v.id, r.id, r.org_id, i.id, CASE WHEN v.decision = 'returned' THEN "
    "'请按审核意见整改后重新提交' ELSE '' END, substr(v.reviewed_at, 1, 10) FROM meeting_review v "
    "JOIN meeting_record r ON r.id = v.record_id JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY "
    "class_id, seq, id) - 1 AS n FROM review_checklist_item WHERE retired_at IS NULL) i ON i.n = "
    "(r.id * 7 + r.org_id) % $3 WHERE r.id >= $1 AND r.id <= $2 AND (v.decision = 'returned' OR "
    "r.id % 29 = 0)";
//! Without a checklist in use, a returned record's problem is a free-text reason.
constexpr std::string_view kFreeTextProblems =
    "INSERT INTO meeting_review_problem (review_id, record_id, org_id, note, found_on) SELECT "
    "v.id, r.id, r.org_id, '会议记录过于简略，未写明讨论和表决情况', substr(v.reviewed_at, 1, 10) "
    "FROM meeting_review v JOIN meeting_record r ON r.id = v.record_id WHERE r.id >= $1 AND r.id "
    "<= $2 AND v.decision = 'returned'";

const std::vector<std::string> kRecordColumns = {"id",
                                                 "org_id",
                                                 "kind",
                                                 "topic",
                                                 "planned_start",
                                                 "planned_end",
                                                 "actual_start",
                                                 "actual_end",
                                                 "held_on",
                                                 "place",
                                                 "host_name",
                                                 "recorder_name",
                                                 "agenda",
                                                 "minutes",
                                                 "status",
                                                 "counted",
                                                 "created_at",
                                                 "updated_at",
                                                 "submitted_at",
                                                 "reviewed_at",
                                                 "archived_at",
                                                 "expected_count",
                                                 "present_count",
                                                 "leave_count",
                                                 "absent_count",
                                                 "voting_expected",
                                                 "voting_present"};

//! The records as rows for BulkInsert, built one at a time.
class PlanRows final : public db::RowSource {
 public:
  PlanRows(const std::vector<Plan>& plans, const std::map<std::int64_t, Holder>& holders,
           std::int64_t first_id, std::string now)
      : plans_(plans), holders_(holders), next_id_(first_id), now_(std::move(now)) {}

  bool Next(std::vector<db::Value>& row) override {
    if (at_ == plans_.size()) return false;
    const Plan& p = plans_[at_++];
    const DemoKind& kind = kDemoKinds[p.kind];
    const Holder& h = holders_.at(p.org_id);
    std::string start = p.held_on + "T" + std::string(kind.start);
    std::string end = p.held_on + "T" + std::string(kind.end);
    std::string done = p.held_on + "T18:00:00+08:00";
    bool reviewed = p.status >= kReturned;
    row = {next_id_++,
           p.org_id,
           std::string(kind.id),
           std::string(kind.topics[p.topic % kind.topics.size()]),
           start,
           end,
           start,
           end,
           p.held_on,
           std::string(p.kind == kGroup || p.kind >= kCommitteeTalk ? "党员活动室"
                                                                    : "党群服务中心会议室"),
           h.host,
           h.recorder,
           std::string("一、学习传达；二、讨论；三、工作安排"),
           std::string("会议由") + h.host + "主持，传达学习了有关精神，结合实际进行了讨论，" +
               "对下一阶段工作作出安排。",
           std::string(kStatusIds[p.status]),
           static_cast<std::int64_t>(p.status == kDraft ? 0 : 1),
           now_,
           now_,
           p.status == kDraft ? db::Value(nullptr) : db::Value(done),
           reviewed ? db::Value(done) : db::Value(nullptr),
           p.status == kArchived ? db::Value(done) : db::Value(nullptr),
           p.counts[0],
           p.counts[1],
           p.counts[2],
           p.counts[3],
           p.counts[4],
           p.counts[5]};
    return true;
  }

 private:
  const std::vector<Plan>& plans_;
  const std::map<std::int64_t, Holder>& holders_;
  std::size_t at_ = 0;
  std::int64_t next_id_;
  std::string now_;
};

//! The records' keys for the staging table.
class KeyRows final : public db::RowSource {
 public:
  KeyRows(const std::vector<Plan>& plans, std::int64_t first_id)
      : plans_(plans), first_id_(first_id) {}
  bool Next(std::vector<db::Value>& row) override {
    if (at_ == plans_.size()) return false;
    const Plan& p = plans_[at_];
    row = {first_id_ + static_cast<std::int64_t>(at_), p.org_id,
           std::string(kDemoKinds[p.kind].stage), p.held_on,
           static_cast<std::int64_t>(p.status == kDraft ? 0 : 1)};
    ++at_;
    return true;
  }

 private:
  const std::vector<Plan>& plans_;
  std::int64_t first_id_;
  std::size_t at_ = 0;
};

std::string DayOf(int year, unsigned month, unsigned day) {
  return FormatIsoDate(std::chrono::year(year) / std::chrono::month(month) / std::chrono::day(day));
}

}  // namespace

Result<DemoReport> GenerateDemo(db::Database& database, const std::string& today) {
  return database.Write([&](db::Connection& c) -> Result<DemoReport> {
    auto existing = c.Query("SELECT COUNT(*) FROM meeting_record");
    if (!existing) return Fail(existing.error());
    if (existing->Int(0, 0) > 0) {
      return Fail(Error::Conflict("orglife.demo_not_empty",
                                  "数据库中已有组织生活记录，演示记录只能生成一次"));
    }
    auto theme_day = settings::Integer(c, kThemeDaySetting);
    if (!theme_day) return Fail(theme_day.error());
    auto holders_rows = c.Query(kHolders);
    if (!holders_rows) return Fail(holders_rows.error());
    std::map<std::int64_t, Holder> holders;
    for (std::size_t i = 0; i < holders_rows->size(); ++i) {
      Holder h;
      h.id = holders_rows->Int(i, 0);
      h.group = holders_rows->Text(i, 1) == "group";
      if (h.group) {
        h.host = "党小组组长";
        h.recorder = "党小组成员";
      }
      holders[h.id] = std::move(h);
    }
    auto committees = c.Query(kCommittees);
    if (!committees) return Fail(committees.error());
    for (std::size_t i = 0; i < committees->size(); ++i) {
      auto h = holders.find(committees->Int(i, 0));
      if (h == holders.end()) continue;
      h->second.committee_since = committees->Text(i, 1);
      std::string position = committees->Text(i, 2);
      if (position == "secretary") h->second.host = committees->Text(i, 3);
      if (position == "organisation") h->second.recorder = committees->Text(i, 3);
    }

    // Twelve months up to today's; the previous month's records are reviewed, older ones archived.
    auto now_day = *ParseIsoDate(today);
    const std::string this_month = today.substr(0, 7);
    const Cycle previous_month = CycleOf(
        FormatIsoDate(std::chrono::year_month_day(
            std::chrono::sys_days(*ParseIsoDate(this_month + "-01")) - std::chrono::days(1))),
        1);
    const Cycle previous_quarter =
        CycleOf(FormatIsoDate(std::chrono::year_month_day(
                    std::chrono::sys_days(*ParseIsoDate(CycleOf(today, 3).first_day)) -
                    std::chrono::days(1))),
                3);
    std::vector<Plan> plans;
    for (int back = 11; back >= 0; --back) {
      auto first = AddMonths(
          std::chrono::year_month_day(now_day.year(), now_day.month(), std::chrono::day(1)), -back);
      int year = static_cast<int>(first.year());
      unsigned month = static_cast<unsigned>(first.month());
      std::string month_id = FormatIsoDate(first).substr(0, 7);
      bool last_month = month_id == previous_month.id;
      auto status_of = [&](std::int64_t org, const std::string& day) -> std::uint8_t {
        if (day.substr(0, 7) == this_month) return org % 11 == 4 ? kDraft : kSubmitted;
        if (last_month) return org % 41 == 6 ? kReturned : kAccepted;
        return kArchived;
      };
      for (const auto& [id, h] : holders) {
        auto add = [&](std::uint8_t kind, unsigned day) {
          std::string held = DayOf(year, month, day);
          if (held > today) return;
          plans.push_back(
              {id, kind, static_cast<std::uint8_t>((month + id) % 4), status_of(id, held), held});
        };
        bool in_previous_quarter = month_id + "-01" >= previous_quarter.first_day &&
                                   month_id + "-01" <= previous_quarter.last_day;
        if (h.group) {
          // Deliberate gap: one group in 13 held no meeting last month.
          if (!(last_month && id % 13 == 1)) add(kGroup, 15);
          continue;
        }
        if (!(last_month && id % 23 == 5)) add(kTheme, static_cast<unsigned>(*theme_day));
        if (h.committee_since && *h.committee_since <= DayOf(year, month, 1) &&
            !((last_month || month_id == this_month) && id % 17 == 3)) {
          add(kCommittee, 5);
        }
        if (month % 3 == 2 && !(in_previous_quarter && id % 29 == 7)) add(kGeneral, 20);
        if (month % 3 == 1 && !(in_previous_quarter && id % 37 == 9)) {
          add(kLecture, static_cast<unsigned>(*theme_day));
        }
        if (month == 12 && id % 19 != 2) {
          add(kOrgLife, 20);
          add(kAppraisal, 22);
        }
        // 谈心谈话 where there is a committee: the 支委 in June, the members in September.
        // Deliberate gaps: one branch in 11 without the first, one in 7 without the second.
        if (month == 6 && h.committee_since && *h.committee_since <= DayOf(year, month, 10) &&
            id % 11 != 5) {
          add(kCommitteeTalk, 10);
        }
        if (month == 9 && h.committee_since && *h.committee_since <= DayOf(year, month, 18) &&
            id % 7 != 3) {
          add(kMemberTalk, 18);
        }
      }
    }

    using Clock = std::chrono::steady_clock;
    auto mark = Clock::now();
    std::string timings;
    auto lap = [&](std::string_view what) {
      auto now = Clock::now();
      timings += std::string(timings.empty() ? "" : ", ") + std::string(what) + " " +
                 std::to_string(
                     std::chrono::duration_cast<std::chrono::milliseconds>(now - mark).count()) +
                 " ms";
      mark = now;
    };
    lap("plan");
    auto last = c.Query("SELECT COALESCE(MAX(id), 0) FROM meeting_record");
    if (!last) return Fail(last.error());
    const std::int64_t first_id = last->Int(0, 0) + 1;
    const std::int64_t last_id = first_id + static_cast<std::int64_t>(plans.size()) - 1;
    DemoReport report;
    if (plans.empty()) return report;
    const bool sqlite = c.backend() == db::Backend::kSqlite;
    if (sqlite) {
      auto cache = c.Execute("PRAGMA cache_size = -262144");
      if (!cache) return Fail(cache.error());
    }
    // Into the empty tables the rows go faster without their indexes, built once afterwards.
    std::vector<std::pair<std::string, std::string>> indexes;
    auto listed = c.Query(sqlite ? kSqliteIndexes : kPostgresIndexes);
    if (!listed) return Fail(listed.error());
    for (std::size_t i = 0; i < listed->size(); ++i) {
      indexes.emplace_back(listed->Text(i, 0), listed->Text(i, 1));
      auto dropped = c.ExecuteScript("DROP INDEX " + indexes.back().first);
      if (!dropped) return Fail(dropped.error());
    }
    // PostgreSQL plans the joins below by its statistics: without them, freshly loaded tables look
    // empty and the joins become nested loops over the whole registry.
    auto analyze = [&](std::string_view table) -> Result<void> {
      if (sqlite) return {};
      return c.ExecuteScript("ANALYZE " + std::string(table));
    };
    // The records' keys and the members, staged; the attendance joined to them.
    for (std::string_view sql : {kCreateStaging, kCreateDemoMembers}) {
      std::string create(sql);
      create.replace(create.find("{id}"), 4, sqlite ? "INTEGER" : "BIGINT");
      auto created = c.ExecuteScript(create);
      if (!created) return Fail(created.error());
    }
    KeyRows keys(plans, first_id);
    const std::vector<std::string> key_columns = {"id", "org_id", "kind", "held_on", "counted"};
    auto staged = c.BulkInsert("orglife_demo_record", key_columns, keys);
    if (!staged) return Fail(staged.error());
    auto filled = c.Execute(kFillDemoMembers);
    if (!filled) return Fail(filled.error());
    for (std::string_view table : {"orglife_demo_record", "orglife_demo_member"}) {
      if (auto done = analyze(table); !done) return Fail(done.error());
    }
    lap("staging");
    for (std::string sql :
         {std::string(kAttendanceColumns) + "SELECT r.id, 'expected', m.id, m.name, " +
              std::string(kMemberStatus) + std::string(kBranchAttendance),
          std::string(kAttendanceColumns) + "SELECT r.id, 'expected', m.id, m.name, " +
              std::string(kMemberStatus) + std::string(kGroupAttendance),
          std::string(kCommitteeAttendance), std::string(kCommitteeTalkAttendance),
          std::string(kMemberTalkAttendance)}) {
      auto added = c.Execute(sql, {first_id, last_id});
      if (!added) return Fail(added.error());
      report.attendance += *added;
      lap("attendance");
    }
    auto dropped =
        c.ExecuteScript("DROP TABLE orglife_demo_member; DROP TABLE orglife_demo_record");
    if (!dropped) return Fail(dropped.error());
    // The records, written once with their counts.
    auto counts = c.Query(kCounts, {first_id, last_id});
    if (!counts) return Fail(counts.error());
    for (std::size_t i = 0; i < counts->size(); ++i) {
      Plan& p = plans[static_cast<std::size_t>(counts->Int(i, 0) - first_id)];
      for (std::size_t k = 0; k < p.counts.size(); ++k) p.counts[k] = counts->Int(i, k + 1);
    }
    lap("counts");
    PlanRows rows(plans, holders, first_id, NowShanghaiIso());
    auto inserted = c.BulkInsert("meeting_record", kRecordColumns, rows);
    if (!inserted) return Fail(inserted.error());
    report.records = *inserted;
    if (!sqlite) {
      auto moved =
          c.Query("SELECT setval(pg_get_serial_sequence('meeting_record', 'id'), $1)", {last_id});
      if (!moved) return Fail(moved.error());
    }
    lap("records");
    auto reviewed = c.Execute(kReviews, {first_id, last_id});
    if (!reviewed) return Fail(reviewed.error());
    auto items = c.Query("SELECT COUNT(*) FROM review_checklist_item WHERE retired_at IS NULL");
    if (!items) return Fail(items.error());
    auto problems = items->Int(0, 0) > 0
                        ? c.Execute(kProblems, {first_id, last_id, items->Int(0, 0)})
                        : c.Execute(kFreeTextProblems, {first_id, last_id});
    if (!problems) return Fail(problems.error());
    lap("reviews");
    for (const auto& [name, sql] : indexes) {
      auto rebuilt = c.ExecuteScript(sql);
      if (!rebuilt) return Fail(rebuilt.error());
    }
    for (std::string_view table : {"meeting_record", "meeting_attendance"}) {
      if (auto done = analyze(table); !done) return Fail(done.error());
    }
    lap("indexes");
    if (sqlite) {
      auto cache = c.Execute("PRAGMA cache_size = -2000");
      if (!cache) return Fail(cache.error());
    }
    // The whole deployment's findings are recomputed by the next scan.
    auto roots = c.Query("SELECT path FROM organisation WHERE parent_id IS NULL");
    if (!roots) return Fail(roots.error());
    for (std::size_t i = 0; i < roots->size(); ++i) {
      auto touched = compliance::Touch(c, roots->Text(i, 0));
      if (!touched) return Fail(touched.error());
    }
    auto logged = audit::Append(
        c, {{std::nullopt, "demo", "", std::nullopt, "local"},
            "orglife.demo",
            "meetings",
            "success",
            {{"records", report.records}, {"attendance", report.attendance}, {"through", today}}});
    if (!logged) return Fail(logged.error());
    spdlog::info("orglife demo: {} records, {} attendance rows ({})", report.records,
                 report.attendance, timings);
    return report;
  });
}

Result<std::string> LoadDemo(DemoContext& context) {
  auto counts =
      context.db.Read([](db::Connection& c) -> Result<std::pair<std::int64_t, std::int64_t>> {
        auto orgs = c.Query("SELECT COUNT(*) FROM organisation");
        if (!orgs) return Fail(orgs.error());
        auto records = c.Query("SELECT COUNT(*) FROM meeting_record");
        if (!records) return Fail(records.error());
        return std::pair{orgs->Int(0, 0), records->Int(0, 0)};
      });
  if (!counts) return Fail(counts.error());
  if (counts->first == 0 || counts->second > 0) return std::string();
  auto report = GenerateDemo(context.db, TodayShanghai());
  if (!report) return Fail(report.error());
  return "演示组织生活记录 " + std::to_string(report->records) + " 条、出席登记 " +
         std::to_string(report->attendance) + " 人次";
}

void RegisterCommands(CommandRegistry& registry) {
  CLI::App* group =
      registry.Add("orglife", "组织生活（命令行）", [](const CommandContext& context) {
        auto runtime = context.open();
        if (!runtime) {
          std::cerr << "错误 [" << runtime.error().code << "]：" << runtime.error().message << '\n';
          return 1;
        }
        auto report = GenerateDemo(runtime->db, TodayShanghai());
        if (!report) {
          std::cerr << "错误 [" << report.error().code << "]：" << report.error().message << '\n';
          return 1;
        }
        std::cout << "{\"records\":" << report->records << ",\"attendance\":" << report->attendance
                  << "}\n";
        return 0;
      });
  group->require_subcommand(1);
  group->fallthrough();
  group->add_subcommand("demo",
                        "为 zhibu demo 生成的组织（如演示市）生成近12个月的组织生活演示记录");
}

}  // namespace zhibu::orglife
