#include "modules/orglife/rules.h"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "modules/orglife/vocabulary.h"
#include "platform/settings/settings.h"
#include "platform/util/date.h"

namespace zhibu::orglife {
namespace {

using compliance::Finding;
using compliance::ScanContext;

//! Active branches with members today, and since when each stands in the tree.
constexpr std::string_view kBranches =
    "SELECT o.id, o.name, o.path, (SELECT MIN(p.valid_from) FROM organisation_placement p WHERE "
    "p.org_id = o.id) FROM organisation o WHERE o.path >= $1 AND o.path < $2 AND o.status = "
    "'active' AND o.kind IN ('branch', 'joint_branch', 'temporary_branch') AND EXISTS (SELECT 1 "
    "FROM member m WHERE m.org_id = o.id AND m.status IN ('full', 'probationary') AND "
    "m.departed_on IS NULL) ORDER BY o.id";
//! Active 党小组 with members today.
constexpr std::string_view kGroups =
    "SELECT o.id, o.name, o.path, (SELECT MIN(p.valid_from) FROM organisation_placement p WHERE "
    "p.org_id = o.id) FROM organisation o WHERE o.path >= $1 AND o.path < $2 AND o.status = "
    "'active' AND o.kind = 'group' AND EXISTS (SELECT 1 FROM member m WHERE m.group_id = o.id AND "
    "m.status IN ('full', 'probationary') AND m.departed_on IS NULL) ORDER BY o.id";
//! Since when each organisation of the subtree has had a committee.
constexpr std::string_view kCommitteesSince =
    "SELECT c.org_id, MIN(c.elected_on) FROM committee c JOIN organisation o ON o.id = c.org_id "
    "WHERE o.path >= $1 AND o.path < $2 GROUP BY c.org_id";
//! Counted records of one kind in a range of dates, for the organisations listed (appended:
//! `r.org_id IN (…)`): a small subtree, sought organisation by organisation through the index on
//! (org_id, kind, held_on). (`kind || ''` keeps SQLite, which has no statistics, from scanning
//! the whole kind through meeting_record_kind_counted instead.)
constexpr std::string_view kHeldOf =
    "SELECT r.org_id, r.held_on FROM meeting_record r WHERE r.counted = 1 AND r.kind || '' = $1 "
    "AND r.held_on >= $2 AND r.held_on <= $3 AND r.org_id IN (";
//! The same for a larger subtree: the kind's records in the range from the covering index
//! meeting_record_kind_counted, each kept when its organisation lies in the subtree ($4, $5).
constexpr std::string_view kHeldInSubtree =
    "SELECT r.org_id, r.held_on FROM meeting_record r JOIN organisation o ON o.id = r.org_id WHERE "
    "r.kind = $1 AND r.counted = 1 AND r.held_on >= $2 AND r.held_on <= $3 AND o.path >= $4 AND "
    "o.path < $5";
//! The same for a whole tree (its root scanned): every record of the kind in the range, from the
//! index alone, without reading an organisation per record; the caller sets aside the records of
//! organisations it does not judge (another tree's).
constexpr std::string_view kHeldAll =
    "SELECT r.org_id, r.held_on FROM meeting_record r WHERE r.kind = $1 AND r.counted = 1 AND "
    "r.held_on >= $2 AND r.held_on <= $3";
//! Up to this many organisations, their records are sought one organisation at a time (each
//! holds a few dozen records a year); above, the kind's records are read once.
constexpr std::size_t kHeldInListMax = 300;
//! Organisations (a 党小组 stands for its branch) with a counted record in a range of dates, in
//! a whole tree: the range's records lead (index meeting_record_counted).
constexpr std::string_view kLifeOffered =
    "SELECT DISTINCT CASE WHEN o.kind = 'group' THEN o.parent_id ELSE r.org_id END FROM "
    "meeting_record r JOIN organisation o ON o.id = r.org_id WHERE r.counted = 1 AND r.held_on > "
    "$1 AND r.held_on <= $2 AND o.path >= $3 AND o.path < $4";
//! The same in a subtree: its organisations lead (CROSS JOIN fixes SQLite's join order; PostgreSQL
//! plans it as any join), each with its own records (index meeting_record_org), instead of every
//! record of the whole deployment's six months.
constexpr std::string_view kLifeOfferedInSubtree =
    "SELECT DISTINCT CASE WHEN o.kind = 'group' THEN o.parent_id ELSE r.org_id END FROM "
    "organisation o CROSS JOIN meeting_record r WHERE r.org_id = o.id AND r.counted = 1 AND "
    "r.held_on > $1 AND r.held_on <= $2 AND o.path >= $3 AND o.path < $4";
//! The current full and probationary members of the subtree, whether hardship-exempt, their
//! first day in the deployment and their first day in their organisation (shared by the 谈心谈话
//! and six-month rules). The subtree's members lead (index member_present_path), each with two
//! seeks of its own spans through member_span_member: `s.org_id + 0` keeps SQLite, which has no
//! statistics, from seeking instead every span of the member's organisation through
//! member_span_org (a few dozen per member: 3 s over the city).
constexpr std::string_view kSubtreeMembers =
    "SELECT m.id, m.name, m.org_id, m.org_path, m.hardship, (SELECT MIN(s.valid_from) FROM "
    "member_span s WHERE s.member_id = m.id), (SELECT MIN(s.valid_from) FROM member_span s WHERE "
    "s.member_id = m.id AND s.org_id + 0 = m.org_id) FROM member m WHERE m.org_path >= $1 AND "
    "m.org_path < $2 AND m.status IN ('full', 'probationary') AND m.departed_on IS NULL";
//! The same for a whole tree, in two sequential passes merged by member id: the tree's members
//! in id order (`org_path || ''` keeps SQLite from walking the path index and sorting: it reads
//! the table in its own order) and every span in member order (member_span_member), instead of
//! two seeks per member at random (0.6 s over the city; 0.25 s).
constexpr std::string_view kTreeMembers =
    "SELECT m.id, m.name, m.org_id, m.org_path, m.hardship FROM member m WHERE m.org_path || '' "
    ">= $1 AND m.org_path || '' < $2 AND m.status IN ('full', 'probationary') AND m.departed_on IS "
    "NULL ORDER BY m.id";
constexpr std::string_view kAllSpans =
    "SELECT member_id, org_id, valid_from FROM member_span ORDER BY member_id, valid_from";
//! Members of the subtree (not hardship-exempt: 党员教育管理工作条例 第二十三条) with no
//! organisational life anywhere after $4 up to $3, and their last one on or before $3 (NULL when
//! none). One index seek per member (meeting_attendance_member), the last life only for those
//! kept ($4 lies a few days after the notice threshold: JudgeAbsence decides exactly, months
//! being uneven); the rest of their facts come from kSubtreeMembers.
constexpr std::string_view kMembersLastLife =
    "SELECT m.id, (SELECT MAX(a.counted_on) FROM meeting_attendance a WHERE a.member_id = m.id AND "
    "a.counted_on IS NOT NULL AND a.status <> 'absent' AND a.counted_on <= $3) FROM member m "
    "WHERE m.org_path >= $1 AND m.org_path < $2 AND m.status IN ('full', 'probationary') AND "
    "m.departed_on IS NULL AND m.hardship = 0 AND NOT EXISTS (SELECT 1 FROM meeting_attendance a "
    "WHERE a.member_id = m.id AND a.counted_on IS NOT NULL AND a.status <> 'absent' AND "
    "a.counted_on > $4 AND a.counted_on <= $3)";
//! 党员大会 records of the period whose votes were held without the attendance quorum, in a
//! whole tree (index meeting_record_kind_counted).
constexpr std::string_view kVotesWithoutQuorum =
    "SELECT r.id, r.topic, r.org_id, o.path, r.held_on, r.voting_expected, r.voting_present FROM "
    "meeting_record r JOIN organisation o ON o.id = r.org_id WHERE r.counted = 1 AND r.kind = "
    "'branch_general_meeting' AND r.vote_without_quorum = 1 AND r.held_on >= $1 AND r.held_on <= "
    "$2 AND o.path >= $3 AND o.path < $4";
//! The same in a subtree: its organisations lead, each sought through meeting_record_org
//! (org_id, kind, held_on); `r.counted + 0` keeps SQLite from reading the whole deployment's
//! records of the kind through meeting_record_kind_counted once per organisation.
constexpr std::string_view kVotesWithoutQuorumInSubtree =
    "SELECT r.id, r.topic, r.org_id, o.path, r.held_on, r.voting_expected, r.voting_present FROM "
    "organisation o CROSS JOIN meeting_record r WHERE r.org_id = o.id AND r.counted + 0 = 1 AND "
    "r.kind = 'branch_general_meeting' AND r.vote_without_quorum = 1 AND r.held_on >= $1 AND "
    "r.held_on <= $2 AND o.path >= $3 AND o.path < $4";

//! 谈心谈话: the positions of the subtree's current committees, by organisation (`o.id`: ordered
//! by `c.org_id`, SQLite would read every committee of the deployment in that index's order).
constexpr std::string_view kTalkCommittees =
    "SELECT c.org_id, c.elected_on, p.member_id, p.member_name FROM committee c JOIN organisation "
    "o ON o.id = c.org_id JOIN committee_position p ON p.committee_id = c.id WHERE c.is_current = "
    "1 AND o.path >= $1 AND o.path < $2 ORDER BY o.id, p.id";
//! 谈心谈话: the counted records of a kind in a whole tree over a range of dates, with the members
//! present at each (a record with nobody present once, member NULL).
constexpr std::string_view kTalkPresence =
    "SELECT r.id, r.org_id, r.held_on, a.member_id FROM meeting_record r JOIN organisation o ON "
    "o.id = r.org_id LEFT JOIN meeting_attendance a ON a.record_id = r.id AND a.status = "
    "'present' AND a.member_id IS NOT NULL WHERE r.kind = $1 AND r.counted = 1 AND r.held_on >= "
    "$2 AND r.held_on <= $3 AND o.path >= $4 AND o.path < $5 ORDER BY r.held_on, r.id";
//! The same in a subtree: its organisations lead (as kVotesWithoutQuorumInSubtree).
constexpr std::string_view kTalkPresenceInSubtree =
    "SELECT r.id, r.org_id, r.held_on, a.member_id FROM organisation o CROSS JOIN meeting_record r "
    "LEFT JOIN meeting_attendance a ON a.record_id = r.id AND a.status = 'present' AND a.member_id "
    "IS NOT NULL WHERE r.org_id = o.id AND r.kind = $1 AND r.counted + 0 = 1 AND r.held_on >= $2 "
    "AND r.held_on <= $3 AND o.path >= $4 AND o.path < $5 ORDER BY r.held_on, r.id";

//! How many cycles back the facts of a duty reach (the streak of missed cycles shown).
constexpr int kLookbackCycles = 7;

std::string Day(std::chrono::year_month_day d) { return FormatIsoDate(d); }

//! Whether the scan covers a whole tree (its root `/1/`) rather than a subtree of it.
bool WholeTree(const ScanContext& ctx) {
  return ctx.path_from.find('/', 1) + 1 == ctx.path_from.size();
}

//! The day `days` after (or before) `date`. The rules ask for the same few days for every
//! organisation of a scan: the answers are kept in a small per-thread cache.
std::string DayAfter(const std::string& date, int days) {
  struct Entry {
    std::string date;
    int days = 0;
    std::string answer;
  };
  thread_local std::array<Entry, 64> cache;
  std::size_t slot = (std::hash<std::string>{}(date) + static_cast<std::size_t>(days + 2)) % 64;
  Entry& e = cache[slot];
  if (e.days == days && e.date == date) return e.answer;
  e = {date, days, Day(std::chrono::sys_days(*ParseIsoDate(date)) + std::chrono::days(days))};
  return e.answer;
}
std::string NextDay(const std::string& date) { return DayAfter(date, 1); }
std::string PreviousDay(const std::string& date) { return DayAfter(date, -1); }

std::string MonthsLater(const std::string& date, int months) {
  return FormatIsoDate(AddMonths(*ParseIsoDate(date), months));
}

bool HeldIn(const std::vector<std::string>& held, const std::string& from, const std::string& to) {
  auto at = std::lower_bound(held.begin(), held.end(), from);
  return at != held.end() && *at <= to;
}

//! The day `duty` falls due in cycle `c`.
std::string DueDay(const Duty& duty, const Cycle& c) {
  if (duty.due_day <= 0) return c.last_day;
  auto first = *ParseIsoDate(c.first_day);
  auto last =
      std::chrono::year_month_day_last(first.year(), std::chrono::month_day_last(first.month()));
  unsigned day = std::min(static_cast<unsigned>(duty.due_day), static_cast<unsigned>(last.day()));
  return Day(std::chrono::year_month_day(first.year(), first.month(), std::chrono::day(day)));
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : "、") + i;
  return out;
}

boost::json::array JsonList(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const auto& i : items) out.push_back(boost::json::value(i));
  return out;
}

