#include "modules/orglife/review.h"

#include <algorithm>
#include <map>
#include <set>

#include "modules/orglife/vocabulary.h"
#include "platform/audit/audit_trail.h"
#include "platform/json/json.h"
#include "platform/util/clock.h"
#include "platform/util/date.h"

namespace zhibu::orglife {
namespace {

constexpr std::string_view kSelectClasses =
    "SELECT id, seq, title FROM review_checklist_class ORDER BY seq, id";
constexpr std::string_view kSelectItems =
    "SELECT id, class_id, seq, title, source, created_at, retired_at FROM review_checklist_item "
    "ORDER BY class_id, seq, id";
constexpr std::string_view kSelectItem =
    "SELECT i.id, i.class_id, c.title, i.seq, i.title, i.source, i.created_at, i.retired_at FROM "
    "review_checklist_item i JOIN review_checklist_class c ON c.id = i.class_id WHERE i.id = $1";
constexpr std::string_view kClassByTitle =
    "SELECT id, title FROM review_checklist_class WHERE title = $1";
constexpr std::string_view kClassById =
    "SELECT id, title FROM review_checklist_class WHERE id = $1";
constexpr std::string_view kInsertClass =
    "INSERT INTO review_checklist_class (seq, title, created_at, created_by) SELECT "
    "COALESCE(MAX(seq), 0) + 1, $1, $2, $3 FROM review_checklist_class RETURNING id";
constexpr std::string_view kActiveTitleInClass =
    "SELECT id FROM review_checklist_item WHERE class_id = $1 AND title = $2 AND retired_at IS "
    "NULL";
constexpr std::string_view kInsertItem =
    "INSERT INTO review_checklist_item (class_id, seq, title, source, created_at, created_by) "
    "SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5 FROM review_checklist_item WHERE "
    "class_id = $1 RETURNING id";
constexpr std::string_view kRetireItem =
    "UPDATE review_checklist_item SET retired_at = $2, retired_by = $3, retire_reason = $4 WHERE "
    "id = $1 AND retired_at IS NULL";
constexpr std::string_view kInsertProblem =
    "INSERT INTO meeting_review_problem (review_id, record_id, org_id, item_id, note, found_on) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
constexpr std::string_view kSelectReviewProblems =
    "SELECT p.item_id, c.title, i.title, p.note FROM meeting_review_problem p LEFT JOIN "
    "review_checklist_item i ON i.id = p.item_id LEFT JOIN review_checklist_class c ON c.id = "
    "i.class_id WHERE p.review_id = $1 ORDER BY p.id";
//! The records waiting for review, with their organisation (filters appended).
constexpr std::string_view kQueueFrom =
    " FROM meeting_record r JOIN organisation o ON o.id = r.org_id WHERE r.status = 'submitted' "
    "AND ";
constexpr std::string_view kQueueColumns =
    "SELECT r.id, r.org_id, o.name, o.path, o.kind, r.kind, r.topic, r.held_on, r.submitted_at, "
    "r.correction_of, r.expected_count, r.present_count";
//! The problems of a subtree in a range of days, by the branch answerable (a 党小组's problems
//! are its branch's, unless the group is the subtree's root $5), the month found and the item
//! (filters appended).
constexpr std::string_view kProblemsGrouped =
    "SELECT CASE WHEN o.kind = 'group' AND o.id <> $5 THEN o.parent_id ELSE o.id END, "
    "substr(p.found_on, 1, 7), p.item_id, COUNT(*) FROM meeting_review_problem p JOIN "
    "organisation o ON o.id = p.org_id WHERE ";
constexpr std::string_view kProblemsTotals =
    "SELECT COUNT(*), COUNT(DISTINCT p.record_id), COUNT(DISTINCT CASE WHEN o.kind = 'group' AND "
    "o.id <> $5 THEN o.parent_id ELSE o.id END) FROM meeting_review_problem p JOIN organisation o "
    "ON o.id = p.org_id WHERE ";

constexpr std::size_t kMaxClassTitle = 90;
constexpr std::size_t kMaxItemTitle = 300;
constexpr std::size_t kMaxSource = 600;
constexpr std::size_t kMaxNote = 600;

//! The item shown for a free-text reason.
constexpr std::string_view kOtherItemTitle = "其他（未对应清单条目）";

std::string Num(std::int64_t n) { return std::to_string(n); }
std::string Placeholder(const std::vector<db::Value>& params) {
  return "$" + Num(static_cast<std::int64_t>(params.size()));
}

Error Invalid(std::string code, std::string message, std::string field) {
  return Error::Invalid(std::move(code), std::move(message), std::move(field));
}

Error ItemNotFound() {
  return Error::NotFound("orglife.checklist_item_not_found", "审核问题清单中没有这个条目");
}

boost::json::value JsonText(const std::optional<std::string>& text) {
  return text ? boost::json::value(*text) : boost::json::value(nullptr);
}

//! One checklist item as the API shows it, from a row of kSelectItem.
boost::json::object ItemJson(const db::ResultSet& r, std::size_t i) {
  auto retired_at = r.OptionalText(i, 7);
  return {{"id", r.Int(i, 0)},
          {"class_id", r.Int(i, 1)},
          {"class", r.Text(i, 2)},
          {"seq", r.Int(i, 3)},
          {"title", r.Text(i, 4)},
          {"source", r.Text(i, 5)},
          {"seeded", r.IsNull(i, 6)},
          {"retired", retired_at.has_value()},
          {"retired_at", JsonText(retired_at)}};
}

Result<db::ResultSet> LoadItem(db::Connection& c, std::int64_t id) {
  auto rows = c.Query(kSelectItem, {id});
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return Fail(ItemNotFound());
  return std::move(*rows);
}

//! A month `YYYY-MM` (400 naming `field` otherwise).
Result<std::string> RequireMonth(const std::string& text, std::string_view field) {
  if (text.size() == 7 && text[4] == '-' && ParseIsoDate(text + "-01")) return text;
  return Fail(Invalid("orglife.month_invalid", "月份格式应为 YYYY-MM", std::string(field)));
}

//! The months from `from` to `to`, inclusive.
std::vector<std::string> MonthsBetween(const std::string& from, const std::string& to) {
  std::vector<std::string> out;
  auto at = *ParseIsoDate(from + "-01");
  for (std::string m = from; m <= to; m = FormatIsoDate(at).substr(0, 7)) {
    out.push_back(m);
    at = AddMonths(at, 1);
  }
  return out;
}

//! The last day of month `YYYY-MM`.
std::string LastDayOf(const std::string& month) {
  auto first = *ParseIsoDate(month + "-01");
  return FormatIsoDate(std::chrono::year_month_day(
      std::chrono::year_month_day_last(first.year(), std::chrono::month_day_last(first.month()))));
}

}  // namespace

Result<SubtreeRoot> SubtreeRootOf(db::Connection& c, const org::SubtreeScope& scope,
                                  const std::optional<std::int64_t>& org_id) {
  std::vector<db::Value> params;
  std::string where;
  if (org_id) {
    params.emplace_back(*org_id);
    where = "o.id = $1";
  } else if (scope.everything()) {
    where = "o.parent_id IS NULL";
  } else if (!scope.paths().empty()) {
    params.emplace_back(scope.paths().front());
    where = "o.path = $1";
  } else {
    return Fail(Error::NotFound("org.not_found", "您没有可查看的组织"));
  }
  std::string sql = "SELECT o.id, o.name, o.code, o.path FROM organisation o WHERE " + where +
                    " AND " + scope.Condition("o.path", params) + " ORDER BY o.path LIMIT 1";
  auto rows = c.Query(sql, std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  if (rows->empty()) {
    return Fail(Error::NotFound("org.not_found", "组织不存在或不在您的管理范围内"));
  }
  return SubtreeRoot{rows->Int(0, 0), rows->Text(0, 1), rows->Text(0, 2), rows->Text(0, 3)};
}

Result<boost::json::object> GetChecklist(db::Connection& c, bool with_retired) {
  auto classes = c.Query(kSelectClasses);
  if (!classes) return Fail(classes.error());
  auto items = c.Query(kSelectItems);
  if (!items) return Fail(items.error());
  std::map<std::int64_t, boost::json::array> by_class;
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto retired_at = items->OptionalText(i, 6);
    if (retired_at && !with_retired) continue;
    by_class[items->Int(i, 1)].push_back(boost::json::object{{"id", items->Int(i, 0)},
                                                             {"seq", items->Int(i, 2)},
                                                             {"title", items->Text(i, 3)},
                                                             {"source", items->Text(i, 4)},
                                                             {"seeded", items->IsNull(i, 5)},
                                                             {"retired", retired_at.has_value()},
                                                             {"retired_at", JsonText(retired_at)}});
  }
  boost::json::array out;
  for (std::size_t i = 0; i < classes->size(); ++i) {
    auto found = by_class.find(classes->Int(i, 0));
    if (found == by_class.end()) continue;
    out.push_back(boost::json::object{{"id", classes->Int(i, 0)},
                                      {"seq", classes->Int(i, 1)},
                                      {"title", classes->Text(i, 2)},
                                      {"items", std::move(found->second)}});
  }
  return boost::json::object{{"classes", std::move(out)}};
}

Result<ChecklistItemInput> ChecklistItemFromJson(const boost::json::value& body) {
  if (!body.is_object()) {
    return Fail(Invalid("request.body_not_object", "请求体应为 JSON 对象", ""));
  }
  ChecklistItemInput in;
  const auto* cls = body.as_object().if_contains("class");
  if (cls == nullptr || cls->is_null()) {
    return Fail(Invalid("orglife.checklist_class_missing", "请指明问题类别", "class"));
  }
  if (cls->is_int64() || cls->is_uint64()) {
    in.class_id = cls->to_number<std::int64_t>();
  } else if (cls->is_string()) {
    in.class_title = std::string(cls->get_string());
  } else {
    return Fail(
        Invalid("request.field_type", "字段 class 应为类别名称（字符串）或类别编号", "class"));
  }
  auto title = StringField(body, "title", true, kMaxItemTitle);
  if (!title) return Fail(title.error());
  in.title = **title;
  auto source = StringField(body, "source", false, kMaxSource);
  if (!source) return Fail(source.error());
  in.source = source->value_or("");
  for (const auto& [key, value] : body.as_object()) {
    if (key != "class" && key != "title" && key != "source") {
      return Fail(
          Invalid("request.field_unknown", "未知字段 " + std::string(key), std::string(key)));
    }
  }
  return in;
}

Result<boost::json::object> AddChecklistItem(db::Connection& c, const org::Change& change,
                                             const ChecklistItemInput& input) {
  if (input.title.empty()) {
    return Fail(Invalid("orglife.checklist_title_missing", "请填写问题条目", "title"));
  }
  if (input.title.size() > kMaxItemTitle) {
    return Fail(Invalid("orglife.text_too_long",
                        "问题条目不超过 " + Num(static_cast<std::int64_t>(kMaxItemTitle)) + " 字节",
                        "title"));
  }
  if (input.source.size() > kMaxSource) {
    return Fail(Invalid("orglife.text_too_long",
                        "依据不超过 " + Num(static_cast<std::int64_t>(kMaxSource)) + " 字节",
                        "source"));
  }
  std::string now = NowShanghaiIso();
  std::int64_t class_id = 0;
  std::string class_title;
  if (input.class_id) {
    auto found = c.Query(kClassById, {*input.class_id});
    if (!found) return Fail(found.error());
    if (found->empty()) {
      return Fail(
          Invalid("orglife.checklist_class_unknown", "审核问题清单中没有这个类别", "class"));
    }
    class_id = found->Int(0, 0);
    class_title = found->Text(0, 1);
  } else {
    if (input.class_title.empty()) {
      return Fail(Invalid("orglife.checklist_class_missing", "请指明问题类别", "class"));
    }
    if (input.class_title.size() > kMaxClassTitle) {
      return Fail(Invalid(
          "orglife.text_too_long",
          "类别名称不超过 " + Num(static_cast<std::int64_t>(kMaxClassTitle)) + " 字节", "class"));
    }
    if (input.class_title == kOtherClassTitle) {
      return Fail(Invalid("orglife.checklist_class_reserved",
                          "“其他”用于统计未对应清单条目的退回理由，请使用其他类别名称", "class"));
    }
    auto found = c.Query(kClassByTitle, {input.class_title});
    if (!found) return Fail(found.error());
    if (!found->empty()) {
      class_id = found->Int(0, 0);
    } else {
      auto created = c.Query(
          kInsertClass, {input.class_title, now,
                         change.account_id ? db::Value(*change.account_id) : db::Value(nullptr)});
      if (!created) return Fail(created.error());
      class_id = created->Int(0, 0);
      auto logged = org::AuditChange(c, change, "orglife.checklist.add_class",
                                     "checklist_class:" + Num(class_id),
                                     {{"after", {{"title", input.class_title}}}});
      if (!logged) return Fail(logged.error());
    }
    class_title = input.class_title;
  }
  auto duplicate = c.Query(kActiveTitleInClass, {class_id, input.title});
  if (!duplicate) return Fail(duplicate.error());
  if (!duplicate->empty()) {
    return Fail(Error::Conflict(
        "orglife.checklist_item_duplicate",
        "类别“" + class_title + "”中已有该问题条目（编号 " + Num(duplicate->Int(0, 0)) + "）",
        "title"));
  }
  std::string source = input.source.empty() ? "本地做法" : input.source;
  auto inserted = c.Query(kInsertItem,
                          {class_id, input.title, source, now,
                           change.account_id ? db::Value(*change.account_id) : db::Value(nullptr)});
  if (!inserted) return Fail(inserted.error());
  std::int64_t id = inserted->Int(0, 0);
  auto logged = org::AuditChange(
      c, change, "orglife.checklist.add", "checklist_item:" + Num(id),
      {{"after", {{"class", class_title}, {"title", input.title}, {"source", source}}}});
  if (!logged) return Fail(logged.error());
  auto row = LoadItem(c, id);
  if (!row) return Fail(row.error());
  return ItemJson(*row, 0);
}

Result<boost::json::object> RetireChecklistItem(db::Connection& c, const org::Change& change,
                                                std::int64_t id) {
  auto row = LoadItem(c, id);
  if (!row) return Fail(row.error());
  if (!row->IsNull(0, 7)) {
    return Fail(Error::Conflict("orglife.checklist_item_retired", "该问题条目已停用", "id"));
  }
  if (change.reason.size() > kMaxNote) {
    return Fail(Invalid("orglife.text_too_long",
                        "停用原因不超过 " + Num(static_cast<std::int64_t>(kMaxNote)) + " 字节",
                        "reason"));
  }
  auto done = c.Execute(
      kRetireItem,
      {id, NowShanghaiIso(), change.account_id ? db::Value(*change.account_id) : db::Value(nullptr),
       change.reason});
  if (!done) return Fail(done.error());
  auto logged = org::AuditChange(
      c, change, "orglife.checklist.retire", "checklist_item:" + Num(id),
      {{"before", {{"class", row->Text(0, 2)}, {"title", row->Text(0, 4)}, {"retired", false}}},
       {"after", {{"retired", true}}}});
  if (!logged) return Fail(logged.error());
  auto after = LoadItem(c, id);
  if (!after) return Fail(after.error());
  return ItemJson(*after, 0);
}

Result<std::optional<std::vector<ProblemInput>>> ProblemsFromJson(const boost::json::value& body) {
  std::optional<std::vector<ProblemInput>> out;
  if (!body.is_object()) return out;
  const auto* list = body.as_object().if_contains("problems");
  if (list == nullptr || list->is_null()) return out;
  if (!list->is_array()) {
    return Fail(Invalid("request.field_type", "字段 problems 应为数组", "problems"));
  }
  out.emplace();
  for (std::size_t i = 0; i < list->get_array().size(); ++i) {
    const auto& entry = list->get_array()[i];
    std::string at = "problems[" + Num(static_cast<std::int64_t>(i)) + "]";
    if (!entry.is_object()) {
      return Fail(Invalid("request.field_type", "问题应为对象 {item_id, note}", at));
    }
    ProblemInput p;
    const auto* item = entry.as_object().if_contains("item_id");
    if (item == nullptr || item->is_null()) {
      return Fail(
          Invalid("orglife.checklist_item_missing", "请选择审核问题清单中的条目", at + ".item_id"));
    }
    if (!item->is_int64() && !item->is_uint64()) {
      return Fail(Invalid("request.field_type", "item_id 应为整数", at + ".item_id"));
    }
    p.item_id = item->to_number<std::int64_t>();
    if (const auto* note = entry.as_object().if_contains("note"); note && !note->is_null()) {
      if (!note->is_string()) {
        return Fail(Invalid("request.field_type", "说明应为字符串", at + ".note"));
      }
      p.note = std::string(note->get_string());
    }
    for (const auto& [key, value] : entry.as_object()) {
      if (key != "item_id" && key != "note") {
        return Fail(Invalid("request.field_unknown", "未知字段 " + std::string(key),
                            at + "." + std::string(key)));
      }
    }
    out->push_back(std::move(p));
  }
  return out;
}

Result<void> CheckProblems(db::Connection& c, const std::vector<ProblemInput>& problems) {
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < problems.size(); ++i) {
    std::string at = "problems[" + Num(static_cast<std::int64_t>(i)) + "]";
    const ProblemInput& p = problems[i];
    auto row = c.Query(kSelectItem, {p.item_id});
    if (!row) return Fail(row.error());
    if (row->empty() || !row->IsNull(0, 7)) {
      return Fail(Invalid(
          "orglife.checklist_item_unknown",
          row->empty() ? "审核问题清单中没有这个条目" : "该问题条目已停用，请选择清单中在用的条目",
          at + ".item_id"));
    }
    if (!seen.insert(p.item_id).second) {
      return Fail(
          Invalid("orglife.problem_duplicate", "同一问题条目只能填写一次", at + ".item_id"));
    }
    if (p.note.size() > kMaxNote) {
      return Fail(Invalid("orglife.text_too_long",
                          "说明不超过 " + Num(static_cast<std::int64_t>(kMaxNote)) + " 字节",
                          at + ".note"));
    }
  }
  return {};
}

