// CircuitBreaker: one per exporter endpoint, shared by all its senders. After
// `failure_threshold` consecutive retryable failures it opens: no attempt is made for
// `open_duration`, so a dead backend costs neither CPU nor connection churn. Then it half-opens
// and lets exactly one probe through; the probe's success closes it, its failure reopens it.
// A permanent error (400) closes it too: the backend answered. Thread-safe; the caller passes
// the time, so tests drive it with virtual time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>

#include "common/status.h"
#include "pipeline/helpers/exporter_helper_config.h"

namespace periscope::pipeline {

class CircuitBreaker {
 public:
  using Clock = std::chrono::steady_clock;
  enum class State { kClosed = 0, kOpen = 1, kHalfOpen = 2 };
  struct Permit {
    bool allowed = true;
    bool probe = false;
    Clock::time_point retry_at{};  // when !allowed: ask again then
  };

  // `probe_timeout`: a probe that has not reported by then is presumed lost, and another is let
  // through. `on_change` runs (outside the lock) on every state change.
  CircuitBreaker(const CircuitBreakerSettings& settings, std::chrono::nanoseconds probe_timeout,
                 std::function<void(State)> on_change = {});

  Permit acquire(Clock::time_point now);
  // The result of an attempt made with `permit`.
  void record(const Permit& permit, const Status& result, Clock::time_point now);
  State state() const;

 private:
  CircuitBreakerSettings settings_;
  std::chrono::nanoseconds probe_timeout_;
  std::function<void(State)> on_change_;
  mutable std::mutex mu_;
  State state_ = State::kClosed;
  uint64_t failures_ = 0;
  Clock::time_point open_until_{};
  Clock::time_point probe_deadline_{};
};

}  // namespace periscope::pipeline
