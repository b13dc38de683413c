#include "modules/orglife/checkin.h"

#include <chrono>
#include <cstdio>
#include <span>
#include <stdexcept>
#include <vector>

#include "modules/org/scoped_route.h"
#include "modules/orglife/meeting_store.h"
#include "modules/orglife/qr_code.h"
#include "modules/orglife/routes.h"
#include "modules/orglife/vocabulary.h"
#include "platform/auth/password.h"
#include "platform/json/json.h"
#include "platform/settings/settings.h"
#include "platform/util/clock.h"
#include "platform/util/date.h"

namespace zhibu::orglife {
namespace {

using http::Method;
using http::Request;
using http::Response;

constexpr std::string_view kSelectToken =
    "SELECT token FROM meeting_checkin_token WHERE record_id = $1";
constexpr std::string_view kSelectRecordOfToken =
    "SELECT record_id FROM meeting_checkin_token WHERE token = $1";
constexpr std::string_view kInsertToken =
    "INSERT INTO meeting_checkin_token (record_id, token, issued_at, issued_by) VALUES ($1, $2, "
    "$3, $4)";
constexpr std::string_view kReplaceToken =
    "UPDATE meeting_checkin_token SET token = $2, issued_at = $3, issued_by = $4 WHERE record_id "
    "= $1";
constexpr std::string_view kAttendanceTally =
    "SELECT r.expected_count, r.present_count, r.leave_count, (SELECT COUNT(*) FROM "
    "meeting_attendance a WHERE a.record_id = r.id AND a.checked_in_at IS NOT NULL) FROM "
    "meeting_record r WHERE r.id = $1";

//! Where a member has organisational life: their organisation's path (the branch and those above
//! it), their 党小组, and the branch they are attached to while away.
constexpr std::string_view kMemberPlaces =
    "SELECT org_path, group_id, CASE WHEN away_since IS NOT NULL THEN attached_org_id END FROM "
    "member WHERE id = $1";
//! Records open for attendance of some organisations from a day on, soonest first; the
//! organisations' placeholders follow.
constexpr std::string_view kOpenRecordsOf =
    "SELECT id FROM meeting_record WHERE status IN ('draft', 'returned') AND held_on >= $1 AND "
    "org_id IN (";
constexpr std::string_view kOpenRecordsOrder = ") ORDER BY planned_start, id LIMIT 50";

//! Random bytes in a token: 256 bits, beyond guessing.
constexpr std::size_t kTokenBytes = 32;
//! Tokens longer than this are not ours (and not looked up).
constexpr std::size_t kMaxTokenLength = 128;
constexpr std::size_t kMaxLeaveReason = 600;

Error RecordNotFound() {
  return Error::NotFound("orglife.not_found", "组织生活记录不存在或不在您的管理范围内");
}

Error UnknownToken() {
  return Error::NotFound("orglife.checkin_token_unknown",
                         "签到码无效或已更换，请扫描会场展示的最新二维码");
}

std::string Num(std::int64_t n) { return std::to_string(n); }

//! The record `id` when its organisation lies inside `scope`; 404 otherwise, as for a missing one.
Result<RecordSummary> ScopedSummary(db::Connection& c, const org::SubtreeScope& scope,
                                    std::int64_t id, bool lock) {
  auto summary = LoadRecordSummary(c, id, lock);
  if (!summary) return Fail(summary.error());
  if (!scope.Contains(summary->org_path)) return Fail(RecordNotFound());
  return summary;
}

Result<std::optional<std::string>> StoredToken(db::Connection& c, std::int64_t id) {
  auto rows = c.Query(kSelectToken, {id});
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows->Text(0, 0));
}

Result<void> AuditToken(db::Connection& c, const org::Change& change, std::int64_t id,
                        bool rotated) {
  // The token itself stays out of the trail: whoever reads the trail need not hold it.
  auto logged = audit::Append(c, {change.actor,
                                  "orglife.checkin_token",
                                  "meeting:" + Num(id),
                                  "success",
                                  {{"issued", true}, {"rotated", rotated}}});
  if (!logged) return Fail(logged.error());
  return {};
}

db::Value AccountOf(const org::Change& change) {
  return change.account_id ? db::Value(*change.account_id) : db::Value(nullptr);
}

struct Windows {
  CheckinWindow checkin;
  std::string leave_closes_at;
};

Result<Windows> WindowsOf(db::Connection& c, std::string_view planned_start) {
  auto before = settings::Integer(c, kCheckinBeforeSetting);
  if (!before) return Fail(before.error());
  auto after = settings::Integer(c, kCheckinAfterSetting);
  if (!after) return Fail(after.error());
  auto leave = settings::Integer(c, kLeaveCloseSetting);
  if (!leave) return Fail(leave.error());
  return Windows{WindowFor(planned_start, static_cast<int>(*before), static_cast<int>(*after)),
                 LeaveClosesAt(planned_start, static_cast<int>(*leave))};
}

//! `minute` as people read it: `2026-11-23 08:40`.
std::string Readable(std::string_view minute) {
  std::string out(minute);
  if (out.size() > 10) out[10] = ' ';
  return out;
}

boost::json::object MeetingJson(const RecordSummary& r) {
  const MeetingKind* kind = FindKind(r.kind);
  return {{"id", r.id},
          {"topic", r.topic},
          {"kind", r.kind},
          {"kind_title", kind != nullptr ? kind->title : std::string_view()},
          {"org_id", r.org_id},
          {"org_name", r.org_name},
          {"planned_start", r.planned_start}};
}

Result<std::int64_t> RecordOfToken(db::Connection& c, std::string_view token) {
  if (token.empty()) {
    return Fail(Error::Invalid("orglife.token_missing", "请扫描会场展示的签到二维码", "token"));
  }
  if (token.size() > kMaxTokenLength) return Fail(UnknownToken());
  auto rows = c.Query(kSelectRecordOfToken, {std::string(token)});
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return Fail(UnknownToken());
  return rows->Int(0, 0);
}

Error CheckinClosed(std::string message) {
  return Error::Unprocessable("orglife.checkin_closed", std::move(message), "token",
                              std::string(kCheckinSource));
}

Error NotLinked() {
  return Error{ErrorKind::kPermissionDenied, "orglife.account_not_linked",
               "您的账号尚未关联党员信息，请联系组织部门", "", ""};
}

//! A self-service route: the caller holds `orglife.checkin` and is linked to a member; `body`
//! runs in a read or write transaction and answers JSON.
template <class Body>
Response SelfService(auth::IdentityService& identity, db::Database& db, const Request& request,
                     bool write, int status, Body body) {
  auto caller = auth::Require(identity, db, request, kCheckinPermission);
  if (!caller) return http::ErrorResponse(caller.error(), request);
  if (!caller->member_id) return http::ErrorResponse(NotLinked(), request);
  SelfCaller self{*caller->member_id, caller->AsActor(request.client_address)};
  auto run = [&](db::Connection& c) -> Result<boost::json::value> { return body(c, self); };
  auto answer = write ? db.Write(run) : db.Read(run);
  if (!answer) return http::ErrorResponse(answer.error(), request);
  return Response::Json(status, *answer);
}

org::Change ChangeOf(const org::ScopedCall& call) {
  return org::Change{call.Actor(), call.caller.account_id, "", ""};
}

}  // namespace

