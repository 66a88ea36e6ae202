#include "components/exporters/awsemf/config.h"

#include <re2/re2.h>

#include "components/exporters/awsemf/units.h"

namespace periscope::components::awsemf_exporter {

const config::Schema<LabelMatcher>& LabelMatcher::schema() {
  static const auto s =
      config::Schema<LabelMatcher>()
          .field("label_names", &LabelMatcher::label_names,
                 "Labels whose values are joined (with `separator`) and matched against `regex`.")
          .field("separator", &LabelMatcher::separator, "Joins the label values.")
          .field("regex", &LabelMatcher::regex, "RE2 pattern the joined value must match.");
  return s;
}

const config::Schema<MetricDeclarationConfig>& MetricDeclarationConfig::schema() {
  static const auto s =
      config::Schema<MetricDeclarationConfig>()
          .field("dimensions", &MetricDeclarationConfig::dimensions,
                 "Dimension sets (lists of label names) the selected metrics are published with.")
          .field("metric_name_selectors", &MetricDeclarationConfig::metric_name_selectors,
                 "RE2 patterns; a metric is selected when its name matches one of them.")
          .field("label_matchers", &MetricDeclarationConfig::label_matchers,
                 "All must match a data point's labels for the declaration to apply.");
  return s;
}

const config::Schema<MetricDescriptor>& MetricDescriptor::schema() {
  static const auto s =
      config::Schema<MetricDescriptor>()
          .field("metric_name", &MetricDescriptor::metric_name, "Metric the unit applies to.")
          .field("unit", &MetricDescriptor::unit, "CloudWatch unit, e.g. Bytes, Count.")
          .field("overwrite", &MetricDescriptor::overwrite,
                 "Replace the metric's own unit (otherwise only used when it has none).");
  return s;
}

const config::Schema<ResourceToTelemetry>& ResourceToTelemetry::schema() {
  static const auto s = config::Schema<ResourceToTelemetry>().field(
      "enabled", &ResourceToTelemetry::enabled,
      "Copy every resource attribute to each data point's labels (dimensions).");
  return s;
}

const config::Schema<Config>& Config::schema() {
  static const auto s = pipeline::withExporterHelper(
      config::Schema<Config>()
          .field("namespace", &Config::namespace_,
                 "CloudWatch namespace; empty: service.namespace/service.name of the resource, "
                 "else \"default\".")
          .field("log_group_name", &Config::log_group_name, "Log group the events go to.")
          .field("log_stream_name", &Config::log_stream_name, "Log stream the events go to.")
          .field("log_retention", &Config::log_retention,
                 "Retention in days of a created log group (accepted; used by the CloudWatch "
                 "sink).")
          .field("tags", &Config::tags, "Tags of a created log group (accepted).")
          .field("region", &Config::region, "AWS region of the CloudWatch Logs endpoint.")
          .field("endpoint", &Config::endpoint, "CloudWatch Logs endpoint URL override.")
          .field("role_arn", &Config::role_arn, "IAM role to assume (accepted).")
          .field("no_verify_ssl", &Config::no_verify_ssl, "Skip TLS verification (accepted).")
          .field("proxy_address", &Config::proxy_address, "HTTP proxy (accepted).")
          .field("local_mode", &Config::local_mode, "Not on EC2/ECS (accepted).")
          .field("max_retries", &Config::max_retries, "Retries of one API call (accepted).")
          .field("request_timeout_seconds", &Config::request_timeout_seconds,
                 "Timeout of one API call (accepted).")
          .choice(
              "dimension_rollup_option", &Config::dimension_rollup_option,
              {"NoDimensionRollup", "SingleDimensionRollupOnly", "ZeroAndSingleDimensionRollup"},
              "Extra dimension sets: none, one per label, or one per label plus one with no "
              "label (each with OTelLib when the scope has a name).")
          .field("metric_declarations", &Config::metric_declarations,
                 "When set, only metrics selected by a declaration are published, with its "
                 "dimensions.")
          .field("metric_descriptors", &Config::metric_descriptors, "Unit overrides per metric.")
          .field("resource_to_telemetry_conversion", &Config::resource_to_telemetry_conversion,
                 "enabled: resource attributes become labels.")
          .choice("output_destination", &Config::output_destination,
                  {"cloudwatch", "stdout", "file"},
                  "cloudwatch: PutLogEvents; stdout: one JSON event per line (Lambda, ECS); "
                  "file: append one event per line to `path` (Periscope).")
          .field("path", &Config::path, "File for output_destination: file.")
          .field("detailed_metrics", &Config::detailed_metrics,
                 "Summaries: send _sum, _count and one value per quantile instead of a "
                 "statistic set.")
          .field("retain_initial_value_of_delta_metric",
                 &Config::retain_initial_value_of_delta_metric,
                 "Send the first point of a cumulative sum as is instead of dropping it.")
          .field("parse_json_encoded_attr_values", &Config::parse_json_encoded_attr_values,
                 "Labels whose JSON-string values are written as JSON values.")
          .choice("version", &Config::version, {"1"},
                  "EMF version; only 1 (the `_aws` form) is produced.")
          .field("eks_fargate_container_insights_enabled",
                 &Config::eks_fargate_container_insights_enabled, "Accepted, no effect.")
          .field("disable_metric_extraction", &Config::disable_metric_extraction,
                 "Send the events without the `_aws` metadata (logs only, no metrics).")
          .field("enhanced_container_insights", &Config::enhanced_container_insights,
                 "Accepted, no effect."));
  return s;
}

Status Config::validate() const {
  if (output_destination == "file" && path.empty()) {
    return invalidArgument("path must be set when output_destination is file");
  }
  for (size_t i = 0; i < metric_declarations.size(); ++i) {
    const auto& d = metric_declarations[i];
    std::string where = "metric_declarations[" + std::to_string(i) + "]";
    if (d.metric_name_selectors.empty()) {
      return invalidArgument(where + ".metric_name_selectors must not be empty");
    }
    for (const auto& sel : d.metric_name_selectors) {
      RE2 re(sel, RE2::Quiet);
      if (!re.ok()) {
        return invalidArgument(where + ".metric_name_selectors: invalid regex \"" + sel +
                               "\": " + re.error());
      }
    }
    for (size_t j = 0; j < d.label_matchers.size(); ++j) {
      const auto& m = d.label_matchers[j];
      std::string mwhere = where + ".label_matchers[" + std::to_string(j) + "]";
      if (m.label_names.empty()) return invalidArgument(mwhere + ".label_names must not be empty");
      RE2 re(m.regex, RE2::Quiet);
      if (m.regex.empty() || !re.ok()) {
        return invalidArgument(mwhere + ".regex: invalid regex \"" + m.regex + "\"");
      }
    }
    for (const auto& set : d.dimensions) {
      if (set.size() > 30) {
        return invalidArgument(where + ".dimensions: a dimension set has " +
                               std::to_string(set.size()) + " names, CloudWatch allows 30");
      }
    }
  }
  for (size_t i = 0; i < metric_descriptors.size(); ++i) {
    const auto& d = metric_descriptors[i];
    if (d.metric_name.empty()) {
      return invalidArgument("metric_descriptors[" + std::to_string(i) +
                             "].metric_name must be set");
    }
    if (!isCloudWatchUnit(d.unit)) {
      return invalidArgument("metric_descriptors[" + std::to_string(i) + "].unit \"" + d.unit +
                             "\" is not a CloudWatch unit (e.g. Seconds, Bytes, Count, None)");
    }
  }
  return ExporterHelperConfig::validate();
}

}  // namespace periscope::components::awsemf_exporter
