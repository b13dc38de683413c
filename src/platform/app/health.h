#pragma once
//! The answer to `GET /healthz`: is the database reachable? The check runs at most once per
//! `max_age` however many probes arrive, so a load balancer's probing costs nothing.

#include <atomic>
#include <chrono>
#include <mutex>

#include "platform/db/database.h"

namespace zhibu {

class HealthProbe {
 public:
  explicit HealthProbe(db::Database& db,
                       std::chrono::milliseconds max_age = std::chrono::milliseconds(1000))
      : db_(db), max_age_(max_age) {}

  //! True when the database answered its last check, at most `max_age` ago.
  bool DatabaseUp();

 private:
  db::Database& db_;
  std::chrono::milliseconds max_age_;
  std::mutex refresh_;
  std::atomic<std::int64_t> checked_at_ns_{0};
  std::atomic<bool> up_{false};
};

}  // namespace zhibu
