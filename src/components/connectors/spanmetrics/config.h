// Config of the `spanmetrics` connector (the collector's keys and defaults; see README.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "component/component.h"
#include "config/schema.h"

namespace periscope::components::spanmetrics {

// An extra dimension: looked up in the span's attributes, then the resource's; when absent the
// `default` is used, and without a default the dimension is left out of that series.
struct Dimension {
  std::string name;
  std::optional<std::string> default_value;
  static const config::Schema<Dimension>& schema();
};

struct ExplicitHistogramConfig {
  std::vector<config::Duration> buckets;  // empty = the default 2ms … 15s
  static const config::Schema<ExplicitHistogramConfig>& schema();
};

struct ExponentialHistogramConfig {
  int32_t max_size = 160;
  static const config::Schema<ExponentialHistogramConfig>& schema();
};

struct HistogramConfig {
  bool disable = false;
  std::string unit = "ms";
  std::optional<ExplicitHistogramConfig> explicit_buckets;
  std::optional<ExponentialHistogramConfig> exponential;
  static const config::Schema<HistogramConfig>& schema();
};

struct ExemplarsConfig {
  bool enabled = false;
  uint32_t max_per_data_point = 5;  // per flush interval; 0 = no limit
  static const config::Schema<ExemplarsConfig>& schema();
};

struct EventsConfig {
  bool enabled = false;
  std::vector<Dimension> dimensions;
  static const config::Schema<EventsConfig>& schema();
};

struct Config : component::Config {
  std::string namespace_ = "traces.span.metrics";
  std::vector<Dimension> dimensions;
  std::vector<std::string> exclude_dimensions;
  std::vector<std::string> resource_metrics_key_attributes;
  HistogramConfig histogram;
  std::string aggregation_temporality = "AGGREGATION_TEMPORALITY_CUMULATIVE";
  config::Duration metrics_flush_interval = std::chrono::seconds(60);
  config::Duration metrics_expiration{0};
  ExemplarsConfig exemplars;
  EventsConfig events;
  uint32_t aggregation_cardinality_limit = 0;  // 0 = no limit
  // Collector keys accepted so that its configs load; they have no effect here.
  uint32_t dimensions_cache_size = 1000;
  uint32_t resource_metrics_cache_size = 1000;
  uint32_t metric_timestamp_cache_size = 10000;

  bool delta() const { return aggregation_temporality == "AGGREGATION_TEMPORALITY_DELTA"; }
  // Explicit bounds in the histogram unit (the defaults unless configured).
  std::vector<double> explicitBounds() const;
  static const config::Schema<Config>& schema();
  Status validate() const override;
};

}  // namespace periscope::components::spanmetrics
