#include "demo_accounts.h"

#include <chrono>

#include "platform/util/date.h"

namespace zhibu::apitest {

std::string DemoPassword(const std::string& log, const std::string& username) {
  std::string mark = "登录 " + username + "（";
  auto at = log.find(mark);
  if (at == std::string::npos) return {};
  auto start = log.find("初始密码 ", at);
  if (start == std::string::npos) return {};
  start += std::string("初始密码 ").size();
  return log.substr(start, log.find("（", start) - start);
}

Client DemoLogIn(const ServerProcess& server, const std::string& username) {
  return FirstLogIn(server, username, DemoPassword(server.Log(), username),
                    "Demo-" + std::to_string(username.size()) + "-Passw0rd!2026");
}

std::string TodayInShanghai() {
  auto now = std::chrono::system_clock::now() + std::chrono::hours(8);  // no DST in China
  return FormatIsoDate(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(now)));
}

}  // namespace zhibu::apitest
