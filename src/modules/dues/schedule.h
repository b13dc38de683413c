#pragma once
//! What a member owes month by month, as pure functions of their bases, reductions and payments
//! (unit-tested at every edge; the store gathers the facts with set-based queries and calls these).
//! Months are calendar months in Asia/Shanghai, written `YYYY-MM`.

#include <compare>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/util/money.h"

namespace zhibu::dues {

//! A calendar month.
struct YearMonth {
  int year = 0;
  int month = 0;  //!< 1–12
  friend auto operator<=>(const YearMonth&, const YearMonth&) = default;
};

//! `2026-11` → {2026, 11}; nothing unless exactly YYYY-MM with a year in 1900–2199.
std::optional<YearMonth> ParseYearMonth(std::string_view text);
//! {2026, 11} → `2026-11`.
std::string FormatYearMonth(YearMonth m);
//! The month of an ISO date `2026-11-23` (which must be valid).
YearMonth MonthOfDate(std::string_view iso_date);
//! `m` plus `months` (negative goes back).
YearMonth AddMonths(YearMonth m, int months);
//! Months from `from` to `to`: 0 for the same month, 1 for the next, negative when earlier.
int MonthsBetween(YearMonth from, YearMonth to);
//! `2026-11-01` and `2026-11-30`.
std::string FirstDayOf(YearMonth m);
std::string LastDayOf(YearMonth m);

//! A base in force from `effective` (中组发〔2008〕3号 第十条) with its monthly amount.
struct BaseEntry {
  YearMonth effective;
  money::Fen amount;
};

//! An approved reduction (第七条) for `from`..`to` inclusive: the member pays `amount` a month
//! (0: 免交).
struct ReductionEntry {
  YearMonth from;
  YearMonth to;
  money::Fen amount;
};

//! The dues of one month.
struct MonthDue {
  //! Nothing before the month of admission as a probationary member (第八条) or before the first
  //! base is in force (the base is not yet declared: the branch's gap, not the member's debt).
  std::optional<money::Fen> due;
  bool reduced = false;  //!< a reduction of 第七条 set the amount
};

//! The dues of `month` for a member admitted in `admitted`, with `bases` in any order (the latest
//! effective on or before `month` applies; for equal months the later entry in the span wins) and
//! `reductions` (the latest covering `month` applies).
MonthDue DueFor(YearMonth month, YearMonth admitted, std::span<const BaseEntry> bases,
                std::span<const ReductionEntry> reductions);

//! One month of a member's statement.
struct StatementMonth {
  YearMonth month;
  MonthDue due;
  money::Fen paid;  //!< regular payments for the month (not the voluntary extra)
  //! What is still owed: due − paid when positive, else 0.
  money::Fen owed() const;
  //! Due something and paid nothing.
  bool unpaid() const;
  //! Paid something, but less than due, without a reduction (第七条 needs an approval).
  bool paid_below() const;
};

//! The member's months `from`..`to` inclusive. `paid` gives each month's regular payments.
std::vector<StatementMonth> Statement(YearMonth from, YearMonth to, YearMonth admitted,
                                      std::span<const BaseEntry> bases,
                                      std::span<const ReductionEntry> reductions,
                                      const std::vector<std::pair<YearMonth, money::Fen>>& paid);

//! The run of consecutive unpaid months that ends with the statement's last month (oldest first):
//! 党章 第九条 and 中组发〔2008〕3号 第十三条 count "连续6个月不交纳党费" over these. A month with
//! nothing due — 免交 approved, before admission, no base yet — or with a payment ends the run.
std::vector<YearMonth> TrailingUnpaidRun(std::span<const StatementMonth> statement);

//! 第十二条: a month may be paid late (补交) for at most this many months after it.
inline constexpr int kBackPaymentMonths = 6;
//! 党章 第九条 / 第十三条: this many consecutive unpaid months is flagged (never a removal).
inline constexpr int kUnpaidMonthsFlagged = 6;
//! 第十一条: a voluntary extra of at least this much in one payment goes wholly to the Centre.
inline constexpr money::Fen kExtraForCentre{100000};

}  // namespace zhibu::dues
