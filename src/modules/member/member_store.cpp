#include "modules/member/member_store.h"

#include <algorithm>
#include <array>

#include "modules/member/pinyin.h"
#include "modules/member/statistics_counters.h"
#include "modules/member/vocabulary.h"
#include "platform/compliance/rule.h"
#include "platform/identity/id_number.h"
#include "platform/json/json.h"
#include "platform/json/json_text.h"
#include "platform/util/clock.h"
#include "platform/util/date.h"

namespace zhibu::member {
namespace {

constexpr std::string_view kSummaryColumns =
    "m.id, m.name, m.sex, m.birth_date, m.id_number_masked, m.phone_masked, m.org_id, o.name, "
    "m.status, m.category, m.joined_on, m.confirmed_on";
constexpr std::string_view kDetailColumns =
    ", m.ethnicity, m.education, m.degree, m.occupation, m.work_unit, m.household, m.address, "
    "m.work_started_on, m.exit_kind, m.hardship, m.away_since, m.destination, m.attached_org_id, "
    "a.name, m.lost_contact_since, m.org_path, m.status_on, m.departed_on, m.departed_to";
constexpr std::string_view kInsertMember =
    "INSERT INTO member (org_id, org_path, name, initials, sex, ethnicity, birth_date, "
    "id_number_cipher, id_number_index, id_number_masked, phone_cipher, phone_index, "
    "phone_masked, education, degree, occupation, work_unit, household, address, joined_on, "
    "confirmed_on, work_started_on, category, status, status_on, hardship, created_at, "
    "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
    "$17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $27) RETURNING id";
constexpr std::string_view kInsertEvent =
    "INSERT INTO member_event (member_id, kind, happened_on, org_id, org_path, other_org_id, "
    "reason, account_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
constexpr std::string_view kOpenSpan =
    "INSERT INTO member_span (member_id, org_id, status, valid_from) VALUES ($1, $2, $3, $4)";
constexpr std::string_view kCloseSpan =
    "UPDATE member_span SET valid_to = $2 WHERE member_id = $1 AND valid_to IS NULL";
constexpr std::string_view kIdTaken = "SELECT id FROM member WHERE id_number_index = $1";
constexpr std::size_t kMaxText = 200;

Error NotFound() { return Error::NotFound("member.not_found", "党员不存在或不在您的管理范围内"); }

Error Invalid(std::string code, std::string message, std::string field) {
  return Error::Invalid(std::move(code), std::move(message), std::move(field));
}

bool IsMobilePhone(std::string_view text) {
  return text.size() == 11 && text[0] == '1' &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

db::Value OptionalText(const std::string& text) {
  return text.empty() ? db::Value(nullptr) : db::Value(text);
}

boost::json::value Nullable(const db::ResultSet& r, std::size_t i, std::size_t col) {
  auto v = r.OptionalText(i, col);
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

//! How one field of a member's summary is read from its row (the columns of kSummaryColumns).
enum class SummaryValue { kInt, kText, kNullableText, kTitle };
struct SummaryField {
  std::string_view key;
  std::size_t column;
  SummaryValue kind;
  std::span<const Term> (*terms)() = nullptr;  //!< kTitle: the vocabulary of the column's id
};
constexpr std::array<SummaryField, 15> kSummaryFields{{
    {"id", 0, SummaryValue::kInt},
    {"name", 1, SummaryValue::kText},
    {"sex", 2, SummaryValue::kText},
    {"sex_title", 2, SummaryValue::kTitle, Sexes},
    {"birth_date", 3, SummaryValue::kText},
    {"id_number_masked", 4, SummaryValue::kText},
    {"phone_masked", 5, SummaryValue::kText},
    {"org_id", 6, SummaryValue::kInt},
    {"org_name", 7, SummaryValue::kText},
    {"status", 8, SummaryValue::kText},
    {"status_title", 8, SummaryValue::kTitle, Statuses},
    {"category", 9, SummaryValue::kText},
    {"category_title", 9, SummaryValue::kTitle, Categories},
    {"joined_on", 10, SummaryValue::kText},
    {"confirmed_on", 11, SummaryValue::kNullableText},
}};

//! A member's summary (the list's row, the start of the member page) as JSON.
boost::json::object SummaryJson(const db::RowView& row) {
  boost::json::object j(kSummaryFields.size());
  for (const SummaryField& f : kSummaryFields) {
    switch (f.kind) {
      case SummaryValue::kInt:
        j.emplace(f.key, row.Int(f.column));
        break;
      case SummaryValue::kText:
        j.emplace(f.key, row.Text(f.column));
        break;
      case SummaryValue::kNullableText:
        if (row.IsNull(f.column)) {
          j.emplace(f.key, nullptr);
        } else {
          j.emplace(f.key, row.Text(f.column));
        }
        break;
      case SummaryValue::kTitle:
        j.emplace(f.key, TitleOf(f.terms(), row.Text(f.column)));
        break;
    }
  }
  return j;
}

//! The same summary written as JSON text, straight from the row (a list page).
void WriteSummary(JsonTextWriter& w, const db::RowView& row) {
  w.BeginObject();
  for (const SummaryField& f : kSummaryFields) {
    w.Key(f.key);
    switch (f.kind) {
      case SummaryValue::kInt:
        w.Int(row.Int(f.column));
        break;
      case SummaryValue::kText:
        w.String(row.Text(f.column));
        break;
      case SummaryValue::kNullableText:
        if (row.IsNull(f.column)) {
          w.Null();
        } else {
          w.String(row.Text(f.column));
        }
        break;
      case SummaryValue::kTitle:
        w.String(TitleOf(f.terms(), row.Text(f.column)));
        break;
    }
  }
  w.EndObject();
}

Result<std::string> OrgPath(db::Connection& c, std::int64_t org_id) {
  auto rows = c.Query("SELECT path FROM organisation WHERE id = $1", {org_id});
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return Fail(NotFound());
  return rows->Text(0, 0);
}

Result<void> Audit(db::Connection& c, const org::Change& change, std::string action,
                   std::int64_t id, boost::json::object detail) {
  return org::AuditChange(c, change, std::move(action), "member:" + std::to_string(id),
                          std::move(detail), true);
}

//! A member list walks the members in id order when the subtree holds at least this many.
constexpr std::int64_t kWalkFrom = 2000;
//! Up to this many matches (a branch's page) the page reads the matching rows whole and sorts
//! them; above it, the page's ids are sorted from the index alone and only they are read. The
//! first is about twice as fast for a branch of 22 (bench/member-list.sh's page: 23 µs against
//! 45 µs of SQLite time), the second wins from about 175 matches (a town of 1,240: 220 µs against
//! 345 µs) — measured with the two statements on the demo city, 2026-11-24.
constexpr std::int64_t kReadWholeUpTo = 100;

//! `where` with its path conditions hidden from SQLite's index choice (`+m.org_path`).
std::string WithoutPathIndex(std::string where) {
  std::string out;
  std::size_t at = 0;
  for (std::size_t next; (next = where.find("m.org_path", at)) != std::string::npos;
       at = next + 10) {
    out += where.substr(at, next - at) + "+m.org_path";
  }
  return out + where.substr(at);
}

//! The organisation a list is narrowed to.
struct ListedOrg {
  std::string path;
  bool branch = false;        //!< a 支部 (IsBranchKind): its members are few
  bool inside_scope = false;  //!< then the scope's own condition is implied by the subtree's
};

//! Organisation `id` when it lies inside `scope`; otherwise org::GetOrg's answer, so that outside
//! the scope is not found exactly like missing. (GetOrg also counts the subtree's members, which a
//! list does not need.)
Result<ListedOrg> ListedOrgInScope(db::Connection& c, const org::SubtreeScope& scope,
                                   std::int64_t id) {
  auto rows = c.Query("SELECT path, kind FROM organisation WHERE id = $1", {id});
  if (!rows) return Fail(rows.error());
  if (rows->empty() || !scope.Contains(rows->Text(0, 0))) {
    auto org = org::GetOrg(c, scope, id);
    if (!org) return Fail(org.error());
    return ListedOrg{org->path, false, false};
  }
  return ListedOrg{rows->Text(0, 0), org::IsBranchKind(rows->Text(0, 1)), true};
}

//! The member's row for a change: status, org and path (404 outside the scope).
struct Current {
  std::int64_t org_id = 0;
  std::string org_path;
  std::string status;
  std::string joined_on;
  std::optional<std::string> departed_on;
};
Result<Current> LoadCurrent(db::Connection& c, const org::SubtreeScope& scope, std::int64_t id) {
  std::vector<db::Value> params{id};
  std::string sql =
      "SELECT org_id, org_path, status, joined_on, departed_on FROM member m WHERE m.id = $1 "
      "AND " +
      scope.Condition("m.org_path", params);
  auto rows = c.Query(sql, std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return Fail(NotFound());
  return Current{rows->Int(0, 0), rows->Text(0, 1), rows->Text(0, 2), rows->Text(0, 3),
                 rows->OptionalText(0, 4)};
}

//! The member's row for a change of their record: like LoadCurrent, but a member whose relation
//! has left the deployment can no longer be changed here (409 `member.departed`).
Result<Current> LoadChangeable(db::Connection& c, const org::SubtreeScope& scope, std::int64_t id) {
  auto current = LoadCurrent(c, scope, id);
  if (!current) return Fail(current.error());
  if (current->departed_on) {
    return Fail(Error::Conflict(
        "member.departed", "该党员的组织关系已于 " + *current->departed_on + " 转出本系统", "id"));
  }
  return current;
}

}  // namespace

std::string MaskPhone(std::string_view phone) {
  if (phone.size() != 11) return std::string(phone.size(), '*');
  return std::string(phone.substr(0, 3)) + "****" + std::string(phone.substr(7));
}

Result<PreparedMember> PrepareMember(const MemberInput& in, const std::string& today) {
  PreparedMember out;
  out.input = in;
  if (in.name.empty() || in.name.size() > 100) {
    return Fail(Invalid("member.name_invalid", "姓名不能为空，不超过 100 字节", "name"));
  }
  auto id = identity::ParseIdNumber(in.id_number, today);
  if (!id) {
    Error e = id.error();
    e.field = "id_number";
    return Fail(e);
  }
  out.id_number = id->number;
  out.birth_date = id->birth_date;
  out.sex = std::string(identity::SexName(id->sex));
  if (!in.phone.empty() && !IsMobilePhone(in.phone)) {
    return Fail(Invalid("member.phone_invalid", "手机号码应为 1 开头的 11 位数字", "phone"));
  }
  if (in.ethnicity.empty() || in.ethnicity.size() > 32) {
    return Fail(Invalid("member.ethnicity_invalid", "请填写民族", "ethnicity"));
  }
  if (TitleOf(Educations(), in.education).empty()) {
    return Fail(Invalid("member.education_invalid", "未知的学历：" + in.education.substr(0, 32),
                        "education"));
  }
  if (TitleOf(Categories(), in.category).empty()) {
    return Fail(Invalid("member.category_invalid", "未知的党员类别：" + in.category.substr(0, 32),
                        "category"));
  }
  for (auto [value, field] :
       {std::pair{&in.degree, "degree"}, std::pair{&in.occupation, "occupation"},
        std::pair{&in.work_unit, "work_unit"}, std::pair{&in.household, "household"},
        std::pair{&in.address, "address"}}) {
    if (value->size() > kMaxText) {
      return Fail(Invalid("member.text_too_long", std::string(field) + " 不超过 200 字节", field));
    }
  }
  auto joined = ParseIsoDate(in.joined_on);
  if (!joined) {
    return Fail(
        Invalid("member.joined_on_invalid", "入党日期应为 YYYY-MM-DD 格式的有效日期", "joined_on"));
  }
  if (in.joined_on > today) {
    return Fail(Invalid("member.joined_on_future", "入党日期不能晚于今天", "joined_on"));
  }
  // 党章 第一条: 年满十八岁 — the 支部大会 cannot admit anyone before their 18th birthday.
  if (WholeYearsBetween(*ParseIsoDate(out.birth_date), *joined) < 18) {
    return Fail(Error::Unprocessable("member.joined_under_18",
                                     "入党日期早于年满 18 周岁之日（出生 " + out.birth_date + "）",
                                     "joined_on", "中国共产党章程 第一条"));
  }
  if (!in.confirmed_on.empty()) {
    auto confirmed = ParseIsoDate(in.confirmed_on);
    if (!confirmed) {
      return Fail(Invalid("member.confirmed_on_invalid", "转正日期应为 YYYY-MM-DD 格式的有效日期",
                          "confirmed_on"));
    }
    if (in.confirmed_on <= in.joined_on) {
      return Fail(Error::Unprocessable("member.confirmed_before_joined", "转正日期应晚于入党日期",
                                       "confirmed_on", "中国共产党章程 第七条（预备期一年）"));
    }
    if (in.confirmed_on > today) {
      return Fail(Invalid("member.confirmed_on_future", "转正日期不能晚于今天", "confirmed_on"));
    }
  }
  if (!in.work_started_on.empty() && !ParseIsoDate(in.work_started_on)) {
    return Fail(Invalid("member.work_started_on_invalid", "参加工作日期应为 YYYY-MM-DD 格式",
                        "work_started_on"));
  }
  out.status = in.confirmed_on.empty() ? "probationary" : "full";
  static const std::array kAdmissions = {"develop", "transfer_in", "rejoin", "restore"};
  if (std::find(kAdmissions.begin(), kAdmissions.end(), in.event_kind) == kAdmissions.end()) {
    return Fail(
        Invalid("member.event_kind_invalid",
                "新增党员的方式应为 develop（发展）、transfer_in（转入）、rejoin（重新入党）或 "
                "restore（恢复党籍）",
                "event_kind"));
  }
  out.event_date = in.event_date;
  if (out.event_date.empty()) out.event_date = in.event_kind == "develop" ? in.joined_on : today;
  if (!ParseIsoDate(out.event_date) || out.event_date > today) {
    return Fail(Invalid("member.event_date_invalid", "变动日期应为不晚于今天的有效日期", "date"));
  }
  if (out.event_date < in.joined_on) {
    return Fail(Invalid("member.event_date_before_joined", "变动日期不能早于入党日期", "date"));
  }
  out.initials = PinyinInitials(in.name);
  return out;
}

Result<MemberInput> MemberInputFromJson(const boost::json::value& body) {
  MemberInput in;
  if (!body.is_object())
    return Fail(Invalid("request.body_not_object", "请求体应为 JSON 对象", ""));
  auto org = IntField(body, "org_id", true);
  if (!org) return Fail(org.error());
  in.org_id = **org;
  struct Field {
    const char* name;
    std::string* into;
    bool required;
  };
  for (const Field& f :
       {Field{"name", &in.name, true}, Field{"id_number", &in.id_number, true},
        Field{"phone", &in.phone, false}, Field{"ethnicity", &in.ethnicity, true},
        Field{"education", &in.education, true}, Field{"degree", &in.degree, false},
        Field{"occupation", &in.occupation, false}, Field{"work_unit", &in.work_unit, false},
        Field{"household", &in.household, false}, Field{"address", &in.address, false},
        Field{"joined_on", &in.joined_on, true}, Field{"confirmed_on", &in.confirmed_on, false},
        Field{"work_started_on", &in.work_started_on, false}, Field{"category", &in.category, true},
        Field{"event_kind", &in.event_kind, false}, Field{"date", &in.event_date, false},
        Field{"reason", &in.reason, false}}) {
    auto v = StringField(body, f.name, f.required, 400);
    if (!v) return Fail(v.error());
    if (*v) *f.into = **v;
  }
  if (in.event_kind.empty()) in.event_kind = "develop";
  if (const auto* h = body.get_object().if_contains("hardship"); h && h->is_bool()) {
    in.hardship = h->get_bool();
  }
  return in;
}

Result<void> AddEvent(db::Connection& c, std::int64_t member_id, std::string_view kind,
                      const std::string& date, std::int64_t org_id,
                      std::optional<std::int64_t> other_org, const std::string& reason,
                      std::optional<std::int64_t> account_id) {
  auto path = OrgPath(c, org_id);
  if (!path) return Fail(path.error());
  auto done = c.Execute(
      kInsertEvent, {member_id, std::string(kind), date, org_id, *path,
                     other_org ? db::Value(*other_org) : db::Value(nullptr), reason,
                     account_id ? db::Value(*account_id) : db::Value(nullptr), NowShanghaiIso()});
  if (!done) return Fail(done.error());
  // The branch's findings (sizes, members away, probation) are recomputed by the next rescan.
  return compliance::Touch(c, *path);
}

Result<std::int64_t> CreateMember(db::Connection& c, const org::SubtreeScope& scope,
                                  const crypto::FieldCipher& cipher, const org::Change& change,
                                  const PreparedMember& m) {
  auto branch = org::GetOrg(c, scope, m.input.org_id);
  if (!branch) {
    return Fail(Invalid("member.org_not_found", "所在党组织不存在或不在您的管理范围内", "org_id"));
  }
  if (branch->status != "active" || !org::IsBranchKind(branch->kind)) {
    return Fail(Invalid("member.org_not_branch",
                        "党员只能编入正常状态的党支部（含联合、临时党支部）", "org_id"));
  }
  std::string id_index = cipher.BlindIndex(m.id_number);
  auto taken = c.Query(kIdTaken, {id_index});
  if (!taken) return Fail(taken.error());
  if (!taken->empty()) {
    return Fail(
        Error::Conflict("member.duplicate_id", "该身份证号码已在党员信息库中", "id_number"));
  }
  const MemberInput& in = m.input;
  db::Value phone_cipher = nullptr, phone_index = nullptr;
  if (!in.phone.empty()) {
    phone_cipher = db::Blob{cipher.Encrypt(in.phone)};
    phone_index = cipher.BlindIndex(in.phone);
  }
  std::string now = NowShanghaiIso();
  auto inserted = c.Query(kInsertMember, {branch->id,
                                          branch->path,
                                          in.name,
                                          m.initials,
                                          m.sex,
                                          in.ethnicity,
                                          m.birth_date,
                                          db::Blob{cipher.Encrypt(m.id_number)},
                                          id_index,
                                          identity::MaskIdNumber(m.id_number),
                                          phone_cipher,
                                          phone_index,
                                          MaskPhone(in.phone),
                                          in.education,
                                          in.degree,
                                          in.occupation,
                                          in.work_unit,
                                          in.household,
                                          in.address,
                                          in.joined_on,
                                          OptionalText(in.confirmed_on),
                                          OptionalText(in.work_started_on),
                                          in.category,
                                          m.status,
                                          m.event_date,
                                          static_cast<std::int64_t>(in.hardship ? 1 : 0),
                                          now});
  if (!inserted) return Fail(inserted.error());
  std::int64_t id = inserted->Int(0, 0);
  auto span = c.Execute(kOpenSpan, {id, branch->id, m.status, m.event_date});
  if (!span) return Fail(span.error());
  std::string reason =
      in.reason.empty() ? std::string(TitleOf(EventKinds(), in.event_kind)) : in.reason;
  auto event = AddEvent(c, id, in.event_kind, m.event_date, branch->id, std::nullopt, reason,
                        change.account_id);
  if (!event) return Fail(event.error());
  // Statistics: the subtree counters follow the new span.
  auto counted = RecountMembers(c, std::array{id});
  if (!counted) return Fail(counted.error());
  // The audit detail never holds the clear numbers, only their masked forms.
  auto logged = Audit(c, change, "member.create", id,
                      {{"after",
                        {{"name", in.name},
                         {"org_id", branch->id},
                         {"id_number", identity::MaskIdNumber(m.id_number)},
                         {"phone", MaskPhone(in.phone)},
                         {"status", m.status},
                         {"event", in.event_kind}}}});
  if (!logged) return Fail(logged.error());
  return id;
}

Result<boost::json::object> GetMember(db::Connection& c, const org::SubtreeScope& scope,
                                      std::int64_t id) {
  std::vector<db::Value> params{id};
  std::string sql = "SELECT " + std::string(kSummaryColumns) + std::string(kDetailColumns) +
                    " FROM member m JOIN organisation o ON o.id = m.org_id LEFT JOIN organisation "
                    "a ON a.id = m.attached_org_id WHERE m.id = $1 AND " +
                    scope.Condition("m.org_path", params);
  auto rows = c.Query(sql, std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return Fail(NotFound());
  const auto& r = *rows;
  boost::json::object j = SummaryJson(db::ResultSetRow(r, 0));
  std::string education = r.Text(0, 13);
  j["ethnicity"] = r.Text(0, 12);
  j["education"] = education;
  j["education_title"] = TitleOf(Educations(), education);
  j["degree"] = r.Text(0, 14);
  j["occupation"] = r.Text(0, 15);
  j["work_unit"] = r.Text(0, 16);
  j["household"] = r.Text(0, 17);
  j["address"] = r.Text(0, 18);
  j["work_started_on"] = Nullable(r, 0, 19);
  auto exit_kind = r.OptionalText(0, 20);
  j["exit_kind"] = exit_kind ? boost::json::value(*exit_kind) : nullptr;
  j["exit_kind_title"] = exit_kind ? boost::json::value(TitleOf(ExitKinds(), *exit_kind)) : nullptr;
  j["hardship"] = r.Int(0, 21) != 0;
  if (auto away = r.OptionalText(0, 22)) {
    boost::json::object mobile{{"away_since", *away}, {"destination", r.Text(0, 23)}};
    mobile["attached_org_id"] =
        r.IsNull(0, 24) ? boost::json::value(nullptr) : boost::json::value(r.Int(0, 24));
    mobile["attached_org_name"] = Nullable(r, 0, 25);
    j["mobile"] = std::move(mobile);
  } else {
    j["mobile"] = nullptr;
  }
  j["lost_contact_since"] = Nullable(r, 0, 26);
  auto party_probation = PartyProbationOn(c, id, TodayShanghai());
  if (!party_probation) return Fail(party_probation.error());
  j["party_probation_since"] =
      *party_probation ? boost::json::value(**party_probation) : boost::json::value(nullptr);
  j["status_on"] = r.Text(0, 28);
  j["departed_on"] = Nullable(r, 0, 29);
  j["departed_to"] =
      r.IsNull(0, 29) ? boost::json::value(nullptr) : boost::json::value(r.Text(0, 30));
  // 第三十二条/第二十五条: away 6 months or more without a transfer → the relation should move;
  // 第二十四条: out of contact 6 months or more → 停止党籍 may be proposed.
  std::string today = TodayShanghai();
  auto six_months_on = [&](const std::string& since) {
    return FormatIsoDate(AddMonths(*ParseIsoDate(since), 6)) <= today;
  };
  if (j["mobile"].is_object()) {
    j["mobile"].as_object()["transfer_due"] =
        six_months_on(std::string(j["mobile"].as_object()["away_since"].as_string()));
  }
  auto lost = r.OptionalText(0, 26);
  j["suspension_due"] = lost.has_value() && IsMemberStatus(r.Text(0, 8)) && six_months_on(*lost);
  // 党龄 counts from 转正 (党章 第七条).
  if (auto confirmed = r.OptionalText(0, 11)) {
    j["standing_years"] =
        WholeYearsBetween(*ParseIsoDate(*confirmed), *ParseIsoDate(TodayShanghai()));
  } else {
    j["standing_years"] = nullptr;
  }
  return j;
}

//! The start of a list page's JSON text; `EndPage` writes its end.
void BeginPage(JsonTextWriter& w) {
  w.BeginObject();
  w.Key("items");
  w.BeginArray();
}
void EndPage(JsonTextWriter& w, std::int64_t total, const MemberQuery& query) {
  w.EndArray();
  w.Key("total");
  w.Int(total);
  w.Key("page");
  w.Int(query.page);
  w.Key("page_size");
  w.Int(query.page_size);
  w.EndObject();
}

//! A page of the members matching `where` read in one statement, for an organisation whose
//! members are few (a branch): the first kReadWholeUpTo + 1 matches in id order are read whole
//! (all of them sorted: only for a subtree known to be small), counted, and the page's slice is
//! written — no count statement (a branch's page, the measured one of spec 01). Answers nothing
//! when there are more, for the general plans to take over.
Result<std::optional<JsonText>> ReadFewMatches(db::Connection& c, const std::string& where,
                                               std::vector<db::Value> params,
                                               const MemberQuery& query) {
  params.emplace_back(kReadWholeUpTo + 1);
  std::string sql = "SELECT " + std::string(kSummaryColumns) +
                    " FROM member m JOIN organisation o ON o.id = m.org_id WHERE " + where +
                    " ORDER BY m.id LIMIT $" + std::to_string(params.size());
  const std::int64_t first = (query.page - 1) * query.page_size;
  const std::int64_t end = first + query.page_size;
  JsonText page;
  page.text.reserve(64 + static_cast<std::size_t>(query.page_size) * 480);
  JsonTextWriter w(page.text);
  BeginPage(w);
  std::int64_t found = 0;
  auto read = c.ForEachRow(sql, std::span<const db::Value>(params), [&](const db::RowView& row) {
    if (found >= first && found < end) WriteSummary(w, row);
    ++found;
  });
  if (!read) return Fail(read.error());
  if (found > kReadWholeUpTo) return std::optional<JsonText>();
  EndPage(w, found, query);
  return std::optional<JsonText>(std::move(page));
}

Result<JsonText> ListMembers(db::Connection& c, const org::SubtreeScope& scope,
                             const crypto::FieldCipher& cipher, const MemberQuery& query) {
  const bool sqlite = c.backend() == db::Backend::kSqlite;
  std::vector<db::Value> params;
  std::string where;
  bool few = false;  // a branch's members: the page is read in one statement (ReadFewMatches)
  if (query.org_id) {
    auto org = ListedOrgInScope(c, scope, *query.org_id);
    if (!org) return Fail(org.error());
    if (!org->inside_scope) {
      // The organisation's subtree lies partly outside the scope, whose range then filters.
      // SQLite, given two ranges on m.org_path, may walk the index along the wider one (the
      // whole city for its administrator: 0.2 s for a branch of 22); `+m.org_path` leaves it
      // the organisation's.
      where = scope.Condition("m.org_path", params);
      if (sqlite) where = WithoutPathIndex(where);
      where += " AND ";
    }
    few = org->branch && org->inside_scope;
    params.emplace_back(org->path);
    where += "m.org_path >= $" + std::to_string(params.size());
    params.emplace_back(org::SubtreeEnd(org->path));
    where += " AND m.org_path < $" + std::to_string(params.size());
  } else {
    where = scope.Condition("m.org_path", params);
  }
  if (query.status.empty()) {
    where += " AND m.status IN ('full', 'probationary') AND m.departed_on IS NULL";
  } else if (query.status == "departed") {
    where += " AND m.departed_on IS NOT NULL";
  } else if (query.status != "all") {
    if (TitleOf(Statuses(), query.status).empty()) {
      return Fail(Invalid("member.status_invalid", "未知的党员状态：" + query.status.substr(0, 32),
                          "status"));
    }
    params.emplace_back(query.status);
    where += " AND m.status = $" + std::to_string(params.size()) + " AND m.departed_on IS NULL";
  }
  std::string q = query.q;
  if (!q.empty()) {
    if (q.size() > 64) return Fail(Invalid("member.query_too_long", "查询内容过长", "q"));
    if (auto id = identity::ParseIdNumber(q); id) {
      params.emplace_back(cipher.BlindIndex(id->number));
      where += " AND m.id_number_index = $" + std::to_string(params.size());
    } else if (IsMobilePhone(q)) {
      params.emplace_back(cipher.BlindIndex(q));
      where += " AND m.phone_index = $" + std::to_string(params.size());
    } else if (LooksLikeInitials(q)) {
      std::string lower = q;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      params.emplace_back(lower);
      params.emplace_back(lower + "{");  // '{' follows 'z'
      where += " AND m.initials >= $" + std::to_string(params.size() - 1) + " AND m.initials < $" +
               std::to_string(params.size());
    } else {
      // A name prefix, as a range so that no LIKE pattern characters need escaping.
      params.emplace_back(q);
      params.emplace_back(q + "\xF4\x8F\xBF\xBF");
      where += " AND m.name >= $" + std::to_string(params.size() - 1) + " AND m.name < $" +
               std::to_string(params.size());
    }
  }
  // Query plans at city scale (SQLite has no statistics to choose by): a search by ID, phone,
  // name or initials goes through its own index and the subtree only filters what it finds
  // (`+m.org_path` keeps SQLite off the path index); a page of a large subtree walks the members
  // in id order and stops after the page; a page of few matches (a branch) reads them whole and
  // sorts them; otherwise the page's ids come from the path index alone (covering), sorted, and
  // only those rows are read.
  std::string narrowed = sqlite && !q.empty() ? WithoutPathIndex(where) : where;
  if (few) {
    auto page = ReadFewMatches(c, narrowed, params, query);
    if (!page) return Fail(page.error());
    if (*page) return std::move(**page);
  }
  auto total = c.Query("SELECT COUNT(*) FROM member m WHERE " + narrowed,
                       std::span<const db::Value>(params));
  if (!total) return Fail(total.error());
  const std::int64_t found = total->Int(0, 0);
  const std::int64_t skipped = (query.page - 1) * query.page_size;
  params.emplace_back(query.page_size);
  std::string limit = "$" + std::to_string(params.size());
  params.emplace_back(skipped);
  std::string offset = "$" + std::to_string(params.size());
  bool walk = q.empty() && found >= kWalkFrom && skipped + query.page_size <= found / 2;
  std::string sql = "SELECT " + std::string(kSummaryColumns) +
                    " FROM member m JOIN organisation o ON o.id = m.org_id WHERE ";
  if (walk) {
    sql += (sqlite ? WithoutPathIndex(where) : where) + " ORDER BY m.id LIMIT " + limit +
           " OFFSET " + offset;
  } else if (found <= kReadWholeUpTo) {
    sql += narrowed + " ORDER BY m.id LIMIT " + limit + " OFFSET " + offset;
  } else {
    sql += "m.id IN (SELECT m.id FROM member m WHERE " + narrowed + " ORDER BY m.id LIMIT " +
           limit + " OFFSET " + offset + ") ORDER BY m.id";
  }
  // The page is written as JSON text straight from the statement's columns: no copy of a row
  // into values, no tree to build and serialise (spec 01: the list is the measured page).
  JsonText page;
  page.text.reserve(64 + static_cast<std::size_t>(query.page_size) * 480);
  JsonTextWriter w(page.text);
  BeginPage(w);
  auto read = c.ForEachRow(sql, std::span<const db::Value>(params),
                           [&w](const db::RowView& row) { WriteSummary(w, row); });
  if (!read) return Fail(read.error());
  EndPage(w, found, query);
  return page;
}

Result<boost::json::object> UnmaskMember(db::Connection& c, const org::SubtreeScope& scope,
                                         const crypto::FieldCipher& cipher,
                                         const org::Change& change, std::int64_t id) {
  if (change.reason.empty()) {
    return Fail(Invalid("member.unmask_reason_missing", "查看完整个人信息须填写事由", "reason"));
  }
  std::vector<db::Value> params{id};
  std::string sql = "SELECT id_number_cipher, phone_cipher FROM member m WHERE m.id = $1 AND " +
                    scope.Condition("m.org_path", params);
  auto rows = c.Query(sql, std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return Fail(NotFound());
  auto number = cipher.Decrypt(rows->Bytes(0, 0).bytes);
  if (!number) return Fail(number.error());
  boost::json::object out{{"id_number", *number}};
  if (rows->IsNull(0, 1)) {
    out["phone"] = nullptr;
  } else {
    auto phone = cipher.Decrypt(rows->Bytes(0, 1).bytes);
    if (!phone) return Fail(phone.error());
    out["phone"] = *phone;
  }
  auto logged = Audit(c, change, "member.unmask", id, {{"fields", {"id_number", "phone"}}});
  if (!logged) return Fail(logged.error());
  return out;
}

Result<boost::json::array> EventsOf(db::Connection& c, const org::SubtreeScope& scope,
                                    std::int64_t id) {
  auto current = LoadCurrent(c, scope, id);
  if (!current) return Fail(current.error());
  auto rows = c.Query(
      "SELECT e.id, e.kind, e.happened_on, e.org_id, o.name, e.reason, e.other_org_id, x.name "
      "FROM member_event e JOIN organisation o ON o.id = e.org_id LEFT JOIN organisation x ON "
      "x.id = e.other_org_id WHERE e.member_id = $1 ORDER BY e.happened_on, e.id",
      {id});
  if (!rows) return Fail(rows.error());
  boost::json::array out;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    std::string kind = rows->Text(i, 1);
    boost::json::object e{{"id", rows->Int(i, 0)},
                          {"kind", kind},
                          {"kind_title", TitleOf(EventKinds(), kind)},
                          {"date", rows->Text(i, 2)},
                          {"org_id", rows->Int(i, 3)},
                          {"org_name", rows->Text(i, 4)},
                          {"reason", rows->Text(i, 5)}};
    e["other_org_name"] = Nullable(*rows, i, 7);
    out.push_back(std::move(e));
  }
  return out;
}

Result<void> MoveMember(db::Connection& c, const org::Change& change, std::int64_t member_id,
                        std::int64_t to_org, std::string_view out_kind, std::string_view in_kind) {
  auto rows = c.Query("SELECT org_id, status FROM member WHERE id = $1", {member_id});
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return Fail(NotFound());
  std::int64_t from_org = rows->Int(0, 0);
  std::string status = rows->Text(0, 1);
  auto out = AddEvent(c, member_id, out_kind, change.date, from_org, to_org, change.reason,
                      change.account_id);
  if (!out) return Fail(out.error());
  auto path = OrgPath(c, to_org);
  if (!path) return Fail(path.error());
  auto moved = c.Execute(
      "UPDATE member SET org_id = $2, org_path = $3, group_id = NULL, updated_at = $4 WHERE id = "
      "$1",
      {member_id, to_org, *path, NowShanghaiIso()});
  if (!moved) return Fail(moved.error());
  auto closed = c.Execute(kCloseSpan, {member_id, change.date});
  if (!closed) return Fail(closed.error());
  auto opened = c.Execute(kOpenSpan, {member_id, to_org, status, change.date});
  if (!opened) return Fail(opened.error());
  auto added = AddEvent(c, member_id, in_kind, change.date, to_org, from_org, change.reason,
                        change.account_id);
  if (!added) return Fail(added.error());
  // Statistics: the subtree counters follow the closed and the opened span.
  return RecountMembers(c, std::array{member_id});
}

Result<boost::json::object> ChangeStatus(db::Connection& c, const org::SubtreeScope& scope,
                                         const org::Change& change, std::int64_t id,
                                         const std::string& status, const std::string& exit_kind) {
  auto current = LoadChangeable(c, scope, id);
  if (!current) return Fail(current.error());
  auto date = ParseIsoDate(change.date);
  if (!date || change.date > TodayShanghai()) {
    return Fail(Invalid("member.date_invalid", "变动日期应为不晚于今天的有效日期", "date"));
  }
  if (change.reason.empty()) {
    return Fail(Invalid("member.reason_missing", "请填写变动原因或依据", "reason"));
  }
  if (change.date < current->joined_on) {
    return Fail(Invalid("member.date_before_joined", "变动日期不能早于入党日期", "date"));
  }
  const std::string& from = current->status;
  std::string event;
  if (status == "full" && from == "probationary") {
    event = "confirm";
  } else if (status == "suspended" && IsMemberStatus(from)) {
    event = "suspend";
  } else if (status == "full" && from == "suspended") {
    event = "restore";
  } else if (status == "exited" && (IsMemberStatus(from) || from == "suspended")) {
    if (TitleOf(ExitKinds(), exit_kind).empty()) {
      return Fail(Invalid("member.exit_kind_invalid", "请选择出党方式", "exit_kind"));
    }
    if (exit_kind == "probation_cancelled" && from != "probationary") {
      return Fail(Error::Unprocessable("member.not_probationary",
                                       "只有预备党员才能取消预备党员资格", "exit_kind",
                                       "中国共产党章程 第七条"));
    }
    event = "exit";
  } else if (status == "deceased" && (IsMemberStatus(from) || from == "suspended")) {
    event = "death";
  } else {
    return Fail(Error::Conflict(
        "member.status_transition",
        "不能从“" + std::string(TitleOf(Statuses(), from)) + "”变为“" +
            std::string(TitleOf(Statuses(), status).empty() ? status
                                                            : TitleOf(Statuses(), status)) +
            "”",
        "status"));
  }
  std::string confirmed = event == "confirm" ? change.date : std::string();
  auto updated = c.Execute(
      "UPDATE member SET status = $2, status_on = $3, exit_kind = $4, confirmed_on = "
      "COALESCE($5, confirmed_on), updated_at = $6 WHERE id = $1",
      {id, status, change.date, event == "exit" ? db::Value(exit_kind) : db::Value(nullptr),
       OptionalText(confirmed), NowShanghaiIso()});
  if (!updated) return Fail(updated.error());
  auto closed = c.Execute(kCloseSpan, {id, change.date});
  if (!closed) return Fail(closed.error());
  if (IsMemberStatus(status)) {
    auto opened = c.Execute(kOpenSpan, {id, current->org_id, status, change.date});
    if (!opened) return Fail(opened.error());
  }
  auto added = AddEvent(c, id, event, change.date, current->org_id, std::nullopt, change.reason,
                        change.account_id);
  if (!added) return Fail(added.error());
  // Statistics: the subtree counters follow the closed and the opened span.
  auto counted = RecountMembers(c, std::array{id});
  if (!counted) return Fail(counted.error());
  auto logged = Audit(
      c, change, "member.status", id,
      {{"before", {{"status", from}}}, {"after", {{"status", status}, {"exit_kind", exit_kind}}}});
  if (!logged) return Fail(logged.error());
  return GetMember(c, scope, id);
}

Result<void> DepartMember(db::Connection& c, const org::Change& change, std::int64_t member_id,
                          const std::string& destination) {
  auto rows = c.Query("SELECT org_id FROM member WHERE id = $1", {member_id});
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return Fail(NotFound());
  auto out = AddEvent(c, member_id, "transfer_out", change.date, rows->Int(0, 0), std::nullopt,
                      "转往" + destination + "：" + change.reason, change.account_id);
  if (!out) return Fail(out.error());
  auto closed = c.Execute(kCloseSpan, {member_id, change.date});
  if (!closed) return Fail(closed.error());
  auto left = c.Execute(
      "UPDATE member SET departed_on = $2, departed_to = $3, attached_org_id = NULL, updated_at = "
      "$4 WHERE id = $1",
      {member_id, change.date, destination, NowShanghaiIso()});
  if (!left) return Fail(left.error());
  // Statistics: the subtree counters follow the closed span.
  return RecountMembers(c, std::array{member_id});
}

namespace {

//! A date of a mobility or contact change: valid, not in the future, not before 入党.
Result<std::string> EventDate(const std::string& date, const Current& current,
                              std::string_view field) {
  auto valid = RequireIsoDate(date, field, "日期");
  if (!valid) return Fail(valid.error());
  if (*valid > TodayShanghai()) {
    return Fail(Invalid("member.date_future", "日期不能晚于今天", std::string(field)));
  }
  if (*valid < current.joined_on) {
    return Fail(Invalid("member.date_before_joined", "日期不能早于入党日期", std::string(field)));
  }
  return *valid;
}

}  // namespace

Result<boost::json::object> SetMobility(db::Connection& c, const org::SubtreeScope& scope,
                                        const org::Change& change, std::int64_t id,
                                        const Mobility& mobility) {
  auto current = LoadChangeable(c, scope, id);
  if (!current) return Fail(current.error());
  if (!IsMemberStatus(current->status)) {
    return Fail(
        Error::Conflict("member.not_active", "只有正式党员和预备党员才能登记流动", "status"));
  }
  auto before =
      c.Query("SELECT away_since, destination, attached_org_id FROM member WHERE id = $1", {id});
  if (!before) return Fail(before.error());
  boost::json::object was{{"away_since", Nullable(*before, 0, 0)},
                          {"destination", before->Text(0, 1)}};
  was["attached_org_id"] =
      before->IsNull(0, 2) ? boost::json::value(nullptr) : boost::json::value(before->Int(0, 2));
  bool away_now = !before->IsNull(0, 0);
  std::string now = NowShanghaiIso();
  if (mobility.away_since.empty()) {
    // Back home: 流动返回 on change.date.
    if (!away_now) {
      return Fail(Error::Conflict("member.not_away", "该党员没有外出流动登记", "away_since"));
    }
    auto date = EventDate(change.date.empty() ? TodayShanghai() : change.date, *current, "date");
    if (!date) return Fail(date.error());
    if (*date < before->Text(0, 0)) {
      return Fail(Invalid("member.date_before_away", "返回日期不能早于外出日期", "date"));
    }
    auto done = c.Execute(
        "UPDATE member SET away_since = NULL, destination = '', attached_org_id = NULL, "
        "updated_at = $2 WHERE id = $1",
        {id, now});
    if (!done) return Fail(done.error());
    auto event = AddEvent(c, id, "mobile_back", *date, current->org_id, std::nullopt,
                          change.reason.empty() ? std::string("流动返回") : change.reason,
                          change.account_id);
    if (!event) return Fail(event.error());
  } else {
    auto since = EventDate(mobility.away_since, *current, "away_since");
    if (!since) return Fail(since.error());
    if (mobility.destination.empty() || mobility.destination.size() > kMaxText) {
      return Fail(
          Invalid("member.destination_invalid", "请填写流入地（不超过 200 字节）", "destination"));
    }
    db::Value attached = nullptr;
    std::optional<std::int64_t> attached_id;
    if (mobility.attached_org_id) {
      auto org = org::GetOrg(c, org::SubtreeScope::Everything(), *mobility.attached_org_id);
      if (!org || org->status != "active" || !org::IsBranchKind(org->kind)) {
        return Fail(Invalid("member.attached_org_invalid", "流入地党组织应为正常运转的党支部",
                            "attached_org_id"));
      }
      if (org->id == current->org_id) {
        return Fail(Invalid("member.attached_org_is_home", "流入地党组织不能是党员本人所在的党支部",
                            "attached_org_id"));
      }
      attached = org->id;
      attached_id = org->id;
    }
    auto done = c.Execute(
        "UPDATE member SET away_since = $2, destination = $3, attached_org_id = $4, updated_at = "
        "$5 WHERE id = $1",
        {id, *since, mobility.destination, attached, now});
    if (!done) return Fail(done.error());
    if (!away_now) {
      auto event =
          AddEvent(c, id, "mobile_out", *since, current->org_id, attached_id,
                   change.reason.empty() ? "外出流动：" + mobility.destination : change.reason,
                   change.account_id);
      if (!event) return Fail(event.error());
    }
  }
  boost::json::object after{
      {"away_since", mobility.away_since.empty() ? boost::json::value(nullptr)
                                                 : boost::json::value(mobility.away_since)},
      {"destination", mobility.destination}};
  after["attached_org_id"] = mobility.attached_org_id
                                 ? boost::json::value(*mobility.attached_org_id)
                                 : boost::json::value(nullptr);
  auto logged = Audit(c, change, "member.mobility", id,
                      {{"before", std::move(was)}, {"after", std::move(after)}});
  if (!logged) return Fail(logged.error());
  return GetMember(c, scope, id);
}

Result<boost::json::object> SetLostContact(db::Connection& c, const org::SubtreeScope& scope,
                                           const org::Change& change, std::int64_t id,
                                           const std::string& since) {
  auto current = LoadChangeable(c, scope, id);
  if (!current) return Fail(current.error());
  auto before = c.Query("SELECT lost_contact_since FROM member WHERE id = $1", {id});
  if (!before) return Fail(before.error());
  auto was = before->OptionalText(0, 0);
  if (since.empty()) {
    if (!was) {
      return Fail(Error::Conflict("member.not_lost", "该党员没有失联登记", "since"));
    }
    auto date = EventDate(change.date.empty() ? TodayShanghai() : change.date, *current, "date");
    if (!date) return Fail(date.error());
    if (*date < *was) {
      return Fail(Invalid("member.date_before_lost", "恢复联系日期不能早于失联日期", "date"));
    }
    auto done =
        c.Execute("UPDATE member SET lost_contact_since = NULL, updated_at = $2 WHERE id = $1",
                  {id, NowShanghaiIso()});
    if (!done) return Fail(done.error());
    auto event = AddEvent(c, id, "contact_restored", *date, current->org_id, std::nullopt,
                          change.reason.empty() ? std::string("恢复联系") : change.reason,
                          change.account_id);
    if (!event) return Fail(event.error());
  } else {
    if (!IsMemberStatus(current->status)) {
      return Fail(
          Error::Conflict("member.not_active", "只有正式党员和预备党员才登记失联", "status"));
    }
    if (was) {
      return Fail(
          Error::Conflict("member.already_lost", "该党员已于 " + *was + " 登记失联", "since"));
    }
    auto date = EventDate(since, *current, "since");
    if (!date) return Fail(date.error());
    if (change.reason.empty()) {
      return Fail(Invalid("member.reason_missing", "请说明失联情况和已采取的查找措施", "reason"));
    }
    auto done =
        c.Execute("UPDATE member SET lost_contact_since = $2, updated_at = $3 WHERE id = $1",
                  {id, *date, NowShanghaiIso()});
    if (!done) return Fail(done.error());
    auto event = AddEvent(c, id, "lost_contact", *date, current->org_id, std::nullopt,
                          change.reason, change.account_id);
    if (!event) return Fail(event.error());
  }
  boost::json::object detail{
      {"before", {{"lost_contact_since", was ? boost::json::value(*was) : nullptr}}},
      {"after",
       {{"lost_contact_since",
         since.empty() ? boost::json::value(nullptr) : boost::json::value(since)}}}};
  auto logged = Audit(c, change, "member.lost_contact", id, std::move(detail));
  if (!logged) return Fail(logged.error());
  return GetMember(c, scope, id);
}

namespace {

constexpr std::string_view kLastPartyProbation =
    "SELECT kind, happened_on FROM member_event WHERE member_id = $1 AND kind IN "
    "('party_probation', 'party_probation_end') AND happened_on <= $2 ORDER BY happened_on DESC, "
    "id DESC LIMIT 1";

}  // namespace

Result<std::optional<std::string>> PartyProbationOn(db::Connection& c, std::int64_t member_id,
                                                    const std::string& date) {
  auto rows = c.Query(kLastPartyProbation, {member_id, date});
  if (!rows) return Fail(rows.error());
  if (rows->empty() || rows->Text(0, 0) != "party_probation") return std::optional<std::string>();
  return std::optional<std::string>(rows->Text(0, 1));
}

Result<boost::json::object> SetPartyProbation(db::Connection& c, const org::SubtreeScope& scope,
                                              const org::Change& change, std::int64_t id,
                                              const std::string& since) {
  auto current = LoadChangeable(c, scope, id);
  if (!current) return Fail(current.error());
  if (change.reason.empty()) {
    return Fail(Invalid("member.reason_missing", "请填写处分决定或恢复党员权利的决定", "reason"));
  }
  std::string today = TodayShanghai();
  auto was = PartyProbationOn(c, id, today);
  if (!was) return Fail(was.error());
  std::string date;
  if (since.empty()) {
    if (!*was) {
      return Fail(Error::Conflict("member.not_party_probation", "该党员不在留党察看期间", "date"));
    }
    auto valid = EventDate(change.date.empty() ? today : change.date, *current, "date");
    if (!valid) return Fail(valid.error());
    if (*valid <= **was) {
      return Fail(Invalid("member.date_before_probation",
                          "恢复党员权利的日期应晚于留党察看开始日期", "date"));
    }
    date = *valid;
  } else {
    if (current->status != "full") {
      return Fail(Error::Unprocessable("member.not_full", "只有正式党员才能给予留党察看处分",
                                       "status", "中国共产党章程 第四十条"));
    }
    if (*was) {
      return Fail(Error::Conflict("member.already_party_probation",
                                  "该党员已于 " + **was + " 起留党察看", "since"));
    }
    auto valid = EventDate(since, *current, "since");
    if (!valid) return Fail(valid.error());
    date = *valid;
  }
  auto event = AddEvent(c, id, since.empty() ? "party_probation_end" : "party_probation", date,
                        current->org_id, std::nullopt, change.reason, change.account_id);
  if (!event) return Fail(event.error());
  boost::json::object detail{
      {"before", {{"party_probation_since", *was ? boost::json::value(**was) : nullptr}}},
      {"after",
       {{"party_probation_since",
         since.empty() ? boost::json::value(nullptr) : boost::json::value(date)}}}};
  auto logged = Audit(c, change, "member.party_probation", id, std::move(detail));
  if (!logged) return Fail(logged.error());
  return GetMember(c, scope, id);
}

Result<boost::json::array> AttachedMembers(db::Connection& c, const org::SubtreeScope& scope,
                                           std::int64_t org_id) {
  auto org = org::GetOrg(c, scope, org_id);
  if (!org) return Fail(org.error());
  auto rows = c.Query(
      "SELECT m.id, m.name, m.sex, m.status, m.org_id, o.name, m.away_since, m.destination, "
      "m.phone_masked FROM member m JOIN organisation o ON o.id = m.org_id WHERE "
      "m.attached_org_id = $1 AND m.status IN ('full', 'probationary') AND m.departed_on IS NULL "
      "ORDER BY m.away_since, m.id",
      {org_id});
  if (!rows) return Fail(rows.error());
  boost::json::array out;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    std::string sex = rows->Text(i, 2);
    std::string status = rows->Text(i, 3);
    out.push_back(boost::json::object{{"id", rows->Int(i, 0)},
                                      {"name", rows->Text(i, 1)},
                                      {"sex", sex},
                                      {"sex_title", TitleOf(Sexes(), sex)},
                                      {"status", status},
                                      {"status_title", TitleOf(Statuses(), status)},
                                      {"home_org_id", rows->Int(i, 4)},
                                      {"home_org_name", rows->Text(i, 5)},
                                      {"away_since", Nullable(*rows, i, 6)},
                                      {"destination", rows->Text(i, 7)},
                                      {"phone_masked", rows->Text(i, 8)}});
  }
  return out;
}

Result<boost::json::object> UpdateMember(db::Connection& c, const org::SubtreeScope& scope,
                                         const crypto::FieldCipher& cipher,
                                         const org::Change& change, std::int64_t id,
                                         const boost::json::object& body) {
  auto current = LoadChangeable(c, scope, id);
  if (!current) return Fail(current.error());
  for (std::string_view locked : {"id_number", "joined_on", "confirmed_on", "birth_date", "sex",
                                  "org_id", "status", "initials"}) {
    if (body.contains(locked)) {
      return Fail(Invalid(
          "member.field_not_editable",
          std::string(locked) + " 不能在此修改：入党、转正、状态和所在组织通过相应的变动办理",
          std::string(locked)));
    }
  }
  auto row = c.Query(
      "SELECT name, ethnicity, education, degree, occupation, work_unit, household, address, "
      "work_started_on, category, hardship, phone_masked FROM member WHERE id = $1",
      {id});
  if (!row) return Fail(row.error());
  static constexpr std::array kText = {
      "name",      "ethnicity", "education", "degree",          "occupation",
      "work_unit", "household", "address",   "work_started_on", "category"};
  boost::json::object before, after;
  std::vector<std::string> sets;
  std::vector<db::Value> params{id};
  for (std::size_t k = 0; k < kText.size(); ++k) {
    const char* field = kText[k];
    auto value = StringField(body, field, false, 400);
    if (!value) return Fail(value.error());
    if (!*value) continue;
    const std::string& v = **value;
    std::string f(field);
    if (f == "name" && (v.empty() || v.size() > 100)) {
      return Fail(Invalid("member.name_invalid", "姓名不能为空，不超过 100 字节", "name"));
    }
    if (f == "ethnicity" && (v.empty() || v.size() > 32)) {
      return Fail(Invalid("member.ethnicity_invalid", "请填写民族", "ethnicity"));
    }
    if (f == "education" && TitleOf(Educations(), v).empty()) {
      return Fail(
          Invalid("member.education_invalid", "未知的学历：" + v.substr(0, 32), "education"));
    }
    if (f == "category" && TitleOf(Categories(), v).empty()) {
      return Fail(
          Invalid("member.category_invalid", "未知的党员类别：" + v.substr(0, 32), "category"));
    }
    if (f == "work_started_on" && !v.empty() && !ParseIsoDate(v)) {
      return Fail(Invalid("member.work_started_on_invalid", "参加工作日期应为 YYYY-MM-DD 格式",
                          "work_started_on"));
    }
    if (v.size() > kMaxText) {
      return Fail(Invalid("member.text_too_long", f + " 不超过 200 字节", f));
    }
    before[f] = Nullable(*row, 0, k);
    after[f] = v;
    params.emplace_back(f == "work_started_on" ? OptionalText(v) : db::Value(v));
    sets.push_back(f + " = $" + std::to_string(params.size()));
    if (f == "name") {
      params.emplace_back(PinyinInitials(v));
      sets.push_back("initials = $" + std::to_string(params.size()));
    }
  }
  if (const auto* h = body.if_contains("hardship")) {
    if (!h->is_bool()) {
      return Fail(Invalid("request.field_type", "hardship 应为 true 或 false", "hardship"));
    }
    before["hardship"] = row->Int(0, 10) != 0;
    after["hardship"] = h->get_bool();
    params.emplace_back(static_cast<std::int64_t>(h->get_bool() ? 1 : 0));
    sets.push_back("hardship = $" + std::to_string(params.size()));
  }
  auto phone = StringField(body, "phone", false, 32);
  if (!phone) return Fail(phone.error());
  if (*phone) {
    const std::string& p = **phone;
    if (!p.empty() && !IsMobilePhone(p)) {
      return Fail(Invalid("member.phone_invalid", "手机号码应为 1 开头的 11 位数字", "phone"));
    }
    before["phone"] = row->Text(0, 11);
    after["phone"] = MaskPhone(p);
    params.emplace_back(p.empty() ? db::Value(nullptr) : db::Value(db::Blob{cipher.Encrypt(p)}));
    sets.push_back("phone_cipher = $" + std::to_string(params.size()));
    params.emplace_back(p.empty() ? db::Value(nullptr) : db::Value(cipher.BlindIndex(p)));
    sets.push_back("phone_index = $" + std::to_string(params.size()));
    params.emplace_back(MaskPhone(p));
    sets.push_back("phone_masked = $" + std::to_string(params.size()));
  }
  if (sets.empty()) {
    return Fail(Invalid("member.nothing_to_change", "没有可修改的字段", ""));
  }
  params.emplace_back(NowShanghaiIso());
  sets.push_back("updated_at = $" + std::to_string(params.size()));
  std::string sql = "UPDATE member SET ";
  for (std::size_t i = 0; i < sets.size(); ++i) sql += (i ? ", " : "") + sets[i];
  sql += " WHERE id = $1";
  auto done = c.Execute(sql, std::span<const db::Value>(params));
  if (!done) return Fail(done.error());
  // Statistics: ethnicity, education and occupation are counted.
  auto counted = RecountMembers(c, std::array{id});
  if (!counted) return Fail(counted.error());
  auto event =
      AddEvent(c, id, "update", change.date.empty() ? TodayShanghai() : change.date,
               current->org_id, std::nullopt,
               change.reason.empty() ? std::string("信息变更") : change.reason, change.account_id);
  if (!event) return Fail(event.error());
  auto logged = Audit(c, change, "member.update", id,
                      {{"before", std::move(before)}, {"after", std::move(after)}});
  if (!logged) return Fail(logged.error());
  return GetMember(c, scope, id);
}

void InstallTreeHooks() {
  auto& hooks = org::Hooks();
  hooks.subtree_member_counts =
      [](db::Connection& c,
         const std::vector<std::string>& paths) -> Result<std::map<std::string, std::int64_t>> {
    std::map<std::string, std::int64_t> out;
    for (const auto& path : paths) {
      auto rows = c.Query(
          "SELECT COUNT(*) FROM member WHERE org_path >= $1 AND org_path < $2 AND status IN "
          "('full', 'probationary') AND departed_on IS NULL",
          {path, org::SubtreeEnd(path)});
      if (!rows) return Fail(rows.error());
      out[path] = rows->Int(0, 0);
    }
    return out;
  };
  hooks.on_path_change = [](db::Connection& c, const std::string& old_prefix,
                            const std::string& new_prefix,
                            const std::string& date) -> Result<void> {
    // Members keep their branch, whose path changed: for the subtrees they leave and join this
    // is 整建制转出 / 整建制转入, recorded with the old and the new path.
    auto rows = c.Query(
        "SELECT id, org_id, org_path, status, departed_on FROM member WHERE org_path >= $1 AND "
        "org_path < $2",
        {old_prefix, org::SubtreeEnd(old_prefix)});
    if (!rows) return Fail(rows.error());
    for (std::size_t i = 0; i < rows->size(); ++i) {
      std::int64_t id = rows->Int(i, 0);
      std::string old_path = rows->Text(i, 2);
      std::string path = new_prefix + old_path.substr(old_prefix.size());
      auto done = c.Execute("UPDATE member SET org_path = $2 WHERE id = $1", {id, path});
      if (!done) return Fail(done.error());
      if (!IsMemberStatus(rows->Text(i, 3)) || !rows->IsNull(i, 4)) continue;
      for (auto [kind, recorded] : {std::pair{"bulk_out", old_path}, std::pair{"bulk_in", path}}) {
        auto event = c.Execute(kInsertEvent,
                               {id, std::string(kind), date, rows->Int(i, 1), recorded, nullptr,
                                std::string("组织隶属关系调整"), nullptr, NowShanghaiIso()});
        if (!event) return Fail(event.error());
      }
    }
    // Statistics: the subtree's counts leave the holders above its old place for the new ones.
    return MoveSubtreeCounters(c, old_prefix, new_prefix);
  };
  // Statistics: an organisation created, changed, merged, dissolved or electing its committee.
  hooks.after_org_change = [](db::Connection& c,
                              std::span<const std::int64_t> ids) -> Result<void> {
    return RecountOrganisations(c, ids);
  };
  hooks.on_merge = [](db::Connection& c, const org::Change& change, std::int64_t from,
                      std::int64_t into) -> Result<void> {
    auto rows = c.Query(
        "SELECT id FROM member WHERE org_id = $1 AND status IN ('full', 'probationary') AND "
        "departed_on IS NULL ORDER BY id",
        {from});
    if (!rows) return Fail(rows.error());
    for (std::size_t i = 0; i < rows->size(); ++i) {
      auto moved = MoveMember(c, change, rows->Int(i, 0), into, "bulk_out", "bulk_in");
      if (!moved) return Fail(moved.error());
    }
    return {};
  };
}

}  // namespace zhibu::member
