#include "modules/dues/schedule.h"

#include <chrono>
#include <cstdio>

namespace zhibu::dues {

std::optional<YearMonth> ParseYearMonth(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  int year = 0;
  int month = 0;
  for (std::size_t i = 0; i < 7; ++i) {
    if (i == 4) continue;
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    if (i < 4) {
      year = year * 10 + (text[i] - '0');
    } else {
      month = month * 10 + (text[i] - '0');
    }
  }
  if (year < 1900 || year > 2199 || month < 1 || month > 12) return std::nullopt;
  return YearMonth{year, month};
}

std::string FormatYearMonth(YearMonth m) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d", m.year, m.month);
  return buffer;
}

YearMonth MonthOfDate(std::string_view iso_date) { return *ParseYearMonth(iso_date.substr(0, 7)); }

YearMonth AddMonths(YearMonth m, int months) {
  int index = m.year * 12 + (m.month - 1) + months;
  return YearMonth{index / 12, index % 12 + 1};
}

int MonthsBetween(YearMonth from, YearMonth to) {
  return (to.year * 12 + to.month) - (from.year * 12 + from.month);
}

std::string FirstDayOf(YearMonth m) { return FormatYearMonth(m) + "-01"; }

std::string LastDayOf(YearMonth m) {
  using namespace std::chrono;
  year_month_day_last last{year{m.year} / month{static_cast<unsigned>(m.month)} /
                           std::chrono::last};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "-%02u", static_cast<unsigned>(last.day()));
  return FormatYearMonth(m) + buffer;
}

MonthDue DueFor(YearMonth month, YearMonth admitted, std::span<const BaseEntry> bases,
                std::span<const ReductionEntry> reductions) {
  if (month < admitted) return {};
  const BaseEntry* base = nullptr;
  for (const auto& b : bases) {
    if (b.effective <= month && (base == nullptr || b.effective >= base->effective)) base = &b;
  }
  if (base == nullptr) return {};
  const ReductionEntry* reduction = nullptr;
  for (const auto& r : reductions) {
    if (r.from <= month && month <= r.to) reduction = &r;
  }
  if (reduction != nullptr) return MonthDue{reduction->amount, true};
  return MonthDue{base->amount, false};
}

money::Fen StatementMonth::owed() const {
  if (!due.due || paid >= *due.due) return money::Fen{0};
  return money::Fen{due.due->value - paid.value};
}

bool StatementMonth::unpaid() const { return due.due && due.due->value > 0 && paid.value == 0; }

bool StatementMonth::paid_below() const {
  return due.due && !due.reduced && paid.value > 0 && paid < *due.due;
}

std::vector<StatementMonth> Statement(YearMonth from, YearMonth to, YearMonth admitted,
                                      std::span<const BaseEntry> bases,
                                      std::span<const ReductionEntry> reductions,
                                      const std::vector<std::pair<YearMonth, money::Fen>>& paid) {
  std::vector<StatementMonth> months;
  for (YearMonth m = from; m <= to; m = AddMonths(m, 1)) {
    money::Fen sum{0};
    for (const auto& [month, amount] : paid) {
      if (month == m) sum.value += amount.value;
    }
    months.push_back(StatementMonth{m, DueFor(m, admitted, bases, reductions), sum});
  }
  return months;
}

std::vector<YearMonth> TrailingUnpaidRun(std::span<const StatementMonth> statement) {
  std::vector<YearMonth> run;
  for (auto it = statement.rbegin(); it != statement.rend() && it->unpaid(); ++it) {
    run.insert(run.begin(), it->month);
  }
  return run;
}

}  // namespace zhibu::dues