//! An organisation of the subtree and since when it stands there.
struct OrgFacts {
  std::int64_t id = 0;
  std::string name;
  std::string path;
  std::string since;
};

//! The organisations of `sql` (kBranches, kGroups) in the subtree, computed once per scan.
Result<std::shared_ptr<std::vector<OrgFacts>>> Orgs(ScanContext& ctx, std::string_view sql,
                                                    const std::string& key) {
  return ctx.Memo<std::vector<OrgFacts>>(key, [&]() -> Result<std::vector<OrgFacts>> {
    auto rows = ctx.connection.Query(sql, {ctx.path_from, ctx.path_to});
    if (!rows) return Fail(rows.error());
    std::vector<OrgFacts> out;
    out.reserve(rows->size());
    for (std::size_t i = 0; i < rows->size(); ++i) {
      out.push_back({rows->Int(i, 0), rows->Text(i, 1), rows->Text(i, 2),
                     rows->OptionalText(i, 3).value_or("1900-01-01")});
    }
    return out;
  });
}

//! A current member of the subtree (kSubtreeMembers).
struct MemberFacts {
  std::int64_t id = 0;
  std::string name;
  std::int64_t org_id = 0;
  std::string org_path;
  bool hardship = false;
  std::optional<std::string> first_day;         //!< first day in the deployment
  std::optional<std::string> first_day_in_org;  //!< first day in the current organisation
};

