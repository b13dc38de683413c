#include "modules/org/org_store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "modules/org/vocabulary.h"
#include "platform/compliance/rule.h"
#include "platform/util/clock.h"
#include "platform/util/date.h"

namespace zhibu::org {
namespace {

constexpr std::string_view kColumns =
    "o.id, o.code, o.name, o.kind, o.domain, o.parent_id, o.path, o.depth, o.status, "
    "o.status_on, o.merged_into, o.founded_on, o.approval_document, o.address, o.units, "
    "(SELECT COUNT(*) FROM organisation k WHERE k.parent_id = o.id AND k.status = 'active')";
constexpr std::string_view kInsert =
    "INSERT INTO organisation (code, name, kind, domain, parent_id, path, depth, founded_on, "
    "approval_document, address, units, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, '', $6, $7, $8, $9, $10, $11, $11) RETURNING id";
constexpr std::string_view kSetPath = "UPDATE organisation SET path = $2 WHERE id = $1";
constexpr std::string_view kCodeTaken = "SELECT id FROM organisation WHERE code = $1";
constexpr std::string_view kInsertPlacement =
    "INSERT INTO organisation_placement (org_id, parent_id, path, valid_from) VALUES ($1, $2, $3, "
    "$4)";
constexpr std::string_view kInsertChange =
    "INSERT INTO organisation_change (org_id, kind, happened_on, reason, from_parent, to_parent, "
    "other_org, account_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
constexpr std::string_view kSelectHistory =
    "SELECT c.kind, c.happened_on, c.reason, c.from_parent, fp.name, c.to_parent, tp.name, "
    "c.other_org, oo.name FROM organisation_change c "
    "LEFT JOIN organisation fp ON fp.id = c.from_parent "
    "LEFT JOIN organisation tp ON tp.id = c.to_parent "
    "LEFT JOIN organisation oo ON oo.id = c.other_org WHERE c.org_id = $1 ORDER BY c.id";
constexpr std::string_view kSelectPathOn =
    "SELECT path FROM organisation_placement WHERE org_id = $1 AND valid_from <= $2 AND "
    "(valid_to IS NULL OR valid_to > $2) ORDER BY valid_from DESC LIMIT 1";
constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxCode = 64;

Error NotFound() { return Error::NotFound("org.not_found", "组织不存在或不在您的管理范围内"); }

std::optional<std::string> OptText(const db::ResultSet& r, std::size_t row, std::size_t col) {
  return r.OptionalText(row, col);
}

OrgRecord FromRow(const db::ResultSet& r, std::size_t i) {
  OrgRecord o;
  o.id = r.Int(i, 0);
  o.code = r.Text(i, 1);
  o.name = r.Text(i, 2);
  o.kind = r.Text(i, 3);
  o.domain = r.Text(i, 4);
  o.parent_id = r.OptionalInt(i, 5);
  o.path = r.Text(i, 6);
  o.depth = static_cast<int>(r.Int(i, 7));
  o.status = r.Text(i, 8);
  o.status_on = OptText(r, i, 9);
  o.merged_into = r.OptionalInt(i, 10);
  o.founded_on = OptText(r, i, 11);
  o.approval_document = r.Text(i, 12);
  o.address = r.Text(i, 13);
  o.units = r.Text(i, 14);
  o.child_count = r.Int(i, 15);
  return o;
}

//! Fills member_count from the membership hook.
Result<void> FillCounts(db::Connection& c, std::vector<OrgRecord>& orgs) {
  if (!Hooks().subtree_member_counts || orgs.empty()) return {};
  std::vector<std::string> paths;
  for (const auto& o : orgs) paths.push_back(o.path);
  auto counts = Hooks().subtree_member_counts(c, paths);
  if (!counts) return Fail(counts.error());
  for (auto& o : orgs) {
    auto it = counts->find(o.path);
    o.member_count = it == counts->end() ? 0 : it->second;
  }
  return {};
}

Result<std::vector<OrgRecord>> Select(db::Connection& c, const SubtreeScope& scope,
                                      const std::string& where, std::vector<db::Value> params,
                                      const std::string& order = "o.path") {
  std::string sql = "SELECT " + std::string(kColumns) + " FROM organisation o WHERE " + where +
                    " AND " + scope.Condition("o.path", params) + " ORDER BY " + order;
  auto rows = c.Query(sql, std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  std::vector<OrgRecord> out;
  out.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) out.push_back(FromRow(*rows, i));
  auto filled = FillCounts(c, out);
  if (!filled) return Fail(filled.error());
  return out;
}

boost::json::object Snapshot(const OrgRecord& o) {
  boost::json::object j = o.Summary();
  j.erase("child_count");
  j.erase("member_count");
  j["path"] = o.path;
  return j;
}

}  // namespace

Result<void> TouchOrganisation(db::Connection& c, std::int64_t id) {
  auto path = c.Query("SELECT path FROM organisation WHERE id = $1", {id});
  if (!path) return Fail(path.error());
  if (path->empty()) return {};
  return compliance::Touch(c, path->Text(0, 0));
}

Result<void> AuditChange(db::Connection& c, const Change& change, std::string action,
                         std::string target, boost::json::object detail, bool with_date) {
  if (!change.reason.empty()) detail["reason"] = change.reason;
  if (with_date && !change.date.empty()) detail["date"] = change.date;
  auto logged = audit::Append(
      c, {change.actor, std::move(action), std::move(target), "success", std::move(detail)});
  if (!logged) return Fail(logged.error());
  return {};
}

Result<void> AuditChangeAndTouch(db::Connection& c, const Change& change, std::string action,
                                 std::string target, boost::json::object detail,
                                 std::string_view org_path) {
  auto logged = AuditChange(c, change, std::move(action), std::move(target), std::move(detail));
  if (!logged) return Fail(logged.error());
  return compliance::Touch(c, org_path);
}

namespace {

Result<void> Audit(db::Connection& c, const Change& change, std::string action, std::int64_t id,
                   boost::json::object detail) {
  return AuditChange(c, change, std::move(action), "org:" + std::to_string(id), std::move(detail),
                     true);
}

Result<void> RecordChange(db::Connection& c, const Change& change, std::int64_t id,
                          std::string_view kind, std::optional<std::int64_t> from_parent,
                          std::optional<std::int64_t> to_parent,
                          std::optional<std::int64_t> other) {
  auto opt = [](std::optional<std::int64_t> v) -> db::Value {
    return v ? db::Value(*v) : db::Value(nullptr);
  };
  auto done = c.Execute(kInsertChange,
                        {id, std::string(kind), change.date, change.reason, opt(from_parent),
                         opt(to_parent), opt(other), opt(change.account_id), NowShanghaiIso()});
  if (!done) return Fail(done.error());
  return TouchOrganisation(c, id);
}

Result<void> RequireDateAndReason(const Change& change) {
  if (!ParseIsoDate(change.date)) {
    return Fail(
        Error::Invalid("org.date_invalid", "生效日期应为 YYYY-MM-DD 格式的有效日期", "date"));
  }
  if (change.reason.empty() || change.reason.size() > 1000) {
    return Fail(Error::Invalid("org.reason_missing", "请填写原因（不超过 1000 字节）", "reason"));
  }
  return {};
}

//! Re-points every organisation in the subtree at `old_prefix` to `new_prefix`, closing their
//! placements on `date` and opening new ones.
Result<void> RewritePaths(db::Connection& c, const std::string& old_prefix,
                          const std::string& new_prefix, const std::string& date) {
  const std::string end = SubtreeEnd(old_prefix);
  auto rows = c.Query("SELECT id, parent_id, path FROM organisation WHERE path >= $1 AND path < $2",
                      {old_prefix, end});
  if (!rows) return Fail(rows.error());
  for (std::size_t i = 0; i < rows->size(); ++i) {
    std::int64_t id = rows->Int(i, 0);
    std::string path = new_prefix + rows->Text(i, 2).substr(old_prefix.size());
    std::int64_t depth = static_cast<std::int64_t>(std::count(path.begin(), path.end(), '/')) - 1;
    auto updated =
        c.Execute("UPDATE organisation SET path = $2, depth = $3 WHERE id = $1", {id, path, depth});
    if (!updated) return Fail(updated.error());
    auto closed = c.Execute(
        "UPDATE organisation_placement SET valid_to = $2 WHERE org_id = $1 AND valid_to IS NULL",
        {id, date});
    if (!closed) return Fail(closed.error());
    db::Value parent = rows->IsNull(i, 1) ? db::Value(nullptr) : db::Value(rows->Int(i, 1));
    auto opened = c.Execute(kInsertPlacement, {id, parent, path, date});
    if (!opened) return Fail(opened.error());
  }
  if (Hooks().on_path_change) {
    auto moved = Hooks().on_path_change(c, old_prefix, new_prefix, date);
    if (!moved) return Fail(moved.error());
  }
  return {};
}

Result<boost::json::array> ValidUnits(const boost::json::array& units) {
  boost::json::array out;
  if (units.size() > 50) {
    return Fail(Error::Invalid("org.units_invalid", "所在单位最多 50 个", "units"));
  }
  for (const auto& u : units) {
    const auto* o = u.if_object();
    const auto* name = o ? o->if_contains("name") : nullptr;
    if (name == nullptr || !name->is_string() || name->get_string().empty() ||
        name->get_string().size() > kMaxName) {
      return Fail(
          Error::Invalid("org.units_invalid", "所在单位应为 {name, employees} 的数组", "units"));
    }
    boost::json::object unit{{"name", name->get_string()}};
    if (const auto* employees = o->if_contains("employees"); employees && !employees->is_null()) {
      if (!employees->is_int64() || employees->get_int64() < 0) {
        return Fail(Error::Invalid("org.units_invalid", "单位职工人数应为非负整数", "units"));
      }
      unit["employees"] = employees->get_int64();
    }
    out.push_back(std::move(unit));
  }
  return out;
}

//! Tells the member registry's statistics that these organisations changed.
Result<void> AfterChange(db::Connection& c, std::initializer_list<std::int64_t> ids) {
  if (!Hooks().after_org_change) return {};
  return Hooks().after_org_change(c, std::span<const std::int64_t>(ids.begin(), ids.size()));
}

}  // namespace

MembershipHooks& Hooks() {
  static MembershipHooks hooks;
  return hooks;
}

boost::json::object OrgRecord::Summary() const {
  boost::json::object j{{"id", id},
                        {"code", code},
                        {"name", name},
                        {"kind", kind},
                        {"kind_title", TitleOf(Kinds(), kind)},
                        {"domain", domain},
                        {"domain_title", TitleOf(Domains(), domain)},
                        {"status", status},
                        {"status_title", TitleOf(Statuses(), status)},
                        {"child_count", child_count},
                        {"member_count", member_count}};
  j["parent_id"] = parent_id ? boost::json::value(*parent_id) : boost::json::value(nullptr);
  return j;
}

Result<void> ValidateOrgInput(const OrgInput& input) {
  if (input.code.empty() || input.code.size() > kMaxCode ||
      input.code.find_first_of(" \t\r\n/") != std::string::npos) {
    return Fail(Error::Invalid("org.code_invalid",
                               "组织编码不能为空、不含空白和斜杠、不超过 64 字节", "code"));
  }
  if (input.name.empty() || input.name.size() > kMaxName) {
    return Fail(Error::Invalid("org.name_invalid", "组织名称不能为空，不超过 200 字节", "name"));
  }
  if (TitleOf(Kinds(), input.kind).empty()) {
    return Fail(
        Error::Invalid("org.kind_invalid", "未知的组织类别：" + input.kind.substr(0, 32), "kind"));
  }
  if (TitleOf(Domains(), input.domain).empty()) {
    return Fail(Error::Invalid("org.domain_invalid", "未知的领域：" + input.domain.substr(0, 32),
                               "domain"));
  }
  if (input.founded_on && !ParseIsoDate(*input.founded_on)) {
    return Fail(Error::Invalid("org.founded_on_invalid", "成立日期应为 YYYY-MM-DD 格式的有效日期",
                               "founded_on"));
  }
  auto units = ValidUnits(input.units);
  if (!units) return Fail(units.error());
  return {};
}

Result<OrgRecord> GetOrg(db::Connection& c, const SubtreeScope& scope, std::int64_t id) {
  auto rows = Select(c, scope, "o.id = $1", {id});
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return Fail(NotFound());
  return std::move(rows->front());
}

Result<OrgRecord> GetOrgByCode(db::Connection& c, const SubtreeScope& scope,
                               std::string_view code) {
  auto rows = Select(c, scope, "o.code = $1", {std::string(code)});
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return Fail(NotFound());
  return std::move(rows->front());
}

Result<std::vector<OrgRecord>> ChildrenOf(db::Connection& c, const SubtreeScope& scope,
                                          std::int64_t id) {
  auto parent = GetOrg(c, scope, id);
  if (!parent) return Fail(parent.error());
  return Select(c, scope, "o.parent_id = $1", {id},
                "CASE WHEN o.status = 'active' THEN 0 ELSE 1 END, o.code");
}

Result<std::vector<OrgRecord>> ScopeRoots(db::Connection& c, const SubtreeScope& scope) {
  if (scope.everything()) return Select(c, scope, "o.parent_id IS NULL", {});
  std::vector<OrgRecord> out;
  for (const auto& path : scope.paths()) {
    auto rows = Select(c, scope, "o.path = $1", {path});
    if (!rows) return Fail(rows.error());
    for (auto& o : *rows) out.push_back(std::move(o));
  }
  return out;
}

Result<boost::json::array> AncestorsOf(db::Connection& c, const SubtreeScope& scope,
                                       const OrgRecord& org) {
  boost::json::array out;
  std::vector<db::Value> params;
  // Every proper prefix of the path is an ancestor's path.
  std::string sql = "SELECT o.id, o.name FROM organisation o WHERE o.path IN (";
  for (std::size_t i = 1; i + 1 < org.path.size(); ++i) {
    if (org.path[i] != '/') continue;
    params.emplace_back(org.path.substr(0, i + 1));
    sql += (params.size() > 1 ? ", $" : "$") + std::to_string(params.size());
  }
  if (params.empty()) return out;
  sql += ") AND " + scope.Condition("o.path", params) + " ORDER BY o.depth";
  auto rows = c.Query(sql, std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  for (std::size_t i = 0; i < rows->size(); ++i) {
    out.push_back(boost::json::object{{"id", rows->Int(i, 0)}, {"name", rows->Text(i, 1)}});
  }
  return out;
}

Result<boost::json::array> HistoryOf(db::Connection& c, const SubtreeScope& scope,
                                     std::int64_t id) {
  auto org = GetOrg(c, scope, id);
  if (!org) return Fail(org.error());
  auto rows = c.Query(kSelectHistory, {id});
  if (!rows) return Fail(rows.error());
  static const std::map<std::string, std::string, std::less<>> kTitles = {
      {"create", "成立"}, {"move", "调整隶属关系"}, {"merge", "合并"},
      {"absorb", "并入"}, {"dissolve", "撤销"},     {"update", "信息变更"}};
  boost::json::array out;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    std::string kind = rows->Text(i, 0);
    auto title = kTitles.find(kind);
    boost::json::object item{{"kind", kind},
                             {"kind_title", title == kTitles.end() ? kind : title->second},
                             {"date", rows->Text(i, 1)},
                             {"reason", rows->Text(i, 2)}};
    auto named = [&](std::size_t id_col) -> boost::json::value {
      if (rows->IsNull(i, id_col)) return nullptr;
      return boost::json::object{{"id", rows->Int(i, id_col)},
                                 {"name", rows->OptionalText(i, id_col + 1).value_or("")}};
    };
    item["from_parent"] = named(3);
    item["to_parent"] = named(5);
    item["other"] = named(7);
    out.push_back(std::move(item));
  }
  return out;
}

Result<std::optional<std::string>> PathOn(db::Connection& c, std::int64_t id,
                                          const std::string& date) {
  auto rows = c.Query(kSelectPathOn, {id, date});
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows->Text(0, 0));
}

