// Config of the `prometheusremotewrite` exporter, with the OpenTelemetry Collector's keys:
//   exporters: { prometheusremotewrite: { endpoint, headers, timeout, namespace, external_labels,
//     resource_to_telemetry_conversion: {enabled}, target_info: {enabled}, add_metric_suffixes,
//     send_metadata, max_batch_size_bytes, remote_write_queue: {enabled, queue_size,
//     num_consumers}, retry_on_failure: {...} } }
// remote_write_queue maps onto the exporter helper's sending queue (see config.cc).
#pragma once

#include <map>
#include <string>

#include "pipeline/helpers/exporter_helper_config.h"

namespace periscope::components::prometheusremotewrite_exporter {

struct EnabledFlag {
  bool enabled = false;
  static const config::Schema<EnabledFlag>& schema();
};

struct TargetInfo {
  bool enabled = true;
  static const config::Schema<TargetInfo>& schema();
};

struct RemoteWriteQueue {
  bool enabled = true;
  int64_t queue_size = 10000;  // requests (batches) waiting
  int64_t num_consumers = 5;   // concurrent HTTP requests of one batch
  static const config::Schema<RemoteWriteQueue>& schema();
};

// retry_on_failure with this exporter's defaults in the collector (50ms, 200ms, 1m), so that
// the generated reference shows them.
struct RetrySettings : pipeline::RetrySettings {
  RetrySettings();
  static const config::Schema<RetrySettings>& schema();
};

struct Config : component::Config {
  std::string endpoint;
  config::Duration timeout = std::chrono::seconds(5);
  std::map<std::string, std::string> headers;
  std::string namespace_;  // `namespace`: prefix of every metric name
  std::map<std::string, std::string> external_labels;
  EnabledFlag resource_to_telemetry_conversion;
  TargetInfo target_info;
  bool add_metric_suffixes = true;
  bool send_metadata = false;
  int64_t max_batch_size_bytes = 3'000'000;
  RemoteWriteQueue remote_write_queue;
  RetrySettings retry_on_failure;
  pipeline::CircuitBreakerSettings circuit_breaker;
  static const config::Schema<Config>& schema();
  Status validate() const override;
  // The exporter helper's settings: remote_write_queue becomes a sending queue with one
  // consumer, so that each series' samples reach the server in time order.
  pipeline::ExporterHelperConfig helper() const;
};

}  // namespace periscope::components::prometheusremotewrite_exporter
