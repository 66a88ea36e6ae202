#include "components/receivers/prometheusremotewrite/to_metrics.h"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace periscope::components::prometheusremotewrite_receiver {
namespace {

using model::prom::LabelRef;
using model::prom::RemoteMetricType;
using model::prom::RemoteSeries;

constexpr std::string_view kJob = "job";
constexpr std::string_view kInstance = "instance";
constexpr std::string_view kScopeName = "otel_scope_name";
constexpr std::string_view kScopeVersion = "otel_scope_version";
constexpr std::string_view kTargetInfo = "target_info";

// The labels a series is grouped by; all other labels become point attributes.
struct SeriesKeys {
  std::string_view name, job, instance, scope_name, scope_version;
};

bool isGroupingLabel(std::string_view name) {
  switch (name.empty() ? '\0' : name[0]) {  // cheap first-byte filter: called for every label
    case '_':
      return name == model::prom::kMetricNameLabel;
    case 'j':
      return name == kJob;
    case 'i':
      return name == kInstance;
    case 'o':
      return name == kScopeName || name == kScopeVersion;
    default:
      return false;
  }
}

std::string describe(size_t index, std::span<const LabelRef> labels) {
  std::string out = "series " + std::to_string(index) + " {";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (out.size() > 200) {
      out += ", ...";
      break;
    }
    out +=
        (i ? ", " : "") + std::string(labels[i].name) + "=\"" + std::string(labels[i].value) + "\"";
  }
  return out + "}";
}

Status validate(size_t index, const RemoteSeries& s, SeriesKeys& keys) {
  bool sorted = true;  // as Prometheus sends them: duplicates are then neighbours
  for (size_t i = 0; i < s.labels.size(); ++i) {
    const LabelRef& l = s.labels[i];
    if (l.name.empty()) return invalidArgument(describe(index, s.labels) + ": empty label name");
    if (i > 0 && sorted && s.labels[i - 1].name >= l.name) sorted = false;
    if (!isGroupingLabel(l.name)) continue;  // most labels: one byte compared
    if (l.name == model::prom::kMetricNameLabel)
      keys.name = l.value;
    else if (l.name == kJob)
      keys.job = l.value;
    else if (l.name == kInstance)
      keys.instance = l.value;
    else if (l.name == kScopeName)
      keys.scope_name = l.value;
    else if (l.name == kScopeVersion)
      keys.scope_version = l.value;
  }
  if (!sorted) {
    for (size_t i = 1; i < s.labels.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (s.labels[j].name == s.labels[i].name) {
          return invalidArgument(describe(index, s.labels) + ": duplicate label name \"" +
                                 std::string(s.labels[i].name) + "\"");
        }
      }
    }
  }
  if (keys.name.empty()) return invalidArgument(describe(index, s.labels) + ": no __name__ label");
  return Status::ok();
}

struct PairHash {
  template <typename A>
  size_t operator()(const std::pair<A, std::string_view>& p) const {
    return std::hash<A>()(p.first) * 31 + std::hash<std::string_view>()(p.second);
  }
};

struct MetricGroup {
  std::string_view name;
  std::vector<uint32_t> series;
  size_t points = 0;
};
struct ScopeGroup {
  std::string_view name, version;
  std::vector<uint32_t> metrics;
};
struct ResourceGroup {
  std::string_view job, instance;
  int64_t target_info = -1;  // index of the target_info series, if any
  std::vector<uint32_t> scopes;
};

// What a metric name turns into, from the metadata of its family.
struct Shape {
  model::MetricType type = model::MetricType::kGauge;
  bool monotonic = false;
  const model::prom::RemoteMetadata* metadata = nullptr;
};

class MetadataIndex {
 public:
  MetadataIndex(const std::vector<model::prom::RemoteMetadata>& metadata,
                const MetadataCache* cache, Arena& arena)
      : cache_(cache), arena_(arena) {
    for (const auto& md : metadata) by_family_[md.family] = &md;
  }

  Shape shapeOf(std::string_view name) const {
    Shape shape;
    if (const auto* md = find(name)) {
      shape.metadata = md;
      shape.type = typeOf(*md, name);
      shape.monotonic = md->type == RemoteMetricType::kCounter;
      return shape;
    }
    // A component series of a family: foo_total of counter foo (OpenMetrics), foo_bucket /
    // foo_sum / foo_count of histogram or summary foo.
    for (std::string_view suffix : {"_total", "_bucket", "_sum", "_count", "_created"}) {
      if (name.size() > suffix.size() && name.ends_with(suffix)) {
        if (const auto* md = find(name.substr(0, name.size() - suffix.size()))) {
          shape.metadata = md;
          bool counter = md->type == RemoteMetricType::kCounter && suffix == "_total";
          shape.type = counter ? model::MetricType::kSum : model::MetricType::kGauge;
          shape.monotonic = counter;
          return shape;
        }
      }
    }
    return shape;
  }

