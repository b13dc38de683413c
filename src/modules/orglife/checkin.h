#pragma once
//! 签到与请假 (spec 04 "Attendance"): a member checks in to a meeting by scanning its QR code with
//! a phone and signing in, once, within a window around the planned start; before the start they
//! may ask for leave (请假) with a reason. Both mark the member's own line in the record's
//! attendance (present with the time of check-in, or leave with the reason) — the same line a
//! branch officer marks in the editor — and both are audited.
//!
//! The QR code carries `<origin>/m/checkin?t=<token>`: one unguessable token per record (32
//! random bytes, URL-safe base64), issued the first time the console asks for it and stored in
//! clear (see `IssueCheckinToken` for why), replaceable by a new one. The token only opens the
//! door to the record: the caller must hold `orglife.checkin` (党员), be linked to a member
//! (account.member_id) and have a place in the record's attendance on its date — expected (应到),
//! or a 流入党员 attached to the branch (党员教育管理工作条例 第三十二条), whose presence counts
//! for their own organisational life at home as well (the 6-month rule reads attendance anywhere).
//!
//! Times: the check-in window runs from `orglife.checkin_minutes_before` minutes before the planned
//! start to `orglife.checkin_minutes_after` minutes after it, both edges included to the minute
//! (Asia/Shanghai): planned 09:00 with 20/20 accepts 08:40:00 through 09:20:59 and refuses 08:39:59
//! and 09:21:00. Leave closes `orglife.leave_close_minutes` minutes before the planned start: with
//! 20, a request at 08:39:59 is accepted, one at 08:40:00 refused. Only records still open for
//! attendance (draft, returned) take either.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "modules/org/org_store.h"
#include "modules/org/subtree_scope.h"
#include "platform/http/message.h"
#include "platform/module/manifest.h"

