#pragma once
//! Calendar dates as the API and the database carry them: ISO 8601 `YYYY-MM-DD` text, always an
//! Asia/Shanghai calendar date (platform/util/clock.h). Text of this form compares in date order,
//! so SQL range conditions work on it directly.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "platform/error/error.h"

namespace zhibu {

//! The date `text` names, when it is exactly `YYYY-MM-DD` and a real day between 1900-01-01 and
//! 2199-12-31; otherwise nothing.
std::optional<std::chrono::year_month_day> ParseIsoDate(std::string_view text);

//! `date` as `YYYY-MM-DD`.
std::string FormatIsoDate(std::chrono::year_month_day date);

//! Validates a date field of a request: `Error::Invalid(code, "<label>应为 YYYY-MM-DD
//! 格式的有效日期", field)` when it is not one.
Result<std::string> RequireIsoDate(std::string_view text, std::string_view field,
                                   std::string_view label);

//! `date` plus `months` calendar months; a day past the end of the target month becomes its last
//! day (2024-02-29 + 12 months = 2025-02-28).
std::chrono::year_month_day AddMonths(std::chrono::year_month_day date, int months);

//! `years` whole years between `from` and `to` (the age on `to` of someone born on `from`); 0
//! when `to` is before `from`.
int WholeYearsBetween(std::chrono::year_month_day from, std::chrono::year_month_day to);

//! Days from `from` to `to` (negative when `to` is earlier).
int DaysBetween(std::chrono::year_month_day from, std::chrono::year_month_day to);

}  // namespace zhibu
