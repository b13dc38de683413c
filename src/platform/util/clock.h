#pragma once
//! Time in Zhibu is Asia/Shanghai (UTC+8, no daylight saving since 1991): every date a user sees or
//! a rule compares is a Shanghai calendar date.

#include <chrono>
#include <string>

namespace zhibu {

//! Now as ISO 8601 with the Shanghai offset, to the second: `2026-11-23T14:30:05+08:00`.
std::string NowShanghaiIso();

//! `t` as ISO 8601 with the Shanghai offset, to the second.
std::string ShanghaiIso(std::chrono::system_clock::time_point t);

//! Today's Shanghai calendar date as `2026-11-23`.
std::string TodayShanghai();

}  // namespace zhibu
