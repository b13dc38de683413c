#pragma once
//! 组织生活纪实 (spec 04): the records of meetings and activities, each limited to the caller's
//! SubtreeScope (an id outside answers 404 like a missing one), validated with errors naming the
//! field, audited in the same transaction, never deleted.
//!
//! A record belongs to one organisation and has a kind (vocabulary.h), a topic, planned and actual
//! start and end (Asia/Shanghai local time `YYYY-MM-DDTHH:MM`), a place or online, host and
//! recorder, agenda, minutes and resolutions. Its attendance lists the people expected (应到) on
//! its date — computed from the registry: the branch's members (member_span), the committee
//! current on that date, or the 党小组's members — each present, on leave (a reason required) or
//! absent, with whether they may vote; 流入党员 attached to the branch, participants of open kinds
//! and 列席 guests (name, unit) besides. Votes (党员大会) are stored as ballots or as counts with
//! the list of voters; their results are computed on reading (votes.h).
//!
//! Life cycle: draft → submitted → accepted | returned (with reasons; edit and submit again) →
//! archived. A draft or returned record may be withdrawn. A submitted, accepted or archived record
//! cannot be edited; an accepted or archived one is corrected by a new record linked to it
//! (`correction_of`), which supersedes it once accepted. Submission refuses a 支委会 without more
//! than half of its committee present (orglife.quorum, 支部工作条例 第十二条).

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "modules/org/org_store.h"
#include "modules/orglife/review.h"
#include "modules/orglife/votes.h"
#include "platform/util/embedded.h"

namespace zhibu::embedded {
const std::vector<EmbeddedFile>& orglife_migrations();
}  // namespace zhibu::embedded

