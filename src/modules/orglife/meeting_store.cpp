#include "modules/orglife/meeting_store.h"

#include <algorithm>
#include <map>
#include <set>

#include "modules/member/member_store.h"
#include "modules/orglife/attachments.h"
#include "modules/orglife/vocabulary.h"
#include "platform/compliance/rule.h"
#include "platform/json/json.h"
#include "platform/util/clock.h"
#include "platform/util/date.h"

namespace zhibu::orglife {
namespace {

constexpr std::string_view kRecordColumns =
    "r.id, r.org_id, o.name, o.path, o.kind, r.kind, r.topic, r.planned_start, r.planned_end, "
    "r.actual_start, r.actual_end, r.held_on, r.place, r.online, r.host_member_id, r.host_name, "
    "r.recorder_member_id, r.recorder_name, r.agenda, r.minutes, r.resolutions, r.status, "
    "r.counted, r.correction_of, r.correction_reason, r.superseded_by, r.created_at, "
    "r.updated_at, r.submitted_at, r.reviewed_at, r.archived_at, o.status";
constexpr std::string_view kInsertRecord =
    "INSERT INTO meeting_record (org_id, kind, topic, planned_start, planned_end, actual_start, "
    "actual_end, held_on, place, online, host_member_id, host_name, recorder_member_id, "
    "recorder_name, agenda, minutes, resolutions, status, correction_of, correction_reason, "
    "created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
    "$12, $13, $14, $15, $16, $17, 'draft', $18, $19, $20, $21, $21) RETURNING id";
constexpr std::string_view kUpdateFields =
    "UPDATE meeting_record SET topic = $2, planned_start = $3, planned_end = $4, actual_start = "
    "$5, actual_end = $6, held_on = $7, place = $8, online = $9, host_member_id = $10, host_name = "
    "$11, recorder_member_id = $12, recorder_name = $13, agenda = $14, minutes = $15, "
    "resolutions = $16, updated_at = $17 WHERE id = $1";
constexpr std::string_view kUpdateCounts =
    "UPDATE meeting_record SET expected_count = $2, present_count = $3, leave_count = $4, "
    "absent_count = $5, voting_expected = $6, voting_present = $7, vote_without_quorum = $8 WHERE "
    "id = $1";
constexpr std::string_view kSetStatus =
    "UPDATE meeting_record SET status = $2, counted = $3, updated_at = $4 WHERE id = $1";
constexpr std::string_view kSelectAttendance =
    "SELECT role, member_id, name, unit, position, status, leave_reason, voting, no_vote_reason, "
    "hardship, checked_in_at FROM meeting_attendance WHERE record_id = $1 ORDER BY id";
constexpr std::string_view kDeleteAttendance =
    "DELETE FROM meeting_attendance WHERE record_id = $1";
constexpr std::string_view kInsertAttendance =
    "INSERT INTO meeting_attendance (record_id, role, member_id, name, unit, position, status, "
    "leave_reason, voting, no_vote_reason, hardship, counted_on, checked_in_at) VALUES ($1, $2, "
    "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
constexpr std::string_view kCountedOn =
    "UPDATE meeting_attendance SET counted_on = $2 WHERE record_id = $1";
constexpr std::string_view kSelectVotes =
    "SELECT id, resolution, method, yes_count, no_count, abstain_count FROM meeting_vote WHERE "
    "record_id = $1 ORDER BY seq";
constexpr std::string_view kSelectBallots =
    "SELECT member_id, choice FROM meeting_ballot WHERE vote_id = $1 ORDER BY member_id";
constexpr std::string_view kDeleteBallots =
    "DELETE FROM meeting_ballot WHERE vote_id IN (SELECT id FROM meeting_vote WHERE record_id = "
    "$1)";
constexpr std::string_view kDeleteVotes = "DELETE FROM meeting_vote WHERE record_id = $1";
constexpr std::string_view kInsertVote =
    "INSERT INTO meeting_vote (record_id, seq, resolution, method, yes_count, no_count, "
    "abstain_count) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
constexpr std::string_view kInsertBallot =
    "INSERT INTO meeting_ballot (vote_id, member_id, choice) VALUES ($1, $2, $3)";
// Membership on a date (member_span: valid_from inclusive, valid_to exclusive).
constexpr std::string_view kBranchMembersOn =
    "SELECT m.id, m.name, s.status, m.confirmed_on, m.hardship FROM member_span s JOIN member m "
    "ON m.id = s.member_id WHERE s.org_id = $1 AND s.valid_from <= $2 AND (s.valid_to IS NULL OR "
    "s.valid_to > $2) ORDER BY m.id";
constexpr std::string_view kSubtreeMembersOn =
    "SELECT m.id, m.name, s.status, m.confirmed_on, m.hardship FROM member_span s JOIN member m "
    "ON m.id = s.member_id JOIN organisation o ON o.id = s.org_id WHERE o.path >= $1 AND o.path < "
    "$2 AND s.valid_from <= $3 AND (s.valid_to IS NULL OR s.valid_to > $3) ORDER BY m.id";
constexpr std::string_view kGroupMembersOn =
    "SELECT m.id, m.name, s.status, m.confirmed_on, m.hardship FROM member m JOIN member_span s "
    "ON s.member_id = m.id AND s.org_id = $2 WHERE m.group_id = $1 AND s.valid_from <= $3 AND "
    "(s.valid_to IS NULL OR s.valid_to > $3) ORDER BY m.id";
constexpr std::string_view kMemberOn =
    "SELECT m.id, m.name, s.status, m.confirmed_on, m.hardship FROM member_span s JOIN member m "
    "ON m.id = s.member_id JOIN organisation o ON o.id = s.org_id WHERE s.member_id = $1 AND "
    "o.path >= $2 AND o.path < $3 AND s.valid_from <= $4 AND (s.valid_to IS NULL OR s.valid_to > "
    "$4)";
constexpr std::string_view kCommitteeOn =
    "SELECT id, elected_on FROM committee WHERE org_id = $1 AND elected_on <= $2 ORDER BY "
    "elected_on DESC, id DESC LIMIT 1";
constexpr std::string_view kCommitteePositions =
    "SELECT p.member_id, p.member_name, p.position, m.confirmed_on FROM committee_position p "
    "LEFT JOIN member m ON m.id = p.member_id WHERE p.committee_id = $1 ORDER BY p.id";
constexpr std::string_view kAttachedMembers =
    "SELECT id, name FROM member WHERE attached_org_id = $1 AND away_since IS NOT NULL AND "
    "departed_on IS NULL AND status IN ('full', 'probationary') ORDER BY id";

constexpr std::string_view kLockRecord = "SELECT id FROM meeting_record WHERE id = $1 FOR UPDATE";
//! The home branches of the 流入党员 in a record: their organisational life there counts for them
//! at home too (党员教育管理工作条例 第三十二条), so the home branch's rules are judged again.
constexpr std::string_view kAttachedHomePaths =
    "SELECT DISTINCT m.org_path FROM meeting_attendance a JOIN member m ON m.id = a.member_id "
    "WHERE a.record_id = $1 AND a.role = 'attached'";
constexpr std::string_view kMemberHomePath = "SELECT org_path FROM member WHERE id = $1";

constexpr std::size_t kMaxTopic = 600;
constexpr std::size_t kMaxName = 100;
constexpr std::size_t kMaxPlace = 400;
constexpr std::size_t kMaxReason = 600;
constexpr std::size_t kMaxLongText = 60000;

Error NotFound() {
  return Error::NotFound("orglife.not_found", "组织生活记录不存在或不在您的管理范围内");
}

Error Invalid(std::string code, std::string message, std::string field) {
  return Error::Invalid(std::move(code), std::move(message), std::move(field));
}

std::string Num(std::int64_t n) { return std::to_string(n); }
std::string Index(std::size_t i) { return "[" + std::to_string(i) + "]"; }

db::Value OptionalText(const std::optional<std::string>& text) {
  return text && !text->empty() ? db::Value(*text) : db::Value(nullptr);
}
db::Value OptionalId(const std::optional<std::int64_t>& id) {
  return id ? db::Value(*id) : db::Value(nullptr);
}
boost::json::value JsonText(const std::optional<std::string>& text) {
  return text ? boost::json::value(*text) : boost::json::value(nullptr);
}
boost::json::value JsonId(const std::optional<std::int64_t>& id) {
  return id ? boost::json::value(*id) : boost::json::value(nullptr);
}

//! The record's row with its organisation.
struct Record {
  std::int64_t id = 0;
  std::int64_t org_id = 0;
  std::string org_name;
  std::string org_path;
  std::string org_kind;
  std::string kind;
  std::string topic;
  std::string planned_start;
  std::string planned_end;
  std::optional<std::string> actual_start;
  std::optional<std::string> actual_end;
  std::string held_on;
  std::string place;
  bool online = false;
  std::optional<std::int64_t> host_member_id;
  std::string host_name;
  std::optional<std::int64_t> recorder_member_id;
  std::string recorder_name;
  std::string agenda;
  std::string minutes;
  std::string resolutions;
  std::string status;
  bool counted = false;
  std::optional<std::int64_t> correction_of;
  std::string correction_reason;
  std::optional<std::int64_t> superseded_by;
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> submitted_at;
  std::optional<std::string> reviewed_at;
  std::optional<std::string> archived_at;
  std::string org_status;