Result<OrgRecord> CreateOrg(db::Connection& c, const SubtreeScope& scope, const Change& change,
                            const OrgInput& input) {
  auto valid = ValidateOrgInput(input);
  if (!valid) return Fail(valid.error());
  std::string parent_path = "/";
  if (input.parent_id) {
    auto parent = GetOrg(c, scope, *input.parent_id);
    if (!parent) {
      return Fail(Error::Invalid("org.parent_not_found", "上级组织不存在或不在您的管理范围内",
                                 "parent_id"));
    }
    if (parent->status != "active") {
      return Fail(Error::Conflict("org.parent_inactive", "上级组织已合并或撤销", "parent_id"));
    }
    if (parent->kind == "group") {
      return Fail(Error::Invalid("org.parent_is_group", "党小组之下不能再设组织", "parent_id"));
    }
    if (input.kind == "group" && !IsBranchKind(parent->kind)) {
      return Fail(Error::Invalid("org.group_outside_branch",
                                 "党小组只能设在党支部之下（支部条例 第十三条）", "kind"));
    }
    parent_path = parent->path;
  } else if (!scope.everything()) {
    return Fail(Error::Invalid("org.parent_missing", "请选择上级组织", "parent_id"));
  }
  auto taken = c.Query(kCodeTaken, {input.code});
  if (!taken) return Fail(taken.error());
  if (!taken->empty()) {
    return Fail(Error::Conflict("org.code_taken", "组织编码已被使用：" + input.code, "code"));
  }
  auto units = ValidUnits(input.units);
  std::string date = change.date.empty() ? input.founded_on.value_or(TodayShanghai()) : change.date;
  std::int64_t depth =
      static_cast<std::int64_t>(std::count(parent_path.begin(), parent_path.end(), '/'));
  db::Value parent = input.parent_id ? db::Value(*input.parent_id) : db::Value(nullptr);
  db::Value founded = input.founded_on ? db::Value(*input.founded_on) : db::Value(nullptr);
  auto inserted = c.Query(kInsert, {input.code, input.name, input.kind, input.domain, parent, depth,
                                    founded, input.approval_document, input.address,
                                    boost::json::serialize(*units), NowShanghaiIso()});
  if (!inserted) return Fail(inserted.error());
  std::int64_t id = inserted->Int(0, 0);
  std::string path = parent_path + std::to_string(id) + "/";
  auto pathed = c.Execute(kSetPath, {id, path});
  if (!pathed) return Fail(pathed.error());
  auto placed = c.Execute(kInsertPlacement, {id, parent, path, date});
  if (!placed) return Fail(placed.error());
  Change recorded = change;
  recorded.date = date;
  if (recorded.reason.empty()) recorded.reason = "新建组织";
  auto noted = RecordChange(c, recorded, id, "create", std::nullopt, input.parent_id, std::nullopt);
  if (!noted) return Fail(noted.error());
  auto counted = AfterChange(c, {id});
  if (!counted) return Fail(counted.error());
  auto created = GetOrg(c, SubtreeScope::Everything(), id);
  if (!created) return Fail(created.error());
  auto logged = Audit(c, recorded, "org.create", id, {{"after", Snapshot(*created)}});
  if (!logged) return Fail(logged.error());
  return created;
}

