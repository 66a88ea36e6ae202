// RetrySender: makes attempts at one request until it succeeds, fails permanently, runs out of
// time (retry_on_failure.max_elapsed_time) or the exporter stops. Between attempts it waits the
// exponential backoff, or the server's Retry-After when that is longer, and while the circuit
// breaker is open it waits for it instead of attempting. Waits go through the Sleeper, so
// shutdown interrupts them and tests use virtual time. Thread-safe: one instance per exporter
// signal serves all its consumer threads.
#pragma once

#include <atomic>
#include <functional>

#include "common/status.h"
#include "common/telemetry/metrics.h"
#include "pipeline/helpers/circuit_breaker.h"
#include "pipeline/helpers/exporter_helper_config.h"
#include "pipeline/helpers/sleeper.h"

namespace periscope::pipeline {

class RetrySender {
 public:
  enum class Outcome {
    kSent,
    kPermanent,         // a non-retryable answer (400, 413, ...): drop and count
    kRetriesExhausted,  // retryable failures until max_elapsed_time: drop and count
    kStopped,           // the exporter is shutting down; the request was not delivered
    kRefused,           // no waiting allowed and the first attempt failed retryably
  };
  struct Result {
    Outcome outcome = Outcome::kSent;
    Status status;  // the last attempt's error, or the reason for stopping
    uint64_t attempts = 0;
  };
  using Attempt = std::function<Status()>;

  // `breaker` may be null; `retries` counts attempts after the first (may be null).
  RetrySender(const RetrySettings& settings, CircuitBreaker* breaker, Sleeper& sleeper,
              telemetry::Counter* retries, uint64_t seed);

  // Retries as configured (used by queue consumers).
  Result send(const Attempt& attempt);
  // At most one attempt and no waiting (used when the queue is disabled: the caller's client
  // retries). An open circuit refuses at once with UNAVAILABLE and a Retry-After.
  Result sendOnce(const Attempt& attempt);

 private:
  Status attemptWithBreaker(const Attempt& attempt, bool* attempted,
                            CircuitBreaker::Permit* permit);

  RetrySettings settings_;
  CircuitBreaker* breaker_;
  Sleeper& sleeper_;
  telemetry::Counter* retries_;
  std::atomic<uint64_t> seed_;
};

}  // namespace periscope::pipeline