//! The current members of the subtree, by id, computed once per scan.
struct SubtreeMembers {
  std::vector<MemberFacts> members;
  std::unordered_map<std::int64_t, std::size_t> index;  //!< member id → position in members
};

Result<std::shared_ptr<SubtreeMembers>> Members(ScanContext& ctx) {
  return ctx.Memo<SubtreeMembers>("orglife.members", [&]() -> Result<SubtreeMembers> {
    const bool whole_tree = WholeTree(ctx);
    auto rows = ctx.connection.Query(whole_tree ? kTreeMembers : kSubtreeMembers,
                                     {ctx.path_from, ctx.path_to});
    if (!rows) return Fail(rows.error());
    SubtreeMembers out;
    out.members.reserve(rows->size());
    out.index.reserve(rows->size());
    for (std::size_t i = 0; i < rows->size(); ++i) {
      out.index[rows->Int(i, 0)] = out.members.size();
      MemberFacts m{rows->Int(i, 0),      rows->Text(i, 1), rows->Int(i, 2), rows->Text(i, 3),
                    rows->Int(i, 4) != 0, std::nullopt,     std::nullopt};
      if (!whole_tree) {
        m.first_day = rows->OptionalText(i, 5);
        m.first_day_in_org = rows->OptionalText(i, 6);
      }
      out.members.push_back(std::move(m));
    }
    if (!whole_tree) return out;
    // Both lists ascend by member id (the spans of one member by date): the first span is the
    // first day in the deployment, the first in the member's organisation the first day there.
    auto spans = ctx.connection.Query(kAllSpans);
    if (!spans) return Fail(spans.error());
    std::size_t at = 0;
    for (MemberFacts& m : out.members) {
      while (at < spans->size() && spans->Int(at, 0) < m.id) ++at;
      for (; at < spans->size() && spans->Int(at, 0) == m.id; ++at) {
        if (!m.first_day) m.first_day = spans->Text(at, 2);
        if (!m.first_day_in_org && spans->Int(at, 1) == m.org_id) {
          m.first_day_in_org = spans->Text(at, 2);
        }
      }
    }
    return out;
  });
}

