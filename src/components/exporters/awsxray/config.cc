#include "components/exporters/awsxray/config.h"

namespace periscope::components::awsxray_exporter {

const config::Schema<TelemetrySettings>& TelemetrySettings::schema() {
  static const auto s =
      config::Schema<TelemetrySettings>()
          .field("enabled", &TelemetrySettings::enabled,
                 "Accepted for compatibility; X-Ray telemetry records are not sent.")
          .field("include_metadata", &TelemetrySettings::include_metadata,
                 "Accepted for compatibility.");
  return s;
}

const config::Schema<Config>& Config::schema() {
  static const auto s = pipeline::withExporterHelper(
      config::Schema<Config>()
          .field("region", &Config::region, "AWS region of the X-Ray API (PutTraceSegments).")
          .field("endpoint", &Config::endpoint,
                 "X-Ray API base URL; default https://xray.<region>.amazonaws.com.")
          .field("local_mode", &Config::local_mode,
                 "Send to an X-Ray daemon over UDP instead of calling the API (differs from "
                 "the collector, where it only skips EC2 metadata).")
          .field("daemon_address", &Config::daemon_address,
                 "UDP host:port of the daemon in local_mode; default $AWS_XRAY_DAEMON_ADDRESS "
                 "or 127.0.0.1:2000.")
          .field("indexed_attributes", &Config::indexed_attributes,
                 "Span attributes sent as annotations (searchable).")
          .field("index_all_attributes", &Config::index_all_attributes,
                 "Send every string/int/double/bool span attribute as an annotation.")
          .field("aws_log_groups", &Config::aws_log_groups,
                 "CloudWatch log group names for trace-to-logs correlation (used when the "
                 "resource has no aws.log.group.arns / aws.log.group.names).")
          .field("role_arn", &Config::role_arn, "IAM role to assume for the API.")
          .field("external_id", &Config::external_id, "External id for role_arn.")
          .field("resource_arn", &Config::resource_arn,
                 "Accepted for compatibility (the collector sends it with telemetry records).")
          .field("proxy_address", &Config::proxy_address, "HTTPS proxy for the API.")
          .field("no_verify_ssl", &Config::no_verify_ssl, "Skip TLS verification of the API.")
          .field("request_timeout_seconds", &Config::request_timeout_seconds,
                 "Deadline of each API call, in seconds (sets the helper's timeout).")
          .field("num_workers", &Config::num_workers,
                 "Accepted for compatibility; sending_queue.num_consumers sets the senders.")
          .field("max_retries", &Config::max_retries,
                 "Accepted for compatibility; retry_on_failure governs retries.")
          .choice("invalid_trace_id", &Config::invalid_trace_id, {"pass_through", "drop"},
                  "Spans whose trace id does not start with a recent epoch (X-Ray rejects "
                  "them): pass_through (the collector's default) or drop (counted).")
          .field("telemetry", &Config::telemetry, "X-Ray telemetry records (not sent)."));
  return s;
}

Status Config::validate() const {
  if (request_timeout_seconds <= 0) {
    return invalidArgument("request_timeout_seconds must be > 0");
  }
  return ExporterHelperConfig::validate();
}

}  // namespace periscope::components::awsxray_exporter
