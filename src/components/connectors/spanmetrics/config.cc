#include "components/connectors/spanmetrics/config.h"

#include <set>

namespace periscope::components::spanmetrics {

const config::Schema<Dimension>& Dimension::schema() {
  static const auto s =
      config::Schema<Dimension>()
          .field("name", &Dimension::name, "Attribute looked up on the span, then its resource.")
          .field("default", &Dimension::default_value,
                 "Value used when the attribute is absent; without it the dimension is omitted.");
  return s;
}

const config::Schema<ExplicitHistogramConfig>& ExplicitHistogramConfig::schema() {
  static const auto s = config::Schema<ExplicitHistogramConfig>().field(
      "buckets", &ExplicitHistogramConfig::buckets,
      "Bucket upper bounds (empty = 2ms, 4ms, 6ms, 8ms, 10ms, 50ms, 100ms, 200ms, 400ms, 800ms, "
      "1s, 1400ms, 2s, 5s, 10s, 15s).");
  return s;
}

const config::Schema<ExponentialHistogramConfig>& ExponentialHistogramConfig::schema() {
  static const auto s = config::Schema<ExponentialHistogramConfig>().field(
      "max_size", &ExponentialHistogramConfig::max_size,
      "Maximum number of buckets; the scale is lowered to fit.");
  return s;
}

const config::Schema<HistogramConfig>& HistogramConfig::schema() {
  static const auto s =
      config::Schema<HistogramConfig>()
          .field("disable", &HistogramConfig::disable, "Emit no duration histogram.")
          .choice("unit", &HistogramConfig::unit, {"ms", "s"}, "Unit of the duration values.")
          .field("explicit", &HistogramConfig::explicit_buckets,
                 "Explicit-bucket histogram (the default).")
          .field("exponential", &HistogramConfig::exponential,
                 "Base-2 exponential histogram instead of explicit buckets.");
  return s;
}

const config::Schema<ExemplarsConfig>& ExemplarsConfig::schema() {
  static const auto s =
      config::Schema<ExemplarsConfig>()
          .field("enabled", &ExemplarsConfig::enabled,
                 "Attach spans (trace and span id, duration) as exemplars to the data points.")
          .field(
              "max_per_data_point", &ExemplarsConfig::max_per_data_point,
              "Most exemplars kept per data point between flushes (0 = no limit: one per span).");
  return s;
}

const config::Schema<EventsConfig>& EventsConfig::schema() {
  static const auto s =
      config::Schema<EventsConfig>()
          .field("enabled", &EventsConfig::enabled, "Emit the `events` counter of span events.")
          .field("dimensions", &EventsConfig::dimensions,
                 "Event attributes added as dimensions of the events counter (required when "
                 "enabled).");
  return s;
}

const config::Schema<Config>& Config::schema() {
  static const auto s =
      config::Schema<Config>()
          .field("namespace", &Config::namespace_,
                 "Prefix of the metric names: <namespace>.calls, <namespace>.duration.")
          .field("dimensions", &Config::dimensions,
                 "Dimensions added to service.name, span.name, span.kind and status.code.")
          .field("exclude_dimensions", &Config::exclude_dimensions,
                 "Default dimensions to leave out (e.g. status.code).")
          .field("resource_metrics_key_attributes", &Config::resource_metrics_key_attributes,
                 "Resource attributes that identify a resource (empty = all of them).")
          .field("histogram", &Config::histogram, "The duration histogram.")
          .choice("aggregation_temporality", &Config::aggregation_temporality,
                  {"AGGREGATION_TEMPORALITY_CUMULATIVE", "AGGREGATION_TEMPORALITY_DELTA"},
                  "Temporality of the emitted sums and histograms.")
          .field("metrics_flush_interval", &Config::metrics_flush_interval,
                 "How often the aggregated metrics are emitted.")
          .field("metrics_expiration", &Config::metrics_expiration,
                 "Series without spans for this long are dropped (0 = never).")
          .field("exemplars", &Config::exemplars, "Exemplars linking data points to spans.")
          .field("events", &Config::events, "Counter of span events.")
          .field("aggregation_cardinality_limit", &Config::aggregation_cardinality_limit,
                 "Most series kept; spans of further series go to one series per resource with "
                 "otel.metric.overflow=true (0 = no limit).")
          .field("dimensions_cache_size", &Config::dimensions_cache_size,
                 "Accepted for collector configs; no effect (series live until they expire).")
          .field("resource_metrics_cache_size", &Config::resource_metrics_cache_size,
                 "Accepted for collector configs; no effect.")
          .field("metric_timestamp_cache_size", &Config::metric_timestamp_cache_size,
                 "Accepted for collector configs; no effect (delta points start at the previous "
                 "flush).");
  return s;
}

namespace {

Status checkDimensions(const std::vector<Dimension>& dims, std::set<std::string> taken,
                       const std::string& field) {
  for (const auto& d : dims) {
    if (d.name.empty()) return invalidArgument(field + ": a dimension has no name");
    if (!taken.insert(d.name).second) {
      return invalidArgument(field + ": duplicate dimension name " + d.name);
    }
  }
  return Status::ok();
}

}  // namespace

Status Config::validate() const {
  const std::set<std::string> builtin = {"service.name", "span.name", "span.kind", "status.code"};
  if (Status st = checkDimensions(dimensions, builtin, "dimensions"); !st.isOk()) return st;
  if (events.enabled) {
    if (events.dimensions.empty()) {
      return invalidArgument("events.dimensions: no dimensions configured for events");
    }
    if (Status st = checkDimensions(events.dimensions, builtin, "events.dimensions"); !st.isOk()) {
      return st;
    }
  }
  if (histogram.explicit_buckets && histogram.exponential) {
    return invalidArgument("histogram: use either explicit or exponential buckets, not both");
  }
  if (histogram.exponential && histogram.exponential->max_size < 2) {
    return invalidArgument("histogram.exponential.max_size must be at least 2");
  }
  if (histogram.explicit_buckets) {
    const auto& b = histogram.explicit_buckets->buckets;
    for (size_t i = 1; i < b.size(); ++i) {
      if (b[i] <= b[i - 1]) {
        return invalidArgument("histogram.explicit.buckets must be strictly increasing");
      }
    }
  }
  if (metrics_flush_interval.count() <= 0) {
    return invalidArgument("metrics_flush_interval must be positive");
  }
  if (metrics_expiration.count() < 0) {
    return invalidArgument("metrics_expiration must not be negative");
  }
  for (const auto& e : exclude_dimensions) {
    if (!builtin.count(e)) {
      return invalidArgument("exclude_dimensions: " + e +
                             " is not a default dimension (service.name, span.name, span.kind, "
                             "status.code)");
    }
  }
  return Status::ok();
}

std::vector<double> Config::explicitBounds() const {
  const double per_unit = histogram.unit == "s" ? 1e9 : 1e6;
  std::vector<double> out;
  if (histogram.explicit_buckets && !histogram.explicit_buckets->buckets.empty()) {
    for (auto d : histogram.explicit_buckets->buckets) {
      out.push_back(static_cast<double>(d.count()) / per_unit);
    }
    return out;
  }
  for (double ms : {2.0, 4.0, 6.0, 8.0, 10.0, 50.0, 100.0, 200.0, 400.0, 800.0, 1000.0, 1400.0,
                    2000.0, 5000.0, 10000.0, 15000.0}) {
    out.push_back(ms * 1e6 / per_unit);
  }
  return out;
}

}  // namespace periscope::components::spanmetrics
