#include "platform/workflow/vote.h"

namespace zhibu::workflow {
namespace {

FieldSpec Count(std::string name, std::string title, bool required) {
  return FieldSpec{.name = std::move(name),
                   .title = std::move(title),
                   .type = FieldType::kInteger,
                   .required = required,
                   .min = 0,
                   .max = 100000};
}

}  // namespace

std::vector<FieldSpec> VoteFields() {
  return {Count("expected_voters", "应到会有表决权的正式党员人数（不填按本支部计算）", false),
          FieldSpec{.name = "exclusion_note", .title = "不计入应到会人数的党员及上级同意情况"},
          Count("attending_voters", "实到会有表决权人数（含书面表决）", true),
          Count("votes_for", "赞成", true),
          Count("votes_against", "反对", false),
          Count("abstentions", "弃权", false)};
}

Result<void> VoteGate(const Attempt& a, std::string_view prefix, const std::string& source) {
  const std::string p(prefix);
  auto refuse = [&](std::string code, std::string message, std::string field) {
    return Fail(Error::Unprocessable(p + "." + code, message + "（" + source + "）",
                                     std::move(field), source));
  };
  std::int64_t eligible = IntOr(a.facts, "eligible_voters", 0);
  std::int64_t expected = IntOr(a.proposed.data, "expected_voters", eligible);
  if (expected > eligible) {
    return refuse("expected_voters",
                  "应到会有表决权的党员不能多于本支部有表决权的正式党员 " +
                      std::to_string(eligible) + " 人（预备党员和受留党察看处分的党员没有表决权）",
                  "expected_voters");
  }
  if (expected < eligible && TextOr(a.proposed.data, "exclusion_note").empty()) {
    return refuse("exclusion_note_missing",
                  "应到会人数少于本支部有表决权的正式党员 " + std::to_string(eligible) +
                      " 人时，须写明不计入应到会人数的党员及上级同意的情况",
                  "exclusion_note");
  }
  if (expected <= 0) {
    return refuse("expected_voters", "没有有表决权的正式党员，不能表决", "expected_voters");
  }
  std::int64_t attending = IntOr(a.proposed.data, "attending_voters", 0);
  std::int64_t yes = IntOr(a.proposed.data, "votes_for", 0);
  std::int64_t no = IntOr(a.proposed.data, "votes_against", 0);
  std::int64_t abstain = IntOr(a.proposed.data, "abstentions", 0);
  if (attending > expected) {
    return Fail(Error::Invalid(p + ".attending_voters",
                               "到会有表决权的人数不能多于应到会人数 " + std::to_string(expected),
                               "attending_voters"));
  }
  if (yes + no + abstain > attending) {
    return Fail(Error::Invalid(
        p + ".votes_exceed_attendance",
        "赞成、反对、弃权合计不能多于到会有表决权的人数 " + std::to_string(attending),
        "votes_for"));
  }
  if (attending * 2 <= expected) {
    return refuse("quorum_not_met",
                  "有表决权的到会人数必须超过应到会有表决权人数的半数：应到 " +
                      std::to_string(expected) + " 人，实到 " + std::to_string(attending) + " 人",
                  "attending_voters");
  }
  if (yes * 2 <= expected) {
    return refuse("vote_not_passed",
                  "赞成人数须超过应到会有表决权的正式党员的半数：应到 " + std::to_string(expected) +
                      " 人，赞成 " + std::to_string(yes) + " 人",
                  "votes_for");
  }
  return {};
}

}  // namespace zhibu::workflow
