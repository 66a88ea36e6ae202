#include "pipeline/helpers/exporter_helper_config.h"

namespace periscope::pipeline {

const config::Schema<QueueSettings>& QueueSettings::schema() {
  static const auto s =
      config::Schema<QueueSettings>()
          .field("enabled", &QueueSettings::enabled,
                 "Queue requests and send them from background consumers; false sends on the "
                 "caller's thread and answers the receiver with the result.")
          .field("num_consumers", &QueueSettings::num_consumers,
                 "Threads sending from the queue concurrently.")
          .field("queue_size", &QueueSettings::queue_size,
                 "Capacity in units of `sizer`; a full queue refuses with a retryable error.")
          .choice("sizer", &QueueSettings::sizer, {"requests", "items", "bytes"},
                  "What queue_size counts: requests, items (spans, points, records) or bytes "
                  "(OTLP protobuf size).")
          .field("block_on_overflow", &QueueSettings::block_on_overflow,
                 "Wait for room instead of refusing when the queue is full.")
          .field("storage", &QueueSettings::storage,
                 "Storage extension id (e.g. file_storage): the queue lives on disk and "
                 "survives crashes and restarts.");
  return s;
}

Status QueueSettings::validate() const {
  if (!enabled) return Status::ok();
  if (num_consumers == 0) return invalidArgument("sending_queue.num_consumers must be positive");
  if (queue_size == 0) return invalidArgument("sending_queue.queue_size must be positive");
  if (num_consumers > 1000) return invalidArgument("sending_queue.num_consumers must be <= 1000");
  return Status::ok();
}

const config::Schema<RetrySettings>& RetrySettings::schema() {
  static const auto s =
      config::Schema<RetrySettings>()
          .field("enabled", &RetrySettings::enabled, "Retry retryable failures.")
          .field("initial_interval", &RetrySettings::initial_interval,
                 "Wait after the first failure.")
          .field("max_interval", &RetrySettings::max_interval, "Upper bound of one wait.")
          .field("multiplier", &RetrySettings::multiplier, "Growth of the wait per retry.")
          .field("randomization_factor", &RetrySettings::randomization_factor,
                 "Each wait is drawn from [w*(1-f), w*(1+f)].")
          .field("max_elapsed_time", &RetrySettings::max_elapsed_time,
                 "Give up (drop and count) after this long; 0 retries forever.");
  return s;
}

Status RetrySettings::validate() const {
  if (!enabled) return Status::ok();
  if (initial_interval.count() <= 0)
    return invalidArgument("retry_on_failure.initial_interval must be positive");
  if (max_interval < initial_interval)
    return invalidArgument("retry_on_failure.max_interval must be >= initial_interval");
  if (!(multiplier >= 1.0)) return invalidArgument("retry_on_failure.multiplier must be >= 1");
  if (!(randomization_factor >= 0.0 && randomization_factor <= 1.0))
    return invalidArgument("retry_on_failure.randomization_factor must be within [0, 1]");
  if (max_elapsed_time.count() < 0)
    return invalidArgument("retry_on_failure.max_elapsed_time must not be negative");
  return Status::ok();
}

const config::Schema<CircuitBreakerSettings>& CircuitBreakerSettings::schema() {
  static const auto s =
      config::Schema<CircuitBreakerSettings>()
          .field("enabled", &CircuitBreakerSettings::enabled, "Use the circuit breaker.")
          .field("failure_threshold", &CircuitBreakerSettings::failure_threshold,
                 "Consecutive retryable failures that open the circuit.")
          .field("open_duration", &CircuitBreakerSettings::open_duration,
                 "How long an open circuit refuses attempts before one probe is let through.");
  return s;
}

Status CircuitBreakerSettings::validate() const {
  if (!enabled) return Status::ok();
  if (failure_threshold == 0)
    return invalidArgument("circuit_breaker.failure_threshold must be positive");
  if (open_duration.count() <= 0)
    return invalidArgument("circuit_breaker.open_duration must be positive");
  return Status::ok();
}

Status ExporterHelperConfig::validate() const {
  if (timeout.count() <= 0) return invalidArgument("timeout must be positive");
  PERISCOPE_RETURN_IF_ERROR(sending_queue.validate());
  PERISCOPE_RETURN_IF_ERROR(retry_on_failure.validate());
  return circuit_breaker.validate();
}

}  // namespace periscope::pipeline
