#include "modules/development/case_store.h"

#include <algorithm>

#include "modules/member/member_store.h"
#include "modules/org/vocabulary.h"
#include "platform/identity/id_number.h"
#include "platform/json/json.h"
#include "platform/settings/settings.h"
#include "platform/util/clock.h"
#include "platform/util/date.h"
#include "platform/workflow/history.h"

namespace zhibu::development {
namespace {

constexpr std::string_view kCaseColumns =
    "d.id, d.org_id, o.name, d.org_path, d.name, d.sex, d.birth_date, d.ethnicity, d.education, "
    "d.occupation, d.work_unit, d.category, d.id_number_masked, d.phone_masked, d.status, d.stage, "
    "d.current_step, d.applied_on, d.activist_on, d.target_on, d.admitted_on, d.probation_ends_on, "
    "d.confirmed_on, d.extended_months, d.next_due_step, d.next_due_on, d.member_id, d.closed_on, "
    "d.close_outcome, d.close_reason, d.created_at";
enum CaseColumn {
  kId,
  kOrgId,
  kOrgName,
  kOrgPath,
  kName,
  kSex,
  kBirthDate,
  kEthnicity,
  kEducation,
  kOccupation,
  kWorkUnit,
  kCategory,
  kIdMasked,
  kPhoneMasked,
  kStatus,
  kStage,
  kCurrentStep,
  kAppliedOn,
  kActivistOn,
  kTargetOn,
  kAdmittedOn,
  kProbationEndsOn,
  kConfirmedOn,
  kExtendedMonths,
  kNextDueStep,
  kNextDueOn,
  kMemberId,
  kClosedOn,
  kCloseOutcome,
  kCloseReason,
  kCreatedAt
};

constexpr std::string_view kInsertCase =
    "INSERT INTO development_case (org_id, org_path, name, sex, birth_date, ethnicity, education, "
    "occupation, work_unit, category, id_number_cipher, id_number_index, id_number_masked, "
    "phone_cipher, phone_index, phone_masked, status, stage, current_step, applied_on, "
    "next_due_step, next_due_on, created_at, created_by, updated_at) VALUES ($1, $2, $3, $4, $5, "
    "$6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'open', 'application', 1, $17, $18, $19, "
    "$20, $21, $20) "
    "RETURNING id";
constexpr std::string_view kOpenCaseOf =
    "SELECT id FROM development_case WHERE id_number_index = $1 AND status = 'open'";
constexpr std::string_view kMemberWithNumber =
    "SELECT id FROM member WHERE id_number_index = $1 AND status IN ('full', 'probationary') AND "
    "departed_on IS NULL";
constexpr std::string_view kInsertStep =
    "INSERT INTO development_step (case_id, seq, step, done_on, data, note, recorded_at, "
    "recorded_by, recorded_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
constexpr std::string_view kStepsOf =
    "SELECT seq, step, done_on, data, note, recorded_at, recorded_by_name FROM development_step "
    "WHERE case_id = $1 ORDER BY seq";
constexpr std::string_view kUpdateState =
    "UPDATE development_case SET status = $2, stage = $3, current_step = $4, activist_on = $5, "
    "target_on = $6, admitted_on = $7, probation_ends_on = $8, confirmed_on = $9, "
    "extended_months = $10, next_due_step = $11, next_due_on = $12, updated_at = $13 WHERE id = "
    "$1";
constexpr std::string_view kSetMember = "UPDATE development_case SET member_id = $2 WHERE id = $1";
constexpr std::string_view kSecrets =
    "SELECT id_number_cipher, phone_cipher FROM development_case WHERE id = $1";
constexpr std::string_view kCommitteeOn =
    "SELECT 1 FROM committee WHERE org_id = $1 AND elected_on <= $2";
constexpr std::string_view kMemberFacts =
    "SELECT m.name, s.status, s.org_id FROM member m LEFT JOIN member_span s ON s.member_id = m.id "
    "AND s.valid_from <= $2 AND (s.valid_to IS NULL OR s.valid_to > $2) WHERE m.id = $1";
constexpr std::string_view kFullMembersOn =
    "SELECT s.member_id FROM member_span s WHERE s.org_id = $1 AND s.status = 'full' AND "
    "s.valid_from <= $2 AND (s.valid_to IS NULL OR s.valid_to > $2)";
constexpr std::string_view kGroupsOf =
    "SELECT id FROM organisation WHERE parent_id = $1 AND kind = 'group' AND status = 'active' "
    "ORDER BY id";
constexpr std::string_view kSetGroup =
    "UPDATE member SET group_id = $2, updated_at = $3 WHERE id = $1";
constexpr std::string_view kClose =
    "UPDATE development_case SET status = 'closed', stage = 'closed', next_due_step = NULL, "
    "next_due_on = NULL, closed_on = $2, close_outcome = $3, close_reason = $4, updated_at = $5 "
    "WHERE id = $1";
constexpr std::string_view kPipeline =
    "SELECT d.stage, d.current_step, d.org_path, COUNT(*), SUM(CASE WHEN d.next_due_on < $3 THEN 1 "
    "ELSE 0 END), SUM(CASE WHEN d.next_due_on >= $3 AND d.next_due_on <= $4 THEN 1 ELSE 0 END) "
    "FROM development_case d WHERE d.status = 'open' AND d.org_path >= $1 AND d.org_path < $2 "
    "GROUP BY d.stage, d.current_step, d.org_path";

//! Cases admitted by a 支部大会 in [$3, $4) and approved (a member record made), in a subtree.
constexpr std::string_view kDevelopedIn =
    "SELECT d.sex, d.birth_date, d.education, d.occupation, d.admitted_on FROM development_case d "
    "WHERE d.member_id IS NOT NULL AND d.admitted_on >= $3 AND d.admitted_on < $4 AND d.org_path "
    ">= $1 AND d.org_path < $2";

const std::array<std::pair<std::string_view, std::string_view>, 5> kPipelineStages = {{
    {"application", "申请人"},
    {"activist", "入党积极分子"},
    {"target", "发展对象"},
    {"probationary", "预备党员"},
    {"converted", "已转正待归档"},
}};

Error NotFound() {
  return Error::NotFound("development.case_not_found", "发展党员档案不存在或不在您的管理范围内");
}

db::Value OptionalText(const std::optional<std::string>& text) {
  return text ? db::Value(*text) : db::Value(nullptr);
}

std::string StageTitle(std::string_view stage) {
  for (auto [id, title] : kPipelineStages) {
    if (id == stage) return std::string(title);
  }
  if (stage == "completed") return "已完成";
  if (stage == "closed") return "已终止";
  return std::string(stage);
}

std::string StepTitleOf(int number) {
  const auto* s = AdmissionTable().Find(number);
  return s ? s->title : std::string();
}

std::string SoonDate(const std::string& today,
                     const std::map<std::string, std::int64_t>& settings) {
  auto day = ParseIsoDate(today);
  int soon = 7;
  if (auto f = settings.find(std::string(kDueSoonDays)); f != settings.end()) {
    soon = static_cast<int>(f->second);
  }
  if (!day) return today;
  return FormatIsoDate(
      std::chrono::year_month_day(std::chrono::sys_days(*day) + std::chrono::days(soon)));
}

Result<std::vector<workflow::StepRecord>> LoadHistory(db::Connection& c, std::int64_t id,
                                                      boost::json::array* timeline) {
  return workflow::LoadHistory(c, kStepsOf, id, AdmissionTable(), timeline);
}

//! The case row `id` inside the scope.
Result<db::ResultSet> CaseRow(db::Connection& c, const org::SubtreeScope& scope, std::int64_t id) {
  std::vector<db::Value> params{id};
  std::string sql = "SELECT " + std::string(kCaseColumns) +
                    " FROM development_case d JOIN organisation o ON o.id = d.org_id WHERE d.id = "
                    "$1 AND " +
                    scope.Condition("d.org_path", params);
  auto rows = c.Query(sql, std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return Fail(NotFound());
  return rows;
}

boost::json::value OptionalJson(const db::ResultSet& rows, std::size_t row, std::size_t col) {
  auto text = rows.OptionalText(row, col);
  return text ? boost::json::value(*text) : boost::json::value(nullptr);
}

boost::json::object SummaryJson(const db::ResultSet& rows, std::size_t i, const std::string& today,
                                const std::map<std::string, std::int64_t>& settings) {
  int step = static_cast<int>(rows.Int(i, kCurrentStep));
  boost::json::value due = nullptr;
  if (auto due_on = rows.OptionalText(i, kNextDueOn)) {
    int due_step = static_cast<int>(rows.OptionalInt(i, kNextDueStep).value_or(0));
    int soon = 7;
    if (auto f = settings.find(std::string(kDueSoonDays)); f != settings.end()) {
      soon = static_cast<int>(f->second);
    }
    due = boost::json::object{{"step", due_step},
                              {"step_title", StepTitleOf(due_step)},
                              {"due_on", *due_on},
                              {"state", workflow::DueState(*due_on, today, soon)}};
  }
  std::string stage = rows.Text(i, kStage);
  return {{"id", rows.Int(i, kId)},
          {"name", rows.Text(i, kName)},
          {"sex", rows.Text(i, kSex)},
          {"birth_date", rows.Text(i, kBirthDate)},
          {"org_id", rows.Int(i, kOrgId)},
          {"org_name", rows.Text(i, kOrgName)},
          {"status", rows.Text(i, kStatus)},
          {"stage", stage},
          {"stage_title", StageTitle(stage)},
          {"current_step", step},
          {"current_step_title", StepTitleOf(step)},
          {"applied_on", rows.Text(i, kAppliedOn)},
          {"member_id", rows.OptionalInt(i, kMemberId)
                            ? boost::json::value(*rows.OptionalInt(i, kMemberId))
                            : boost::json::value(nullptr)},
          {"due", due}};
}

//! The documents of the table and whether the case has reached the step that yields each.
boost::json::array DocumentsJson(const std::vector<workflow::StepRecord>& history) {
  boost::json::array out;
  for (const auto& step : AdmissionTable().steps) {
    for (const auto& d : step.documents) {
      bool available = workflow::Latest(history, step.number) != nullptr;
      out.push_back({{"id", d.id},
                     {"title", d.title},
                     {"step", step.number},
                     {"available", available},
                     {"format", "docx"}});
    }
  }
  return out;
}

//! What the gates of `step` judge, from the database: the branch's committee on the date, the
//! members named, the branch's voters on the date, its 党小组.
Result<boost::json::object> GatherFacts(db::Connection& c, std::int64_t org_id, int step,
                                        const boost::json::object& data,
                                        const std::string& done_on) {
  boost::json::object facts;
  if (step == kActivist) {
    auto rows = c.Query(kCommitteeOn, {org_id, done_on});
    if (!rows) return Fail(rows.error());
    facts["has_committee"] = !rows->empty();
  }
  for (std::string_view field : {"contact_ids", "sponsor_ids"}) {
    const auto* ids = data.if_contains(field);
    if (ids == nullptr || !ids->is_array()) continue;
    boost::json::object members;
    for (const auto& v : ids->as_array()) {
      std::int64_t id = v.to_number<std::int64_t>();
      auto rows = c.Query(kMemberFacts, {id, done_on});
      if (!rows) return Fail(rows.error());
      if (rows->empty()) continue;
      auto probation = member::PartyProbationOn(c, id, done_on);
      if (!probation) return Fail(probation.error());
      members[std::to_string(id)] = {
          {"name", rows->Text(0, 0)},
          {"status", rows->IsNull(0, 1) ? "" : rows->Text(0, 1)},
          {"in_branch", !rows->IsNull(0, 2) && rows->Int(0, 2) == org_id},
          {"party_probation", probation->has_value()}};
    }
    facts["members"] = std::move(members);
  }
  if (step == kAdmissionMeeting || step == kConversionMeeting) {
    auto eligible = EligibleVoters(c, org_id, done_on);
    if (!eligible) return Fail(eligible.error());
    facts["eligible_voters"] = *eligible;
  }
  if (step == kPlacement) {
    auto rows = c.Query(kGroupsOf, {org_id});
    if (!rows) return Fail(rows.error());
    boost::json::array groups;
    for (std::size_t i = 0; i < rows->size(); ++i) groups.push_back(rows->Int(i, 0));
    facts["groups"] = std::move(groups);
  }
  return facts;
}

Result<void> WriteState(db::Connection& c, std::int64_t id, const CaseState& s) {
  auto done = c.Execute(
      kUpdateState,
      {id, s.status, s.stage, static_cast<std::int64_t>(s.current_step),
       OptionalText(s.dates.activist_on), OptionalText(s.dates.target_on),
       OptionalText(s.dates.admitted_on), OptionalText(s.dates.probation_ends_on),
       OptionalText(s.dates.confirmed_on), static_cast<std::int64_t>(s.dates.extended_months),
       s.next_due ? db::Value(static_cast<std::int64_t>(s.next_due->step)) : db::Value(nullptr),
       s.next_due ? db::Value(s.next_due->due_on) : db::Value(nullptr), NowShanghaiIso()});
  if (!done) return Fail(done.error());
  return {};
}

//! Step 17: the member record from the case — probationary from the 支部大会 date (入党时间; dues
//! are due from that month, spec 05) in the case's branch.
Result<std::int64_t> AdmitMember(db::Connection& c, const org::SubtreeScope& scope,
                                 const crypto::FieldCipher& cipher, const org::Change& change,
                                 const db::ResultSet& row, const std::string& admitted_on,
                                 const std::string& today) {
  std::int64_t id = row.Int(0, kId);
  auto secrets = c.Query(kSecrets, {id});
  if (!secrets) return Fail(secrets.error());
  auto number = cipher.Decrypt(secrets->Bytes(0, 0).bytes);
  if (!number) return Fail(number.error());
  std::string phone;
  if (!secrets->IsNull(0, 1)) {
    auto clear = cipher.Decrypt(secrets->Bytes(0, 1).bytes);
    if (!clear) return Fail(clear.error());
    phone = *clear;
  }
  member::MemberInput in;
  in.org_id = row.Int(0, kOrgId);
  in.name = row.Text(0, kName);
  in.id_number = *number;
  in.phone = phone;
  in.ethnicity = row.Text(0, kEthnicity);
  in.education = row.Text(0, kEducation);
  in.occupation = row.Text(0, kOccupation);
  in.work_unit = row.Text(0, kWorkUnit);
  in.category = row.Text(0, kCategory);
  in.joined_on = admitted_on;
  in.event_kind = "develop";
  in.event_date = admitted_on;
  in.reason = "发展党员：支部大会 " + admitted_on + " 通过，上级党委批准（发展党员档案 " +
              std::to_string(id) + "）";
  auto prepared = member::PrepareMember(in, today);
  if (!prepared) return Fail(prepared.error());
  return member::CreateMember(c, scope, cipher, change, *prepared);
}

//! Step 24: gives effect to the 支部大会's outcome in the registry.
Result<void> ConversionEffect(db::Connection& c, const org::SubtreeScope& scope,
                              const org::Change& change, std::int64_t member_id,
                              const std::vector<workflow::StepRecord>& history,
                              const std::string& approved_on) {
  const auto* meeting = workflow::Latest(history, kConversionMeeting);
  if (meeting == nullptr) return {};
  const auto* outcome_value = meeting->data.if_contains("outcome");
  std::string outcome = outcome_value ? std::string(outcome_value->as_string()) : "";
  auto dates = KeyDatesOf(history);
  org::Change effect = change;
  if (outcome == "on_time") {
    effect.date = *dates.probation_ends_on;
    effect.reason =
        "按期转为正式党员（支部大会 " + meeting->done_on + "，上级党委 " + approved_on + " 批准）";
    auto done = member::ChangeStatus(c, scope, effect, member_id, "full", "");
    if (!done) return Fail(done.error());
  } else if (outcome == "cancel") {
    effect.date = approved_on;
    effect.reason =
        "取消预备党员资格（支部大会 " + meeting->done_on + "，上级党委 " + approved_on + " 批准）";
    auto done = member::ChangeStatus(c, scope, effect, member_id, "exited", "probation_cancelled");
    if (!done) return Fail(done.error());
  } else if (outcome == "extend") {
    auto org = c.Query("SELECT org_id FROM member WHERE id = $1", {member_id});
    if (!org) return Fail(org.error());
    auto added = member::AddEvent(
        c, member_id, "extend_probation", approved_on, org->Int(0, 0), std::nullopt,
        "延长预备期 " + std::to_string(dates.extended_months) + " 个月，至 " +
            dates.probation_ends_on.value_or("") + "（支部大会 " + meeting->done_on + "）",
        change.account_id);
    if (!added) return Fail(added.error());
  }
  return {};
}

}  // namespace

std::string DefaultCategory(std::string_view domain) {
  for (std::string_view same : {"rural", "community", "government", "private", "retired"}) {
    if (domain == same) return std::string(domain);
  }
  return "";
}

Result<std::int64_t> EligibleVoters(db::Connection& c, std::int64_t org_id,
                                    const std::string& date) {
  auto rows = c.Query(kFullMembersOn, {org_id, date});
  if (!rows) return Fail(rows.error());
  std::int64_t eligible = 0;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    auto probation = member::PartyProbationOn(c, rows->Int(i, 0), date);
    if (!probation) return Fail(probation.error());
    if (!probation->has_value()) ++eligible;
  }
  return eligible;
}

Result<std::int64_t> StoreCase(db::Connection& c, const crypto::FieldCipher& cipher,
                               const org::Change& change, const StoredCase& stored,
                               const std::map<std::string, std::int64_t>& settings,
                               const std::string& today) {
  const CaseInput& in = stored.person;
  std::string now = NowShanghaiIso();
  auto inserted = c.Query(
      kInsertCase,
      {in.org_id,
       stored.org_path,
       in.name,
       stored.sex,
       stored.birth_date,
       in.ethnicity,
       in.education,
       in.occupation,
       in.work_unit,
       in.category,
       db::Blob{cipher.Encrypt(stored.id_number)},
       cipher.BlindIndex(stored.id_number),
       identity::MaskIdNumber(stored.id_number),
       in.phone.empty() ? db::Value(nullptr) : db::Value(db::Blob{cipher.Encrypt(in.phone)}),
       in.phone.empty() ? db::Value(nullptr) : db::Value(cipher.BlindIndex(in.phone)),
       member::MaskPhone(in.phone),
       stored.history.front().done_on,
       nullptr,
       nullptr,
       now,
       change.account_id ? db::Value(*change.account_id) : db::Value(nullptr)});
  if (!inserted) return Fail(inserted.error());
  std::int64_t id = inserted->Int(0, 0);
  std::int64_t seq = 0;
  for (const auto& r : stored.history) {
    auto step = workflow::AppendStep(c, kInsertStep, id, ++seq, r, std::string(), now,
                                     {change.account_id, change.actor.name});
    if (!step) return Fail(step.error());
  }
  if (stored.member_id) {
    auto linked = c.Execute(kSetMember, {id, *stored.member_id});
    if (!linked) return Fail(linked.error());
  }
  auto written = WriteState(c, id, StateOf(stored.history, settings, today));
  if (!written) return Fail(written.error());
  return id;
}

Result<std::map<std::string, std::int64_t>> LoadSettings(db::Connection& c) {
  std::map<std::string, std::int64_t> out;
  for (std::string_view key :
       {kActivistMinApplicationMonths, kDueSoonDays, kPublicNoticeWorkdays}) {
    auto value = settings::Integer(c, key);
    if (!value) return Fail(value.error());
    out[std::string(key)] = *value;
  }
  return out;
}

CaseState StateOf(const std::vector<workflow::StepRecord>& history,
                  const std::map<std::string, std::int64_t>& settings, const std::string& today) {
  CaseState s;
  s.stage = StageOf(history);
  s.status = s.stage == "completed" ? "completed" : s.stage == "closed" ? "closed" : "open";
  s.current_step = history.empty() ? 0 : history.back().number;
  s.dates = KeyDatesOf(history);
  if (s.status == "open") {
    auto deadlines = CaseDeadlines(history, settings, today);
    if (!deadlines.empty()) s.next_due = deadlines.front();
  }
  return s;
}

Result<boost::json::object> CreateCase(db::Connection& c, const org::SubtreeScope& scope,
                                       const crypto::FieldCipher& cipher, const org::Change& change,
                                       const CaseInput& in, const std::string& today) {
  auto applied = RequireIsoDate(in.applied_on, "applied_on", "申请日期");
  if (!applied) return Fail(applied.error());
  if (*applied > today) {
    return Fail(
        Error::Invalid("development.applied_on_future", "申请日期不能晚于今天", "applied_on"));
  }
  auto number = identity::ParseIdNumber(in.id_number, today);
  if (!number) {
    Error e = number.error();
    e.field = "id_number";
    return Fail(std::move(e));
  }
  // 党章 第一条 first, so that an applicant under 18 hears that rule, not the registry's.
  std::vector<workflow::StepRecord> none;
  workflow::StepRecord first{kApplication, *applied, {}};
  boost::json::object facts{{"birth_date", number->birth_date}};
  auto settings = LoadSettings(c);
  if (!settings) return Fail(settings.error());
  const auto& table = AdmissionTable();
  auto checked = workflow::Check(
      table, workflow::Attempt{*table.Find(kApplication), none, first, facts, *settings, today});
  if (!checked) return Fail(checked.error());
  auto org = org::GetOrg(c, scope, in.org_id);
  if (!org) {
    Error e = org.error();
    if (e.kind == ErrorKind::kNotFound) e.field = "org_id";
    return Fail(std::move(e));
  }
  if (org->status != "active" || !org::IsBranchKind(org->kind)) {
    return Fail(Error::Invalid("development.org_invalid", "org_id：入党申请应由在用的党支部接收",
                               "org_id"));
  }
  std::string category = in.category.empty() ? DefaultCategory(org->domain) : in.category;
  // The person's fields are validated as the member record they will become.
  member::MemberInput as_member;
  as_member.org_id = in.org_id;
  as_member.name = in.name;
  as_member.id_number = number->number;
  as_member.phone = in.phone;
  as_member.ethnicity = in.ethnicity;
  as_member.education = in.education;
  as_member.occupation = in.occupation;
  as_member.work_unit = in.work_unit;
  as_member.category = category;
  as_member.joined_on = *applied;
  auto prepared = member::PrepareMember(as_member, today);
  if (!prepared) return Fail(prepared.error());
  std::string index = cipher.BlindIndex(prepared->id_number);
  auto open = c.Query(kOpenCaseOf, {index});
  if (!open) return Fail(open.error());
  if (!open->empty()) {
    return Fail(Error::Conflict(
        "development.duplicate_case",
        "此人已有正在办理的发展党员档案（编号 " + std::to_string(open->Int(0, 0)) + "）",
        "id_number"));
  }
  auto member = c.Query(kMemberWithNumber, {index});
  if (!member) return Fail(member.error());
  if (!member->empty()) {
    return Fail(
        Error::Conflict("development.already_member", "此人已是党员，无需发展", "id_number"));
  }
  std::vector<workflow::StepRecord> history{first};
  auto state = StateOf(history, *settings, today);
  std::string now = NowShanghaiIso();
  auto inserted = c.Query(
      kInsertCase,
      {in.org_id,
       org->path,
       in.name,
       prepared->sex,
       prepared->birth_date,
       in.ethnicity,
       in.education,
       in.occupation,
       in.work_unit,
       category,
       db::Blob{cipher.Encrypt(prepared->id_number)},
       index,
       identity::MaskIdNumber(prepared->id_number),
       in.phone.empty() ? db::Value(nullptr) : db::Value(db::Blob{cipher.Encrypt(in.phone)}),
       in.phone.empty() ? db::Value(nullptr) : db::Value(cipher.BlindIndex(in.phone)),
       member::MaskPhone(in.phone),
       *applied,
       state.next_due ? db::Value(static_cast<std::int64_t>(state.next_due->step))
                      : db::Value(nullptr),
       state.next_due ? db::Value(state.next_due->due_on) : db::Value(nullptr),
       now,
       change.account_id ? db::Value(*change.account_id) : db::Value(nullptr)});
  if (!inserted) return Fail(inserted.error());
  std::int64_t id = inserted->Int(0, 0);
  auto step = workflow::AppendStep(c, kInsertStep, id, 1, first, in.note, now,
                                   {change.account_id, change.actor.name});
  if (!step) return Fail(step.error());
  auto recorded = org::AuditChangeAndTouch(
      c, change, "development.case.create", "development_case:" + std::to_string(id),
      {{"org_id", in.org_id}, {"applied_on", *applied}}, org->path);
  if (!recorded) return Fail(recorded.error());
  return GetCase(c, scope, id, today);
}

Result<boost::json::object> GetCase(db::Connection& c, const org::SubtreeScope& scope,
                                    std::int64_t id, const std::string& today) {
  auto rows = CaseRow(c, scope, id);
  if (!rows) return Fail(rows.error());
  auto settings = LoadSettings(c);
  if (!settings) return Fail(settings.error());
  boost::json::array timeline;
  auto history = LoadHistory(c, id, &timeline);
  if (!history) return Fail(history.error());
  auto out = SummaryJson(*rows, 0, today, *settings);
  out["ethnicity"] = rows->Text(0, kEthnicity);
  out["education"] = rows->Text(0, kEducation);
  out["occupation"] = rows->Text(0, kOccupation);
  out["work_unit"] = rows->Text(0, kWorkUnit);
  out["id_number"] = rows->Text(0, kIdMasked);
  out["phone"] = rows->Text(0, kPhoneMasked);
  out["org"] = {{"id", rows->Int(0, kOrgId)}, {"name", rows->Text(0, kOrgName)}};
  out["activist_on"] = OptionalJson(*rows, 0, kActivistOn);
  out["target_on"] = OptionalJson(*rows, 0, kTargetOn);
  out["admitted_on"] = OptionalJson(*rows, 0, kAdmittedOn);
  out["probation_ends_on"] = OptionalJson(*rows, 0, kProbationEndsOn);
  out["confirmed_on"] = OptionalJson(*rows, 0, kConfirmedOn);
  out["extended_months"] = rows->Int(0, kExtendedMonths);
  out["closed_on"] = OptionalJson(*rows, 0, kClosedOn);
  out["close_outcome"] = OptionalJson(*rows, 0, kCloseOutcome);
  out["close_reason"] = rows->Text(0, kCloseReason);
  boost::json::array next;
  if (rows->Text(0, kStatus) == "open") {
    for (int n : workflow::NextSteps(AdmissionTable(), *history)) next.push_back(n);
  }
  out["next_steps"] = std::move(next);
  boost::json::array deadlines;
  if (rows->Text(0, kStatus) == "open") {
    for (const auto& d : CaseDeadlines(*history, *settings, today)) {
      deadlines.push_back({{"step", d.step},
                           {"step_title", d.step_title},
                           {"due_on", d.due_on},
                           {"state", d.state},
                           {"source", d.source}});
    }
  }
  out["deadlines"] = std::move(deadlines);
  out["steps"] = std::move(timeline);
  out["documents"] = DocumentsJson(*history);
  return out;
}

Result<boost::json::object> ListCases(db::Connection& c, const org::SubtreeScope& scope,
                                      const CaseQuery& query, const std::string& today) {
  std::vector<db::Value> params;
  std::string where = scope.Condition("d.org_path", params);
  if (query.org_id) {
    auto org = org::GetOrg(c, scope, *query.org_id);
    if (!org) return Fail(org.error());
    params.emplace_back(org->path);
    where += " AND d.org_path >= $" + std::to_string(params.size());
    params.emplace_back(org::SubtreeEnd(org->path));
    where += " AND d.org_path < $" + std::to_string(params.size());
  }
  if (query.status != "all") {
    if (query.status != "open" && query.status != "completed" && query.status != "closed") {
      return Fail(Error::Invalid("development.status_invalid",
                                 "status：应为 open、completed、closed 或 all", "status"));
    }
    params.emplace_back(query.status);
    where += " AND d.status = $" + std::to_string(params.size());
  }
  if (!query.stage.empty()) {
    params.emplace_back(query.stage);
    where += " AND d.stage = $" + std::to_string(params.size());
  }
  if (query.step) {
    params.emplace_back(static_cast<std::int64_t>(*query.step));
    where += " AND d.current_step = $" + std::to_string(params.size());
  }
  if (!query.q.empty()) {
    params.emplace_back(query.q);
    where += " AND d.name >= $" + std::to_string(params.size());
    params.emplace_back(query.q + "\xef\xbf\xbf");
    where += " AND d.name < $" + std::to_string(params.size());
  }
  auto settings = LoadSettings(c);
  if (!settings) return Fail(settings.error());
  if (!query.due.empty()) {
    if (query.due != "overdue" && query.due != "due_soon") {
      return Fail(
          Error::Invalid("development.due_invalid", "due：应为 due_soon 或 overdue", "due"));
    }
    params.emplace_back(today);
    if (query.due == "overdue") {
      where += " AND d.next_due_on < $" + std::to_string(params.size());
    } else {
      where += " AND d.next_due_on >= $" + std::to_string(params.size());
      params.emplace_back(SoonDate(today, *settings));
      where += " AND d.next_due_on <= $" + std::to_string(params.size());
    }
  }
  auto total = c.Query("SELECT COUNT(*) FROM development_case d WHERE " + where,
                       std::span<const db::Value>(params));
  if (!total) return Fail(total.error());
  std::string sql = "SELECT " + std::string(kCaseColumns) +
                    " FROM development_case d JOIN organisation o ON o.id = d.org_id WHERE " +
                    where +
                    " ORDER BY CASE WHEN d.next_due_on IS NULL THEN 1 ELSE 0 END, d.next_due_on, "
                    "d.id LIMIT " +
                    std::to_string(query.page_size) + " OFFSET " +
                    std::to_string((query.page - 1) * query.page_size);
  auto rows = c.Query(sql, std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  boost::json::array items;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    items.push_back(SummaryJson(*rows, i, today, *settings));
  }
  return boost::json::object{{"items", std::move(items)},
                             {"total", total->Int(0, 0)},
                             {"page", query.page},
                             {"page_size", query.page_size}};
}

Result<boost::json::object> RecordStep(db::Connection& c, const org::SubtreeScope& scope,
                                       const crypto::FieldCipher& cipher, const org::Change& change,
                                       std::int64_t id, const boost::json::object& body,
                                       const std::string& today) {
  auto row = CaseRow(c, scope, id);
  if (!row) return Fail(row.error());
  if (row->Text(0, kStatus) != "open") {
    return Fail(Error::Conflict("development.case_ended", "该档案已办结或已终止，不能再办理"));
  }
  const auto& table = AdmissionTable();
  auto request = workflow::ReadStepRequest(body, table, kApplication + 1, "development");
  if (!request) return Fail(request.error());
  const auto* spec = request->spec;
  const std::string& done_on = request->done_on;
  auto note = workflow::StepNote(body, "development");
  if (!note) return Fail(note.error());
  auto data = workflow::ValidateFields(*spec, body, today);
  if (!data) return Fail(data.error());
  auto history = LoadHistory(c, id, nullptr);
  if (!history) return Fail(history.error());
  auto settings = LoadSettings(c);
  if (!settings) return Fail(settings.error());
  std::int64_t org_id = row->Int(0, kOrgId);
  auto facts = GatherFacts(c, org_id, spec->number, *data, done_on);
  if (!facts) return Fail(facts.error());
  workflow::StepRecord proposed{spec->number, done_on, *data};
  auto checked = workflow::Check(
      table, workflow::Attempt{*spec, *history, proposed, *facts, *settings, today});
  if (!checked) return Fail(checked.error());

  std::string now = NowShanghaiIso();
  auto inserted =
      workflow::AppendStep(c, kInsertStep, id, static_cast<std::int64_t>(history->size() + 1),
                           proposed, *note, now, {change.account_id, change.actor.name});
  if (!inserted) return Fail(inserted.error());
  history->push_back(proposed);

  auto member_id = row->OptionalInt(0, kMemberId);
  if (spec->number == kApproval) {
    auto admitted = AdmitMember(c, scope, cipher, change, *row,
                                KeyDatesOf(*history).admitted_on.value_or(done_on), today);
    if (!admitted) return Fail(admitted.error());
    member_id = *admitted;
    auto linked = c.Execute(kSetMember, {id, *member_id});
    if (!linked) return Fail(linked.error());
  }
  if (spec->number == kPlacement && member_id && data->if_contains("group_id") != nullptr) {
    auto placed = c.Execute(kSetGroup, {*member_id, data->at("group_id").as_int64(), now});
    if (!placed) return Fail(placed.error());
  }
  if (spec->number == kConversionApproval && member_id) {
    auto effect = ConversionEffect(c, scope, change, *member_id, *history, done_on);
    if (!effect) return Fail(effect.error());
  }
  auto written = WriteState(c, id, StateOf(*history, *settings, today));
  if (!written) return Fail(written.error());
  boost::json::object detail{{"step", spec->number}, {"done_on", done_on}, {"data", *data}};
  auto recorded = org::AuditChangeAndTouch(c, change, "development.step." + spec->id,
                                           "development_case:" + std::to_string(id),
                                           std::move(detail), row->Text(0, kOrgPath));
  if (!recorded) return Fail(recorded.error());
  return GetCase(c, scope, id, today);
}

Result<boost::json::object> CloseCase(db::Connection& c, const org::SubtreeScope& scope,
                                      const org::Change& change, std::int64_t id,
                                      const std::string& closed_on, const std::string& outcome,
                                      const std::string& reason, const std::string& today) {
  auto row = CaseRow(c, scope, id);
  if (!row) return Fail(row.error());
  if (row->Text(0, kStatus) != "open") {
    return Fail(Error::Conflict("development.case_ended", "该档案已办结或已终止"));
  }
  if (!row->IsNull(0, kMemberId)) {
    return Fail(Error::Conflict(
        "development.case_admitted",
        "已接收为预备党员：预备期的结果由支部大会讨论（第23步：延长预备期或取消预备党员资格）"));
  }
  auto date = RequireIsoDate(closed_on, "closed_on", "终止日期");
  if (!date) return Fail(date.error());
  if (*date > today) {
    return Fail(
        Error::Invalid("development.closed_on_future", "终止日期不能晚于今天", "closed_on"));
  }
  auto history = LoadHistory(c, id, nullptr);
  if (!history) return Fail(history.error());
  if (!history->empty() && *date < history->back().done_on) {
    return Fail(Error::Invalid("development.closed_on_before_last",
                               "终止日期不能早于最后一步的日期 " + history->back().done_on,
                               "closed_on"));
  }
  if (outcome != "withdrawn" && outcome != "not_admitted" && outcome != "moved_away") {
    return Fail(Error::Invalid("development.outcome_invalid",
                               "outcome：应为 withdrawn（本人撤回）、not_admitted（未通过）或 "
                               "moved_away（调离，档案转出）",
                               "outcome"));
  }
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Fail(Error::Invalid("development.reason_missing", "reason：请写明终止的原因", "reason"));
  }
  auto done = c.Execute(kClose, {id, *date, outcome, reason, NowShanghaiIso()});
  if (!done) return Fail(done.error());
  auto recorded = org::AuditChangeAndTouch(
      c, change, "development.case.close", "development_case:" + std::to_string(id),
      {{"closed_on", *date}, {"outcome", outcome}, {"reason", reason}}, row->Text(0, kOrgPath));
  if (!recorded) return Fail(recorded.error());
  return GetCase(c, scope, id, today);
}

