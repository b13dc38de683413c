#pragma once
//! The member registry's closed vocabularies (spec 03), each an API spelling and a Chinese title.

#include <span>
#include <string_view>

#include "modules/org/vocabulary.h"

namespace zhibu::member {

using org::Term;
using org::TitleOf;

//! 正式党员, 预备党员, 停止党籍, 出党, 死亡.
std::span<const Term> Statuses();
//! The seven kinds of 出党 (spec 03).
std::span<const Term> ExitKinds();
//! Seed 003's seven categories.
std::span<const Term> Categories();
//! 学历.
std::span<const Term> Educations();
//! 性别.
std::span<const Term> Sexes();
//! Membership events; `Flow` says how each enters the annual balance.
std::span<const Term> EventKinds();

//! +1 for an increase of the balance (发展, 重新入党, 恢复党籍, 转入, 整建制转入), −1 for a
//! decrease (出党, 停止党籍, 死亡, 转出, 整建制转出), 0 for a change that keeps the count
//! (转正, 延长预备期, 流动, 失联 …). 党内统计年报 表1 (rules.md §6.1).
int Flow(std::string_view event_kind);

//! Whether a status counts as a member (正式 or 预备).
inline bool IsMemberStatus(std::string_view status) {
  return status == "full" || status == "probationary";
}

}  // namespace zhibu::member
