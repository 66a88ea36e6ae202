#include "components/connectors/spanmetrics/span_metrics_connector.h"

#include <algorithm>

#include "common/logging.h"
#include "components/connectors/attribute_copy.h"
#include "components/connectors/bucket_index.h"

namespace periscope::components::spanmetrics {
namespace {

std::string metricName(const std::string& ns, std::string_view name) {
  return ns.empty() ? std::string(name) : ns + "." + std::string(name);
}

std::vector<DimensionSpec> toSpecs(const std::vector<Dimension>& dims) {
  std::vector<DimensionSpec> out;
  for (const auto& d : dims) out.push_back({d.name, DimensionSource::kAttribute, d.default_value});
  return out;
}

std::vector<std::string> namesOf(const std::vector<Dimension>& dims) {
  std::vector<std::string> out;
  for (const auto& d : dims) out.push_back(d.name);
  return out;
}

// The span attribute, else the resource attribute, else null.
const model::AnyValue* lookup(std::string_view name, model::Attributes first,
                              model::Attributes second) {
  if (const auto* v = model::findAttribute(first, name)) return v;
  return model::findAttribute(second, name);
}

}  // namespace

SpanMetricsConnector::SpanMetricsConnector(const component::Settings& settings,
                                           const Config& config, pipeline::MetricsConsumer* next,
                                           std::shared_ptr<const connectors::Clock> clock,
                                           telemetry::Registry& registry)
    : settings_(settings),
      config_(config),
      next_(next),
      clock_(std::move(clock)),
      event_dimensions_(toSpecs(config.events.dimensions)),
      attribute_names_(namesOf(config.dimensions)),
      resource_key_attributes_(config.resource_metrics_key_attributes),
      bounds_(config.explicitBounds()),
      exponential_(config.histogram.exponential.has_value()),
      ns_per_unit_(config.histogram.unit == "s" ? 1e9 : 1e6),
      calls_name_(metricName(config.namespace_, "calls")),
      duration_name_(metricName(config.namespace_, "duration")),
      events_name_(metricName(config.namespace_, "events")) {
  auto excluded = [&](std::string_view name) {
    return std::find(config.exclude_dimensions.begin(), config.exclude_dimensions.end(), name) !=
           config.exclude_dimensions.end();
  };
  const std::pair<const char*, DimensionSource> builtin[] = {
      {"service.name", DimensionSource::kServiceName},
      {"span.name", DimensionSource::kSpanName},
      {"span.kind", DimensionSource::kSpanKind},
      {"status.code", DimensionSource::kStatusCode}};
  for (const auto& [name, source] : builtin) {
    if (!excluded(name)) dimensions_.push_back({name, source, std::nullopt});
  }
  for (auto& d : toSpecs(config.dimensions)) dimensions_.push_back(std::move(d));
  std::sort(resource_key_attributes_.begin(), resource_key_attributes_.end());
  span_values_.resize(config.dimensions.size());
  resource_values_.resize(config.dimensions.size());
  last_flush_ = clock_->nowUnixNanos();
  telemetry::Labels labels = {{"connector", settings.id.toString()}};
  overflowed_spans_ = &registry.counter("periscope_connector_spanmetrics_overflow_spans",
                                        "Spans aggregated into the overflow series because the "
                                        "aggregation_cardinality_limit was reached.",
                                        labels);
  flush_errors_ = &registry.counter("periscope_connector_spanmetrics_flush_errors",
                                    "Metric batches the next consumer refused.", labels);
}

SpanMetricsConnector::~SpanMetricsConnector() {
  runner_.stop();
}

Status SpanMetricsConnector::start(component::Host&) {
  runner_.start(config_.metrics_flush_interval, [this] { flush(); });
  return Status::ok();
}

Status SpanMetricsConnector::shutdown(component::Deadline) {
  runner_.stop();
  // The last interval's data goes out too (the metrics pipeline stops after this connector).
  if (!shut_down_.exchange(true)) flush();
  return Status::ok();
}

pipeline::Consumers SpanMetricsConnector::input() {
  pipeline::Consumers c;
  c.traces = this;
  return c;
}

size_t SpanMetricsConnector::seriesCount() const {
  std::lock_guard lock(mu_);
  return spans_.series.size() - spans_.free.size();
}

uint32_t SpanMetricsConnector::resourceIndex(model::Attributes attrs) {
  // Key: the identifying attributes sorted by name, so attribute order does not split a resource.
  resource_scratch_.clear();
  for (const auto& kv : attrs) {
    if (resource_key_attributes_.empty() ||
        std::binary_search(resource_key_attributes_.begin(), resource_key_attributes_.end(),
                           kv.key)) {
      resource_scratch_.push_back(&kv);
    }
  }
  std::sort(resource_scratch_.begin(), resource_scratch_.end(),
            [](const model::KeyValue* a, const model::KeyValue* b) { return a->key < b->key; });
  resource_key_.clear();
  for (const auto* kv : resource_scratch_) {
    KeyWriter::string(resource_key_, kv->key);
    KeyWriter::value(resource_key_, kv->value);
  }
  const uint64_t hash = connectors::hashBytes(resource_key_.view());
  const uint32_t found =
      resource_index_.find(hash, resource_key_.view(),
                           [&](uint32_t i) -> std::string_view { return resources_[i].key; });
  if (found != connectors::HashIndex::kNotFound) return found;
  uint32_t index;
  if (!free_resources_.empty()) {
    index = free_resources_.back();
    free_resources_.pop_back();
  } else {
    index = static_cast<uint32_t>(resources_.size());
    resources_.emplace_back();
  }
  auto& entry = resources_[index];
  entry.arena = std::make_unique<Arena>(1024);
  auto out = entry.arena->allocArray<model::KeyValue>(resource_scratch_.size());
  for (size_t i = 0; i < resource_scratch_.size(); ++i) {
    out[i].key = entry.arena->copy(resource_scratch_[i]->key);
    out[i].value = connectors::copyValue(*entry.arena, resource_scratch_[i]->value);
  }
  entry.attributes = out;
  entry.series = 0;
  entry.key = resource_key_.view();
  entry.hash = hash;
  resource_index_.insert(hash, index);
  return index;
}

void SpanMetricsConnector::appendSpanDimensions(const model::Span& span, std::string_view service) {
  // One pass over the span's attributes for all configured dimensions; the resource's values
  // were looked up once for its ResourceSpans.
  std::fill(span_values_.begin(), span_values_.end(), nullptr);
  attribute_names_.find(span.attributes, span_values_);
  size_t attribute = 0;
  for (const auto& d : dimensions_) {
    switch (d.source) {
      case DimensionSource::kServiceName:
        KeyWriter::string(key_, service);
        break;
      case DimensionSource::kSpanName:
        KeyWriter::string(key_, span.name);
        break;
      case DimensionSource::kSpanKind:
        KeyWriter::string(key_, spanKindName(span.kind));
        break;
      case DimensionSource::kStatusCode:
        KeyWriter::string(key_, statusCodeName(static_cast<int32_t>(span.status.code)));
        break;
      case DimensionSource::kAttribute:
        if (const auto* v =
                span_values_[attribute] ? span_values_[attribute] : resource_values_[attribute]) {
          KeyWriter::value(key_, *v);
        } else if (d.default_value) {
          KeyWriter::string(key_, *d.default_value);
        } else {
          KeyWriter::missing(key_);
        }
        ++attribute;
        break;
    }
  }
}

Series& SpanMetricsConnector::findOrCreate(Table& table, uint32_t resource, uint64_t now,
                                           bool with_histogram) {
  auto keyOf = [&](uint32_t i) -> std::string_view { return table.series[i].key; };
  uint64_t hash = connectors::hashBytes(key_.view());
  uint32_t found = table.index.find(hash, key_.view(), keyOf);
  bool overflow = false;
  if (found == connectors::HashIndex::kNotFound && config_.aggregation_cardinality_limit > 0 &&
      table.live >= config_.aggregation_cardinality_limit) {
    // Past the limit: the span still counts, in its resource's overflow series.
    overflow = true;
    key_.truncate(sizeof(uint32_t));
    KeyWriter::overflow(key_);
    hash = connectors::hashBytes(key_.view());
    found = table.index.find(hash, key_.view(), keyOf);
    ++pending_overflow_;
  }
  if (found != connectors::HashIndex::kNotFound) return table.series[found];

  uint32_t index;
  if (!table.free.empty()) {
    index = table.free.back();
    table.free.pop_back();
  } else {
    index = static_cast<uint32_t>(table.series.size());
    table.series.emplace_back();
  }
  table.index.insert(hash, index);
  Series& s = table.series[index];
  s = Series{};
  s.key = key_.view();
  s.hash = hash;
  s.resource = resource;
  s.live = true;
  s.overflow = overflow;
  s.start_time = now;
  if (with_histogram && !config_.histogram.disable) {
    if (exponential_) {
      s.exponential =
          std::make_unique<ExponentialHistogram>(config_.histogram.exponential->max_size);
    } else {
      s.buckets.assign(bounds_.size() + 1, 0);
    }
  }
  if (!overflow) ++table.live;
  ++resources_[resource].series;
  return s;
}

void SpanMetricsConnector::recordDuration(Series& s, double value) {
  if (s.exponential) {
    s.exponential->record(value);
    return;
  }
  if (s.buckets.empty()) return;
  const size_t i = connectors::bucketIndex(bounds_, value);
  ++s.buckets[i];
  ++s.count;
  s.sum += value;
}

void SpanMetricsConnector::addExemplar(Series& s, const model::Span& span, double value) {
  if (!config_.exemplars.enabled || span.trace_id.empty()) return;
  if (config_.exemplars.max_per_data_point > 0 &&
      s.exemplars.size() >= config_.exemplars.max_per_data_point) {
    return;
  }
  ExemplarRecord& e = s.exemplars.emplace_back();
  e.trace_id_size = static_cast<uint8_t>(std::min(span.trace_id.size(), e.trace_id.size()));
  std::copy_n(span.trace_id.data(), e.trace_id_size, e.trace_id.data());
  e.span_id_size = static_cast<uint8_t>(std::min(span.span_id.size(), e.span_id.size()));
  std::copy_n(span.span_id.data(), e.span_id_size, e.span_id.data());
  e.time_unix_nano = span.end_time_unix_nano;
  e.value = value;
}

void SpanMetricsConnector::consume(model::Traces&& data, pipeline::Done done) {
  {
    std::lock_guard lock(mu_);
    const uint64_t now = clock_->nowUnixNanos();
    for (const auto& rs : data.resources()) {
      const model::Attributes resource_attrs = rs.resource.attributes;
      const auto* service = model::findAttribute(resource_attrs, "service.name");
      // As in the collector: spans of a resource without service.name are not counted.
      if (service == nullptr || service->type() != model::AnyValue::Type::kString) continue;
      const uint32_t resource = resourceIndex(resource_attrs);
      std::fill(resource_values_.begin(), resource_values_.end(), nullptr);
      attribute_names_.find(resource_attrs, resource_values_);
      for (const auto& ss : rs.scope_spans) {
        for (const auto& span : ss.spans) {
          const uint64_t ns = span.end_time_unix_nano > span.start_time_unix_nano
                                  ? span.end_time_unix_nano - span.start_time_unix_nano
                                  : 0;
          const double duration = static_cast<double>(ns) / ns_per_unit_;
          key_.clear();
          KeyWriter::resource(key_, resource);
          appendSpanDimensions(span, service->str());
          const size_t span_key_size = key_.size();
          Series& s = findOrCreate(spans_, resource, now, true);
          ++s.calls;
          s.last_seen = now;
          recordDuration(s, duration);
          addExemplar(s, span, duration);
          if (!config_.events.enabled) continue;
          for (const auto& event : span.events) {
            key_.truncate(span_key_size);
            for (const auto& d : event_dimensions_) {
              if (const auto* v = lookup(d.name, event.attributes, resource_attrs)) {
                KeyWriter::value(key_, *v);
              } else if (d.default_value) {
                KeyWriter::string(key_, *d.default_value);
              } else {
                KeyWriter::missing(key_);
              }
            }
            Series& e = findOrCreate(events_, resource, now, false);
            ++e.calls;
            e.last_seen = now;
            addExemplar(e, span, duration);
          }
        }
      }
    }
    if (pending_overflow_ > 0) {
      // Self-metric counters are atomics: add once per batch, not once per span.
      overflowed_spans_->add(static_cast<double>(pending_overflow_));
      pending_overflow_ = 0;
    }
  }
  done(Status::ok());
}

void SpanMetricsConnector::erase(Table& table, uint32_t index) {
  Series& s = table.series[index];
  if (!s.live) return;
  if (!s.overflow) --table.live;
  uint32_t resource = s.resource;
  table.index.erase(s.hash, index);
  s = Series{};
  table.free.push_back(index);
  auto& r = resources_[resource];
  if (--r.series == 0) {
    resource_index_.erase(r.hash, resource);
    r = ResourceEntry{};
    free_resources_.push_back(resource);
  }
}

void SpanMetricsConnector::expireLocked(uint64_t now) {
  if (config_.metrics_expiration.count() <= 0) return;
  const auto ttl = static_cast<uint64_t>(config_.metrics_expiration.count());
  for (Table* t : {&spans_, &events_}) {
    for (uint32_t i = 0; i < t->series.size(); ++i) {
      const Series& s = t->series[i];
      if (s.live && now - s.last_seen >= ttl) erase(*t, i);
    }
  }
}

void SpanMetricsConnector::resetAfterFlushLocked(uint64_t now) {
  last_flush_ = now;
  for (Table* t : {&spans_, &events_}) {
    for (uint32_t i = 0; i < t->series.size(); ++i) {
      if (!t->series[i].live) continue;
      if (config_.delta()) {
        erase(*t, i);  // delta: every flush starts from zero
      } else {
        t->series[i].exemplars.clear();
      }
    }
  }
  // Resources whose spans all went uncounted (or that had no spans) hold no series: drop them.
  for (uint32_t r = 0; r < resources_.size(); ++r) {
    auto& entry = resources_[r];
    if (entry.arena == nullptr || entry.series > 0) continue;
    resource_index_.erase(entry.hash, r);
    entry = ResourceEntry{};
    free_resources_.push_back(r);
  }
}

void SpanMetricsConnector::flush() {
  model::Metrics batch;
  {
    std::lock_guard lock(mu_);
    const uint64_t now = clock_->nowUnixNanos();
    expireLocked(now);
    batch = buildLocked(now);
    resetAfterFlushLocked(now);
  }
  if (batch.empty() || next_ == nullptr) return;
  // The answer may come after this connector is gone: capture only what outlives it.
  next_->consume(std::move(batch), [errors = flush_errors_,
                                    id = settings_.id.toString()](Status st) {
    if (st.isOk()) return;
    errors->add(1);
    log::warn(id, "the next consumer refused span metrics", {{"error", std::string(st.message())}});
  });
}

}  // namespace periscope::components::spanmetrics