Result<OrgRecord> UpdateOrg(db::Connection& c, const SubtreeScope& scope, const Change& change,
                            std::int64_t id, const boost::json::object& patch) {
  auto before = GetOrg(c, scope, id);
  if (!before) return Fail(before.error());
  OrgInput next{before->parent_id,
                before->code,
                before->name,
                before->kind,
                before->domain,
                before->founded_on,
                before->approval_document,
                before->address,
                {}};
  next.units = boost::json::parse(before->units).as_array();
  auto text = [&](std::string_view name, std::string& into) -> Result<void> {
    const auto* v = patch.if_contains(name);
    if (v == nullptr) return {};
    if (!v->is_string()) {
      return Fail(Error::Invalid("request.field_type", std::string(name) + " 应为字符串",
                                 std::string(name)));
    }
    into = std::string(v->get_string());
    return {};
  };
  for (auto [name, field] : {std::pair{"name", &next.name}, std::pair{"domain", &next.domain},
                             std::pair{"address", &next.address},
                             std::pair{"approval_document", &next.approval_document}}) {
    auto ok = text(name, *field);
    if (!ok) return Fail(ok.error());
  }
  if (const auto* units = patch.if_contains("units")) {
    if (!units->is_array()) {
      return Fail(Error::Invalid("org.units_invalid", "所在单位应为数组", "units"));
    }
    next.units = units->get_array();
  }
  auto valid = ValidateOrgInput(next);
  if (!valid) return Fail(valid.error());
  auto units = ValidUnits(next.units);
  auto updated = c.Execute(
      "UPDATE organisation SET name = $2, domain = $3, address = $4, approval_document = $5, "
      "units = $6, updated_at = $7 WHERE id = $1",
      {id, next.name, next.domain, next.address, next.approval_document,
       boost::json::serialize(*units), NowShanghaiIso()});
  if (!updated) return Fail(updated.error());
  Change recorded = change;
  if (recorded.date.empty()) recorded.date = TodayShanghai();
  if (recorded.reason.empty()) recorded.reason = "修改组织信息";
  auto noted = RecordChange(c, recorded, id, "update", std::nullopt, std::nullopt, std::nullopt);
  if (!noted) return Fail(noted.error());
  auto counted = AfterChange(c, {id});
  if (!counted) return Fail(counted.error());
  auto after = GetOrg(c, scope, id);
  if (!after) return Fail(after.error());
  auto logged = Audit(c, recorded, "org.update", id,
                      {{"before", Snapshot(*before)}, {"after", Snapshot(*after)}});
  if (!logged) return Fail(logged.error());
  return after;
}

