#include "modules/member/transfer_store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>

#include "modules/member/vocabulary.h"
#include "modules/org/vocabulary.h"
#include "platform/compliance/rule.h"
#include "platform/json/json.h"
#include "platform/settings/settings.h"
#include "platform/util/clock.h"
#include "platform/util/date.h"

namespace zhibu::member {
namespace {

constexpr std::string_view kSelectTransfer =
    "SELECT t.id, t.member_id, m.name, t.from_org_id, f.name, t.to_org_id, d.name, "
    "t.external_org, t.direction, t.status, t.requested_on, t.letter_number, "
    "t.letter_valid_until, t.return_slip_on, t.reason, t.steps, f.path, d.path, m.sex, "
    "m.birth_date, m.ethnicity, m.status, m.id_number_masked FROM member_transfer t JOIN member "
    "m ON m.id = t.member_id LEFT JOIN organisation f ON f.id = t.from_org_id LEFT JOIN "
    "organisation d ON d.id = t.to_org_id";
constexpr std::string_view kInsertTransfer =
    "INSERT INTO member_transfer (member_id, direction, from_org_id, to_org_id, external_org, "
    "status, requested_on, reason, letter_number, return_slip_on, steps, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id";
constexpr std::string_view kUpdateStatus =
    "UPDATE member_transfer SET status = $2, steps = $3, updated_at = $4 WHERE id = $1";
constexpr std::string_view kOpenTransferOf =
    "SELECT id FROM member_transfer WHERE member_id = $1 AND status IN ('requested', 'approved')";
constexpr std::string_view kMemberForTransfer =
    "SELECT m.id, m.org_id, m.status, m.departed_on, m.joined_on FROM member m WHERE m.id = $1";
constexpr std::string_view kLetterPrefixCount =
    "SELECT COUNT(*) FROM member_transfer WHERE direction <> 'incoming' AND letter_number LIKE $1";
constexpr std::string_view kSendingCommittee =
    "SELECT name, kind, depth FROM organisation WHERE id = $1";

constexpr std::array<Term, 5> kTransferStatuses = {
    Term{"requested", "待审批"}, Term{"approved", "已开具介绍信"}, Term{"received", "已接收"},
    Term{"rejected", "已退回"}, Term{"cancelled", "已撤销"}};
constexpr std::array<Term, 3> kDirections = {Term{"internal", "系统内转接"},
                                             Term{"outgoing", "转出本系统"},
                                             Term{"incoming", "从系统外转入"}};

Error NotFound() {
  return Error::NotFound("transfer.not_found", "转接记录不存在或不在您的管理范围内");
}
Error MemberNotFound() {
  return Error::NotFound("member.not_found", "党员不存在或不在您的管理范围内");
}
Error WrongSide(std::string what) {
  return Error{ErrorKind::kPermissionDenied, "transfer.wrong_side", std::move(what), "", ""};
}

//! One transfer as stored, with what the letter and the checks need.
struct TransferRow {
  std::int64_t id = 0;
  std::int64_t member_id = 0;
  std::string member_name;
  std::optional<std::int64_t> from_org_id;
  std::string from_org_name;
  std::optional<std::int64_t> to_org_id;
  std::string to_org_name;
  std::string external_org;
  std::string direction;
  std::string status;
  std::string requested_on;
  std::optional<std::string> letter_number;
  std::optional<std::string> letter_valid_until;
  std::optional<std::string> return_slip_on;
  std::string reason;
  boost::json::array steps;
  std::string from_path;
  std::string to_path;
  std::string sex;
  std::string birth_date;
  std::string ethnicity;
  std::string member_status;
  std::string id_number_masked;