Result<boost::json::array> RecordProblems(db::Connection& c, std::int64_t review_id,
                                          std::int64_t record_id, std::int64_t org_id,
                                          const std::vector<std::string>& reasons,
                                          const std::vector<ProblemInput>& problems) {
  std::string today = TodayShanghai();
  for (const auto& p : problems) {
    auto done = c.Execute(kInsertProblem, {review_id, record_id, org_id, p.item_id, p.note, today});
    if (!done) return Fail(done.error());
  }
  for (const auto& reason : reasons) {
    auto done = c.Execute(kInsertProblem, {review_id, record_id, org_id, nullptr, reason, today});
    if (!done) return Fail(done.error());
  }
  return ReviewProblemsJson(c, review_id);
}

Result<boost::json::array> ReviewProblemsJson(db::Connection& c, std::int64_t review_id) {
  auto rows = c.Query(kSelectReviewProblems, {review_id});
  if (!rows) return Fail(rows.error());
  boost::json::array out;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    auto item_id = rows->OptionalInt(i, 0);
    out.push_back(boost::json::object{
        {"item_id", item_id ? boost::json::value(*item_id) : boost::json::value(nullptr)},
        {"class", item_id ? rows->Text(i, 1) : std::string(kOtherClassTitle)},
        {"item", item_id ? rows->Text(i, 2) : std::string()},
        {"note", rows->Text(i, 3)}});
  }
  return out;
}

