#include "modules/org/committee.h"

#include "modules/org/vocabulary.h"
#include "platform/util/clock.h"
#include "platform/util/date.h"

namespace zhibu::org {
namespace {

constexpr std::string_view kSelectCommittees =
    "SELECT id, elected_on, term_years, term_ends_on, extended_until, is_current FROM committee "
    "WHERE org_id = $1 ORDER BY is_current DESC, elected_on DESC, id DESC";
constexpr std::string_view kSelectPositions =
    "SELECT position, member_id, member_name, concurrent_director FROM committee_position WHERE "
    "committee_id = $1 ORDER BY id";
constexpr int kMaxBranchCommittee = 7;

Result<boost::json::object> CommitteeJson(db::Connection& c, const db::ResultSet& r, std::size_t i,
                                          const std::string& today) {
  std::int64_t id = r.Int(i, 0);
  std::string ends = r.Text(i, 3);
  auto extended = r.OptionalText(i, 4);
  bool current = r.Int(i, 5) != 0;
  std::string effective_end = extended.value_or(ends);
  boost::json::object j{{"id", id},
                        {"elected_on", r.Text(i, 1)},
                        {"term_years", r.Int(i, 2)},
                        {"term_ends_on", ends},
                        {"current", current},
                        {"overdue", current && today > effective_end}};
  j["extended_until"] = extended ? boost::json::value(*extended) : boost::json::value(nullptr);
  auto positions = c.Query(kSelectPositions, {id});
  if (!positions) return Fail(positions.error());
  boost::json::array list;
  for (std::size_t k = 0; k < positions->size(); ++k) {
    std::string position = positions->Text(k, 0);
    boost::json::object p{{"position", position},
                          {"position_title", TitleOf(Positions(), position)},
                          {"member_name", positions->Text(k, 2)},
                          {"concurrent_director", positions->Int(k, 3) != 0}};
    auto member = positions->OptionalInt(k, 1);
    p["member_id"] = member ? boost::json::value(*member) : boost::json::value(nullptr);
    list.push_back(std::move(p));
  }
  j["positions"] = std::move(list);
  return j;
}

}  // namespace

Result<boost::json::array> CommitteesOf(db::Connection& c, const SubtreeScope& scope,
                                        std::int64_t org_id, const std::string& today) {
  auto org = GetOrg(c, scope, org_id);
  if (!org) return Fail(org.error());
  auto rows = c.Query(kSelectCommittees, {org_id});
  if (!rows) return Fail(rows.error());
  boost::json::array out;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    auto j = CommitteeJson(c, *rows, i, today);
    if (!j) return Fail(j.error());
    out.push_back(std::move(*j));
  }
  return out;
}

Result<boost::json::value> CurrentCommittee(db::Connection& c, std::int64_t org_id,
                                            const std::string& today) {
  auto rows = c.Query(kSelectCommittees, {org_id});
  if (!rows) return Fail(rows.error());
  if (rows->empty() || rows->Int(0, 5) == 0) return boost::json::value(nullptr);
  auto j = CommitteeJson(c, *rows, 0, today);
  if (!j) return Fail(j.error());
  return boost::json::value(std::move(*j));
}

