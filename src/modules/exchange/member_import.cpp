#include "modules/exchange/member_import.h"

#include <algorithm>
#include <thread>
#include <unordered_map>

#include "modules/exchange/member_columns.h"
#include "modules/member/member_store.h"
#include "modules/org/org_store.h"
#include "modules/org/vocabulary.h"
#include "platform/identity/id_number.h"
#include "platform/util/clock.h"

namespace zhibu::exchange {
namespace {

//! How often progress is published.
constexpr std::int64_t kProgressEvery = 2000;
//! Blind indexes looked up per query when checking the registry for duplicates.
constexpr std::size_t kLookupBatch = 500;

//! An organisation members may be imported into, as the caller sees it.
struct Branch {
  std::int64_t id = 0;
  std::string path;
  std::string name;
  std::string kind;
  std::string status;
};

//! Every active organisation in the caller's scope, by code.
Result<std::unordered_map<std::string, Branch>> LoadBranches(db::Connection& c,
                                                             const org::SubtreeScope& scope) {
  std::vector<db::Value> params;
  std::string sql = "SELECT id, code, path, name, kind, status FROM organisation WHERE " +
                    scope.Condition("path", params);
  auto rows = c.Query(sql, std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  std::unordered_map<std::string, Branch> out;
  out.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) {
    out.emplace(rows->Text(i, 1), Branch{rows->Int(i, 0), rows->Text(i, 2), rows->Text(i, 3),
                                         rows->Text(i, 4), rows->Text(i, 5)});
  }
  return out;
}

//! A row that passed every check, ready to store.
struct ReadyRow {
  std::int64_t row = 0;
  member::PreparedMember member;
  const Branch* branch = nullptr;
  std::string id_index;
  std::string id_cipher;
  std::string phone_index;
  std::string phone_cipher;
};

//! Encrypts and indexes the personal numbers of `rows`, spread over the machine's cores.
void Protect(const crypto::FieldCipher& cipher, std::vector<ReadyRow>& rows) {
  auto work = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      ReadyRow& r = rows[i];
      r.id_index = cipher.BlindIndex(r.member.id_number);
      r.id_cipher = cipher.Encrypt(r.member.id_number);
      if (!r.member.input.phone.empty()) {
        r.phone_index = cipher.BlindIndex(r.member.input.phone);
        r.phone_cipher = cipher.Encrypt(r.member.input.phone);
      }
    }
  };
  std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
  if (rows.size() < 2000 || threads == 1) {
    work(0, rows.size());
    return;
  }
  std::vector<std::thread> pool;
  std::size_t per = (rows.size() + threads - 1) / threads;
  for (std::size_t t = 0; t < threads; ++t) {
    std::size_t from = t * per, to = std::min(rows.size(), from + per);
    if (from < to) pool.emplace_back(work, from, to);
  }
  for (auto& thread : pool) thread.join();
}

std::string MaskPhone(const std::string& phone) {
  if (phone.empty()) return "";
  if (phone.size() != 11) return std::string(phone.size(), '*');
  return phone.substr(0, 3) + "****" + phone.substr(7);
}

db::Value TextOrNull(const std::string& text) {
  return text.empty() ? db::Value(nullptr) : db::Value(text);
}

//! The member rows for BulkInsert, with the ids chosen beforehand.
class MemberRows final : public db::RowSource {
 public:
  MemberRows(const std::vector<ReadyRow>& rows, const std::vector<std::int64_t>& ids,
             const std::string& now)
      : rows_(rows), ids_(ids), now_(now) {}
  static const std::vector<std::string>& Columns() {
    static const std::vector<std::string> columns = {
        "id",          "org_id",          "org_path",        "name",
        "initials",    "sex",             "ethnicity",       "birth_date",
        "id_number_cipher", "id_number_index", "id_number_masked", "phone_cipher",
        "phone_index", "phone_masked",    "education",       "degree",
        "occupation",  "work_unit",       "household",       "address",
        "joined_on",   "confirmed_on",    "work_started_on", "category",
        "status",      "status_on",       "hardship",        "created_at",
        "updated_at"};
    return columns;
  }
  bool Next(std::vector<db::Value>& row) override {
    if (next_ >= rows_.size()) return false;
    const ReadyRow& r = rows_[next_];
    const member::PreparedMember& m = r.member;
    const member::MemberInput& in = m.input;
    row.clear();
    row.reserve(29);
    row.emplace_back(ids_[next_]);
    row.emplace_back(r.branch->id);
    row.emplace_back(r.branch->path);
    row.emplace_back(in.name);
    row.emplace_back(m.initials);
    row.emplace_back(m.sex);
    row.emplace_back(in.ethnicity);
    row.emplace_back(m.birth_date);
    row.emplace_back(db::Blob{r.id_cipher});
    row.emplace_back(r.id_index);
    row.emplace_back(identity::MaskIdNumber(m.id_number));
    row.emplace_back(r.phone_cipher.empty() ? db::Value(nullptr) : db::Value(db::Blob{r.phone_cipher}));
    row.emplace_back(TextOrNull(r.phone_index));
    row.emplace_back(MaskPhone(in.phone));
    row.emplace_back(in.education);
    row.emplace_back(in.degree);
    row.emplace_back(in.occupation);
    row.emplace_back(in.work_unit);
    row.emplace_back(in.household);
    row.emplace_back(in.address);
    row.emplace_back(in.joined_on);
    row.emplace_back(TextOrNull(in.confirmed_on));
    row.emplace_back(TextOrNull(in.work_started_on));
    row.emplace_back(in.category);
    row.emplace_back(m.status);
    row.emplace_back(m.event_date);
    row.emplace_back(static_cast<std::int64_t>(in.hardship ? 1 : 0));
    row.emplace_back(now_);
    row.emplace_back(now_);
    ++next_;
    return true;
  }

