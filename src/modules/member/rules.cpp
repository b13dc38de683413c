#include "modules/member/rules.h"

#include <chrono>
#include <map>

#include "modules/org/subtree_scope.h"
#include "platform/settings/settings.h"
#include "platform/util/date.h"

namespace zhibu::member {
namespace {

using compliance::Finding;
using compliance::ScanContext;

constexpr std::string_view kBranchMembers =
    "SELECT o.id, o.name, o.path, o.kind, COALESCE(SUM(CASE WHEN m.status = 'full' THEN 1 ELSE 0 "
    "END), 0), COALESCE(SUM(CASE WHEN m.status = 'probationary' THEN 1 ELSE 0 END), 0) FROM "
    "organisation o LEFT JOIN member m ON m.org_id = o.id AND m.status IN ('full', "
    "'probationary') AND m.departed_on IS NULL WHERE o.path >= $1 AND o.path < $2 AND o.status "
    "= 'active' AND o.kind IN ('branch', 'joint_branch') GROUP BY o.id, o.name, o.path, o.kind";
constexpr std::string_view kGeneralBranches =
    "SELECT id, name, path, kind FROM organisation WHERE path >= $1 AND path < $2 AND status = "
    "'active' AND kind = 'general_branch'";
constexpr std::string_view kSubtreeActive =
    "SELECT COUNT(*) FROM member WHERE org_path >= $1 AND org_path < $2 AND status IN ('full', "
    "'probationary') AND departed_on IS NULL";
constexpr std::string_view kCommittees =
    "SELECT c.org_id, COUNT(p.id) FROM committee c JOIN organisation o ON o.id = c.org_id LEFT "
    "JOIN committee_position p ON p.committee_id = c.id WHERE c.is_current = 1 AND o.path >= $1 "
    "AND o.path < $2 GROUP BY c.org_id";
constexpr std::string_view kJointUnits =
    "SELECT m.org_id, m.work_unit, COUNT(*) FROM member m JOIN organisation o ON o.id = m.org_id "
    "WHERE o.kind = 'joint_branch' AND o.status = 'active' AND o.path >= $1 AND o.path < $2 AND "
    "m.status = 'full' AND m.departed_on IS NULL AND m.work_unit <> '' GROUP BY m.org_id, "
    "m.work_unit HAVING COUNT(*) >= 3 ORDER BY m.org_id, m.work_unit";
constexpr std::string_view kMembersOfInterest =
    "SELECT m.id, m.name, m.org_id, m.org_path, m.status, m.joined_on, m.away_since, "
    "m.lost_contact_since, (SELECT COUNT(*) FROM member_event e WHERE e.member_id = m.id AND "
    "e.kind = 'extend_probation') FROM member m WHERE m.org_path >= $1 AND m.org_path < $2 AND "
    "m.status IN ('full', 'probationary') AND m.departed_on IS NULL AND (m.away_since IS NOT NULL "
    "OR m.lost_contact_since IS NOT NULL OR (m.status = 'probationary' AND m.joined_on < $3))";
constexpr std::string_view kOpenTransfers =
    "SELECT t.id, m.name, t.from_org_id, o.path, t.status, t.requested_on, t.letter_valid_until "
    "FROM member_transfer t JOIN member m ON m.id = t.member_id JOIN organisation o ON o.id = "
    "t.from_org_id WHERE t.status IN ('requested', 'approved') AND o.path >= $1 AND o.path < $2";

std::string MonthsBefore(const std::string& date, int months) {
  return FormatIsoDate(AddMonths(*ParseIsoDate(date), -months));
}

Finding OrgFinding(const BranchFacts& f, std::string_view severity, std::string message) {
  Finding out;
  out.subject_kind = "organisation";
  out.subject_id = f.org_id;
  out.subject_name = f.org_name;
  out.org_id = f.org_id;
  out.org_path = f.org_path;
  out.severity = std::string(severity);
  out.message = std::move(message);
  out.facts = {{"full_members", f.full},
               {"probationary_members", f.probationary},
               {"kind", f.kind},
               {"has_committee", f.has_committee},
               {"committee_size", f.committee_size}};
  return out;
}

Finding MemberFinding(const MemberFacts& f, std::string_view severity, std::string message,
                      boost::json::object facts) {
  Finding out;
  out.subject_kind = "member";
  out.subject_id = f.member_id;
  out.subject_name = f.name;
  out.org_id = f.org_id;
  out.org_path = f.org_path;
  out.severity = std::string(severity);
  out.message = std::move(message);
  out.facts = std::move(facts);
  return out;
}

using Judge = std::optional<Finding> (*)(const BranchFacts&);

Result<std::vector<BranchFacts>> Branches(ScanContext& ctx) {
  auto memo = ctx.Memo<std::vector<BranchFacts>>(
      "member.branches", [&]() -> Result<std::vector<BranchFacts>> {
        auto rows = ctx.connection.Query(kBranchMembers, {ctx.path_from, ctx.path_to});
        if (!rows) return Fail(rows.error());
        auto committees = ctx.connection.Query(kCommittees, {ctx.path_from, ctx.path_to});
        if (!committees) return Fail(committees.error());
        std::map<std::int64_t, std::int64_t> sizes;
        for (std::size_t i = 0; i < committees->size(); ++i) {
          sizes[committees->Int(i, 0)] = committees->Int(i, 1);
        }
        std::vector<BranchFacts> out;
        for (std::size_t i = 0; i < rows->size(); ++i) {
          BranchFacts f{rows->Int(i, 0),
                        rows->Text(i, 1),
                        rows->Text(i, 2),
                        rows->Text(i, 3),
                        rows->Int(i, 4),
                        rows->Int(i, 5),
                        false,
                        0};
          if (auto s = sizes.find(f.org_id); s != sizes.end()) {
            f.has_committee = true;
            f.committee_size = s->second;
          }
          out.push_back(std::move(f));
        }
        return out;
      });
  if (!memo) return Fail(memo.error());
  return **memo;
}

std::function<Result<std::vector<Finding>>(ScanContext&)> BranchScan(Judge judge) {
  return [judge](ScanContext& ctx) -> Result<std::vector<Finding>> {
    auto branches = Branches(ctx);
    if (!branches) return Fail(branches.error());
    std::vector<Finding> out;
    for (const auto& b : *branches) {
      if (auto f = judge(b)) out.push_back(std::move(*f));
    }
    return out;
  };
}

Result<std::vector<MemberFacts>> Members(ScanContext& ctx) {
  auto memo = ctx.Memo<std::vector<MemberFacts>>(
      "member.members", [&]() -> Result<std::vector<MemberFacts>> {
        // Probationary members admitted more than a year ago are the only ones that can be overdue.
        auto rows = ctx.connection.Query(kMembersOfInterest,
                                         {ctx.path_from, ctx.path_to, MonthsBefore(ctx.as_of, 12)});
        if (!rows) return Fail(rows.error());
        std::vector<MemberFacts> out;
        for (std::size_t i = 0; i < rows->size(); ++i) {
          out.push_back({rows->Int(i, 0), rows->Text(i, 1), rows->Int(i, 2), rows->Text(i, 3),
                         rows->Text(i, 4), rows->Text(i, 5), rows->OptionalText(i, 6),
                         rows->OptionalText(i, 7), rows->Int(i, 8) > 0});
        }
        return out;
      });
  if (!memo) return Fail(memo.error());
  return **memo;
}

using MemberJudge = std::optional<Finding> (*)(const MemberFacts&, const std::string&);

std::function<Result<std::vector<Finding>>(ScanContext&)> MemberScan(MemberJudge judge) {
  return [judge](ScanContext& ctx) -> Result<std::vector<Finding>> {
    auto members = Members(ctx);
    if (!members) return Fail(members.error());
    std::vector<Finding> out;
    for (const auto& m : *members) {
      if (auto f = judge(m, ctx.as_of)) out.push_back(std::move(*f));
    }
    return out;
  };
}

bool IsBranch(const BranchFacts& f) { return f.kind == "branch" || f.kind == "joint_branch"; }

}  // namespace

std::optional<Finding> JudgeBelowThreeFull(const BranchFacts& f) {
  if (!IsBranch(f) || f.full >= 3) return std::nullopt;
  return OrgFinding(
      f, compliance::kRed,
      "正式党员仅 " + std::to_string(f.full) +
          " 名，不足3名，已不符合党支部设立条件，应及时调整（如组建联合党支部）或撤销");
}

std::optional<Finding> JudgeOverFifty(const BranchFacts& f) {
  std::int64_t total = f.full + f.probationary;
  if (!IsBranch(f) || total <= 50) return std::nullopt;
  return OrgFinding(
      f, compliance::kYellow,
      "党员 " + std::to_string(total) + " 名，超过50名，可考虑分设党支部或经批准设立党总支");
}

std::optional<Finding> JudgeCommitteeRequired(const BranchFacts& f) {
  if (!IsBranch(f) || f.full < 7 || f.has_committee) return std::nullopt;
  return OrgFinding(f, compliance::kRed,
                    "正式党员 " + std::to_string(f.full) + " 名（7名以上），应当设立党支部委员会");
}

std::optional<Finding> JudgeCommitteeSize(const BranchFacts& f) {
  if (!IsBranch(f) || !f.has_committee) return std::nullopt;
  if (f.committee_size > 7) {
    return OrgFinding(f, compliance::kRed,
                      "支部委员会 " + std::to_string(f.committee_size) + " 人，超过7人");
  }
  if (f.committee_size < 3 || f.committee_size > 5) {
    return OrgFinding(f, compliance::kYellow,
                      "支部委员会 " + std::to_string(f.committee_size) + " 人，一般应为3至5人");
  }
  return std::nullopt;
}

std::optional<Finding> JudgeGeneralBranchSize(const BranchFacts& f) {
  if (f.kind != "general_branch") return std::nullopt;
  std::int64_t total = f.full + f.probationary;
  if (total < 50) {
    return OrgFinding(
        f, compliance::kInfo,
        "党总支党员 " + std::to_string(total) + " 名，不足50名（设立党总支须经上级党组织批准）");
  }
  if (total >= 100) {
    return OrgFinding(
        f, compliance::kInfo,
        "党总支党员 " + std::to_string(total) + " 名，已达100名，经批准可设立基层党委");
  }
  return std::nullopt;
}

std::optional<Finding> JudgeMobileTransferDue(const MemberFacts& f, const std::string& as_of) {
  if (!f.away_since || *f.away_since > MonthsBefore(as_of, 6)) return std::nullopt;
  return MemberFinding(f, compliance::kYellow,
                       "自 " + *f.away_since + " 外出已满6个月，尚未转移组织关系",
                       {{"away_since", *f.away_since}});
}

std::optional<Finding> JudgeLostContact(const MemberFacts& f, const std::string& as_of) {
  if (!f.lost_contact_since || *f.lost_contact_since > MonthsBefore(as_of, 6)) {
    return std::nullopt;
  }
  return MemberFinding(
      f, compliance::kRed,
      "自 " + *f.lost_contact_since +
          " 失去联系已满6个月，经查找仍无法联系的，可按规定停止党籍（由党支部讨论决定）",
      {{"lost_contact_since", *f.lost_contact_since}});
}

std::optional<Finding> JudgeProbationOverdue(const MemberFacts& f, const std::string& as_of) {
  if (f.status != "probationary") return std::nullopt;
  // 预备期一年, from the day the 支部大会 admitted the member; an extension adds at most a year.
  int months = f.probation_extended ? 24 : 12;
  std::string ends = FormatIsoDate(AddMonths(*ParseIsoDate(f.joined_on), months));
  if (ends >= as_of) return std::nullopt;
  return MemberFinding(f, compliance::kRed,
                       std::string("预备期已于 ") + ends + " 期满" +
                           (f.probation_extended ? "（已延长）" : "") + "，支部大会尚未讨论其转正",
                       {{"joined_on", f.joined_on},
                        {"probation_ends_on", ends},
                        {"extended", f.probation_extended}});
}

std::optional<Finding> JudgeTransferPending(const TransferFacts& f, const std::string& as_of,
                                            int pending_days) {
  Finding out;
  out.subject_kind = "transfer";
  out.subject_id = f.transfer_id;
  out.subject_name = f.member_name;
  out.org_id = f.org_id;
  out.org_path = f.org_path;
  out.facts = {{"status", f.status}, {"requested_on", f.requested_on}};
  out.facts["letter_valid_until"] =
      f.letter_valid_until ? boost::json::value(*f.letter_valid_until) : nullptr;
  if (f.status == "approved" && f.letter_valid_until && *f.letter_valid_until < as_of) {
    out.severity = std::string(compliance::kRed);
    out.message = "介绍信已于 " + *f.letter_valid_until + " 过期，转接仍未办结";
    return out;
  }
  int days = DaysBetween(*ParseIsoDate(f.requested_on), *ParseIsoDate(as_of));
  if (days <= pending_days) return std::nullopt;
  out.severity = std::string(compliance::kYellow);
  out.message =
      "组织关系转接自 " + f.requested_on + " 提出，已 " + std::to_string(days) + " 天未办结";
  out.facts["open_days"] = days;
  return out;
}

std::optional<Finding> JudgeUnitNeedsBranch(
    const BranchFacts& f, const std::vector<std::pair<std::string, std::int64_t>>& units) {
  if (f.kind != "joint_branch" || units.empty()) return std::nullopt;
  std::string names;
  boost::json::array facts;
  for (const auto& [unit, n] : units) {
    if (n < 3) continue;
    if (!names.empty()) names += "、";
    names += unit + "（" + std::to_string(n) + "名）";
    facts.push_back(boost::json::object{{"unit", unit}, {"full_members", n}});
  }
  if (facts.empty()) return std::nullopt;
  Finding out = OrgFinding(f, compliance::kYellow,
                           "联合党支部中 " + names + " 正式党员已有3名以上，应单独成立党支部");
  out.facts["units"] = std::move(facts);
  return out;
}

std::vector<compliance::RuleSpec> RegistryRules() {
  using compliance::RuleSpec;
  const std::string kBranchSetup = "中国共产党支部工作条例（试行）第四条、第七条";
  return {
      RuleSpec{.id = "org.branch.below_three_full",
               .title = "党支部正式党员不足3人",
               .severity = std::string(compliance::kRed),
               .source =
                   kBranchSetup + "（正式党员3人以上成立党支部；不再符合设立条件的及时调整或撤销）",
               .subject_kind = "organisation",
               .scan = BranchScan(JudgeBelowThreeFull)},
      RuleSpec{.id = "org.branch.over_fifty",
               .title = "党支部党员超过50人",
               .severity = std::string(compliance::kYellow),
               .source = "中国共产党支部工作条例（试行）第四条（党员人数一般不超过50人）",
               .subject_kind = "organisation",
               .scan = BranchScan(JudgeOverFifty)},
      RuleSpec{
          .id = "org.branch.committee_required",
          .title = "正式党员7人以上未设支部委员会",
          .severity = std::string(compliance::kRed),
          .source =
              "中国共产党支部工作条例（试行）第六章（有正式党员7人以上的党支部应当设立支部委员会）",
          .subject_kind = "organisation",
          .scan = BranchScan(JudgeCommitteeRequired)},
      RuleSpec{
          .id = "org.committee.size",
          .title = "支部委员会人数不在3至5人",
          .severity = std::string(compliance::kRed),
          .source = "中国共产党支部工作条例（试行）第六章（支部委员会由3至5人组成，一般不超过7人）",
          .subject_kind = "organisation",
          .scan = BranchScan(JudgeCommitteeSize)},
      RuleSpec{.id = "org.general_branch.size",
               .title = "党总支党员人数（设立条件提示）",
               .severity = std::string(compliance::kInfo),
               .source = "中国共产党党和国家机关基层组织工作条例 "
                         "第五条、第六条（50人以上设总支，100人以上设基层党委）",
               .subject_kind = "organisation",
               .scan = [](ScanContext& ctx) -> Result<std::vector<Finding>> {
                 auto rows = ctx.connection.Query(kGeneralBranches, {ctx.path_from, ctx.path_to});
                 if (!rows) return Fail(rows.error());
                 std::vector<Finding> out;
                 for (std::size_t i = 0; i < rows->size(); ++i) {
                   std::string path = rows->Text(i, 2);
                   auto count = ctx.connection.Query(std::string(kSubtreeActive),
                                                     {path, org::SubtreeEnd(path)});
                   if (!count) return Fail(count.error());
                   BranchFacts f{rows->Int(i, 0),
                                 rows->Text(i, 1),
                                 path,
                                 rows->Text(i, 3),
                                 count->Int(0, 0),
                                 0,
                                 false,
                                 0};
                   if (auto finding = JudgeGeneralBranchSize(f)) out.push_back(std::move(*finding));
                 }
                 return out;
               }},
      RuleSpec{
          .id = "org.unit.needs_branch",
          .title = "联合党支部中的单位正式党员已达3人",
          .severity = std::string(compliance::kYellow),
          .source =
              "中国共产党支部工作条例（试行）第四条（凡是有正式党员3人以上的单位都应当成立党支部）",
          .subject_kind = "organisation",
          .scan = [](ScanContext& ctx) -> Result<std::vector<Finding>> {
            auto branches = Branches(ctx);
            if (!branches) return Fail(branches.error());
            auto rows = ctx.connection.Query(kJointUnits, {ctx.path_from, ctx.path_to});
            if (!rows) return Fail(rows.error());
            std::map<std::int64_t, std::vector<std::pair<std::string, std::int64_t>>> units;
            for (std::size_t i = 0; i < rows->size(); ++i) {
              units[rows->Int(i, 0)].emplace_back(rows->Text(i, 1), rows->Int(i, 2));
            }
            std::vector<Finding> out;
            for (const auto& b : *branches) {
              auto at = units.find(b.org_id);
              if (at == units.end()) continue;
              if (auto f = JudgeUnitNeedsBranch(b, at->second)) out.push_back(std::move(*f));
            }
            return out;
          }},
      RuleSpec{.id = "member.mobile.transfer_due",
               .title = "外出6个月以上未转移组织关系",
               .severity = std::string(compliance::kYellow),
               .source = "中国共产党党员教育管理工作条例 "
                         "第二十五条（外出6个月以上且地点相对固定的应当转移组织关系）、第三十二条",
               .subject_kind = "member",
               .scan = MemberScan(JudgeMobileTransferDue)},
      RuleSpec{.id = "member.lost_contact.six_months",
               .title = "失去联系6个月以上",
               .severity = std::string(compliance::kRed),
               .source =
                   "中国共产党党员教育管理工作条例 "
                   "第二十四条（失去联系6个月以上，经查找仍无法取得联系的，一般予以停止党籍）",
               .subject_kind = "member",
               .scan = MemberScan(JudgeLostContact)},
      RuleSpec{.id = "member.probation.overdue",
               .title = "预备期满未讨论转正",
               .severity = std::string(compliance::kRed),
               .source = "中国共产党章程 第七条（预备期为一年，期满应及时讨论；延长不超过一年）",
               .subject_kind = "member",
               .scan = MemberScan(JudgeProbationOverdue)},
      RuleSpec{.id = "member.transfer.pending",
               .title = "组织关系转接未及时办结",
               .severity = std::string(compliance::kRed),
               .source =
                   "本地设置 member.transfer_pending_days（默认30天）与 "
                   "member.transfer_letter_validity_days；依据 党员教育管理工作条例 第二十五条",
               .subject_kind = "transfer",
               .scan = [](ScanContext& ctx) -> Result<std::vector<Finding>> {
                 auto days = settings::Integer(ctx.connection, kTransferPendingSetting);
                 if (!days) return Fail(days.error());
                 auto rows = ctx.connection.Query(kOpenTransfers, {ctx.path_from, ctx.path_to});
                 if (!rows) return Fail(rows.error());
                 std::vector<Finding> out;
                 for (std::size_t i = 0; i < rows->size(); ++i) {
                   TransferFacts t{rows->Int(i, 0),         rows->Text(i, 1), rows->Int(i, 2),
                                   rows->Text(i, 3),        rows->Text(i, 4), rows->Text(i, 5),
                                   rows->OptionalText(i, 6)};
                   if (t.requested_on > ctx.as_of) continue;
                   if (auto f = JudgeTransferPending(t, ctx.as_of, static_cast<int>(*days))) {
                     out.push_back(std::move(*f));
                   }
                 }
                 return out;
               }},
  };
}

}  // namespace zhibu::member
