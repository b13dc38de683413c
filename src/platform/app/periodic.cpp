#include "platform/app/periodic.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace zhibu {

PeriodicRunner::PeriodicRunner(db::Database& db, std::vector<PeriodicTask> tasks)
    : db_(db), tasks_(std::move(tasks)) {
  if (!tasks_.empty()) thread_ = std::thread([this] { Loop(); });
}

PeriodicRunner::~PeriodicRunner() { Stop(); }

void PeriodicRunner::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_requested_ = true;
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PeriodicRunner::Loop() {
  using Clock = std::chrono::steady_clock;
  std::vector<Clock::time_point> due;
  for (const auto& task : tasks_) due.push_back(Clock::now() + task.interval);
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    auto next = std::min_element(due.begin(), due.end());
    if (wake_.wait_until(lock, *next, [this] { return stopping_; })) break;
    std::size_t i = static_cast<std::size_t>(next - due.begin());
    lock.unlock();
    try {
      tasks_[i].run(db_, stop_requested_);
    } catch (const std::exception& e) {
      spdlog::error("periodic task {} failed: {}", tasks_[i].name, e.what());
    }
    lock.lock();
    due[i] = Clock::now() + tasks_[i].interval;
  }
}

std::vector<PeriodicTask> AllPeriodicTasks() {
  std::vector<PeriodicTask> out;
  for (const ModuleManifest* m : ModulesInDependencyOrder()) {
    out.insert(out.end(), m->periodic_tasks.begin(), m->periodic_tasks.end());
  }
  return out;
}

}  // namespace zhibu