 private:
  const model::prom::RemoteMetadata* find(std::string_view family) const {
    if (auto it = by_family_.find(family); it != by_family_.end()) return it->second;
    const model::prom::RemoteMetadata* md = cache_ ? cache_->find(family, arena_) : nullptr;
    if (md != nullptr) by_family_[md->family] = md;  // the arena copy outlives the index
    return md;
  }
  static model::MetricType typeOf(const model::prom::RemoteMetadata& md, std::string_view) {
    switch (md.type) {
      case RemoteMetricType::kCounter:
      case RemoteMetricType::kInfo:
      case RemoteMetricType::kStateset:
        return model::MetricType::kSum;
      default:
        return model::MetricType::kGauge;  // classic histograms and summaries stay as series
    }
  }
  const MetadataCache* cache_;
  Arena& arena_;
  mutable std::unordered_map<std::string_view, const model::prom::RemoteMetadata*> by_family_;
};

std::string_view typeName(RemoteMetricType t) {
  switch (t) {
    case RemoteMetricType::kCounter:
      return "counter";
    case RemoteMetricType::kGauge:
      return "gauge";
    case RemoteMetricType::kHistogram:
      return "histogram";
    case RemoteMetricType::kGaugeHistogram:
      return "gaugehistogram";
    case RemoteMetricType::kSummary:
      return "summary";
    case RemoteMetricType::kInfo:
      return "info";
    case RemoteMetricType::kStateset:
      return "stateset";
    case RemoteMetricType::kUnknown:
      break;
  }
  return "unknown";
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Hex trace/span ids of exemplar labels → raw bytes; empty when not valid hex of that length.
std::string_view decodeId(std::string_view hex, size_t bytes, Arena& arena) {
  if (hex.size() != bytes * 2) return {};
  auto out = arena.allocArray<char>(bytes);
  for (size_t i = 0; i < bytes; ++i) {
    int hi = hexDigit(hex[2 * i]), lo = hexDigit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return {};
    out[i] = static_cast<char>(hi << 4 | lo);
  }
  return {out.data(), bytes};
}

model::Exemplar convertExemplar(const model::prom::RemoteExemplar& e, Arena& arena) {
  model::Exemplar out;
  out.time_unix_nano = static_cast<uint64_t>(e.timestamp_ms) * 1'000'000u;
  out.value_type = model::NumberValue::kDouble;
  out.as_double = e.value;
  size_t attrs = 0;
  for (const auto& l : e.labels) {
    if (l.name == "trace_id" && !(out.trace_id = decodeId(l.value, 16, arena)).empty()) continue;
    if (l.name == "span_id" && !(out.span_id = decodeId(l.value, 8, arena)).empty()) continue;
    ++attrs;
  }
  out.filtered_attributes = arena.allocArray<model::KeyValue>(attrs);
  size_t i = 0;
  for (const auto& l : e.labels) {
    bool id = (l.name == "trace_id" && !out.trace_id.empty()) ||
              (l.name == "span_id" && !out.span_id.empty());
    if (!id) out.filtered_attributes[i++] = {l.name, model::AnyValue::string(l.value)};
  }
  return out;
}

class Builder {
 public:
  Builder(const model::prom::WriteRequestView& request, const ConversionOptions& options,
          model::Metrics& out)
      : request_(request),
        options_(options),
        out_(out),
        arena_(out.arena()),
        metadata_(request.metadata, options.cache, out.arena()) {}

  Result<Conversion> run() {
    PERISCOPE_RETURN_IF_ERROR(group());
    emit();
    return std::move(result_);
  }

 private:
  Status group() {
    std::unordered_map<std::pair<std::string_view, std::string_view>, uint32_t, PairHash>
        resource_index;
    std::unordered_map<std::pair<uint32_t, std::string_view>, uint32_t, PairHash>
        metric_index;  // (scope id, metric name) → metric id
    // Neighbouring series usually share target and metric: the last ids are tried first.
    uint32_t last_resource = UINT32_MAX, last_scope = UINT32_MAX, last_metric = UINT32_MAX;
    for (size_t i = 0; i < request_.series.size(); ++i) {
      const RemoteSeries& s = request_.series[i];
      SeriesKeys keys;
      PERISCOPE_RETURN_IF_ERROR(validate(i, s, keys));
      if (s.native_histograms > 0) {
        drop(s.native_histograms, describe(i, s.labels) + ": native histograms are not supported");
      }
      if (last_resource == UINT32_MAX || resources_[last_resource].job != keys.job ||
          resources_[last_resource].instance != keys.instance) {
        auto [rit, new_resource] =
            resource_index.try_emplace({keys.job, keys.instance}, resources_.size());
        if (new_resource) resources_.push_back({keys.job, keys.instance, -1, {}});
        last_resource = rit->second;
        last_metric = UINT32_MAX;
      }
      ResourceGroup& resource = resources_[last_resource];
      if (keys.name == kTargetInfo) {
        resource.target_info = static_cast<int64_t>(i);
        continue;
      }
      uint32_t scope_id = scopeOf(resource, keys.scope_name, keys.scope_version);
      if (last_metric == UINT32_MAX || scope_id != last_scope ||
          metrics_[last_metric].name != keys.name) {
        auto [mit, new_metric] =
            metric_index.try_emplace({scope_id, keys.name}, static_cast<uint32_t>(metrics_.size()));
        if (new_metric) {
          metrics_.push_back({keys.name, {}, 0});
          scopes_[scope_id].metrics.push_back(mit->second);
        }
        last_metric = mit->second;
        last_scope = scope_id;
      }
      MetricGroup& metric = metrics_[last_metric];
      metric.series.push_back(static_cast<uint32_t>(i));
      for (const auto& sample : s.samples) {
        if (keep(sample, i, s)) ++metric.points;
      }
    }
    return Status::ok();
  }

  uint32_t scopeOf(ResourceGroup& resource, std::string_view name, std::string_view version) {
    for (uint32_t id : resource.scopes) {
      if (scopes_[id].name == name && scopes_[id].version == version) return id;
    }
    scopes_.push_back({name, version, {}});
    resource.scopes.push_back(static_cast<uint32_t>(scopes_.size() - 1));
    return resource.scopes.back();
  }

  bool keep(const model::prom::RemoteSample& sample, size_t index, const RemoteSeries& s) {
    if (sample.timestamp_ms >= options_.min_timestamp_ms && sample.timestamp_ms >= 0) return true;
    if (counting_drops_) {
      drop(1, describe(index, s.labels) + ": sample at " + std::to_string(sample.timestamp_ms) +
                  " ms is older than time_threshold");
    }
    return false;
  }

  void drop(size_t n, std::string why) {
    result_.dropped += n;
    if (result_.first_drop.empty()) result_.first_drop = std::move(why);
  }

  void emit() {
    counting_drops_ = false;  // group() counted them already
    auto& out = out_.resources();
    out.reserve(resources_.size());
    for (const ResourceGroup& r : resources_) {
      // Metrics whose samples were all dropped, and resources with only a target_info, vanish.
      size_t scopes = 0;
      for (uint32_t id : r.scopes) scopes += metricsWithPoints(scopes_[id]) > 0 ? 1 : 0;
      if (scopes == 0) continue;
      model::ResourceMetrics rm;
      rm.has_resource = true;
      rm.resource.attributes = resourceAttributes(r);
      rm.scope_metrics = arena_.allocArray<model::ScopeMetrics>(scopes);
      size_t si = 0;
      for (uint32_t id : r.scopes) {
        const ScopeGroup& scope = scopes_[id];
        size_t metrics = metricsWithPoints(scope);
        if (metrics == 0) continue;
        model::ScopeMetrics& sm = rm.scope_metrics[si++];
        sm.has_scope = true;
        sm.scope.name = scope.name;
        sm.scope.version = scope.version;
        sm.metrics = arena_.allocArray<model::Metric>(metrics);
        size_t mi = 0;
        for (uint32_t metric : scope.metrics) {
          if (metrics_[metric].points > 0) fillMetric(metrics_[metric], sm.metrics[mi++]);
        }
      }
      out.push_back(rm);
    }
  }

  size_t metricsWithPoints(const ScopeGroup& scope) const {
    size_t n = 0;
    for (uint32_t id : scope.metrics) n += metrics_[id].points > 0 ? 1 : 0;
    return n;
  }

  model::Attributes resourceAttributes(const ResourceGroup& r) {
    std::string_view ns, name = r.job;
    if (auto slash = r.job.find('/'); slash != std::string_view::npos) {
      ns = r.job.substr(0, slash);
      name = r.job.substr(slash + 1);
    }
    std::span<const LabelRef> info;
    if (r.target_info >= 0) info = request_.series[static_cast<size_t>(r.target_info)].labels;
    size_t n = (ns.empty() ? 0 : 1) + (name.empty() ? 0 : 1) + (r.instance.empty() ? 0 : 1);
    for (const auto& l : info) n += isGroupingLabel(l.name) || l.value.empty() ? 0 : 1;
    auto attrs = arena_.allocArray<model::KeyValue>(n);
    size_t i = 0;
    if (!name.empty()) attrs[i++] = {"service.name", model::AnyValue::string(name)};
    if (!ns.empty()) attrs[i++] = {"service.namespace", model::AnyValue::string(ns)};
    if (!r.instance.empty())
      attrs[i++] = {"service.instance.id", model::AnyValue::string(r.instance)};
    for (const auto& l : info) {
      if (!isGroupingLabel(l.name) && !l.value.empty())
        attrs[i++] = {l.name, model::AnyValue::string(l.value)};
    }
    return attrs;
  }

  void fillMetric(const MetricGroup& g, model::Metric& m) {
    Shape shape = metadata_.shapeOf(g.name);
    m.name = g.name;
    m.type = shape.type;
    if (shape.type == model::MetricType::kSum) {
      m.aggregation_temporality = static_cast<int32_t>(model::AggregationTemporality::kCumulative);
      m.is_monotonic = shape.monotonic;
    }
    if (shape.metadata != nullptr) {
      m.description = shape.metadata->help;
      m.unit = shape.metadata->unit;
      m.metadata = arena_.allocArray<model::KeyValue>(1);
      m.metadata[0] = {"prometheus.type", model::AnyValue::string(typeName(shape.metadata->type))};
    }
    m.number_points = arena_.allocArray<model::NumberDataPoint>(g.points);
    size_t p = 0;
    for (uint32_t index : g.series) {
      const RemoteSeries& s = request_.series[index];
      size_t first = p;
      model::Attributes attrs;
      for (const auto& sample : s.samples) {
        if (!keep(sample, index, s)) continue;
        model::NumberDataPoint& point = m.number_points[p++];
        // Each point gets its own attribute array: processors may edit one point in place.
        point.attributes = attrs.empty() ? (attrs = pointAttributes(s.labels))
                                         : arena_.copyArray<model::KeyValue>(attrs);
        point.time_unix_nano = static_cast<uint64_t>(sample.timestamp_ms) * 1'000'000u;
        point.value_type = model::NumberValue::kDouble;
        point.as_double = sample.value;
        if (model::prom::isStaleNaN(sample.value)) point.flags = kNoRecordedValueFlag;
      }
      if (p > first && !s.exemplars.empty())
        attachExemplars(s, m.number_points.subspan(first, p - first));
    }
    result_.points += p;
  }

  model::Attributes pointAttributes(std::span<const LabelRef> labels) {
    size_t n = 0;
    for (const auto& l : labels) n += isGroupingLabel(l.name) || l.value.empty() ? 0 : 1;
    auto attrs = arena_.allocArray<model::KeyValue>(n);
    size_t i = 0;
    for (const auto& l : labels) {
      if (!isGroupingLabel(l.name) && !l.value.empty())
        attrs[i++] = {l.name, model::AnyValue::string(l.value)};
    }
    return attrs;
  }

  // Each exemplar goes to the point with the same timestamp, else to the series' last point.
  void attachExemplars(const RemoteSeries& s, std::span<model::NumberDataPoint> points) {
    std::vector<uint32_t> owner(s.exemplars.size(), static_cast<uint32_t>(points.size() - 1));
    std::vector<uint32_t> count(points.size(), 0);
    for (size_t e = 0; e < s.exemplars.size(); ++e) {
      uint64_t t = static_cast<uint64_t>(s.exemplars[e].timestamp_ms) * 1'000'000u;
      for (size_t p = 0; p < points.size(); ++p) {
        if (points[p].time_unix_nano == t) {
          owner[e] = static_cast<uint32_t>(p);
          break;
        }
      }
      ++count[owner[e]];
    }
    for (size_t p = 0; p < points.size(); ++p) {
      points[p].exemplars = arena_.allocArray<model::Exemplar>(count[p]);
      count[p] = 0;
    }
    for (size_t e = 0; e < s.exemplars.size(); ++e) {
      model::NumberDataPoint& point = points[owner[e]];
      point.exemplars[count[owner[e]]++] = convertExemplar(s.exemplars[e], arena_);
    }
  }

  const model::prom::WriteRequestView& request_;
  const ConversionOptions& options_;
  model::Metrics& out_;
  Arena& arena_;
  MetadataIndex metadata_;
  std::vector<ResourceGroup> resources_;
  std::vector<ScopeGroup> scopes_;
  std::vector<MetricGroup> metrics_;
  Conversion result_;
  bool counting_drops_ = true;
};

}  // namespace

Result<Conversion> toMetrics(const model::prom::WriteRequestView& request,
                             const ConversionOptions& options, model::Metrics& out) {
  return Builder(request, options, out).run();
}

}  // namespace periscope::components::prometheusremotewrite_receiver
