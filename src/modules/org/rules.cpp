#include "modules/org/rules.h"

#include "platform/settings/settings.h"
#include "platform/util/date.h"

namespace zhibu::org {
namespace {

constexpr std::string_view kCurrentTerms =
    "SELECT o.id, o.name, o.path, c.elected_on, c.term_years, c.term_ends_on, c.extended_until "
    "FROM committee c JOIN organisation o ON o.id = c.org_id WHERE c.is_current = 1 AND "
    "o.status = 'active' AND o.path >= $1 AND o.path < $2";

std::string EffectiveEnd(const CommitteeTermFacts& f) {
  return f.extended_until.value_or(f.term_ends_on);
}

compliance::Finding Base(const CommitteeTermFacts& f, std::string_view severity,
                         std::string message) {
  compliance::Finding out;
  out.subject_kind = "organisation";
  out.subject_id = f.org_id;
  out.subject_name = f.org_name;
  out.org_id = f.org_id;
  out.org_path = f.org_path;
  out.severity = std::string(severity);
  out.message = std::move(message);
  out.facts = {
      {"elected_on", f.elected_on}, {"term_years", f.term_years}, {"term_ends_on", f.term_ends_on}};
  out.facts["extended_until"] =
      f.extended_until ? boost::json::value(*f.extended_until) : boost::json::value(nullptr);
  return out;
}

Result<std::vector<CommitteeTermFacts>> CurrentTerms(compliance::ScanContext& ctx) {
  auto rows = ctx.connection.Query(kCurrentTerms, {ctx.path_from, ctx.path_to});
  if (!rows) return Fail(rows.error());
  std::vector<CommitteeTermFacts> out;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    out.push_back({rows->Int(i, 0), rows->Text(i, 1), rows->Text(i, 2), rows->Text(i, 3),
                   static_cast<int>(rows->Int(i, 4)), rows->Text(i, 5), rows->OptionalText(i, 6)});
  }
  return out;
}

}  // namespace

std::optional<compliance::Finding> JudgeTermOverdue(const CommitteeTermFacts& f,
                                                    const std::string& as_of) {
  std::string end = EffectiveEnd(f);
  if (end >= as_of) return std::nullopt;
  return Base(f, compliance::kRed,
              "委员会任期已于 " + end + " 届满（" + f.elected_on + " 选举，任期 " +
                  std::to_string(f.term_years) + " 年" + (f.extended_until ? "，已批准延期" : "") +
                  "），尚未换届");
}

std::optional<compliance::Finding> JudgeTermEnding(const CommitteeTermFacts& f,
                                                   const std::string& as_of, int warning_months) {
  std::string end = EffectiveEnd(f);
  if (end < as_of) return std::nullopt;
  std::string horizon = FormatIsoDate(AddMonths(*ParseIsoDate(as_of), warning_months));
  if (end > horizon) return std::nullopt;
  return Base(f, compliance::kYellow,
              "委员会任期将于 " + end + " 届满，请提前做好换届准备（换届选举须报上级党组织批准）");
}

std::vector<compliance::RuleSpec> TreeRules() {
  return {
      {.id = "org.committee.term_overdue",
       .title = "委员会届满未换届",
       .severity = std::string(compliance::kRed),
       .source = "中国共产党章程 第三十一条（任期三年至五年）；中国共产党基层组织选举工作条例 "
                 "第三条（延期一般不超过1年）",
       .subject_kind = "organisation",
       .scan = [](compliance::ScanContext& ctx) -> Result<std::vector<compliance::Finding>> {
         auto terms = CurrentTerms(ctx);
         if (!terms) return Fail(terms.error());
         std::vector<compliance::Finding> out;
         for (const auto& t : *terms) {
           if (auto f = JudgeTermOverdue(t, ctx.as_of)) out.push_back(std::move(*f));
         }
         return out;
       }},
      {.id = "org.committee.term_ending",
       .title = "委员会即将届满",
       .severity = std::string(compliance::kYellow),
       .source = "本地设置 org.term_warning_months（默认提前6个月提醒）；依据 中国共产党章程 "
                 "第三十一条",
       .subject_kind = "organisation",
       .scan = [](compliance::ScanContext& ctx) -> Result<std::vector<compliance::Finding>> {
         auto months = settings::Integer(ctx.connection, kTermWarningSetting);
         if (!months) return Fail(months.error());
         auto terms = CurrentTerms(ctx);
         if (!terms) return Fail(terms.error());
         std::vector<compliance::Finding> out;
         for (const auto& t : *terms) {
           if (auto f = JudgeTermEnding(t, ctx.as_of, static_cast<int>(*months))) {
             out.push_back(std::move(*f));
           }
         }
         return out;
       }},
  };
}

}  // namespace zhibu::org
