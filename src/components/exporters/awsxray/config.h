// Configuration of the `awsxray` exporter: the collector contrib awsxrayexporter's keys, plus
// Periscope's `daemon_address` and `invalid_trace_id`.
#pragma once

#include <string>
#include <vector>

#include "config/schema.h"
#include "pipeline/helpers/exporter_helper_config.h"

namespace periscope::components::awsxray_exporter {

struct TelemetrySettings {
  bool enabled = false;
  bool include_metadata = false;
  static const config::Schema<TelemetrySettings>& schema();
};

struct Config : pipeline::ExporterHelperConfig {
  Config() { timeout = std::chrono::seconds(30); }
  std::string region;
  std::string endpoint;
  bool local_mode = false;
  std::string daemon_address;  // Periscope: UDP target in local_mode
  std::vector<std::string> indexed_attributes;
  bool index_all_attributes = false;
  std::vector<std::string> aws_log_groups;
  std::string role_arn;
  std::string external_id;
  std::string resource_arn;
  std::string proxy_address;
  bool no_verify_ssl = false;
  int64_t request_timeout_seconds = 30;
  int64_t num_workers = 8;
  int64_t max_retries = 2;
  std::string invalid_trace_id = "pass_through";  // Periscope: pass_through | drop
  TelemetrySettings telemetry;
  static const config::Schema<Config>& schema();
  Status validate() const override;
};

}  // namespace periscope::components::awsxray_exporter
