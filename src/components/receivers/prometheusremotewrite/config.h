// Config of the `prometheusremotewrite` receiver, with the OpenTelemetry Collector's keys
// (its confighttp server settings plus time_threshold):
//   receivers: { prometheusremotewrite: { endpoint, max_request_body_size, time_threshold } }
#pragma once

#include <string>

#include "component/component.h"
#include "config/duration.h"
#include "config/schema.h"

namespace periscope::components::prometheusremotewrite_receiver {

struct Config : component::Config {
  // The collector's port (9090), bound to loopback as every Periscope default listener.
  std::string endpoint = "127.0.0.1:9090";
  int64_t max_request_body_size = 10 << 20;  // after snappy decompression
  int64_t time_threshold = 24;               // hours; older samples are dropped (0 = keep all)
  config::Duration read_header_timeout = std::chrono::minutes(1);
  config::Duration idle_timeout = std::chrono::minutes(1);
  static const config::Schema<Config>& schema();
  Status validate() const override;
};

}  // namespace periscope::components::prometheusremotewrite_receiver