 private:
  const std::vector<ReadyRow>& rows_;
  const std::vector<std::int64_t>& ids_;
  const std::string& now_;
  std::size_t next_ = 0;
};

//! member_span rows: one per member, from 入党 in today's status (as the demo loads them).
class SpanRows final : public db::RowSource {
 public:
  SpanRows(const std::vector<ReadyRow>& rows, const std::vector<std::int64_t>& ids)
      : rows_(rows), ids_(ids) {}
  bool Next(std::vector<db::Value>& row) override {
    if (next_ >= rows_.size()) return false;
    const ReadyRow& r = rows_[next_];
    row = {ids_[next_], r.branch->id, r.member.status, r.member.event_date};
    ++next_;
    return true;
  }

 private:
  const std::vector<ReadyRow>& rows_;
  const std::vector<std::int64_t>& ids_;
  std::size_t next_ = 0;
};

//! member_event rows: 发展 (接收预备党员) on 入党日期 and, for full members, 转正 on 转正日期.
class EventRows final : public db::RowSource {
 public:
  EventRows(const std::vector<ReadyRow>& rows, const std::vector<std::int64_t>& ids,
            std::optional<std::int64_t> account, const std::string& now)
      : rows_(rows), ids_(ids), account_(account), now_(now) {}
  bool Next(std::vector<db::Value>& row) override {
    while (next_ < rows_.size()) {
      const ReadyRow& r = rows_[next_];
      const member::PreparedMember& m = r.member;
      db::Value account = account_ ? db::Value(*account_) : db::Value(nullptr);
      if (!confirm_) {
        row = {ids_[next_], std::string("develop"), m.event_date, r.branch->id, r.branch->path,
               std::string("批量导入：支部大会接收为预备党员"), account, now_};
        if (m.status == "full") {
          confirm_ = true;
        } else {
          ++next_;
        }
        return true;
      }
      confirm_ = false;
      row = {ids_[next_], std::string("confirm"), m.input.confirmed_on, r.branch->id,
             r.branch->path, std::string("批量导入：转为正式党员"), account, now_};
      ++next_;
      return true;
    }
    return false;
  }

 private:
  const std::vector<ReadyRow>& rows_;
  const std::vector<std::int64_t>& ids_;
  std::optional<std::int64_t> account_;
  const std::string& now_;
  std::size_t next_ = 0;
  bool confirm_ = false;
};

