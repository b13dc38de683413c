#pragma once
//! The demo county's business accounts for API tests: `zhibu serve --demo` prints a one-time
//! password for 组织部管理员 `zuzhibu` and 支部书记 `shuji`; these helpers read them from the log
//! and do the forced first password change.

#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness.h"

namespace zhibu::apitest {

//! The one-time password the demo printed for `username` in `log`, or empty.
std::string DemoPassword(const std::string& log, const std::string& username);

//! Logs in the demo account `username` of `server` for the first time (changing its password).
Client DemoLogIn(const ServerProcess& server, const std::string& username);

//! Today in Asia/Shanghai, YYYY-MM-DD.
std::string TodayInShanghai();

//! The fixture of a suite run against one demo county: a server on a fresh demo database
//! (`TestDatabase::WithDemo()`), with the 组织部管理员 `zuzhibu` (`admin_`) and the 支部书记
//! `shuji`
//! (`secretary_`) signed in; the server must stop cleanly (SIGTERM → exit 0) at the end. `Suite`
//! is the deriving fixture, so that each suite has its own server. A suite that wants another
//! start defines its own SetUpTestSuite calling `Start`.
template <class Suite>
class DemoSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { Start(TestDatabase::WithDemo()); }
  static void TearDownTestSuite() {
    admin_.reset();
    secretary_.reset();
    EXPECT_EQ(server_->StopWith(SIGTERM), 0) << server_->Log();
    server_.reset();
    db_.reset();
  }
  //! Serves `db` (with the server arguments `extra`) and signs the two demo accounts in.
  static void Start(std::unique_ptr<TestDatabase> db, std::vector<std::string> extra = {}) {
    db_ = std::move(db);
    server_ = std::make_unique<ServerProcess>(*db_, std::move(extra));
    admin_ = std::make_unique<Client>(DemoLogIn(*server_, "zuzhibu"));
    secretary_ = std::make_unique<Client>(DemoLogIn(*server_, "shuji"));
  }
  //! POST `body` to `target` as `c`.
  static HttpResult Post(const Client& c, const std::string& target,
                         const boost::json::value& body) {
    return server_->Send("POST", target, boost::json::serialize(body), c.Headers());
  }

  static inline std::unique_ptr<TestDatabase> db_;
  static inline std::unique_ptr<ServerProcess> server_;
  static inline std::unique_ptr<Client> admin_;
  static inline std::unique_ptr<Client> secretary_;
};

}  // namespace zhibu::apitest
