#include "components/processors/filter/config.h"

namespace periscope::components::filter {

const config::Schema<TracesConditions>& TracesConditions::schema() {
  static const auto s =
      config::Schema<TracesConditions>()
          .field("span", &TracesConditions::span, "Spans matching any condition are dropped.")
          .field("spanevent", &TracesConditions::spanevent,
                 "Span events matching any condition are dropped (the span stays).");
  return s;
}

const config::Schema<MetricsConditions>& MetricsConditions::schema() {
  static const auto s =
      config::Schema<MetricsConditions>()
          .field("metric", &MetricsConditions::metric,
                 "Metrics matching any condition are dropped with all their points.")
          .field("datapoint", &MetricsConditions::datapoint,
                 "Data points matching any condition are dropped; metrics left without points "
                 "are dropped too.");
  return s;
}

const config::Schema<LogsConditions>& LogsConditions::schema() {
  static const auto s = config::Schema<LogsConditions>().field(
      "log_record", &LogsConditions::log_record, "Log records matching any condition are dropped.");
  return s;
}

const config::Schema<Config>& Config::schema() {
  static const auto s =
      config::Schema<Config>()
          .choice("error_mode", &Config::error_mode, ottl::errorModeNames(),
                  "What a runtime error in a condition does: propagate fails the batch; ignore "
                  "logs it and treats the condition as false; silent does so without logging.")
          .field("traces", &Config::traces, "Conditions on spans and span events.")
          .field("metrics", &Config::metrics, "Conditions on metrics and data points.")
          .field("logs", &Config::logs, "Conditions on log records.");
  return s;
}

}  // namespace periscope::components::filter