Result<boost::json::object> ReviewQueue(db::Connection& c, const org::SubtreeScope& review_scope,
                                        const ReviewQueueQuery& query, const std::string& today) {
  std::vector<db::Value> params;
  // A record is the reviewer's when its parent lies inside the scope: its organisation is inside
  // and is not one of the scope's roots.
  std::string where = review_scope.Condition("o.path", params);
  if (review_scope.everything()) {
    where += " AND o.parent_id IS NOT NULL";
  } else {
    for (const auto& root : review_scope.paths()) {
      params.emplace_back(root);
      where += " AND o.path <> " + Placeholder(params);
    }
  }
  if (query.org_id) {
    auto org = SubtreeRootOf(c, review_scope, query.org_id);
    if (!org) return Fail(org.error());
    params.emplace_back(org->path);
    where += " AND o.path >= " + Placeholder(params);
    params.emplace_back(org::SubtreeEnd(org->path));
    where += " AND o.path < " + Placeholder(params);
  }
  if (!query.kind.empty()) {
    if (FindKind(query.kind) == nullptr) {
      return Fail(Invalid("orglife.kind_invalid", "未知的组织生活类型", "kind"));
    }
    params.emplace_back(query.kind);
    where += " AND r.kind = " + Placeholder(params);
  }
  auto total = c.Query("SELECT COUNT(*)" + std::string(kQueueFrom) + where,
                       std::span<const db::Value>(params));
  if (!total) return Fail(total.error());
  auto rows = c.Query(std::string(kQueueColumns) + std::string(kQueueFrom) + where +
                          " ORDER BY r.submitted_at, r.id LIMIT " + Num(query.page_size) +
                          " OFFSET " + Num((query.page - 1) * query.page_size),
                      std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  // The names along each record's path, inside the scope: one query for the page.
  std::set<std::string> prefixes;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    std::string path = rows->Text(i, 3);
    for (std::size_t k = 1; k < path.size(); ++k) {
      if (path[k] == '/') prefixes.insert(path.substr(0, k + 1));
    }
  }
  std::map<std::string, std::pair<std::int64_t, std::string>> names;
  if (!prefixes.empty()) {
    std::vector<db::Value> name_params;
    std::string in;
    for (const auto& p : prefixes) {
      name_params.emplace_back(p);
      in += (in.empty() ? "" : ", ") + Placeholder(name_params);
    }
    std::string sql = "SELECT o.path, o.id, o.name FROM organisation o WHERE o.path IN (" + in +
                      ") AND " + review_scope.Condition("o.path", name_params);
    auto found = c.Query(sql, std::span<const db::Value>(name_params));
    if (!found) return Fail(found.error());
    for (std::size_t i = 0; i < found->size(); ++i) {
      names[found->Text(i, 0)] = {found->Int(i, 1), found->Text(i, 2)};
    }
  }
  auto today_date = *ParseIsoDate(today);
  boost::json::array items;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    std::string path = rows->Text(i, 3);
    boost::json::array trail;
    std::string titled;
    for (std::size_t k = 1; k < path.size(); ++k) {
      if (path[k] != '/') continue;
      auto at = names.find(path.substr(0, k + 1));
      if (at == names.end()) continue;
      trail.push_back(boost::json::object{{"id", at->second.first}, {"name", at->second.second}});
      titled += (titled.empty() ? "" : " / ") + at->second.second;
    }
    std::string kind = rows->Text(i, 5);
    const MeetingKind* k = FindKind(kind);
    std::string submitted_at = rows->Text(i, 8);
    auto submitted_on = ParseIsoDate(std::string_view(submitted_at).substr(0, 10));
    auto correction_of = rows->OptionalInt(i, 9);
    items.push_back(boost::json::object{
        {"id", rows->Int(i, 0)},
        {"org_id", rows->Int(i, 1)},
        {"org_name", rows->Text(i, 2)},
        {"org_kind", rows->Text(i, 4)},
        {"org_trail", std::move(trail)},
        {"org_path_title", titled},
        {"kind", kind},
        {"kind_title", k ? k->title : std::string_view()},
        {"topic", rows->Text(i, 6)},
        {"held_on", rows->Text(i, 7)},
        {"submitted_at", submitted_at},
        {"days_waiting", submitted_on ? std::max(0, DaysBetween(*submitted_on, today_date)) : 0},
        {"correction_of",
         correction_of ? boost::json::value(*correction_of) : boost::json::value(nullptr)},
        {"expected", rows->Int(i, 10)},
        {"present", rows->Int(i, 11)}});
  }
  return boost::json::object{{"items", std::move(items)},
                             {"total", total->Int(0, 0)},
                             {"page", query.page},
                             {"page_size", query.page_size}};
}

