#include "modules/org/vocabulary.h"

#include <array>

namespace zhibu::org {
namespace {

constexpr std::array kKinds = {
    Term{"department", "组织部门"},
    Term{"committee_higher", "上级党委/党工委"},
    Term{"committee", "基层党委"},
    Term{"general_branch", "党总支"},
    Term{"branch", "党支部"},
    Term{"joint_branch", "联合党支部"},
    Term{"temporary_branch", "临时党支部"},
    Term{"group", "党小组"},
};

constexpr std::array kDomains = {
    Term{"rural", "农村"},           Term{"community", "城市社区"}, Term{"government", "机关"},
    Term{"institution", "事业单位"}, Term{"soe", "国有企业"},       Term{"private", "非公企业"},
    Term{"social", "社会组织"},      Term{"school", "学校"},        Term{"hospital", "公立医院"},
    Term{"retired", "离退休"},       Term{"other", "其他"},
};

constexpr std::array kStatuses = {
    Term{"active", "正常"},
    Term{"merged", "已合并"},
    Term{"dissolved", "已撤销"},
};

constexpr std::array kPositions = {
    Term{"secretary", "书记"},        Term{"deputy_secretary", "副书记"},
    Term{"organisation", "组织委员"}, Term{"publicity", "宣传委员"},
    Term{"discipline", "纪检委员"},   Term{"youth", "青年委员"},
    Term{"women", "妇女委员"},        Term{"member", "委员"},
};

}  // namespace

std::span<const Term> Kinds() { return kKinds; }
std::span<const Term> Domains() { return kDomains; }
std::span<const Term> Statuses() { return kStatuses; }
std::span<const Term> Positions() { return kPositions; }

std::string_view TitleOf(std::span<const Term> terms, std::string_view id) {
  for (const auto& term : terms) {
    if (term.id == id) return term.title;
  }
  return {};
}

bool IsBranchKind(std::string_view kind) {
  return kind == "branch" || kind == "joint_branch" || kind == "temporary_branch";
}

int DefaultTermYears(std::string_view domain) {
  // 支部工作条例 第二十一条 (≈, rules.md §1.2): 村、社区 5 年，其他一般 3 年.
  return domain == "rural" || domain == "community" ? 5 : 3;
}

}  // namespace zhibu::org
