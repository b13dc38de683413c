#pragma once
//! Runs the modules' periodic tasks (a scheduled compliance scan, the incremental rescan) on one
//! background thread while `zhibu serve` runs. Each task first runs one interval after start.
//! Stopping wakes the thread, tells a task in progress to return early, and waits for it.

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "platform/module/manifest.h"

namespace zhibu {

class PeriodicRunner {
 public:
  PeriodicRunner(db::Database& db, std::vector<PeriodicTask> tasks);
  ~PeriodicRunner();
  PeriodicRunner(const PeriodicRunner&) = delete;
  PeriodicRunner& operator=(const PeriodicRunner&) = delete;

  //! Stops the thread (idempotent).
  void Stop();

 private:
  void Loop();

  db::Database& db_;
  std::vector<PeriodicTask> tasks_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::atomic<bool> stop_requested_{false};  //!< what a running task sees
  std::thread thread_;
};

//! Every periodic task of every module, in dependency order.
std::vector<PeriodicTask> AllPeriodicTasks();

}  // namespace zhibu