Result<boost::json::object> ProblemStats(db::Connection& c, const org::SubtreeScope& scope,
                                         const ProblemStatsQuery& query, const std::string& today) {
  std::string from = query.from.empty() ? today.substr(0, 4) + "-01" : query.from;
  std::string to = query.to.empty() ? today.substr(0, 7) : query.to;
  auto from_ok = RequireMonth(from, "from");
  if (!from_ok) return Fail(from_ok.error());
  auto to_ok = RequireMonth(to, "to");
  if (!to_ok) return Fail(to_ok.error());
  if (to < from) {
    return Fail(Invalid("orglife.month_range_invalid", "截止月份不能早于起始月份", "to"));
  }
  auto root = SubtreeRootOf(c, scope, query.org_id);
  if (!root) return Fail(root.error());

  std::vector<db::Value> params{root->path, org::SubtreeEnd(root->path), from + "-01",
                                LastDayOf(to), root->id};
  std::string where =
      "o.path >= $1 AND o.path < $2 AND p.found_on >= $3 AND p.found_on <= $4 AND " +
      scope.Condition("o.path", params);
  auto totals = c.Query(std::string(kProblemsTotals) + where, std::span<const db::Value>(params));
  if (!totals) return Fail(totals.error());
  auto grouped = c.Query(std::string(kProblemsGrouped) + where + " GROUP BY 1, 2, 3",
                         std::span<const db::Value>(params));
  if (!grouped) return Fail(grouped.error());

  // Count by item (0: 其他), by branch and class, by month and class.
  constexpr std::int64_t kOther = 0;
  std::map<std::int64_t, std::int64_t> by_item;
  std::map<std::int64_t, std::map<std::int64_t, std::int64_t>> by_branch_item;
  std::map<std::string, std::map<std::int64_t, std::int64_t>> by_month_item;
  for (std::size_t i = 0; i < grouped->size(); ++i) {
    std::int64_t branch = grouped->OptionalInt(i, 0).value_or(0);
    std::string month = grouped->Text(i, 1);
    std::int64_t item = grouped->OptionalInt(i, 2).value_or(kOther);
    std::int64_t n = grouped->Int(i, 3);
    by_item[item] += n;
    by_branch_item[branch][item] += n;
    by_month_item[month][item] += n;
  }

  // The checklist: every item in use, and retired ones that have problems here.
  auto classes = c.Query(kSelectClasses);
  if (!classes) return Fail(classes.error());
  auto items = c.Query(kSelectItems);
  if (!items) return Fail(items.error());
  std::map<std::int64_t, std::int64_t> class_of{{kOther, kOther}};
  std::map<std::int64_t, boost::json::array> class_items;
  std::map<std::int64_t, std::int64_t> class_counts;
  std::int64_t items_with_problems = 0;
  for (std::size_t i = 0; i < items->size(); ++i) {
    std::int64_t id = items->Int(i, 0), cls = items->Int(i, 1);
    class_of[id] = cls;
    auto n = by_item.find(id);
    std::int64_t count = n == by_item.end() ? 0 : n->second;
    bool retired = !items->IsNull(i, 6);
    if (retired && count == 0) continue;
    if (count > 0) ++items_with_problems;
    class_counts[cls] += count;
    class_items[cls].push_back(boost::json::object{
        {"id", id}, {"title", items->Text(i, 3)}, {"retired", retired}, {"count", count}});
  }
  std::int64_t other = by_item.contains(kOther) ? by_item[kOther] : 0;
  if (other > 0) ++items_with_problems;
  boost::json::array class_list;
  std::int64_t classes_with_problems = other > 0 ? 1 : 0;
  for (std::size_t i = 0; i < classes->size(); ++i) {
    std::int64_t id = classes->Int(i, 0);
    auto listed = class_items.find(id);
    if (listed == class_items.end()) continue;
    if (class_counts[id] > 0) ++classes_with_problems;
    class_list.push_back(boost::json::object{{"id", id},
                                             {"title", classes->Text(i, 2)},
                                             {"count", class_counts[id]},
                                             {"items", std::move(listed->second)}});
  }
  class_list.push_back(boost::json::object{
      {"id", nullptr},
      {"title", kOtherClassTitle},
      {"count", other},
      {"items",
       boost::json::array{boost::json::object{
           {"id", nullptr}, {"title", kOtherItemTitle}, {"retired", false}, {"count", other}}}}});

  // Per class counts of a group of problems, as [{class_id, count}] (其他: class_id null).
  auto by_class = [&](const std::map<std::int64_t, std::int64_t>& counts) {
    std::map<std::int64_t, std::int64_t> summed;
    for (const auto& [item, n] : counts)
      summed[class_of.contains(item) ? class_of[item] : kOther] += n;
    boost::json::array out;
    for (const auto& [cls, n] : summed) {
      out.push_back(boost::json::object{
          {"class_id", cls == kOther ? boost::json::value(nullptr) : boost::json::value(cls)},
          {"count", n}});
    }
    return out;
  };
  auto sum = [](const std::map<std::int64_t, std::int64_t>& counts) {
    std::int64_t n = 0;
    for (const auto& [item, k] : counts) n += k;
    return n;
  };

  // The branches, most problems first, named in one query.
  struct BranchCount {
    std::int64_t id = 0;
    std::int64_t count = 0;
  };
  std::vector<BranchCount> branches;
  for (const auto& [id, counts] : by_branch_item) branches.push_back({id, sum(counts)});
  std::map<std::int64_t, std::pair<std::string, std::string>> branch_names;
  if (!branches.empty()) {
    std::vector<db::Value> name_params;
    std::string in;
    for (const auto& b : branches) {
      name_params.emplace_back(b.id);
      in += (in.empty() ? "" : ", ") + Placeholder(name_params);
    }
    auto named = c.Query("SELECT id, name, path FROM organisation WHERE id IN (" + in + ")",
                         std::span<const db::Value>(name_params));
    if (!named) return Fail(named.error());
    for (std::size_t i = 0; i < named->size(); ++i) {
      branch_names[named->Int(i, 0)] = {named->Text(i, 1), named->Text(i, 2)};
    }
  }
  std::sort(branches.begin(), branches.end(), [&](const BranchCount& a, const BranchCount& b) {
    if (a.count != b.count) return a.count > b.count;
    return branch_names[a.id].second < branch_names[b.id].second;
  });
  boost::json::array branch_list;
  for (const auto& b : branches) {
    branch_list.push_back(boost::json::object{{"org_id", b.id},
                                              {"name", branch_names[b.id].first},
                                              {"count", b.count},
                                              {"classes", by_class(by_branch_item[b.id])}});
  }
  boost::json::array month_list;
  for (const auto& month : MonthsBetween(from, to)) {
    auto found = by_month_item.find(month);
    static const std::map<std::int64_t, std::int64_t> kNone;
    const auto& counts = found == by_month_item.end() ? kNone : found->second;
    month_list.push_back(boost::json::object{
        {"month", month}, {"count", sum(counts)}, {"classes", by_class(counts)}});
  }
  return boost::json::object{{"org", {{"id", root->id}, {"name", root->name}}},
                             {"from", from},
                             {"to", to},
                             {"total", totals->Int(0, 0)},
                             {"records", totals->Int(0, 1)},
                             {"branches", totals->Int(0, 2)},
                             {"classes_with_problems", classes_with_problems},
                             {"items_with_problems", items_with_problems},
                             {"classes", std::move(class_list)},
                             {"by_branch", std::move(branch_list)},
                             {"by_month", std::move(month_list)}};
}

}  // namespace zhibu::orglife
