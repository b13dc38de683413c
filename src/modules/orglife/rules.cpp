#include "modules/orglife/rules.h"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <stdexcept>
#include <unordered_map>

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
//! The same for a large subtree: every counted record of the kind in the range, from the
//! covering index meeting_record_kind_counted alone (no record, no organisation read); the records
//! of organisations outside the subtree are set aside by the caller.
constexpr std::string_view kHeldAll =
    "SELECT r.org_id, r.held_on FROM meeting_record r WHERE r.kind = $1 AND r.counted = 1 AND "
    "r.held_on >= $2 AND r.held_on <= $3";
//! Up to this many organisations, their records are sought one organisation at a time (each
//! holds a few dozen records a year); above, the kind's records are read once.
constexpr std::size_t kHeldInListMax = 300;
//! Organisations (a 党小组 stands for its branch) with a counted record in a range of dates.
constexpr std::string_view kLifeOffered =
    "SELECT DISTINCT CASE WHEN o.kind = 'group' THEN o.parent_id ELSE r.org_id END FROM "
    "meeting_record r JOIN organisation o ON o.id = r.org_id WHERE r.counted = 1 AND r.held_on > "
    "$1 AND r.held_on <= $2 AND o.path >= $3 AND o.path < $4";
//! Members of the subtree (not hardship-exempt: 党员教育管理工作条例 第二十三条) whose last
//! organisational life anywhere is on or before $4 (or who have none), with their first day in
//! the deployment. One index seek per member for the last life; the rest only for those kept ($4
//! lies a few days after the notice threshold: JudgeAbsence decides exactly, months being uneven).
constexpr std::string_view kMembersLastLife =
    "SELECT t.id, t.name, t.org_id, t.org_path, t.last_life, (SELECT MIN(s.valid_from) FROM "
    "member_span s WHERE s.member_id = t.id) FROM (SELECT m.id, m.name, m.org_id, m.org_path, "
    "(SELECT MAX(a.counted_on) FROM meeting_attendance a WHERE a.member_id = m.id AND a.counted_on "
    "IS NOT NULL AND a.status <> 'absent' AND a.counted_on <= $3) AS last_life FROM member m WHERE "
    "m.org_path >= $1 AND m.org_path < $2 AND m.status IN ('full', 'probationary') AND "
    "m.departed_on IS NULL AND m.hardship = 0) t WHERE t.last_life IS NULL OR t.last_life <= $4";
//! 党员大会 records of the period whose votes were held without the attendance quorum.
constexpr std::string_view kVotesWithoutQuorum =
    "SELECT r.id, r.topic, r.org_id, o.path, r.held_on, r.voting_expected, r.voting_present FROM "
    "meeting_record r JOIN organisation o ON o.id = r.org_id WHERE r.counted = 1 AND r.kind = "
    "'branch_general_meeting' AND r.vote_without_quorum = 1 AND r.held_on >= $1 AND r.held_on <= "
    "$2 AND o.path >= $3 AND o.path < $4";

//! How many cycles back the facts of a duty reach (the streak of missed cycles shown).
constexpr int kLookbackCycles = 7;

std::string Day(std::chrono::year_month_day d) { return FormatIsoDate(d); }

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
  std::string sql(kHeldAll);
  if (orgs.size() <= kHeldInListMax) {
    sql = kHeldOf;
    for (std::size_t i = 0; i < orgs.size(); ++i) {
      params.emplace_back(orgs[i].id);
      sql += (i == 0 ? "$" : ", $") + std::to_string(params.size());
    }
    sql += ")";
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

}  // namespace

namespace {
//! CycleOf without its cache.
Cycle ComputeCycle(std::string_view date, int months);
}  // namespace

std::span<const FrequencyDuty> FrequencyDuties() {
  static const std::vector<FrequencyDuty> columns = [] {
    std::vector<FrequencyDuty> out;
    for (const auto& r : DutyRules()) out.push_back(r.column);
    return out;
  }();
  return columns;
}

Result<DutyStandings> StandingsOf(ScanContext& ctx, std::string_view rule_id) {
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
                kLifeOffered, {MonthsLater(ctx.as_of, -6), ctx.as_of, ctx.path_from, ctx.path_to});
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
            std::vector<Finding> out;
            for (std::size_t i = 0; i < rows->size(); ++i) {
              if (!with_life.contains(rows->Int(i, 2))) continue;
              AbsenceFacts facts{rows->Int(i, 0),          rows->Text(i, 1),
                                 rows->Int(i, 2),          rows->Text(i, 3),
                                 rows->OptionalText(i, 4), rows->OptionalText(i, 5).value_or("")};
              if (auto f = JudgeAbsence(facts, ctx.as_of, static_cast<int>(*notice))) {
                out.push_back(std::move(*f));
              }
            }
            return out;
          }},
      RuleSpec{
          .id = "orglife.general_meeting.vote_without_quorum",
          .title = "党员大会到会人数未过半数即进行表决",
          .severity = red,
          .source = "中国共产党支部工作条例（试行）第十一条（表决必须有半数以上有表决权的党员到"
                    "会方可进行）",
          .subject_kind = "meeting",
          .scan = [](ScanContext& ctx) -> Result<std::vector<Finding>> {
            auto rows = ctx.connection.Query(
                kVotesWithoutQuorum, {ctx.period.first_day, ctx.as_of, ctx.path_from, ctx.path_to});
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