Result<OrgRecord> MoveOrg(db::Connection& c, const SubtreeScope& scope, const Change& change,
                          std::int64_t id, std::int64_t new_parent) {
  auto ok = RequireDateAndReason(change);
  if (!ok) return Fail(ok.error());
  auto org = GetOrg(c, scope, id);
  if (!org) return Fail(org.error());
  if (!org->parent_id || !scope.Contains(org->path) ||
      (!scope.everything() &&
       std::find(scope.paths().begin(), scope.paths().end(), org->path) != scope.paths().end())) {
    // The root of a caller's own scope can only be moved by someone above it.
    return Fail(Error::Conflict("org.move_scope_root", "不能调整您管理范围顶层组织的隶属关系",
                                "parent_id"));
  }
  auto parent = GetOrg(c, scope, new_parent);
  if (!parent) {
    return Fail(Error::Invalid("org.parent_not_found", "新的上级组织不存在或不在您的管理范围内",
                               "parent_id"));
  }
  if (parent->path.starts_with(org->path)) {
    return Fail(
        Error::Invalid("org.move_into_self", "不能把组织调整到它自己或它的下级之下", "parent_id"));
  }
  if (parent->status != "active" || org->status != "active") {
    return Fail(Error::Conflict("org.inactive", "已合并或撤销的组织不能调整", "parent_id"));
  }
  if (parent->kind == "group" || (org->kind == "group" && !IsBranchKind(parent->kind))) {
    return Fail(Error::Invalid("org.parent_kind", "党小组只能在党支部之下，党小组之下不能设组织",
                               "parent_id"));
  }
  if (org->parent_id == new_parent) {
    return Fail(Error::Conflict("org.move_same_parent", "该组织已隶属于所选上级", "parent_id"));
  }
  std::string new_path = parent->path + std::to_string(id) + "/";
  auto reparented =
      c.Execute("UPDATE organisation SET parent_id = $2, updated_at = $3 WHERE id = $1",
                {id, new_parent, NowShanghaiIso()});
  if (!reparented) return Fail(reparented.error());
  auto rewritten = RewritePaths(c, org->path, new_path, change.date);
  if (!rewritten) return Fail(rewritten.error());
  auto noted = RecordChange(c, change, id, "move", org->parent_id, new_parent, std::nullopt);
  if (!noted) return Fail(noted.error());
  auto after = GetOrg(c, SubtreeScope::Everything(), id);
  if (!after) return Fail(after.error());
  auto logged =
      Audit(c, change, "org.move", id, {{"before", Snapshot(*org)}, {"after", Snapshot(*after)}});
  if (!logged) return Fail(logged.error());
  return after;
}

