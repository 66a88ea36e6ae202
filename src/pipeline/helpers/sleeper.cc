#include "pipeline/helpers/sleeper.h"

namespace periscope::pipeline {

Sleeper::Wake Sleeper::sleepUntil(Clock::time_point t) {
  std::unique_lock lock(mu_);
  uint64_t gen = generation_;
  cv_.wait_until(lock, t, [&] { return stopped_ || generation_ != gen; });
  if (stopped_) return Wake::kStopped;
  return generation_ != gen ? Wake::kNotified : Wake::kElapsed;
}

void Sleeper::notifyAll() {
  {
    std::lock_guard lock(mu_);
    ++generation_;
  }
  cv_.notify_all();
}

void Sleeper::stop() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
  }
  cv_.notify_all();
}

bool Sleeper::stopped() const {
  std::lock_guard lock(mu_);
  return stopped_;
}

}  // namespace periscope::pipeline
