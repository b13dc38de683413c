#pragma once
//! Subtree counters (migration 0003_subtree_statistics): every 党委-level organisation holds the
//! counts of its current subtree, so statistics for the city root read a few hundred rows instead
//! of 340,000 members. statistics_span and statistics_org record what each member span and each
//! organisation contributes, which is what makes the upkeep below exact and idempotent.
//!
//! The contract for every write of members, member_span, organisation, organisation_placement or
//! committee: in the same transaction, after the write, call
//!   - RecountMembers(c, {ids})     after creating a member, changing their status, moving them
//!                                  (MoveMember), closing or opening a span, or changing a counted
//!                                  attribute (sex, ethnicity, birth date, education, occupation,
//!                                  转正 date);
//!   - RecountOrganisations(c, {ids}) after creating, updating, merging or dissolving an
//!                                  organisation or electing its committee;
//!   - MoveSubtreeCounters(c, old, new) after a subtree's paths were rewritten (org::RewritePaths).
//! Each compares what was counted with what the tables now say and moves only the difference into
//! the counters; calling one again changes nothing. The member and org stores call them through
//! org::Hooks() (installed by InstallTreeHooks) and directly. A bulk load that bypasses the stores
//! either calls CountNewMembers for the members it created (the member import), or calls
//! MarkStatisticsStale first and RebuildStatistics at the end (the statistics answer from the full
//! scan meanwhile); `zhibu stats rebuild` runs RebuildStatistics on an existing database.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/db/database.h"

namespace zhibu::member {

//! The counted measures, as stored in statistics_counter.measure.
namespace measure {
inline constexpr std::string_view kStatus = "status";
inline constexpr std::string_view kSex = "sex";
inline constexpr std::string_view kEthnicity = "ethnicity";
inline constexpr std::string_view kEducation = "education";
inline constexpr std::string_view kOccupation = "occupation";
inline constexpr std::string_view kBirthYear = "birth_year";          //!< bucket YYYY
inline constexpr std::string_view kBirth = "birth";                   //!< bucket YYYY-MM-DD
inline constexpr std::string_view kConfirmedYear = "confirmed_year";  //!< YYYY, '' when none
inline constexpr std::string_view kConfirmed = "confirmed";           //!< YYYY-MM-DD
inline constexpr std::string_view kKind = "kind";
inline constexpr std::string_view kDomain = "domain";
inline constexpr std::string_view kEnterprises = "enterprises";  //!< bucket ''
inline constexpr std::string_view kWithOwn = "with_own";         //!< bucket ''
//! Branches with 7 or more full members, by the date of their first committee ('' for none).
inline constexpr std::string_view kCommittee = "committee";
}  // namespace measure

//! Whether an organisation of `kind` holds subtree counters: the 党委 levels (department,
//! committee_higher, committee). Branch-level subtrees (总支, 支部, 党小组) hold at most a few
//! hundred members and are counted by the scan.
bool HoldsCounters(std::string_view kind);

//! A member span as statistics_span keeps it: the span and the member's counted attributes.
struct CountedSpan {
  std::string valid_from;
  std::int64_t member_id = 0;
  std::int64_t seq = 0;
  std::optional<std::string> valid_to;
  std::int64_t org_id = 0;
  std::string status;
  std::string sex;
  std::string ethnicity;
  std::string birth_date;
  std::string education;
  std::string occupation;
  std::optional<std::string> confirmed_on;
  bool operator==(const CountedSpan&) const = default;
};

//! statistics_span.attributes: sex, ethnicity, education and occupation as one JSON array.
std::string CountedAttributes(const CountedSpan& span);
//! The four values of statistics_span.attributes, in that order.
std::array<std::string, 4> AttributesOf(std::string_view attributes);

//! What an organisation contributes, as statistics_org keeps it.
struct CountedOrg {
  std::int64_t org_id = 0;
  std::string path;
  bool placed = false;  //!< active, so in the tree today
  std::string kind;
  std::string domain;
  std::int64_t enterprises = 0;  //!< units of a 非公 branch-kind organisation
  std::int64_t with_own = 0;     //!< 1 for a 非公 党支部 of exactly one unit
  std::int64_t full_members = 0;
  std::optional<std::string> first_committee;
  bool operator==(const CountedOrg&) const = default;
};

//! One contribution: `tally` to (measure, bucket) of every counter holder on the path.
struct Fact {
  std::string_view measure;
  std::string bucket;
  std::int64_t tally = 1;
};

//! The facts of one member span (status, sex, ethnicity, education, occupation — 未填写 when
//! empty — birth year and day, 转正 year and day).
std::vector<Fact> SpanFacts(const CountedSpan& span);

//! The facts of one placed organisation (kind, domain, 非公 enterprises, and the committee measure
//! for a branch with 7 or more full members); nothing when it is not placed.
std::vector<Fact> OrgFacts(const CountedOrg& org);

//! Whether the counters are built (statistics_state.ready).
Result<bool> StatisticsReady(db::Connection& c);

//! Marks the counters not built: statistics come from the full scan and the Recount functions do
//! nothing until RebuildStatistics.
Result<void> MarkStatisticsStale(db::Connection& c);

//! Brings statistics_span, the counters and the members' organisations up to date for these
//! members (see the contract above).
Result<void> RecountMembers(db::Connection& c, std::span<const std::int64_t> member_ids);

//! Counts in members created in this transaction by a bulk load, each with exactly the spans
//! given (as NumberSpans would number them: seq from 0 per member) and none counted before: their
//! statistics_span rows, the counters above their organisations and those organisations' full
//! members. The same result as RecountMembers for their ids, computed from the rows in memory in
//! one pass instead of several queries per member. Does nothing while the counters are not built.
Result<void> CountNewMembers(db::Connection& c, std::span<const CountedSpan> spans);

//! Brings statistics_org and the counters up to date for these organisations.
Result<void> RecountOrganisations(db::Connection& c, std::span<const std::int64_t> org_ids);

//! The subtree at `old_prefix` now lies at `new_prefix` (organisation paths already rewritten):
//! its counts leave the holders above the old place and join those above the new one.
Result<void> MoveSubtreeCounters(db::Connection& c, const std::string& old_prefix,
                                 const std::string& new_prefix);

//! What RebuildStatistics wrote.
struct RebuildReport {
  std::int64_t spans = 0;
  std::int64_t organisations = 0;
  std::int64_t counters = 0;
};

//! Recomputes statistics_span, statistics_org and statistics_counter from member_span, member,
//! organisation and committee, and marks the counters built. One pass over the members.
Result<RebuildReport> RebuildStatistics(db::Connection& c);

}  // namespace zhibu::member
