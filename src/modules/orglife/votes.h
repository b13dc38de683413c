#pragma once
//! Quorums and votes of a meeting, computed by the server from the attendance and the ballots —
//! never entered (spec 04).
//!
//! - 支委会: 须有半数以上委员到会方可进行 (支部工作条例 第十二条).
//! - 支部党员大会, the "two halves" (支部工作条例 第十一条): 表决必须有半数以上有表决权的党员到会
//!   方可进行，赞成人数超过应到会有表决权的党员的半数为通过 — both halves are counted against the
//!   voting members EXPECTED (应到会), not those present.
//! - No vote: 预备党员 (党章 第七条), members under 留党察看 (选举工作条例 第五条; rules.md §1.4),
//! and
//!   流入党员 at the destination branch (流动党员活动证: no 表决权 there; rules.md §5).
//! - Hardship-exempt members (年老体弱, 党员教育管理工作条例 第二十三条: no hard requirement to
//!   attend) count among those expected only when they come (spec 03: exempt from attendance
//!   counts).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/error/error.h"

namespace zhibu::orglife {

//! The source the quorum and vote errors and results cite.
inline constexpr std::string_view kCommitteeQuorumSource =
    "中国共产党支部工作条例（试行）第十二条：支部委员会会议须有半数以上委员到会方可进行";
inline constexpr std::string_view kTwoHalvesSource =
    "中国共产党支部工作条例（试行）第十一条：表决必须有半数以上有表决权的党员到会方可进行，"
    "赞成人数超过应到会有表决权的党员的半数为通过";

//! `part` is more than half of `whole` (半数以上 in the sense of 第十一、十二条: strictly more).
inline bool MoreThanHalf(std::int64_t part, std::int64_t whole) { return part * 2 > whole; }

//! One person of a record as the quorum and the tally see them.
struct Attendee {
  std::optional<std::int64_t> member_id;
  std::string name;
  std::string role;            //!< expected | attached | participant | guest
  std::string status;          //!< present | leave | absent
  bool voting = false;         //!< has 表决权 on the record's date
  std::string no_vote_reason;  //!< probationary | party_probation | attached, when not voting
  bool hardship = false;       //!< 年老体弱、行动不便: exempt from attendance counts
};

//! The attendance counts of a record.
struct AttendanceCounts {
  std::int64_t expected = 0;  //!< 应到: expected attendees, hardship-exempt ones only if present
  std::int64_t present = 0;   //!< 实到 among the expected
  std::int64_t leave = 0;
  std::int64_t absent = 0;
  std::int64_t voting_expected = 0;  //!< 应到会有表决权的党员
  std::int64_t voting_present = 0;   //!< 到会有表决权的党员
  std::int64_t others_present = 0;   //!< 流入党员, participants and 列席 guests present
};
AttendanceCounts CountAttendance(const std::vector<Attendee>& attendees);

//! One open ballot (举手/记名表决).
struct Ballot {
  std::int64_t member_id = 0;
  std::string choice;  //!< yes | no | abstain
};

//! A resolution put to the vote. `open`: one ballot per member who voted; `secret` (无记名投票):
//! the members who received and returned a ballot, and the counts.
struct VoteInput {
  std::string resolution;
  std::string method = "open";  //!< open | secret
  std::vector<Ballot> ballots;
  std::vector<std::int64_t> voters;
  std::int64_t yes = 0;
  std::int64_t no = 0;
  std::int64_t abstain = 0;
};

//! A ballot that was cast but does not count, and why.
struct UncountedBallot {
  std::int64_t member_id = 0;
  std::string name;
  std::string reason;  //!< a NoVoteReasons() id
};

//! The computed result of a vote.
struct Tally {
  std::int64_t voting_expected = 0;
  std::int64_t voting_present = 0;
  std::int64_t yes = 0;
  std::int64_t no = 0;
  std::int64_t abstain = 0;
  std::vector<UncountedBallot> not_counted;
  bool quorum = false;  //!< more than half of the voting members expected are present
  bool passed = false;  //!< quorum, and yes votes more than half of the voting members expected
  //! Whether it would pass if yes votes were (wrongly) counted against those present: shown so
  //! that a reader sees why a majority of the room is not enough.
  bool passes_against_present = false;
  std::string result;       //!< passed | failed | no_quorum
  std::string explanation;  //!< Chinese, citing 第十一条
};

//! Checks `vote` against the record's attendees — every ballot from a member present, at most one
//! each, choices known; a secret ballot handed only to present members with a vote, its counts not
//! above the ballots returned — and computes the result. Errors are 400s naming the field under
//! `field` (`votes[0]`), e.g. `votes[0].ballots[2].member_id`.
Result<Tally> CountVote(const VoteInput& vote, const std::vector<Attendee>& attendees,
                        const std::string& field);

}  // namespace zhibu::orglife
