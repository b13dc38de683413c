#include "modules/orglife/vocabulary.h"

#include <array>

namespace zhibu::orglife {
namespace {

// Where a kind of record is held. 党支部 (incl. 联合、临时) and 党总支 hold the branch meetings;
// 党委 hold 党课 and the 民主生活会 of their leadership (领导班子).
constexpr std::array<std::string_view, 4> kBranchLevel = {"branch", "joint_branch",
                                                          "temporary_branch", "general_branch"};
constexpr std::array<std::string_view, 1> kGroupLevel = {"group"};
constexpr std::array<std::string_view, 2> kCommitteeLevel = {"committee", "committee_higher"};
constexpr std::array<std::string_view, 6> kAnyLevel = {"branch",           "joint_branch",
                                                       "temporary_branch", "general_branch",
                                                       "committee",        "committee_higher"};

constexpr std::array kKinds = {
    MeetingKind{"branch_general_meeting", "支部党员大会", kBranchLevel, Expected::kBranchMembers,
                true},
    MeetingKind{"committee_meeting", "支委会", kBranchLevel, Expected::kCommittee, false},
    MeetingKind{"group_meeting", "党小组会", kGroupLevel, Expected::kGroupMembers, false},
    MeetingKind{"party_lecture", "党课", kAnyLevel, Expected::kBranchMembers, false},
    MeetingKind{"theme_day", "主题党日", kBranchLevel, Expected::kBranchMembers, false},
    MeetingKind{"org_life_meeting", "组织生活会", kBranchLevel, Expected::kBranchMembers, false},
    MeetingKind{"member_appraisal", "民主评议党员", kBranchLevel, Expected::kBranchMembers, false},
    MeetingKind{"heart_to_heart", "谈心谈话", kAnyLevel, Expected::kOpen, false},
    MeetingKind{"three_reports_one_review", "三述一评", kAnyLevel, Expected::kOpen, false},
    MeetingKind{"democratic_life_meeting", "民主生活会", kCommitteeLevel, Expected::kCommittee,
                false},
};

constexpr std::array kStatuses = {
    Term{"draft", "草稿"},        Term{"submitted", "已提交待审核"}, Term{"returned", "已退回"},
    Term{"accepted", "审核通过"}, Term{"archived", "已归档"},        Term{"withdrawn", "已撤回"},
};
constexpr std::array kAttendance = {
    Term{"present", "出席"},
    Term{"leave", "请假"},
    Term{"absent", "缺席"},
};
constexpr std::array kRoles = {
    Term{"expected", "应到"},
    Term{"attached", "流入党员"},
    Term{"participant", "参加人员"},
    Term{"guest", "列席"},
};
constexpr std::array kNoVote = {
    Term{"probationary", "预备党员"},
    Term{"party_probation", "留党察看期间"},
    Term{"attached", "流入党员（在流入地无表决权）"},
};

}  // namespace

std::span<const MeetingKind> Kinds() { return kKinds; }

const MeetingKind* FindKind(std::string_view id) {
  for (const auto& kind : kKinds) {
    if (kind.id == id) return &kind;
  }
  return nullptr;
}

std::span<const Term> Statuses() { return kStatuses; }
std::span<const Term> AttendanceStatuses() { return kAttendance; }
std::span<const Term> Roles() { return kRoles; }
std::span<const Term> NoVoteReasons() { return kNoVote; }

bool IsHeldStatus(std::string_view status) {
  return status == "submitted" || status == "returned" || status == "accepted" ||
         status == "archived";
}

bool IsEditableStatus(std::string_view status) { return status == "draft" || status == "returned"; }

}  // namespace zhibu::orglife
