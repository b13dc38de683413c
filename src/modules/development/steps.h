#pragma once
//! The 25 steps of 发展党员 as a workflow table (spec 06; rules.md §3): the 中组部组织一局
//! flowchart's five stages, each step's fields, gates and time limits from
//! 《中国共产党发展党员工作细则》 (2014, "细则") and 党章 第一、五、七条. National rules are fixed
//! here; local practice (the application's age before an activist is named, how soon a deadline
//! counts as near) comes from settings. Gates are pure functions of the case's records and the
//! facts the store gathers
//! (`Attempt::facts`), unit-tested on both sides of every edge in steps_test.cpp.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "platform/workflow/workflow.h"

namespace zhibu::development {

inline constexpr std::string_view kReadPermission = "development.read";
inline constexpr std::string_view kWritePermission = "development.write";

//! Local settings (docs/rules.md).
inline constexpr std::string_view kActivistMinApplicationMonths =
    "development.activist_min_application_months";
inline constexpr std::string_view kDueSoonDays = "development.due_soon_days";
inline constexpr std::string_view kPublicNoticeWorkdays = "development.public_notice_workdays";

//! Step numbers the store and the documents refer to.
enum Step : int {
  kApplication = 1,
  kTalk = 2,
  kActivist = 3,
  kContacts = 5,
  kReview = 6,
  kTarget = 7,
  kSponsors = 9,
  kPoliticalReview = 10,
  kTraining = 11,
  kPreReview = 13,
  kAdmissionMeeting = 15,
  kApproval = 17,
  kPlacement = 19,
  kProbationReview = 21,
  kConversionMeeting = 23,
  kConversionApproval = 24,
  kArchive = 25,
};

//! The table (built once).
const workflow::WorkflowTable& AdmissionTable();

//! The stage of a case whose last record is `history.back()`: application (1–2), activist (3–6),
//! target (7–16), probationary (17–23, and 24 approving an extension), converted (24 approving the
//! conversion), completed (25); `closed` for a cancelled probation.
std::string StageOf(const std::vector<workflow::StepRecord>& history);

//! The key dates a case's records give.
struct KeyDates {
  std::string applied_on;
  std::optional<std::string> activist_on;
  std::optional<std::string> target_on;
  std::optional<std::string> admitted_on;        //!< the 支部大会 of step 15 = 入党时间
  std::optional<std::string> probation_ends_on;  //!< admitted_on + 1 year + an approved extension
  std::optional<std::string> confirmed_on;       //!< 转正 approved: the end of the probation
  int extended_months = 0;
};
KeyDates KeyDatesOf(const std::vector<workflow::StepRecord>& history);

//! The open deadlines of a case: the table's time limits and, for a probationary member, the
//! 支部大会 on conversion due at the end of the probation (党章 第七条). Earliest first.
std::vector<workflow::Deadline> CaseDeadlines(const std::vector<workflow::StepRecord>& history,
                                              const std::map<std::string, std::int64_t>& settings,
                                              const std::string& today);

//! 18 whole years on `on` for someone born on `birth_date` (the 18th birthday passes; someone born
//! on 29 February is 18 on 1 March of a common year).
bool EighteenOn(const std::string& birth_date, const std::string& on);

}  // namespace zhibu::development