  const MeetingKind& Kind() const { return *FindKind(kind); }
  //! Who is expected at this record: the kind's basis, except that a 党委's meeting of members (its
  //! 党课, given by the 党委书记 for the members of the branches under it: 支部工作条例 第十六条,
  //! spec 04) has no list fixed in advance — its participants are entered from the 党委's subtree.
  Expected Basis() const {
    Expected basis = Kind().expected;
    if (basis == Expected::kBranchMembers &&
        (org_kind == "committee" || org_kind == "committee_higher")) {
      return Expected::kOpen;
    }
    return basis;
  }
};

Record RecordFrom(const db::ResultSet& r, std::size_t i) {
  Record out;
  out.id = r.Int(i, 0);
  out.org_id = r.Int(i, 1);
  out.org_name = r.Text(i, 2);
  out.org_path = r.Text(i, 3);
  out.org_kind = r.Text(i, 4);
  out.kind = r.Text(i, 5);
  out.topic = r.Text(i, 6);
  out.planned_start = r.Text(i, 7);
  out.planned_end = r.Text(i, 8);
  out.actual_start = r.OptionalText(i, 9);
  out.actual_end = r.OptionalText(i, 10);
  out.held_on = r.Text(i, 11);
  out.place = r.Text(i, 12);
  out.online = r.Int(i, 13) != 0;
  out.host_member_id = r.OptionalInt(i, 14);
  out.host_name = r.Text(i, 15);
  out.recorder_member_id = r.OptionalInt(i, 16);
  out.recorder_name = r.Text(i, 17);
  out.agenda = r.Text(i, 18);
  out.minutes = r.Text(i, 19);
  out.resolutions = r.Text(i, 20);
  out.status = r.Text(i, 21);
  out.counted = r.Int(i, 22) != 0;
  out.correction_of = r.OptionalInt(i, 23);
  out.correction_reason = r.Text(i, 24);
  out.superseded_by = r.OptionalInt(i, 25);
  out.created_at = r.Text(i, 26);
  out.updated_at = r.Text(i, 27);
  out.submitted_at = r.OptionalText(i, 28);
  out.reviewed_at = r.OptionalText(i, 29);
  out.archived_at = r.OptionalText(i, 30);
  out.org_status = r.Text(i, 31);
  return out;
}

//! The record `id` when its organisation lies inside `scope`; otherwise not found.
Result<Record> LoadRecord(db::Connection& c, const org::SubtreeScope& scope, std::int64_t id) {
  std::vector<db::Value> params{id};
  std::string sql = "SELECT " + std::string(kRecordColumns) +
                    " FROM meeting_record r JOIN organisation o ON o.id = r.org_id WHERE r.id = "
                    "$1 AND " +
                    scope.Condition("o.path", params);
  auto rows = c.Query(sql, std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return Fail(NotFound());
  return RecordFrom(*rows, 0);
}

//! Locks record `id` until the transaction ends, so that attendance rewrites (an edit, a
//! submission, members checking in at the same minute) follow one another instead of each
//! replacing the rows the other wrote. SQLite has one writer: nothing to do there.
Result<void> LockRow(db::Connection& c, std::int64_t id) {
  if (c.backend() != db::Backend::kPostgres) return {};
  auto locked = c.Query(kLockRecord, {id});
  if (!locked) return Fail(locked.error());
  return {};
}

//! One row of a record's attendance.
struct Row {
  Attendee a;
  std::string unit;
  std::string position;
  std::string leave_reason;
  std::optional<std::string> checked_in_at;
};

Result<std::vector<Row>> LoadRows(db::Connection& c, std::int64_t record_id) {
  auto rows = c.Query(kSelectAttendance, {record_id});
  if (!rows) return Fail(rows.error());
  std::vector<Row> out;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    Row row;
    row.a.role = rows->Text(i, 0);
    row.a.member_id = rows->OptionalInt(i, 1);
    row.a.name = rows->Text(i, 2);
    row.unit = rows->Text(i, 3);
    row.position = rows->Text(i, 4);
    row.a.status = rows->Text(i, 5);
    row.leave_reason = rows->Text(i, 6);
    row.a.voting = rows->Int(i, 7) != 0;
    row.a.no_vote_reason = rows->Text(i, 8);
    row.a.hardship = rows->Int(i, 9) != 0;
    row.checked_in_at = rows->OptionalText(i, 10);
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<Attendee> Attendees(const std::vector<Row>& rows) {
  std::vector<Attendee> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r.a);
  return out;
}

//! Whether member `id` may vote on `date`: a full member (转正 on or before the date) not under
//! 留党察看. Fills `a.voting` and `a.no_vote_reason`.
Result<void> DecideVote(db::Connection& c, Attendee& a, const std::string& span_status,
                        const std::optional<std::string>& confirmed_on, const std::string& date) {
  a.voting = false;
  a.no_vote_reason.clear();
  if (!a.member_id) return {};
  if (span_status != "full" || !confirmed_on || *confirmed_on > date) {
    a.no_vote_reason = "probationary";
    return {};
  }
  auto probation = member::PartyProbationOn(c, *a.member_id, date);
  if (!probation) return Fail(probation.error());
  if (*probation) {
    a.no_vote_reason = "party_probation";
    return {};
  }
  a.voting = true;
  return {};
}

//! Rows for members read by one of the k*MembersOn queries.
Result<std::vector<Row>> MemberRows(db::Connection& c, const db::ResultSet& r,
                                    const std::string& date, std::string_view role) {
  std::vector<Row> out;
  for (std::size_t i = 0; i < r.size(); ++i) {
    Row row;
    row.a.member_id = r.Int(i, 0);
    row.a.name = r.Text(i, 1);
    row.a.role = std::string(role);
    row.a.status = "absent";
    row.a.hardship = r.Int(i, 4) != 0;
    auto decided = DecideVote(c, row.a, r.Text(i, 2), r.OptionalText(i, 3), date);
    if (!decided) return Fail(decided.error());
    out.push_back(std::move(row));
  }
  return out;
}

std::string ParentPath(const std::string& path) {
  if (path.size() < 2) return path;
  auto cut = path.rfind('/', path.size() - 2);
  return cut == std::string::npos ? path : path.substr(0, cut + 1);
}

//! Who is expected at a record of `kind` held by `record`'s organisation on `date` (role
//! `expected`, all absent), followed by the 流入党员 attached to the branch (role `attached`).
Result<std::vector<Row>> ExpectedOn(db::Connection& c, const Record& record,
                                    const std::string& date) {
  const MeetingKind& kind = record.Kind();
  std::vector<Row> out;
  Expected basis = record.Basis();
  if (basis == Expected::kBranchMembers) {
    auto rows =
        record.org_kind == "general_branch"
            ? c.Query(kSubtreeMembersOn, {record.org_path, org::SubtreeEnd(record.org_path), date})
            : c.Query(kBranchMembersOn, {record.org_id, date});
    if (!rows) return Fail(rows.error());
    auto members = MemberRows(c, *rows, date, "expected");
    if (!members) return Fail(members.error());
    out = std::move(*members);
  } else if (basis == Expected::kGroupMembers) {
    auto parent = c.Query("SELECT parent_id FROM organisation WHERE id = $1", {record.org_id});
    if (!parent) return Fail(parent.error());
    auto branch = parent->OptionalInt(0, 0);
    auto rows = c.Query(kGroupMembersOn, {record.org_id, branch.value_or(0), date});
    if (!rows) return Fail(rows.error());
    auto members = MemberRows(c, *rows, date, "expected");
    if (!members) return Fail(members.error());
    out = std::move(*members);
  } else if (basis == Expected::kCommittee) {
    auto committee = c.Query(kCommitteeOn, {record.org_id, date});
    if (!committee) return Fail(committee.error());
    if (committee->empty()) {
      return Fail(Error::Unprocessable(
          "orglife.no_committee",
          record.org_name + "在 " + date + " 没有委员会，不能记录" + std::string(kind.title),
          "org_id",
          "中国共产党支部工作条例（试行）第六章：有正式党员7人以上的党支部设立支部委员会"));
    }
    auto positions = c.Query(kCommitteePositions, {committee->Int(0, 0)});
    if (!positions) return Fail(positions.error());
    for (std::size_t i = 0; i < positions->size(); ++i) {
      Row row;
      row.a.member_id = positions->OptionalInt(i, 0);
      row.a.name = positions->Text(i, 1);
      row.a.role = "expected";
      row.a.status = "absent";
      row.position = positions->Text(i, 2);
      auto decided = DecideVote(c, row.a, positions->OptionalText(i, 3) ? "full" : "probationary",
                                positions->OptionalText(i, 3), date);
      if (!decided) return Fail(decided.error());
      out.push_back(std::move(row));
    }
  }
  if (org::IsBranchKind(record.org_kind)) {
    auto attached = c.Query(kAttachedMembers, {record.org_id});
    if (!attached) return Fail(attached.error());
    for (std::size_t i = 0; i < attached->size(); ++i) {
      std::int64_t id = attached->Int(i, 0);
      if (std::any_of(out.begin(), out.end(), [&](const Row& r) { return r.a.member_id == id; })) {
        continue;
      }
      Row row;
      row.a.member_id = id;
      row.a.name = attached->Text(i, 1);
      row.a.role = "attached";
      row.a.status = "absent";
      row.a.no_vote_reason = "attached";
      out.push_back(std::move(row));
    }
  }
  return out;
}

//! The key that identifies a person across recomputations: the member, or the name of a committee
//! position held outside the registry.
std::string KeyOf(const Attendee& a) {
  return a.member_id ? "m" + Num(*a.member_id) : "n" + a.name;
}

//! Today's expected list with the statuses already recorded carried over; participants and
//! guests kept.
std::vector<Row> Merge(std::vector<Row> expected, const std::vector<Row>& existing) {
  std::map<std::string, const Row*> before;
  for (const auto& r : existing) {
    if (r.a.role == "expected" || r.a.role == "attached") before[KeyOf(r.a)] = &r;
  }
  for (auto& r : expected) {
    auto at = before.find(KeyOf(r.a));
    if (at == before.end()) continue;
    r.a.status = at->second->a.status;
    r.leave_reason = at->second->leave_reason;
    r.checked_in_at = at->second->checked_in_at;
  }
  for (const auto& r : existing) {
    if (r.a.role == "participant" || r.a.role == "guest") expected.push_back(r);
  }
  return expected;
}

Result<void> CheckLength(const std::string& text, std::size_t max, std::string_view field,
                         std::string_view label) {
  if (text.size() > max) {
    return Fail(
        Invalid("orglife.text_too_long",
                std::string(label) + "不超过 " + Num(static_cast<std::int64_t>(max)) + " 字节",
                std::string(field)));
  }
  return {};
}

//! Applies the attendance entries to `rows` (field names `attendance[i]…`).
Result<void> ApplyAttendance(db::Connection& c, const Record& record,
                             const std::vector<AttendanceInput>& entries, std::vector<Row>& rows) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const AttendanceInput& e = entries[i];
    std::string at = "attendance" + Index(i);
    if (TitleOf(AttendanceStatuses(), e.status).empty()) {
      return Fail(Invalid("orglife.attendance_status_invalid",
                          "出席情况应为 present（出席）、leave（请假）或 absent（缺席）",
                          at + ".status"));
    }
    if (e.status == "leave" && e.leave_reason.empty()) {
      return Fail(Invalid("orglife.leave_reason_missing", "请假须填写事由", at + ".leave_reason"));
    }
    auto length = CheckLength(e.leave_reason, kMaxReason, at + ".leave_reason", "请假事由");
    if (!length) return Fail(length.error());
    Row* row = nullptr;
    std::string key;
    if (e.member_id) {
      key = "m" + Num(*e.member_id);
      for (auto& r : rows) {
        if (r.a.member_id == e.member_id && r.a.role != "guest") row = &r;
      }
      if (row == nullptr && record.Basis() == Expected::kOpen) {
        // A participant: a member of the organisation's subtree on the record's date.
        auto found = c.Query(kMemberOn, {*e.member_id, record.org_path,
                                         org::SubtreeEnd(record.org_path), record.held_on});
        if (!found) return Fail(found.error());
        if (!found->empty()) {
          auto added = MemberRows(c, *found, record.held_on, "participant");
          if (!added) return Fail(added.error());
          rows.push_back(std::move(added->front()));
          row = &rows.back();
        }
      }
      if (row == nullptr) {
        return Fail(Invalid("orglife.attendee_unknown",
                            "该党员不是本次" + std::string(record.Kind().title) + "的应到人员（" +
                                record.held_on + " 的组织关系）",
                            at + ".member_id"));
      }
    } else {
      key = "n" + e.name;
      for (auto& r : rows) {
        if (!r.a.member_id && r.a.role == "expected" && r.a.name == e.name) row = &r;
      }
      if (row == nullptr) {
        return Fail(Invalid("orglife.attendee_unknown",
                            "请以 member_id 指明党员；只有未登记在党员信息库中的委员可按姓名指明",
                            at + ".name"));
      }
    }
    if (!seen.insert(key).second) {
      return Fail(Invalid("orglife.attendee_duplicate", "同一人员只能填写一次", at));
    }
    row->a.status = e.status;
    row->leave_reason = e.status == "leave" ? e.leave_reason : std::string();
  }
  return {};
}

Result<void> ApplyGuests(const std::vector<GuestInput>& guests, std::vector<Row>& rows) {
  std::erase_if(rows, [](const Row& r) { return r.a.role == "guest"; });
  for (std::size_t i = 0; i < guests.size(); ++i) {
    std::string at = "guests" + Index(i);
    if (guests[i].name.empty()) {
      return Fail(Invalid("orglife.guest_name_missing", "请填写列席人员姓名", at + ".name"));
    }
    auto name = CheckLength(guests[i].name, kMaxName, at + ".name", "姓名");
    if (!name) return Fail(name.error());
    auto unit = CheckLength(guests[i].unit, kMaxPlace, at + ".unit", "单位");
    if (!unit) return Fail(unit.error());
    Row row;
    row.a.name = guests[i].name;
    row.a.role = "guest";
    row.a.status = "present";
    row.unit = guests[i].unit;
    rows.push_back(std::move(row));
  }
  return {};
}

Result<std::vector<VoteInput>> LoadVotes(db::Connection& c, std::int64_t record_id) {
  auto votes = c.Query(kSelectVotes, {record_id});
  if (!votes) return Fail(votes.error());
  std::vector<VoteInput> out;
  for (std::size_t i = 0; i < votes->size(); ++i) {
    VoteInput v;
    v.resolution = votes->Text(i, 1);
    v.method = votes->Text(i, 2);
    v.yes = votes->Int(i, 3);
    v.no = votes->Int(i, 4);
    v.abstain = votes->Int(i, 5);
    auto ballots = c.Query(kSelectBallots, {votes->Int(i, 0)});
    if (!ballots) return Fail(ballots.error());
    for (std::size_t k = 0; k < ballots->size(); ++k) {
      if (v.method == "open") {
        v.ballots.push_back({ballots->Int(k, 0), ballots->Text(k, 1)});
      } else {
        v.voters.push_back(ballots->Int(k, 0));
      }
    }
    out.push_back(std::move(v));
  }
  return out;
}

Result<void> StoreVotes(db::Connection& c, std::int64_t record_id,
                        const std::vector<VoteInput>& votes) {
  auto ballots = c.Execute(kDeleteBallots, {record_id});
  if (!ballots) return Fail(ballots.error());
  auto deleted = c.Execute(kDeleteVotes, {record_id});
  if (!deleted) return Fail(deleted.error());
  for (std::size_t i = 0; i < votes.size(); ++i) {
    const VoteInput& v = votes[i];
    bool secret = v.method == "secret";
    auto id =
        c.Query(kInsertVote, {record_id, static_cast<std::int64_t>(i + 1), v.resolution, v.method,
                              secret ? v.yes : 0, secret ? v.no : 0, secret ? v.abstain : 0});
    if (!id) return Fail(id.error());
    if (secret) {
      for (std::int64_t voter : v.voters) {
        auto done = c.Execute(kInsertBallot, {id->Int(0, 0), voter, nullptr});
        if (!done) return Fail(done.error());
      }
    } else {
      for (const auto& b : v.ballots) {
        auto done = c.Execute(kInsertBallot, {id->Int(0, 0), b.member_id, b.choice});
        if (!done) return Fail(done.error());
      }
    }
  }
  return {};
}

//! Checks every vote against the attendance; answers whether one was held without quorum.
Result<bool> CheckVotes(const Record& record, const std::vector<VoteInput>& votes,
                        const std::vector<Row>& rows) {
  if (!votes.empty() && !record.Kind().votes) {
    return Fail(Invalid("orglife.votes_not_allowed",
                        std::string(record.Kind().title) + "不进行表决；表决在支部党员大会上进行",
                        "votes"));
  }
  bool without_quorum = false;
  std::vector<Attendee> attendees = Attendees(rows);
  for (std::size_t i = 0; i < votes.size(); ++i) {
    auto tally = CountVote(votes[i], attendees, "votes" + Index(i));
    if (!tally) return Fail(tally.error());
    if (!tally->quorum) without_quorum = true;
  }
  return without_quorum;
}

Result<void> StoreRows(db::Connection& c, const Record& record, const std::vector<Row>& rows,
                       bool without_quorum) {
  auto deleted = c.Execute(kDeleteAttendance, {record.id});
  if (!deleted) return Fail(deleted.error());
  db::Value counted_on = record.counted ? db::Value(record.held_on) : db::Value(nullptr);
  for (const auto& r : rows) {
    auto done =
        c.Execute(kInsertAttendance,
                  {record.id, r.a.role, OptionalId(r.a.member_id), r.a.name, r.unit, r.position,
                   r.a.status, r.leave_reason, static_cast<std::int64_t>(r.a.voting ? 1 : 0),
                   r.a.no_vote_reason, static_cast<std::int64_t>(r.a.hardship ? 1 : 0), counted_on,
                   OptionalText(r.checked_in_at)});
    if (!done) return Fail(done.error());
  }
  AttendanceCounts n = CountAttendance(Attendees(rows));
  auto updated = c.Execute(kUpdateCounts,
                           {record.id, n.expected, n.present, n.leave, n.absent, n.voting_expected,
                            n.voting_present, static_cast<std::int64_t>(without_quorum ? 1 : 0)});
  if (!updated) return Fail(updated.error());
  return {};
}

std::string NowLocalMinute() { return NowShanghaiIso().substr(0, 16); }

//! A member of the registry named as host or recorder: inside `scope` and still in the
//! deployment. Answers the name.
Result<std::string> MemberName(db::Connection& c, const org::SubtreeScope& scope, std::int64_t id,
                               std::string_view field) {
  std::vector<db::Value> params{id};
  std::string sql = "SELECT name FROM member m WHERE m.id = $1 AND m.departed_on IS NULL AND " +
                    scope.Condition("m.org_path", params);
  auto rows = c.Query(sql, std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  if (rows->empty()) {
    return Fail(
        Invalid("orglife.member_unknown", "党员不存在或不在您的管理范围内", std::string(field)));
  }
  return rows->Text(0, 0);
}

//! Applies the scalar fields of `in` to `r` and validates them as a draft may be.
Result<void> ApplyFields(db::Connection& c, const org::SubtreeScope& scope, const MeetingInput& in,
                         Record& r) {
  if (in.topic) r.topic = *in.topic;
  if (r.topic.empty()) return Fail(Invalid("orglife.topic_missing", "请填写主题", "topic"));
  auto topic = CheckLength(r.topic, kMaxTopic, "topic", "主题");
  if (!topic) return Fail(topic.error());
  struct TimeField {
    const std::optional<std::string>* in;
    std::string* out;
    const char* field;
    const char* label;
  };
  for (const TimeField& t :
       {TimeField{&in.planned_start, &r.planned_start, "planned_start", "计划开始时间"},
        TimeField{&in.planned_end, &r.planned_end, "planned_end", "计划结束时间"}}) {
    if (!*t.in) continue;
    auto parsed = ParseMeetingTime(**t.in, t.field, t.label);
    if (!parsed) return Fail(parsed.error());
    *t.out = *parsed;
  }
  if (r.planned_start.empty()) {
    return Fail(Invalid("orglife.planned_start_missing", "请填写计划开始时间", "planned_start"));
  }
  if (r.planned_end.empty()) {
    return Fail(Invalid("orglife.planned_end_missing", "请填写计划结束时间", "planned_end"));
  }
  if (r.planned_end <= r.planned_start) {
    return Fail(
        Invalid("orglife.planned_end_before_start", "计划结束时间应晚于开始时间", "planned_end"));
  }
  for (auto [value, into, field, label] :
       {std::tuple{&in.actual_start, &r.actual_start, "actual_start", "实际开始时间"},
        std::tuple{&in.actual_end, &r.actual_end, "actual_end", "实际结束时间"}}) {
    if (!*value) continue;
    if ((*value)->empty()) {
      into->reset();
      continue;
    }
    auto parsed = ParseMeetingTime(**value, field, label);
    if (!parsed) return Fail(parsed.error());
    *into = *parsed;
  }
  if (r.actual_end && !r.actual_start) {
    return Fail(Invalid("orglife.actual_start_missing", "填写实际结束时间时须填写实际开始时间",
                        "actual_start"));
  }
  if (r.actual_start && *r.actual_start > NowLocalMinute()) {
    return Fail(Invalid("orglife.actual_start_future", "实际开始时间不能晚于现在", "actual_start"));
  }
  if (r.actual_start && r.actual_end && *r.actual_end <= *r.actual_start) {
    return Fail(
        Invalid("orglife.actual_end_before_start", "实际结束时间应晚于开始时间", "actual_end"));
  }
  r.held_on = (r.actual_start ? *r.actual_start : r.planned_start).substr(0, 10);
  if (in.place) r.place = *in.place;
  if (in.online) r.online = *in.online;
  auto place = CheckLength(r.place, kMaxPlace, "place", "地点");
  if (!place) return Fail(place.error());
  struct Person {
    const std::optional<std::int64_t>* id_in;
    const std::optional<std::string>* name_in;
    std::optional<std::int64_t>* id;
    std::string* name;
    const char* id_field;
    const char* name_field;
  };
  for (const Person& p : {Person{&in.host_member_id, &in.host_name, &r.host_member_id, &r.host_name,
                                 "host_member_id", "host_name"},
                          Person{&in.recorder_member_id, &in.recorder_name, &r.recorder_member_id,
                                 &r.recorder_name, "recorder_member_id", "recorder_name"}}) {
    if (*p.name_in) *p.name = **p.name_in;
    if (*p.id_in) {
      if (**p.id_in == 0) {
        p.id->reset();
      } else {
        auto name = MemberName(c, scope, **p.id_in, p.id_field);
        if (!name) return Fail(name.error());
        *p.id = **p.id_in;
        *p.name = *name;
      }
    }
    auto length = CheckLength(*p.name, kMaxName, p.name_field, "姓名");
    if (!length) return Fail(length.error());
  }
  if (in.agenda) r.agenda = *in.agenda;
  if (in.minutes) r.minutes = *in.minutes;
  if (in.resolutions) r.resolutions = *in.resolutions;
  for (auto [text, field, label] :
       {std::tuple{&r.agenda, "agenda", "议程"}, std::tuple{&r.minutes, "minutes", "会议记录"},
        std::tuple{&r.resolutions, "resolutions", "决议"}}) {
    auto length = CheckLength(*text, kMaxLongText, field, label);
    if (!length) return Fail(length.error());
  }
  return {};
}

Result<void> WriteFields(db::Connection& c, const Record& r) {
  auto done = c.Execute(
      kUpdateFields,
      {r.id, r.topic, r.planned_start, r.planned_end, OptionalText(r.actual_start),
       OptionalText(r.actual_end), r.held_on, r.place, static_cast<std::int64_t>(r.online ? 1 : 0),
       OptionalId(r.host_member_id), r.host_name, OptionalId(r.recorder_member_id), r.recorder_name,
       r.agenda, r.minutes, r.resolutions, NowShanghaiIso()});
  if (!done) return Fail(done.error());
  return {};
}

//! The fields the audit trail keeps of a record (no minutes: they may be long).
boost::json::object AuditView(const Record& r) {
  boost::json::object j{{"org_id", r.org_id},  {"kind", r.kind},
                        {"topic", r.topic},    {"held_on", r.held_on},
                        {"status", r.status},  {"planned_start", r.planned_start},
                        {"host", r.host_name}, {"recorder", r.recorder_name}};
  j["actual_start"] = JsonText(r.actual_start);
  return j;
}

//! What an edit changed besides the fields: the attendance entries and guests given, and the votes
//! (as resolutions with their number of ballots), so that the trail shows who was marked how.
void AuditInputs(const MeetingInput& in, boost::json::object& detail) {
  if (in.attendance) {
    boost::json::array entries;
    for (const auto& e : *in.attendance) {
      boost::json::object entry{{"status", e.status}};
      entry["member_id"] = JsonId(e.member_id);
      if (!e.member_id) entry["name"] = e.name;
      if (!e.leave_reason.empty()) entry["leave_reason"] = e.leave_reason;
      entries.push_back(std::move(entry));
    }
    detail["attendance"] = std::move(entries);
  }
  if (in.guests) {
    boost::json::array guests;
    for (const auto& g : *in.guests) guests.push_back({{"name", g.name}, {"unit", g.unit}});
    detail["guests"] = std::move(guests);
  }
  if (in.votes) {
    boost::json::array votes;
    for (const auto& v : *in.votes) {
      votes.push_back({{"resolution", v.resolution},
                       {"method", v.method},
                       {"ballots", static_cast<std::int64_t>(
                                       v.method == "open" ? v.ballots.size() : v.voters.size())}});
    }
    detail["votes"] = std::move(votes);
  }
}

Result<void> Audit(db::Connection& c, const org::Change& change, std::string action,
                   std::int64_t id, boost::json::object detail) {
  return org::AuditChange(c, change, std::move(action), "meeting:" + Num(id), std::move(detail));
}

//! Recomputes the expected list on the record's date, applies `in`'s attendance, guests and votes,
//! and stores them with the counts.
Result<void> SaveAttendance(db::Connection& c, const Record& record, const MeetingInput& in) {
  auto existing = LoadRows(c, record.id);
  if (!existing) return Fail(existing.error());
  auto expected = ExpectedOn(c, record, record.held_on);
  if (!expected) return Fail(expected.error());
  std::vector<Row> rows = Merge(std::move(*expected), *existing);
  if (in.attendance) {
    auto applied = ApplyAttendance(c, record, *in.attendance, rows);
    if (!applied) return Fail(applied.error());
  }
  if (in.guests) {
    auto applied = ApplyGuests(*in.guests, rows);
    if (!applied) return Fail(applied.error());
  }
  std::vector<VoteInput> votes;
  if (in.votes) {
    votes = *in.votes;
  } else {
    auto stored = LoadVotes(c, record.id);
    if (!stored) return Fail(stored.error());
    votes = std::move(*stored);
  }
  auto without_quorum = CheckVotes(record, votes, rows);
  if (!without_quorum) return Fail(without_quorum.error());
  auto stored = StoreRows(c, record, rows, *without_quorum);
  if (!stored) return Fail(stored.error());
  if (in.votes) {
    auto written = StoreVotes(c, record.id, votes);
    if (!written) return Fail(written.error());
  }
  return {};
}

Result<void> SetStatus(db::Connection& c, Record& record, std::string status, bool counted) {
  record.status = std::move(status);
  record.counted = counted;
  auto done = c.Execute(kSetStatus, {record.id, record.status,
                                     static_cast<std::int64_t>(counted ? 1 : 0), NowShanghaiIso()});
  if (!done) return Fail(done.error());
  auto rows =
      c.Execute(kCountedOn, {record.id, counted ? db::Value(record.held_on) : db::Value(nullptr)});
  if (!rows) return Fail(rows.error());
  // The branch's duties and its members' organisational life are judged again, and so are the
  // home branches of the 流入党员 who took part.
  auto homes = c.Query(kAttachedHomePaths, {record.id});
  if (!homes) return Fail(homes.error());
  for (std::size_t i = 0; i < homes->size(); ++i) {
    auto touched = compliance::Touch(c, homes->Text(i, 0));
    if (!touched) return Fail(touched.error());
  }
  return compliance::Touch(c, record.org_path);
}

Error NotEditable(const Record& r) {
  return Error::Conflict(
      "orglife.not_editable",
      "记录状态为“" + std::string(TitleOf(Statuses(), r.status)) + "”，不能修改" +
          (r.status == "accepted" || r.status == "archived" ? "；如需更正，请新建更正记录" : ""),
      "status");
}

//! The reviewing side's check: the record's parent organisation lies inside `review_scope`.
Result<Record> LoadForReview(db::Connection& c, const org::SubtreeScope& review_scope,
                             std::int64_t id) {
  auto record = LoadRecord(c, review_scope, id);
  if (!record) return Fail(record.error());
  std::string parent = ParentPath(record->org_path);
  if (parent == record->org_path || !review_scope.Contains(parent)) {
    return Fail(Error{ErrorKind::kPermissionDenied, "orglife.review_own",
                      "组织生活记录由上级党组织审核，不能审核本组织的记录", "id", ""});
  }
  return record;
}

Result<std::int64_t> AddReview(db::Connection& c, const Record& record, const org::Change& change,
                               std::string_view decision) {
  auto rows = c.Query(
      "INSERT INTO meeting_review (record_id, decision, reviewer_id, reviewer_name, reviewed_at) "
      "VALUES ($1, $2, $3, $4, $5) RETURNING id",
      {record.id, std::string(decision), OptionalId(change.account_id), change.actor.name,
       NowShanghaiIso()});
  if (!rows) return Fail(rows.error());
  return rows->Int(0, 0);
}

//! Reads `name` of `body` as an optional string of at most `max` bytes; JSON null is "".
Result<std::optional<std::string>> Text(const boost::json::object& body, std::string_view name,
                                        std::size_t max, const std::string& field) {
  const auto* v = body.if_contains(name);
  if (v == nullptr) return std::optional<std::string>();
  if (v->is_null()) return std::optional<std::string>("");
  if (!v->is_string()) {
    return Fail(Invalid("request.field_type", "字段 " + field + " 应为字符串", field));
  }
  if (v->get_string().size() > max) {
    return Fail(Invalid(
        "orglife.text_too_long",
        "字段 " + field + " 不超过 " + Num(static_cast<std::int64_t>(max)) + " 字节", field));
  }
  return std::optional<std::string>(std::string(v->get_string()));
}

Result<std::optional<std::int64_t>> Integer(const boost::json::object& body, std::string_view name,
                                            const std::string& field) {
  const auto* v = body.if_contains(name);
  if (v == nullptr) return std::optional<std::int64_t>();
  if (v->is_null()) return std::optional<std::int64_t>(0);
  if (!v->is_int64()) {
    return Fail(Invalid("request.field_type", "字段 " + field + " 应为整数", field));
  }
  return std::optional<std::int64_t>(v->get_int64());
}

Result<const boost::json::array*> Array(const boost::json::object& body, std::string_view name) {
  const auto* v = body.if_contains(name);
  if (v == nullptr || v->is_null()) return nullptr;
  if (!v->is_array()) {
    return Fail(Invalid("request.field_type", "字段 " + std::string(name) + " 应为数组",
                        std::string(name)));
  }
  return &v->get_array();
}

Result<const boost::json::object*> ObjectAt(const boost::json::value& v, const std::string& field) {
  if (!v.is_object()) {
    return Fail(Invalid("request.field_type", "字段 " + field + " 应为对象", field));
  }
  return &v.get_object();
}

Result<VoteInput> VoteFromJson(const boost::json::value& value, const std::string& field) {
  auto object = ObjectAt(value, field);
  if (!object) return Fail(object.error());
  const auto& o = **object;
  VoteInput v;
  auto resolution = Text(o, "resolution", kMaxTopic, field + ".resolution");
  if (!resolution) return Fail(resolution.error());
  v.resolution = resolution->value_or("");
  auto method = Text(o, "method", 16, field + ".method");
  if (!method) return Fail(method.error());
  if (*method && !(*method)->empty()) v.method = **method;
  auto ballots = Array(o, "ballots");
  if (!ballots) return Fail(ballots.error());
  if (*ballots) {
    for (std::size_t i = 0; i < (*ballots)->size(); ++i) {
      std::string at = field + ".ballots" + Index(i);
      auto b = ObjectAt((**ballots)[i], at);
      if (!b) return Fail(b.error());
      auto member = Integer(**b, "member_id", at + ".member_id");
      if (!member) return Fail(member.error());
      auto choice = Text(**b, "choice", 16, at + ".choice");
      if (!choice) return Fail(choice.error());
      v.ballots.push_back({member->value_or(0), choice->value_or("")});
    }
  }
  auto voters = Array(o, "voters");
  if (!voters) return Fail(voters.error());
  if (*voters) {
    for (std::size_t i = 0; i < (*voters)->size(); ++i) {
      const auto& id = (**voters)[i];
      if (!id.is_int64()) {
        return Fail(
            Invalid("request.field_type", "表决人应为党员编号", field + ".voters" + Index(i)));
      }
      v.voters.push_back(id.get_int64());
    }
  }
  for (auto [name, into] :
       {std::pair{"yes", &v.yes}, std::pair{"no", &v.no}, std::pair{"abstain", &v.abstain}}) {
    auto n = Integer(o, name, field + "." + name);
    if (!n) return Fail(n.error());
    *into = n->value_or(0);
  }
  return v;
}

}  // namespace

Result<std::string> ParseMeetingTime(std::string_view text, std::string_view field,
                                     std::string_view label) {
  auto bad = [&] {
    return Fail(Invalid("orglife.time_invalid",
                        std::string(label) + "应为 YYYY-MM-DDTHH:MM 格式的北京时间，收到“" +
                            std::string(text.substr(0, 32)) + "”",
                        std::string(field)));
  };
  std::string_view t = text;
  if (t.ends_with("+08:00")) t.remove_suffix(6);
  if (t.size() == 19) {
    if (t[16] != ':' || t[17] < '0' || t[17] > '5' || t[18] < '0' || t[18] > '9') return bad();
    t.remove_suffix(3);
  }
  if (t.size() != 16 || (t[10] != 'T' && t[10] != ' ') || t[13] != ':') return bad();
  if (!ParseIsoDate(t.substr(0, 10))) return bad();
  auto digit = [](char ch) { return ch >= '0' && ch <= '9'; };
  if (!digit(t[11]) || !digit(t[12]) || !digit(t[14]) || !digit(t[15])) return bad();
  int hour = (t[11] - '0') * 10 + (t[12] - '0');
  int minute = (t[14] - '0') * 10 + (t[15] - '0');
  if (hour > 23 || minute > 59) return bad();
  std::string out(t);
  out[10] = 'T';
  return out;
}

Result<MeetingInput> MeetingInputFromJson(const boost::json::value& body) {
  if (!body.is_object()) {
    return Fail(Invalid("request.body_not_object", "请求体应为 JSON 对象", ""));
  }
  const auto& o = body.get_object();
  static const std::set<std::string, std::less<>> kKnown = {
      "org_id",        "kind",   "topic",   "planned_start",  "planned_end", "actual_start",
      "actual_end",    "place",  "online",  "host_member_id", "host_name",   "recorder_member_id",
      "recorder_name", "agenda", "minutes", "resolutions",    "attendance",  "guests",
      "votes"};
  for (const auto& kv : o) {
    if (!kKnown.contains(std::string_view(kv.key()))) {
      return Fail(Invalid("orglife.field_unknown",
                          "未知字段：" + std::string(kv.key()).substr(0, 64),
                          std::string(kv.key()).substr(0, 64)));
    }
  }
  MeetingInput in;
  auto org = Integer(o, "org_id", "org_id");
  if (!org) return Fail(org.error());
  in.org_id = *org;
  struct Field {
    const char* name;
    std::optional<std::string>* into;
    std::size_t max;
  };
  for (const Field& f :
       {Field{"kind", &in.kind, 64}, Field{"topic", &in.topic, kMaxTopic},
        Field{"planned_start", &in.planned_start, 32}, Field{"planned_end", &in.planned_end, 32},
        Field{"actual_start", &in.actual_start, 32}, Field{"actual_end", &in.actual_end, 32},
        Field{"place", &in.place, kMaxPlace}, Field{"host_name", &in.host_name, kMaxName},
        Field{"recorder_name", &in.recorder_name, kMaxName},
        Field{"agenda", &in.agenda, kMaxLongText}, Field{"minutes", &in.minutes, kMaxLongText},
        Field{"resolutions", &in.resolutions, kMaxLongText}}) {
    auto v = Text(o, f.name, f.max, f.name);
    if (!v) return Fail(v.error());
    *f.into = *v;
  }
  if (const auto* online = o.if_contains("online"); online && !online->is_null()) {
    if (!online->is_bool()) {
      return Fail(Invalid("request.field_type", "字段 online 应为 true 或 false", "online"));
    }
    in.online = online->get_bool();
  }
  for (auto [name, into] : {std::pair{"host_member_id", &in.host_member_id},
                            std::pair{"recorder_member_id", &in.recorder_member_id}}) {
    auto v = Integer(o, name, name);
    if (!v) return Fail(v.error());
    *into = *v;
  }
  auto attendance = Array(o, "attendance");
  if (!attendance) return Fail(attendance.error());
  if (*attendance) {
    in.attendance.emplace();
    for (std::size_t i = 0; i < (*attendance)->size(); ++i) {
      std::string at = "attendance" + Index(i);
      auto e = ObjectAt((**attendance)[i], at);
      if (!e) return Fail(e.error());
      AttendanceInput entry;
      auto member = Integer(**e, "member_id", at + ".member_id");
      if (!member) return Fail(member.error());
      if (*member && **member > 0) entry.member_id = **member;
      for (auto [name, into, max] : {std::tuple{"name", &entry.name, kMaxName},
                                     std::tuple{"status", &entry.status, std::size_t{16}},
                                     std::tuple{"leave_reason", &entry.leave_reason, kMaxReason}}) {
        auto v = Text(**e, name, max, at + "." + name);
        if (!v) return Fail(v.error());
        *into = v->value_or("");
      }
      if (!entry.member_id && entry.name.empty()) {
        return Fail(
            Invalid("orglife.attendee_missing", "请以 member_id 指明党员", at + ".member_id"));
      }
      in.attendance->push_back(std::move(entry));
    }
  }
  auto guests = Array(o, "guests");
  if (!guests) return Fail(guests.error());
  if (*guests) {
    in.guests.emplace();
    for (std::size_t i = 0; i < (*guests)->size(); ++i) {
      std::string at = "guests" + Index(i);
      auto g = ObjectAt((**guests)[i], at);
      if (!g) return Fail(g.error());
      GuestInput guest;
      for (auto [name, into, max] : {std::tuple{"name", &guest.name, kMaxName},
                                     std::tuple{"unit", &guest.unit, kMaxPlace}}) {
        auto v = Text(**g, name, max, at + "." + name);
        if (!v) return Fail(v.error());
        *into = v->value_or("");
      }
      in.guests->push_back(std::move(guest));
    }
  }
  auto votes = Array(o, "votes");
  if (!votes) return Fail(votes.error());
  if (*votes) {
    in.votes.emplace();
    for (std::size_t i = 0; i < (*votes)->size(); ++i) {
      auto v = VoteFromJson((**votes)[i], "votes" + Index(i));
      if (!v) return Fail(v.error());
      in.votes->push_back(std::move(*v));
    }
  }
  return in;
}

Result<std::int64_t> CreateMeeting(db::Connection& c, const org::SubtreeScope& scope,
                                   const org::Change& change, const MeetingInput& in) {
  if (!in.org_id || *in.org_id <= 0) {
    return Fail(Invalid("orglife.org_missing", "请指明组织", "org_id"));
  }
  auto org = org::GetOrg(c, scope, *in.org_id);
  if (!org) {
    return Fail(Invalid("orglife.org_not_found", "组织不存在或不在您的管理范围内", "org_id"));
  }
  const MeetingKind* kind = FindKind(in.kind.value_or(""));
  if (kind == nullptr) {
    std::string ids;
    for (const auto& k : Kinds()) ids += (ids.empty() ? "" : "、") + std::string(k.id);
    return Fail(Invalid("orglife.kind_invalid", "未知的组织生活类型，应为 " + ids, "kind"));
  }
  if (std::find(kind->org_kinds.begin(), kind->org_kinds.end(), org->kind) ==
      kind->org_kinds.end()) {
    return Fail(Invalid("orglife.kind_not_for_org",
                        std::string(kind->title) + "不由" +
                            std::string(org::TitleOf(org::Kinds(), org->kind)) + "召开",
                        "kind"));
  }
  if (org->status != "active") {
    return Fail(Error::Conflict("orglife.org_inactive", "该组织已合并或撤销", "org_id"));
  }
  Record r;
  r.org_id = org->id;
  r.org_name = org->name;
  r.org_path = org->path;
  r.org_kind = org->kind;
  r.kind = std::string(kind->id);
  r.status = "draft";
  auto applied = ApplyFields(c, scope, in, r);
  if (!applied) return Fail(applied.error());
  std::string now = NowShanghaiIso();
  auto inserted = c.Query(kInsertRecord, {r.org_id,
                                          r.kind,
                                          r.topic,
                                          r.planned_start,
                                          r.planned_end,
                                          OptionalText(r.actual_start),
                                          OptionalText(r.actual_end),
                                          r.held_on,
                                          r.place,
                                          static_cast<std::int64_t>(r.online ? 1 : 0),
                                          OptionalId(r.host_member_id),
                                          r.host_name,
                                          OptionalId(r.recorder_member_id),
                                          r.recorder_name,
                                          r.agenda,
                                          r.minutes,
                                          r.resolutions,
                                          nullptr,
                                          std::string(),
                                          OptionalId(change.account_id),
                                          now});
  if (!inserted) return Fail(inserted.error());
  r.id = inserted->Int(0, 0);
  auto saved = SaveAttendance(c, r, in);
  if (!saved) return Fail(saved.error());
  boost::json::object detail{{"after", AuditView(r)}};
  AuditInputs(in, detail);
  auto logged = Audit(c, change, "orglife.create", r.id, std::move(detail));
  if (!logged) return Fail(logged.error());
  return r.id;
}

Result<void> UpdateMeeting(db::Connection& c, const org::SubtreeScope& scope,
                           const org::Change& change, std::int64_t id, const MeetingInput& patch) {
  // Locked before it is read: the status and the attendance seen are the ones replaced.
  auto locked = LockRow(c, id);
  if (!locked) return Fail(locked.error());
  auto record = LoadRecord(c, scope, id);
  if (!record) return Fail(record.error());
  if (!IsEditableStatus(record->status)) return Fail(NotEditable(*record));
  if (patch.org_id && *patch.org_id != record->org_id) {
    return Fail(Invalid("orglife.org_fixed", "记录所属组织不能修改；请撤回后重新填写", "org_id"));
  }
  if (patch.kind && *patch.kind != record->kind) {
    return Fail(Invalid("orglife.kind_fixed", "记录类型不能修改；请撤回后重新填写", "kind"));
  }
  boost::json::object before = AuditView(*record);
  Record r = *record;
  auto applied = ApplyFields(c, scope, patch, r);
  if (!applied) return Fail(applied.error());
  auto written = WriteFields(c, r);
  if (!written) return Fail(written.error());
  auto saved = SaveAttendance(c, r, patch);
  if (!saved) return Fail(saved.error());
  auto touched = compliance::Touch(c, r.org_path);
  if (!touched) return Fail(touched.error());
  boost::json::object detail{{"before", before}, {"after", AuditView(r)}};
  AuditInputs(patch, detail);
  return Audit(c, change, "orglife.update", id, std::move(detail));
}

Result<boost::json::object> GetMeeting(db::Connection& c, const org::SubtreeScope& scope,
                                       std::int64_t id) {
  auto loaded = LoadRecord(c, scope, id);
  if (!loaded) return Fail(loaded.error());
  const Record& r = *loaded;
  boost::json::object j{
      {"id", r.id},
      {"org_id", r.org_id},
      {"org_name", r.org_name},
      {"kind", r.kind},
      {"kind_title", r.Kind().title},
      {"topic", r.topic},
      {"planned_start", r.planned_start},
      {"planned_end", r.planned_end},
      {"actual_start", JsonText(r.actual_start)},
      {"actual_end", JsonText(r.actual_end)},
      {"held_on", r.held_on},
      {"place", r.place},
      {"online", r.online},
      {"host", {{"member_id", JsonId(r.host_member_id)}, {"name", r.host_name}}},
      {"recorder", {{"member_id", JsonId(r.recorder_member_id)}, {"name", r.recorder_name}}},
      {"agenda", r.agenda},
      {"minutes", r.minutes},
      {"resolutions", r.resolutions},
      {"status", r.status},
      {"status_title", TitleOf(Statuses(), r.status)},
      {"editable", IsEditableStatus(r.status)},
      {"counted", r.counted},
      {"correction_of", JsonId(r.correction_of)},
      {"correction_reason", r.correction_reason},
      {"superseded_by", JsonId(r.superseded_by)},
      {"created_at", r.created_at},
      {"updated_at", r.updated_at},
      {"submitted_at", JsonText(r.submitted_at)},
      {"reviewed_at", JsonText(r.reviewed_at)},
      {"archived_at", JsonText(r.archived_at)}};
  auto rows = LoadRows(c, r.id);
  if (!rows) return Fail(rows.error());
  std::vector<Attendee> attendees = Attendees(*rows);
  AttendanceCounts n = CountAttendance(attendees);
  boost::json::array items, guests;
  for (const auto& row : *rows) {
    if (row.a.role == "guest") {
      guests.push_back(boost::json::object{{"name", row.a.name}, {"unit", row.unit}});
      continue;
    }
    boost::json::object item{{"member_id", JsonId(row.a.member_id)},
                             {"name", row.a.name},
                             {"role", row.a.role},
                             {"role_title", TitleOf(Roles(), row.a.role)},
                             {"position", row.position},
                             {"position_title", org::TitleOf(org::Positions(), row.position)},
                             {"status", row.a.status},
                             {"status_title", TitleOf(AttendanceStatuses(), row.a.status)},
                             {"leave_reason", row.leave_reason},
                             {"voting", row.a.voting},
                             {"hardship", row.a.hardship},
                             {"checked_in_at", JsonText(row.checked_in_at)}};
    item["no_vote_reason"] =
        row.a.no_vote_reason.empty()
            ? boost::json::value(nullptr)
            : boost::json::value(TitleOf(NoVoteReasons(), row.a.no_vote_reason));
    items.push_back(std::move(item));
  }
  boost::json::object counts{{"expected", n.expected},
                             {"present", n.present},
                             {"leave", n.leave},
                             {"absent", n.absent},
                             {"voting_expected", n.voting_expected},
                             {"voting_present", n.voting_present},
                             {"others_present", n.others_present}};
  j["attendance"] = boost::json::object{{"counts", std::move(counts)}, {"items", std::move(items)}};
  j["guests"] = std::move(guests);
  if (r.Kind().expected == Expected::kCommittee) {
    j["quorum"] = boost::json::object{{"rule", "committee"},
                                      {"members", n.expected},
                                      {"present", n.present},
                                      {"met", MoreThanHalf(n.present, n.expected)},
                                      {"source", kCommitteeQuorumSource}};
  } else if (r.Kind().votes) {
    j["quorum"] = boost::json::object{{"rule", "two_halves"},
                                      {"members", n.voting_expected},
                                      {"present", n.voting_present},
                                      {"met", MoreThanHalf(n.voting_present, n.voting_expected)},
                                      {"source", kTwoHalvesSource}};
  } else {
    j["quorum"] = nullptr;
  }
  std::map<std::int64_t, std::string> names;
  for (const auto& a : attendees) {
    if (a.member_id) names[*a.member_id] = a.name;
  }
  auto votes = LoadVotes(c, r.id);
  if (!votes) return Fail(votes.error());
  boost::json::array vote_items;
  for (std::size_t i = 0; i < votes->size(); ++i) {
    const VoteInput& v = (*votes)[i];
    boost::json::object vj{{"seq", static_cast<std::int64_t>(i + 1)},
                           {"resolution", v.resolution},
                           {"method", v.method}};
    if (v.method == "open") {
      boost::json::array ballots;
      for (const auto& b : v.ballots) {
        ballots.push_back(
            {{"member_id", b.member_id}, {"name", names[b.member_id]}, {"choice", b.choice}});
      }
      vj["ballots"] = std::move(ballots);
    } else {
      boost::json::array voters;
      for (std::int64_t m : v.voters) voters.push_back(m);
      vj["voters"] = std::move(voters);
    }
    auto tally = CountVote(v, attendees, "votes" + Index(i));
    if (tally) {
      boost::json::array not_counted;
      for (const auto& u : tally->not_counted) {
        not_counted.push_back({{"member_id", u.member_id},
                               {"name", u.name},
                               {"reason", u.reason},
                               {"reason_title", TitleOf(NoVoteReasons(), u.reason)}});
      }
      vj["result"] = boost::json::object{{"voting_expected", tally->voting_expected},
                                         {"voting_present", tally->voting_present},
                                         {"yes", tally->yes},
                                         {"no", tally->no},
                                         {"abstain", tally->abstain},
                                         {"not_counted", std::move(not_counted)},
                                         {"quorum", tally->quorum},
                                         {"passed", tally->passed},
                                         {"passes_against_present", tally->passes_against_present},
                                         {"result", tally->result},
                                         {"explanation", tally->explanation},
                                         {"source", kTwoHalvesSource}};
    } else {
      vj["result"] =
          boost::json::object{{"result", "invalid"}, {"explanation", tally.error().message}};
    }
    vote_items.push_back(std::move(vj));
  }
  j["votes"] = std::move(vote_items);
  auto reviews = c.Query(
      "SELECT id, decision, reviewer_name, reviewed_at FROM meeting_review WHERE record_id = $1 "
      "ORDER BY id",
      {r.id});
  if (!reviews) return Fail(reviews.error());
  boost::json::array review_items;
  for (std::size_t i = 0; i < reviews->size(); ++i) {
    auto reasons = ReviewProblemsJson(c, reviews->Int(i, 0));
    if (!reasons) return Fail(reasons.error());
    review_items.push_back({{"decision", reviews->Text(i, 1)},
                            {"reviewer", reviews->Text(i, 2)},
                            {"reviewed_at", reviews->Text(i, 3)},
                            {"reasons", std::move(*reasons)}});
  }
  j["reviews"] = std::move(review_items);
  auto corrections =
      c.Query("SELECT id, status FROM meeting_record WHERE correction_of = $1 ORDER BY id", {r.id});
  if (!corrections) return Fail(corrections.error());
  boost::json::array correction_items;
  for (std::size_t i = 0; i < corrections->size(); ++i) {
    correction_items.push_back(
        {{"id", corrections->Int(i, 0)}, {"status", corrections->Text(i, 1)}});
  }
  j["corrections"] = std::move(correction_items);
  auto attachments = AttachmentList(c, r.id);
  if (!attachments) return Fail(attachments.error());
  j["attachments"] = std::move(*attachments);
  return j;
}

Result<boost::json::object> ListMeetings(db::Connection& c, const org::SubtreeScope& scope,
                                         const MeetingQuery& query) {
  std::vector<db::Value> params;
  std::string where = scope.Condition("o.path", params);
  if (query.org_id) {
    auto org = org::GetOrg(c, scope, *query.org_id);
    if (!org) return Fail(org.error());
    params.emplace_back(org->path);
    where += " AND o.path >= $" + Num(static_cast<std::int64_t>(params.size()));
    params.emplace_back(org::SubtreeEnd(org->path));
    where += " AND o.path < $" + Num(static_cast<std::int64_t>(params.size()));
  }
  if (!query.kind.empty()) {
    if (FindKind(query.kind) == nullptr) {
      return Fail(Invalid("orglife.kind_invalid", "未知的组织生活类型", "kind"));
    }
    params.emplace_back(query.kind);
    where += " AND r.kind = $" + Num(static_cast<std::int64_t>(params.size()));
  }
  if (!query.status.empty()) {
    if (TitleOf(Statuses(), query.status).empty()) {
      return Fail(Invalid("orglife.status_invalid", "未知的记录状态", "status"));
    }
    params.emplace_back(query.status);
    where += " AND r.status = $" + Num(static_cast<std::int64_t>(params.size()));
  }
  for (auto [value, op, field] :
       {std::tuple{&query.from, ">=", "from"}, std::tuple{&query.to, "<=", "to"}}) {
    if (value->empty()) continue;
    auto date = RequireIsoDate(*value, field, "日期");
    if (!date) return Fail(date.error());
    params.emplace_back(*value);
    where +=
        std::string(" AND r.held_on ") + op + " $" + Num(static_cast<std::int64_t>(params.size()));
  }
  std::string from = " FROM meeting_record r JOIN organisation o ON o.id = r.org_id WHERE ";
  auto total = c.Query("SELECT COUNT(*)" + from + where, std::span<const db::Value>(params));
  if (!total) return Fail(total.error());
  std::string sql =
      "SELECT r.id, r.org_id, o.name, r.kind, r.topic, r.held_on, r.planned_start, r.actual_start, "
      "r.status, r.expected_count, r.present_count, r.leave_count, r.absent_count, "
      "r.correction_of, r.superseded_by" +
      from + where + " ORDER BY r.held_on DESC, r.id DESC LIMIT " + Num(query.page_size) +
      " OFFSET " + Num((query.page - 1) * query.page_size);
  auto rows = c.Query(sql, std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  boost::json::array items;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    std::string kind = rows->Text(i, 3);
    std::string status = rows->Text(i, 8);
    const MeetingKind* k = FindKind(kind);
    items.push_back({{"id", rows->Int(i, 0)},
                     {"org_id", rows->Int(i, 1)},
                     {"org_name", rows->Text(i, 2)},
                     {"kind", kind},
                     {"kind_title", k ? k->title : std::string_view()},
                     {"topic", rows->Text(i, 4)},
                     {"held_on", rows->Text(i, 5)},
                     {"planned_start", rows->Text(i, 6)},
                     {"actual_start", JsonText(rows->OptionalText(i, 7))},
                     {"status", status},
                     {"status_title", TitleOf(Statuses(), status)},
                     {"expected", rows->Int(i, 9)},
                     {"present", rows->Int(i, 10)},
                     {"leave", rows->Int(i, 11)},
                     {"absent", rows->Int(i, 12)},
                     {"correction_of", JsonId(rows->OptionalInt(i, 13))},
                     {"superseded_by", JsonId(rows->OptionalInt(i, 14))}});
  }
  return boost::json::object{{"items", std::move(items)},
                             {"total", total->Int(0, 0)},
                             {"page", query.page},
                             {"page_size", query.page_size}};
}

Result<void> SubmitMeeting(db::Connection& c, const org::SubtreeScope& scope,
                           const org::Change& change, std::int64_t id) {
  auto locked = LockRow(c, id);
  if (!locked) return Fail(locked.error());
  auto record = LoadRecord(c, scope, id);
  if (!record) return Fail(record.error());
  Record& r = *record;
  if (!IsEditableStatus(r.status)) {
    return Fail(Error::Conflict(
        "orglife.not_submittable",
        "记录状态为“" + std::string(TitleOf(Statuses(), r.status)) + "”，不能提交", "status"));
  }
  // Complete: what happened, when, who led and who wrote it down.
  if (!r.actual_start) {
    return Fail(
        Invalid("orglife.actual_start_missing", "提交前请填写实际开始时间", "actual_start"));
  }
  if (!r.actual_end) {
    return Fail(Invalid("orglife.actual_end_missing", "提交前请填写实际结束时间", "actual_end"));
  }
  if (!r.online && r.place.empty()) {
    return Fail(Invalid("orglife.place_missing", "请填写地点，或注明线上召开", "place"));
  }
  if (r.host_name.empty()) {
    return Fail(Invalid("orglife.host_missing", "请填写主持人", "host_name"));
  }
  if (r.recorder_name.empty()) {
    return Fail(Invalid("orglife.recorder_missing", "请填写记录人", "recorder_name"));
  }
  if (r.minutes.empty()) {
    return Fail(Invalid("orglife.minutes_missing", "请填写会议记录", "minutes"));
  }
  // The attendance is fixed on the record's date as the registry says now.
  auto saved = SaveAttendance(c, r, MeetingInput{});
  if (!saved) return Fail(saved.error());
  auto rows = LoadRows(c, r.id);
  if (!rows) return Fail(rows.error());
  AttendanceCounts n = CountAttendance(Attendees(*rows));
  if (n.present + n.others_present == 0) {
    return Fail(Invalid("orglife.nobody_present", "请登记出席情况：没有人出席", "attendance"));
  }
  if (r.Kind().expected == Expected::kCommittee && !MoreThanHalf(n.present, n.expected)) {
    return Fail(Error::Unprocessable(
        "orglife.quorum",
        std::string(r.Kind().title) + "应到委员 " + Num(n.expected) + " 名，到会 " +
            Num(n.present) +
            " 名，未超过半数，会议不能进行（支部工作条例 第十二条：须有半数以上"
            "委员到会方可进行）",
        "attendance", std::string(kCommitteeQuorumSource)));
  }
  boost::json::object before{{"status", r.status}};
  auto status = SetStatus(c, r, "submitted", true);
  if (!status) return Fail(status.error());
  auto stamped = c.Execute("UPDATE meeting_record SET submitted_at = $2 WHERE id = $1",
                           {r.id, NowShanghaiIso()});
  if (!stamped) return Fail(stamped.error());
  return Audit(c, change, "orglife.submit", id,
               {{"before", before},
                {"after",
                 {{"status", "submitted"},
                  {"expected", n.expected},
                  {"present", n.present},
                  {"leave", n.leave},
                  {"absent", n.absent}}}});
}

Result<void> WithdrawMeeting(db::Connection& c, const org::SubtreeScope& scope,
                             const org::Change& change, std::int64_t id) {
  auto record = LoadRecord(c, scope, id);
  if (!record) return Fail(record.error());
  if (!IsEditableStatus(record->status)) {
    return Fail(Error::Conflict(
        "orglife.not_withdrawable",
        "记录状态为“" + std::string(TitleOf(Statuses(), record->status)) + "”，不能撤回",
        "status"));
  }
  if (change.reason.empty()) {
    return Fail(Invalid("orglife.reason_missing", "请填写撤回原因", "reason"));
  }
  boost::json::object before{{"status", record->status}};
  auto status = SetStatus(c, *record, "withdrawn", false);
  if (!status) return Fail(status.error());
  return Audit(c, change, "orglife.withdraw", id,
               {{"before", before}, {"after", {{"status", "withdrawn"}}}});
}

Result<void> ReviewMeeting(db::Connection& c, const org::SubtreeScope& review_scope,
                           const org::Change& change, std::int64_t id, const std::string& decision,
                           const std::vector<std::string>& reasons,
                           const std::optional<std::vector<ProblemInput>>& problems) {
  auto record = LoadForReview(c, review_scope, id);
  if (!record) return Fail(record.error());
  Record& r = *record;
  if (decision != "accept" && decision != "return") {
    return Fail(Invalid("orglife.decision_invalid", "审核意见应为 accept（通过）或 return（退回）",
                        "decision"));
  }
  if (r.status != "submitted") {
    return Fail(Error::Conflict(
        "orglife.not_submitted",
        "记录状态为“" + std::string(TitleOf(Statuses(), r.status)) + "”，不在待审核状态",
        "status"));
  }
  const std::vector<ProblemInput> no_problems;
  const std::vector<ProblemInput>& named = problems ? *problems : no_problems;
  if (decision == "return" && reasons.empty() && named.empty()) {
    return Fail(Invalid("orglife.reasons_missing", "退回须选择审核问题清单中的问题或说明理由",
                        problems ? "problems" : "reasons"));
  }
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    if (reasons[i].empty()) {
      return Fail(Invalid("orglife.reason_empty", "退回理由不能为空", "reasons" + Index(i)));
    }
    auto length = CheckLength(reasons[i], kMaxReason, "reasons" + Index(i), "退回理由");
    if (!length) return Fail(length.error());
  }
  auto checked = CheckProblems(c, named);
  if (!checked) return Fail(checked.error());
  std::string after = decision == "accept" ? "accepted" : "returned";
  auto review = AddReview(c, r, change, after);
  if (!review) return Fail(review.error());
  auto recorded = RecordProblems(c, *review, r.id, r.org_id, reasons, named);
  if (!recorded) return Fail(recorded.error());
  auto status = SetStatus(c, r, after, true);
  if (!status) return Fail(status.error());
  auto stamped = c.Execute("UPDATE meeting_record SET reviewed_at = $2 WHERE id = $1",
                           {r.id, NowShanghaiIso()});
  if (!stamped) return Fail(stamped.error());
  boost::json::object detail{{"before", {{"status", "submitted"}}}, {"after", {{"status", after}}}};
  if (!reasons.empty()) {
    boost::json::array list;
    for (const auto& reason : reasons) list.push_back(boost::json::value(reason));
    detail["reasons"] = std::move(list);
  }
  if (!recorded->empty()) detail["problems"] = std::move(*recorded);
  if (decision == "accept" && r.correction_of) {
    // The correction takes the place of the record it corrects.
    auto superseded =
        c.Execute("UPDATE meeting_record SET superseded_by = $2, counted = 0 WHERE id = $1",
                  {*r.correction_of, r.id});
    if (!superseded) return Fail(superseded.error());
    auto uncounted = c.Execute(kCountedOn, {*r.correction_of, nullptr});
    if (!uncounted) return Fail(uncounted.error());
    detail["supersedes"] = *r.correction_of;
    auto noted = Audit(c, change, "orglife.supersede", *r.correction_of, {{"superseded_by", r.id}});
    if (!noted) return Fail(noted.error());
  }
  return Audit(c, change, "orglife.review", id, std::move(detail));
}

