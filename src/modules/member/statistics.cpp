#include "modules/member/statistics.h"

#include <boost/json/parse.hpp>
#include <map>

#include "modules/member/vocabulary.h"
#include "modules/org/org_store.h"
#include "platform/util/date.h"

namespace zhibu::member {
namespace {

constexpr std::string_view kMembersOn =
    "SELECT s.status, m.sex, m.ethnicity, m.birth_date, m.education, m.occupation, "
    "m.confirmed_on, s.org_id FROM member_span s "
    "JOIN organisation_placement p ON p.org_id = s.org_id AND p.valid_from <= $1 AND "
    "(p.valid_to IS NULL OR p.valid_to > $1) "
    "JOIN member m ON m.id = s.member_id "
    "WHERE s.valid_from <= $1 AND (s.valid_to IS NULL OR s.valid_to > $1) AND p.path >= $2 AND "
    "p.path < $3";
constexpr std::string_view kCountOn =
    "SELECT COUNT(*) FROM member_span s JOIN organisation_placement p ON p.org_id = s.org_id AND "
    "p.valid_from <= $1 AND (p.valid_to IS NULL OR p.valid_to > $1) WHERE s.valid_from <= $1 AND "
    "(s.valid_to IS NULL OR s.valid_to > $1) AND p.path >= $2 AND p.path < $3";
constexpr std::string_view kOrgsOn =
    "SELECT o.id, o.kind, o.domain, o.units FROM organisation_placement p JOIN organisation o ON "
    "o.id = p.org_id WHERE p.valid_from <= $1 AND (p.valid_to IS NULL OR p.valid_to > $1) AND "
    "p.path >= $2 AND p.path < $3";
constexpr std::string_view kCommitteesOn =
    "SELECT DISTINCT org_id FROM committee WHERE elected_on <= $1";
constexpr std::string_view kEventsIn =
    "SELECT kind, COUNT(*) FROM member_event WHERE org_path >= $1 AND org_path < $2 AND "
    "happened_on >= $3 AND happened_on <= $4 GROUP BY kind";

std::string AgeBand(int age) {
  if (age <= 30) return "≤30";
  if (age >= 61) return "≥61";
  int low = 31 + ((age - 31) / 5) * 5;
  return std::to_string(low) + "–" + std::to_string(low + 4);
}

std::string StandingBand(const std::optional<std::string>& confirmed,
                         std::chrono::year_month_day on) {
  if (!confirmed) return "预备期";
  int years = WholeYearsBetween(*ParseIsoDate(*confirmed), on);
  if (years < 5) return "5年以下";
  if (years <= 10) return "5–10年";
  if (years <= 20) return "11–20年";
  if (years <= 30) return "21–30年";
  if (years <= 40) return "31–40年";
  if (years <= 50) return "41–50年";
  return "50年以上";
}

boost::json::object ToObject(const std::map<std::string, std::int64_t>& counts) {
  boost::json::object out;
  for (const auto& [k, v] : counts) out[k] = v;
  return out;
}

}  // namespace

Result<std::int64_t> MemberCountOn(db::Connection& c, const std::string& path,
                                   const std::string& date) {
  auto rows = c.Query(kCountOn, {date, path, org::SubtreeEnd(path)});
  if (!rows) return Fail(rows.error());
  return rows->Int(0, 0);
}

Result<std::int64_t> NetFlow(db::Connection& c, const std::string& path, const std::string& from,
                             const std::string& to) {
  auto rows = c.Query(kEventsIn, {path, org::SubtreeEnd(path), from, to});
  if (!rows) return Fail(rows.error());
  std::int64_t net = 0;
  for (std::size_t i = 0; i < rows->size(); ++i) net += Flow(rows->Text(i, 0)) * rows->Int(i, 1);
  return net;
}

Result<boost::json::object> SubtreeStatistics(db::Connection& c, const org::SubtreeScope& scope,
                                              std::int64_t org_id, const std::string& as_of) {
  auto date = ParseIsoDate(as_of);
  if (!date) {
    return Fail(
        Error::Invalid("stats.as_of_invalid", "统计日期应为 YYYY-MM-DD 格式的有效日期", "as_of"));
  }
  auto current = org::GetOrg(c, scope, org_id);
  if (!current) return Fail(current.error());
  auto path = org::PathOn(c, org_id, as_of);
  if (!path) return Fail(path.error());
  if (!*path) {
    return Fail(Error::NotFound("stats.org_absent", "该组织在 " + as_of + " 尚未成立或已撤销"));
  }
  // The subtree as it was; still limited to what the caller may see today.
  const std::string& root = **path;
  const std::string end = org::SubtreeEnd(root);

  std::map<std::string, std::int64_t> by_kind, by_domain;
  std::map<std::int64_t, std::string> branch_kind;
  std::int64_t enterprises = 0, with_own = 0, organisations = 0;
  auto orgs = c.Query(kOrgsOn, {as_of, root, end});
  if (!orgs) return Fail(orgs.error());
  for (std::size_t i = 0; i < orgs->size(); ++i) {
    std::string kind = orgs->Text(i, 1);
    std::string domain = orgs->Text(i, 2);
    ++organisations;
    ++by_kind[kind];
    ++by_domain[domain];
    if (org::IsBranchKind(kind)) branch_kind[orgs->Int(i, 0)] = kind;
    if (domain == "private" && org::IsBranchKind(kind)) {
      auto units = boost::json::parse(orgs->Text(i, 3)).as_array();
      enterprises += static_cast<std::int64_t>(units.size());
      if (kind == "branch" && units.size() == 1) ++with_own;
    }
  }

  std::map<std::string, std::int64_t> by_status, by_sex, by_ethnicity, by_age, by_education,
      by_occupation, by_standing;
  std::map<std::int64_t, std::int64_t> full_per_branch;
  std::int64_t total = 0;
  auto rows = c.Query(kMembersOn, {as_of, root, end});
  if (!rows) return Fail(rows.error());
  for (std::size_t i = 0; i < rows->size(); ++i) {
    std::string status = rows->Text(i, 0);
    ++total;
    ++by_status[status];
    ++by_sex[rows->Text(i, 1)];
    ++by_ethnicity[rows->Text(i, 2)];
    ++by_age[AgeBand(WholeYearsBetween(*ParseIsoDate(rows->Text(i, 3)), *date))];
    ++by_education[rows->Text(i, 4)];
    std::string occupation = rows->Text(i, 5);
    ++by_occupation[occupation.empty() ? "未填写" : occupation];
    auto confirmed = rows->OptionalText(i, 6);
    if (confirmed && *confirmed > as_of) confirmed.reset();
    ++by_standing[StandingBand(confirmed, *date)];
    if (status == "full") ++full_per_branch[rows->Int(i, 7)];
  }

  // 支部条例 第六章: a branch with 7 or more full members sets up a committee.
  auto committees = c.Query(kCommitteesOn, {as_of});
  if (!committees) return Fail(committees.error());
  std::set<std::int64_t> with_committee;
  for (std::size_t i = 0; i < committees->size(); ++i) with_committee.insert(committees->Int(i, 0));
  std::int64_t needing = 0, without = 0;
  for (const auto& [branch, full] : full_per_branch) {
    if (full < 7 || !branch_kind.contains(branch)) continue;
    ++needing;
    if (!with_committee.contains(branch)) ++without;
  }

  boost::json::object coverage{{"enterprises", enterprises}, {"with_organisation", with_own}};
  coverage["share"] =
      enterprises == 0 ? 0.0 : static_cast<double>(with_own) / static_cast<double>(enterprises);
  return boost::json::object{{"as_of", as_of},
                             {"org_id", org_id},
                             {"organisations",
                              {{"total", organisations},
                               {"by_kind", ToObject(by_kind)},
                               {"by_domain", ToObject(by_domain)}}},
                             {"members",
                              {{"total", total},
                               {"by_status", ToObject(by_status)},
                               {"by_sex", ToObject(by_sex)},
                               {"by_ethnicity", ToObject(by_ethnicity)},
                               {"by_age_band", ToObject(by_age)},
                               {"by_education", ToObject(by_education)},
                               {"by_occupation", ToObject(by_occupation)},
                               {"by_standing", ToObject(by_standing)}}},
                             {"branches_needing_committee", needing},
                             {"branches_without_required_committee", without},
                             {"non_public_coverage", std::move(coverage)}};
}

}  // namespace zhibu::member
