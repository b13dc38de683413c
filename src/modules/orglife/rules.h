#pragma once
//! The compliance rules of organisational life (spec 04 "Frequencies", spec 07): each frequency
//! duty of a period missed (red) or due soon (yellow), a member without organisational life for 6
//! consecutive months (党章 第九条: a warning to the branch, never a removal), and a 党员大会 vote
//! held without its quorum. National frequencies are code; local practice (the day of 主题党日,
//! how often 党课, how early a duty turns yellow) is settings. Each judgement is a pure function
//! of facts, unit-tested on both sides of its thresholds; each scan gathers the facts of a subtree
//! with a few set-based queries.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/compliance/rule.h"

namespace zhibu::orglife {

//! The day of the month of 主题党日 (local: 涪陵 holds it on the 10th).
inline constexpr std::string_view kThemeDaySetting = "orglife.theme_day_of_month";
//! One 党课 every this many months (local: the 支部条例 sets no count; commonly every quarter).
inline constexpr std::string_view kPartyLectureMonthsSetting = "orglife.party_lecture_months";
//! How many days before a monthly, quarterly or yearly duty falls due it turns yellow.
inline constexpr std::string_view kDueSoonMonthSetting = "orglife.due_soon_days_month";
inline constexpr std::string_view kDueSoonQuarterSetting = "orglife.due_soon_days_quarter";
inline constexpr std::string_view kDueSoonYearSetting = "orglife.due_soon_days_year";
//! After how many months without organisational life a member turns yellow (red at 6: 党章 第九条).
inline constexpr std::string_view kAbsenceNoticeSetting = "orglife.absence_notice_months";

//! A cycle of a duty: `months` calendar months, counted from January (a year that does not divide
//! evenly ends with a shorter cycle).
struct Cycle {
  std::string id;  //!< `2026-11`, `2026-Q4`, `2026`, or `2026-01~2026-04`
  std::string first_day;
  std::string last_day;
};
//! The cycle of `months` months (1–12) containing `date` (YYYY-MM-DD).
Cycle CycleOf(std::string_view date, int months);

//! A recurring duty of an organisation: at least one counted record of `kind` per cycle.
struct Duty {
  std::string_view kind;
  std::string_view title;  //!< 支委会, 主题党日 …
  std::string_view verb;   //!< 召开 / 开展
  int months = 1;
  //! 0: due by the cycle's last day; else the day of the month it is due on (主题党日), capped to
  //! the month's length.
  int due_day = 0;
  //! The yellow window: days before the due day.
  int due_soon_days = 7;
};

//! One organisation's facts for one duty, as of the day judged.
struct DutyFacts {
  std::int64_t org_id = 0;
  std::string org_name;
  std::string org_path;
  //! The duty binds the cycles that start on or after this date (the organisation's or its
  //! committee's beginning).
  std::string applies_from;
  //! Dates of counted records of the duty's kind, ascending, none after the day judged (those of
  //! the last 13 cycles are enough).
  std::vector<std::string> held;
};

//! What judging one organisation's duty over a period found.
struct DutyAssessment {
  //! The cycles judged, oldest first: those ending within the period and the one still open on the
  //! day judged, from the first that begins on or after `applies_from`. Empty: the duty does not
  //! bind the organisation in the period (it began too late, or the period lies in the future).
  std::vector<std::string> judged;
  //! The cycles missed (red), oldest first; may name the cycle before the period when the breach
  //! goes on into it.
  std::vector<std::string> missed;
  //! Counted records held within the period up to the day judged.
  int held_in_period = 0;
  //! The finding: red when a cycle is missed, yellow when the open one is due soon.
  std::optional<compliance::Finding> finding;
};

//! Judges `duty` for the cycles that end within `period` (and the cycle still open on `as_of`):
//! red when a cycle that has ended by `as_of` (its last day included) has no record, or when the
//! open cycle has none yet and the one before it had none either (the breach goes on); yellow when
//! the open cycle has none and its due day is at most `due_soon_days` away or past. The facts name
//! the last record and every missed cycle since.
DutyAssessment AssessDuty(const Duty& duty, const DutyFacts& facts,
                          const compliance::Period& period, const std::string& as_of);

//! AssessDuty's finding.
std::optional<compliance::Finding> JudgeDuty(const Duty& duty, const DutyFacts& facts,
                                             const compliance::Period& period,
                                             const std::string& as_of);

//! A frequency duty's rule, as a board of duties shows it (one column each).
struct FrequencyDuty {
  std::string_view rule_id;  //!< `orglife.committee_meeting.monthly`
  std::string_view kind;     //!< the kind of record that meets it
  bool groups = false;       //!< its subjects are 党小组 (else branches)
};

//! The duties of the board, in its column order: the seven frequency duties (支部党员大会,
//! 支委会, 党小组会, 主题党日, 党课, 组织生活会, 民主评议党员) and the yearly 谈心谈话
//! (`orglife.heart_to_heart.yearly`, judged by AssessTalks).
std::span<const FrequencyDuty> FrequencyDuties();

//! One organisation bound by a duty in a subtree, with its facts and how it stands.
struct DutyStanding {
  DutyFacts facts;
  DutyAssessment assessment;
};

//! A duty over a subtree and period: the duty as the settings make it (its cycle, due day and
//! yellow window), and every organisation it may bind (the active branches, those with a
//! committee, or the 党小组, with members today), each judged.
struct DutyStandings {
  Duty duty;
  std::vector<DutyStanding> subjects;
};

//! Gathers the facts of the board's duty `rule_id` (one of FrequencyDuties) over `ctx`'s subtree
//! and judges them:
//! exactly the rule's own scan, which keeps only the findings (so the two always agree).
//! `ctx.Memo` shares the organisations between duties. An unknown rule id is a bug
//! (std::logic_error).
Result<DutyStandings> StandingsOf(compliance::ScanContext& ctx, std::string_view rule_id);

//! One member for the 6-month rule.
struct AbsenceFacts {
  std::int64_t member_id = 0;
  std::string name;
  std::int64_t org_id = 0;
  std::string org_path;
  //! The last counted record where they were present or on leave with a reason, at any branch
  //! (their own, or the one they are attached to as 流动党员).
  std::optional<std::string> last_attended;
  //! Since when the member belongs to the deployment (their first membership span).
  std::string member_since;
};

//! 连续6个月未参加组织生活 (党章 第九条; 党员教育管理工作条例 第三十一条): red from 6 months after
//! the later of `last_attended` and `member_since` (to the day), yellow from `notice_months`.
std::optional<compliance::Finding> JudgeAbsence(const AbsenceFacts& facts, const std::string& as_of,
                                                int notice_months);

//! The 谈心谈话 duty's rule id.
inline constexpr std::string_view kTalksRule = "orglife.heart_to_heart.yearly";
//! At most this many missing pairs and members are named in a 谈心谈话 finding's facts.
inline constexpr std::size_t kTalksListed = 20;

//! A person of a branch for the 谈心谈话 duty.
struct TalkPerson {
  std::int64_t member_id = 0;
  std::string name;
  //! Since when they belong to the branch (their first day in it).
  std::string since;
};

//! A counted 谈心谈话 record of a branch: its date and the members present.
struct TalkRecord {
  std::string held_on;
  std::vector<std::int64_t> present;
};

//! One branch's facts for the 谈心谈话 duty, as of the day judged.
struct TalkFacts {
  std::int64_t org_id = 0;
  std::string org_name;
  std::string org_path;
  //! The current committee's election day; empty when the branch has none.
  std::string committee_elected_on;
  //! The 支委 of the current committee who are members of the branch today (the secretary of a
  //! branch too small for a committee is its one member).
  std::vector<TalkPerson> committee;
  //! The branch's other full and probationary members today (hardship-exempt ones left out:
  //! 党员教育管理工作条例 第二十三条).
  std::vector<TalkPerson> members;
  //! Positions of the current committee held by people who are not members of the branch in the
  //! registry: they cannot be entered in a record, so are not judged (named in the facts).
  std::vector<std::string> committee_not_judged;
  //! The branch's counted 谈心谈话 records of the year, ascending by date.
  std::vector<TalkRecord> records;
};

//! What judging one branch's 谈心谈话 in the year of a period found.
struct TalkAssessment {
  std::string year;
  //! Whether the duty binds the branch: it has a judged 支委 and the period has begun.
  bool binds = false;
  std::vector<std::pair<TalkPerson, TalkPerson>> missing_pairs;
  std::vector<TalkPerson> missing_members;
  int pairs_due = 0;
  int members_due = 0;
  //! Records held within the period up to the day judged.
  int held_in_period = 0;
  std::optional<compliance::Finding> finding;
};

//! 谈心谈话 (支部工作条例 ≈第十九条: 支委之间、支委和党员之间、党员之间每年一般不少于1次) for the
//! calendar year containing `period`, counting the records of that year up to `as_of`: every pair
//! of 支委 has been present together in at least one record, and every other member present in
//! at least one record with at least one 支委 (which is how 党员之间 is met too: a record names
//! everyone present). A person who joined the branch after 30 September, and the pairs of a
//! committee elected after 30 September, are not due that year. A branch without a judged 支委 is
//! not bound. Red when something is missing and the year is over (`as_of` is 31 December), yellow
//! from 1 October, nothing earlier.
TalkAssessment AssessTalks(const TalkFacts& facts, const compliance::Period& period,
                           const std::string& as_of);

//! AssessTalks's finding.
std::optional<compliance::Finding> JudgeTalks(const TalkFacts& facts,
                                              const compliance::Period& period,
                                              const std::string& as_of);

//! The rules above, for the manifest.
std::vector<compliance::RuleSpec> OrgLifeRules();

}  // namespace zhibu::orglife