//! The dates of counted records of `kind` of each of `orgs`, from `from` to the day judged,
//! ascending.
Result<std::unordered_map<std::int64_t, std::vector<std::string>>> Held(
    ScanContext& ctx, std::string_view kind, const std::string& from,
    const std::vector<OrgFacts>& orgs) {
  std::unordered_map<std::int64_t, std::vector<std::string>> out;
  out.reserve(orgs.size());
  for (const OrgFacts& o : orgs) out[o.id];
  if (orgs.empty()) return out;
  std::vector<db::Value> params{std::string(kind), from, ctx.as_of};
  std::string sql;
  if (orgs.size() <= kHeldInListMax) {
    sql = kHeldOf;
    for (std::size_t i = 0; i < orgs.size(); ++i) {
      params.emplace_back(orgs[i].id);
      sql += (i == 0 ? "$" : ", $") + std::to_string(params.size());
    }
    sql += ")";
  } else if (WholeTree(ctx)) {
    sql = kHeldAll;  // `/1/`: a root, the whole tree
  } else {
    sql = kHeldInSubtree;
    params.emplace_back(ctx.path_from);
    params.emplace_back(ctx.path_to);
  }
  auto rows = ctx.connection.Query(sql, std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  for (std::size_t i = 0; i < rows->size(); ++i) {
    auto at = out.find(rows->Int(i, 0));
    if (at != out.end()) at->second.push_back(rows->Text(i, 1));
  }
  for (auto& [org, dates] : out) std::sort(dates.begin(), dates.end());
  return out;
}

enum class Holders { kBranches, kCommitteeBranches, kGroups };

//! A duty's scan: the organisations bound by it and their records of the last cycles.
struct DutySpec {
  Duty duty;
  Holders holders = Holders::kBranches;
  std::string_view months_setting;   //!< a setting giving `months`, or empty
  std::string_view due_day_setting;  //!< a setting giving `due_day`, or empty
  std::string_view due_soon_setting;
};

//! The organisations `spec` binds in `ctx`'s subtree, each with its facts, judged.
Result<DutyStandings> Stand(ScanContext& ctx, const DutySpec& spec) {
  DutyStandings out{spec.duty, {}};
  Duty& duty = out.duty;
  for (auto [key, into] : {std::pair{spec.months_setting, &duty.months},
                           std::pair{spec.due_day_setting, &duty.due_day},
                           std::pair{spec.due_soon_setting, &duty.due_soon_days}}) {
    if (key.empty()) continue;
    auto value = settings::Integer(ctx.connection, key);
    if (!value) return Fail(value.error());
    *into = static_cast<int>(*value);
  }
  if (ctx.as_of < ctx.period.first_day) return out;
  auto memo = spec.holders == Holders::kGroups ? Orgs(ctx, kGroups, "orglife.groups")
                                               : Orgs(ctx, kBranches, "orglife.branches");
  if (!memo) return Fail(memo.error());
  const std::vector<OrgFacts>& orgs = **memo;
  std::map<std::int64_t, std::string> committees;
  if (spec.holders == Holders::kCommitteeBranches) {
    auto rows = ctx.connection.Query(kCommitteesSince, {ctx.path_from, ctx.path_to});
    if (!rows) return Fail(rows.error());
    for (std::size_t i = 0; i < rows->size(); ++i) committees[rows->Int(i, 0)] = rows->Text(i, 1);
  }
  // The records of the last cycles before the period.
  Cycle earliest = CycleOf(std::min(ctx.as_of, ctx.period.first_day), duty.months);
  for (int i = 0; i < kLookbackCycles; ++i)
    earliest = CycleOf(PreviousDay(earliest.first_day), duty.months);
  auto held = Held(ctx, duty.kind, earliest.first_day, orgs);
  if (!held) return Fail(held.error());
  out.subjects.reserve(orgs.size());
  for (const OrgFacts& o : orgs) {
    DutyFacts facts{o.id, o.name, o.path, o.since, {}};
    if (spec.holders == Holders::kCommitteeBranches) {
      auto c = committees.find(o.id);
      if (c == committees.end()) continue;  // no committee: no 支委会 duty
      facts.applies_from = std::max(facts.applies_from, c->second);
    }
    auto h = held->find(o.id);
    if (h != held->end()) facts.held = std::move(h->second);
    DutyAssessment assessment = AssessDuty(duty, facts, ctx.period, ctx.as_of);
    out.subjects.push_back({std::move(facts), std::move(assessment)});
  }
  return out;
}

std::function<Result<std::vector<Finding>>(ScanContext&)> DutyScan(DutySpec spec) {
  return [spec](ScanContext& ctx) -> Result<std::vector<Finding>> {
    auto standings = Stand(ctx, spec);
    if (!standings) return Fail(standings.error());
    std::vector<Finding> out;
    for (auto& s : standings->subjects) {
      if (s.assessment.finding) out.push_back(std::move(*s.assessment.finding));
    }
    return out;
  };
}

//! A frequency duty's rule: its column and the scan's spec.
struct DutyRule {
  FrequencyDuty column;
  DutySpec spec;
};

//! The frequency duties in board order; the rules below and StandingsOf both read this table.
const std::vector<DutyRule>& DutyRules() {
  static const std::vector<DutyRule> rules = {
      {{"orglife.branch_meeting.quarterly", kGeneralMeeting, false},
       {{kGeneralMeeting, "支部党员大会", "召开", 3, 0, 15},
        Holders::kBranches,
        {},
        {},
        kDueSoonQuarterSetting}},
      {{"orglife.committee_meeting.monthly", kCommitteeMeeting, false},
       {{kCommitteeMeeting, "支委会", "召开", 1, 0, 7},
        Holders::kCommitteeBranches,
        {},
        {},
        kDueSoonMonthSetting}},
      {{"orglife.group_meeting.monthly", kGroupMeeting, true},
       {{kGroupMeeting, "党小组会", "召开", 1, 0, 7},
        Holders::kGroups,
        {},
        {},
        kDueSoonMonthSetting}},
      {{"orglife.theme_day.monthly", kThemeDay, false},
       {{kThemeDay, "主题党日", "开展", 1, 10, 7},
        Holders::kBranches,
        {},
        kThemeDaySetting,
        kDueSoonMonthSetting}},
      {{"orglife.party_lecture.periodic", kPartyLecture, false},
       {{kPartyLecture, "党课", "开展", 3, 0, 15},
        Holders::kBranches,
        kPartyLectureMonthsSetting,
        {},
        kDueSoonQuarterSetting}},
      {{"orglife.org_life_meeting.yearly", kOrgLifeMeeting, false},
       {{kOrgLifeMeeting, "组织生活会", "召开", 12, 0, 31},
        Holders::kBranches,
        {},
        {},
        kDueSoonYearSetting}},
      {{"orglife.member_appraisal.yearly", kMemberAppraisal, false},
       {{kMemberAppraisal, "民主评议党员", "开展", 12, 0, 31},
        Holders::kBranches,
        {},
        {},
        kDueSoonYearSetting}},
  };
  return rules;
}

const DutySpec& SpecOf(std::string_view rule_id) {
  for (const auto& r : DutyRules()) {
    if (r.column.rule_id == rule_id) return r.spec;
  }
  throw std::logic_error("not a frequency duty: " + std::string(rule_id));
}

//! The 谈心谈话 duty as the board shows it: yearly, due by 31 December, yellow from 1 October.
const Duty kTalksDuty{kHeartToHeart, "谈心谈话", "开展", 12, 0, 91};

//! The 谈心谈话 duty over `ctx`'s subtree: the active branches with a current committee, their
//! people and their records of the year, each judged by AssessTalks.
Result<DutyStandings> TalkStandings(ScanContext& ctx) {
  DutyStandings out{kTalksDuty, {}};
  if (ctx.as_of < ctx.period.first_day) return out;
  auto memo = Orgs(ctx, kBranches, "orglife.branches");
  if (!memo) return Fail(memo.error());
  const std::vector<OrgFacts>& orgs = **memo;
  std::unordered_map<std::int64_t, TalkFacts> branches;
  for (const OrgFacts& o : orgs)
    branches[o.id] = TalkFacts{o.id, o.name, o.path, {}, {}, {}, {}, {}};

  auto subtree_members = Members(ctx);
  if (!subtree_members) return Fail(subtree_members.error());
  const SubtreeMembers& people = **subtree_members;
  auto talk_person = [](const MemberFacts& m) {
    return TalkPerson{m.id, m.name, m.first_day_in_org.value_or("1900-01-01")};
  };
  auto committees = ctx.connection.Query(kTalkCommittees, {ctx.path_from, ctx.path_to});
  if (!committees) return Fail(committees.error());
  std::unordered_set<std::int64_t> on_committee;
  for (std::size_t i = 0; i < committees->size(); ++i) {
    auto branch = branches.find(committees->Int(i, 0));
    if (branch == branches.end()) continue;
    TalkFacts& facts = branch->second;
    facts.committee_elected_on = committees->Text(i, 1);
    auto member = committees->OptionalInt(i, 2);
    auto person = member ? people.index.find(*member) : people.index.end();
    if (person == people.index.end() || people.members[person->second].org_id != facts.org_id) {
      facts.committee_not_judged.push_back(committees->Text(i, 3));
      continue;
    }
    if (!on_committee.insert(*member).second) continue;  // two positions, one person
    facts.committee.push_back(talk_person(people.members[person->second]));
  }
  for (const MemberFacts& m : people.members) {
    if (m.hardship || on_committee.contains(m.id)) continue;
    auto branch = branches.find(m.org_id);
    if (branch != branches.end()) branch->second.members.push_back(talk_person(m));
  }

  const std::string year = ctx.period.first_day.substr(0, 4);
  auto presence =
      ctx.connection.Query(WholeTree(ctx) ? kTalkPresence : kTalkPresenceInSubtree,
                           {std::string(kHeartToHeart), year + "-01-01",
                            std::min(ctx.as_of, year + "-12-31"), ctx.path_from, ctx.path_to});
  if (!presence) return Fail(presence.error());
  std::int64_t current_record = 0;
  TalkRecord* record = nullptr;
  for (std::size_t i = 0; i < presence->size(); ++i) {
    auto branch = branches.find(presence->Int(i, 1));
    if (branch == branches.end()) continue;
    if (presence->Int(i, 0) != current_record || record == nullptr) {
      current_record = presence->Int(i, 0);
      branch->second.records.push_back({presence->Text(i, 2), {}});
      record = &branch->second.records.back();
    }
    if (auto member = presence->OptionalInt(i, 3)) record->present.push_back(*member);
  }

  for (const OrgFacts& o : orgs) {
    TalkFacts& facts = branches[o.id];
    if (facts.committee_elected_on.empty()) continue;  // no committee: no 谈心谈话 duty judged
    std::sort(facts.members.begin(), facts.members.end(),
              [](const TalkPerson& a, const TalkPerson& b) { return a.member_id < b.member_id; });
    TalkAssessment talks = AssessTalks(facts, ctx.period, ctx.as_of);
    DutyStanding standing;
    standing.facts = {o.id, o.name, o.path, year + "-01-01", {}};
    for (const TalkRecord& r : facts.records) standing.facts.held.push_back(r.held_on);
    if (talks.binds) standing.assessment.judged.push_back(talks.year);
    if (talks.finding && talks.finding->severity == compliance::kRed) {
      standing.assessment.missed.push_back(talks.year);
    }
    standing.assessment.held_in_period = talks.held_in_period;
    standing.assessment.finding = std::move(talks.finding);
    out.subjects.push_back(std::move(standing));
  }
  return out;
}

}  // namespace