std::string AddMinutes(std::string_view minute, int delta) {
  auto day = ParseIsoDate(minute.substr(0, 10));
  if (!day || minute.size() < 16) throw std::logic_error("AddMinutes: not a local minute");
  int hour = (minute[11] - '0') * 10 + (minute[12] - '0');
  int min = (minute[14] - '0') * 10 + (minute[15] - '0');
  auto t = std::chrono::sys_days(*day) + std::chrono::hours(hour) + std::chrono::minutes(min) +
           std::chrono::minutes(delta);
  auto new_day = std::chrono::floor<std::chrono::days>(t);
  auto rest = std::chrono::duration_cast<std::chrono::minutes>(t - new_day).count();
  char hhmm[8];
  std::snprintf(hhmm, sizeof hhmm, "T%02d:%02d", static_cast<int>(rest / 60),
                static_cast<int>(rest % 60));
  return FormatIsoDate(std::chrono::year_month_day(new_day)) + hhmm;
}

std::string MinuteOf(std::string_view iso_time) {
  std::string out(iso_time.substr(0, 16));
  if (out.size() > 10) out[10] = 'T';
  return out;
}

CheckinWindow WindowFor(std::string_view planned_start, int minutes_before, int minutes_after) {
  return {AddMinutes(planned_start, -minutes_before), AddMinutes(planned_start, minutes_after)};
}

