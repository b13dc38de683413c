#include "modules/development/rules.h"

#include <memory>

#include "modules/development/case_store.h"
#include "modules/development/steps.h"
#include "platform/settings/settings.h"
#include "platform/util/date.h"

namespace zhibu::development {
namespace {

//! The open cases of the subtree whose most urgent deadline falls on or before $1 (the day judged
//! plus the warning days), every step at once (index development_case_due), by id.
constexpr std::string_view kDueCases =
    "SELECT id, name, org_id, org_path, next_due_on, next_due_step FROM development_case WHERE "
    "status = 'open' AND next_due_on <= $1 AND org_path >= $2 AND org_path < $3 ORDER BY id";

struct DeadlineRule {
  std::string_view id;
  int step;
  std::string_view title;
  std::string_view what;  //!< what is due, for the message
  std::string_view source;
};

constexpr std::array kDeadlineRules = {
    DeadlineRule{"development.case.talk_due", 2, "收到入党申请书后一个月内派人谈话", "派人谈话",
                 "《中国共产党发展党员工作细则》第七条"},
    DeadlineRule{"development.case.activist_review_due", 6, "每半年考察一次入党积极分子",
                 "半年一次的培养教育考察", "《中国共产党发展党员工作细则》第十一条"},
    DeadlineRule{"development.case.approval_due", 17, "支部大会后3个月内上级党委审批",
                 "上级党委审批", "《中国共产党发展党员工作细则》第二十五条"},
    DeadlineRule{"development.case.conversion_due", 23, "预备期满及时讨论转正", "支部大会讨论转正",
                 "《中国共产党章程》第七条；细则 第三十一条"},
    DeadlineRule{"development.case.conversion_approval_due", 24,
                 "转正的支部大会后3个月内上级党委审批", "上级党委审批转正",
                 "《中国共产党发展党员工作细则》第三十四条"},
};

//! One case whose deadline is due soon or past.
struct DueCase {
  std::int64_t id = 0;
  std::string name;
  std::int64_t org_id = 0;
  std::string org_path;
  std::string due_on;
  std::int64_t step = 0;
};

//! What the five deadline rules read, loaded once per scan: the warning days and the cases due.
struct DueFacts {
  int soon = 0;
  std::vector<DueCase> cases;  //!< by id
};

Result<std::shared_ptr<DueFacts>> Facts(compliance::ScanContext& context) {
  return context.Memo<DueFacts>("development.due_cases", [&]() -> Result<DueFacts> {
    DueFacts facts;
    auto soon = settings::Integer(context.connection, kDueSoonDays);
    if (!soon) return Fail(soon.error());
    facts.soon = static_cast<int>(*soon);
    auto as_of = ParseIsoDate(context.as_of);
    std::string horizon = context.as_of;
    if (as_of) {
      horizon = FormatIsoDate(std::chrono::year_month_day(std::chrono::sys_days(*as_of) +
                                                          std::chrono::days(facts.soon)));
    }
    auto rows = context.connection.Query(kDueCases, {horizon, context.path_from, context.path_to});
    if (!rows) return Fail(rows.error());
    facts.cases.reserve(rows->size());
    for (std::size_t i = 0; i < rows->size(); ++i) {
      facts.cases.push_back({rows->Int(i, 0), rows->Text(i, 1), rows->Int(i, 2), rows->Text(i, 3),
                             rows->Text(i, 4), rows->Int(i, 5)});
    }
    return facts;
  });
}

compliance::RuleSpec Make(const DeadlineRule& rule) {
  return compliance::RuleSpec{
      .id = std::string(rule.id),
      .title = std::string(rule.title),
      .severity = "red",
      .source = std::string(rule.source),
      .subject_kind = "development_case",
      .scan = [rule](compliance::ScanContext& context) -> Result<std::vector<compliance::Finding>> {
        auto facts = Facts(context);
        if (!facts) return Fail(facts.error());
        std::vector<compliance::Finding> out;
        for (const DueCase& c : (*facts)->cases) {
          if (c.step != rule.step) continue;
          std::string state = workflow::DueState(c.due_on, context.as_of, (*facts)->soon);
          bool overdue = state == "overdue";
          out.push_back(compliance::Finding{
              .rule_id = std::string(rule.id),
              .subject_kind = "development_case",
              .subject_id = c.id,
              .subject_name = c.name,
              .org_id = c.org_id,
              .org_path = c.org_path,
              .severity = overdue ? "red" : "yellow",
              .message = c.name + "：" + std::string(rule.what) +
                         (overdue ? "已逾期（应于 " + c.due_on + " 前完成）"
                                  : "将于 " + c.due_on + " 到期"),
              .facts = {{"due_on", c.due_on}, {"step", rule.step}, {"state", state}}});
        }
        return out;
      }};
}

}  // namespace

std::vector<compliance::RuleSpec> Rules() {
  std::vector<compliance::RuleSpec> out;
  for (const auto& rule : kDeadlineRules) out.push_back(Make(rule));
  return out;
}

}  // namespace zhibu::development