namespace zhibu::orglife {

//! A meeting time as the API takes it — `YYYY-MM-DDTHH:MM`, optionally with `:SS` and the
//! `+08:00` offset, a space allowed for the `T` — as the stored form `YYYY-MM-DDTHH:MM`
//! (Asia/Shanghai). 400 `orglife.time_invalid` naming `field` otherwise.
Result<std::string> ParseMeetingTime(std::string_view text, std::string_view field,
                                     std::string_view label);

//! One attendance entry as posted: a member (by id, or by name for a committee position held by
//! someone outside the registry) and their status.
struct AttendanceInput {
  std::optional<std::int64_t> member_id;
  std::string name;
  std::string status;  //!< present | leave | absent
  std::string leave_reason;
};

//! One 列席 guest.
struct GuestInput {
  std::string name;
  std::string unit;
};

//! A record's fields as posted (create) or patched (update): only the fields present are applied.
//! An empty string clears an optional text or time; a member id of 0 clears a host or recorder.
struct MeetingInput {
  std::optional<std::int64_t> org_id;
  std::optional<std::string> kind;
  std::optional<std::string> topic;
  std::optional<std::string> planned_start;
  std::optional<std::string> planned_end;
  std::optional<std::string> actual_start;
  std::optional<std::string> actual_end;
  std::optional<std::string> place;
  std::optional<bool> online;
  std::optional<std::int64_t> host_member_id;
  std::optional<std::string> host_name;
  std::optional<std::int64_t> recorder_member_id;
  std::optional<std::string> recorder_name;
  std::optional<std::string> agenda;
  std::optional<std::string> minutes;
  std::optional<std::string> resolutions;
  //! Entries for some attendees (the others keep their status; new ones start absent).
  std::optional<std::vector<AttendanceInput>> attendance;
  //! Replaces the 列席 guests when present.
  std::optional<std::vector<GuestInput>> guests;
  //! Replaces the votes when present.
  std::optional<std::vector<VoteInput>> votes;
};

//! The JSON body of POST or PATCH /api/v1/meetings as a MeetingInput (400 naming a field of the
//! wrong type or an unknown field).
Result<MeetingInput> MeetingInputFromJson(const boost::json::value& body);

//! Creates a draft record in organisation `input.org_id` (inside `scope`, active, of a kind the
//! record's kind belongs to). Answers its id.
Result<std::int64_t> CreateMeeting(db::Connection& c, const org::SubtreeScope& scope,
                                   const org::Change& change, const MeetingInput& input);

//! Applies `patch` to an editable (draft or returned) record; 409 `orglife.not_editable`
//! otherwise. The organisation and the kind of a record do not change.
Result<void> UpdateMeeting(db::Connection& c, const org::SubtreeScope& scope,
                           const org::Change& change, std::int64_t id, const MeetingInput& patch);

//! One record with its attendance, guests, votes (with computed results), reviews and links.
Result<boost::json::object> GetMeeting(db::Connection& c, const org::SubtreeScope& scope,
                                       std::int64_t id);

//! Records in `scope`, newest first, optionally limited to the subtree of `org_id`, a kind, a
//! status, and a range of dates.
struct MeetingQuery {
  std::optional<std::int64_t> org_id;
  std::string kind;
  std::string status;
  std::string from;  //!< YYYY-MM-DD, inclusive
  std::string to;    //!< YYYY-MM-DD, inclusive
  std::int64_t page = 1;
  std::int64_t page_size = 50;
};
Result<boost::json::object> ListMeetings(db::Connection& c, const org::SubtreeScope& scope,
                                         const MeetingQuery& query);

//! Submits a draft or returned record for review once it is complete (actual times, host,
//! recorder, minutes, someone present, attendance recomputed on its date); a 支委会 needs more
//! than half of its committee present (422 `orglife.quorum`).
Result<void> SubmitMeeting(db::Connection& c, const org::SubtreeScope& scope,
                           const org::Change& change, std::int64_t id);

//! Withdraws a draft or returned record (`change.reason` required); the record stays.
Result<void> WithdrawMeeting(db::Connection& c, const org::SubtreeScope& scope,
                             const org::Change& change, std::int64_t id);

//! The higher organisation's review of a submitted record: `accept`, or `return` with at least
//! one problem of the checklist or one free-text reason (400 naming `problems` when the body had
//! them, else `reasons`); an accept may record minor problems too. The problems are counted for
//! the record's organisation (review.h). `review_scope` is the caller's scope for
//! `orglife.review`; the record's parent organisation must lie inside it (a branch does not
//! review itself: 403 `orglife.review_own`). Accepting a correction supersedes the record it
//! corrects.
Result<void> ReviewMeeting(db::Connection& c, const org::SubtreeScope& review_scope,
                           const org::Change& change, std::int64_t id, const std::string& decision,
                           const std::vector<std::string>& reasons,
                           const std::optional<std::vector<ProblemInput>>& problems = std::nullopt);

//! Archives an accepted record (by the reviewing side, as ReviewMeeting).
Result<void> ArchiveMeeting(db::Connection& c, const org::SubtreeScope& review_scope,
                            const org::Change& change, std::int64_t id);

//! Opens a correction of an accepted or archived record: a new draft copying it (fields,
//! attendance, guests, votes) with `correction_of` pointing to it, `change.reason` required and
//! kept; one open correction at a time (409 `orglife.correction_open`). Answers the new id.
Result<std::int64_t> CorrectMeeting(db::Connection& c, const org::SubtreeScope& scope,
                                    const org::Change& change, std::int64_t id);

//! What the self-service routes (checkin.h) need of a record, read without a scope: the caller
//! acts as their own member, and their place in the record's attendance decides what they may do.
struct RecordSummary {
  std::int64_t id = 0;
  std::int64_t org_id = 0;
  std::string org_name;
  std::string org_path;
  std::string kind;
  std::string topic;
  std::string planned_start;  //!< YYYY-MM-DDTHH:MM, Asia/Shanghai
  std::string status;
};

//! The record `id` (404 `orglife.not_found`). With `lock`, the record is locked until the
//! transaction ends (PostgreSQL `FOR UPDATE`; SQLite's single writer serialises every write
//! anyway), so that concurrent check-ins and edits rewrite its attendance one after another.
Result<RecordSummary> LoadRecordSummary(db::Connection& c, std::int64_t id, bool lock);

//! One member's own line in a record's attendance.
struct OwnAttendance {
  std::string role;    //!< expected | attached | participant
  std::string status;  //!< present | leave | absent
  std::string leave_reason;
  std::optional<std::string> checked_in_at;  //!< ISO 8601 with the Shanghai offset
};

//! The member's line as the record's attendance stands once recomputed on its date (the people
//! expected then, with the statuses already recorded): `expected` or `attached` (流入党员 attached
//! to the branch), or for a kind without an expected list a `participant` when the member belonged
//! to the organisation's subtree on that date. Nullopt when the member has no place there.
Result<std::optional<OwnAttendance>> FindOwnAttendance(db::Connection& c, std::int64_t record_id,
                                                       std::int64_t member_id);

//! Sets the member's own line to `mark` (status, leave reason, check-in time) and stores the
//! record's attendance recomputed on its date, with its counts, as an edit does. 422
//! `orglife.not_expected` naming `field` when the member has no place in the record. Checks
//! neither the record's status nor any time window and does not audit: the caller does.
Result<void> MarkOwnAttendance(db::Connection& c, std::int64_t record_id, std::int64_t member_id,
                               const OwnAttendance& mark, std::string_view field);

//! 422 `orglife.not_expected` naming `field`: the member has no place in the record.
Error NotExpected(std::string_view field);

}  // namespace zhibu::orglife