std::string LeaveClosesAt(std::string_view planned_start, int close_minutes) {
  return AddMinutes(planned_start, -close_minutes);
}

Result<std::string> RequestOrigin(const http::Request& request) {
  std::string_view host = request.HeaderValue("host");
  bool valid = !host.empty() && host.size() <= 255;
  for (char ch : host) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '-' || ch == ':' || ch == '[' || ch == ']';
    if (!ok) valid = false;
  }
  if (!valid) {
    return Fail(Error::Invalid("request.host_invalid", "请求头 Host 缺失或无效", "Host"));
  }
  std::string_view proto = request.HeaderValue("x-forwarded-proto");
  return std::string(proto == "https" ? "https" : "http") + "://" + std::string(host);
}

std::string CheckinUrl(std::string_view origin, std::string_view token) {
  return std::string(origin) + "/m/checkin?t=" + std::string(token);
}

Result<std::string> IssueCheckinToken(db::Connection& c, const org::SubtreeScope& scope,
                                      const org::Change& change, std::int64_t id) {
  auto record = ScopedSummary(c, scope, id, /*lock=*/true);
  if (!record) return Fail(record.error());
  auto stored = StoredToken(c, id);
  if (!stored) return Fail(stored.error());
  if (*stored) return **stored;
  if (!IsEditableStatus(record->status)) {
    return Fail(Error::Conflict(
        "orglife.checkin_unavailable",
        "记录状态为“" + std::string(TitleOf(Statuses(), record->status)) + "”，不再签到",
        "status"));
  }
  std::string token = auth::RandomToken(kTokenBytes);
  auto inserted = c.Execute(kInsertToken, {id, token, NowShanghaiIso(), AccountOf(change)});
  if (!inserted) return Fail(inserted.error());
  auto logged = AuditToken(c, change, id, false);
  if (!logged) return Fail(logged.error());
  return token;
}

Result<std::string> RotateCheckinToken(db::Connection& c, const org::SubtreeScope& scope,
                                       const org::Change& change, std::int64_t id) {
  auto record = ScopedSummary(c, scope, id, /*lock=*/true);
  if (!record) return Fail(record.error());
  if (!IsEditableStatus(record->status)) {
    return Fail(Error::Conflict(
        "orglife.checkin_unavailable",
        "记录状态为“" + std::string(TitleOf(Statuses(), record->status)) + "”，不再签到",
        "status"));
  }
  auto stored = StoredToken(c, id);
  if (!stored) return Fail(stored.error());
  std::string token = auth::RandomToken(kTokenBytes);
  auto written = c.Execute(*stored ? kReplaceToken : kInsertToken,
                           {id, token, NowShanghaiIso(), AccountOf(change)});
  if (!written) return Fail(written.error());
  auto logged = AuditToken(c, change, id, stored->has_value());
  if (!logged) return Fail(logged.error());
  return token;
}

