//! Quorums and the "two halves" (支部工作条例 第十一条、第十二条) on both sides of every threshold:
//! counted against the voting members expected, not those present; no vote for 预备党员, members
//! under 留党察看 and 流入党员; hardship-exempt members expected only when they come.

#include "modules/orglife/votes.h"

#include <gtest/gtest.h>

namespace zhibu::orglife {
namespace {

//! `voting` full members (ids 1…), then `probationary` probationary ones, the first `present` of
//! the full members present and every probationary member present.
std::vector<Attendee> Meeting(int voting, int present, int probationary = 0) {
  std::vector<Attendee> out;
  for (int i = 1; i <= voting; ++i) {
    out.push_back({i, "正式" + std::to_string(i), "expected", i <= present ? "present" : "absent",
                   true, "", false});
  }
  for (int i = 1; i <= probationary; ++i) {
    out.push_back(
        {100 + i, "预备" + std::to_string(i), "expected", "present", false, "probationary", false});
  }
  return out;
}

VoteInput Open(std::vector<std::pair<std::int64_t, std::string>> ballots) {
  VoteInput v;
  v.resolution = "表决事项";
  for (auto& [id, choice] : ballots) v.ballots.push_back({id, choice});
  return v;
}

VoteInput YesFrom(int first, int last) {
  VoteInput v = Open({});
  for (int i = first; i <= last; ++i) v.ballots.push_back({i, "yes"});
  return v;
}

TEST(QuorumTest, MoreThanHalfIsStrictlyMore) {
  EXPECT_FALSE(MoreThanHalf(2, 4)) << "half of the committee is not enough";
  EXPECT_TRUE(MoreThanHalf(3, 4));
  EXPECT_FALSE(MoreThanHalf(2, 5));
  EXPECT_TRUE(MoreThanHalf(3, 5));
  EXPECT_FALSE(MoreThanHalf(0, 0));
}

TEST(TwoHalvesTest, AttendanceMustExceedHalfOfThoseExpected) {
  // 10 with a vote: 5 present is not a quorum, 6 is.
  auto five = CountVote(YesFrom(1, 5), Meeting(10, 5), "votes[0]");
  ASSERT_TRUE(five.has_value()) << five.error().message;
  EXPECT_FALSE(five->quorum);
  EXPECT_EQ(five->result, "no_quorum");
  EXPECT_FALSE(five->passed);
  auto six = CountVote(YesFrom(1, 6), Meeting(10, 6), "votes[0]");
  ASSERT_TRUE(six.has_value());
  EXPECT_TRUE(six->quorum);
  EXPECT_EQ(six->result, "passed");
}

TEST(TwoHalvesTest, YesVotesAreCountedAgainstThoseExpectedNotThosePresent) {
  // 10 expected, 7 present: 5 yes is a majority of the room but not more than half of 10.
  auto five = CountVote(YesFrom(1, 5), Meeting(10, 7), "votes[0]");
  ASSERT_TRUE(five.has_value());
  EXPECT_TRUE(five->quorum);
  EXPECT_FALSE(five->passed);
  EXPECT_EQ(five->result, "failed");
  EXPECT_TRUE(five->passes_against_present);
  EXPECT_NE(five->explanation.find("按应到会人数计算"), std::string::npos) << five->explanation;
  auto six = CountVote(YesFrom(1, 6), Meeting(10, 7), "votes[0]");
  ASSERT_TRUE(six.has_value());
  EXPECT_TRUE(six->passed);
  EXPECT_EQ(six->yes, 6);
}

TEST(TwoHalvesTest, ProbationaryMembersBallotsAreNotCounted) {
  // 8 with a vote, 6 present; 4 full yes + 2 probationary yes would be 6 > 4, but only 4 count.
  VoteInput v = YesFrom(1, 4);
  v.ballots.push_back({5, "no"});
  v.ballots.push_back({101, "yes"});
  v.ballots.push_back({102, "yes"});
  auto tally = CountVote(v, Meeting(8, 6, 2), "votes[0]");
  ASSERT_TRUE(tally.has_value()) << tally.error().message;
  EXPECT_EQ(tally->voting_expected, 8);
  EXPECT_EQ(tally->yes, 4);
  EXPECT_EQ(tally->no, 1);
  EXPECT_FALSE(tally->passed);
  ASSERT_EQ(tally->not_counted.size(), 2u);
  EXPECT_EQ(tally->not_counted[0].reason, "probationary");
}

TEST(TwoHalvesTest, PartyProbationAndAttachedMembersHaveNoVote) {
  std::vector<Attendee> attendees = Meeting(4, 4);
  attendees[3].voting = false;
  attendees[3].no_vote_reason = "party_probation";
  attendees.push_back({9, "流入", "attached", "present", false, "attached", false});
  AttendanceCounts counts = CountAttendance(attendees);
  EXPECT_EQ(counts.expected, 4);
  EXPECT_EQ(counts.voting_expected, 3);
  EXPECT_EQ(counts.others_present, 1);
  auto tally = CountVote(Open({{1, "yes"}, {4, "yes"}, {9, "yes"}}), attendees, "votes[0]");
  ASSERT_TRUE(tally.has_value());
  EXPECT_EQ(tally->yes, 1);
  EXPECT_EQ(tally->not_counted.size(), 2u);
  EXPECT_FALSE(tally->passed) << "1 of 3";
}

TEST(TwoHalvesTest, HardshipExemptMembersAreExpectedOnlyWhenTheyCome) {
  std::vector<Attendee> attendees = Meeting(6, 3);
  attendees[5].hardship = true;  // absent and exempt: 5 expected, 3 present is a quorum
  EXPECT_EQ(CountAttendance(attendees).voting_expected, 5);
  auto tally = CountVote(YesFrom(1, 3), attendees, "votes[0]");
  ASSERT_TRUE(tally.has_value());
  EXPECT_TRUE(tally->quorum);
  EXPECT_TRUE(tally->passed);
  attendees[5].status = "present";  // comes anyway: expected again
  EXPECT_EQ(CountAttendance(attendees).voting_expected, 6);
}

TEST(TwoHalvesTest, BallotsAreCheckedAndNameTheirField) {
  auto absent = CountVote(Open({{1, "yes"}, {9, "yes"}}), Meeting(10, 6), "votes[2]");
  ASSERT_FALSE(absent.has_value());
  EXPECT_EQ(absent.error().code, "orglife.ballot_not_present");
  EXPECT_EQ(absent.error().field, "votes[2].ballots[1].member_id");
  auto twice = CountVote(Open({{1, "yes"}, {1, "no"}}), Meeting(10, 6), "votes[0]");
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().code, "orglife.ballot_duplicate");
  auto choice = CountVote(Open({{1, "maybe"}}), Meeting(10, 6), "votes[0]");
  ASSERT_FALSE(choice.has_value());
  EXPECT_EQ(choice.error().field, "votes[0].ballots[0].choice");
  VoteInput unnamed = YesFrom(1, 1);
  unnamed.resolution.clear();
  EXPECT_EQ(CountVote(unnamed, Meeting(10, 6), "votes[0]").error().field, "votes[0].resolution");
}

TEST(TwoHalvesTest, SecretBallotsCountAgainstThoseExpected) {
  VoteInput v;
  v.resolution = "无记名投票";
  v.method = "secret";
  v.voters = {1, 2, 3, 4, 5, 6, 7};
  v.yes = 5;
  v.no = 2;
  auto tally = CountVote(v, Meeting(10, 7), "votes[0]");
  ASSERT_TRUE(tally.has_value()) << tally.error().message;
  EXPECT_FALSE(tally->passed) << "5 of 10 is not more than half";
  v.yes = 6;
  v.no = 1;
  EXPECT_TRUE(CountVote(v, Meeting(10, 7), "votes[0]")->passed);
  v.no = 2;  // 8 ballots counted, 7 returned
  auto over = CountVote(v, Meeting(10, 7), "votes[0]");
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error().code, "orglife.count_over_ballots");
  // A ballot handed to a probationary member cannot be set aside afterwards: refused.
  v.voters = {1, 101};
  v.yes = 1;
  v.no = 0;
  auto handed = CountVote(v, Meeting(10, 7, 1), "votes[0]");
  ASSERT_FALSE(handed.has_value());
  EXPECT_EQ(handed.error().code, "orglife.voter_without_vote");
  EXPECT_EQ(handed.error().field, "votes[0].voters[1]");
  EXPECT_EQ(handed.error().kind, ErrorKind::kUnprocessable);
}

}  // namespace
}  // namespace zhibu::orglife