Result<boost::json::object> Pipeline(db::Connection& c, const org::SubtreeScope& scope,
                                     std::optional<std::int64_t> org_id, const std::string& today) {
  org::OrgRecord root;
  if (org_id) {
    auto org = org::GetOrg(c, scope, *org_id);
    if (!org) return Fail(org.error());
    root = *org;
  } else {
    auto roots = org::ScopeRoots(c, scope);
    if (!roots) return Fail(roots.error());
    if (roots->empty()) {
      return Fail(Error::Invalid("development.org_missing", "org：请指定组织", "org"));
    }
    root = roots->front();
  }
  auto settings = LoadSettings(c);
  if (!settings) return Fail(settings.error());
  auto rows = c.Query(kPipeline,
                      {root.path, org::SubtreeEnd(root.path), today, SoonDate(today, *settings)});
  if (!rows) return Fail(rows.error());
  auto children = org::ChildrenOf(c, scope, root.id);
  if (!children) return Fail(children.error());

  struct Count {
    std::int64_t count = 0, overdue = 0, due_soon = 0;
    void Add(std::int64_t n, std::int64_t o, std::int64_t s) {
      count += n;
      overdue += o;
      due_soon += s;
    }
  };
  std::map<std::string, Count> by_stage;
  std::map<int, Count> by_step;
  std::vector<std::map<std::string, std::int64_t>> by_child(children->size());
  std::int64_t open_cases = 0;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    std::string stage = rows->Text(i, 0);
    int step = static_cast<int>(rows->Int(i, 1));
    std::string path = rows->Text(i, 2);
    std::int64_t n = rows->Int(i, 3);
    std::int64_t overdue = rows->IsNull(i, 4) ? 0 : rows->Int(i, 4);
    std::int64_t soon = rows->IsNull(i, 5) ? 0 : rows->Int(i, 5);
    by_stage[stage].Add(n, overdue, soon);
    by_step[step].Add(n, overdue, soon);
    open_cases += n;
    for (std::size_t k = 0; k < children->size(); ++k) {
      if (path.starts_with((*children)[k].path)) by_child[k][stage] += n;
    }
  }
  boost::json::array stages;
  for (auto [id, title] : kPipelineStages) {
    Count n = by_stage[std::string(id)];
    stages.push_back({{"id", id},
                      {"title", title},
                      {"count", n.count},
                      {"due_soon", n.due_soon},
                      {"overdue", n.overdue}});
  }
  boost::json::array steps;
  for (const auto& s : AdmissionTable().steps) {
    Count n = by_step[s.number];
    steps.push_back({{"number", s.number},
                     {"title", s.title},
                     {"stage", s.stage},
                     {"count", n.count},
                     {"due_soon", n.due_soon},
                     {"overdue", n.overdue}});
  }
  boost::json::array child_json;
  for (std::size_t k = 0; k < children->size(); ++k) {
    boost::json::object counts;
    std::int64_t total = 0;
    for (auto [id, title] : kPipelineStages) {
      std::int64_t n = by_child[k][std::string(id)];
      counts[id] = n;
      total += n;
    }
    child_json.push_back({{"id", (*children)[k].id},
                          {"name", (*children)[k].name},
                          {"kind", (*children)[k].kind},
                          {"stages", std::move(counts)},
                          {"open_cases", total}});
  }
  return boost::json::object{{"org", {{"id", root.id}, {"name", root.name}}},
                             {"as_of", today},
                             {"stages", std::move(stages)},
                             {"steps", std::move(steps)},
                             {"children", std::move(child_json)},
                             {"open_cases", open_cases}};
}

