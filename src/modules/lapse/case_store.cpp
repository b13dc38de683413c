#include "modules/lapse/case_store.h"

#include "modules/development/case_store.h"
#include "modules/dues/dues_store.h"
#include "modules/member/member_store.h"
#include "platform/json/json.h"
#include "platform/util/clock.h"
#include "platform/util/date.h"
#include "platform/workflow/history.h"

namespace zhibu::lapse {
namespace {

constexpr std::string_view kCaseColumns =
    "l.id, l.member_id, l.member_name, l.org_id, o.name, l.org_path, l.opened_on, l.unpaid_from, "
    "l.unpaid_to, l.unpaid_months, l.status, l.current_step, l.deadline_on, l.closed_on, "
    "l.outcome, l.close_reason, l.created_at";
enum CaseColumn {
  kId,
  kMemberId,
  kMemberName,
  kOrgId,
  kOrgName,
  kOrgPath,
  kOpenedOn,
  kUnpaidFrom,
  kUnpaidTo,
  kUnpaidMonths,
  kStatus,
  kCurrentStep,
  kDeadlineOn,
  kClosedOn,
  kOutcome,
  kCloseReason,
  kCreatedAt
};

constexpr std::string_view kMemberRow =
    "SELECT m.id, m.name, m.status, m.org_id, m.org_path FROM member m WHERE m.id = $1";
constexpr std::string_view kOpenCaseOf =
    "SELECT id FROM lapse_case WHERE member_id = $1 AND status = 'open'";
constexpr std::string_view kInsertCase =
    "INSERT INTO lapse_case (member_id, member_name, org_id, org_path, opened_on, unpaid_from, "
    "unpaid_to, unpaid_months, status, current_step, created_at, created_by, updated_at) VALUES "
    "($1, $2, $3, $4, $5, $6, $7, $8, 'open', 0, $9, $10, $9) RETURNING id";
constexpr std::string_view kInsertStep =
    "INSERT INTO lapse_step (case_id, seq, step, done_on, data, note, recorded_at, recorded_by, "
    "recorded_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
constexpr std::string_view kStepsOf =
    "SELECT seq, step, done_on, data, note, recorded_at, recorded_by_name FROM lapse_step WHERE "
    "case_id = $1 ORDER BY seq";
constexpr std::string_view kUpdateState =
    "UPDATE lapse_case SET status = $2, current_step = $3, deadline_on = $4, closed_on = $5, "
    "outcome = $6, updated_at = $7 WHERE id = $1";
constexpr std::string_view kClose =
    "UPDATE lapse_case SET status = 'closed', closed_on = $2, outcome = $3, close_reason = $4, "
    "updated_at = $5 WHERE id = $1";
constexpr std::string_view kMemberStatus = "SELECT status, exit_kind FROM member WHERE id = $1";

constexpr std::string_view kDangzhang9 = "《中国共产党章程》第九条；中组发〔2008〕3号 第十三条";

Error NotFound() {
  return Error::NotFound("lapse.case_not_found", "该处置案件不存在或不在您的管理范围内");
}

std::string OutcomeTitle(std::string_view outcome) {
  if (outcome == "proper_reason") return "有正当理由，结案";
  if (outcome == "corrected") return "已补交，按已改正结案";
  if (outcome == "removed") return "已除名（自行脱党）";
  if (outcome == "not_approved") return "上级党组织未批准除名";
  if (outcome == "not_passed") return "支部大会未通过除名";
  if (outcome == "member_left") return "党员已转出、去世或已出党";
  if (outcome == "withdrawn") return "核实有误，撤销";
  return std::string(outcome);
}

std::string StepTitleOf(int number) {
  const auto* s = LapseTable().Find(number);
  return s ? s->title : std::string();
}

boost::json::array Months(const std::vector<dues::YearMonth>& months) {
  boost::json::array out;
  for (auto m : months) out.push_back(boost::json::value(dues::FormatYearMonth(m)));
  return out;
}

db::Value OptionalText(const std::string& text) {
  return text.empty() ? db::Value(nullptr) : db::Value(text);
}

boost::json::value OptionalJson(const db::ResultSet& rows, std::size_t row, std::size_t col) {
  auto text = rows.OptionalText(row, col);
  return text ? boost::json::value(*text) : boost::json::value(nullptr);
}

Result<std::vector<workflow::StepRecord>> LoadHistory(db::Connection& c, std::int64_t id,
                                                      boost::json::array* timeline) {
  return workflow::LoadHistory(c, kStepsOf, id, LapseTable(), timeline);
}

Result<db::ResultSet> CaseRow(db::Connection& c, const org::SubtreeScope& scope, std::int64_t id) {
  std::vector<db::Value> params{id};
  std::string sql = "SELECT " + std::string(kCaseColumns) +
                    " FROM lapse_case l JOIN organisation o ON o.id = l.org_id WHERE l.id = $1 "
                    "AND " +
                    scope.Condition("l.org_path", params);
  auto rows = c.Query(sql, std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return Fail(NotFound());
  return rows;
}

boost::json::object SummaryJson(const db::ResultSet& rows, std::size_t i) {
  int step = static_cast<int>(rows.Int(i, kCurrentStep));
  std::string outcome = rows.OptionalText(i, kOutcome).value_or("");
  return {{"id", rows.Int(i, kId)},
          {"member_id", rows.Int(i, kMemberId)},
          {"member_name", rows.Text(i, kMemberName)},
          {"org_id", rows.Int(i, kOrgId)},
          {"org_name", rows.Text(i, kOrgName)},
          {"opened_on", rows.Text(i, kOpenedOn)},
          {"unpaid_from", rows.Text(i, kUnpaidFrom)},
          {"unpaid_to", rows.Text(i, kUnpaidTo)},
          {"unpaid_months", rows.Int(i, kUnpaidMonths)},
          {"status", rows.Text(i, kStatus)},
          {"current_step", step},
          {"current_step_title", StepTitleOf(step)},
          {"deadline_on", OptionalJson(rows, i, kDeadlineOn)},
          {"closed_on", OptionalJson(rows, i, kClosedOn)},
          {"outcome", outcome.empty() ? boost::json::value(nullptr) : boost::json::value(outcome)},
          {"outcome_title", OutcomeTitle(outcome)}};
}

struct MemberNow {
  std::int64_t id = 0;
  std::string name;
  std::string status;
  std::int64_t org_id = 0;
  std::string org_path;
};

Result<MemberNow> MemberInScope(db::Connection& c, const org::SubtreeScope& scope,
                                std::int64_t id) {
  auto rows = c.Query(kMemberRow, {id});
  if (!rows) return Fail(rows.error());
  if (rows->empty() || !scope.Contains(rows->Text(0, 4))) {
    Error e = Error::NotFound("lapse.member_not_found", "党员不存在或不在您的管理范围内");
    e.field = "member_id";
    return Fail(std::move(e));
  }
  return MemberNow{rows->Int(0, 0), rows->Text(0, 1), rows->Text(0, 2), rows->Int(0, 3),
                   rows->Text(0, 4)};
}

//! The first day after the sixth consecutive unpaid month of the case's run: the earliest date a
//! step may bear (the branch may record steps it took before the case was entered).
std::string FlaggedOn(const db::ResultSet& row) {
  auto from = dues::ParseYearMonth(row.Text(0, kUnpaidFrom));
  if (!from) return row.Text(0, kOpenedOn);
  return dues::FirstDayOf(dues::AddMonths(*from, dues::kUnpaidMonthsFlagged));
}

//! What the gates of `step` judge: the ledger (steps 3 and 4) and the voters (step 4).
Result<boost::json::object> GatherFacts(db::Connection& c, const db::ResultSet& row, int step,
                                        const std::string& done_on) {
  boost::json::object facts;
  if (step == kCorrected || step == kMeeting) {
    auto member = c.Query(kMemberRow, {row.Int(0, kMemberId)});
    if (!member) return Fail(member.error());
    auto ledger =
        LedgerFactsOf(c, row.Int(0, kMemberId), member->Int(0, 3), member->Text(0, 4), done_on);
    if (!ledger) return Fail(ledger.error());
    facts["owed_months"] = Months(ledger->owed_payable);
    facts["unpaid_run"] = Months(ledger->unpaid_run);
  }
  if (step == kMeeting) {
    auto eligible = development::EligibleVoters(c, row.Int(0, kOrgId), done_on);
    if (!eligible) return Fail(eligible.error());
    facts["eligible_voters"] = *eligible;
  }
  return facts;
}

//! Step 5 approved: the member leaves the Party as 自行脱党除名 on the approval's date.
Result<void> RemoveMember(db::Connection& c, const org::SubtreeScope& scope,
                          const org::Change& change, const db::ResultSet& row,
                          const std::vector<workflow::StepRecord>& history,
                          const workflow::StepRecord& approval) {
  const auto* meeting = workflow::Latest(history, kMeeting);
  std::string reason = "无正当理由连续" + std::to_string(row.Int(0, kUnpaidMonths)) +
                       "个月不交纳党费（" + row.Text(0, kUnpaidFrom) + " 至 " +
                       row.Text(0, kUnpaidTo) + "），按自行脱党除名：支部大会 " +
                       (meeting ? meeting->done_on : std::string()) + " 决定，";
  const auto* by = approval.data.if_contains("approved_by");
  if (by != nullptr && by->is_string()) reason += std::string(by->as_string());
  reason += " " + approval.done_on + " 批准";
  const auto* number = approval.data.if_contains("document_number");
  if (number != nullptr && number->is_string() && !number->as_string().empty()) {
    reason += "（" + std::string(number->as_string()) + "）";
  }
  reason +=
      "；" + std::string(kDangzhang9) + "（处置案件 " + std::to_string(row.Int(0, kId)) + "）";
  org::Change effect = change;
  effect.date = approval.done_on;
  effect.reason = reason;
  auto done =
      member::ChangeStatus(c, scope, effect, row.Int(0, kMemberId), "exited", "self_lapsed");
  if (!done) return Fail(done.error());
  return {};
}

}  // namespace

Result<LedgerFacts> LedgerFactsOf(db::Connection& c, std::int64_t member_id, std::int64_t org_id,
                                  const std::string& org_path, const std::string& day) {
  dues::YearMonth month = dues::MonthOfDate(day);
  dues::YearMonth last = dues::AddMonths(month, -1);
  dues::YearMonth first = dues::AddMonths(last, -11);
  auto members =
      dues::LoadMemberDues(c, org_path, org::SubtreeEnd(org_path), org_id, day, first, last);
  if (!members) return Fail(members.error());
  for (const auto& m : *members) {
    if (m.member_id != member_id) continue;
    auto statement = dues::Statement(first, last, m.admitted, m.bases, m.reductions, m.paid);
    return LedgerFactsFrom(statement, month, m.reductions);
  }
  return LedgerFacts{};
}

LedgerFacts LedgerFactsFrom(std::span<const dues::StatementMonth> statement, dues::YearMonth month,
                            std::span<const dues::ReductionEntry> reductions) {
  LedgerFacts out;
  if (statement.empty()) return out;
  out.unpaid_run = dues::TrailingUnpaidRun(statement);
  for (const auto& s : statement) {
    if (s.owed().value > 0 && dues::MonthsBetween(s.month, month) <= dues::kBackPaymentMonths) {
      out.owed_payable.push_back(s.month);
    }
  }
  for (const auto& r : reductions) {
    if (r.amount.value == 0 && r.to >= statement.front().month &&
        r.from <= statement.back().month) {
      out.exempted = true;
    }
  }
  return out;
}

Result<void> RequireFlagged(const LedgerFacts& ledger, const std::string& name) {
  int run = static_cast<int>(ledger.unpaid_run.size());
  if (run >= dues::kUnpaidMonthsFlagged) return {};
  std::string message = name + " 截至上月连续未交纳党费 " + std::to_string(run) +
                        " 个月，不足 6 个月，不按自行脱党处置";
  if (ledger.exempted) message += "；经批准免交的月份不计为不交纳";
  return Fail(Error::Unprocessable("lapse.not_flagged",
                                   message + "（" + std::string(kDangzhang9) + "）", "member_id",
                                   std::string(kDangzhang9)));
}

Result<boost::json::object> OpenCase(db::Connection& c, const org::SubtreeScope& scope,
                                     const org::Change& change, std::int64_t member_id,
                                     const std::string& today) {
  auto member = MemberInScope(c, scope, member_id);
  if (!member) return Fail(member.error());
  if (member->status != "full" && member->status != "probationary") {
    return Fail(Error::Conflict("lapse.not_a_member",
                                "该同志已不是党员（已出党或停止党籍），不再处置", "member_id"));
  }
  auto ledger = LedgerFactsOf(c, member->id, member->org_id, member->org_path, today);
  if (!ledger) return Fail(ledger.error());
  auto flagged = RequireFlagged(*ledger, member->name);
  if (!flagged) return Fail(flagged.error());
  auto run = static_cast<std::int64_t>(ledger->unpaid_run.size());
  auto open = c.Query(kOpenCaseOf, {member->id});
  if (!open) return Fail(open.error());
  if (!open->empty()) {
    return Fail(Error::Conflict(
        "lapse.duplicate_case",
        "该党员已有正在办理的处置案件（编号 " + std::to_string(open->Int(0, 0)) + "）",
        "member_id"));
  }
  std::string now = NowShanghaiIso();
  std::string from = dues::FormatYearMonth(ledger->unpaid_run.front());
  std::string to = dues::FormatYearMonth(ledger->unpaid_run.back());
  auto inserted =
      c.Query(kInsertCase,
              {member->id, member->name, member->org_id, member->org_path, today, from, to, run,
               now, change.account_id ? db::Value(*change.account_id) : db::Value(nullptr)});
  if (!inserted) return Fail(inserted.error());
  std::int64_t id = inserted->Int(0, 0);
  auto recorded = org::AuditChangeAndTouch(
      c, change, "lapse.case.open", "lapse_case:" + std::to_string(id),
      {{"member_id", member->id}, {"unpaid_run", Months(ledger->unpaid_run)}}, member->org_path);
  if (!recorded) return Fail(recorded.error());
  return GetCase(c, scope, id, today);
}

Result<boost::json::object> GetCase(db::Connection& c, const org::SubtreeScope& scope,
                                    std::int64_t id, const std::string& today) {
  auto rows = CaseRow(c, scope, id);
  if (!rows) return Fail(rows.error());
  boost::json::array timeline;
  auto history = LoadHistory(c, id, &timeline);
  if (!history) return Fail(history.error());
  auto out = SummaryJson(*rows, 0);
  out["org"] = {{"id", rows->Int(0, kOrgId)}, {"name", rows->Text(0, kOrgName)}};
  out["close_reason"] = rows->Text(0, kCloseReason);
  out["created_at"] = rows->Text(0, kCreatedAt);
  out["flagged_on"] = FlaggedOn(*rows);
  boost::json::array next;
  bool open = rows->Text(0, kStatus) == "open";
  if (open) {
    for (int n : workflow::NextSteps(LapseTable(), *history)) next.push_back(n);
  }
  out["next_steps"] = std::move(next);
  out["steps"] = std::move(timeline);
  auto status = c.Query(kMemberStatus, {rows->Int(0, kMemberId)});
  if (!status) return Fail(status.error());
  out["member"] = {
      {"id", rows->Int(0, kMemberId)},
      {"name", rows->Text(0, kMemberName)},
      {"status", status->empty() ? "" : status->Text(0, 0)},
      {"exit_kind", status->empty() ? boost::json::value(nullptr) : OptionalJson(*status, 0, 1)}};
  if (open) {
    auto member = c.Query(kMemberRow, {rows->Int(0, kMemberId)});
    if (!member) return Fail(member.error());
    auto ledger =
        LedgerFactsOf(c, rows->Int(0, kMemberId), member->Int(0, 3), member->Text(0, 4), today);
    if (!ledger) return Fail(ledger.error());
    auto eligible = development::EligibleVoters(c, rows->Int(0, kOrgId), today);
    if (!eligible) return Fail(eligible.error());
    out["eligible_voters"] = *eligible;
    out["ledger"] = {{"as_of", today},
                     {"unpaid_run", Months(ledger->unpaid_run)},
                     {"owed_payable", Months(ledger->owed_payable)},
                     {"cleared", ledger->owed_payable.empty()}};
  } else {
    out["ledger"] = nullptr;
    out["eligible_voters"] = nullptr;
  }
  return out;
}

Result<boost::json::object> ListCases(db::Connection& c, const org::SubtreeScope& scope,
                                      const CaseQuery& query) {
  std::vector<db::Value> params;
  std::string where = scope.Condition("l.org_path", params);
  if (query.org_id) {
    auto org = org::GetOrg(c, scope, *query.org_id);
    if (!org) return Fail(org.error());
    params.emplace_back(org->path);
    where += " AND l.org_path >= $" + std::to_string(params.size());
    params.emplace_back(org::SubtreeEnd(org->path));
    where += " AND l.org_path < $" + std::to_string(params.size());
  }
  if (query.member_id) {
    params.emplace_back(*query.member_id);
    where += " AND l.member_id = $" + std::to_string(params.size());
  }
  if (query.status != "all") {
    if (query.status != "open" && query.status != "closed") {
      return Fail(
          Error::Invalid("lapse.status_invalid", "status：应为 open、closed 或 all", "status"));
    }
    params.emplace_back(query.status);
    where += " AND l.status = $" + std::to_string(params.size());
  }
  auto total = c.Query("SELECT COUNT(*) FROM lapse_case l WHERE " + where,
                       std::span<const db::Value>(params));
  if (!total) return Fail(total.error());
  std::string sql = "SELECT " + std::string(kCaseColumns) +
                    " FROM lapse_case l JOIN organisation o ON o.id = l.org_id WHERE " + where +
                    " ORDER BY l.opened_on, l.id LIMIT " + std::to_string(query.page_size) +
                    " OFFSET " + std::to_string((query.page - 1) * query.page_size);
  auto rows = c.Query(sql, std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  boost::json::array items;
  for (std::size_t i = 0; i < rows->size(); ++i) items.push_back(SummaryJson(*rows, i));
  return boost::json::object{{"items", std::move(items)},
                             {"total", total->Int(0, 0)},
                             {"page", query.page},
                             {"page_size", query.page_size}};
}

Result<boost::json::object> RecordStep(db::Connection& c, const org::SubtreeScope& scope,
                                       const org::Change& change, std::int64_t id,
                                       const boost::json::object& body, const std::string& today) {
  auto row = CaseRow(c, scope, id);
  if (!row) return Fail(row.error());
  if (row->Text(0, kStatus) != "open") {
    return Fail(Error::Conflict("lapse.case_ended", "该处置案件已结案，不能再办理"));
  }
  const auto& table = LapseTable();
  auto request = workflow::ReadStepRequest(body, table, kVerify, "lapse");
  if (!request) return Fail(request.error());
  const auto* spec = request->spec;
  const std::string& done_on = request->done_on;
  std::string flagged_on = FlaggedOn(*row);
  if (done_on < flagged_on) {
    return Fail(Error::Invalid("lapse.done_on_before_flagged",
                               "done_on：办理日期不能早于连续欠交满 6 个月之日 " + flagged_on,
                               "done_on"));
  }
  auto note = workflow::StepNote(body, "lapse");
  if (!note) return Fail(note.error());
  auto data = workflow::ValidateFields(*spec, body, today);
  if (!data) return Fail(data.error());
  auto history = LoadHistory(c, id, nullptr);
  if (!history) return Fail(history.error());
  auto facts = GatherFacts(c, *row, spec->number, done_on);
  if (!facts) return Fail(facts.error());
  const std::map<std::string, std::int64_t> settings;
  workflow::StepRecord proposed{spec->number, done_on, *data};
  auto checked =
      workflow::Check(table, workflow::Attempt{*spec, *history, proposed, *facts, settings, today});
  if (!checked) return Fail(checked.error());
  // What the engine judged goes on record with the step: the run the branch verified (step 1),
  // the ledger at 已改正 or at the meeting, the voters counted.
  if (spec->number == kVerify) {
    (*data)["unpaid_run"] = {{"from", row->Text(0, kUnpaidFrom)},
                             {"to", row->Text(0, kUnpaidTo)},
                             {"months", row->Int(0, kUnpaidMonths)}};
  }
  for (std::string_view key : {"owed_months", "eligible_voters"}) {
    if (const auto* v = facts->if_contains(key)) (*data)[key] = *v;
  }
  proposed.data = *data;

  std::string now = NowShanghaiIso();
  auto inserted =
      workflow::AppendStep(c, kInsertStep, id, static_cast<std::int64_t>(history->size() + 1),
                           proposed, *note, now, {change.account_id, change.actor.name});
  if (!inserted) return Fail(inserted.error());
  history->push_back(proposed);
  if (spec->number == kApproval && StateOf(*history).outcome == "removed") {
    auto removed = RemoveMember(c, scope, change, *row, *history, proposed);
    if (!removed) return Fail(removed.error());
  }
  auto state = StateOf(*history);
  auto written =
      c.Execute(kUpdateState, {id, state.status, static_cast<std::int64_t>(state.current_step),
                               OptionalText(state.deadline_on),
                               state.status == "closed" ? db::Value(done_on) : db::Value(nullptr),
                               OptionalText(state.outcome), now});
  if (!written) return Fail(written.error());
  boost::json::object detail{{"step", spec->number}, {"done_on", done_on}, {"data", *data}};
  auto recorded = org::AuditChangeAndTouch(c, change, "lapse.step." + spec->id,
                                           "lapse_case:" + std::to_string(id), std::move(detail),
                                           row->Text(0, kOrgPath));
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
    return Fail(Error::Conflict("lapse.case_ended", "该处置案件已结案"));
  }
  auto date = RequireIsoDate(closed_on, "closed_on", "结案日期");
  if (!date) return Fail(date.error());
  if (*date > today) {
    return Fail(
        Error::Invalid("lapse.closed_on_future", "closed_on：结案日期不能晚于今天", "closed_on"));
  }
  auto history = LoadHistory(c, id, nullptr);
  if (!history) return Fail(history.error());
  std::string earliest = history->empty() ? row->Text(0, kOpenedOn) : history->back().done_on;
  if (*date < earliest) {
    return Fail(Error::Invalid("lapse.closed_on_too_early",
                               "closed_on：结案日期不能早于 " + earliest, "closed_on"));
  }
  if (outcome != "not_passed" && outcome != "member_left" && outcome != "withdrawn") {
    return Fail(Error::Invalid("lapse.outcome_invalid",
                               "outcome：应为 not_passed（支部大会未通过除名）、member_left"
                               "（党员已转出、去世或已出党）或 withdrawn（核实有误，撤销）",
                               "outcome"));
  }
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Fail(Error::Invalid("lapse.reason_missing", "reason：请写明结案的原因", "reason"));
  }
  auto done = c.Execute(kClose, {id, *date, outcome, reason, NowShanghaiIso()});
  if (!done) return Fail(done.error());
  auto recorded = org::AuditChangeAndTouch(
      c, change, "lapse.case.close", "lapse_case:" + std::to_string(id),
      {{"closed_on", *date}, {"outcome", outcome}, {"reason", reason}}, row->Text(0, kOrgPath));
  if (!recorded) return Fail(recorded.error());
  return GetCase(c, scope, id, today);
}

}  // namespace zhibu::lapse
