#include "modules/exchange/member_export.h"

#include "modules/exchange/member_columns.h"
#include "modules/member/vocabulary.h"
#include "modules/org/org_store.h"

namespace zhibu::exchange {
namespace {

constexpr std::int64_t kPage = 5000;

std::string Title(std::span<const member::Term> terms, const std::string& id) {
  auto title = member::TitleOf(terms, id);
  return title.empty() ? id : std::string(title);
}

}  // namespace

SinkColumns MemberSinkColumns() {
  SinkColumns columns;
  for (const auto& c : MemberColumns()) {
    columns.titles.emplace_back(c.title);
    columns.keys.emplace_back(c.key);
    columns.flag.push_back(c.kind == CellKind::kFlag);
  }
  return columns;
}

Result<ExportSummary> ExportMembers(db::Connection& c, const org::SubtreeScope& scope,
                                    const crypto::FieldCipher& cipher,
                                    std::optional<std::int64_t> org_id, bool unmasked,
                                    TableSink& sink) {
  ExportSummary summary;
  if (!org_id) {
    auto roots = org::ScopeRoots(c, scope);
    if (!roots) return Fail(roots.error());
    if (roots->size() != 1) {
      return Fail(Error::Invalid("export.org_required", "请指定要导出的组织（org）", "org"));
    }
    org_id = roots->front().id;
  }
  auto root = org::GetOrg(c, scope, *org_id);
  if (!root) return Fail(root.error());
  summary.org_id = root->id;
  summary.org_code = root->code;
  summary.org_name = root->name;
  std::int64_t after = 0;
  std::vector<std::string> cells(kMemberFieldCount);
  while (true) {
    std::vector<db::Value> params{root->path, org::SubtreeEnd(root->path), after, kPage};
    std::string sql =
        "SELECT m.id, m.name, m.sex, m.ethnicity, m.birth_date, m.id_number_cipher, "
        "m.id_number_masked, m.phone_cipher, m.phone_masked, m.education, m.degree, m.occupation, "
        "m.work_unit, m.household, m.address, m.work_started_on, m.joined_on, m.confirmed_on, "
        "m.status, m.category, o.code, o.name, m.hardship FROM member m JOIN organisation o ON "
        "o.id = m.org_id WHERE m.org_path >= $1 AND m.org_path < $2 AND m.id > $3 AND m.status "
        "IN ('full', 'probationary') AND " +
        scope.Condition("m.org_path", params) + " ORDER BY m.id LIMIT $4";
    auto rows = c.Query(sql, std::span<const db::Value>(params));
    if (!rows) return Fail(rows.error());
    for (std::size_t i = 0; i < rows->size(); ++i) {
      const db::ResultSet& r = *rows;
      after = r.Int(i, 0);
      cells[kName] = r.Text(i, 1);
      cells[kSex] = r.Text(i, 2) == "male" ? "男" : "女";
      cells[kEthnicity] = r.Text(i, 3);
      cells[kBirthDate] = r.Text(i, 4);
      if (unmasked) {
        auto number = cipher.Decrypt(r.Bytes(i, 5).bytes);
        if (!number) return Fail(number.error());
        cells[kIdNumber] = *number;
        if (r.IsNull(i, 7)) {
          cells[kPhone].clear();
        } else {
          auto phone = cipher.Decrypt(r.Bytes(i, 7).bytes);
          if (!phone) return Fail(phone.error());
          cells[kPhone] = *phone;
        }
      } else {
        cells[kIdNumber] = r.Text(i, 6);
        cells[kPhone] = r.Text(i, 8);
      }
      cells[kEducation] = Title(member::Educations(), r.Text(i, 9));
      cells[kDegree] = r.Text(i, 10);
      cells[kOccupation] = r.Text(i, 11);
      cells[kWorkUnit] = r.Text(i, 12);
      cells[kHousehold] = r.Text(i, 13);
      cells[kAddress] = r.Text(i, 14);
      cells[kWorkStartedOn] = r.OptionalText(i, 15).value_or("");
      cells[kJoinedOn] = r.Text(i, 16);
      cells[kConfirmedOn] = r.OptionalText(i, 17).value_or("");
      cells[kStatus] = Title(member::Statuses(), r.Text(i, 18));
      cells[kCategory] = Title(member::Categories(), r.Text(i, 19));
      cells[kOrgCode] = r.Text(i, 20);
      cells[kOrgName] = r.Text(i, 21);
      cells[kHardship] = r.Int(i, 22) != 0 ? "是" : "否";
      auto added = sink.Add(cells);
      if (!added) return Fail(added.error());
      ++summary.members;
    }
    if (static_cast<std::int64_t>(rows->size()) < kPage) break;
  }
  return summary;
}

}  // namespace zhibu::exchange
