#include "platform/app/health.h"

namespace zhibu {

bool HealthProbe::DatabaseUp() {
  auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  auto age = std::chrono::nanoseconds(now - checked_at_ns_.load(std::memory_order_acquire));
  if (checked_at_ns_.load(std::memory_order_relaxed) != 0 && age < max_age_) {
    return up_.load(std::memory_order_acquire);
  }
  std::unique_lock lock(refresh_, std::try_to_lock);
  if (!lock.owns_lock()) return up_.load(std::memory_order_acquire);  // someone is checking
  up_.store(db_.Ping().has_value(), std::memory_order_release);
  checked_at_ns_.store(std::chrono::steady_clock::now().time_since_epoch().count(),
                       std::memory_order_release);
  return up_.load(std::memory_order_acquire);
}

}  // namespace zhibu
