#include "modules/lapse/steps.h"

#include "platform/util/date.h"
#include "platform/workflow/vote.h"

namespace zhibu::lapse {
namespace {

using workflow::Attempt;
using workflow::FieldSpec;
using workflow::FieldType;
using workflow::StepRecord;
using workflow::StepSpec;
using workflow::TextOr;

// Sources, cited by steps, gates and errors (rules.md §2).
constexpr const char* kDangzhang9 = "《中国共产党章程》第九条";
constexpr const char* kDuesRule13 = "中组发〔2008〕3号 第十三条";
constexpr const char* kDuesRule12 = "中组发〔2008〕3号 第十二条";
constexpr const char* kEducation30 = "《中国共产党党员教育管理工作条例》第三十条";
constexpr const char* kEducation31 = "《中国共产党党员教育管理工作条例》第三十一条";
constexpr const char* kBranch11 = "《中国共产党支部工作条例（试行）》第十一条";

bool Blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

Error Refuse(std::string code, const std::string& message, std::string field,
             const std::string& source) {
  return Error::Unprocessable(std::move(code), message + "（" + source + "）", std::move(field),
                              source);
}

//! The months still owed (`facts.owed_months`, YYYY-MM) as one line.
std::string OwedList(const Attempt& a) {
  std::string out;
  if (const auto* owed = a.facts.if_contains("owed_months"); owed != nullptr && owed->is_array()) {
    for (const auto& m : owed->as_array()) {
      if (!m.is_string()) continue;
      if (!out.empty()) out += "、";
      out += std::string(m.as_string());
    }
  }
  return out;
}

// --- Gates --------------------------------------------------------------------------------

//! Step 1: 有正当理由 needs the reason written down (it closes the case).
Result<void> ReasonGate(const Attempt& a) {
  if (TextOr(a.proposed.data, "finding") == "proper_reason" &&
      Blank(TextOr(a.proposed.data, "reason"))) {
    return Fail(Error::Invalid("lapse.reason_missing",
                               "reason：有正当理由的，请写明理由（如经批准免交党费的批复）",
                               "reason"));
  }
  return {};
}

//! Step 2: the 限期 lies after the talk and at most one year after it.
Result<void> DeadlineGate(const Attempt& a) {
  std::string deadline = TextOr(a.proposed.data, "deadline_on");
  auto talk = ParseIsoDate(a.proposed.done_on);
  if (deadline.empty() || !talk) return {};
  if (deadline <= a.proposed.done_on) {
    return Fail(Refuse("lapse.deadline_invalid",
                       "限期改正的期限应晚于谈话日期 " + a.proposed.done_on, "deadline_on",
                       kEducation30));
  }
  std::string year_later = FormatIsoDate(AddMonths(*talk, 12));
  if (deadline > year_later) {
    return Fail(Refuse("lapse.deadline_too_long",
                       "限期改正的期限一般不超过一年：最晚 " + year_later, "deadline_on",
                       kEducation30));
  }
  return {};
}

//! Step 3: the ledger shows every month still payable (补交, 第十二条) paid.
Result<void> ClearedGate(const Attempt& a) {
  std::string owed = OwedList(a);
  if (!owed.empty()) {
    return Fail(Refuse("lapse.arrears_not_cleared",
                       "党费台账显示仍欠交：" + owed + "；补交后方可按已改正结案", "step",
                       std::string(kDuesRule12) + "；" + kEducation30));
  }
  return {};
}

//! Step 4: the 限期 has passed and the arrears are still there.
Result<void> StillLapsedGate(const Attempt& a) {
  const StepRecord* talk = workflow::Latest(a.history, kTalk);
  std::string deadline = talk != nullptr ? TextOr(talk->data, "deadline_on") : "";
  if (!deadline.empty() && a.proposed.done_on <= deadline) {
    return Fail(Refuse("lapse.deadline_not_passed",
                       "限期改正至 " + deadline + "，期满仍未改正的方可提交支部大会讨论除名",
                       "done_on", kEducation30));
  }
  if (OwedList(a).empty()) {
    return Fail(Refuse("lapse.arrears_cleared",
                       "党费台账显示欠交已补清，应按已改正结案（第3步），不再讨论除名", "step",
                       std::string(kDuesRule12) + "；" + kEducation30));
  }
  return {};
}

Result<void> MeetingVoteGate(const Attempt& a) {
  return workflow::VoteGate(a, "lapse", std::string(kBranch11) + "；" + kDangzhang9);
}

// --- Fields -------------------------------------------------------------------------------

FieldSpec Text(std::string name, std::string title, bool required = false) {
  return FieldSpec{.name = std::move(name), .title = std::move(title), .required = required};
}

workflow::WorkflowTable Build() {
  workflow::WorkflowTable t;
  t.id = "dues_lapse";
  t.title = "连续六个月不交纳党费的处置";
  t.stages = {{"verify", "支部核实"}, {"education", "批评教育、限期改正"}, {"decision", "处置"}};
  auto step = [](int n, std::string id, std::string title, std::string stage, std::string actor,
                 std::string source) {
    StepSpec s;
    s.number = n;
    s.id = std::move(id);
    s.title = std::move(title);
    s.stage = std::move(stage);
    s.actor = std::move(actor);
    s.source = std::move(source);
    return s;
  };

  StepSpec s1 = step(kVerify, "verify", "支部核实", "verify", "党支部",
                     std::string(kDangzhang9) + "；" + kDuesRule13);
  s1.fields = {FieldSpec{.name = "finding",
                         .title = "核实结论",
                         .type = FieldType::kChoice,
                         .required = true,
                         .choices = {{"no_proper_reason", "无正当理由"},
                                     {"proper_reason", "有正当理由（结案）"}}},
               Text("reason", "正当理由（如经批准免交的批复、下落不明等情况）"),
               Text("findings", "核实情况")};
  s1.gates = {{"lapse.reason_missing", "有正当理由的写明理由", kDangzhang9, ReasonGate}};

  StepSpec s2 = step(kTalk, "talk", "谈话、批评教育，限期改正", "education", "党支部",
                     std::string(kEducation30) + "；" + kEducation31);
  s2.fields = {Text("interviewer", "谈话人", true), Text("summary", "谈话情况"),
               FieldSpec{.name = "deadline_on",
                         .title = "限期改正至",
                         .type = FieldType::kDate,
                         .required = true,
                         .future_allowed = true}};
  s2.gates = {{"lapse.deadline", "限期晚于谈话、不超过一年", kEducation30, DeadlineGate}};

  StepSpec s3 = step(kCorrected, "corrected", "已补交党费，按已改正结案", "decision", "党支部",
                     std::string(kDuesRule12) + "；" + kEducation30);
  s3.fields = {Text("summary", "改正情况")};
  s3.gates = {{"lapse.arrears_not_cleared", "党费台账显示欠交已补清", std::string(kDuesRule12),
               ClearedGate}};

  StepSpec s4 = step(kMeeting, "meeting", "支部大会讨论决定除名", "decision", "支部党员大会",
                     std::string(kDangzhang9) + "；" + kEducation31 + "；" + kBranch11);
  s4.fields = workflow::VoteFields();
  s4.gates = {
      {"lapse.still_lapsed", "限期已满、仍未补交", kEducation30, StillLapsedGate},
      {"lapse.vote", "到会和赞成人数均超过应到会有表决权人数的半数", kBranch11, MeetingVoteGate}};

  StepSpec s5 = step(kApproval, "approval", "上级党组织批准", "decision", "上级党组织",
                     std::string(kDangzhang9) + "：支部大会决定除名，并报上级党组织批准");
  s5.fields = {FieldSpec{.name = "decision",
                         .title = "审批结果",
                         .type = FieldType::kChoice,
                         .required = true,
                         .choices = {{"approved", "批准除名"}, {"not_approved", "不批准"}}},
               Text("approved_by", "审批的党组织", true), Text("document_number", "批复文号")};

  t.steps = {s1, s2, s3, s4, s5};
  t.next_steps = [](const std::vector<StepRecord>& history) -> std::optional<std::vector<int>> {
    if (history.empty()) return std::nullopt;
    const StepRecord& last = history.back();
    if (last.number == kVerify && TextOr(last.data, "finding") == "proper_reason") {
      return std::vector<int>{};
    }
    if (last.number == kTalk) return std::vector<int>{kCorrected, kMeeting};
    if (last.number == kCorrected) return std::vector<int>{};
    return std::nullopt;
  };
  return t;
}

}  // namespace

const workflow::WorkflowTable& LapseTable() {
  static const workflow::WorkflowTable table = Build();
  return table;
}

CaseState StateOf(const std::vector<StepRecord>& history) {
  CaseState s;
  s.status = "open";
  if (history.empty()) return s;
  const StepRecord& last = history.back();
  s.current_step = last.number;
  if (const StepRecord* talk = workflow::Latest(history, kTalk)) {
    s.deadline_on = TextOr(talk->data, "deadline_on");
  }
  if (last.number == kVerify && TextOr(last.data, "finding") == "proper_reason") {
    s.outcome = "proper_reason";
  } else if (last.number == kCorrected) {
    s.outcome = "corrected";
  } else if (last.number == kApproval) {
    s.outcome = TextOr(last.data, "decision") == "approved" ? "removed" : "not_approved";
  }
  if (!s.outcome.empty()) s.status = "closed";
  return s;
}

}  // namespace zhibu::lapse