Result<OrgRecord> MergeOrg(db::Connection& c, const SubtreeScope& scope, const Change& change,
                           std::int64_t id, std::int64_t into) {
  auto ok = RequireDateAndReason(change);
  if (!ok) return Fail(ok.error());
  auto org = GetOrg(c, scope, id);
  if (!org) return Fail(org.error());
  auto target = GetOrg(c, scope, into);
  if (!target) {
    return Fail(Error::Invalid("org.merge_target_not_found",
                               "合并目标组织不存在或不在您的管理范围内", "into_id"));
  }
  if (id == into || target->path.starts_with(org->path)) {
    return Fail(Error::Invalid("org.merge_into_self", "不能合并到自身或自己的下级组织", "into_id"));
  }
  if (org->status != "active" || target->status != "active") {
    return Fail(Error::Conflict("org.inactive", "已合并或撤销的组织不能再合并", "into_id"));
  }
  if (org->kind == "group" || target->kind == "group") {
    return Fail(Error::Invalid("org.merge_group", "党小组调整请直接调整党员所在党小组", "into_id"));
  }
  // Children move under the target first, then the members of `id` itself.
  auto children =
      c.Query("SELECT id FROM organisation WHERE parent_id = $1 AND status = 'active'", {id});
  if (!children) return Fail(children.error());
  for (std::size_t i = 0; i < children->size(); ++i) {
    std::int64_t child = children->Int(i, 0);
    auto moved = MoveOrg(c, SubtreeScope::Everything(), change, child, into);
    if (!moved) return Fail(moved.error());
  }
  if (Hooks().on_merge) {
    auto members = Hooks().on_merge(c, change, id, into);
    if (!members) return Fail(members.error());
  }
  auto marked = c.Execute(
      "UPDATE organisation SET status = 'merged', status_on = $2, merged_into = $3, updated_at = "
      "$4 WHERE id = $1",
      {id, change.date, into, NowShanghaiIso()});
  if (!marked) return Fail(marked.error());
  auto closed = c.Execute(
      "UPDATE organisation_placement SET valid_to = $2 WHERE org_id = $1 AND valid_to IS NULL",
      {id, change.date});
  if (!closed) return Fail(closed.error());
  auto noted = RecordChange(c, change, id, "merge", std::nullopt, std::nullopt, into);
  if (!noted) return Fail(noted.error());
  auto absorbed = RecordChange(c, change, into, "absorb", std::nullopt, std::nullopt, id);
  if (!absorbed) return Fail(absorbed.error());
  auto counted = AfterChange(c, {id, into});
  if (!counted) return Fail(counted.error());
  auto after = GetOrg(c, SubtreeScope::Everything(), id);
  if (!after) return Fail(after.error());
  auto logged = Audit(c, change, "org.merge", id,
                      {{"before", Snapshot(*org)}, {"after", Snapshot(*after)}, {"into", into}});
  if (!logged) return Fail(logged.error());
  return after;
}

