#include "modules/orglife/votes.h"

#include <map>
#include <set>

namespace zhibu::orglife {
namespace {

Error Invalid(std::string code, std::string message, std::string field) {
  return Error::Invalid(std::move(code), std::move(message), std::move(field));
}

bool Counted(const Attendee& a) {
  return a.role == "expected" && (!a.hardship || a.status == "present");
}

std::string Num(std::int64_t n) { return std::to_string(n); }

}  // namespace

AttendanceCounts CountAttendance(const std::vector<Attendee>& attendees) {
  AttendanceCounts out;
  for (const auto& a : attendees) {
    if (!Counted(a)) {
      if (a.role != "expected" && a.status == "present") ++out.others_present;
      continue;
    }
    ++out.expected;
    if (a.status == "present") ++out.present;
    if (a.status == "leave") ++out.leave;
    if (a.status == "absent") ++out.absent;
    if (a.voting) {
      ++out.voting_expected;
      if (a.status == "present") ++out.voting_present;
    }
  }
  return out;
}

Result<Tally> CountVote(const VoteInput& vote, const std::vector<Attendee>& attendees,
                        const std::string& field) {
  if (vote.resolution.empty()) {
    return Fail(Invalid("orglife.resolution_missing", "请填写表决事项", field + ".resolution"));
  }
  std::map<std::int64_t, const Attendee*> by_member;
  for (const auto& a : attendees) {
    if (a.member_id) by_member[*a.member_id] = &a;
  }
  AttendanceCounts counts = CountAttendance(attendees);
  Tally t;
  t.voting_expected = counts.voting_expected;
  t.voting_present = counts.voting_present;
  auto present = [&](std::int64_t id) -> const Attendee* {
    auto at = by_member.find(id);
    if (at == by_member.end() || at->second->status != "present") return nullptr;
    return at->second;
  };
  std::set<std::int64_t> seen;
  if (vote.method == "open") {
    for (std::size_t i = 0; i < vote.ballots.size(); ++i) {
      const Ballot& b = vote.ballots[i];
      std::string at = field + ".ballots[" + Num(static_cast<std::int64_t>(i)) + "]";
      const Attendee* who = present(b.member_id);
      if (who == nullptr) {
        return Fail(
            Invalid("orglife.ballot_not_present", "只有到会的党员才能参加表决", at + ".member_id"));
      }
      if (!seen.insert(b.member_id).second) {
        return Fail(Invalid("orglife.ballot_duplicate", "同一党员在一项表决中只能表决一次",
                            at + ".member_id"));
      }
      if (b.choice != "yes" && b.choice != "no" && b.choice != "abstain") {
        return Fail(Invalid("orglife.ballot_choice_invalid",
                            "表决意见应为 yes（赞成）、no（反对）或 abstain（弃权）",
                            at + ".choice"));
      }
      if (!who->voting) {
        t.not_counted.push_back({b.member_id, who->name, who->no_vote_reason});
        continue;
      }
      if (b.choice == "yes") ++t.yes;
      if (b.choice == "no") ++t.no;
      if (b.choice == "abstain") ++t.abstain;
    }
  } else if (vote.method == "secret") {
    for (std::size_t i = 0; i < vote.voters.size(); ++i) {
      std::string at = field + ".voters[" + Num(static_cast<std::int64_t>(i)) + "]";
      const Attendee* who = present(vote.voters[i]);
      if (who == nullptr) {
        return Fail(Invalid("orglife.ballot_not_present", "只有到会的党员才能领取表决票", at));
      }
      if (!seen.insert(vote.voters[i]).second) {
        return Fail(Invalid("orglife.ballot_duplicate", "同一党员只能领取一张表决票", at));
      }
      // In a secret ballot a ballot cannot be set aside afterwards: it must not be handed out.
      if (!who->voting) {
        return Fail(Error::Unprocessable("orglife.voter_without_vote",
                                         who->name + "没有表决权，不应发给表决票", at,
                                         std::string(kTwoHalvesSource)));
      }
    }
    for (auto [count, name] : {std::pair{vote.yes, "yes"}, std::pair{vote.no, "no"},
                               std::pair{vote.abstain, "abstain"}}) {
      if (count < 0) {
        return Fail(Invalid("orglife.count_negative", "票数不能为负数", field + "." + name));
      }
    }
    if (vote.yes + vote.no + vote.abstain > static_cast<std::int64_t>(vote.voters.size())) {
      return Fail(Invalid("orglife.count_over_ballots",
                          "赞成、反对、弃权票数之和超过收回的表决票数（" +
                              Num(static_cast<std::int64_t>(vote.voters.size())) + "）",
                          field + ".yes"));
    }
    t.yes = vote.yes;
    t.no = vote.no;
    t.abstain = vote.abstain;
  } else {
    return Fail(Invalid("orglife.vote_method_invalid",
                        "表决方式应为 open（举手或记名表决）或 secret（无记名投票）",
                        field + ".method"));
  }
  t.quorum = MoreThanHalf(t.voting_present, t.voting_expected);
  t.passed = t.quorum && MoreThanHalf(t.yes, t.voting_expected);
  t.passes_against_present = MoreThanHalf(t.yes, t.voting_present);
  const std::string base = "应到会有表决权的党员 " + Num(t.voting_expected) + " 名，到会 " +
                           Num(t.voting_present) + " 名，赞成 " + Num(t.yes) + " 票";
  if (!t.quorum) {
    t.result = "no_quorum";
    t.explanation = base + "；到会人数未超过应到会有表决权党员的半数，不能进行表决，表决无效";
  } else if (t.passed) {
    t.result = "passed";
    t.explanation = base + "；赞成票超过应到会有表决权党员的半数，通过";
  } else {
    t.result = "failed";
    t.explanation = base + "；赞成票未超过应到会有表决权党员的半数（" +
                    Num(t.voting_expected / 2 + 1) + " 票方为通过），未通过";
    if (t.passes_against_present)
      t.explanation += "（按到会人数计算虽过半，但规定按应到会人数计算）";
  }
  if (!t.not_counted.empty()) {
    t.explanation += "；另有 " + Num(static_cast<std::int64_t>(t.not_counted.size())) +
                     " 名没有表决权的党员的表决不计入";
  }
  return t;
}

}  // namespace zhibu::orglife
