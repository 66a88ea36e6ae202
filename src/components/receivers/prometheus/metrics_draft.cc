#include "components/receivers/prometheus/metrics_draft.h"

#include <algorithm>
#include <cmath>

namespace periscope::components::prometheus_receiver {

namespace prom = model::prom;

namespace {

constexpr std::string_view kScopeName =
    "github.com/open-telemetry/opentelemetry-collector-contrib/receiver/prometheusreceiver";
constexpr uint32_t kNoRecordedValue = 1;  // DataPointFlags.FLAG_NO_RECORDED_VALUE

uint64_t nanos(int64_t ms) {
  return ms <= 0 ? 0 : static_cast<uint64_t>(ms) * 1'000'000ull;
}

class Layout {
 public:
  explicit Layout(Arena& arena) : arena_(arena) {}

  std::string_view str(std::string_view s) { return arena_.copy(s); }

  model::Attributes attributes(const prom::Labels& labels) {
    auto out = arena_.allocArray<model::KeyValue>(labels.size());
    for (size_t i = 0; i < labels.size(); ++i) {
      out[i].key = str(labels[i].name);
      out[i].value = model::AnyValue::string(str(labels[i].value));
    }
    return out;
  }

  model::Attributes resource(const ResourceDraft& r, const std::string& scheme) {
    std::vector<std::pair<std::string_view, std::string_view>> kv;
    if (!r.job.empty()) kv.emplace_back("service.name", r.job);
    std::string_view host, port;
    if (!r.instance.empty()) {
      kv.emplace_back("service.instance.id", r.instance);
      std::string_view inst = r.instance;
      host = inst;
      if (inst.front() == '[') {  // [v6]:port
        size_t close = inst.find(']');
        if (close != std::string_view::npos) {
          host = inst.substr(1, close - 1);
          if (close + 1 < inst.size() && inst[close + 1] == ':') port = inst.substr(close + 2);
        }
      } else if (size_t colon = inst.find(':');
                 colon != std::string_view::npos && inst.find(':', colon + 1) == inst.npos) {
        host = inst.substr(0, colon);
        port = inst.substr(colon + 1);
      }
      kv.emplace_back("server.address", host);
      if (!port.empty()) kv.emplace_back("server.port", port);
      kv.emplace_back("url.scheme", scheme);
    }
    auto out = arena_.allocArray<model::KeyValue>(kv.size());
    for (size_t i = 0; i < kv.size(); ++i) {
      out[i].key = str(kv[i].first);
      out[i].value = model::AnyValue::string(str(kv[i].second));
    }
    return out;
  }

  void numberPoints(const MetricDraft& m, model::Metric& out) {
    auto pts = arena_.allocArray<model::NumberDataPoint>(m.points.size());
    size_t i = 0;
    for (const auto& [key, p] : m.points) {
      model::NumberDataPoint& d = pts[i++];
      d.attributes = attributes(p.attributes);
      d.start_time_unix_nano = nanos(p.start_ms);
      d.time_unix_nano = nanos(p.time_ms);
      d.value_type = model::NumberValue::kDouble;
      d.as_double = p.stale ? prom::staleNaN() : p.value;
      d.flags = p.stale ? kNoRecordedValue : 0;
    }
    out.number_points = pts;
  }

  void histogramPoints(const MetricDraft& m, model::Metric& out) {
    auto pts = arena_.allocArray<model::HistogramDataPoint>(m.points.size());
    size_t i = 0;
    for (const auto& [key, p] : m.points) {
      model::HistogramDataPoint& d = pts[i++];
      d.attributes = attributes(p.attributes);
      d.start_time_unix_nano = nanos(p.start_ms);
      d.time_unix_nano = nanos(p.time_ms);
      if (p.stale) {
        d.flags = kNoRecordedValue;
        continue;
      }
      double inf_count = p.has_count ? p.count : 0;
      std::vector<double> bounds;
      std::vector<uint64_t> counts;
      double prev = 0;
      for (const auto& [le, cum] : p.buckets) {
        if (std::isinf(le) && le > 0) {
          inf_count = cum;
          break;
        }
        bounds.push_back(le);
        counts.push_back(static_cast<uint64_t>(std::max(0.0, cum - prev)));
        prev = cum;
      }
      counts.push_back(static_cast<uint64_t>(std::max(0.0, inf_count - prev)));
      d.count = static_cast<uint64_t>(p.has_count ? p.count : inf_count);
      d.has_sum = p.has_sum;
      d.sum = p.sum;
      d.explicit_bounds = arena_.copyArray<double>(bounds);
      d.bucket_counts = arena_.copyArray<uint64_t>(counts);
    }
    out.histogram_points = pts;
  }

  void summaryPoints(const MetricDraft& m, model::Metric& out) {
    auto pts = arena_.allocArray<model::SummaryDataPoint>(m.points.size());
    size_t i = 0;
    for (const auto& [key, p] : m.points) {
      model::SummaryDataPoint& d = pts[i++];
      d.attributes = attributes(p.attributes);
      d.start_time_unix_nano = nanos(p.start_ms);
      d.time_unix_nano = nanos(p.time_ms);
      if (p.stale) {
        d.flags = kNoRecordedValue;
        continue;
      }
      d.count = static_cast<uint64_t>(p.count);
      d.sum = p.sum;
      auto qs = arena_.allocArray<model::ValueAtQuantile>(p.quantiles.size());
      size_t j = 0;
      for (const auto& [q, v] : p.quantiles) qs[j++] = {q, v};
      d.quantile_values = qs;
    }
    out.summary_points = pts;
  }

  void metric(const MetricDraft& m, model::Metric& out) {
    out.name = str(m.name);
    out.description = str(m.description);
    out.unit = str(m.unit);
    switch (m.kind) {
      case prom::MetricKind::kCounter:
        out.type = model::MetricType::kSum;
        out.is_monotonic = true;
        out.aggregation_temporality =
            static_cast<int32_t>(model::AggregationTemporality::kCumulative);
        numberPoints(m, out);
        break;
      case prom::MetricKind::kHistogram:
        out.type = model::MetricType::kHistogram;
        out.aggregation_temporality =
            static_cast<int32_t>(model::AggregationTemporality::kCumulative);
        histogramPoints(m, out);
        break;
      case prom::MetricKind::kSummary:
        out.type = model::MetricType::kSummary;
        summaryPoints(m, out);
        break;
      case prom::MetricKind::kGauge:
      case prom::MetricKind::kUnknown:
        out.type = model::MetricType::kGauge;
        numberPoints(m, out);
        break;
    }
  }

 private:
  Arena& arena_;
};

}  // namespace

model::Metrics toBatch(const ScrapeDraft& draft, const std::string& scheme) {
  model::Metrics batch;
  Layout layout(batch.arena());
  for (const auto& [key, r] : draft) {
    if (r.metrics.empty()) continue;
    model::ResourceMetrics rm;
    rm.has_resource = true;
    rm.resource.attributes = layout.resource(r, scheme);
    auto scopes = batch.arena().allocArray<model::ScopeMetrics>(1);
    scopes[0].has_scope = true;
    scopes[0].scope.name = kScopeName;
    auto metrics = batch.arena().allocArray<model::Metric>(r.metrics.size());
    size_t i = 0;
    for (const auto& [name, m] : r.metrics) layout.metric(m, metrics[i++]);
    scopes[0].metrics = metrics;
    rm.scope_metrics = scopes;
    batch.resources().push_back(rm);
  }
  return batch;
}

}  // namespace periscope::components::prometheus_receiver