Result<OrgRecord> DissolveOrg(db::Connection& c, const SubtreeScope& scope, const Change& change,
                              std::int64_t id) {
  auto ok = RequireDateAndReason(change);
  if (!ok) return Fail(ok.error());
  auto org = GetOrg(c, scope, id);
  if (!org) return Fail(org.error());
  if (org->status != "active") {
    return Fail(Error::Conflict("org.inactive", "该组织已合并或撤销"));
  }
  if (!org->parent_id) {
    return Fail(Error::Conflict("org.dissolve_root", "不能撤销部署的顶层组织"));
  }
  if (org->child_count > 0) {
    return Fail(Error::Conflict(
        "org.dissolve_has_children",
        "该组织还有 " + std::to_string(org->child_count) + " 个下级组织，请先调整或撤销"));
  }
  if (org->member_count > 0) {
    return Fail(Error::Conflict("org.dissolve_has_members",
                                "该组织还有 " + std::to_string(org->member_count) +
                                    " 名党员，请先转接组织关系或合并到其他组织"));
  }
  auto marked = c.Execute(
      "UPDATE organisation SET status = 'dissolved', status_on = $2, updated_at = $3 WHERE id = $1",
      {id, change.date, NowShanghaiIso()});
  if (!marked) return Fail(marked.error());
  auto closed = c.Execute(
      "UPDATE organisation_placement SET valid_to = $2 WHERE org_id = $1 AND valid_to IS NULL",
      {id, change.date});
  if (!closed) return Fail(closed.error());
  auto noted = RecordChange(c, change, id, "dissolve", org->parent_id, std::nullopt, std::nullopt);
  if (!noted) return Fail(noted.error());
  auto counted = AfterChange(c, {id});
  if (!counted) return Fail(counted.error());
  auto after = GetOrg(c, SubtreeScope::Everything(), id);
  if (!after) return Fail(after.error());
  auto logged = Audit(c, change, "org.dissolve", id,
                      {{"before", Snapshot(*org)}, {"after", Snapshot(*after)}});
  if (!logged) return Fail(logged.error());
  return after;
}

}  // namespace zhibu::org
