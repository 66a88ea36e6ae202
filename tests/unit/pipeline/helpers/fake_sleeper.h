// FakeSleeper: a Sleeper on virtual time. sleepUntil() advances the clock to its target at once
// and records the wait, so tests assert backoff and Retry-After timing without waiting.
#pragma once

#include <vector>

#include "pipeline/helpers/sleeper.h"

namespace periscope::pipeline::testing {

class FakeSleeper : public Sleeper {
 public:
  Clock::time_point now() const override {
    std::lock_guard lock(mu_);
    return now_;
  }
  Wake sleepUntil(Clock::time_point t) override {
    std::lock_guard lock(mu_);
    if (stopped_) return Wake::kStopped;
    waits.push_back(t - now_);
    if (t > now_) now_ = t;
    if (stop_after_waits > 0 && waits.size() >= stop_after_waits) stopped_ = true;
    return Wake::kElapsed;
  }
  void advance(std::chrono::nanoseconds d) {
    std::lock_guard lock(mu_);
    now_ += d;
  }

  std::vector<std::chrono::nanoseconds> waits;
  size_t stop_after_waits = 0;  // simulate shutdown during the n-th wait (0 = never)

 private:
  Clock::time_point now_ = Clock::time_point(std::chrono::hours(1000));
};

}  // namespace periscope::pipeline::testing