Result<boost::json::object> CheckinOverview(db::Connection& c, const org::SubtreeScope& scope,
                                            const org::Change& change, std::int64_t id,
                                            std::string_view origin, std::string_view now) {
  auto record = ScopedSummary(c, scope, id, /*lock=*/false);
  if (!record) return Fail(record.error());
  bool editable = IsEditableStatus(record->status);
  std::optional<std::string> token;
  if (editable) {
    auto issued = IssueCheckinToken(c, scope, change, id);
    if (!issued) return Fail(issued.error());
    token = std::move(*issued);
  } else {
    auto stored = StoredToken(c, id);
    if (!stored) return Fail(stored.error());
    token = std::move(*stored);
  }
  auto windows = WindowsOf(c, record->planned_start);
  if (!windows) return Fail(windows.error());
  auto tally = c.Query(kAttendanceTally, {id});
  if (!tally) return Fail(tally.error());
  std::string minute = MinuteOf(now);
  return boost::json::object{{"record_id", id},
                             {"status", record->status},
                             {"token_url", token ? boost::json::value(CheckinUrl(origin, *token))
                                                 : boost::json::value(nullptr)},
                             {"opens_at", windows->checkin.opens_at},
                             {"closes_at", windows->checkin.closes_at},
                             {"open", editable && windows->checkin.Contains(minute)},
                             {"leave_closes_at", windows->leave_closes_at},
                             {"expected", tally->Int(0, 0)},
                             {"present", tally->Int(0, 1)},
                             {"leave", tally->Int(0, 2)},
                             {"checked_in", tally->Int(0, 3)},
                             {"now", std::string(now)}};
}

Result<boost::json::object> PreviewCheckin(db::Connection& c, std::int64_t member_id,
                                           std::string_view token, std::string_view now) {
  auto id = RecordOfToken(c, token);
  if (!id) return Fail(id.error());
  auto record = LoadRecordSummary(c, *id, /*lock=*/false);
  if (!record) return Fail(record.error());
  auto own = FindOwnAttendance(c, *id, member_id);
  if (!own) return Fail(own.error());
  auto windows = WindowsOf(c, record->planned_start);
  if (!windows) return Fail(windows.error());
  bool editable = IsEditableStatus(record->status);
  const auto& line = *own;
  auto text = [](const std::optional<std::string>& t) {
    return t ? boost::json::value(*t) : boost::json::value(nullptr);
  };
  return boost::json::object{
      {"meeting", MeetingJson(*record)},
      {"opens_at", windows->checkin.opens_at},
      {"closes_at", windows->checkin.closes_at},
      {"open", editable && windows->checkin.Contains(MinuteOf(now))},
      {"expected", line.has_value()},
      {"role", line ? boost::json::value(line->role) : boost::json::value(nullptr)},
      {"status", line ? boost::json::value(line->status) : boost::json::value(nullptr)},
      {"checked_in", line && line->checked_in_at.has_value()},
      {"checked_in_at", line ? text(line->checked_in_at) : boost::json::value(nullptr)},
      {"now", std::string(now)}};
}

Result<boost::json::object> CheckIn(db::Connection& c, const SelfCaller& caller,
                                    std::string_view token, std::string_view now) {
  auto id = RecordOfToken(c, token);
  if (!id) return Fail(id.error());
  // Locked: check-ins of the same minute rewrite the attendance one after another.
  auto record = LoadRecordSummary(c, *id, /*lock=*/true);
  if (!record) return Fail(record.error());
  if (!IsEditableStatus(record->status)) {
    return Fail(CheckinClosed("该记录已" + std::string(TitleOf(Statuses(), record->status)) +
                              "，签到已结束"));
  }
  auto own = FindOwnAttendance(c, *id, caller.member_id);
  if (!own) return Fail(own.error());
  if (!*own) return Fail(NotExpected("token"));
  if ((*own)->checked_in_at) {
    return Fail(Error::Conflict("orglife.already_checked_in",
                                "您已于 " + Readable(MinuteOf(*(*own)->checked_in_at)) + " 签到",
                                "token"));
  }
  auto windows = WindowsOf(c, record->planned_start);
  if (!windows) return Fail(windows.error());
  const CheckinWindow& window = windows->checkin;
  std::string minute = MinuteOf(now);
  if (!window.Contains(minute)) {
    return Fail(CheckinClosed(
        std::string(minute < window.opens_at ? "签到尚未开始" : "签到已结束") + "：签到时间为 " +
        Readable(window.opens_at) + " 至 " + Readable(window.closes_at) + "（含）"));
  }
  std::string at(now);
  auto marked = MarkOwnAttendance(
      c, *id, caller.member_id,
      {.role = (*own)->role, .status = "present", .leave_reason = "", .checked_in_at = at},
      "token");
  if (!marked) return Fail(marked.error());
  auto logged = audit::Append(c, {caller.actor,
                                  "orglife.checkin",
                                  "meeting:" + Num(*id),
                                  "success",
                                  {{"member_id", caller.member_id},
                                   {"role", (*own)->role},
                                   {"before", {{"status", (*own)->status}}},
                                   {"after", {{"status", "present"}, {"checked_in_at", at}}}}});
  if (!logged) return Fail(logged.error());
  return boost::json::object{{"meeting",
                              {{"id", record->id},
                               {"topic", record->topic},
                               {"org_name", record->org_name},
                               {"planned_start", record->planned_start}}},
                             {"checked_in_at", at},
                             {"role", (*own)->role}};
}

