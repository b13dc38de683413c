#include "platform/util/clock.h"

#include <fmt/format.h>

namespace zhibu {
namespace {
constexpr std::chrono::hours kShanghaiOffset{8};
}  // namespace

std::string ShanghaiIso(std::chrono::system_clock::time_point t) {
  auto local = std::chrono::floor<std::chrono::seconds>(t) + kShanghaiOffset;
  auto day = std::chrono::floor<std::chrono::days>(local);
  std::chrono::year_month_day ymd{day};
  std::chrono::hh_mm_ss hms{local - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+08:00", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

std::string NowShanghaiIso() { return ShanghaiIso(std::chrono::system_clock::now()); }

std::string TodayShanghai() { return NowShanghaiIso().substr(0, 10); }

}  // namespace zhibu
