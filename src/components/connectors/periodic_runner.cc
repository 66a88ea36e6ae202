#include "components/connectors/periodic_runner.h"

namespace periscope::components::connectors {

void PeriodicRunner::start(std::chrono::nanoseconds interval, std::function<void()> fn) {
  if (interval.count() <= 0 || thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this, interval, fn = std::move(fn)] {
    auto next = std::chrono::steady_clock::now() + interval;
    std::unique_lock lock(mu_);
    while (!stopping_) {
      if (cv_.wait_until(lock, next, [this] { return stopping_; })) break;
      lock.unlock();
      fn();
      lock.lock();
      next += interval;
    }
  });
}

void PeriodicRunner::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace periscope::components::connectors
