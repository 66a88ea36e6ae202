#include "components/exporters/prometheusremotewrite/config.h"

#include "model/prometheus/labels.h"

namespace periscope::components::prometheusremotewrite_exporter {

const config::Schema<EnabledFlag>& EnabledFlag::schema() {
  static const auto s = config::Schema<EnabledFlag>().field(
      "enabled", &EnabledFlag::enabled, "Copy every resource attribute to the series' labels.");
  return s;
}

const config::Schema<TargetInfo>& TargetInfo::schema() {
  static const auto s = config::Schema<TargetInfo>().field(
      "enabled", &TargetInfo::enabled,
      "Send one `target_info` series per resource with its attributes.");
  return s;
}

const config::Schema<RemoteWriteQueue>& RemoteWriteQueue::schema() {
  static const auto s =
      config::Schema<RemoteWriteQueue>()
          .field("enabled", &RemoteWriteQueue::enabled,
                 "Queue batches and send them in the background; false sends on the caller's "
                 "thread.")
          .field("queue_size", &RemoteWriteQueue::queue_size,
                 "Batches that may wait; a full queue refuses with a retryable error.")
          .field("num_consumers", &RemoteWriteQueue::num_consumers,
                 "Concurrent HTTP requests when a batch is split by max_batch_size_bytes.");
  return s;
}

RetrySettings::RetrySettings() {
  initial_interval = std::chrono::milliseconds(50);
  max_interval = std::chrono::milliseconds(200);
  max_elapsed_time = std::chrono::minutes(1);
}

const config::Schema<RetrySettings>& RetrySettings::schema() {
  // The base's members, seen as members of this type so that the defaults shown are ours.
  using B = pipeline::RetrySettings;
  using R = RetrySettings;
  static const auto s =
      config::Schema<R>()
          .field<bool>("enabled", static_cast<bool R::*>(&B::enabled), "Retry retryable failures.")
          .field<config::Duration>("initial_interval",
                                   static_cast<config::Duration R::*>(&B::initial_interval),
                                   "Wait after the first failure.")
          .field<config::Duration>("max_interval",
                                   static_cast<config::Duration R::*>(&B::max_interval),
                                   "Upper bound of one wait.")
          .field<double>("multiplier", static_cast<double R::*>(&B::multiplier),
                         "Growth of the wait per retry.")
          .field<double>("randomization_factor", static_cast<double R::*>(&B::randomization_factor),
                         "Each wait is drawn from [w*(1-f), w*(1+f)].")
          .field<config::Duration>("max_elapsed_time",
                                   static_cast<config::Duration R::*>(&B::max_elapsed_time),
                                   "Give up (drop and count) after this long; 0 retries forever.");
  return s;
}

const config::Schema<Config>& Config::schema() {
  static const auto s =
      config::Schema<Config>()
          .field("endpoint", &Config::endpoint,
                 "URL to POST to, e.g. http://127.0.0.1:9090/api/v1/write.")
          .field("headers", &Config::headers, "Headers sent with every request.")
          .field<config::Duration>("timeout", &Config::timeout, "Deadline of each HTTP request.")
          .field("namespace", &Config::namespace_, "Prefix added to every metric name (with `_`).")
          .field("external_labels", &Config::external_labels,
                 "Labels added to every series (a series' own label of the same name wins).")
          .field("resource_to_telemetry_conversion", &Config::resource_to_telemetry_conversion,
                 "enabled: copy all resource attributes to labels.")
          .field("target_info", &Config::target_info, "enabled: send `target_info` series.")
          .field("add_metric_suffixes", &Config::add_metric_suffixes,
                 "Add unit and `_total` suffixes to metric names (OpenTelemetry → Prometheus "
                 "naming).")
          .field("send_metadata", &Config::send_metadata,
                 "Also send metric metadata (type, help, unit) in the requests.")
          .field("max_batch_size_bytes", &Config::max_batch_size_bytes,
                 "A batch larger than this (uncompressed protobuf) is split into several "
                 "requests.")
          .field("remote_write_queue", &Config::remote_write_queue,
                 "The sending queue: enabled, queue_size, num_consumers.")
          .field("retry_on_failure", &Config::retry_on_failure, pipeline::kRetryDoc)
          .field<pipeline::CircuitBreakerSettings>("circuit_breaker", &Config::circuit_breaker,
                                                   pipeline::kCircuitBreakerDoc);
  return s;
}

Status Config::validate() const {
  if (endpoint.empty()) return invalidArgument("endpoint must be set");
  if (endpoint.rfind("http://", 0) != 0 && endpoint.rfind("https://", 0) != 0) {
    return invalidArgument("endpoint \"" + endpoint + "\" must start with http:// or https://");
  }
  for (const auto& [name, value] : external_labels) {
    if (!model::prom::isValidLabelName(name)) {
      return invalidArgument("external_labels: invalid label name \"" + name + "\"");
    }
    if (value.empty()) {
      return invalidArgument("external_labels: label \"" + name + "\" has an empty value");
    }
  }
  if (max_batch_size_bytes <= 0) return invalidArgument("max_batch_size_bytes must be positive");
  if (remote_write_queue.queue_size < 0) {
    return invalidArgument("remote_write_queue.queue_size can't be negative");
  }
  if (remote_write_queue.enabled && remote_write_queue.queue_size == 0) {
    return invalidArgument("remote_write_queue.queue_size: a 0 size queue will drop all the data");
  }
  if (remote_write_queue.num_consumers < 0) {
    return invalidArgument("remote_write_queue.num_consumers can't be negative");
  }
  return helper().validate();
}

pipeline::ExporterHelperConfig Config::helper() const {
  pipeline::ExporterHelperConfig h;
  h.timeout = timeout;
  h.retry_on_failure = retry_on_failure;
  h.circuit_breaker = circuit_breaker;
  h.sending_queue.enabled = remote_write_queue.enabled;
  h.sending_queue.queue_size = static_cast<uint64_t>(remote_write_queue.queue_size);
  h.sending_queue.num_consumers = 1;
  h.sending_queue.sizer = "requests";
  return h;
}

}  // namespace periscope::components::prometheusremotewrite_exporter
