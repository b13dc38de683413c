#include "modules/exchange/org_exchange.h"

#include <array>
#include <map>
#include <unordered_map>

#include "modules/exchange/member_columns.h"
#include "modules/org/org_store.h"
#include "modules/org/vocabulary.h"

namespace zhibu::exchange {
namespace {

enum OrgField : int {
  kCode,
  kOrgNameField,
  kKind,
  kDomain,
  kParentCode,
  kFoundedOn,
  kApproval,
  kOrgAddress,
  kOrgFieldCount
};

struct OrgColumn {
  std::string_view key;
  std::string_view title;
  bool required;
};
constexpr std::array<OrgColumn, kOrgFieldCount> kOrgColumns = {{
    {"code", "组织编码", true},
    {"name", "组织名称", true},
    {"kind", "组织类别", true},
    {"domain", "领域", true},
    {"parent_code", "上级组织编码", false},
    {"founded_on", "成立日期", false},
    {"approval_document", "批准文号", false},
    {"address", "地址", false},
}};

int OrgFieldFor(std::string_view header) {
  std::string key = Trim(header);
  for (char c : {'*'}) {
    auto at = key.find(c);
    if (at != std::string::npos) key.erase(at, 1);
  }
  for (std::size_t i = 0; i < kOrgColumns.size(); ++i) {
    if (kOrgColumns[i].title == key || kOrgColumns[i].key == key) return static_cast<int>(i);
  }
  if (key == "组织代码" || key == "党组织代码") return kCode;
  if (key == "党组织名称" || key == "名称") return kOrgNameField;
  if (key == "类别" || key == "组织类型") return kKind;
  if (key == "上级组织代码" || key == "上级党组织代码") return kParentCode;
  return -1;
}

std::optional<std::string> TermId(std::span<const org::Term> terms, std::string_view text) {
  for (const auto& t : terms) {
    if (t.id == text || t.title == text) return std::string(t.id);
  }
  return std::nullopt;
}

struct OrgRow {
  std::int64_t row = 0;
  org::OrgInput input;
  std::string parent_code;
};

}  // namespace

SinkColumns OrgSinkColumns() {
  SinkColumns columns;
  for (const auto& c : kOrgColumns) {
    columns.titles.emplace_back(c.title);
    columns.keys.emplace_back(c.key);
    columns.flag.push_back(false);
  }
  return columns;
}

Result<ImportOutcome> ImportOrgs(db::Database& db, const ImportCaller& caller, FileFormat format,
                                 std::string_view bytes, const std::string& today,
                                 ImportProgress& progress) {
  ImportOutcome outcome;
  auto reader = RecordReader::Open(format, bytes, kOrgFieldCount, OrgFieldFor);
  if (!reader) return Fail(reader.error());
  RecordReader& records = **reader;
  progress.total_rows = records.estimated_rows();
  if (records.tabular()) {
    for (std::size_t f = 0; f < kOrgColumns.size(); ++f) {
      if (kOrgColumns[f].required && !records.HasColumn(f)) {
        outcome.errors.push_back({records.header_row(), std::string(kOrgColumns[f].title), "",
                                  "缺少必填列“" + std::string(kOrgColumns[f].title) + "”"});
      }
    }
    if (!outcome.errors.empty()) return outcome;
  }
  // What the caller can see of the tree: code → (id, path, status, kind).
  struct Known {
    std::int64_t id;
    std::string status;
    std::string kind;
  };
  auto known = db.Read([&](db::Connection& c) -> Result<std::unordered_map<std::string, Known>> {
    auto scope = caller.scope(c);
    if (!scope) return Fail(scope.error());
    std::vector<db::Value> params;
    std::string sql =
        "SELECT code, id, status, kind FROM organisation WHERE " + scope->Condition("path", params);
    auto rows = c.Query(sql, std::span<const db::Value>(params));
    if (!rows) return Fail(rows.error());
    std::unordered_map<std::string, Known> out;
    for (std::size_t i = 0; i < rows->size(); ++i) {
      out.emplace(rows->Text(i, 0), Known{rows->Int(i, 1), rows->Text(i, 2), rows->Text(i, 3)});
    }
    return out;
  });
  if (!known) return Fail(known.error());
  auto everything = db.Read([&](db::Connection& c) -> Result<bool> {
    auto scope = caller.scope(c);
    if (!scope) return Fail(scope.error());
    return scope->everything();
  });
  if (!everything) return Fail(everything.error());

  std::vector<OrgRow> rows;
  std::unordered_map<std::string, std::size_t> in_file;
  Record record;
  while (true) {
    auto more = records.Next(record);
    if (!more) return Fail(more.error());
    if (!*more) break;
    if (progress.cancelled) return Fail(Cancelled());
    progress.processed_rows = progress.processed_rows + 1;
    auto add = [&](int field, std::string message) {
      outcome.errors.push_back({record.row, std::string(kOrgColumns[field].title),
                                record.values[static_cast<std::size_t>(field)],
                                std::move(message)});
    };
    if (!record.unreadable.empty()) {
      outcome.errors.push_back({record.row, "", "", record.unreadable});
      continue;
    }
    for (auto& v : record.values) v = Trim(v);
    std::size_t before = outcome.errors.size();
    OrgRow row;
    row.row = record.row;
    row.input.code = record.values[kCode];
    row.input.name = record.values[kOrgNameField];
    if (auto kind = TermId(org::Kinds(), record.values[kKind])) {
      row.input.kind = *kind;
    } else {
      add(kKind, "未知的组织类别");
    }
    if (auto domain = TermId(org::Domains(), record.values[kDomain])) {
      row.input.domain = *domain;
    } else {
      add(kDomain, "未知的领域");
    }
    if (!record.values[kFoundedOn].empty()) {
      if (auto date = NormaliseDate(record.values[kFoundedOn], format == FileFormat::kXlsx)) {
        row.input.founded_on = *date;
      } else {
        add(kFoundedOn, "成立日期应为日期，如 2010-07-01");
      }
    }
    row.input.approval_document = record.values[kApproval];
    row.input.address = record.values[kOrgAddress];
    row.parent_code = record.values[kParentCode];
    if (outcome.errors.size() == before) {
      auto valid = org::ValidateOrgInput(row.input);
      if (!valid) {
        int field = valid.error().field == "code"     ? kCode
                    : valid.error().field == "name"   ? kOrgNameField
                    : valid.error().field == "kind"   ? kKind
                    : valid.error().field == "domain" ? kDomain
                                                      : kFoundedOn;
        add(field, valid.error().message);
      }
    }
    if (!row.input.code.empty()) {
      auto [first, fresh] = in_file.emplace(row.input.code, rows.size());
      if (!fresh) {
        add(kCode, "与第 " + std::to_string(rows[first->second].row) + " 行的组织编码重复");
      }
    }
    rows.push_back(std::move(row));
  }
  // Codes taken in the database (anywhere: codes are unique in the deployment).
  auto taken = db.Read([&](db::Connection& c) -> Result<std::vector<std::size_t>> {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      auto found = c.Query("SELECT 1 FROM organisation WHERE code = $1", {rows[i].input.code});
      if (!found) return Fail(found.error());
      if (!found->empty()) out.push_back(i);
    }
    return out;
  });
  if (!taken) return Fail(taken.error());
  for (std::size_t i : *taken) {
    outcome.errors.push_back({rows[i].row, "组织编码", rows[i].input.code, "组织编码已被使用"});
  }
  // Parents: in the file or in the caller's part of the tree; no cycles.
  for (const OrgRow& row : rows) {
    if (row.parent_code.empty()) {
      if (!*everything) {
        outcome.errors.push_back(
            {row.row, "上级组织编码", "", "请填写上级组织编码（只有系统管理范围可导入顶层组织）"});
      }
      continue;
    }
    if (in_file.contains(row.parent_code)) continue;
    auto it = known->find(row.parent_code);
    if (it == known->end()) {
      outcome.errors.push_back({row.row, "上级组织编码", row.parent_code,
                                "未知的上级组织编码（不存在或不在您的管理范围内）"});
    } else if (it->second.status != "active") {
      outcome.errors.push_back({row.row, "上级组织编码", row.parent_code, "上级组织已合并或撤销"});
    }
  }
  // Order: parents first; a row whose parent chain never reaches a known organisation is a cycle.
  std::vector<std::size_t> order;
  std::vector<int> state(rows.size(), 0);  // 0 new, 1 visiting, 2 done
  for (std::size_t start = 0; start < rows.size(); ++start) {
    std::vector<std::size_t> chain;
    bool cycle = false;
    for (std::size_t i = start; state[i] == 0;) {
      state[i] = 1;
      chain.push_back(i);
      auto parent = in_file.find(rows[i].parent_code);
      if (rows[i].parent_code.empty() || parent == in_file.end()) break;
      if (state[parent->second] == 1) {
        cycle = true;
        break;
      }
      i = parent->second;
    }
    if (cycle) {
      const OrgRow& at = rows[chain.back()];
      outcome.errors.push_back({at.row, "上级组织编码", at.parent_code, "上级组织关系形成了循环"});
    }
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      state[*it] = 2;
      order.push_back(*it);
    }
  }
  outcome.total_rows = static_cast<std::int64_t>(rows.size());
  progress.total_rows = outcome.total_rows;
  if (!outcome.errors.empty()) {
    std::stable_sort(outcome.errors.begin(), outcome.errors.end(),
                     [](const RowError& a, const RowError& b) { return a.row < b.row; });
    return outcome;
  }
  auto created = db.Write([&](db::Connection& c) -> Result<std::int64_t> {
    auto scope = caller.scope(c);
    if (!scope) return Fail(scope.error());
    std::unordered_map<std::string, std::int64_t> ids;
    for (const auto& [code, k] : *known) ids.emplace(code, k.id);
    std::int64_t count = 0;
    for (std::size_t i : order) {
      OrgRow& row = rows[i];
      if (!row.parent_code.empty()) row.input.parent_id = ids.at(row.parent_code);
      org::Change change{caller.actor, caller.account_id, row.input.founded_on.value_or(today),
                         "批量导入"};
      auto made = org::CreateOrg(c, *scope, change, row.input);
      if (!made) {
        Error e = made.error();
        e.message = "第 " + std::to_string(row.row) + " 行：" + e.message;
        return Fail(e);
      }
      ids[row.input.code] = made->id;
      ++count;
    }
    auto logged =
        audit::Append(c, {caller.actor,
                          "org.import",
                          "organisations",
                          "success",
                          {{"format", std::string(FormatName(format))}, {"organisations", count}}});
    if (!logged) return Fail(logged.error());
    return count;
  });
  if (!created) return Fail(created.error());
  outcome.imported = *created;
  progress.processed_rows = outcome.total_rows;
  return outcome;
}

