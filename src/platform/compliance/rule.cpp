#include "platform/compliance/rule.h"

#include <chrono>

#include "platform/util/clock.h"
#include "platform/util/date.h"

namespace zhibu::compliance {
namespace {

Error BadPeriod() {
  return Error::Invalid("compliance.period_invalid",
                        "统计期间应为 YYYY-MM（月）、YYYY-Qn（季度）或 YYYY（年）", "period");
}

std::string LastDayOfMonth(int year, unsigned month) {
  using namespace std::chrono;
  return FormatIsoDate(year_month_day(
      year_month_day_last(std::chrono::year(year) / std::chrono::month(month) / last)));
}

std::string FirstDay(int year, unsigned month) {
  return FormatIsoDate(std::chrono::year(year) / std::chrono::month(month) / std::chrono::day(1));
}

bool Digits(std::string_view s) {
  if (s.empty()) return false;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return false;
  }
  return true;
}

}  // namespace

Result<Period> ParsePeriod(std::string_view text) {
  if (text.size() < 4 || !Digits(text.substr(0, 4))) return Fail(BadPeriod());
  int year = std::stoi(std::string(text.substr(0, 4)));
  if (year < 1921 || year > 2199) return Fail(BadPeriod());
  std::string y = std::string(text.substr(0, 4));
  if (text.size() == 4) return Period{y, FirstDay(year, 1), LastDayOfMonth(year, 12)};
  if (text.size() == 7 && text[4] == '-' && text[5] == 'Q' && text[6] >= '1' && text[6] <= '4') {
    unsigned q = static_cast<unsigned>(text[6] - '0');
    return Period{std::string(text), FirstDay(year, q * 3 - 2), LastDayOfMonth(year, q * 3)};
  }
  if (text.size() == 7 && text[4] == '-' && Digits(text.substr(5, 2))) {
    unsigned month = static_cast<unsigned>(std::stoi(std::string(text.substr(5, 2))));
    if (month < 1 || month > 12) return Fail(BadPeriod());
    return Period{std::string(text), FirstDay(year, month), LastDayOfMonth(year, month)};
  }
  return Fail(BadPeriod());
}

Period MonthOf(std::string_view date) { return *ParsePeriod(date.substr(0, 7)); }

Result<void> Touch(db::Connection& c, std::string_view org_path) {
  auto done = c.Execute(
      "INSERT INTO compliance_dirty (org_path, touched_at) VALUES ($1, $2) ON CONFLICT (org_path) "
      "DO UPDATE SET touched_at = excluded.touched_at",
      {std::string(org_path), NowShanghaiIso()});
  if (!done) return Fail(done.error());
  return {};
}

}  // namespace zhibu::compliance
