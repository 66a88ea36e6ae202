// Terse construction of OTLP metric batches in tests and benchmarks: every array is copied into
// the batch's arena, strings are expected to outlive the batch (literals) or be copied with
// `arena.copy`.
#pragma once

#include <initializer_list>
#include <span>

#include "model/batch.h"

namespace periscope::testing {

template <typename T>
std::span<T> arenaArray(Arena& arena, std::initializer_list<T> items) {
  return arena.copyArray<T>(std::span<const T>(items.begin(), items.size()));
}

inline model::KeyValue kv(std::string_view key, std::string_view value) {
  return {key, model::AnyValue::string(value)};
}

// One resource with one scope holding `metrics`.
inline void addResource(model::Metrics& batch, std::initializer_list<model::KeyValue> resource,
                        std::string_view scope_name, std::string_view scope_version,
                        std::initializer_list<model::Metric> metrics) {
  Arena& a = batch.arena();
  model::ScopeMetrics sm;
  sm.has_scope = !scope_name.empty();
  sm.scope.name = scope_name;
  sm.scope.version = scope_version;
  sm.metrics = arenaArray(a, metrics);
  model::ResourceMetrics rm;
  rm.has_resource = true;
  rm.resource.attributes = arenaArray(a, resource);
  rm.scope_metrics = arenaArray(a, {sm});
  batch.resources().push_back(rm);
}

inline model::NumberDataPoint numberPoint(Arena& a, std::initializer_list<model::KeyValue> attrs,
                                          int64_t t_ms, double v) {
  model::NumberDataPoint p;
  p.attributes = arenaArray(a, attrs);
  p.time_unix_nano = static_cast<uint64_t>(t_ms) * 1'000'000;
  p.value_type = model::NumberValue::kDouble;
  p.as_double = v;
  return p;
}

inline model::Metric gauge(std::string_view name, std::string_view unit,
                           std::span<model::NumberDataPoint> points) {
  model::Metric m;
  m.name = name;
  m.unit = unit;
  m.type = model::MetricType::kGauge;
  m.number_points = points;
  return m;
}

inline model::Metric sum(std::string_view name, std::string_view unit, bool monotonic,
                         model::AggregationTemporality temporality,
                         std::span<model::NumberDataPoint> points) {
  model::Metric m = gauge(name, unit, points);
  m.type = model::MetricType::kSum;
  m.is_monotonic = monotonic;
  m.aggregation_temporality = static_cast<int32_t>(temporality);
  return m;
}

}  // namespace periscope::testing