Result<std::int64_t> ExportOrgs(db::Connection& c, const std::string& root_code, TableSink& sink) {
  std::string where = "1=1";
  std::vector<db::Value> params;
  if (!root_code.empty()) {
    auto root = org::GetOrgByCode(c, org::SubtreeScope::Everything(), root_code);
    if (!root) return Fail(root.error());
    params = {root->path, org::SubtreeEnd(root->path)};
    where = "o.path >= $1 AND o.path < $2";
  }
  auto rows = c.Query(
      "SELECT o.code, o.name, o.kind, o.domain, p.code, o.founded_on, o.approval_document, "
      "o.address FROM organisation o LEFT JOIN organisation p ON p.id = o.parent_id WHERE " +
          where + " AND o.status = 'active' ORDER BY o.depth, o.path",
      std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  std::vector<std::string> cells(kOrgFieldCount);
  for (std::size_t i = 0; i < rows->size(); ++i) {
    for (std::size_t col = 0; col < kOrgFieldCount; ++col) {
      cells[col] = rows->OptionalText(i, col).value_or("");
    }
    cells[kKind] = std::string(org::TitleOf(org::Kinds(), cells[kKind]));
    cells[kDomain] = std::string(org::TitleOf(org::Domains(), cells[kDomain]));
    // The root of an exported subtree keeps no parent: it is imported under whatever the
    // receiving side chooses (or as a root).
    if (i == 0 && !root_code.empty()) cells[kParentCode].clear();
    auto added = sink.Add(cells);
    if (!added) return Fail(added.error());
  }
  return static_cast<std::int64_t>(rows->size());
}

}  // namespace zhibu::exchange
