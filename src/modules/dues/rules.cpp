#include "modules/dues/rules.h"

#include <memory>

#include "modules/dues/dues_store.h"
#include "platform/settings/settings.h"

namespace zhibu::dues {
namespace {

constexpr std::string_view kSixMonths = "dues.member.six_months_unpaid";
constexpr std::string_view kArrears = "dues.member.arrears";
constexpr std::string_view kPaidBelow = "dues.member.paid_below_quote";

//! The facts every dues rule reads, gathered once per scan: the members with a base in the
//! subtree on the day judged, and their last 12 judged months.
struct ScanFacts {
  std::vector<MemberDues> members;
  YearMonth first;
  YearMonth last;
  int notice_months = 3;
};

Result<std::shared_ptr<ScanFacts>> Facts(compliance::ScanContext& context) {
  return context.Memo<ScanFacts>("dues.facts", [&]() -> Result<ScanFacts> {
    ScanFacts facts;
    facts.last = LastCompletedMonth(context.as_of);
    facts.first = AddMonths(facts.last, -11);
    auto notice = settings::Integer(context.connection, kArrearsNoticeSetting);
    if (!notice) return Fail(notice.error());
    facts.notice_months = static_cast<int>(*notice);
    auto members = LoadMemberDues(context.connection, context.path_from, context.path_to,
                                  std::nullopt, context.as_of, facts.first, facts.last, true);
    if (!members) return Fail(members.error());
    facts.members = std::move(*members);
    return facts;
  });
}

boost::json::array Months(const std::vector<YearMonth>& months) {
  boost::json::array out;
  for (auto m : months) out.push_back(boost::json::value(FormatYearMonth(m)));
  return out;
}

compliance::Finding MemberFinding(const MemberDues& m, std::string_view rule,
                                  std::string_view severity, std::string message,
                                  boost::json::object facts) {
  return compliance::Finding{.rule_id = std::string(rule),
                             .subject_kind = "member",
                             .subject_id = m.member_id,
                             .subject_name = m.name,
                             .org_id = m.org_id,
                             .org_path = m.org_path,
                             .severity = std::string(severity),
                             .message = std::move(message),
                             .facts = std::move(facts)};
}

//! Runs `judge` over each member's statement and collects what it returns.
template <class Each>
Result<std::vector<compliance::Finding>> ForEachMember(compliance::ScanContext& context,
                                                       Each each) {
  auto facts = Facts(context);
  if (!facts) return Fail(facts.error());
  const ScanFacts& f = **facts;
  YearMonth period_first = MonthOfDate(context.period.first_day);
  YearMonth period_last = std::min(MonthOfDate(context.period.last_day), f.last);
  std::vector<compliance::Finding> findings;
  for (const auto& m : f.members) {
    auto statement = Statement(f.first, f.last, m.admitted, m.bases, m.reductions, m.paid);
    auto judged = Judge(statement, f.notice_months, period_first, period_last);
    each(m, judged, findings);
  }
  return findings;
}

}  // namespace

YearMonth LastCompletedMonth(const std::string& as_of) {
  YearMonth month = MonthOfDate(as_of);
  return as_of == LastDayOf(month) ? month : AddMonths(month, -1);
}

DuesJudgement Judge(std::span<const StatementMonth> statement, int notice_months,
                    YearMonth period_first, YearMonth period_last) {
  DuesJudgement j;
  j.unpaid_run = TrailingUnpaidRun(statement);
  int run = static_cast<int>(j.unpaid_run.size());
  j.six_months = run >= kUnpaidMonthsFlagged;
  j.arrears_notice = !j.six_months && run >= notice_months;
  for (const auto& m : statement) {
    if (m.month >= period_first && m.month <= period_last && m.paid_below()) {
      j.paid_below.push_back(m.month);
    }
  }
  return j;
}

std::vector<compliance::RuleSpec> Rules() {
  return {
      compliance::RuleSpec{
          .id = std::string(kSixMonths),
          .title = "无正当理由连续6个月不交纳党费",
          .severity = std::string(compliance::kRed),
          .source = "党章 第九条；中组发〔2008〕3号 第十三条",
          .subject_kind = "member",
          .scan =
              [](compliance::ScanContext& context) {
                return ForEachMember(context, [](const MemberDues& m, const DuesJudgement& j,
                                                 std::vector<compliance::Finding>& out) {
                  if (!j.six_months) return;
                  out.push_back(MemberFinding(m, kSixMonths, compliance::kRed,
                                              "已连续" + std::to_string(j.unpaid_run.size()) +
                                                  "个月未交纳党费（无批准的少交、免交）：按党章第九"
                                                  "条由支部大会讨论决定，报上级"
                                                  "党组织批准；系统不会自动除名",
                                              {{"unpaid_months", Months(j.unpaid_run)},
                                               {"since", FormatYearMonth(j.unpaid_run.front())}}));
                });
              }},
      compliance::RuleSpec{
          .id = std::string(kArrears),
          .title = "连续欠交党费",
          .severity = std::string(compliance::kYellow),
          .source = "本地设置 dues.arrears_notice_months；中组发〔2008〕3号 第十二条",
          .subject_kind = "member",
          .scan =
              [](compliance::ScanContext& context) {
                return ForEachMember(context, [](const MemberDues& m, const DuesJudgement& j,
                                                 std::vector<compliance::Finding>& out) {
                  if (!j.arrears_notice) return;
                  out.push_back(
                      MemberFinding(m, kArrears, compliance::kYellow,
                                    "已连续" + std::to_string(j.unpaid_run.size()) +
                                        "个月未交纳党费，请督促补交（补交一般不超过6个月）",
                                    {{"unpaid_months", Months(j.unpaid_run)}}));
                });
              }},
      compliance::RuleSpec{
          .id = std::string(kPaidBelow),
          .title = "少交党费未经批准",
          .severity = std::string(compliance::kYellow),
          .source = "中组发〔2008〕3号 第七条",
          .subject_kind = "member",
          .scan =
              [](compliance::ScanContext& context) {
                return ForEachMember(context, [](const MemberDues& m, const DuesJudgement& j,
                                                 std::vector<compliance::Finding>& out) {
                  if (j.paid_below.empty()) return;
                  out.push_back(
                      MemberFinding(m, kPaidBelow, compliance::kYellow,
                                    "交纳金额低于按规定计算的数额，且没有上级党委批准的少交记录",
                                    {{"months", Months(j.paid_below)}}));
                });
              }},
  };
}

}  // namespace zhibu::dues