Result<boost::json::object> YearStatistics(db::Connection& c, const org::SubtreeScope& scope,
                                           std::optional<std::int64_t> org_id, int year) {
  if (year < 1921 || year > 2199) {
    return Fail(Error::Invalid("development.year_invalid", "year：应为四位年份", "year"));
  }
  org::OrgRecord root;
  if (org_id) {
    auto org = org::GetOrg(c, scope, *org_id);
    if (!org) return Fail(org.error());
    root = *org;
  } else {
    auto roots = org::ScopeRoots(c, scope);
    if (!roots) return Fail(roots.error());
    if (roots->empty()) {
      return Fail(Error::Invalid("development.org_missing", "org：请指定组织", "org"));
    }
    root = roots->front();
  }
  std::string from = std::to_string(year) + "-01-01";
  std::string to = std::to_string(year + 1) + "-01-01";
  auto rows = c.Query(kDevelopedIn, {root.path, org::SubtreeEnd(root.path), from, to});
  if (!rows) return Fail(rows.error());
  std::map<std::string, std::int64_t> by_sex, by_education, by_occupation;
  std::int64_t young = 0;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    ++by_sex[rows->Text(i, 0)];
    ++by_education[rows->Text(i, 2).empty() ? "unknown" : rows->Text(i, 2)];
    ++by_occupation[rows->Text(i, 3).empty() ? "未填" : rows->Text(i, 3)];
    auto born = ParseIsoDate(rows->Text(i, 1));
    auto admitted = ParseIsoDate(rows->Text(i, 4));
    if (born && admitted && WholeYearsBetween(*born, *admitted) <= 35) ++young;
  }
  auto counts = [](const std::map<std::string, std::int64_t>& m) {
    boost::json::array out;
    for (const auto& [k, n] : m) out.push_back({{"id", k}, {"count", n}});
    return out;
  };
  std::int64_t total = static_cast<std::int64_t>(rows->size());
  return boost::json::object{{"org", {{"id", root.id}, {"name", root.name}}},
                             {"year", year},
                             {"developed", total},
                             {"aged_35_and_under", young},
                             {"female", by_sex["female"]},
                             {"by_sex", counts(by_sex)},
                             {"by_education", counts(by_education)},
                             {"by_occupation", counts(by_occupation)}};
}

