// SpanMetricsConnector::buildLocked: the aggregated series as one metrics batch — a resource per
// aggregated resource, scope "spanmetricsconnector", metrics calls, duration and events.
#include "components/connectors/attribute_copy.h"
#include "components/connectors/spanmetrics/span_metrics_connector.h"

namespace periscope::components::spanmetrics {
namespace {

std::span<std::string_view> namesIn(Arena& arena, const std::vector<DimensionSpec>& a,
                                    const std::vector<DimensionSpec>& b = {}) {
  auto out = arena.allocArray<std::string_view>(a.size() + b.size());
  size_t i = 0;
  for (const auto& d : a) out[i++] = arena.copy(d.name);
  for (const auto& d : b) out[i++] = arena.copy(d.name);
  return out;
}

std::span<model::Exemplar> exemplarsIn(Arena& arena, const std::vector<ExemplarRecord>& records) {
  auto out = arena.allocArray<model::Exemplar>(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    out[i].time_unix_nano = r.time_unix_nano;
    out[i].value_type = model::NumberValue::kDouble;
    out[i].as_double = r.value;
    out[i].trace_id = arena.copy({r.trace_id.data(), r.trace_id_size});
    out[i].span_id = arena.copy({r.span_id.data(), r.span_id_size});
  }
  return out;
}

}  // namespace

model::Metrics SpanMetricsConnector::buildLocked(uint64_t now) {
  model::Metrics batch;
  Arena& arena = batch.arena();
  std::vector<std::vector<uint32_t>> spans_of(resources_.size());
  std::vector<std::vector<uint32_t>> events_of(resources_.size());
  for (uint32_t i = 0; i < spans_.series.size(); ++i) {
    if (spans_.series[i].live) spans_of[spans_.series[i].resource].push_back(i);
  }
  for (uint32_t i = 0; i < events_.series.size(); ++i) {
    if (events_.series[i].live) events_of[events_.series[i].resource].push_back(i);
  }
  const auto names = namesIn(arena, dimensions_);
  const auto event_names = namesIn(arena, dimensions_, event_dimensions_);
  const auto temporality =
      static_cast<int32_t>(config_.delta() ? model::AggregationTemporality::kDelta
                                           : model::AggregationTemporality::kCumulative);
  const std::string_view calls_name = arena.copy(calls_name_);
  const std::string_view duration_name = arena.copy(duration_name_);
  const std::string_view events_name = arena.copy(events_name_);
  const std::string_view unit = arena.copy(config_.histogram.unit);
  const auto bounds = arena.copyArray<double>(bounds_);
  auto startOf = [&](const Series& s) { return config_.delta() ? last_flush_ : s.start_time; };

  for (uint32_t r = 0; r < resources_.size(); ++r) {
    const auto& span_ids = spans_of[r];
    const auto& event_ids = events_of[r];
    if (span_ids.empty() && event_ids.empty()) continue;
    const bool with_histogram = !config_.histogram.disable && !span_ids.empty();
    size_t metric_count =
        (span_ids.empty() ? 0 : 1) + (with_histogram ? 1 : 0) + (event_ids.empty() ? 0 : 1);
    auto metrics = arena.allocArray<model::Metric>(metric_count);
    size_t m = 0;
    if (!span_ids.empty()) {
      auto calls = arena.allocArray<model::NumberDataPoint>(span_ids.size());
      std::span<model::HistogramDataPoint> explicit_points;
      std::span<model::ExponentialHistogramDataPoint> exp_points;
      if (with_histogram && exponential_) {
        exp_points = arena.allocArray<model::ExponentialHistogramDataPoint>(span_ids.size());
      } else if (with_histogram) {
        explicit_points = arena.allocArray<model::HistogramDataPoint>(span_ids.size());
      }
      for (size_t i = 0; i < span_ids.size(); ++i) {
        const Series& s = spans_.series[span_ids[i]];
        const model::Attributes attrs = decodeKey(s.key, names, arena);
        const auto exemplars = exemplarsIn(arena, s.exemplars);
        auto& c = calls[i];
        c.attributes = attrs;
        c.start_time_unix_nano = startOf(s);
        c.time_unix_nano = now;
        c.value_type = model::NumberValue::kInt;
        c.as_int = static_cast<int64_t>(s.calls);
        c.exemplars = exemplars;
        if (!explicit_points.empty()) {
          auto& h = explicit_points[i];
          h.attributes = attrs;
          h.start_time_unix_nano = c.start_time_unix_nano;
          h.time_unix_nano = now;
          h.count = s.count;
          h.has_sum = true;
          h.sum = s.sum;
          h.bucket_counts = arena.copyArray<uint64_t>(s.buckets);
          h.explicit_bounds = bounds;
          h.exemplars = exemplars;
        } else if (!exp_points.empty() && s.exponential) {
          const auto& e = *s.exponential;
          auto& h = exp_points[i];
          h.attributes = attrs;
          h.start_time_unix_nano = c.start_time_unix_nano;
          h.time_unix_nano = now;
          h.count = e.count();
          h.has_sum = true;
          h.sum = e.sum();
          h.scale = e.scale();
          h.zero_count = e.zeroCount();
          h.has_positive = true;
          h.positive.offset = e.offset();
          h.positive.bucket_counts = arena.copyArray<uint64_t>(e.counts());
          h.exemplars = exemplars;
        }
      }
      auto& calls_metric = metrics[m++];
      calls_metric.name = calls_name;
      calls_metric.type = model::MetricType::kSum;
      calls_metric.aggregation_temporality = temporality;
      calls_metric.is_monotonic = true;
      calls_metric.number_points = calls;
      if (with_histogram) {
        auto& duration = metrics[m++];
        duration.name = duration_name;
        duration.unit = unit;
        duration.aggregation_temporality = temporality;
        duration.type =
            exponential_ ? model::MetricType::kExponentialHistogram : model::MetricType::kHistogram;
        duration.histogram_points = explicit_points;
        duration.exponential_points = exp_points;
      }
    }
    if (!event_ids.empty()) {
      auto points = arena.allocArray<model::NumberDataPoint>(event_ids.size());
      for (size_t i = 0; i < event_ids.size(); ++i) {
        const Series& s = events_.series[event_ids[i]];
        auto& p = points[i];
        p.attributes = decodeKey(s.key, event_names, arena);
        p.start_time_unix_nano = startOf(s);
        p.time_unix_nano = now;
        p.value_type = model::NumberValue::kInt;
        p.as_int = static_cast<int64_t>(s.calls);
        p.exemplars = exemplarsIn(arena, s.exemplars);
      }
      auto& events = metrics[m++];
      events.name = events_name;
      events.type = model::MetricType::kSum;
      events.aggregation_temporality = temporality;
      events.is_monotonic = true;
      events.number_points = points;
    }
    auto scopes = arena.allocArray<model::ScopeMetrics>(1);
    scopes[0].has_scope = true;
    scopes[0].scope.name = "spanmetricsconnector";
    scopes[0].metrics = metrics;
    model::ResourceMetrics rm;
    rm.has_resource = true;
    rm.resource.attributes = connectors::copyAttributes(arena, resources_[r].attributes);
    rm.scope_metrics = scopes;
    batch.resources().push_back(rm);
  }
  return batch;
}

}  // namespace periscope::components::spanmetrics
