#pragma once
//! The closed vocabularies of the organisation tree (spec 03): kinds, 领域 (domains), statuses and
//! committee positions, each an API spelling with its Chinese title.

#include <span>
#include <string_view>

namespace zhibu::org {

//! One entry of a vocabulary.
struct Term {
  std::string_view id;     //!< the API spelling: `branch`
  std::string_view title;  //!< Chinese: `党支部`
};

//! Kinds of organisation. Higher bodies (县委组织部, 街道党工委) are nodes too, so one tree runs
//! from the top of a deployment down to every 党小组.
std::span<const Term> Kinds();
//! 领域 (the statistics' sector of the unit the organisation sits in).
std::span<const Term> Domains();
//! active / merged / dissolved — organisations are never deleted.
std::span<const Term> Statuses();
//! 书记, 副书记, 组织委员, 宣传委员, 纪检委员, 委员 …
std::span<const Term> Positions();

//! The title of `id` in `terms`, or empty when it is not one of them.
std::string_view TitleOf(std::span<const Term> terms, std::string_view id);

//! Kinds that are branches for the structural rules (党支部, 联合党支部, 临时党支部).
bool IsBranchKind(std::string_view kind);
//! Kinds whose committee term is 5 years by default (村/社区: 支部条例 第二十一条 ≈) is decided by
//! domain, not kind; this answers the default term for an organisation of `domain`.
int DefaultTermYears(std::string_view domain);

}  // namespace zhibu::org
