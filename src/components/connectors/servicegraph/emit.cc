// ServiceGraphConnector::buildLocked: every series as one metrics batch (one resource, scope
// "traces_service_graph"), cumulative since the connector was created.
#include "components/connectors/servicegraph/service_graph_connector.h"

namespace periscope::components::servicegraph {
namespace {

constexpr auto kCumulative = static_cast<int32_t>(model::AggregationTemporality::kCumulative);

}  // namespace

model::Metrics ServiceGraphConnector::buildLocked(uint64_t now) {
  model::Metrics batch;
  if (requests_.empty() && unpaired_.empty() && dropped_.empty()) return batch;
  Arena& arena = batch.arena();
  const size_t ndims = config_.dimensions.size();
  std::vector<std::string_view> dim_names;  // client_<d>… then server_<d>…
  for (const char* side : {"client_", "server_"}) {
    for (const auto& d : config_.dimensions) dim_names.push_back(arena.copy(side + d));
  }

  auto labelsOf = [&](const Series& s) {
    const auto& l = s.labels;
    auto out = arena.allocArray<model::KeyValue>(4 + s.dims.size());
    size_t n = 0;
    auto put = [&](std::string_view key, std::string_view value) {
      out[n++] = {key, model::AnyValue::string(arena.copy(value))};
    };
    if (l.client != kNone) put("client", strings_.get(l.client));
    if (l.server != kNone) put("server", strings_.get(l.server));
    put("connection_type", connectionTypeName(l.type));
    if (l.virtual_side != VirtualSide::kNone) {
      put("virtual_node", l.virtual_side == VirtualSide::kClient ? "client" : "server");
    }
    for (size_t i = 0; i < s.dims.size() && i < 2 * ndims; ++i) {
      if (s.dims[i] != kNone) put(dim_names[i], strings_.get(s.dims[i]));
    }
    return out.first(n);
  };
  auto counter = [&](std::string_view name, const SeriesMap& map, bool failed_only) {
    size_t count = 0;
    for (const auto& s : map.series) count += s.live && (!failed_only || s.failed > 0);
    auto points = arena.allocArray<model::NumberDataPoint>(count);
    size_t i = 0;
    for (const auto& s : map.series) {
      if (!s.live || (failed_only && s.failed == 0)) continue;
      auto& p = points[i++];
      p.attributes = labelsOf(s);
      p.start_time_unix_nano = start_time_;
      p.time_unix_nano = now;
      p.value_type = model::NumberValue::kInt;
      p.as_int = static_cast<int64_t>(failed_only ? s.failed : s.requests);
    }
    model::Metric m;
    m.name = name;
    m.type = model::MetricType::kSum;
    m.aggregation_temporality = kCumulative;
    m.is_monotonic = true;
    m.number_points = points;
    return m;
  };
  const auto bounds = arena.copyArray<double>(bounds_);
  auto histogram = [&](std::string_view name, Histogram Series::*side) {
    auto points = arena.allocArray<model::HistogramDataPoint>(requests_.series.size() -
                                                              requests_.free.size());
    size_t i = 0;
    for (const auto& s : requests_.series) {
      if (!s.live) continue;
      const Histogram& h = s.*side;
      auto& p = points[i++];
      p.attributes = labelsOf(s);
      p.start_time_unix_nano = start_time_;
      p.time_unix_nano = now;
      p.count = h.count;
      p.has_sum = true;
      p.sum = h.sum;
      p.bucket_counts = arena.copyArray<uint64_t>(h.buckets);
      p.explicit_bounds = bounds;
    }
    model::Metric m;
    m.name = name;
    m.unit = "s";
    m.type = model::MetricType::kHistogram;
    m.aggregation_temporality = kCumulative;
    m.histogram_points = points;
    return m;
  };

  std::vector<model::Metric> metrics;
  if (!requests_.empty()) {
    metrics.push_back(counter("traces_service_graph_request_total", requests_, false));
    model::Metric failed = counter("traces_service_graph_request_failed_total", requests_, true);
    if (!failed.number_points.empty()) metrics.push_back(failed);
    metrics.push_back(histogram("traces_service_graph_request_server_seconds", &Series::server));
    metrics.push_back(histogram("traces_service_graph_request_client_seconds", &Series::client));
  }
  if (!unpaired_.empty()) {
    metrics.push_back(counter("traces_service_graph_unpaired_spans_total", unpaired_, false));
  }
  if (!dropped_.empty()) {
    metrics.push_back(counter("traces_service_graph_dropped_spans_total", dropped_, false));
  }
  auto scopes = arena.allocArray<model::ScopeMetrics>(1);
  scopes[0].has_scope = true;
  scopes[0].scope.name = "traces_service_graph";
  scopes[0].metrics = arena.copyArray<model::Metric>(metrics);
  model::ResourceMetrics rm;
  rm.scope_metrics = scopes;
  batch.resources().push_back(rm);
  return batch;
}

}  // namespace periscope::components::servicegraph
