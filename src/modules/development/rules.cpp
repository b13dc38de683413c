#include "modules/development/rules.h"

#include "modules/development/case_store.h"
#include "platform/util/date.h"

namespace zhibu::development {
namespace {

constexpr std::string_view kDueCases =
    "SELECT id, name, org_id, org_path, next_due_on FROM development_case WHERE status = 'open' "
    "AND next_due_step = $1 AND next_due_on <= $2 AND org_path >= $3 AND org_path < $4 ORDER BY "
    "id";

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

compliance::RuleSpec Make(const DeadlineRule& rule) {
  return compliance::RuleSpec{
      .id = std::string(rule.id),
      .title = std::string(rule.title),
      .severity = "red",
      .source = std::string(rule.source),
      .subject_kind = "development_case",
      .scan = [rule](compliance::ScanContext& context) -> Result<std::vector<compliance::Finding>> {
        auto settings = LoadSettings(context.connection);
        if (!settings) return Fail(settings.error());
        int soon = static_cast<int>(settings->at(std::string(kDueSoonDays)));
        auto as_of = ParseIsoDate(context.as_of);
        std::string horizon = context.as_of;
        if (as_of) {
          horizon = FormatIsoDate(
              std::chrono::year_month_day(std::chrono::sys_days(*as_of) + std::chrono::days(soon)));
        }
        auto rows = context.connection.Query(
            kDueCases,
            {static_cast<std::int64_t>(rule.step), horizon, context.path_from, context.path_to});
        if (!rows) return Fail(rows.error());
        std::vector<compliance::Finding> out;
        for (std::size_t i = 0; i < rows->size(); ++i) {
          std::string due = rows->Text(i, 4);
          std::string state = workflow::DueState(due, context.as_of, soon);
          bool overdue = state == "overdue";
          out.push_back(compliance::Finding{
              .rule_id = std::string(rule.id),
              .subject_kind = "development_case",
              .subject_id = rows->Int(i, 0),
              .subject_name = rows->Text(i, 1),
              .org_id = rows->Int(i, 2),
              .org_path = rows->Text(i, 3),
              .severity = overdue ? "red" : "yellow",
              .message = rows->Text(i, 1) + "：" + std::string(rule.what) +
                         (overdue ? "已逾期（应于 " + due + " 前完成）" : "将于 " + due + " 到期"),
              .facts = {{"due_on", due}, {"step", rule.step}, {"state", state}}});
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