Result<CaseFile> LoadCaseFile(db::Connection& c, const org::SubtreeScope& scope, std::int64_t id) {
  auto rows = CaseRow(c, scope, id);
  if (!rows) return Fail(rows.error());
  CaseFile f;
  f.id = id;
  f.name = rows->Text(0, kName);
  f.sex = rows->Text(0, kSex);
  f.birth_date = rows->Text(0, kBirthDate);
  f.ethnicity = rows->Text(0, kEthnicity);
  f.education = rows->Text(0, kEducation);
  f.occupation = rows->Text(0, kOccupation);
  f.work_unit = rows->Text(0, kWorkUnit);
  f.category = rows->Text(0, kCategory);
  f.org_id = rows->Int(0, kOrgId);
  f.org_name = rows->Text(0, kOrgName);
  f.org_path = rows->Text(0, kOrgPath);
  auto parent = c.Query(
      "SELECT p.name FROM organisation o JOIN organisation p ON p.id = o.parent_id WHERE o.id = $1",
      {f.org_id});
  if (!parent) return Fail(parent.error());
  if (!parent->empty()) f.parent_name = parent->Text(0, 0);
  f.status = rows->Text(0, kStatus);
  auto history = LoadHistory(c, id, nullptr);
  if (!history) return Fail(history.error());
  f.history = std::move(*history);
  for (const auto& r : f.history) {
    for (std::string_view field : {"contact_ids", "sponsor_ids"}) {
      const auto* ids = r.data.if_contains(field);
      if (ids == nullptr || !ids->is_array()) continue;
      for (const auto& v : ids->as_array()) {
        auto names =
            c.Query("SELECT name FROM member WHERE id = $1", {v.to_number<std::int64_t>()});
        if (!names) return Fail(names.error());
        if (!names->empty()) f.member_names[v.to_number<std::int64_t>()] = names->Text(0, 0);
      }
    }
  }
  auto settings = LoadSettings(c);
  if (!settings) return Fail(settings.error());
  f.settings = std::move(*settings);
  return f;
}

}  // namespace zhibu::development