Result<boost::json::object> RequestLeave(db::Connection& c, const SelfCaller& caller,
                                         std::int64_t record_id, std::string_view reason,
                                         std::string_view now) {
  if (reason.empty()) {
    return Fail(Error::Invalid("orglife.leave_reason_missing", "请填写请假事由", "reason"));
  }
  if (reason.size() > kMaxLeaveReason) {
    return Fail(Error::Invalid("orglife.text_too_long", "请假事由不超过 600 字节", "reason"));
  }
  auto record = LoadRecordSummary(c, record_id, /*lock=*/true);
  if (!record) return Fail(record.error());
  auto own = FindOwnAttendance(c, record_id, caller.member_id);
  if (!own) return Fail(own.error());
  // A record the member has no place in is none of theirs: as absent as a missing one.
  if (!*own) return Fail(RecordNotFound());
  if (!IsEditableStatus(record->status)) {
    return Fail(Error::Unprocessable(
        "orglife.leave_closed",
        "该记录已" + std::string(TitleOf(Statuses(), record->status)) + "，不能再请假", "status",
        std::string(kLeaveSource)));
  }
  if ((*own)->checked_in_at) {
    return Fail(Error::Conflict(
        "orglife.already_checked_in",
        "您已于 " + Readable(MinuteOf(*(*own)->checked_in_at)) + " 签到，不能再请假", "status"));
  }
  auto windows = WindowsOf(c, record->planned_start);
  if (!windows) return Fail(windows.error());
  if (!LeaveOpen(windows->leave_closes_at, MinuteOf(now))) {
    return Fail(Error::Unprocessable(
        "orglife.leave_closed",
        "请假须在 " + Readable(windows->leave_closes_at) + " 之前提出；此后请向支部书记说明",
        "planned_start", std::string(kLeaveSource)));
  }
  auto marked = MarkOwnAttendance(c, record_id, caller.member_id,
                                  {.role = (*own)->role,
                                   .status = "leave",
                                   .leave_reason = std::string(reason),
                                   .checked_in_at = std::nullopt},
                                  "id");
  if (!marked) return Fail(marked.error());
  auto logged = audit::Append(
      c, {caller.actor,
          "orglife.leave_request",
          "meeting:" + Num(record_id),
          "success",
          {{"member_id", caller.member_id},
           {"role", (*own)->role},
           {"before", {{"status", (*own)->status}, {"leave_reason", (*own)->leave_reason}}},
           {"after", {{"status", "leave"}, {"leave_reason", std::string(reason)}}}}});
  if (!logged) return Fail(logged.error());
  return boost::json::object{{"meeting", MeetingJson(*record)},
                             {"status", "leave"},
                             {"leave_reason", std::string(reason)},
                             {"leave_closes_at", windows->leave_closes_at},
                             {"requested_at", std::string(now)}};
}