Result<void> ArchiveMeeting(db::Connection& c, const org::SubtreeScope& review_scope,
                            const org::Change& change, std::int64_t id) {
  auto record = LoadForReview(c, review_scope, id);
  if (!record) return Fail(record.error());
  Record& r = *record;
  if (r.status != "accepted") {
    return Fail(Error::Conflict("orglife.not_accepted", "只有审核通过的记录才能归档", "status"));
  }
  auto review = AddReview(c, r, change, "archived");
  if (!review) return Fail(review.error());
  // A record superseded by a correction stays out of the counts.
  auto status = SetStatus(c, r, "archived", !r.superseded_by);
  if (!status) return Fail(status.error());
  auto stamped = c.Execute("UPDATE meeting_record SET archived_at = $2 WHERE id = $1",
                           {r.id, NowShanghaiIso()});
  if (!stamped) return Fail(stamped.error());
  return Audit(c, change, "orglife.archive", id,
               {{"before", {{"status", "accepted"}}}, {"after", {{"status", "archived"}}}});
}

Result<std::int64_t> CorrectMeeting(db::Connection& c, const org::SubtreeScope& scope,
                                    const org::Change& change, std::int64_t id) {
  auto record = LoadRecord(c, scope, id);
  if (!record) return Fail(record.error());
  const Record& r = *record;
  if (r.status != "accepted" && r.status != "archived") {
    return Fail(Error::Conflict(
        "orglife.not_correctable",
        "只有审核通过或已归档的记录需以更正记录更正；草稿和退回的记录可直接修改", "status"));
  }
  if (change.reason.empty()) {
    return Fail(Invalid("orglife.reason_missing", "请填写更正原因", "reason"));
  }
  auto length = CheckLength(change.reason, kMaxReason, "reason", "更正原因");
  if (!length) return Fail(length.error());
  auto open = c.Query(
      "SELECT id FROM meeting_record WHERE correction_of = $1 AND status IN ('draft', "
      "'submitted', 'returned')",
      {id});
  if (!open) return Fail(open.error());
  if (!open->empty()) {
    return Fail(Error::Conflict("orglife.correction_open",
                                "该记录已有未完成的更正记录（编号 " + Num(open->Int(0, 0)) + "）",
                                "id"));
  }
  std::string now = NowShanghaiIso();
  auto inserted = c.Query(kInsertRecord, {r.org_id,
                                          r.kind,
                                          r.topic,
                                          r.planned_start,
                                          r.planned_end,
                                          OptionalText(r.actual_start),
                                          OptionalText(r.actual_end),
                                          r.held_on,
                                          r.place,
                                          static_cast<std::int64_t>(r.online ? 1 : 0),
                                          OptionalId(r.host_member_id),
                                          r.host_name,
                                          OptionalId(r.recorder_member_id),
                                          r.recorder_name,
                                          r.agenda,
                                          r.minutes,
                                          r.resolutions,
                                          r.id,
                                          change.reason,
                                          OptionalId(change.account_id),
                                          now});
  if (!inserted) return Fail(inserted.error());
  std::int64_t copy = inserted->Int(0, 0);
  auto rows = LoadRows(c, r.id);
  if (!rows) return Fail(rows.error());
  auto votes = LoadVotes(c, r.id);
  if (!votes) return Fail(votes.error());
  Record draft = r;
  draft.id = copy;
  draft.status = "draft";
  draft.counted = false;
  auto without_quorum = CheckVotes(draft, *votes, *rows);
  auto stored = StoreRows(c, draft, *rows, without_quorum.value_or(false));
  if (!stored) return Fail(stored.error());
  auto written = StoreVotes(c, copy, *votes);
  if (!written) return Fail(written.error());
  // The photos and scans of the meeting belong to its correction too.
  auto attached = CopyAttachments(c, r.id, copy);
  if (!attached) return Fail(attached.error());
  auto logged = Audit(c, change, "orglife.correct", id, {{"correction", copy}});
  if (!logged) return Fail(logged.error());
  auto created = Audit(c, change, "orglife.create", copy,
                       {{"after", AuditView(draft)}, {"correction_of", id}});
  if (!created) return Fail(created.error());
  return copy;
}