Result<boost::json::object> ElectCommittee(db::Connection& c, const SubtreeScope& scope,
                                           const Change& change, std::int64_t org_id,
                                           const boost::json::object& body) {
  auto org = GetOrg(c, scope, org_id);
  if (!org) return Fail(org.error());
  if (org->status != "active" || org->kind == "group") {
    return Fail(Error::Conflict("committee.org_invalid", "已合并、撤销的组织和党小组不设委员会"));
  }
  const auto* elected = body.if_contains("elected_on");
  if (elected == nullptr || !elected->is_string() || !ParseIsoDate(elected->get_string())) {
    return Fail(Error::Invalid("committee.elected_on_invalid",
                               "选举日期应为 YYYY-MM-DD 格式的有效日期", "elected_on"));
  }
  std::string elected_on(elected->get_string());
  std::string today = TodayShanghai();
  if (elected_on > today) {
    return Fail(
        Error::Invalid("committee.elected_on_future", "选举日期不能晚于今天", "elected_on"));
  }
  int term_years = DefaultTermYears(org->domain);
  if (const auto* t = body.if_contains("term_years"); t && !t->is_null()) {
    if (!t->is_int64() || t->get_int64() < 3 || t->get_int64() > 5) {
      return Fail(Error::Invalid("committee.term_invalid", "任期应为 3–5 年（党章 第三十一条）",
                                 "term_years"));
    }
    term_years = static_cast<int>(t->get_int64());
  }
  const auto* positions = body.if_contains("positions");
  if (positions == nullptr || !positions->is_array() || positions->get_array().empty()) {
    return Fail(
        Error::Invalid("committee.positions_missing", "请填写委员会成员及职务", "positions"));
  }
  const auto& list = positions->get_array();
  if (IsBranchKind(org->kind) && list.size() > kMaxBranchCommittee) {
    return Fail(Error::Unprocessable(
        "committee.too_large",
        "党支部委员会一般不超过 7 人，收到 " + std::to_string(list.size()) + " 人", "positions",
        "支部工作条例 第六章：支委会 3 至 5 人，一般不超过 7 人"));
  }
  if (list.size() > 11) {
    return Fail(Error::Invalid("committee.too_large", "委员会最多 11 人", "positions"));
  }
  auto ymd = *ParseIsoDate(elected_on);
  std::string ends = FormatIsoDate(AddMonths(ymd, 12 * term_years));
  auto retired = c.Execute("UPDATE committee SET is_current = 0 WHERE org_id = $1", {org_id});
  if (!retired) return Fail(retired.error());
  auto inserted = c.Query(
      "INSERT INTO committee (org_id, elected_on, term_years, term_ends_on, is_current, "
      "created_at) VALUES ($1, $2, $3, $4, 1, $5) RETURNING id",
      {org_id, elected_on, static_cast<std::int64_t>(term_years), ends, NowShanghaiIso()});
  if (!inserted) return Fail(inserted.error());
  std::int64_t committee_id = inserted->Int(0, 0);
  for (const auto& item : list) {
    const auto* p = item.if_object();
    const auto* position = p ? p->if_contains("position") : nullptr;
    const auto* name = p ? p->if_contains("member_name") : nullptr;
    if (position == nullptr || !position->is_string() ||
        TitleOf(Positions(), position->get_string()).empty()) {
      return Fail(Error::Invalid("committee.position_invalid", "未知的职务", "positions"));
    }
    if (name == nullptr || !name->is_string() || name->get_string().empty() ||
        name->get_string().size() > 100) {
      return Fail(
          Error::Invalid("committee.member_name_missing", "请填写任职人员姓名", "positions"));
    }
    db::Value member_id = nullptr;
    if (const auto* m = p->if_contains("member_id"); m && m->is_int64()) member_id = m->get_int64();
    bool director = false;
    if (const auto* d = p->if_contains("concurrent_director"); d && d->is_bool()) {
      director = d->get_bool();
    }
    auto added = c.Execute(
        "INSERT INTO committee_position (committee_id, position, member_id, member_name, "
        "concurrent_director) VALUES ($1, $2, $3, $4, $5)",
        {committee_id, std::string(position->get_string()), member_id,
         std::string(name->get_string()), static_cast<std::int64_t>(director ? 1 : 0)});
    if (!added) return Fail(added.error());
  }
  if (Hooks().after_org_change) {
    auto counted = Hooks().after_org_change(c, std::span<const std::int64_t>(&org_id, 1));
    if (!counted) return Fail(counted.error());
  }
  auto current = CurrentCommittee(c, org_id, today);
  if (!current) return Fail(current.error());
  auto logged = audit::Append(c, {change.actor,
                                  "org.committee_elect",
                                  "org:" + std::to_string(org_id),
                                  "success",
                                  {{"after", *current}}});
  if (!logged) return Fail(logged.error());
  if (auto touched = TouchOrganisation(c, org_id); !touched) return Fail(touched.error());
  return current->as_object();
}

Result<boost::json::object> ExtendTerm(db::Connection& c, const SubtreeScope& scope,
                                       const Change& change, std::int64_t org_id,
                                       const std::string& until) {
  auto org = GetOrg(c, scope, org_id);
  if (!org) return Fail(org.error());
  auto rows = c.Query(kSelectCommittees, {org_id});
  if (!rows) return Fail(rows.error());
  if (rows->empty() || rows->Int(0, 5) == 0) {
    return Fail(Error::Conflict("committee.none", "该组织没有现任委员会"));
  }
  auto until_date = ParseIsoDate(until);
  if (!until_date) {
    return Fail(Error::Invalid("committee.extension_invalid",
                               "延期至应为 YYYY-MM-DD 格式的有效日期", "until"));
  }
  std::string ends = rows->Text(0, 3);
  std::string limit = FormatIsoDate(AddMonths(*ParseIsoDate(ends), 12));
  if (until <= ends || until > limit) {
    return Fail(Error::Unprocessable(
        "committee.extension_too_long",
        "延期换届应晚于任期届满日 " + ends + "，且不超过 1 年（至 " + limit + "）", "until",
        "中国共产党基层组织选举工作条例 第三条"));
  }
  auto done =
      c.Execute("UPDATE committee SET extended_until = $2 WHERE id = $1", {rows->Int(0, 0), until});
  if (!done) return Fail(done.error());
  auto current = CurrentCommittee(c, org_id, TodayShanghai());
  if (!current) return Fail(current.error());
  auto logged = audit::Append(c, {change.actor,
                                  "org.term_extend",
                                  "org:" + std::to_string(org_id),
                                  "success",
                                  {{"after", *current}, {"reason", change.reason}}});
  if (!logged) return Fail(logged.error());
  if (auto touched = TouchOrganisation(c, org_id); !touched) return Fail(touched.error());
  return current->as_object();
}

}  // namespace zhibu::org