Result<boost::json::object> MyMeetings(db::Connection& c, std::int64_t member_id,
                                       std::string_view now) {
  auto places = c.Query(kMemberPlaces, {member_id});
  if (!places) return Fail(places.error());
  boost::json::array items;
  if (places->empty()) return boost::json::object{{"items", std::move(items)}};
  std::vector<db::Value> params{AddMinutes(MinuteOf(now), -24 * 60).substr(0, 10)};
  std::string path = places->Text(0, 0);
  for (std::size_t at = 1, next; (next = path.find('/', at)) != std::string::npos; at = next + 1) {
    params.emplace_back(std::stoll(path.substr(at, next - at)));
  }
  for (std::size_t col : {1, 2}) {
    if (auto id = places->OptionalInt(0, col)) params.emplace_back(*id);
  }
  std::string sql(kOpenRecordsOf);
  for (std::size_t i = 1; i < params.size(); ++i) {
    sql += (i > 1 ? ", $" : "$") + std::to_string(i + 1);
  }
  sql += kOpenRecordsOrder;
  auto ids = c.Query(sql, std::span<const db::Value>(params));
  if (!ids) return Fail(ids.error());
  std::string minute = MinuteOf(now);
  auto text = [](const std::optional<std::string>& t) {
    return t ? boost::json::value(*t) : boost::json::value(nullptr);
  };
  for (std::size_t i = 0; i < ids->size(); ++i) {
    std::int64_t id = ids->Int(i, 0);
    auto own = FindOwnAttendance(c, id, member_id);
    if (!own) return Fail(own.error());
    if (!*own) continue;
    auto record = LoadRecordSummary(c, id, /*lock=*/false);
    if (!record) return Fail(record.error());
    auto windows = WindowsOf(c, record->planned_start);
    if (!windows) return Fail(windows.error());
    const OwnAttendance& line = **own;
    items.push_back(boost::json::object{
        {"meeting", MeetingJson(*record)},
        {"role", line.role},
        {"status", line.status},
        {"leave_reason", line.leave_reason},
        {"checked_in_at", text(line.checked_in_at)},
        {"opens_at", windows->checkin.opens_at},
        {"closes_at", windows->checkin.closes_at},
        {"open", windows->checkin.Contains(minute) && !line.checked_in_at},
        {"leave_closes_at", windows->leave_closes_at},
        {"leave_open", LeaveOpen(windows->leave_closes_at, minute) && !line.checked_in_at}});
  }
  return boost::json::object{{"items", std::move(items)}};
}