  std::string LastStepDate() const {
    if (steps.empty()) return requested_on;
    return std::string(steps.back().as_object().at("date").as_string());
  }
};

TransferRow RowAt(const db::ResultSet& r, std::size_t i) {
  TransferRow t;
  t.id = r.Int(i, 0);
  t.member_id = r.Int(i, 1);
  t.member_name = r.Text(i, 2);
  if (!r.IsNull(i, 3)) t.from_org_id = r.Int(i, 3);
  t.from_org_name = r.OptionalText(i, 4).value_or("");
  if (!r.IsNull(i, 5)) t.to_org_id = r.Int(i, 5);
  t.to_org_name = r.OptionalText(i, 6).value_or("");
  t.external_org = r.Text(i, 7);
  t.direction = r.Text(i, 8);
  t.status = r.Text(i, 9);
  t.requested_on = r.Text(i, 10);
  t.letter_number = r.OptionalText(i, 11);
  t.letter_valid_until = r.OptionalText(i, 12);
  t.return_slip_on = r.OptionalText(i, 13);
  t.reason = r.Text(i, 14);
  boost::system::error_code ec;
  auto steps = boost::json::parse(r.Text(i, 15), ec);
  if (!ec && steps.is_array()) t.steps = steps.as_array();
  t.from_path = r.OptionalText(i, 16).value_or("");
  t.to_path = r.OptionalText(i, 17).value_or("");
  t.sex = r.Text(i, 18);
  t.birth_date = r.Text(i, 19);
  t.ethnicity = r.Text(i, 20);
  t.member_status = r.Text(i, 21);
  t.id_number_masked = r.Text(i, 22);
  return t;
}

boost::json::value OptionalJson(const std::optional<std::string>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}
boost::json::value OptionalJson(const std::optional<std::int64_t>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

boost::json::object ToJson(const TransferRow& t) {
  boost::json::object j{{"id", t.id},
                        {"member_id", t.member_id},
                        {"member_name", t.member_name},
                        {"from_org_id", OptionalJson(t.from_org_id)},
                        {"to_org_id", OptionalJson(t.to_org_id)},
                        {"direction", t.direction},
                        {"direction_title", TitleOf(kDirections, t.direction)},
                        {"status", t.status},
                        {"status_title", TitleOf(kTransferStatuses, t.status)},
                        {"requested_on", t.requested_on},
                        {"letter_number", OptionalJson(t.letter_number)},
                        {"letter_valid_until", OptionalJson(t.letter_valid_until)},
                        {"return_slip_on", OptionalJson(t.return_slip_on)},
                        {"reason", t.reason},
                        {"steps", t.steps}};
  j["from_org_name"] = t.from_org_id ? boost::json::value(t.from_org_name) : nullptr;
  j["to_org_name"] = t.to_org_id ? boost::json::value(t.to_org_name) : nullptr;
  j["external_org"] =
      t.external_org.empty() ? boost::json::value(nullptr) : boost::json::value(t.external_org);
  bool expired =
      t.status == "approved" && t.letter_valid_until && *t.letter_valid_until < TodayShanghai();
  j["letter_expired"] = expired;
  return j;
}

//! The transfer when it touches `scope` (its sending or receiving branch inside).
Result<TransferRow> Load(db::Connection& c, const org::SubtreeScope& scope, std::int64_t id) {
  std::vector<db::Value> params{id};
  std::string where = " WHERE t.id = $1 AND (" + scope.Condition("f.path", params) + " OR " +
                      scope.Condition("d.path", params) + ")";
  auto rows = c.Query(std::string(kSelectTransfer) + where, std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return Fail(NotFound());
  return RowAt(*rows, 0);
}

//! The date of a step: the one given (not in the future, not before the previous step) or today.
Result<std::string> StepDate(const org::Change& change, const std::string& not_before) {
  std::string today = TodayShanghai();
  if (change.date.empty()) return std::max(today, not_before);
  auto date = RequireIsoDate(change.date, "date", "日期");
  if (!date) return Fail(date.error());
  if (*date > today)
    return Fail(Error::Invalid("transfer.date_future", "日期不能晚于今天", "date"));
  if (*date < not_before) {
    return Fail(Error::Invalid("transfer.date_before_previous",
                               "日期不能早于上一步（" + not_before + "）", "date"));
  }
  return *date;
}

boost::json::object StepJson(std::string_view status, const std::string& date,
                             const TransferStep& step) {
  return {
      {"status", status}, {"date", date}, {"by", step.actor_title}, {"note", step.change.reason}};
}

Result<void> Audit(db::Connection& c, const TransferStep& step, std::string action,
                   const TransferRow& t, std::string_view before, std::string_view after) {
  boost::json::object detail{{"member_id", t.member_id},
                             {"direction", t.direction},
                             {"before", {{"status", before}}},
                             {"after", {{"status", after}}}};
  if (!step.change.reason.empty()) detail["note"] = step.change.reason;
  auto logged = audit::Append(c, {step.change.actor, std::move(action),
                                  "transfer:" + std::to_string(t.id), "success", detail});
  if (!logged) return Fail(logged.error());
  return {};
}

//! Moves `t` to `status` with one more step, audited.
Result<boost::json::object> Advance(db::Connection& c, const org::SubtreeScope& scope,
                                    TransferRow t, std::string_view status, const std::string& date,
                                    const TransferStep& step, std::string action) {
  std::string before = t.status;
  t.steps.push_back(StepJson(status, date, step));
  auto updated = c.Execute(kUpdateStatus, {t.id, std::string(status),
                                           boost::json::serialize(t.steps), NowShanghaiIso()});
  if (!updated) return Fail(updated.error());
  auto logged = Audit(c, step, std::move(action), t, before, status);
  if (!logged) return Fail(logged.error());
  if (!t.from_path.empty()) {
    if (auto touched = compliance::Touch(c, t.from_path); !touched) return Fail(touched.error());
  }
  auto reloaded = Load(c, scope, t.id);
  if (!reloaded) {
    // The caller acted within their scope but may no longer see the transfer (a receipt by a
    // branch that did not send it still sees it; this is a defensive path).
    return ToJson(t);
  }
  return ToJson(*reloaded);
}

Result<std::string> RequiredText(const boost::json::value& body, std::string_view name,
                                 bool required, std::size_t max) {
  auto v = StringField(body, name, required, max);
  if (!v) return Fail(v.error());
  return v->value_or("");
}

std::string ChineseDate(const std::string& iso) {
  if (iso.size() != 10) return iso;
  auto strip = [](std::string s) { return s.front() == '0' ? s.substr(1) : s; };
  return iso.substr(0, 4) + "年" + strip(iso.substr(5, 2)) + "月" + strip(iso.substr(8, 2)) + "日";
}

std::string Escape(std::string_view text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

//! The name of the 基层党委 that issues the letter: the nearest ancestor of the sending branch that
//! is a committee (党委), else the branch's parent, else the branch itself.
Result<std::string> IssuingCommittee(db::Connection& c, const std::string& branch_path) {
  std::vector<std::int64_t> ids;
  std::size_t start = 1;
  while (start < branch_path.size()) {
    std::size_t end = branch_path.find('/', start);
    if (end == std::string::npos) break;
    ids.push_back(std::stoll(branch_path.substr(start, end - start)));
    start = end + 1;
  }
  std::string parent_name;
  for (std::size_t i = ids.size(); i-- > 0;) {
    auto rows = c.Query(kSendingCommittee, {ids[i]});
    if (!rows) return Fail(rows.error());
    if (rows->empty()) continue;
    if (i + 2 == ids.size()) parent_name = rows->Text(0, 0);
    if (i + 1 < ids.size() && rows->Text(0, 1) == "committee") return rows->Text(0, 0);
    if (ids.size() == 1) return rows->Text(0, 0);
  }
  return parent_name;
}

}  // namespace

Result<TransferRequest> TransferRequestFromJson(const boost::json::value& body) {
  if (!body.is_object()) {
    return Fail(Error::Invalid("request.body_not_object", "请求体应为 JSON 对象", ""));
  }
  TransferRequest out;
  auto direction = RequiredText(body, "direction", false, 16);
  if (!direction) return Fail(direction.error());
  out.direction = *direction;
  auto to = IntField(body, "to_org_id", false);
  if (!to) return Fail(to.error());
  out.to_org_id = *to;
  for (auto [name, into, max] :
       {std::tuple{"external_org", &out.external_org, std::size_t{200}},
        std::tuple{"date", &out.date, std::size_t{10}},
        std::tuple{"reason", &out.reason, std::size_t{1000}},
        std::tuple{"letter_number", &out.letter_number, std::size_t{64}}}) {
    auto v = RequiredText(body, name, false, max);
    if (!v) return Fail(v.error());
    *into = *v;
  }
  if (out.direction.empty()) out.direction = out.to_org_id ? "internal" : "outgoing";
  if (TitleOf(kDirections, out.direction).empty()) {
    return Fail(Error::Invalid("transfer.direction_invalid",
                               "转接方向应为 internal、outgoing 或 incoming", "direction"));
  }
  if (out.direction == "incoming") {
    const auto* member = body.get_object().if_contains("member");
    if (member == nullptr || !member->is_object()) {
      return Fail(
          Error::Invalid("transfer.member_missing", "从系统外转入须填写党员信息", "member"));
    }
    boost::json::object copy = member->as_object();
    if (out.to_org_id) copy["org_id"] = *out.to_org_id;
    copy["event_kind"] = "transfer_in";
    if (!out.date.empty()) copy["date"] = out.date;
    auto input = MemberInputFromJson(copy);
    if (!input) {
      Error e = input.error();
      if (!e.field.empty()) e.field = "member." + e.field;
      return Fail(e);
    }
    out.incoming_member = std::move(*input);
  } else {
    auto member = IntField(body, "member_id", true);
    if (!member) return Fail(member.error());
    out.member_id = **member;
  }
  return out;
}

Result<boost::json::object> RequestTransfer(db::Connection& c, const org::SubtreeScope& scope,
                                            const crypto::FieldCipher& cipher,
                                            const TransferStep& step,
                                            const TransferRequest& request) {
  std::string today = TodayShanghai();
  if (request.reason.empty()) {
    return Fail(Error::Invalid("transfer.reason_missing", "请填写转接原因", "reason"));
  }
  if (request.direction != "internal" && request.external_org.empty()) {
    return Fail(Error::Invalid("transfer.external_org_missing", "请填写系统外党组织的名称",
                               "external_org"));
  }
  if ((request.direction == "internal" || request.direction == "incoming") && !request.to_org_id) {
    return Fail(Error::Invalid("transfer.to_org_missing", "请选择接收党组织", "to_org_id"));
  }
  std::string date = request.date.empty() ? today : request.date;
  auto valid_date = RequireIsoDate(date, "date", "转接日期");
  if (!valid_date) return Fail(valid_date.error());
  if (date > today) {
    return Fail(Error::Invalid("transfer.date_future", "转接日期不能晚于今天", "date"));
  }
  std::string now = NowShanghaiIso();

  if (request.direction == "incoming") {
    MemberInput input = *request.incoming_member;
    input.reason = "从" + request.external_org + "转入：" + request.reason;
    // The member's fields are named as the request names them: `member.id_number`, and the
    // receiving branch (the member's org_id) as `to_org_id`.
    auto in_request = [](Error e) {
      if (e.field == "org_id") {
        e.field = "to_org_id";
      } else if (!e.field.empty()) {
        e.field = "member." + e.field;
      }
      return Fail(std::move(e));
    };
    auto prepared = PrepareMember(input, today);
    if (!prepared) return in_request(prepared.error());
    org::Change change = step.change;
    change.date = prepared->event_date;
    change.reason = input.reason;
    auto member_id = CreateMember(c, scope, cipher, change, *prepared);
    if (!member_id) return in_request(member_id.error());
    boost::json::array steps{StepJson("received", prepared->event_date, step)};
    auto inserted = c.Query(
        kInsertTransfer,
        {*member_id, std::string("incoming"), nullptr, *request.to_org_id, request.external_org,
         std::string("received"), prepared->event_date, request.reason,
         request.letter_number.empty() ? db::Value(nullptr) : db::Value(request.letter_number),
         prepared->event_date, boost::json::serialize(steps), now});
    if (!inserted) return Fail(inserted.error());
    auto t = Load(c, scope, inserted->Int(0, 0));
    if (!t) return Fail(t.error());
    auto logged = Audit(c, step, "transfer.incoming", *t, "", "received");
    if (!logged) return Fail(logged.error());
    return ToJson(*t);
  }

  // Internal or outgoing: the member, in scope, active and still here.
  std::vector<db::Value> params{request.member_id};
  std::string sql =
      std::string(kMemberForTransfer) + " AND " + scope.Condition("m.org_path", params);
  auto member = c.Query(sql, std::span<const db::Value>(params));
  if (!member) return Fail(member.error());
  if (member->empty()) return Fail(MemberNotFound());
  std::int64_t from_org = member->Int(0, 1);
  if (!IsMemberStatus(member->Text(0, 2)) || !member->IsNull(0, 3)) {
    return Fail(Error::Conflict("transfer.member_inactive",
                                "只有本系统内的正式党员和预备党员才能转接组织关系", "member_id"));
  }
  if (date < member->Text(0, 4)) {
    return Fail(Error::Invalid("transfer.date_before_joined", "转接日期不能早于入党日期", "date"));
  }
  auto open = c.Query(kOpenTransferOf, {request.member_id});
  if (!open) return Fail(open.error());
  if (!open->empty()) {
    return Fail(Error::Conflict(
        "transfer.already_open",
        "该党员已有未办结的转接（编号 " + std::to_string(open->Int(0, 0)) + "），请先办结或撤销",
        "member_id"));
  }
  db::Value to_value(nullptr);
  if (request.direction == "internal") {
    auto to = org::GetOrg(c, org::SubtreeScope::Everything(), *request.to_org_id);
    if (!to) {
      return Fail(Error::Invalid("transfer.to_org_not_found", "接收党组织不存在", "to_org_id"));
    }
    if (to->status != "active" || !org::IsBranchKind(to->kind)) {
      return Fail(Error::Invalid("transfer.to_org_not_branch",
                                 "接收方应为正常运转的党支部（组织关系转入党支部）", "to_org_id"));
    }
    if (to->id == from_org) {
      return Fail(
          Error::Invalid("transfer.same_branch", "接收党组织与现所在党支部相同", "to_org_id"));
    }
    to_value = to->id;
  }
  boost::json::array steps{StepJson("requested", date, step)};
  auto inserted = c.Query(kInsertTransfer,
                          {request.member_id, request.direction, from_org, to_value,
                           request.direction == "outgoing" ? request.external_org : std::string(),
                           std::string("requested"), date, request.reason, nullptr, nullptr,
                           boost::json::serialize(steps), now});
  if (!inserted) return Fail(inserted.error());
  auto t = Load(c, scope, inserted->Int(0, 0));
  if (!t) return Fail(t.error());
  auto logged = Audit(c, step, "transfer.request", *t, "", "requested");
  if (!logged) return Fail(logged.error());
  if (auto touched = compliance::Touch(c, t->from_path); !touched) return Fail(touched.error());
  return ToJson(*t);
}

Result<boost::json::object> ApproveTransfer(db::Connection& c, const TransferScopes& scopes,
                                            const TransferStep& step, std::int64_t id) {
  const org::SubtreeScope& scope = scopes.write;
  auto t = Load(c, scope, id);
  if (!t) return Fail(t.error());
  if (t->direction == "incoming" || !scopes.approve.Contains(t->from_path)) {
    return Fail(WrongSide("只有转出方的基层党委才能审批并开具介绍信"));
  }
  if (t->status != "requested") {
    return Fail(Error::Conflict(
        "transfer.not_requested",
        "转接当前为“" + std::string(TitleOf(kTransferStatuses, t->status)) + "”，不能审批",
        "status"));
  }
  auto date = StepDate(step.change, t->LastStepDate());
  if (!date) return Fail(date.error());
  auto days = settings::Integer(c, kLetterValiditySetting);
  if (!days) return Fail(days.error());
  auto valid_until = FormatIsoDate(std::chrono::year_month_day(
      std::chrono::sys_days(*ParseIsoDate(*date)) + std::chrono::days(*days)));
  // 介绍信编号: 组转〔year〕N号, numbered through the year across the deployment.
  std::string year = date->substr(0, 4);
  std::string prefix = "组转〔" + year + "〕";
  auto counted = c.Query(kLetterPrefixCount, {prefix + "%"});
  if (!counted) return Fail(counted.error());
  std::string number = std::to_string(counted->Int(0, 0) + 1);
  if (number.size() < 4) number.insert(0, 4 - number.size(), '0');
  std::string letter = prefix + number + "号";
  auto updated = c.Execute(
      "UPDATE member_transfer SET letter_number = $2, letter_valid_until = $3 WHERE id = $1",
      {id, letter, valid_until});
  if (!updated) return Fail(updated.error());
  t->letter_number = letter;
  t->letter_valid_until = valid_until;
  return Advance(c, scope, std::move(*t), "approved", *date, step, "transfer.approve");
}

Result<boost::json::object> ReceiveTransfer(db::Connection& c, const TransferScopes& scopes,
                                            const TransferStep& step, std::int64_t id) {
  const org::SubtreeScope& scope = scopes.write;
  auto t = Load(c, scope, id);
  if (!t) return Fail(t.error());
  if (t->direction == "internal" && !scopes.write.Contains(t->to_path)) {
    return Fail(WrongSide("只有接收方党组织才能办理接收"));
  }
  if (t->direction == "outgoing" && !scopes.approve.Contains(t->from_path)) {
    return Fail(WrongSide("系统外转出的回执由转出方登记"));
  }
  if (t->status != "approved") {
    return Fail(Error::Conflict("transfer.not_approved",
                                "转接当前为“" + std::string(TitleOf(kTransferStatuses, t->status)) +
                                    "”，须先由转出方基层党委审批开具介绍信",
                                "status"));
  }
  auto date = StepDate(step.change, t->LastStepDate());
  if (!date) return Fail(date.error());
  if (t->direction == "internal" && t->letter_valid_until && *date > *t->letter_valid_until) {
    return Fail(Error::Unprocessable(
        "transfer.letter_expired",
        "介绍信已于 " + *t->letter_valid_until + " 过期，请转出方撤销后重新办理", "date",
        std::string(kLetterValiditySetting)));
  }
  auto member = c.Query("SELECT status, departed_on FROM member WHERE id = $1", {t->member_id});
  if (!member) return Fail(member.error());
  if (member->empty() || !IsMemberStatus(member->Text(0, 0)) || !member->IsNull(0, 1)) {
    return Fail(Error::Conflict("transfer.member_inactive",
                                "该党员的状态已变化（不再是正式或预备党员），请转出方撤销此转接",
                                "member_id"));
  }
  org::Change change = step.change;
  change.date = *date;
  change.reason = t->reason;
  if (t->direction == "internal") {
    auto moved = MoveMember(c, change, t->member_id, *t->to_org_id, "transfer_out", "transfer_in");
    if (!moved) return Fail(moved.error());
  } else {
    auto left = DepartMember(c, change, t->member_id, t->external_org);
    if (!left) return Fail(left.error());
  }
  auto slip =
      c.Execute("UPDATE member_transfer SET return_slip_on = $2 WHERE id = $1", {id, *date});
  if (!slip) return Fail(slip.error());
  t->return_slip_on = *date;
  return Advance(c, scope, std::move(*t), "received", *date, step, "transfer.receive");
}

Result<boost::json::object> RejectTransfer(db::Connection& c, const TransferScopes& scopes,
                                           const TransferStep& step, std::int64_t id) {
  const org::SubtreeScope& scope = scopes.write;
  auto t = Load(c, scope, id);
  if (!t) return Fail(t.error());
  if (t->direction == "incoming") return Fail(WrongSide("系统外转入的记录不能退回"));
  // The receiving branch may refuse a letter; the sending 基层党委 may refuse a request.
  bool receiver =
      t->direction == "internal" && scopes.write.Contains(t->to_path) && t->status == "approved";
  bool approver = scopes.approve.Contains(t->from_path) && t->status == "requested";
  if (!receiver && !approver) {
    return Fail(WrongSide("待审批的转接由转出方基层党委退回，已开具介绍信的由接收方退回"));
  }
  if (t->status != "requested" && t->status != "approved") {
    return Fail(Error::Conflict("transfer.closed", "转接已办结，不能退回", "status"));
  }
  if (step.change.reason.empty()) {
    return Fail(Error::Unprocessable("transfer.note_missing", "退回须说明理由（不得无故拒绝接收）",
                                     "note", "中国共产党党员教育管理工作条例 第二十五条"));
  }
  auto date = StepDate(step.change, t->LastStepDate());
  if (!date) return Fail(date.error());
  return Advance(c, scope, std::move(*t), "rejected", *date, step, "transfer.reject");
}

Result<boost::json::object> CancelTransfer(db::Connection& c, const TransferScopes& scopes,
                                           const TransferStep& step, std::int64_t id) {
  const org::SubtreeScope& scope = scopes.write;
  auto t = Load(c, scope, id);
  if (!t) return Fail(t.error());
  if (t->direction == "incoming" || !scope.Contains(t->from_path)) {
    return Fail(WrongSide("只有转出方才能撤销转接"));
  }
  if (t->status != "requested" && t->status != "approved") {
    return Fail(Error::Conflict("transfer.closed", "转接已办结，不能撤销", "status"));
  }
  auto date = StepDate(step.change, t->LastStepDate());
  if (!date) return Fail(date.error());
  return Advance(c, scope, std::move(*t), "cancelled", *date, step, "transfer.cancel");
}

Result<boost::json::object> GetTransfer(db::Connection& c, const org::SubtreeScope& scope,
                                        std::int64_t id) {
  auto t = Load(c, scope, id);
  if (!t) return Fail(t.error());
  return ToJson(*t);
}

Result<boost::json::object> ListTransfers(db::Connection& c, const org::SubtreeScope& scope,
                                          const TransferQuery& query) {
  std::vector<db::Value> params;
  std::string where = " WHERE (" + scope.Condition("f.path", params) + " OR " +
                      scope.Condition("d.path", params) + ")";
  if (query.org_id) {
    auto org = org::GetOrg(c, scope, *query.org_id);
    if (!org) return Fail(org.error());
    params.emplace_back(org->path);
    std::string low = "$" + std::to_string(params.size());
    params.emplace_back(org::SubtreeEnd(org->path));
    std::string high = "$" + std::to_string(params.size());
    where += " AND ((f.path >= " + low + " AND f.path < " + high + ") OR (d.path >= " + low +
             " AND d.path < " + high + "))";
  }
  if (!query.status.empty()) {
    if (TitleOf(kTransferStatuses, query.status).empty()) {
      return Fail(Error::Invalid("transfer.status_invalid", "未知的转接状态", "status"));
    }
    params.emplace_back(query.status);
    where += " AND t.status = $" + std::to_string(params.size());
  }
  if (!query.direction.empty()) {
    if (TitleOf(kDirections, query.direction).empty()) {
      return Fail(Error::Invalid("transfer.direction_invalid", "未知的转接方向", "direction"));
    }
    params.emplace_back(query.direction);
    where += " AND t.direction = $" + std::to_string(params.size());
  }
  if (query.member_id) {
    params.emplace_back(*query.member_id);
    where += " AND t.member_id = $" + std::to_string(params.size());
  }
  auto total = c.Query(
      "SELECT COUNT(*) FROM member_transfer t LEFT JOIN organisation f ON f.id = t.from_org_id "
      "LEFT JOIN organisation d ON d.id = t.to_org_id" +
          where,
      std::span<const db::Value>(params));
  if (!total) return Fail(total.error());
  std::string page = " ORDER BY t.id DESC LIMIT " + std::to_string(query.page_size) + " OFFSET " +
                     std::to_string((query.page - 1) * query.page_size);
  auto rows =
      c.Query(std::string(kSelectTransfer) + where + page, std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  boost::json::array items;
  for (std::size_t i = 0; i < rows->size(); ++i) items.push_back(ToJson(RowAt(*rows, i)));
  return boost::json::object{{"items", std::move(items)},
                             {"total", total->Int(0, 0)},
                             {"page", query.page},
                             {"page_size", query.page_size}};
}

Result<std::string> TransferLetterHtml(db::Connection& c, const org::SubtreeScope& scope,
                                       std::int64_t id) {
  auto t = Load(c, scope, id);
  if (!t) return Fail(t.error());
  if (t->direction == "incoming" || !t->letter_number) {
    return Fail(
        Error::Conflict("transfer.no_letter", "转出方基层党委审批后才开具介绍信", "status"));
  }
  auto issuer = IssuingCommittee(c, t->from_path);
  if (!issuer) return Fail(issuer.error());
  std::string approved_on = t->requested_on;
  for (const auto& s : t->steps) {
    if (s.as_object().at("status").as_string() == "approved") {
      approved_on = std::string(s.as_object().at("date").as_string());
    }
  }
  std::string destination = t->direction == "internal" ? t->to_org_name : t->external_org;
  int age = WholeYearsBetween(*ParseIsoDate(t->birth_date), *ParseIsoDate(approved_on));
  std::string kind = t->member_status == "probationary" ? "预备党员" : "正式党员";
  std::string sex(TitleOf(Sexes(), t->sex));
  std::string html =
      "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>组织关系介绍信 " +
      Escape(*t->letter_number) +
      "</title><style>body{font-family:\"Songti SC\",\"SimSun\",serif;max-width:720px;margin:2em "
      "auto;line-height:2;color:#000}h1,h2{text-align:center;letter-spacing:.2em;color:#c00}"
      ".no{text-align:right}.sign{text-align:right;margin-top:2em}.cut{border:none;border-top:"
      "2px dashed #999;margin:3em 0 1em}.note{font-size:.85em;color:#555}@media print{.note"
      "{display:none}}</style></head><body>"
      "<section class=\"letter\"><h1>中国共产党党员组织关系介绍信</h1><p class=\"no\">" +
      Escape(*t->letter_number) + "</p><p>" + Escape(destination) + "：</p><p>兹介绍" +
      Escape(t->member_name) + "同志（" + Escape(sex) + "，" + std::to_string(age) + "岁，" +
      Escape(t->ethnicity) + "，身份证号码 " + Escape(t->id_number_masked) + "）系中共" + kind +
      "，其党员组织关系由" + Escape(t->from_org_name) + "转到你处，请接洽。</p><p>转接原因：" +
      Escape(t->reason) + "</p><p>该同志党费已交到 ______ 年 ____ 月。</p><p>（有效期至 " +
      ChineseDate(*t->letter_valid_until) + "）</p><p class=\"sign\">" + Escape(*issuer) +
      "（盖章）<br>" + ChineseDate(approved_on) +
      "</p></section><hr class=\"cut\"><section class=\"slip\"><h2>回　执</h2><p class=\"no\">" +
      Escape(*t->letter_number) + "</p><p>" + Escape(*issuer) + "：</p><p>" +
      Escape(t->member_name) + "同志的党员组织关系已转达我处，特此回执。</p><p class=\"sign\">" +
      Escape(destination) + "（盖章）<br>" +
      (t->return_slip_on ? ChineseDate(*t->return_slip_on) : std::string("______年____月____日")) +
      "</p></section><p class=\"note\">身份证号码按个人信息保护要求脱敏打印；回执须由接收方基层"
      "党委寄回或在系统内办理接收。</p></body></html>";
  return html;
}

}  // namespace zhibu::member
