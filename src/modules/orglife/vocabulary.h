#pragma once
//! The closed vocabularies of 组织生活纪实 (spec 04): the kinds of record with who is expected at
//! each, the record's statuses, attendance statuses and the roles of people in a record. Each is an
//! API spelling with its Chinese title; a deployment's local kinds will join `Kinds()` later.

#include <span>
#include <string_view>

#include "modules/org/vocabulary.h"

namespace zhibu::orglife {

using org::Term;
using org::TitleOf;

//! Who is expected (应到) at a record of a kind, computed from the registry on the record's date.
enum class Expected {
  kBranchMembers,  //!< the branch's members (正式 and 预备) on that date
  kCommittee,  //!< the committee current on that date (支委会; 党委班子 for 民主生活会)
  kGroupMembers,  //!< the members of the 党小组 on that date
  kOpen,  //!< nobody in advance: participants are entered (谈心谈话, meetings of a 党委)
};

//! One kind of record.
struct MeetingKind {
  std::string_view id;     //!< `committee_meeting`
  std::string_view title;  //!< `支委会`
  //! The organisation kinds a record of this kind belongs to (`branch`, `group`, `committee`…).
  std::span<const std::string_view> org_kinds;
  Expected expected = Expected::kBranchMembers;
  //! Whether resolutions are put to a vote whose result the server computes (党员大会 only: the
  //! "two halves" rule of 支部工作条例 第十一条).
  bool votes = false;
};

//! 支部党员大会, 支委会, 党小组会, 党课, 主题党日, 组织生活会, 民主评议党员, 谈心谈话, 三述一评,
//! 民主生活会.
std::span<const MeetingKind> Kinds();
//! The kind `id`, or null.
const MeetingKind* FindKind(std::string_view id);

//! Kind ids the rules and the demo name.
inline constexpr std::string_view kGeneralMeeting = "branch_general_meeting";
inline constexpr std::string_view kCommitteeMeeting = "committee_meeting";
inline constexpr std::string_view kGroupMeeting = "group_meeting";
inline constexpr std::string_view kPartyLecture = "party_lecture";
inline constexpr std::string_view kThemeDay = "theme_day";
inline constexpr std::string_view kOrgLifeMeeting = "org_life_meeting";
inline constexpr std::string_view kMemberAppraisal = "member_appraisal";
inline constexpr std::string_view kHeartToHeart = "heart_to_heart";

//! draft → submitted → accepted | returned (→ submitted again) → archived; a draft or a returned
//! record may be withdrawn. Never deleted.
std::span<const Term> Statuses();
//! present / leave (with a reason) / absent.
std::span<const Term> AttendanceStatuses();
//! expected (应到), attached (流入党员, 双重组织生活), participant (open kinds), guest (列席).
std::span<const Term> Roles();
//! Why a member present has no vote: 预备党员, 留党察看, 流入党员 (no vote at the destination).
std::span<const Term> NoVoteReasons();

//! Whether a record in `status` counts as held (submitted, returned, accepted, archived): a
//! returned record describes a meeting that took place, only its record needs fixing.
bool IsHeldStatus(std::string_view status);
//! Whether a record in `status` may still be edited (draft, returned).
bool IsEditableStatus(std::string_view status);

}  // namespace zhibu::orglife