void RegisterCheckinRoutes(ModuleContext& context) {
  auto& identity = context.identity;
  auto& db = context.db;
  auto& router = context.router;

  // Each route checks the caller first: one without the permission learns nothing from the
  // checks of the request's content.
  router.Add(
      Method::kGet, "/api/v1/meetings/{id}/checkin",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        // A write: the token is issued the first time it is asked for.
        return org::ScopedWrite(identity, db, r, kWritePermission, 200,
                                [&](org::ScopedCall& call) -> Result<boost::json::value> {
                                  auto origin = RequestOrigin(r);
                                  if (!origin) return Fail(origin.error());
                                  auto overview =
                                      CheckinOverview(call.connection, call.scope, ChangeOf(call),
                                                      *id, *origin, NowShanghaiIso());
                                  if (!overview) return Fail(overview.error());
                                  return boost::json::value(std::move(*overview));
                                });
      },
      "签到情况：签到链接、签到起止时间、当前是否可签到、已签到人数（首次调用时生成签到码）");
  router.Add(
      Method::kGet, "/api/v1/meetings/{id}/checkin-qr",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto caller = auth::Require(identity, db, r, kWritePermission);
        if (!caller) return http::ErrorResponse(caller.error(), r);
        auto origin = RequestOrigin(r);
        if (!origin) return http::ErrorResponse(origin.error(), r);
        auto svg = db.Write([&](db::Connection& c) -> Result<std::string> {
          auto scope = org::SubtreeScope::For(c, *caller, kWritePermission);
          if (!scope) return Fail(scope.error());
          org::Change change{caller->AsActor(r.client_address), caller->account_id, "", ""};
          auto token = IssueCheckinToken(c, *scope, change, *id);
          if (!token) return Fail(token.error());
          auto matrix = EncodeQr(CheckinUrl(*origin, *token));
          if (!matrix) return Fail(matrix.error());
          return QrSvg(*matrix);
        });
        if (!svg) return http::ErrorResponse(svg.error(), r);
        Response response;
        response.status = 200;
        response.content_type = "image/svg+xml";
        response.body = std::move(*svg);
        return response;
      },
      "签到二维码（SVG，服务器生成；内容为签到链接）");
  router.Add(
      Method::kPost, "/api/v1/meetings/{id}/checkin/rotate",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        return org::ScopedWrite(
            identity, db, r, kWritePermission, 200,
            [&](org::ScopedCall& call) -> Result<boost::json::value> {
              auto origin = RequestOrigin(r);
              if (!origin) return Fail(origin.error());
              auto rotated = RotateCheckinToken(call.connection, call.scope, ChangeOf(call), *id);
              if (!rotated) return Fail(rotated.error());
              auto overview = CheckinOverview(call.connection, call.scope, ChangeOf(call), *id,
                                              *origin, NowShanghaiIso());
              if (!overview) return Fail(overview.error());
              return boost::json::value(std::move(*overview));
            });
      },
      "更换签到码（此前展示或外传的二维码随即失效）");
  router.Add(
      Method::kGet, "/api/v1/checkin",
      [&identity, &db](Request& r) {
        return SelfService(
            identity, db, r, /*write=*/false, 200,
            [&](db::Connection& c, const SelfCaller& self) -> Result<boost::json::value> {
              std::string token = r.QueryParam("t").value_or("");
              if (token.empty()) {
                return Fail(
                    Error::Invalid("orglife.token_missing", "请扫描会场展示的签到二维码", "t"));
              }
              auto preview = PreviewCheckin(c, self.member_id, token, NowShanghaiIso());
              if (!preview) return Fail(preview.error());
              return boost::json::value(std::move(*preview));
            });
      },
      "扫码后查看会议与本人签到情况（党员本人）");
  router.Add(
      Method::kPost, "/api/v1/checkin",
      [&identity, &db](Request& r) {
        return SelfService(
            identity, db, r, /*write=*/true, 200,
            [&](db::Connection& c, const SelfCaller& self) -> Result<boost::json::value> {
              auto body = r.JsonBody();
              if (!body) return Fail(body.error());
              auto token = StringField(*body, "token", false, kMaxTokenLength * 4);
              if (!token) return Fail(token.error());
              auto done = CheckIn(c, self, token->value_or(""), NowShanghaiIso());
              if (!done) return Fail(done.error());
              return boost::json::value(std::move(*done));
            });
      },
      "扫码签到（党员本人；签到时段内一次）");
  router.Add(
      Method::kGet, "/api/v1/meetings/mine",
      [&identity, &db](Request& r) {
        return SelfService(
            identity, db, r, /*write=*/false, 200,
            [&](db::Connection& c, const SelfCaller& self) -> Result<boost::json::value> {
              auto mine = MyMeetings(c, self.member_id, NowShanghaiIso());
              if (!mine) return Fail(mine.error());
              return boost::json::value(std::move(*mine));
            });
      },
      "本人近期应参加、尚可签到或请假的组织生活（党员本人）");
  router.Add(
      Method::kPost, "/api/v1/meetings/{id}/leave",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        return SelfService(
            identity, db, r, /*write=*/true, 200,
            [&](db::Connection& c, const SelfCaller& self) -> Result<boost::json::value> {
              auto body = r.JsonBody();
              if (!body) return Fail(body.error());
              auto reason = StringField(*body, "reason", false, kMaxLeaveReason);
              if (!reason) return Fail(reason.error());
              auto done = RequestLeave(c, self, *id, reason->value_or(""), NowShanghaiIso());
              if (!done) return Fail(done.error());
              return boost::json::value(std::move(*done));
            });
      },
      "请假（党员本人；会议开始前规定时间截止）");
}

}  // namespace zhibu::orglife
