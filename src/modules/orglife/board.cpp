#include "modules/orglife/board.h"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>
#include <unordered_map>

#include "modules/orglife/review.h"
#include "modules/orglife/rules.h"
#include "platform/compliance/rule.h"

namespace zhibu::orglife {
namespace {

using compliance::ScanContext;

//! The stored findings of the frequency duties for some subjects in a period (ids appended).
constexpr std::string_view kStoredFindings =
    "SELECT id, rule_id, subject_id, status FROM finding WHERE period = $1 AND subject_kind = "
    "'organisation' AND rule_id LIKE 'orglife.%' AND status <> 'resolved' AND subject_id IN (";
//! The rows' organisations with their parents (ids appended).
constexpr std::string_view kRowOrgs =
    "SELECT o.id, o.name, o.kind, p.id, p.name, p.path FROM organisation o LEFT JOIN organisation "
    "p ON p.id = o.parent_id WHERE o.id IN (";

//! A cell's light, in order of severity.
enum class Light : std::uint8_t { kNone, kGreen, kYellow, kRed };
constexpr std::array<std::string_view, 4> kLightIds = {"none", "green", "yellow", "red"};

std::string_view LightId(Light l) { return kLightIds[static_cast<std::size_t>(l)]; }

std::optional<Light> ParseLight(std::string_view text) {
  for (std::size_t i = 0; i < kLightIds.size(); ++i) {
    if (kLightIds[i] == text) return static_cast<Light>(i);
  }
  return std::nullopt;
}

//! How an organisation stands: none when the duty binds no cycle of the period, else by finding.
Light LightOf(const DutyStanding& s) {
  if (s.assessment.judged.empty()) return Light::kNone;
  if (!s.assessment.finding) return Light::kGreen;
  return s.assessment.finding->severity == compliance::kRed ? Light::kRed : Light::kYellow;
}

//! One column's cell of one row: the branch's standing, or its groups'.
struct Cell {
  Light light = Light::kNone;
  const DutyStanding* subject = nullptr;
  std::vector<const DutyStanding*> groups;
};

//! One row: a branch (or, for a 党小组 whose branch lies outside the subtree, the group).
struct Row {
  std::int64_t id = 0;
  std::string name;
  std::string path;
  std::vector<Cell> cells;
  Light worst = Light::kNone;
  std::array<std::int64_t, 4> counts{};  //!< cells by light
};

//! One column: the duty as the settings make it, its rule's title and source, its subjects.
struct Column {
  FrequencyDuty duty;
  DutyStandings standings;
  std::string source;
  std::array<std::int64_t, 4> subjects{};  //!< subjects by light (none not counted)
  std::array<std::int64_t, 4> rows{};      //!< cells by light
  std::int64_t held = 0;
};

std::string ParentPathOf(const std::string& path) {
  if (path.size() < 2) return path;
  auto cut = path.rfind('/', path.size() - 2);
  return cut == std::string::npos ? path : path.substr(0, cut + 1);
}

//! The id at the end of a materialised path `/1/7/23/`.
std::int64_t IdOfPath(const std::string& path) {
  auto cut = path.rfind('/', path.size() - 2);
  return std::stoll(path.substr(cut + 1, path.size() - cut - 2));
}

std::string Placeholder(std::size_t n) { return "$" + std::to_string(n); }

boost::json::value OptionalJson(const std::optional<std::string>& text) {
  return text ? boost::json::value(*text) : boost::json::value(nullptr);
}

//! Each rule's source, as its manifest declares it.
const std::map<std::string, std::string, std::less<>>& RuleSources() {
  static const std::map<std::string, std::string, std::less<>> sources = [] {
    std::map<std::string, std::string, std::less<>> out;
    for (const auto& spec : OrgLifeRules()) out[spec.id] = spec.source;
    return out;
  }();
  return sources;
}

std::string_view CycleName(int months) {
  switch (months) {
    case 1:
      return "month";
    case 3:
      return "quarter";
    case 12:
      return "year";
    default:
      return "months";
  }
}

boost::json::object LightCounts(const std::array<std::int64_t, 4>& counts, bool with_none) {
  boost::json::object out{{"red", counts[3]}, {"yellow", counts[2]}, {"green", counts[1]}};
  if (with_none) out["none"] = counts[0];
  return out;
}

//! The stored finding of a subject: (id, status).
using StoredFinding = std::pair<std::int64_t, std::string>;
using StoredFindings = std::map<std::pair<std::string, std::int64_t>, StoredFinding>;

boost::json::object SubjectJson(const DutyStanding& s) {
  const auto& f = s.assessment.finding;
  boost::json::array missed;
  for (const auto& m : s.assessment.missed) missed.push_back(boost::json::value(m));
  std::optional<std::string> last;
  if (!s.facts.held.empty()) last = s.facts.held.back();
  std::optional<std::string> due;
  if (f) {
    if (const auto* d = f->facts.if_contains("due_on"); d && d->is_string()) {
      due = std::string(d->get_string());
    }
  }
  return {{"light", LightId(LightOf(s))}, {"held", s.assessment.held_in_period},
          {"missed", std::move(missed)},  {"last_held", OptionalJson(last)},
          {"due_on", OptionalJson(due)},  {"message", f ? f->message : std::string()}};
}

void AddFinding(boost::json::object& j, const StoredFindings& stored, std::string_view rule,
                std::int64_t subject) {
  auto found = stored.find({std::string(rule), subject});
  j["finding_id"] =
      found == stored.end() ? boost::json::value(nullptr) : boost::json::value(found->second.first);
  j["finding_status"] = found == stored.end() ? boost::json::value(nullptr)
                                              : boost::json::value(found->second.second);
}

boost::json::object CellJson(const Column& column, const Cell& cell, const StoredFindings& stored) {
  if (!column.duty.groups) {
    if (cell.subject == nullptr) {
      boost::json::object j{
          {"light", "none"},      {"held", 0},         {"missed", boost::json::array{}},
          {"last_held", nullptr}, {"due_on", nullptr}, {"message", ""}};
      AddFinding(j, stored, column.duty.rule_id, 0);
      return j;
    }
    boost::json::object j = SubjectJson(*cell.subject);
    AddFinding(j, stored, column.duty.rule_id, cell.subject->facts.org_id);
    return j;
  }
  // The branch's 党小组: the worst light, their records, the cycles any of them missed.
  std::int64_t held = 0;
  std::vector<std::string> missed;
  std::optional<std::string> last, due;
  std::array<std::int64_t, 4> by_light{};
  boost::json::array findings;
  const DutyStanding* worst = nullptr;
  for (const DutyStanding* g : cell.groups) {
    Light light = LightOf(*g);
    ++by_light[static_cast<std::size_t>(light)];
    held += g->assessment.held_in_period;
    missed.insert(missed.end(), g->assessment.missed.begin(), g->assessment.missed.end());
    if (!g->facts.held.empty() && (!last || g->facts.held.back() > *last)) {
      last = g->facts.held.back();
    }
    if (light == Light::kRed || light == Light::kYellow) {
      boost::json::object entry = SubjectJson(*g);
      entry["org_id"] = g->facts.org_id;
      entry["name"] = g->facts.org_name;
      AddFinding(entry, stored, column.duty.rule_id, g->facts.org_id);
      findings.push_back(std::move(entry));
      if (worst == nullptr || light > LightOf(*worst)) worst = g;
    }
  }
  std::sort(missed.begin(), missed.end());
  missed.erase(std::unique(missed.begin(), missed.end()), missed.end());
  boost::json::array missed_json;
  for (const auto& m : missed) missed_json.push_back(boost::json::value(m));
  if (worst != nullptr) {
    if (const auto* d = worst->assessment.finding->facts.if_contains("due_on");
        d && d->is_string()) {
      due = std::string(d->get_string());
    }
  }
  boost::json::object j{{"light", LightId(cell.light)},
                        {"held", held},
                        {"missed", std::move(missed_json)},
                        {"last_held", OptionalJson(last)},
                        {"due_on", OptionalJson(due)},
                        {"message", worst != nullptr ? worst->facts.org_name + "：" +
                                                           worst->assessment.finding->message
                                                     : std::string()},
                        {"groups",
                         {{"total", by_light[1] + by_light[2] + by_light[3]},
                          {"red", by_light[3]},
                          {"yellow", by_light[2]},
                          {"green", by_light[1]}}},
                        {"findings", std::move(findings)}};
  AddFinding(j, stored, column.duty.rule_id, worst != nullptr ? worst->facts.org_id : 0);
  return j;
}

}  // namespace

Result<boost::json::object> DutyBoard(db::Connection& c, const org::SubtreeScope& scope,
                                      const BoardQuery& query, const std::string& today) {
  compliance::Period period = compliance::MonthOf(today);
  if (!query.period.empty()) {
    auto parsed = compliance::ParsePeriod(query.period);
    if (!parsed) return Fail(parsed.error());
    period = *parsed;
  }
  std::optional<Light> wanted;
  if (!query.light.empty()) {
    wanted = ParseLight(query.light);
    if (!wanted) {
      return Fail(Error::Invalid("orglife.light_invalid", "light 应为 red、yellow、green 或 none",
                                 "light"));
    }
  }
  auto duties = FrequencyDuties();
  std::optional<std::size_t> filter_column;
  if (!query.duty.empty()) {
    for (std::size_t i = 0; i < duties.size(); ++i) {
      if (duties[i].kind == query.duty) filter_column = i;
    }
    if (!filter_column) {
      return Fail(
          Error::Invalid("orglife.duty_invalid", "duty 应为看板的一列（记录类型）", "duty"));
    }
  }
  if (!query.sort.empty() && query.sort != "path" && query.sort != "worst") {
    return Fail(Error::Invalid("orglife.sort_invalid", "sort 应为 path 或 worst", "sort"));
  }
  auto found = SubtreeRootOf(c, scope, query.org_id);
  if (!found) return Fail(found.error());
  const SubtreeRoot& root = *found;

  // The same subtree, period and day judged as `zhibu check --org CODE --period P`.
  const std::string as_of = std::min(period.last_day, today);
  ScanContext ctx{c, root.path, org::SubtreeEnd(root.path), period, as_of, {}};
  std::vector<Column> columns;
  columns.reserve(duties.size());
  for (const FrequencyDuty& duty : duties) {
    auto standings = StandingsOf(ctx, duty.rule_id);
    if (!standings) return Fail(standings.error());
    auto source = RuleSources().find(duty.rule_id);
    columns.push_back({duty,
                       std::move(*standings),
                       source == RuleSources().end() ? std::string() : source->second,
                       {},
                       {},
                       0});
  }

  // The rows: every branch a duty binds; a 党小组 joins its branch's row.
  std::vector<Row> rows;
  std::unordered_map<std::int64_t, std::size_t> row_of;
  auto row_for = [&](std::int64_t id, const std::string& path) -> Row& {
    auto [at, inserted] = row_of.try_emplace(id, rows.size());
    if (inserted) {
      Row row;
      row.id = id;
      row.path = path;
      row.cells.resize(columns.size());
      rows.push_back(std::move(row));
    }
    return rows[at->second];
  };
  for (std::size_t col = 0; col < columns.size(); ++col) {
    Column& column = columns[col];
    for (const DutyStanding& s : column.standings.subjects) {
      Light light = LightOf(s);
      if (light != Light::kNone) ++column.subjects[static_cast<std::size_t>(light)];
      column.held += s.assessment.held_in_period;
      if (!column.duty.groups) {
        Row& row = row_for(s.facts.org_id, s.facts.org_path);
        row.name = s.facts.org_name;
        row.cells[col].subject = &s;
        row.cells[col].light = light;
        continue;
      }
      if (light == Light::kNone) continue;
      std::string parent = ParentPathOf(s.facts.org_path);
      bool inside = parent != s.facts.org_path && parent >= ctx.path_from && parent < ctx.path_to;
      Row& row =
          inside ? row_for(IdOfPath(parent), parent) : row_for(s.facts.org_id, s.facts.org_path);
      if (!inside) row.name = s.facts.org_name;
      Cell& cell = row.cells[col];
      cell.groups.push_back(&s);
      cell.light = std::max(cell.light, light);
    }
  }
  std::array<std::int64_t, 4> row_lights{};
  for (Row& row : rows) {
    for (std::size_t col = 0; col < columns.size(); ++col) {
      auto l = static_cast<std::size_t>(row.cells[col].light);
      ++row.counts[l];
      ++columns[col].rows[l];
      row.worst = std::max(row.worst, row.cells[col].light);
    }
    ++row_lights[static_cast<std::size_t>(row.worst)];
  }

  // Filter, order, page.
  std::vector<const Row*> shown;
  for (const Row& row : rows) {
    if (wanted) {
      Light l = filter_column ? row.cells[*filter_column].light : row.worst;
      if (l != *wanted) continue;
    }
    shown.push_back(&row);
  }
  if (query.sort == "worst") {
    std::sort(shown.begin(), shown.end(), [](const Row* a, const Row* b) {
      return std::tuple(-a->counts[3], -a->counts[2], a->path) <
             std::tuple(-b->counts[3], -b->counts[2], b->path);
    });
  } else {
    std::sort(shown.begin(), shown.end(),
              [](const Row* a, const Row* b) { return a->path < b->path; });
  }
  const auto total = static_cast<std::int64_t>(shown.size());
  std::size_t first =
      std::min(shown.size(), static_cast<std::size_t>((query.page - 1) * query.page_size));
  std::size_t last = std::min(shown.size(), first + static_cast<std::size_t>(query.page_size));

  // The page's organisations and their parents, and the stored findings of its subjects.
  struct OrgInfo {
    std::string name;
    std::string kind;
    std::optional<std::int64_t> parent_id;
    std::string parent_name;
  };
  std::map<std::int64_t, OrgInfo> info;
  StoredFindings stored;
  if (first < last) {
    std::vector<db::Value> ids;
    std::vector<db::Value> subjects{period.id};
    std::string id_list, subject_list;
    for (std::size_t i = first; i < last; ++i) {
      ids.emplace_back(shown[i]->id);
      id_list += (id_list.empty() ? "" : ", ") + Placeholder(ids.size());
      for (const Cell& cell : shown[i]->cells) {
        std::vector<const DutyStanding*> judged = cell.groups;
        if (cell.subject != nullptr) judged.push_back(cell.subject);
        for (const DutyStanding* s : judged) {
          if (!s->assessment.finding) continue;
          subjects.emplace_back(s->facts.org_id);
          subject_list += (subject_list.empty() ? "" : ", ") + Placeholder(subjects.size());
        }
      }
    }
    auto orgs = c.Query(std::string(kRowOrgs) + id_list + ")", std::span<const db::Value>(ids));
    if (!orgs) return Fail(orgs.error());
    for (std::size_t i = 0; i < orgs->size(); ++i) {
      OrgInfo o{orgs->Text(i, 1), orgs->Text(i, 2), std::nullopt, ""};
      auto parent_path = orgs->OptionalText(i, 5);
      if (parent_path && scope.Contains(*parent_path)) {
        o.parent_id = orgs->OptionalInt(i, 3);
        o.parent_name = orgs->Text(i, 4);
      }
      info[orgs->Int(i, 0)] = std::move(o);
    }
    if (!subject_list.empty()) {
      auto found = c.Query(std::string(kStoredFindings) + subject_list + ")",
                           std::span<const db::Value>(subjects));
      if (!found) return Fail(found.error());
      for (std::size_t i = 0; i < found->size(); ++i) {
        stored[{found->Text(i, 1), found->Int(i, 2)}] = {found->Int(i, 0), found->Text(i, 3)};
      }
    }
  }

  boost::json::array column_list;
  std::array<std::int64_t, 4> subject_totals{};
  for (const Column& column : columns) {
    for (std::size_t l = 0; l < 4; ++l) subject_totals[l] += column.subjects[l];
    const Duty& d = column.standings.duty;
    column_list.push_back(boost::json::object{{"id", column.duty.kind},
                                              {"rule_id", column.duty.rule_id},
                                              {"title", d.title},
                                              {"cycle", CycleName(d.months)},
                                              {"cycle_months", d.months},
                                              {"due_day", d.due_day},
                                              {"subjects", column.duty.groups ? "group" : "branch"},
                                              {"source", column.source},
                                              {"totals",
                                               {{"subjects", LightCounts(column.subjects, false)},
                                                {"rows", LightCounts(column.rows, true)},
                                                {"held", column.held}}}});
  }
  boost::json::array items;
  for (std::size_t i = first; i < last; ++i) {
    const Row& row = *shown[i];
    const OrgInfo* o = info.contains(row.id) ? &info[row.id] : nullptr;
    boost::json::object cells;
    for (std::size_t col = 0; col < columns.size(); ++col) {
      cells[columns[col].duty.kind] = CellJson(columns[col], row.cells[col], stored);
    }
    items.push_back(boost::json::object{
        {"org_id", row.id},
        {"name", o ? o->name : row.name},
        {"kind", o ? o->kind : std::string()},
        {"parent", o && o->parent_id ? boost::json::value(boost::json::object{
                                           {"id", *o->parent_id}, {"name", o->parent_name}})
                                     : boost::json::value(nullptr)},
        {"light", LightId(row.worst)},
        {"counts", LightCounts(row.counts, true)},
        {"cells", std::move(cells)}});
  }
  return boost::json::object{{"org", {{"id", root.id}, {"name", root.name}, {"code", root.code}}},
                             {"period",
                              {{"id", period.id},
                               {"first_day", period.first_day},
                               {"last_day", period.last_day},
                               {"as_of", as_of}}},
                             {"columns", std::move(column_list)},
                             {"totals", LightCounts(subject_totals, false)},
                             {"rows",
                              {{"total", static_cast<std::int64_t>(rows.size())},
                               {"red", row_lights[3]},
                               {"yellow", row_lights[2]},
                               {"green", row_lights[1]},
                               {"none", row_lights[0]}}},
                             {"items", std::move(items)},
                             {"total", total},
                             {"page", query.page},
                             {"page_size", query.page_size}};
}

}  // namespace zhibu::orglife
