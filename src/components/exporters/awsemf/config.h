// Config of the `awsemf` exporter, with the OpenTelemetry Collector contrib awsemfexporter's keys:
//   exporters: { awsemf: { namespace, log_group_name, log_stream_name, region, endpoint,
//     dimension_rollup_option, metric_declarations: [{dimensions, metric_name_selectors,
//     label_matchers: [{label_names, separator, regex}]}], metric_descriptors: [{metric_name,
//     unit, overwrite}], resource_to_telemetry_conversion: {enabled}, output_destination,
//     detailed_metrics, retain_initial_value_of_delta_metric, parse_json_encoded_attr_values,
//     version, ... } }
// Keys the collector has but Periscope does not act on yet are accepted (see README.md).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "pipeline/helpers/exporter_helper_config.h"

namespace periscope::components::awsemf_exporter {

struct LabelMatcher {
  std::vector<std::string> label_names;
  std::string separator = ";";
  std::string regex;
  static const config::Schema<LabelMatcher>& schema();
};

struct MetricDeclarationConfig {
  std::vector<std::vector<std::string>> dimensions;
  std::vector<std::string> metric_name_selectors;
  std::vector<LabelMatcher> label_matchers;
  static const config::Schema<MetricDeclarationConfig>& schema();
};

struct MetricDescriptor {
  std::string metric_name;
  std::string unit;
  bool overwrite = false;
  static const config::Schema<MetricDescriptor>& schema();
};

struct ResourceToTelemetry {
  bool enabled = false;
  static const config::Schema<ResourceToTelemetry>& schema();
};

struct Config : pipeline::ExporterHelperConfig {
  // One consumer: batches are translated in arrival order, which cumulative → delta needs.
  Config() { sending_queue.num_consumers = 1; }
  std::string namespace_;  // `namespace`; empty: service.namespace/service.name, else "default"
  std::string log_group_name = "/metrics/default";
  std::string log_stream_name = "otel-stream";
  int64_t log_retention = 0;
  std::map<std::string, std::string> tags;
  std::string region;
  std::string endpoint;
  std::string role_arn;
  bool no_verify_ssl = false;
  std::string proxy_address;
  bool local_mode = false;
  int64_t max_retries = 2;
  int64_t request_timeout_seconds = 30;
  std::string dimension_rollup_option = "ZeroAndSingleDimensionRollup";
  std::vector<MetricDeclarationConfig> metric_declarations;
  std::vector<MetricDescriptor> metric_descriptors;
  ResourceToTelemetry resource_to_telemetry_conversion;
  std::string output_destination = "cloudwatch";
  std::string path;  // Periscope: the file `output_destination: file` appends to
  bool detailed_metrics = false;
  bool retain_initial_value_of_delta_metric = false;
  std::vector<std::string> parse_json_encoded_attr_values;
  std::string version = "1";
  bool eks_fargate_container_insights_enabled = false;
  bool disable_metric_extraction = false;
  bool enhanced_container_insights = false;

  static const config::Schema<Config>& schema();
  Status validate() const override;
};

}  // namespace periscope::components::awsemf_exporter