namespace {
//! CycleOf without its cache.
Cycle ComputeCycle(std::string_view date, int months);
}  // namespace

std::span<const FrequencyDuty> FrequencyDuties() {
  static const std::vector<FrequencyDuty> columns = [] {
    std::vector<FrequencyDuty> out;
    for (const auto& r : DutyRules()) out.push_back(r.column);
    out.push_back({kTalksRule, kHeartToHeart, false});
    return out;
  }();
  return columns;
}

Result<DutyStandings> StandingsOf(ScanContext& ctx, std::string_view rule_id) {
  if (rule_id == kTalksRule) return TalkStandings(ctx);
  return Stand(ctx, SpecOf(rule_id));
}

Cycle CycleOf(std::string_view date, int months) {
  months = std::clamp(months, 1, 12);
  // A cycle depends on the date's year and month only; a scan asks for the same few cycles for
  // every organisation: the answers are kept in a small per-thread cache.
  struct Entry {
    int key = 0;
    Cycle cycle;
  };
  thread_local std::array<Entry, 64> cache;
  auto number = [&](std::size_t from, std::size_t count) {
    int n = 0;
    for (std::size_t i = from; i < from + count && i < date.size(); ++i)
      n = n * 10 + (date[i] - '0');
    return n;
  };
  const int key = (number(0, 4) * 100 + number(5, 2)) * 100 + months;
  Entry& entry = cache[static_cast<std::size_t>(key) % cache.size()];
  if (entry.key == key) return entry.cycle;
  entry.key = key;
  entry.cycle = ComputeCycle(date, months);
  return entry.cycle;
}

namespace {

Cycle ComputeCycle(std::string_view date, int months) {
  auto d = *ParseIsoDate(date);
  int year = static_cast<int>(d.year());
  unsigned month = static_cast<unsigned>(d.month());
  unsigned start = (month - 1) / static_cast<unsigned>(months) * static_cast<unsigned>(months) + 1;
  unsigned end = std::min(start + static_cast<unsigned>(months) - 1, 12u);
  using namespace std::chrono;
  Cycle c;
  c.first_day = Day(std::chrono::year(year) / std::chrono::month(start) / std::chrono::day(1));
  c.last_day = Day(year_month_day(
      year_month_day_last(std::chrono::year(year), month_day_last(std::chrono::month(end)))));
  // By hand rather than snprintf: a city's scan names a few million cycles.
  const std::string y = c.first_day.substr(0, 4);
  auto two = [](unsigned m) {
    return std::string{static_cast<char>('0' + m / 10), static_cast<char>('0' + m % 10)};
  };
  if (months == 1) {
    c.id = y + "-" + two(start);
  } else if (months == 3) {
    c.id = y + "-Q" + static_cast<char>('0' + (start - 1) / 3 + 1);
  } else if (months == 12) {
    c.id = y;
  } else {
    c.id = y + "-" + two(start) + "~" + y + "-" + two(end);
  }
  return c;
}

}  // namespace