namespace {

//! The record's attendance as it stands once recomputed on its date, and the member's line in it
//! (a participant added for a kind without an expected list when the member belonged to the
//! organisation's subtree on that date), or null.
struct OwnRows {
  Record record;
  std::vector<Row> rows;
  Row* own = nullptr;
};

Result<OwnRows> LoadOwnRows(db::Connection& c, std::int64_t record_id, std::int64_t member_id) {
  OwnRows out;
  auto record = LoadRecord(c, org::SubtreeScope::Everything(), record_id);
  if (!record) return Fail(record.error());
  out.record = std::move(*record);
  auto existing = LoadRows(c, record_id);
  if (!existing) return Fail(existing.error());
  auto expected = ExpectedOn(c, out.record, out.record.held_on);
  if (!expected) return Fail(expected.error());
  out.rows = Merge(std::move(*expected), *existing);
  for (auto& r : out.rows) {
    if (r.a.member_id == member_id && r.a.role != "guest") out.own = &r;
  }
  if (out.own == nullptr && out.record.Basis() == Expected::kOpen) {
    auto found = c.Query(kMemberOn, {member_id, out.record.org_path,
                                     org::SubtreeEnd(out.record.org_path), out.record.held_on});
    if (!found) return Fail(found.error());
    if (!found->empty()) {
      auto added = MemberRows(c, *found, out.record.held_on, "participant");
      if (!added) return Fail(added.error());
      out.rows.push_back(std::move(added->front()));
      out.own = &out.rows.back();
    }
  }
  return out;
}

}  // namespace

