// Metrics as decoded from OTLP: gauge, sum, histogram, exponential histogram and summary.
// Strings and arrays live in an arena; packed numeric arrays are copied there (wire data may be
// unaligned), everything else is a view.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "model/any_value.h"
#include "model/resource.h"

namespace periscope::model {

enum class AggregationTemporality : int32_t { kUnspecified = 0, kDelta = 1, kCumulative = 2 };

// Which member of the value oneof of a number point or exemplar was set.
enum class NumberValue : uint8_t { kNone, kDouble, kInt };

struct Exemplar {
  Attributes filtered_attributes;
  uint64_t time_unix_nano = 0;
  NumberValue value_type = NumberValue::kNone;
  double as_double = 0;
  int64_t as_int = 0;
  std::string_view span_id;
  std::string_view trace_id;
};

struct NumberDataPoint {
  Attributes attributes;
  uint64_t start_time_unix_nano = 0;
  uint64_t time_unix_nano = 0;
  NumberValue value_type = NumberValue::kNone;
  double as_double = 0;
  int64_t as_int = 0;
  std::span<Exemplar> exemplars;
  uint32_t flags = 0;
};

struct HistogramDataPoint {
  Attributes attributes;
  uint64_t start_time_unix_nano = 0;
  uint64_t time_unix_nano = 0;
  uint64_t count = 0;
  bool has_sum = false;
  bool has_min = false;
  bool has_max = false;
  double sum = 0;
  double min = 0;
  double max = 0;
  std::span<uint64_t> bucket_counts;
  std::span<double> explicit_bounds;
  std::span<Exemplar> exemplars;
  uint32_t flags = 0;
};

struct ExponentialBuckets {
  int32_t offset = 0;
  std::span<uint64_t> bucket_counts;
};

struct ExponentialHistogramDataPoint {
  Attributes attributes;
  uint64_t start_time_unix_nano = 0;
  uint64_t time_unix_nano = 0;
  uint64_t count = 0;
  bool has_sum = false;
  bool has_min = false;
  bool has_max = false;
  bool has_positive = false;
  bool has_negative = false;
  double sum = 0;
  double min = 0;
  double max = 0;
  int32_t scale = 0;
  uint64_t zero_count = 0;
  double zero_threshold = 0;
  ExponentialBuckets positive;
  ExponentialBuckets negative;
  uint32_t flags = 0;
  std::span<Exemplar> exemplars;
};

struct ValueAtQuantile {
  double quantile = 0;
  double value = 0;
};

struct SummaryDataPoint {
  Attributes attributes;
  uint64_t start_time_unix_nano = 0;
  uint64_t time_unix_nano = 0;
  uint64_t count = 0;
  double sum = 0;
  std::span<ValueAtQuantile> quantile_values;
  uint32_t flags = 0;
};

enum class MetricType : uint8_t {
  kEmpty,
  kGauge,
  kSum,
  kHistogram,
  kExponentialHistogram,
  kSummary
};

struct Metric {
  std::string_view name;
  std::string_view description;
  std::string_view unit;
  MetricType type = MetricType::kEmpty;
  // Set for kSum, kHistogram and kExponentialHistogram.
  int32_t aggregation_temporality = 0;
  bool is_monotonic = false;  // kSum only
  // Exactly one of these is non-empty, matching `type`.
  std::span<NumberDataPoint> number_points;  // kGauge, kSum
  std::span<HistogramDataPoint> histogram_points;
  std::span<ExponentialHistogramDataPoint> exponential_points;
  std::span<SummaryDataPoint> summary_points;
  Attributes metadata;

  size_t pointCount() const {
    return number_points.size() + histogram_points.size() + exponential_points.size() +
           summary_points.size();
  }
};

struct ScopeMetrics {
  bool has_scope = false;
  InstrumentationScope scope;
  std::span<Metric> metrics;
  std::string_view schema_url;
};

struct ResourceMetrics {
  bool has_resource = false;
  Resource resource;
  std::span<ScopeMetrics> scope_metrics;
  std::string_view schema_url;
};

}  // namespace periscope::model