DutyAssessment AssessDuty(const Duty& duty, const DutyFacts& facts,
                          const compliance::Period& period, const std::string& as_of) {
  DutyAssessment out;
  if (as_of < period.first_day) return out;
  const std::string& until = std::min(period.last_day, as_of);
  out.held_in_period =
      static_cast<int>(std::lower_bound(facts.held.begin(), facts.held.end(), NextDay(until)) -
                       std::lower_bound(facts.held.begin(), facts.held.end(), period.first_day));
  std::vector<std::string>& missed = out.missed;
  std::optional<std::string> due_soon;
  std::string open_cycle;
  for (Cycle c = CycleOf(period.first_day, duty.months);
       c.first_day <= as_of && c.first_day <= period.last_day;
       c = CycleOf(NextDay(c.last_day), duty.months)) {
    bool ends_in_period = c.last_day >= period.first_day && c.last_day <= period.last_day;
    bool open = as_of < c.last_day;
    if (!ends_in_period && !open) continue;
    if (c.first_day < facts.applies_from) continue;
    out.judged.push_back(c.id);
    if (HeldIn(facts.held, c.first_day, std::min(c.last_day, as_of))) continue;
    if (!open) {
      missed.push_back(c.id);
    } else {
      // The previous cycle missed and nothing yet in this one: the breach goes on.
      Cycle previous = CycleOf(PreviousDay(c.first_day), duty.months);
      if (previous.first_day >= facts.applies_from &&
          !HeldIn(facts.held, previous.first_day, previous.last_day) &&
          std::find(missed.begin(), missed.end(), previous.id) == missed.end()) {
        missed.push_back(previous.id);
        continue;
      }
      std::string due = DueDay(duty, c);
      if (DaysBetween(*ParseIsoDate(as_of), *ParseIsoDate(due)) <= duty.due_soon_days) {
        due_soon = due;
        open_cycle = c.id;
      }
    }
  }
  if (missed.empty() && !due_soon) return out;
  std::optional<std::string> last;
  if (!facts.held.empty()) last = facts.held.back();
  // The complete cycles missed in a row up to the day judged, oldest first.
  std::vector<std::string> streak;
  Cycle c = CycleOf(as_of, duty.months);
  if (as_of < c.last_day) c = CycleOf(PreviousDay(c.first_day), duty.months);
  for (int i = 0; i < kLookbackCycles && c.first_day >= facts.applies_from; ++i) {
    if (HeldIn(facts.held, c.first_day, c.last_day)) break;
    streak.insert(streak.begin(), c.id);
    c = CycleOf(PreviousDay(c.first_day), duty.months);
  }
  Finding f;
  f.subject_kind = "organisation";
  f.subject_id = facts.org_id;
  f.subject_name = facts.org_name;
  f.org_id = facts.org_id;
  f.org_path = facts.org_path;
  f.facts = {{"kind", duty.kind},
             {"cycle_months", duty.months},
             {"last_held", last ? boost::json::value(*last) : nullptr},
             {"missed", JsonList(missed)},
             {"missed_in_a_row", JsonList(streak)}};
  const std::string title(duty.title), verb(duty.verb);
  std::string since = last ? "（最近一次 " + *last + "）" : "（近期没有记录）";
  if (!missed.empty()) {
    f.severity = std::string(compliance::kRed);
    f.message = Join(missed) + " 未" + verb + title + since;
    Cycle current = CycleOf(as_of, duty.months);
    if (as_of < current.last_day && current.first_day >= facts.applies_from &&
        !HeldIn(facts.held, current.first_day, as_of)) {
      f.message += "，本期尚未" + verb;
    }
    if (streak.size() > 1) {
      f.message += "，已连续 " + std::to_string(streak.size()) + " 期未" + verb;
    }
  } else {
    f.severity = std::string(compliance::kYellow);
    f.facts["due_on"] = *due_soon;
    f.message = open_cycle + " 尚未" + verb + title +
                (*due_soon < as_of ? "（应于 " + *due_soon + " " + verb + "）"
                                   : "，应于 " + *due_soon + " 前" + verb) +
                since;
  }
  out.finding = std::move(f);
  return out;
}

std::optional<Finding> JudgeDuty(const Duty& duty, const DutyFacts& facts,
                                 const compliance::Period& period, const std::string& as_of) {
  return AssessDuty(duty, facts, period, as_of).finding;
}

std::optional<Finding> JudgeAbsence(const AbsenceFacts& facts, const std::string& as_of,
                                    int notice_months) {
  std::string from = std::max(facts.last_attended.value_or(""), facts.member_since);
  if (from.empty() || from > as_of) return std::nullopt;
  bool red = MonthsLater(from, 6) <= as_of;
  if (!red && MonthsLater(from, notice_months) > as_of) return std::nullopt;
  Finding f;
  f.subject_kind = "member";
  f.subject_id = facts.member_id;
  f.subject_name = facts.name;
  f.org_id = facts.org_id;
  f.org_path = facts.org_path;
  f.severity = std::string(red ? compliance::kRed : compliance::kYellow);
  f.facts = {{"last_attended", facts.last_attended ? boost::json::value(*facts.last_attended)
                                                   : boost::json::value(nullptr)},
             {"member_since", facts.member_since},
             {"since", from},
             {"six_months_on", MonthsLater(from, 6)}};
  std::string what = facts.last_attended ? "最近一次参加组织生活（或请假）为 " + from
                                         : "自 " + from + " 起没有参加组织生活的记录";
  if (red) {
    f.message = what +
                "，已连续6个月未参加党的组织生活。无正当理由的，由支部大会按党章第九条讨论处置；"
                "系统只预警，不自动除名";
  } else {
    f.message = what + "，将于 " + MonthsLater(from, 6) + " 满6个月，请党支部及时联系教育";
  }
  return f;
}