namespace zhibu::orglife {

//! Self-service: check in and ask for leave as the caller's own member (党员).
inline constexpr std::string_view kCheckinPermission = "orglife.checkin";
//! Minutes before the planned start from which check-in is accepted (local; default 20).
inline constexpr std::string_view kCheckinBeforeSetting = "orglife.checkin_minutes_before";
//! Minutes after the planned start until which check-in is accepted (local; default 20).
inline constexpr std::string_view kCheckinAfterSetting = "orglife.checkin_minutes_after";
//! Minutes before the planned start at which leave requests close (local; default 20).
inline constexpr std::string_view kLeaveCloseSetting = "orglife.leave_close_minutes";

//! What the check-in rules rest on (cited in errors and docs).
inline constexpr std::string_view kCheckinSource =
    "中国共产党党员教育管理工作条例 第十六条（党员按期参加组织生活）；签到时段为本地设置 "
    "orglife.checkin_minutes_before / orglife.checkin_minutes_after（spec "
    "04：默认开始前后各20分钟）";
inline constexpr std::string_view kLeaveSource =
    "中国共产党章程 第九条（无正当理由连续6个月不参加组织生活视为自行脱党，请假即说明理由）；"
    "请假截止时间为本地设置 orglife.leave_close_minutes（spec 04：默认开始前20分钟）";

//! `minute` (`YYYY-MM-DDTHH:MM`, a valid local time) moved by `delta` minutes across days,
//! months and years.
std::string AddMinutes(std::string_view minute, int delta);

//! The minute (`YYYY-MM-DDTHH:MM`) of an ISO 8601 time such as NowShanghaiIso()'s.
std::string MinuteOf(std::string_view iso_time);

//! When a record planned to start at `planned_start` takes check-ins: `opens_at` and `closes_at`
//! are the first and the last minute accepted.
struct CheckinWindow {
  std::string opens_at;
  std::string closes_at;
  //! Whether a check-in in `minute` (`YYYY-MM-DDTHH:MM`) is accepted: both edges included.
  bool Contains(std::string_view minute) const { return opens_at <= minute && minute <= closes_at; }
};
CheckinWindow WindowFor(std::string_view planned_start, int minutes_before, int minutes_after);

//! The first minute in which leave is no longer accepted: `close_minutes` before the start.
std::string LeaveClosesAt(std::string_view planned_start, int close_minutes);
//! Whether a leave request in `minute` comes before `closes_at`.
inline bool LeaveOpen(std::string_view closes_at, std::string_view minute) {
  return minute < closes_at;
}

//! The origin the request reached the server at, as the browser sees it: `https` when the
//! reverse proxy says so (`X-Forwarded-Proto: https`), else `http`, and the `Host` header
//! (letters, digits, `.-:[]`, at most 255 bytes). 400 `request.host_invalid` otherwise.
Result<std::string> RequestOrigin(const http::Request& request);

//! The address a record's QR code carries: `<origin>/m/checkin?t=<token>`.
std::string CheckinUrl(std::string_view origin, std::string_view token);

//! The record's check-in token (orglife.write on the record's organisation: `scope`), issued on
//! first use — audited as `orglife.checkin_token` — for a record still open for attendance (409
//! `orglife.checkin_unavailable` otherwise). Stored in clear: the console must show the same QR
//! code on the projector, a printout and every refresh for the whole window, which a hash would
//! not allow without replacing the token each time; the token admits nobody by itself (a
//! signed-in member with a place in the record, within the window, once) and the database that
//! would leak it holds the records themselves.
Result<std::string> IssueCheckinToken(db::Connection& c, const org::SubtreeScope& scope,
                                      const org::Change& change, std::int64_t id);

//! Replaces the record's token (a photo of the QR code passed around stops working); audited as
//! `orglife.checkin_token` with `rotated: true`. Answers the new token.
Result<std::string> RotateCheckinToken(db::Connection& c, const org::SubtreeScope& scope,
                                       const org::Change& change, std::int64_t id);

//! What the console shows beside the QR code: `{record_id, status, token_url, opens_at,
//! closes_at, open, checked_in, leave, expected, leave_closes_at, now}`: `open` is true when a
//! check-in at `now` (ISO 8601) would be accepted; `checked_in` counts the lines with a check-in
//! time. Issues the token on first use.
Result<boost::json::object> CheckinOverview(db::Connection& c, const org::SubtreeScope& scope,
                                            const org::Change& change, std::int64_t id,
                                            std::string_view origin, std::string_view now);

//! The caller of a self-service route: their own member and the audit actor.
struct SelfCaller {
  std::int64_t member_id = 0;
  audit::Actor actor;
};

//! `GET /api/v1/checkin?t=`: the record the token opens, for the phone page — `{meeting: {id,
//! topic, kind, kind_title, org_name, planned_start}, opens_at, closes_at, open, expected, role,
//! status, checked_in, checked_in_at}`. 404 `orglife.checkin_token_unknown` for an unknown token.
Result<boost::json::object> PreviewCheckin(db::Connection& c, std::int64_t member_id,
                                           std::string_view token, std::string_view now);

//! `POST /api/v1/checkin {token}` at `now` (ISO 8601, Asia/Shanghai): marks the member present
//! with `checked_in_at = now`. Refuses an unknown token (404), a record no longer open for
//! attendance or a time outside the window (422 `orglife.checkin_closed`, field `token`), a
//! member with no place in the record (422 `orglife.not_expected`), a second check-in (409
//! `orglife.already_checked_in`). Audited as `orglife.checkin`. Answers `{meeting: {id, topic,
//! org_name, planned_start}, checked_in_at, role}`.
Result<boost::json::object> CheckIn(db::Connection& c, const SelfCaller& caller,
                                    std::string_view token, std::string_view now);

//! `POST /api/v1/meetings/{id}/leave {reason}` at `now`: marks the member on leave with `reason`
//! (1–600 bytes; 400 `orglife.leave_reason_missing` naming `reason`). A record where the member
//! has no place answers 404 like a missing one; one no longer open for attendance, or a request
//! from the closing minute on, 422 `orglife.leave_closed`; a member already checked in 409
//! `orglife.already_checked_in`. Audited as `orglife.leave_request`. Answers `{meeting, status,
//! leave_reason, leave_closes_at}`.
Result<boost::json::object> RequestLeave(db::Connection& c, const SelfCaller& caller,
                                         std::int64_t record_id, std::string_view reason,
                                         std::string_view now);

//! `GET /api/v1/meetings/mine` at `now`: the records still open for attendance (draft, returned)
//! held from yesterday on where the member has a place — of their branch and the organisations
//! above it, their 党小组, the branch they are attached to as a 流入党员 — soonest first, at most
//! 50:
//! `{items: [{meeting, role, status, leave_reason, checked_in_at, opens_at, closes_at, open,
//! leave_closes_at, leave_open}]}`. What the phone shows before a meeting (to ask for leave) and
//! during it.
Result<boost::json::object> MyMeetings(db::Connection& c, std::int64_t member_id,
                                       std::string_view now);

//! Registers the check-in and leave routes (see docs/api-orglife.md).
void RegisterCheckinRoutes(ModuleContext& context);

}  // namespace zhibu::orglife
