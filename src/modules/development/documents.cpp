#include "modules/development/documents.h"

#include "modules/member/vocabulary.h"
#include "platform/document/docx_writer.h"
#include "platform/util/date.h"

namespace zhibu::development {
namespace {

using document::Body;
using document::Cell;
using document::Paragraph;
using document::Signature;
using document::Title;

//! `2025-03-10` as `2025年3月10日`.
std::string ChineseDate(const std::string& iso) {
  auto d = ParseIsoDate(iso);
  if (!d) return iso;
  return std::to_string(static_cast<int>(d->year())) + "年" +
         std::to_string(static_cast<unsigned>(d->month())) + "月" +
         std::to_string(static_cast<unsigned>(d->day())) + "日";
}

//! `1995-06-01` as `1995年6月`.
std::string ChineseMonth(const std::string& iso) {
  auto d = ParseIsoDate(iso);
  if (!d) return iso;
  return std::to_string(static_cast<int>(d->year())) + "年" +
         std::to_string(static_cast<unsigned>(d->month())) + "月";
}

std::string TextOf(const boost::json::object& data, std::string_view key) {
  const auto* v = data.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::string Term(std::span<const member::Term> terms, const std::string& id) {
  for (const auto& t : terms) {
    if (t.id == id) return std::string(t.title);
  }
  return id;
}

std::string Names(const CaseFile& f, const workflow::StepRecord* record, std::string_view field) {
  if (record == nullptr) return "";
  const auto* ids = record->data.if_contains(field);
  if (ids == nullptr || !ids->is_array()) return "";
  std::string out;
  for (const auto& v : ids->as_array()) {
    auto found = f.member_names.find(v.to_number<std::int64_t>());
    if (found == f.member_names.end()) continue;
    out += (out.empty() ? "" : "、") + found->second;
  }
  return out;
}

//! The `n`-th working day counting `from` as the first when it is one (Saturdays and Sundays
//! skipped; public holidays are the clerk's to adjust in the document).
std::string AfterWorkdays(const std::string& from, int n) {
  auto d = ParseIsoDate(from);
  if (!d) return from;
  std::chrono::sys_days day(*d);
  int counted = 0;
  while (true) {
    std::chrono::weekday wd(day);
    if (wd != std::chrono::Saturday && wd != std::chrono::Sunday && ++counted == n) break;
    day += std::chrono::days(1);
  }
  return FormatIsoDate(std::chrono::year_month_day(day));
}

std::vector<std::vector<Cell>> PersonRows(const CaseFile& f) {
  return {{{"姓名", 1, true}, {f.name}, {"性别", 1, true}, {Term(member::Sexes(), f.sex)}},
          {{"出生年月", 1, true},
           {ChineseMonth(f.birth_date)},
           {"民族", 1, true},
           {f.ethnicity.empty() ? "—" : f.ethnicity}},
          {{"学历", 1, true},
           {f.education.empty() ? "—" : Term(member::Educations(), f.education)},
           {"职业", 1, true},
           {f.occupation.empty() ? "—" : f.occupation}},
          {{"工作单位", 1, true}, {f.work_unit.empty() ? "—" : f.work_unit, 3}}};
}

document::Table PersonTable(const CaseFile& f) {
  document::Table t;
  t.column_widths_twips = {1700, 2700, 1700, 2700};
  t.rows = PersonRows(f);
  return t;
}

document::WordDocument PublicNotice(const CaseFile& f, const std::string& today) {
  auto dates = KeyDatesOf(f.history);
  bool admission = workflow::Latest(f.history, kPreReview) != nullptr;
  std::string what = admission ? "接收为中共预备党员" : "确定为发展对象";
  int workdays = static_cast<int>(f.settings.at(std::string(kPublicNoticeWorkdays)));
  std::string first = AfterWorkdays(today, 1);
  std::string last = AfterWorkdays(first, workdays);
  document::WordDocument d;
  d.title = "关于拟将" + f.name + "同志" + what + "的公示";
  d.author = f.org_name;
  d.blocks.push_back(Title(d.title));
  d.blocks.push_back(Body("经" + f.org_name + "研究，拟将" + f.name + "同志" + what +
                          "。根据发展党员工作有关规定，现将有关情况公示如下："));
  document::Table t = PersonTable(f);
  t.rows.push_back({{"申请入党时间", 1, true},
                    {ChineseDate(dates.applied_on)},
                    {"确定为入党积极分子时间", 1, true},
                    {dates.activist_on ? ChineseDate(*dates.activist_on) : "—"}});
  std::string sponsors = Names(f, workflow::Latest(f.history, kSponsors), "sponsor_ids");
  t.rows.push_back({{"确定为发展对象时间", 1, true},
                    {dates.target_on ? ChineseDate(*dates.target_on) : "—"},
                    {"入党介绍人", 1, true},
                    {sponsors.empty() ? "—" : sponsors}});
  d.blocks.push_back(std::move(t));
  d.blocks.push_back(Body("公示时间：" + ChineseDate(first) + "至" + ChineseDate(last) + "（" +
                          std::to_string(workdays) + "个工作日）。"));
  d.blocks.push_back(Body(
      "公示期间，党员和群众如有意见，可通过来电、来信、来访等方式向" + f.org_name +
      "或上级党委组织部门反映。反映情况应实事求是，以个人名义反映的请写明真实姓名和联系方式。"));
  d.blocks.push_back(Body("联系人：            联系电话："));
  d.blocks.push_back(Signature(f.org_name));
  d.blocks.push_back(Signature(ChineseDate(today)));
  return d;
}

document::WordDocument PoliticalReview(const CaseFile& f) {
  const auto* review = workflow::Latest(f.history, kPoliticalReview);
  document::WordDocument d;
  d.title = f.name + "同志政治审查综合材料";
  d.author = f.org_name;
  d.blocks.push_back(Title(d.title));
  d.blocks.push_back(PersonTable(f));
  d.blocks.push_back(Body(
      "根据《中国共产党发展党员工作细则》第十五条，党支部对发展对象" + f.name +
      "同志进行了政治审查，内容包括：对党的理论和路线、方针、政策的态度；政治历史和在重大政治斗争中"
      "的表现；遵纪守法和遵守社会公德情况；直系亲属和与本人关系密切的主要社会关系的政治情况。"));
  d.blocks.push_back(Body("审查情况和结论：" + TextOf(review->data, "conclusion")));
  d.blocks.push_back(Body(std::string("政审结论：") +
                          (TextOf(review->data, "result") == "passed" ? "合格" : "不合格") + "。"));
  d.blocks.push_back(Signature(f.org_name));
  d.blocks.push_back(Signature(ChineseDate(review->done_on)));
  return d;
}

document::WordDocument ApprovalLetter(const CaseFile& f) {
  const auto* approval = workflow::Latest(f.history, kApproval);
  auto dates = KeyDatesOf(f.history);
  std::string approver = TextOf(approval->data, "approved_by");
  if (approver.empty()) approver = f.parent_name;
  std::string number = TextOf(approval->data, "document_number");
  document::WordDocument d;
  d.title = "关于同意接收" + f.name + "同志为中共预备党员的批复";
  d.author = approver.empty() ? f.org_name : approver;
  if (!number.empty()) {
    Paragraph p;
    p.align = document::Align::kCenter;
    p.runs.push_back(document::Run{.text = number});
    d.blocks.push_back(std::move(p));
  }
  d.blocks.push_back(Title(d.title));
  Paragraph to;
  to.align = document::Align::kLeft;
  to.runs.push_back(document::Run{.text = f.org_name + "："});
  d.blocks.push_back(std::move(to));
  d.blocks.push_back(Body("你支部" + ChineseDate(dates.admitted_on.value_or("")) +
                          "支部党员大会关于接收" + f.name + "同志为中共预备党员的决议收悉。"));
  d.blocks.push_back(Body(
      "经" + ChineseDate(approval->done_on) + "党委会议研究，同意接收" + f.name +
      "同志为中共预备党员，预备期一年，自" + ChineseDate(dates.admitted_on.value_or("")) + "至" +
      ChineseDate(dates.probation_ends_on.value_or("")) + "。入党时间从支部大会通过之日算起。"));
  d.blocks.push_back(
      Body("请将其编入党支部和党小组，组织入党宣誓，继续对其进行教育和考察。此复。"));
  d.blocks.push_back(Signature(approver));
  d.blocks.push_back(Signature(ChineseDate(approval->done_on)));
  return d;
}

}  // namespace

Result<GeneratedDocument> GenerateDocument(const CaseFile& file, const std::string& kind,
                                           const std::string& today) {
  int step = 0;
  std::string title;
  for (const auto& s : AdmissionTable().steps) {
    for (const auto& d : s.documents) {
      if (d.id == kind) {
        step = s.number;
        title = d.title;
      }
    }
  }
  if (step == 0) {
    return Fail(
        Error::NotFound("development.document_unknown",
                        "没有这种文书：应为 public_notice、political_review 或 approval_letter"));
  }
  if (workflow::Latest(file.history, step) == nullptr) {
    const auto* s = AdmissionTable().Find(step);
    return Fail(Error::Conflict(
        "development.document_not_ready",
        "办理第" + std::to_string(step) + "步“" + s->title + "”后才能生成" + title));
  }
  document::WordDocument doc = kind == "public_notice"      ? PublicNotice(file, today)
                               : kind == "political_review" ? PoliticalReview(file)
                                                            : ApprovalLetter(file);
  auto bytes = document::RenderDocx(doc);
  if (!bytes) return Fail(bytes.error());
  return GeneratedDocument{std::move(*bytes), title + "-" + file.name + ".docx"};
}

}  // namespace zhibu::development