TalkAssessment AssessTalks(const TalkFacts& facts, const compliance::Period& period,
                           const std::string& as_of) {
  TalkAssessment out;
  out.year = period.first_day.substr(0, 4);
  if (as_of < period.first_day || facts.committee.empty()) return out;
  out.binds = true;
  const std::string first = out.year + "-01-01", last = out.year + "-12-31";
  const std::string cutoff = out.year + "-09-30", notice = out.year + "-10-01";
  const std::string until = std::min(as_of, last);
  const std::string period_until = std::min(as_of, period.last_day);

  std::set<std::pair<std::int64_t, std::int64_t>> together;
  std::set<std::int64_t> with_committee;
  std::set<std::int64_t> committee_ids;
  for (const TalkPerson& p : facts.committee) committee_ids.insert(p.member_id);
  std::optional<std::string> last_held;
  for (const TalkRecord& r : facts.records) {
    if (r.held_on < first || r.held_on > until) continue;
    last_held = r.held_on;
    if (r.held_on >= period.first_day && r.held_on <= period_until) ++out.held_in_period;
    std::vector<std::int64_t> present_committee;
    for (std::int64_t id : r.present) {
      if (committee_ids.contains(id)) present_committee.push_back(id);
    }
    if (present_committee.empty()) continue;
    for (std::int64_t id : r.present) with_committee.insert(id);
    for (std::int64_t a : present_committee) {
      for (std::int64_t b : present_committee) {
        if (a < b) together.emplace(a, b);
      }
    }
  }
  // The pairs of a committee elected in the fourth quarter are not due that year.
  const bool pairs_due = facts.committee_elected_on <= cutoff;
  for (std::size_t i = 0; pairs_due && i < facts.committee.size(); ++i) {
    const TalkPerson& a = facts.committee[i];
    if (a.since > cutoff) continue;
    for (std::size_t j = i + 1; j < facts.committee.size(); ++j) {
      const TalkPerson& b = facts.committee[j];
      if (b.since > cutoff) continue;
      ++out.pairs_due;
      auto key = std::minmax(a.member_id, b.member_id);
      if (!together.contains({key.first, key.second})) out.missing_pairs.emplace_back(a, b);
    }
  }
  for (const TalkPerson& m : facts.members) {
    if (m.since > cutoff) continue;
    ++out.members_due;
    if (!with_committee.contains(m.member_id)) out.missing_members.push_back(m);
  }
  if (out.missing_pairs.empty() && out.missing_members.empty()) return out;
  const bool red = as_of >= last;
  if (!red && as_of < notice) return out;

  auto person = [](const TalkPerson& p) {
    return boost::json::object{{"member_id", p.member_id}, {"name", p.name}};
  };
  boost::json::array pairs, members, not_judged;
  for (std::size_t i = 0; i < out.missing_pairs.size() && i < kTalksListed; ++i) {
    pairs.push_back(boost::json::array{person(out.missing_pairs[i].first),
                                       person(out.missing_pairs[i].second)});
  }
  for (std::size_t i = 0; i < out.missing_members.size() && i < kTalksListed; ++i) {
    members.push_back(person(out.missing_members[i]));
  }
  for (const auto& name : facts.committee_not_judged)
    not_judged.push_back(boost::json::value(name));
  Finding f;
  f.subject_kind = "organisation";
  f.subject_id = facts.org_id;
  f.subject_name = facts.org_name;
  f.org_id = facts.org_id;
  f.org_path = facts.org_path;
  f.severity = std::string(red ? compliance::kRed : compliance::kYellow);
  f.facts = {{"kind", kHeartToHeart},
             {"year", out.year},
             {"last_held", last_held ? boost::json::value(*last_held) : nullptr},
             {"committee_elected_on", facts.committee_elected_on},
             {"committee_pairs_due", out.pairs_due},
             {"committee_pairs_missing", static_cast<std::int64_t>(out.missing_pairs.size())},
             {"members_due", out.members_due},
             {"members_missing", static_cast<std::int64_t>(out.missing_members.size())},
             {"missing_pairs", std::move(pairs)},
             {"missing_members", std::move(members)},
             {"listed_at_most", static_cast<std::int64_t>(kTalksListed)},
             {"committee_not_judged", std::move(not_judged)}};
  std::vector<std::string> parts;
  if (!out.missing_pairs.empty()) {
    parts.push_back("支委之间尚有 " + std::to_string(out.missing_pairs.size()) +
                    " 对未谈心谈话（共 " + std::to_string(out.pairs_due) + " 对）");
  }
  if (!out.missing_members.empty()) {
    parts.push_back(std::to_string(out.missing_members.size()) + " 名党员未与支委谈心谈话（共 " +
                    std::to_string(out.members_due) + " 名）");
  }
  std::string what = parts.front() + (parts.size() > 1 ? "；" + parts.back() : std::string());
  std::string since = last_held ? "（最近一次 " + *last_held + "）" : "（本年度没有记录）";
  if (red) {
    f.message = out.year + " 年度谈心谈话未全覆盖：" + what + since;
  } else {
    f.facts["due_on"] = last;
    f.message =
        out.year + " 年度谈心谈话尚未全覆盖：" + what + "，应于 " + last + " 前完成" + since;
  }
  out.finding = std::move(f);
  return out;
}

std::optional<Finding> JudgeTalks(const TalkFacts& facts, const compliance::Period& period,
                                  const std::string& as_of) {
  return AssessTalks(facts, period, as_of).finding;
}