Error NotExpected(std::string_view field) {
  return Error::Unprocessable(
      "orglife.not_expected",
      "您不是本次组织生活的应到人员，也不是编入本支部参加组织生活的流动党员", std::string(field),
      "中国共产党党员教育管理工作条例 第十六条（党员按期参加所在党支部、党小组的组织生活）、"
      "第三十二条（流动党员参加流入地党组织的组织生活）");
}

Result<RecordSummary> LoadRecordSummary(db::Connection& c, std::int64_t id, bool lock) {
  if (lock) {
    auto locked = LockRow(c, id);
    if (!locked) return Fail(locked.error());
  }
  auto record = LoadRecord(c, org::SubtreeScope::Everything(), id);
  if (!record) return Fail(record.error());
  return RecordSummary{.id = record->id,
                       .org_id = record->org_id,
                       .org_name = record->org_name,
                       .org_path = record->org_path,
                       .kind = record->kind,
                       .topic = record->topic,
                       .planned_start = record->planned_start,
                       .status = record->status};
}

Result<std::optional<OwnAttendance>> FindOwnAttendance(db::Connection& c, std::int64_t record_id,
                                                       std::int64_t member_id) {
  auto own = LoadOwnRows(c, record_id, member_id);
  if (!own) return Fail(own.error());
  if (own->own == nullptr) return std::optional<OwnAttendance>();
  const Row& r = *own->own;
  return std::optional<OwnAttendance>(OwnAttendance{.role = r.a.role,
                                                    .status = r.a.status,
                                                    .leave_reason = r.leave_reason,
                                                    .checked_in_at = r.checked_in_at});
}