//! Stores every row in one transaction, with one audit event; answers the count.
Result<std::int64_t> Store(db::Database& db, const ImportCaller& caller, FileFormat format,
                           const std::vector<ReadyRow>& ready, ImportProgress& progress) {
  return db.Write([&](db::Connection& c) -> Result<std::int64_t> {
    if (progress.cancelled) return Fail(Cancelled());
    // The branches must still be where the checks found them.
    auto scope = caller.scope(c);
    if (!scope) return Fail(scope.error());
    auto now_branches = LoadBranches(c, *scope);
    if (!now_branches) return Fail(now_branches.error());
    std::unordered_map<std::int64_t, const Branch*> used;
    for (const ReadyRow& r : ready) used.emplace(r.branch->id, r.branch);
    std::unordered_map<std::int64_t, const Branch*> by_id;
    for (const auto& [code, branch] : *now_branches) by_id.emplace(branch.id, &branch);
    for (const auto& [id, before] : used) {
      auto it = by_id.find(id);
      if (it == by_id.end() || it->second->path != before->path ||
          it->second->status != "active") {
        return Fail(Error::Conflict("import.tree_changed",
                                    "导入期间组织“" + before->name + "”发生了变动，请重新导入"));
      }
    }
    // Ids chosen here so that spans and events can refer to them.
    std::vector<std::int64_t> ids;
    ids.reserve(ready.size());
    if (c.backend() == db::Backend::kPostgres) {
      auto taken = c.Query(
          "SELECT nextval(pg_get_serial_sequence('member', 'id')) FROM generate_series(1, $1)",
          {static_cast<std::int64_t>(ready.size())});
      if (!taken) return Fail(taken.error());
      for (std::size_t i = 0; i < taken->size(); ++i) ids.push_back(taken->Int(i, 0));
    } else {
      auto last = c.Query("SELECT COALESCE(MAX(id), 0) FROM member");
      if (!last) return Fail(last.error());
      std::int64_t next = last->Int(0, 0);
      for (std::size_t i = 0; i < ready.size(); ++i) ids.push_back(++next);
    }
    std::string now = NowShanghaiIso();
    MemberRows members(ready, ids, now);
    auto stored = c.BulkInsert("member", MemberRows::Columns(), members);
    if (!stored) return Fail(stored.error());
    if (progress.cancelled) return Fail(Cancelled());
    SpanRows spans(ready, ids);
    static const std::vector<std::string> kSpanColumns = {"member_id", "org_id", "status",
                                                          "valid_from"};
    auto spanned = c.BulkInsert("member_span", kSpanColumns, spans);
    if (!spanned) return Fail(spanned.error());
    EventRows events(ready, ids, caller.account_id, now);
    static const std::vector<std::string> kEventColumns = {
        "member_id", "kind", "happened_on", "org_id", "org_path", "reason", "account_id",
        "created_at"};
    auto evented = c.BulkInsert("member_event", kEventColumns, events);
    if (!evented) return Fail(evented.error());
    if (progress.cancelled) return Fail(Cancelled());
    auto logged = audit::Append(
        c, {caller.actor,
            "member.import",
            "members",
            "success",
            {{"format", std::string(FormatName(format))},
             {"members", static_cast<std::int64_t>(ready.size())},
             {"organisations", static_cast<std::int64_t>(used.size())},
             {"events", *evented}}});
    if (!logged) return Fail(logged.error());
    return *stored;
  });
}

std::string_view TitleOfField(int field) {
  return MemberColumns()[static_cast<std::size_t>(field)].title;
}

//! The column a PrepareMember error names.
int FieldOfInputField(std::string_view field) {
  static const std::pair<std::string_view, int> kMap[] = {
      {"name", kName},
      {"id_number", kIdNumber},
      {"phone", kPhone},
      {"ethnicity", kEthnicity},
      {"education", kEducation},
      {"category", kCategory},
      {"degree", kDegree},
      {"occupation", kOccupation},
      {"work_unit", kWorkUnit},
      {"household", kHousehold},
      {"address", kAddress},
      {"joined_on", kJoinedOn},
      {"confirmed_on", kConfirmedOn},
      {"work_started_on", kWorkStartedOn},
      {"date", kJoinedOn},
      {"org_id", kOrgCode},
  };
  for (const auto& [name, f] : kMap) {
    if (name == field) return f;
  }
  return -1;
}

//! A cell's value as the report shows it: personal numbers masked.
std::string Shown(int field, const std::string& value) {
  if (field == kIdNumber) {
    std::string v = Trim(value);
    return v.size() == 18 ? identity::MaskIdNumber(v) : std::string(v.size(), '*');
  }
  if (field == kPhone) {
    std::string v = Trim(value);
    if (v.size() == 11) return v.substr(0, 3) + "****" + v.substr(7);
    return std::string(v.size(), '*');
  }
  return value.size() > 200 ? value.substr(0, 200) : value;
}

//! Reads one record into a MemberInput, reporting each cell that cannot be read.
struct RowCheck {
  std::vector<RowError>& errors;
  std::int64_t row;
  const Record& record;
  bool any = false;

  void Add(int field, std::string message) {
    errors.push_back({row, std::string(TitleOfField(field)),
                      Shown(field, record.values[static_cast<std::size_t>(field)]),
                      std::move(message)});
    any = true;
  }
};

}  // namespace