std::vector<compliance::RuleSpec> OrgLifeRules() {
  using compliance::RuleSpec;
  const std::string red(compliance::kRed);
  return {
      RuleSpec{.id = "orglife.branch_meeting.quarterly",
               .title = "支部党员大会每季度至少召开1次",
               .severity = red,
               .source = "中国共产党支部工作条例（试行）第十一条（支部党员大会一般每季度召开1次）；"
                         "临近期限的提醒天数为本地设置 orglife.due_soon_days_quarter",
               .subject_kind = "organisation",
               .scan = DutyScan(SpecOf("orglife.branch_meeting.quarterly"))},
      RuleSpec{.id = "orglife.committee_meeting.monthly",
               .title = "支委会每月至少召开1次（设有支部委员会的党支部）",
               .severity = red,
               .source = "中国共产党支部工作条例（试行）第十二条（支部委员会会议一般每月召开1次）；"
                         "提醒天数为本地设置 orglife.due_soon_days_month",
               .subject_kind = "organisation",
               .scan = DutyScan(SpecOf("orglife.committee_meeting.monthly"))},
      RuleSpec{.id = "orglife.group_meeting.monthly",
               .title = "党小组会每月至少召开1次",
               .severity = red,
               .source = "中国共产党支部工作条例（试行）第十三条（党小组会一般每月召开1次）；"
                         "提醒天数为本地设置 orglife.due_soon_days_month",
               .subject_kind = "organisation",
               .scan = DutyScan(SpecOf("orglife.group_meeting.monthly"))},
      RuleSpec{.id = "orglife.theme_day.monthly",
               .title = "每月开展1次主题党日",
               .severity = red,
               .source =
                   "中国共产党党员教育管理工作条例 第十六条（党支部应当每月开展1次主题党日）；"
                   "固定日期为本地设置 orglife.theme_day_of_month（默认每月10日）",
               .subject_kind = "organisation",
               .scan = DutyScan(SpecOf("orglife.theme_day.monthly"))},
      RuleSpec{.id = "orglife.org_life_meeting.yearly",
               .title = "组织生活会每年至少召开1次",
               .severity = red,
               .source = "中国共产党党员教育管理工作条例 第十七条（组织生活会每年至少召开1次）；"
                         "支部工作条例 第十七条（一般安排在第四季度）；提醒天数为本地设置 "
                         "orglife.due_soon_days_year",
               .subject_kind = "organisation",
               .scan = DutyScan(SpecOf("orglife.org_life_meeting.yearly"))},
      RuleSpec{.id = "orglife.member_appraisal.yearly",
               .title = "民主评议党员每年开展1次",
               .severity = red,
               .source = "中国共产党党员教育管理工作条例 第十八条（民主评议党员一般每年开展1次）；"
                         "提醒天数为本地设置 orglife.due_soon_days_year",
               .subject_kind = "organisation",
               .scan = DutyScan(SpecOf("orglife.member_appraisal.yearly"))},
      RuleSpec{.id = std::string(kTalksRule),
               .title = "支委之间、支委和党员之间、党员之间每年至少谈心谈话1次",
               .severity = red,
               .source =
                   "中国共产党支部工作条例（试行）第十九条（≈；转述：支委之间、支委和党员之间、"
                   "党员之间每年谈心谈话一般不少于1次）；每对支委同在一次谈心谈话记录中，"
                   "其他党员与至少一名支委同在一次记录中；未设委员会（未登记支部书记）的"
                   "党支部不判断；第四季度起提醒",
               .subject_kind = "organisation",
               .scan = [](ScanContext& ctx) -> Result<std::vector<Finding>> {
                 auto standings = TalkStandings(ctx);
                 if (!standings) return Fail(standings.error());
                 std::vector<Finding> out;
                 for (auto& s : standings->subjects) {
                   if (s.assessment.finding) out.push_back(std::move(*s.assessment.finding));
                 }
                 return out;
               }},
      RuleSpec{.id = "orglife.party_lecture.periodic",
               .title = "按本地规定的频次上党课",
               .severity = red,
               .source = "本地设置 orglife.party_lecture_months（默认每3个月1次）：支部工作条例 "
                         "第十六条要求党员按期上党课，未规定次数；“每季度至少1次”为常见的地方规定",
               .subject_kind = "organisation",
               .scan = DutyScan(SpecOf("orglife.party_lecture.periodic"))},
      RuleSpec{
          .id = "orglife.member.six_months_without_life",
          .title = "党员连续6个月未参加党的组织生活",
          .severity = red,
          .source = "中国共产党章程 第九条；中国共产党党员教育管理工作条例 "
                    "第三十一条（六）（没有正当理由连续6个月不参加党的组织生活的，按自行脱党"
                    "处理，由支部大会决定）——仅预警，不自动除名；提前提醒月数为本地设置 "
                    "orglife.absence_notice_months",
          .subject_kind = "member",
          .scan = [](ScanContext& ctx) -> Result<std::vector<Finding>> {
            auto notice = settings::Integer(ctx.connection, kAbsenceNoticeSetting);
            if (!notice) return Fail(notice.error());
            // Branches that held nothing in the last six months are the branch's failure
            // (the frequency rules): their members are not flagged one by one.
            auto offered = ctx.connection.Query(
                WholeTree(ctx) ? kLifeOffered : kLifeOfferedInSubtree,
                {MonthsLater(ctx.as_of, -6), ctx.as_of, ctx.path_from, ctx.path_to});
            if (!offered) return Fail(offered.error());
            std::set<std::int64_t> with_life;
            for (std::size_t i = 0; i < offered->size(); ++i) {
              if (auto id = offered->OptionalInt(i, 0)) with_life.insert(*id);
            }
            auto rows = ctx.connection.Query(
                kMembersLastLife,
                {ctx.path_from, ctx.path_to, ctx.as_of,
                 NextDay(NextDay(NextDay(MonthsLater(ctx.as_of, -static_cast<int>(*notice)))))});
            if (!rows) return Fail(rows.error());
            auto members = Members(ctx);
            if (!members) return Fail(members.error());
            std::vector<Finding> out;
            for (std::size_t i = 0; i < rows->size(); ++i) {
              auto at = (*members)->index.find(rows->Int(i, 0));
              if (at == (*members)->index.end()) continue;  // (every one is: same filters)
              const MemberFacts& m = (*members)->members[at->second];
              if (!with_life.contains(m.org_id)) continue;
              AbsenceFacts facts{m.id,
                                 m.name,
                                 m.org_id,
                                 m.org_path,
                                 rows->OptionalText(i, 1),
                                 m.first_day.value_or("")};
              if (auto f = JudgeAbsence(facts, ctx.as_of, static_cast<int>(*notice))) {
                out.push_back(std::move(*f));
              }
            }
            return out;
          }},
      RuleSpec{.id = "orglife.general_meeting.vote_without_quorum",
               .title = "党员大会到会人数未过半数即进行表决",
               .severity = red,
               .source =
                   "中国共产党支部工作条例（试行）第十一条（表决必须有半数以上有表决权的党员到"
                   "会方可进行）",
               .subject_kind = "meeting",
               .scan = [](ScanContext& ctx) -> Result<std::vector<Finding>> {
                 auto rows = ctx.connection.Query(
                     WholeTree(ctx) ? kVotesWithoutQuorum : kVotesWithoutQuorumInSubtree,
                     {ctx.period.first_day, ctx.as_of, ctx.path_from, ctx.path_to});
                 if (!rows) return Fail(rows.error());
                 std::vector<Finding> out;
                 for (std::size_t i = 0; i < rows->size(); ++i) {
                   Finding f;
                   f.subject_kind = "meeting";
                   f.subject_id = rows->Int(i, 0);
                   f.subject_name = rows->Text(i, 1);
                   f.org_id = rows->Int(i, 2);
                   f.org_path = rows->Text(i, 3);
                   f.severity = std::string(compliance::kRed);
                   std::int64_t expected = rows->Int(i, 5), present = rows->Int(i, 6);
                   f.message = rows->Text(i, 4) + " 支部党员大会应到会有表决权的党员 " +
                               std::to_string(expected) + " 名，到会 " + std::to_string(present) +
                               " 名，未超过半数却进行了表决，表决无效";
                   f.facts = {{"held_on", rows->Text(i, 4)},
                              {"voting_expected", expected},
                              {"voting_present", present}};
                   out.push_back(std::move(f));
                 }
                 return out;
               }},
  };
}

}  // namespace zhibu::orglife
