// `prometheus` exporter (metrics): a pull endpoint. Every batch is translated to Prometheus
// series (model::prom::Translator, so names follow the OpenTelemetry compatibility spec) and the
// latest value of each series is kept; GET <endpoint>/metrics serves them all in text format
// 0.0.4. Receiving answers once the batch is in memory (nothing is queued or retried).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "component/component.h"
#include "config/schema.h"
#include "pipeline/factories.h"

namespace periscope::components::prometheus_exporter {

struct ResourceToTelemetry {
  bool enabled = false;
  static const config::Schema<ResourceToTelemetry>& schema();
};

struct Config : component::Config {
  std::string endpoint = "127.0.0.1:8889";
  std::string metric_namespace;
  std::map<std::string, std::string> const_labels;
  bool send_timestamps = false;
  config::Duration metric_expiration = std::chrono::minutes(5);
  ResourceToTelemetry resource_to_telemetry_conversion;
  bool enable_open_metrics = false;
  bool add_metric_suffixes = true;
  static const config::Schema<Config>& schema();
  Status validate() const override;
};

std::unique_ptr<pipeline::ExporterFactory> makeFactory();

}  // namespace periscope::components::prometheus_exporter
