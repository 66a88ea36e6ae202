#include "pipeline/helpers/retry_sender.h"

#include <algorithm>
#include <exception>

#include "pipeline/helpers/backoff.h"

namespace periscope::pipeline {

RetrySender::RetrySender(const RetrySettings& settings, CircuitBreaker* breaker, Sleeper& sleeper,
                         telemetry::Counter* retries, uint64_t seed)
    : settings_(settings), breaker_(breaker), sleeper_(sleeper), retries_(retries), seed_(seed) {}

namespace {

Status runAttempt(const RetrySender::Attempt& attempt) {
  try {
    return attempt();
  } catch (const std::exception& e) {
    // The edge between the helper and exporter code: a throwing exporter fails this attempt,
    // it does not take the process down. Permanent: the same data would throw again.
    return internalError(std::string("exporter threw: ") + e.what());
  }
}

int secondsUntil(Sleeper::Clock::time_point from, Sleeper::Clock::time_point to) {
  auto s = std::chrono::duration_cast<std::chrono::seconds>(to - from).count();
  return static_cast<int>(std::max<int64_t>(1, s + 1));
}

}  // namespace

RetrySender::Result RetrySender::sendOnce(const Attempt& attempt) {
  Result r;
  auto now = sleeper_.now();
  CircuitBreaker::Permit permit;
  if (breaker_ != nullptr) {
    permit = breaker_->acquire(now);
    if (!permit.allowed) {
      r.outcome = Outcome::kRefused;
      r.status = unavailable(
          "the exporter's circuit breaker is open after repeated failures of "
          "the endpoint");
      r.status.withRetryAfter(secondsUntil(now, permit.retry_at));
      return r;
    }
  }
  r.attempts = 1;
  r.status = runAttempt(attempt);
  if (breaker_ != nullptr) breaker_->record(permit, r.status, sleeper_.now());
  if (r.status.isOk()) {
    r.outcome = Outcome::kSent;
  } else if (r.status.isRetryable()) {
    r.outcome = Outcome::kRefused;
  } else {
    r.outcome = Outcome::kPermanent;
  }
  return r;
}

RetrySender::Result RetrySender::send(const Attempt& attempt) {
  Result r;
  ExponentialBackoff backoff(settings_, seed_.fetch_add(0x9e3779b97f4a7c15ULL));
  const auto start = sleeper_.now();
  const bool bounded = settings_.max_elapsed_time.count() > 0;
  const auto give_up_at = start + settings_.max_elapsed_time;
  while (true) {
    if (sleeper_.stopped()) {
      r.outcome = Outcome::kStopped;
      r.status = unavailable("exporter is shutting down");
      return r;
    }
    auto now = sleeper_.now();
    CircuitBreaker::Permit permit;
    if (breaker_ != nullptr) {
      permit = breaker_->acquire(now);
      if (!permit.allowed) {
        // Waiting out an open circuit is not a retry: even with retries off, the request
        // gets its one attempt once the circuit lets it through.
        if (settings_.enabled && bounded && permit.retry_at > give_up_at) {
          r.outcome = Outcome::kRetriesExhausted;
          if (r.status.isOk()) r.status = unavailable("the exporter's circuit breaker is open");
          return r;
        }
        sleeper_.sleepUntil(permit.retry_at);  // then re-check: stopped, closed or still open
        continue;
      }
    }
    if (r.attempts > 0 && retries_ != nullptr) retries_->add();
    ++r.attempts;
    r.status = runAttempt(attempt);
    now = sleeper_.now();
    if (breaker_ != nullptr) breaker_->record(permit, r.status, now);
    if (r.status.isOk()) {
      r.outcome = Outcome::kSent;
      return r;
    }
    if (!r.status.isRetryable()) {
      r.outcome = Outcome::kPermanent;
      return r;
    }
    if (!settings_.enabled) {
      r.outcome = Outcome::kRetriesExhausted;
      return r;
    }
    auto wait = backoff.next();
    auto throttle = std::chrono::seconds(r.status.retryAfterSeconds());
    wait = std::max<std::chrono::nanoseconds>(wait, throttle);
    if (bounded && now + wait > give_up_at) {
      r.outcome = Outcome::kRetriesExhausted;
      return r;
    }
    // Notified (e.g. the circuit closed): the wait still applies to this request.
    auto until = now + wait;
    while (sleeper_.sleepUntil(until) == Sleeper::Wake::kNotified) {
    }
  }
}

}  // namespace periscope::pipeline
