#include "modules/development/steps.h"

#include <algorithm>

#include "platform/util/date.h"
#include "platform/workflow/vote.h"

namespace zhibu::development {
namespace {

using workflow::Attempt;
using workflow::Choice;
using workflow::FieldSpec;
using workflow::FieldType;
using workflow::GateSpec;
using workflow::IntOr;
using workflow::LimitKind;
using workflow::LimitSpec;
using workflow::StepRecord;
using workflow::StepSpec;
using workflow::TextOr;

// Sources, cited by gates, limits and errors (rules.md §3).
constexpr const char* kXize = "《中国共产党发展党员工作细则》(2014)";
std::string Xize(std::string_view article) {
  return std::string(kXize) + " " + std::string(article);
}
constexpr const char* kDangzhang1 = "《中国共产党章程》第一条";
constexpr const char* kDangzhang5 = "《中国共产党章程》第五条";
constexpr const char* kDangzhang7 = "《中国共产党章程》第七条";

Error Refuse(std::string code, std::string message, std::string field, std::string source) {
  return Error::Unprocessable(std::move(code), message + "（" + source + "）", std::move(field),
                              std::move(source));
}

// --- Gates --------------------------------------------------------------------------------

Result<void> EighteenGate(const Attempt& a) {
  std::string birth = TextOr(a.facts, "birth_date");
  if (!birth.empty() && !EighteenOn(birth, a.proposed.done_on)) {
    auto born = ParseIsoDate(birth);
    std::string birthday = born ? FormatIsoDate(AddMonths(*born, 18 * 12)) : birth;
    if (born && born->month() == std::chrono::February && born->day() == std::chrono::day(29)) {
      birthday = FormatIsoDate(std::chrono::year_month_day(
          std::chrono::sys_days(AddMonths(*born, 18 * 12)) + std::chrono::days(1)));
    }
    return Fail(
        Refuse("development.under_eighteen",
               "递交入党申请时应年满十八岁：出生于 " + birth + "，" + birthday + " 起方可申请",
               "applied_on", kDangzhang1));
  }
  return {};
}

Result<void> DecidedByGate(const Attempt& a) {
  std::string by = TextOr(a.proposed.data, "decided_by");
  bool committee = a.facts.if_contains("has_committee") != nullptr &&
                   a.facts.at("has_committee").is_bool() && a.facts.at("has_committee").as_bool();
  if (committee && by != "branch_committee") {
    return Fail(Refuse("development.decided_by",
                       "设有支部委员会的党支部，入党积极分子由支部委员会研究确定", "decided_by",
                       Xize("第八条")));
  }
  if (!committee && by != "general_meeting") {
    return Fail(Refuse("development.decided_by",
                       "该党支部未设支部委员会，入党积极分子应由支部党员大会研究确定", "decided_by",
                       Xize("第八条")));
  }
  return {};
}

//! Each id of `field` must be a full member of the case's branch (the store says so in
//! `facts.members`), and — for sponsors — not under 留党察看 on the date.
Result<void> FullMembersGate(const Attempt& a, std::string_view field, std::string code,
                             const std::string& role, const std::string& source,
                             bool check_probation) {
  const auto* ids = a.proposed.data.if_contains(field);
  if (ids == nullptr || !ids->is_array()) return {};
  const auto* members = a.facts.if_contains("members");
  for (const auto& id : ids->as_array()) {
    std::string key = std::to_string(id.to_number<std::int64_t>());
    const boost::json::object* m = nullptr;
    if (members != nullptr && members->is_object()) {
      const auto* found = members->as_object().if_contains(key);
      if (found != nullptr && found->is_object()) m = &found->as_object();
    }
    if (m == nullptr || !m->at("in_branch").as_bool()) {
      return Fail(
          Refuse(code, role + "（编号 " + key + "）应为本支部的党员", std::string(field), source));
    }
    std::string name = TextOr(*m, "name");
    if (TextOr(*m, "status") != "full") {
      return Fail(Refuse(code, role + "应为正式党员：" + name + " 不是正式党员", std::string(field),
                         source));
    }
    if (check_probation && m->at("party_probation").as_bool()) {
      return Fail(Refuse(code, "受留党察看处分、尚未恢复党员权利的党员不能作入党介绍人：" + name,
                         std::string(field), source));
    }
  }
  return {};
}

Result<void> TrainingGate(const Attempt& a) {
  std::int64_t days = IntOr(a.proposed.data, "days", 0);
  std::int64_t hours = IntOr(a.proposed.data, "hours", 0);
  std::string started = TextOr(a.proposed.data, "started_on");
  if (!started.empty() && started > a.proposed.done_on) {
    return Fail(
        Error::Invalid("development.training_dates", "培训开始日期不能晚于结束日期", "started_on"));
  }
  if (days >= 3 || hours >= 24) return {};
  return Fail(Refuse("development.training_too_short",
                     "集中培训一般不少于3天（或不少于24个学时）：本次 " + std::to_string(days) +
                         " 天、" + std::to_string(hours) + " 学时",
                     days > 0 || hours == 0 ? "days" : "hours", Xize("第十七条")));
}

Result<void> LeavingGate(const Attempt& a) {
  std::string leaving = TextOr(a.proposed.data, "leaving_on");
  if (leaving.empty()) return {};
  auto done = ParseIsoDate(a.proposed.done_on);
  if (!done) return {};
  std::string limit = FormatIsoDate(AddMonths(*done, 3));
  if (leaving <= limit) {
    return Fail(Refuse(
        "development.leaving_within_three_months",
        "发展对象未来3个月内（" + limit + " 前）将离开工作、学习单位的，一般不办理接收预备党员手续",
        "leaving_on", Xize("第十九条")));
  }
  return {};
}

Result<void> PoliticalReviewGate(const Attempt& a) {
  const StepRecord* review = workflow::Latest(a.history, kPoliticalReview);
  if (review == nullptr || TextOr(review->data, "result") != "passed" ||
      TextOr(review->data, "conclusion").empty()) {
    return Fail(Refuse("development.political_review_missing",
                       "未经政治审查或政治审查不合格的，不能发展入党", "step",
                       Xize("第十五、十六条")));
  }
  return {};
}

//! 支部大会 votes (steps 15 and 23): the shared "two halves" gate (platform/workflow/vote.h)
//! with this table's codes (`development.quorum_not_met`, …) and sources.
Result<void> VoteGate(const Attempt& a) {
  return workflow::VoteGate(a, "development", Xize("第二十二条") + "；" + kDangzhang5);
}

Result<void> GroupGate(const Attempt& a) {
  const auto* groups = a.facts.if_contains("groups");
  bool has_groups = groups != nullptr && groups->is_array() && !groups->as_array().empty();
  const auto* group = a.proposed.data.if_contains("group_id");
  if (group == nullptr) {
    if (has_groups) {
      return Fail(Error::Invalid("development.group_missing",
                                 "本支部设有党小组，请选择编入的党小组", "group_id"));
    }
    return {};
  }
  if (!has_groups || std::find(groups->as_array().begin(), groups->as_array().end(), *group) ==
                         groups->as_array().end()) {
    return Fail(Error::Invalid("development.group_invalid", "应为本支部下的党小组", "group_id"));
  }
  return {};
}

Result<void> ProbationEndedGate(const Attempt& a) {
  auto dates = KeyDatesOf(a.history);
  if (dates.probation_ends_on && a.proposed.done_on < *dates.probation_ends_on) {
    return Fail(Refuse("development.probation_not_ended",
                       "预备期至 " + *dates.probation_ends_on + " 届满，届满后方可讨论转正",
                       "done_on", kDangzhang7));
  }
  return {};
}

Result<void> OutcomeGate(const Attempt& a) {
  std::string outcome = TextOr(a.proposed.data, "outcome");
  if (outcome != "extend") {
    if (a.proposed.data.if_contains("extension_months") != nullptr) {
      return Fail(Error::Invalid("development.extension_months", "只有延长预备期时才填写延长的月数",
                                 "extension_months"));
    }
    return {};
  }
  if (KeyDatesOf(a.history).extended_months > 0) {
    return Fail(Refuse("development.extended_once", "预备期只能延长一次", "outcome", kDangzhang7));
  }
  std::int64_t months = IntOr(a.proposed.data, "extension_months", 0);
  if (months < 6 || months > 12) {
    return Fail(Refuse("development.extension_months",
                       "延长预备期不能少于半年，最长不超过一年（6–12 个月），填写的是 " +
                           std::to_string(months) + " 个月",
                       "extension_months", kDangzhang7 + std::string("；") + Xize("第三十二条")));
  }
  return {};
}

// --- Fields -------------------------------------------------------------------------------

FieldSpec Text(std::string name, std::string title, bool required = false) {
  return FieldSpec{.name = std::move(name), .title = std::move(title), .required = required};
}
FieldSpec Date(std::string name, std::string title, bool required = false, bool future = false) {
  return FieldSpec{.name = std::move(name),
                   .title = std::move(title),
                   .type = FieldType::kDate,
                   .required = required,
                   .future_allowed = future};
}
FieldSpec Integer(std::string name, std::string title, bool required, int min, int max) {
  return FieldSpec{.name = std::move(name),
                   .title = std::move(title),
                   .type = FieldType::kInteger,
                   .required = required,
                   .min = min,
                   .max = max};
}
FieldSpec Pick(std::string name, std::string title, std::vector<Choice> choices,
               bool required = true) {
  return FieldSpec{.name = std::move(name),
                   .title = std::move(title),
                   .type = FieldType::kChoice,
                   .required = required,
                   .choices = std::move(choices)};
}
LimitSpec Within(int from, int months, std::string source, bool hard = false,
                 std::string code = {}) {
  return LimitSpec{.from_step = from,
                   .kind = LimitKind::kWithin,
                   .months = months,
                   .hard = hard,
                   .code = std::move(code),
                   .source = std::move(source)};
}

workflow::WorkflowTable Build() {
  workflow::WorkflowTable t;
  t.id = "party_admission";
  t.title = "发展党员";
  t.stages = {{"application", "申请入党"},
              {"activist", "入党积极分子的确定和培养教育"},
              {"target", "发展对象的确定和考察"},
              {"admission", "预备党员的接收"},
              {"probation", "预备党员的教育考察和转正"}};
  const std::string org = "党支部";
  const std::string committee = "支部委员会";
  const std::string higher = "上级党委";
  auto step = [&](int n, std::string id, std::string title, std::string stage, std::string actor,
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

  StepSpec s1 = step(1, "application", "递交入党申请书", "application", "申请人",
                     kDangzhang1 + std::string("；") + Xize("第五、六条"));
  s1.gates = {{"development.under_eighteen", "年满十八岁", kDangzhang1, EighteenGate}};
  StepSpec s2 = step(2, "talk", "党组织派人谈话", "application", org, Xize("第七条"));
  s2.fields = {Text("interviewer", "谈话人", true), Text("summary", "谈话情况")};
  s2.limits = {Within(1, 1, Xize("第七条") + "：收到入党申请书后一个月内")};

  StepSpec s3 =
      step(3, "activist", "推荐和确定入党积极分子", "activist", committee, Xize("第八条"));
  s3.fields = {Pick("decided_by", "研究确定的会议",
                    {{"branch_committee", "支部委员会"}, {"general_meeting", "支部党员大会"}}),
               Pick("recommended_by", "推荐方式",
                    {{"party_members", "党员推荐"},
                     {"mass_organisation", "群团组织推优"},
                     {"both", "党员推荐和群团组织推优"}},
                    false)};
  s3.gates = {{"development.decided_by", "支委会（未设支委会的由支部党员大会）研究确定",
               Xize("第八条"), DecidedByGate}};
  s3.limits = {LimitSpec{.from_step = 1,
                         .kind = LimitKind::kAtLeast,
                         .months = 6,
                         .code = "development.application_too_recent",
                         .source = "本地设置 " + std::string(kActivistMinApplicationMonths) +
                                   "（入党申请满若干个月方可确定为入党积极分子，地方规定）",
                         .months_setting = std::string(kActivistMinApplicationMonths)}};
  StepSpec s4 = step(4, "activist_filing", "上级党委备案", "activist", org, Xize("第八条"));
  s4.fields = {Text("filed_with", "备案的上级党委")};
  StepSpec s5 = step(5, "contacts", "指定培养联系人", "activist", org, Xize("第九条"));
  s5.fields = {FieldSpec{.name = "contact_ids",
                         .title = "培养联系人（1–2名正式党员）",
                         .type = FieldType::kMembers,
                         .required = true,
                         .min = 1,
                         .max = 2}};
  s5.gates = {
      {"development.contacts", "培养联系人为1–2名正式党员", Xize("第九条"), [](const Attempt& a) {
         return FullMembersGate(a, "contact_ids", "development.contacts", "培养联系人",
                                Xize("第九条"), false);
       }}};
  StepSpec s6 = step(6, "review", "培养教育考察", "activist", org, Xize("第十一条"));
  s6.repeatable = true;
  s6.fields = {Text("assessment", "考察情况", true)};
  s6.limits = {Within(3, 6, Xize("第十一条") + "：党支部每半年对入党积极分子进行一次考察")};

  StepSpec s7 = step(7, "target", "确定发展对象", "target", committee, Xize("第十三条"));
  s7.fields = {Text("opinions", "听取党小组、培养联系人、党员和群众意见情况")};
  s7.limits = {LimitSpec{.from_step = 3,
                         .kind = LimitKind::kAtLeast,
                         .months = 12,
                         .code = "development.cultivation_one_year",
                         .source = Xize("第十三条") + "：经过一年以上培养教育和考察"}};
  s7.documents = {{"public_notice", "发展对象公示"}};
  StepSpec s8 = step(8, "target_filing", "报上级党委备案", "target", org, Xize("第十三条"));
  StepSpec s9 = step(9, "sponsors", "确定入党介绍人", "target", org,
                     kDangzhang5 + std::string("；") + Xize("第十四条"));
  s9.fields = {FieldSpec{.name = "sponsor_ids",
                         .title = "入党介绍人（2名正式党员）",
                         .type = FieldType::kMembers,
                         .required = true,
                         .min = 2,
                         .max = 2}};
  s9.gates = {{"development.sponsors", "2名正式党员，均未受留党察看处分", kDangzhang5,
               [](const Attempt& a) {
                 return FullMembersGate(a, "sponsor_ids", "development.sponsors", "入党介绍人",
                                        kDangzhang5 + std::string("；") + Xize("第十四条"), true);
               }}};
  StepSpec s10 =
      step(10, "political_review", "进行政治审查", "target", org, Xize("第十五、十六条"));
  s10.fields = {Pick("result", "政审结论", {{"passed", "合格"}, {"failed", "不合格"}}),
                Text("conclusion", "结论性材料（政审综合意见）", true)};
  s10.documents = {{"political_review", "政治审查综合材料"}};
  StepSpec s11 = step(11, "training", "开展集中培训", "target", "基层党委或县级党委组织部门",
                      Xize("第十七条"));
  s11.fields = {Date("started_on", "培训开始日期", true),
                Integer("days", "培训天数", false, 0, 365),
                Integer("hours", "培训学时", false, 0, 10000), Text("organiser", "举办单位")};
  s11.gates = {
      {"development.training_too_short", "不少于3天或24个学时", Xize("第十七条"), TrainingGate}};

  StepSpec s12 =
      step(12, "committee_review", "支部委员会审查", "admission", committee, Xize("第十九条"));
  s12.fields = {Text("opinion", "审查意见")};
  StepSpec s13 = step(13, "pre_review", "上级党委预审", "admission", higher, Xize("第十九条"));
  s13.fields = {Text("opinion", "预审意见"),
                Date("leaving_on", "预计离开工作、学习单位的日期（如有）", false, true)};
  s13.gates = {{"development.leaving_within_three_months", "3个月内将离开单位的一般不办理",
                Xize("第十九条"), LeavingGate}};
  StepSpec s14 =
      step(14, "volunteer_form", "填写入党志愿书", "admission", "发展对象", Xize("第二十条"));
  s14.fields = {Text("form_number", "入党志愿书编号")};
  StepSpec s15 = step(15, "admission_meeting", "支部大会讨论", "admission", "支部党员大会",
                      Xize("第二十一、二十二条") + "；" + kDangzhang5);
  s15.fields = workflow::VoteFields();
  s15.gates = {{"development.political_review_missing", "政审合格方可发展", Xize("第十六条"),
                PoliticalReviewGate},
               {"development.vote", "到会和赞成人数均超过应到会有表决权人数的半数",
                Xize("第二十二条"), VoteGate}};
  StepSpec s16 = step(16, "interview", "上级党委派人谈话", "admission", higher, Xize("第二十四条"));
  s16.fields = {Text("interviewer", "谈话人（党委委员或组织员）", true),
                Text("opinion", "谈话意见")};
  StepSpec s17 = step(17, "approval", "上级党委审批", "admission", higher, Xize("第二十五条"));
  s17.fields = {Text("approved_by", "审批的党委"), Text("document_number", "批复文号"),
                Text("special_reason", "超过3个月审批的特殊情况")};
  s17.limits = {
      LimitSpec{.from_step = 15,
                .kind = LimitKind::kWithin,
                .months = 3,
                .hard = true,
                .code = "development.approval_late",
                .source = Xize("第二十五条") + "：3个月内审批，特殊情况可延长，最长不超过6个月",
                .extension_field = "special_reason",
                .extended_months = 6}};
  s17.documents = {{"approval_letter", "接收预备党员的批复"}};
  StepSpec s18 = step(18, "approval_filing", "再上一级党委组织部门备案", "admission", higher,
                      Xize("第二十六条"));

  StepSpec s19 = step(19, "placement", "编入党支部和党小组", "probation", org, Xize("第二十八条"));
  s19.fields = {FieldSpec{.name = "group_id", .title = "编入的党小组", .type = FieldType::kGroup}};
  s19.gates = {{"development.group", "编入本支部的党小组", Xize("第二十八条"), GroupGate}};
  StepSpec s20 = step(20, "oath", "入党宣誓", "probation", "基层党委或党支部", Xize("第二十九条"));
  StepSpec s21 = step(21, "probation_review", "继续教育考察", "probation", org, Xize("第三十条"));
  s21.repeatable = true;
  s21.fields = {Text("assessment", "考察情况", true)};
  StepSpec s22 = step(22, "conversion_application", "提出转正申请", "probation", "预备党员",
                      Xize("第三十一条"));
  StepSpec s23 = step(23, "conversion_meeting", "支部大会讨论", "probation", "支部党员大会",
                      Xize("第三十二条") + "；" + kDangzhang7);
  s23.fields = workflow::VoteFields();
  s23.fields.insert(s23.fields.begin(), Pick("outcome", "讨论结果",
                                             {{"on_time", "按期转为正式党员"},
                                              {"extend", "延长预备期"},
                                              {"cancel", "取消预备党员资格"}}));
  s23.fields.insert(s23.fields.begin() + 1,
                    Integer("extension_months", "延长的月数（6–12）", false, 0, 24));
  s23.gates = {
      {"development.probation_not_ended", "预备期满方可讨论", kDangzhang7, ProbationEndedGate},
      {"development.outcome", "按期转正、延长一次6–12个月或取消资格", kDangzhang7, OutcomeGate},
      {"development.vote", "到会和赞成人数均超过应到会有表决权人数的半数", Xize("第二十二条"),
       VoteGate}};
  StepSpec s24 =
      step(24, "conversion_approval", "上级党委审批", "probation", higher, Xize("第三十四条"));
  s24.fields = {Text("approved_by", "审批的党委"), Text("document_number", "批复文号")};
  s24.limits = {
      Within(23, 3, Xize("第三十四条") + "：3个月内审批", true, "development.approval_late")};
  StepSpec s25 = step(25, "archive", "材料归档", "probation", org,
                      "《中国共产党党员教育管理工作条例》第二十六条");
  s25.fields = {
      Pick("archive_place", "归档",
           {{"personnel_file", "本人人事档案"}, {"party_file", "党员档案（无人事档案的）"}})};

  t.steps = {s1,  s2,  s3,  s4,  s5,  s6,  s7,  s8,  s9,  s10, s11, s12, s13,
             s14, s15, s16, s17, s18, s19, s20, s21, s22, s23, s24, s25};
  t.next_steps = [](const std::vector<StepRecord>& history) -> std::optional<std::vector<int>> {
    if (history.empty() || history.back().number != kConversionApproval) return std::nullopt;
    const StepRecord* meeting = workflow::Latest(history, kConversionMeeting);
    std::string outcome = meeting ? TextOr(meeting->data, "outcome") : "";
    if (outcome == "extend") return std::vector<int>{kProbationReview, 22};
    if (outcome == "cancel") return std::vector<int>{};
    return std::nullopt;
  };
  return t;
}

}  // namespace

const workflow::WorkflowTable& AdmissionTable() {
  static const workflow::WorkflowTable table = Build();
  return table;
}

bool EighteenOn(const std::string& birth_date, const std::string& on) {
  auto born = ParseIsoDate(birth_date);
  auto day = ParseIsoDate(on);
  if (!born || !day) return false;
  return WholeYearsBetween(*born, *day) >= 18;
}

KeyDates KeyDatesOf(const std::vector<StepRecord>& history) {
  KeyDates d;
  if (!history.empty()) d.applied_on = history.front().done_on;
  bool confirmed = false;
  const StepRecord* meeting = nullptr;  // the latest 支部大会 on conversion so far
  for (const auto& r : history) {
    if (r.number == kActivist && !d.activist_on) d.activist_on = r.done_on;
    if (r.number == kTarget && !d.target_on) d.target_on = r.done_on;
    if (r.number == kAdmissionMeeting) d.admitted_on = r.done_on;
    if (r.number == kConversionMeeting) meeting = &r;
    // The 党委's approval gives effect to the outcome of the 支部大会 before it.
    if (r.number == kConversionApproval && meeting != nullptr) {
      std::string outcome = TextOr(meeting->data, "outcome");
      if (outcome == "extend") {
        d.extended_months = static_cast<int>(IntOr(meeting->data, "extension_months", 0));
      }
      confirmed = outcome == "on_time";
    }
  }
  if (d.admitted_on) {
    if (auto admitted = ParseIsoDate(*d.admitted_on)) {
      d.probation_ends_on = FormatIsoDate(AddMonths(*admitted, 12 + d.extended_months));
    }
  }
  if (confirmed) d.confirmed_on = d.probation_ends_on;
  return d;
}

std::string StageOf(const std::vector<StepRecord>& history) {
  if (history.empty()) return "application";
  int last = history.back().number;
  if (last <= kTalk) return "application";
  if (last <= kReview) return "activist";
  if (last < kApproval) return "target";
  if (last < kConversionApproval) return "probationary";
  if (last == kConversionApproval) {
    const StepRecord* meeting = workflow::Latest(history, kConversionMeeting);
    std::string outcome = meeting ? TextOr(meeting->data, "outcome") : "";
    if (outcome == "extend") return "probationary";
    if (outcome == "cancel") return "closed";
    return "converted";
  }
  return "completed";
}

std::vector<workflow::Deadline> CaseDeadlines(const std::vector<StepRecord>& history,
                                              const std::map<std::string, std::int64_t>& settings,
                                              const std::string& today) {
  int soon = 7;
  if (auto found = settings.find(std::string(kDueSoonDays)); found != settings.end()) {
    soon = static_cast<int>(found->second);
  }
  auto out = workflow::Deadlines(AdmissionTable(), history, settings, today, soon);
  if (!history.empty()) {
    int last = history.back().number;
    bool probation = (last >= kApproval && last < kConversionMeeting) ||
                     (last == kConversionApproval && StageOf(history) == "probationary");
    auto dates = KeyDatesOf(history);
    if (probation && dates.probation_ends_on) {
      out.push_back(workflow::Deadline{kConversionMeeting, "支部大会讨论（转正）",
                                       *dates.probation_ends_on,
                                       workflow::DueState(*dates.probation_ends_on, today, soon),
                                       std::string(kDangzhang7) + "：预备期满时及时讨论转正"});
    }
  }
  std::sort(out.begin(), out.end(), [](const workflow::Deadline& a, const workflow::Deadline& b) {
    return a.due_on < b.due_on;
  });
  return out;
}

}  // namespace zhibu::development