Result<ImportOutcome> ImportMembers(db::Database& db, const crypto::FieldCipher& cipher,
                                    const ImportCaller& caller, FileFormat format,
                                    std::string_view bytes, const std::string& today,
                                    ImportProgress& progress) {
  ImportOutcome outcome;
  auto reader = RecordReader::Open(format, bytes, kMemberFieldCount,
                                   [](std::string_view h) { return FieldForHeader(h); });
  if (!reader) return Fail(reader.error());
  RecordReader& records = **reader;
  progress.total_rows = records.estimated_rows();
  progress.Changed();

  // Required columns must be in the header.
  if (records.tabular()) {
    for (std::size_t f = 0; f < MemberColumns().size(); ++f) {
      if (MemberColumns()[f].required && !records.HasColumn(f)) {
        outcome.errors.push_back({records.header_row(), std::string(MemberColumns()[f].title), "",
                                  "缺少必填列“" + std::string(MemberColumns()[f].title) +
                                      "”（请使用导入模板的表头）"});
      }
    }
    if (!outcome.errors.empty()) return outcome;
  }

  auto branches = db.Read([&](db::Connection& c) -> Result<std::unordered_map<std::string, Branch>> {
    auto scope = caller.scope(c);
    if (!scope) return Fail(scope.error());
    return LoadBranches(c, *scope);
  });
  if (!branches) return Fail(branches.error());

  std::vector<ReadyRow> ready;
  if (records.estimated_rows() > 0) ready.reserve(static_cast<std::size_t>(records.estimated_rows()));
  std::unordered_map<std::string, std::int64_t> first_row_of_id;
  Record record;
  std::int64_t rows_read = 0;
  while (true) {
    auto more = records.Next(record);
    if (!more) return Fail(more.error());
    if (!*more) break;
    if (progress.cancelled) return Fail(Cancelled());
    ++rows_read;
    if (rows_read % kProgressEvery == 0) {
      progress.processed_rows = rows_read;
      if (rows_read > progress.total_rows) progress.total_rows = rows_read;
      progress.Changed();
    }
    RowCheck check{outcome.errors, record.row, record};
    if (!record.unreadable.empty()) {
      outcome.errors.push_back({record.row, "", "", record.unreadable});
      continue;
    }
    auto& v = record.values;
    for (auto& value : v) value = Trim(value);
    for (std::size_t f = 0; f < MemberColumns().size(); ++f) {
      if (MemberColumns()[f].required && v[f].empty()) {
        check.Add(static_cast<int>(f), std::string(MemberColumns()[f].title) + "不能为空");
      }
    }
    if (check.any) continue;
    bool excel = format == FileFormat::kXlsx;
    member::MemberInput in;
    in.name = v[kName];
    in.id_number = v[kIdNumber];
    in.phone = PlainDigits(v[kPhone]);
    in.ethnicity = v[kEthnicity];
    if (in.ethnicity.find("族") == std::string::npos && in.ethnicity.size() <= 9 &&
        in.ethnicity.size() >= 3) {
      in.ethnicity += "族";  // 汉 → 汉族
    }
    if (auto e = EducationId(v[kEducation])) {
      in.education = *e;
    } else {
      check.Add(kEducation, "未知的学历，应为：研究生、大学本科、大学专科、中专、高中、初中及以下");
    }
    in.degree = v[kDegree];
    in.occupation = v[kOccupation];
    in.work_unit = v[kWorkUnit];
    in.household = v[kHousehold];
    in.address = v[kAddress];
    for (auto [field, into] : {std::pair{kJoinedOn, &in.joined_on},
                               std::pair{kConfirmedOn, &in.confirmed_on},
                               std::pair{kWorkStartedOn, &in.work_started_on}}) {
      if (v[field].empty()) continue;
      if (auto date = NormaliseDate(v[field], excel)) {
        *into = *date;
      } else {
        check.Add(field, std::string(TitleOfField(field)) + "应为日期，如 2010-07-01");
      }
    }
    std::string birth;
    if (!v[kBirthDate].empty()) {
      if (auto date = NormaliseDate(v[kBirthDate], excel)) {
        birth = *date;
      } else {
        check.Add(kBirthDate, "出生日期应为日期，如 1980-01-31");
      }
    }
    std::string sex;
    if (!v[kSex].empty()) {
      if (auto s = SexId(v[kSex])) {
        sex = *s;
      } else {
        check.Add(kSex, "性别应为“男”或“女”");
      }
    }
    std::string status;
    if (!v[kStatus].empty()) {
      if (auto s = StatusId(v[kStatus])) {
        status = *s;
      } else {
        check.Add(kStatus, "党员状态应为“正式党员”或“预备党员”");
      }
    }
    if (auto c = CategoryId(v[kCategory])) {
      in.category = *c;
    } else {
      check.Add(kCategory, "未知的人员类别，应为：机关、社区、农村、离退休、下岗失业、非公、流动");
    }
    if (auto h = FlagValue(v[kHardship])) {
      in.hardship = *h;
    } else {
      check.Add(kHardship, "困难党员应填“是”或“否”");
    }
    const Branch* branch = nullptr;
    if (auto it = branches->find(v[kOrgCode]); it != branches->end()) {
      branch = &it->second;
      if (branch->status != "active" || !org::IsBranchKind(branch->kind)) {
        check.Add(kOrgCode, "“" + branch->name +
                                "”不是正常状态的党支部：党员只能编入党支部（含联合、临时党支部）");
      } else if (!v[kOrgName].empty() && v[kOrgName] != branch->name) {
        check.Add(kOrgName, "与所在党组织代码不符：代码 " + v[kOrgCode] + " 是“" + branch->name + "”");
      }
      in.org_id = branch->id;
    } else {
      check.Add(kOrgCode, "未知的党组织代码（不存在或不在您的管理范围内）");
    }
    if (check.any) continue;

    auto prepared = member::PrepareMember(in, today);
    if (!prepared) {
      int field = FieldOfInputField(prepared.error().field);
      if (field < 0) field = kName;
      check.Add(field, prepared.error().message);
      continue;
    }
    if (!sex.empty() && sex != prepared->sex) {
      check.Add(kSex, "性别与公民身份号码不符（号码所示为" +
                          std::string(prepared->sex == "male" ? "男" : "女") + "）");
    }
    if (!birth.empty() && birth != prepared->birth_date) {
      check.Add(kBirthDate, "出生日期与公民身份号码不符（号码所示为 " + prepared->birth_date + "）");
    }
    if (!status.empty() && status != prepared->status) {
      check.Add(kStatus, status == "full" ? "正式党员应填写转正日期" : "预备党员不应有转正日期");
    }
    auto [first, fresh] = first_row_of_id.emplace(prepared->id_number, record.row);
    if (!fresh) {
      check.Add(kIdNumber, "与第 " + std::to_string(first->second) + " 行的公民身份号码重复");
    }
    if (check.any) continue;
    ready.push_back(ReadyRow{record.row, std::move(*prepared), branch, {}, {}, {}, {}});
  }
  outcome.total_rows = rows_read;
  progress.total_rows = rows_read;
  progress.processed_rows = rows_read;
  progress.Changed();

  // The personal numbers, encrypted and indexed on every core (the costly part of a large file).
  Protect(cipher, ready);
  if (progress.cancelled) return Fail(Cancelled());

  // Duplicates against the registry (the whole registry: an ID number is unique everywhere, and
  // saying so reveals no more than the refusal of a single POST would).
  auto taken = db.Read([&](db::Connection& c) -> Result<std::vector<std::int64_t>> {
    std::vector<std::int64_t> rows;
    for (std::size_t start = 0; start < ready.size(); start += kLookupBatch) {
      std::size_t end = std::min(ready.size(), start + kLookupBatch);
      std::vector<db::Value> params;
      std::string sql = "SELECT id_number_index FROM member WHERE id_number_index IN (";
      std::unordered_map<std::string, std::int64_t> row_of;
      for (std::size_t i = start; i < end; ++i) {
        params.emplace_back(ready[i].id_index);
        row_of.emplace(ready[i].id_index, ready[i].row);
        sql += (i == start ? "$" : ", $") + std::to_string(params.size());
      }
      sql += ")";
      auto found = c.Query(sql, std::span<const db::Value>(params));
      if (!found) return Fail(found.error());
      for (std::size_t r = 0; r < found->size(); ++r) rows.push_back(row_of.at(found->Text(r, 0)));
    }
    return rows;
  });
  if (!taken) return Fail(taken.error());
  std::unordered_map<std::int64_t, const ReadyRow*> by_row;
  if (!taken->empty()) {
    for (const ReadyRow& r : ready) by_row.emplace(r.row, &r);
  }
  for (std::int64_t row : *taken) {
    outcome.errors.push_back({row, std::string(TitleOfField(kIdNumber)),
                              identity::MaskIdNumber(by_row.at(row)->member.id_number),
                              "该公民身份号码已在党员信息库中（不能重复导入）"});
  }
  if (!outcome.errors.empty()) {
    std::stable_sort(outcome.errors.begin(), outcome.errors.end(),
                     [](const RowError& a, const RowError& b) { return a.row < b.row; });
    return outcome;
  }
  auto imported = Store(db, caller, format, ready, progress);
  if (!imported) return Fail(imported.error());
  outcome.imported = *imported;
  return outcome;
}

}  // namespace zhibu::exchange