Result<void> MarkOwnAttendance(db::Connection& c, std::int64_t record_id, std::int64_t member_id,
                               const OwnAttendance& mark, std::string_view field) {
  auto own = LoadOwnRows(c, record_id, member_id);
  if (!own) return Fail(own.error());
  if (own->own == nullptr) return Fail(NotExpected(field));
  Row& r = *own->own;
  r.a.status = mark.status;
  r.leave_reason = mark.status == "leave" ? mark.leave_reason : std::string();
  r.checked_in_at = mark.checked_in_at;
  auto votes = LoadVotes(c, record_id);
  if (!votes) return Fail(votes.error());
  auto without_quorum = CheckVotes(own->record, *votes, own->rows);
  if (!without_quorum) return Fail(without_quorum.error());
  auto stored = StoreRows(c, own->record, own->rows, *without_quorum);
  if (!stored) return Fail(stored.error());
  // A returned record counts as held: the branch's and the member's rules are judged again.
  auto touched = compliance::Touch(c, own->record.org_path);
  if (!touched) return Fail(touched.error());
  if (r.a.role == "attached") {
    auto home = c.Query(kMemberHomePath, {member_id});
    if (!home) return Fail(home.error());
    if (!home->empty()) {
      auto at_home = compliance::Touch(c, home->Text(0, 0));
      if (!at_home) return Fail(at_home.error());
    }
  }
  return {};
}

}  // namespace zhibu::orglife
