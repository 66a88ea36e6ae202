#include "pipeline/helpers/circuit_breaker.h"

namespace periscope::pipeline {

CircuitBreaker::CircuitBreaker(const CircuitBreakerSettings& settings,
                               std::chrono::nanoseconds probe_timeout,
                               std::function<void(State)> on_change)
    : settings_(settings), probe_timeout_(probe_timeout), on_change_(std::move(on_change)) {}

CircuitBreaker::Permit CircuitBreaker::acquire(Clock::time_point now) {
  if (!settings_.enabled) return {};
  bool changed = false;
  Permit p;
  {
    std::lock_guard lock(mu_);
    switch (state_) {
      case State::kClosed:
        return {};
      case State::kOpen:
        if (now < open_until_) return {false, false, open_until_};
        state_ = State::kHalfOpen;
        changed = true;
        probe_deadline_ = now + probe_timeout_;
        p = {true, true, {}};
        break;
      case State::kHalfOpen:
        if (now < probe_deadline_) return {false, false, probe_deadline_};
        probe_deadline_ = now + probe_timeout_;  // the last probe never reported
        p = {true, true, {}};
        break;
    }
  }
  if (changed && on_change_) on_change_(State::kHalfOpen);
  return p;
}

void CircuitBreaker::record(const Permit& permit, const Status& result, Clock::time_point now) {
  if (!settings_.enabled) return;
  bool failure = !result.isOk() && result.isRetryable();
  State next;
  {
    std::lock_guard lock(mu_);
    State before = state_;
    if (!failure) {
      failures_ = 0;
      state_ = State::kClosed;
    } else if (permit.probe) {
      state_ = State::kOpen;
      open_until_ = now + settings_.open_duration;
    } else if (state_ == State::kClosed && ++failures_ >= settings_.failure_threshold) {
      state_ = State::kOpen;
      open_until_ = now + settings_.open_duration;
      failures_ = 0;
    }
    // A stale non-probe failure while open or half-open changes nothing: the probe decides.
    if (state_ == before) return;
    next = state_;
  }
  if (on_change_) on_change_(next);
}

CircuitBreaker::State CircuitBreaker::state() const {
  std::lock_guard lock(mu_);
  return state_;
}

}  // namespace periscope::pipeline
