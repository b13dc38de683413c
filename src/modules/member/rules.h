#pragma once
//! The member registry's compliance rules (spec 07 wave 1): branch sizes and committees (which
//! depend on the number of full members), and members away, out of contact, in transfer or past
//! their probation. Each judgement is a pure function of facts, unit-tested on both sides of its
//! threshold; each scan gathers its facts for a subtree with one set-based query.

#include <optional>
#include <string>
#include <vector>

#include "platform/compliance/rule.h"

namespace zhibu::member {

//! How many days a transfer may stay open before it is flagged (local practice).
inline constexpr std::string_view kTransferPendingSetting = "member.transfer_pending_days";

//! One active branch (支部, 联合支部, 总支) with its current members and committee.
struct BranchFacts {
  std::int64_t org_id = 0;
  std::string org_name;
  std::string org_path;
  std::string kind;
  std::int64_t full = 0;
  std::int64_t probationary = 0;
  bool has_committee = false;
  std::int64_t committee_size = 0;
};

//! 正式党员不足3人的党支部 — red (支部工作条例 第四条、第七条).
std::optional<compliance::Finding> JudgeBelowThreeFull(const BranchFacts& f);
//! 党员超过50人的党支部 — yellow (支部工作条例 第四条: 一般不超过50人).
std::optional<compliance::Finding> JudgeOverFifty(const BranchFacts& f);
//! 正式党员7人以上未设支部委员会 — red.
std::optional<compliance::Finding> JudgeCommitteeRequired(const BranchFacts& f);
//! 支部委员会人数不在3至5人 — yellow; 超过7人 — red.
std::optional<compliance::Finding> JudgeCommitteeSize(const BranchFacts& f);
//! 总支的党员人数: under 50 (needs approval) or 100 and more (a 基层党委 may be set up) — info.
std::optional<compliance::Finding> JudgeGeneralBranchSize(const BranchFacts& f);

//! One member for the member rules.
struct MemberFacts {
  std::int64_t member_id = 0;
  std::string name;
  std::int64_t org_id = 0;
  std::string org_path;
  std::string status;
  std::string joined_on;
  std::optional<std::string> away_since;
  std::optional<std::string> lost_contact_since;
  bool probation_extended = false;
};

//! 外出6个月以上未转移组织关系 — yellow (党员教育管理工作条例 第二十五条、第三十二条).
std::optional<compliance::Finding> JudgeMobileTransferDue(const MemberFacts& f,
                                                          const std::string& as_of);
//! 失去联系6个月以上 — red (第二十四条: 停止党籍 may be proposed).
std::optional<compliance::Finding> JudgeLostContact(const MemberFacts& f, const std::string& as_of);
//! 预备期满未讨论转正 — red (党章 第七条: 预备期一年; extended at most one more year).
std::optional<compliance::Finding> JudgeProbationOverdue(const MemberFacts& f,
                                                         const std::string& as_of);

//! One open transfer.
struct TransferFacts {
  std::int64_t transfer_id = 0;
  std::string member_name;
  std::int64_t org_id = 0;  //!< the sending branch, answerable until receipt
  std::string org_path;
  std::string status;
  std::string requested_on;
  std::optional<std::string> letter_valid_until;
};

//! 转接久拖未办结: open longer than `pending_days` — yellow; an approved letter past its validity
//! — red.
std::optional<compliance::Finding> JudgeTransferPending(const TransferFacts& f,
                                                        const std::string& as_of, int pending_days);

//! 联合党支部中正式党员3人以上的单位 (should have a branch of its own) — yellow. `units` maps a
//! work unit to its full members in the joint branch.
std::optional<compliance::Finding> JudgeUnitNeedsBranch(
    const BranchFacts& f, const std::vector<std::pair<std::string, std::int64_t>>& units);

//! The rules above, for the manifest.
std::vector<compliance::RuleSpec> RegistryRules();

}  // namespace zhibu::member
