#pragma once
//! The vote of a 支部党员大会 (党员大会) as a workflow step, shared by every table that has one
//! (发展党员 steps 15 and 23, the 除名 of a member who lapsed): the record's fields and the "two
//! halves" gate (《中国共产党支部工作条例（试行）》第十一条, rules.md §2): attendance and yes votes
//! each more than half of the voters expected to attend. The owning module gathers the branch's
//! voters on the meeting's date (full members not under 留党察看, 党章 第七条) into
//! `facts.eligible_voters`; the gate knows no workflow by name.

#include <string>
#include <string_view>
#include <vector>

#include "platform/workflow/workflow.h"

namespace zhibu::workflow {

//! The fields of a vote: expected_voters (optional: default `facts.eligible_voters`),
//! exclusion_note, attending_voters, votes_for, votes_against, abstentions.
std::vector<FieldSpec> VoteFields();

//! Judges the proposed record's vote against `facts.eligible_voters`:
//! - expected_voters more than the eligible → 422 `<prefix>.expected_voters`;
//! - fewer without `exclusion_note` → 422 `<prefix>.exclusion_note_missing`;
//! - no one expected → 422 `<prefix>.expected_voters`;
//! - attending more than expected, or the votes more than attending → 400 naming the field;
//! - attending ≤ half the expected → 422 `<prefix>.quorum_not_met` (field attending_voters);
//! - yes ≤ half the expected → 422 `<prefix>.vote_not_passed` (field votes_for).
//! Refusals cite `source`.
Result<void> VoteGate(const Attempt& attempt, std::string_view prefix, const std::string& source);

}  // namespace zhibu::workflow
