// The exporter helper's configuration, with the OpenTelemetry Collector's keys: every exporter
// that derives its Config from ExporterHelperConfig and its schema through withExporterHelper()
// accepts `sending_queue`, `retry_on_failure` and `circuit_breaker` (Periscope's addition).
#pragma once

#include <string>

#include "component/component.h"
#include "config/duration.h"
#include "config/schema.h"

namespace periscope::pipeline {

struct QueueSettings {
  bool enabled = true;
  uint64_t num_consumers = 10;
  uint64_t queue_size = 1000;
  std::string sizer = "requests";  // requests | items | bytes
  bool block_on_overflow = false;
  std::string storage;  // id of a storage extension (file_storage): the queue is persistent
  static const config::Schema<QueueSettings>& schema();
  Status validate() const;
};

struct RetrySettings {
  bool enabled = true;
  config::Duration initial_interval = std::chrono::seconds(5);
  config::Duration max_interval = std::chrono::seconds(30);
  double multiplier = 1.5;
  double randomization_factor = 0.5;
  config::Duration max_elapsed_time = std::chrono::seconds(300);  // 0 = retry forever
  static const config::Schema<RetrySettings>& schema();
  Status validate() const;
};

// Per exporter endpoint: after `failure_threshold` consecutive retryable failures no request
// is attempted for `open_duration`; then one probe decides whether to close or reopen.
struct CircuitBreakerSettings {
  bool enabled = true;
  uint64_t failure_threshold = 5;
  config::Duration open_duration = std::chrono::seconds(5);
  static const config::Schema<CircuitBreakerSettings>& schema();
  Status validate() const;
};

struct ExporterHelperConfig : component::Config {
  QueueSettings sending_queue;
  RetrySettings retry_on_failure;
  CircuitBreakerSettings circuit_breaker;
  config::Duration timeout = std::chrono::seconds(5);  // per attempt
  Status validate() const override;
};

inline constexpr const char* kSendingQueueDoc =
    "Queue between the pipeline and the senders (see docs/delivery.md): enabled, num_consumers, "
    "queue_size, sizer (requests|items|bytes), block_on_overflow, storage (a file_storage "
    "extension id: persistent, at-least-once).";
inline constexpr const char* kRetryDoc =
    "Retries of retryable failures with exponential backoff; honours Retry-After. Permanent "
    "errors are dropped and counted.";
inline constexpr const char* kCircuitBreakerDoc =
    "Stops sending to a failing endpoint for open_duration after failure_threshold consecutive "
    "retryable failures, then probes with one request.";

// Adds the helper's keys (and `timeout`) to an exporter's schema; C derives from
// ExporterHelperConfig.
template <typename C>
config::Schema<C> withExporterHelper(config::Schema<C>&& s) {
  return std::move(s)
      .template field<QueueSettings>("sending_queue", &C::sending_queue, kSendingQueueDoc)
      .template field<RetrySettings>("retry_on_failure", &C::retry_on_failure, kRetryDoc)
      .template field<CircuitBreakerSettings>("circuit_breaker", &C::circuit_breaker,
                                              kCircuitBreakerDoc)
      .template field<config::Duration>("timeout", &C::timeout, "Deadline of each attempt.");
}

}  // namespace periscope::pipeline
