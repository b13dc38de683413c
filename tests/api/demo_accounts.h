#pragma once
//! The demo county's business accounts for API tests: `zhibu serve --demo` prints a one-time
//! password for 组织部管理员 `zuzhibu` and 支部书记 `shuji`; these helpers read them from the log
//! and do the forced first password change.

#include <string>

#include "harness.h"

namespace zhibu::apitest {

//! The one-time password the demo printed for `username` in `log`, or empty.
std::string DemoPassword(const std::string& log, const std::string& username);

//! Logs in the demo account `username` of `server` for the first time (changing its password).
Client DemoLogIn(const ServerProcess& server, const std::string& username);

//! Today in Asia/Shanghai, YYYY-MM-DD.
std::string TodayInShanghai();

}  // namespace zhibu::apitest
