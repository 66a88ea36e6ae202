#include "components/connectors/servicegraph/service_graph_connector.h"

#include <algorithm>
#include <cstring>

#include "common/logging.h"
#include "components/connectors/attribute_copy.h"
#include "components/connectors/bucket_index.h"

namespace periscope::components::servicegraph {
namespace {

// Series not updated for this long are forgotten (as the collector's cache loop does).
constexpr uint64_t kSeriesStaleNs = 15ULL * 60 * 1'000'000'000;

const model::AnyValue* lookup(std::string_view name, model::Attributes first,
                              model::Attributes second) {
  if (const auto* v = model::findAttribute(first, name)) return v;
  return model::findAttribute(second, name);
}

bool isRoot(std::string_view parent_span_id) {
  return std::all_of(parent_span_id.begin(), parent_span_id.end(), [](char c) { return c == 0; });
}

template <typename T>
void appendRaw(connectors::KeyBuffer& key, T v) {
  std::memcpy(key.extend(sizeof(T)), &v, sizeof(T));
}

}  // namespace

ServiceGraphConnector::ServiceGraphConnector(const component::Settings& settings,
                                             const Config& config, pipeline::MetricsConsumer* next,
                                             std::shared_ptr<const connectors::Clock> clock,
                                             telemetry::Registry& registry)
    : settings_(settings),
      config_(config),
      next_(next),
      clock_(std::move(clock)),
      bounds_(config.bounds()),
      database_names_(config.database_name_attributes),
      peer_names_(config.virtual_node_peer_attributes),
      start_time_(clock_->nowUnixNanos()),
      store_(config.store.max_items, static_cast<uint64_t>(config.store.ttl.count()),
             config.dimensions.size()),
      user_(strings_.intern("user")),
      absent_dims_(config.dimensions.size(), kNone),
      root_dims_(config.dimensions.size(), kNone) {
  telemetry::Labels labels = {{"connector", settings.id.toString()}};
  total_edges_ = &registry.counter("otelcol_connector_servicegraph_total_edges",
                                   "Edges (span pairs) started in the store.", labels);
  expired_edges_ = &registry.counter("otelcol_connector_servicegraph_expired_edges",
                                     "Edges that expired before their other span arrived.", labels);
  dropped_spans_ = &registry.counter("otelcol_connector_servicegraph_dropped_spans",
                                     "Spans dropped because the store was full.", labels);
  flush_errors_ = &registry.counter("periscope_connector_servicegraph_flush_errors",
                                    "Metric batches the next consumer refused.", labels);
}

ServiceGraphConnector::~ServiceGraphConnector() {
  expiry_runner_.stop();
  flush_runner_.stop();
}

Status ServiceGraphConnector::start(component::Host&) {
  expiry_runner_.start(config_.store_expiration_loop, [this] { expire(); });
  flush_runner_.start(config_.metrics_flush_interval, [this] { flush(); });
  return Status::ok();
}

Status ServiceGraphConnector::shutdown(component::Deadline) {
  expiry_runner_.stop();
  flush_runner_.stop();
  if (!shut_down_.exchange(true)) flush();
  return Status::ok();
}

pipeline::Consumers ServiceGraphConnector::input() {
  pipeline::Consumers c;
  c.traces = this;
  return c;
}

size_t ServiceGraphConnector::storedEdges() const {
  std::lock_guard lock(mu_);
  return store_.size();
}

void ServiceGraphConnector::consume(model::Traces&& data, pipeline::Done done) {
  {
    std::lock_guard lock(mu_);
    const uint64_t now = clock_->nowUnixNanos();
    for (const auto& rs : data.resources()) {
      const model::Attributes resource = rs.resource.attributes;
      const auto* name = model::findAttribute(resource, "service.name");
      if (name == nullptr || name->type() != model::AnyValue::Type::kString) continue;
      const uint32_t service = strings_.intern(name->str());
      // A database named on the resource applies to all its client spans: look it up once.
      resource_database_ = database_names_.first(resource);
      for (const auto& ss : rs.scope_spans) {
        for (const auto& span : ss.spans) {
          const uint64_t ns = span.end_time_unix_nano > span.start_time_unix_nano
                                  ? span.end_time_unix_nano - span.start_time_unix_nano
                                  : 0;
          const double seconds = static_cast<double>(ns) / 1e9;
          switch (static_cast<model::SpanKind>(span.kind)) {
            case model::SpanKind::kProducer:
              onClientSpan(span, service, resource, ConnectionType::kMessagingSystem, seconds, now);
              break;
            case model::SpanKind::kClient:
              onClientSpan(span, service, resource, ConnectionType::kUnset, seconds, now);
              break;
            case model::SpanKind::kConsumer:
              onServerSpan(span, service, resource, ConnectionType::kMessagingSystem, seconds, now);
              break;
            case model::SpanKind::kServer:
              onServerSpan(span, service, resource, ConnectionType::kUnset, seconds, now);
              break;
            default:
              break;  // internal spans are no part of an edge
          }
        }
      }
    }
    publishCountsLocked();
  }
  if (config_.metrics_flush_interval.count() == 0) flush();
  done(Status::ok());
}

uint32_t ServiceGraphConnector::internValue(const model::AnyValue& v) {
  return v.type() == model::AnyValue::Type::kString ? strings_.intern(v.str())
                                                    : strings_.intern(connectors::valueToString(v));
}

void ServiceGraphConnector::fillDims(std::span<uint32_t> out, model::Attributes span,
                                     model::Attributes resource) {
  for (size_t i = 0; i < config_.dimensions.size(); ++i) {
    const auto* v = lookup(config_.dimensions[i], span, resource);
    if (v == nullptr) continue;
    out[i] = internValue(*v);
  }
}

void ServiceGraphConnector::onClientSpan(const model::Span& span, uint32_t service,
                                         model::Attributes resource, ConnectionType type,
                                         double seconds, uint64_t now) {
  const EdgeKey key = makeEdgeKey(span.trace_id, span.span_id);
  auto [edge, found] = store_.upsert(key, now);
  if (edge == nullptr) {
    expireLocked(now);  // make room from expired edges before giving up on the span
    std::tie(edge, found) = store_.upsert(key, now);
  }
  if (edge == nullptr) {
    ++pending_.dropped_spans;
    seriesFor(dropped_, {service, kNone, type, VirtualSide::kNone}, {}, now).requests++;
    return;
  }
  if (found == EdgeStore::Found::kNew) ++pending_.total_edges;
  edge->client = service;
  edge->client_seconds = seconds;
  edge->type = type;
  edge->failed = edge->failed || span.status.code == model::StatusCode::kError;
  fillDims(store_.clientDims(edge), span.attributes, resource);
  // A database is rarely instrumented: the client span alone is the whole edge.
  const model::AnyValue* database = database_names_.first(span.attributes);
  if (database == nullptr) database = resource_database_;
  if (database != nullptr) {
    edge->type = ConnectionType::kDatabase;
    edge->server = internValue(*database);
    edge->server_seconds = seconds;
  }
  if (edge->server == kNone) {
    if (const auto* peer = peer_names_.first(span.attributes)) edge->peer = internValue(*peer);
  }
  if (edge->complete()) {
    record(*edge, store_.clientDims(edge), store_.serverDims(edge), VirtualSide::kNone, now);
    store_.remove(edge);
  }
}

void ServiceGraphConnector::onServerSpan(const model::Span& span, uint32_t service,
                                         model::Attributes resource, ConnectionType type,
                                         double seconds, uint64_t now) {
  if (isRoot(span.parent_span_id)) {
    // No client span can ever match a root span: with virtual nodes on, its client is the user.
    if (config_.virtual_node_peer_attributes.empty()) return;
    Edge edge;
    edge.client = user_;
    edge.server = service;
    edge.type = ConnectionType::kVirtualNode;
    edge.failed = span.status.code == model::StatusCode::kError;
    edge.server_seconds = seconds;
    std::fill(root_dims_.begin(), root_dims_.end(), kNone);
    fillDims(root_dims_, span.attributes, resource);
    record(edge, absent_dims_, root_dims_, VirtualSide::kClient, now);
    return;
  }
  const EdgeKey key = makeEdgeKey(span.trace_id, span.parent_span_id);
  auto [edge, found] = store_.upsert(key, now);
  if (edge == nullptr) {
    expireLocked(now);
    std::tie(edge, found) = store_.upsert(key, now);
  }
  if (edge == nullptr) {
    ++pending_.dropped_spans;
    seriesFor(dropped_, {kNone, service, type, VirtualSide::kNone}, {}, now).requests++;
    return;
  }
  if (found == EdgeStore::Found::kNew) ++pending_.total_edges;
  edge->server = service;
  edge->server_seconds = seconds;
  if (type != ConnectionType::kUnset || edge->type != ConnectionType::kDatabase) edge->type = type;
  edge->failed = edge->failed || span.status.code == model::StatusCode::kError;
  fillDims(store_.serverDims(edge), span.attributes, resource);
  if (edge->complete()) {
    record(*edge, store_.clientDims(edge), store_.serverDims(edge), VirtualSide::kNone, now);
    store_.remove(edge);
  }
}

ServiceGraphConnector::Series& ServiceGraphConnector::seriesFor(SeriesMap& map,
                                                                const SeriesLabels& labels,
                                                                std::span<const uint32_t> dims,
                                                                uint64_t now) {
  // Most requests repeat a recent edge: a small direct-mapped cache of series skips building and
  // hashing the key. A hit is verified against the series itself, so it is never wrong.
  const size_t slot = (labels.client * 31 + labels.server * 7 + static_cast<size_t>(labels.type)) &
                      (map.recent.size() - 1);
  if (uint32_t cached = map.recent[slot]; cached < map.series.size()) {
    Series& s = map.series[cached];
    if (s.live && s.labels == labels &&
        std::equal(s.dims.begin(), s.dims.end(), dims.begin(), dims.end())) {
      s.last_updated = now;
      return s;
    }
  }
  key_.clear();
  appendRaw(key_, labels.client);
  appendRaw(key_, labels.server);
  appendRaw(key_, labels.type);
  appendRaw(key_, labels.virtual_side);
  for (uint32_t d : dims) appendRaw(key_, d);
  const uint64_t hash = connectors::hashBytes(key_.view());
  uint32_t i = map.index.find(hash, key_.view(),
                              [&](uint32_t n) -> std::string_view { return map.series[n].key; });
  if (i == connectors::HashIndex::kNotFound) {
    if (!map.free.empty()) {
      i = map.free.back();
      map.free.pop_back();
    } else {
      i = static_cast<uint32_t>(map.series.size());
      map.series.emplace_back();
    }
    map.index.insert(hash, i);
    Series& s = map.series[i];
    s = Series{};
    s.key = key_.view();
    s.hash = hash;
    s.live = true;
    s.labels = labels;
    s.dims.assign(dims.begin(), dims.end());
    if (&map == &requests_) {
      s.server.buckets.assign(bounds_.size() + 1, 0);
      s.client.buckets.assign(bounds_.size() + 1, 0);
    }
  }
  map.series[i].last_updated = now;
  map.recent[slot] = i;
  return map.series[i];
}

void ServiceGraphConnector::observe(Histogram& h, double seconds) {
  const size_t i = connectors::bucketIndex(bounds_, seconds);
  ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

void ServiceGraphConnector::record(const Edge& edge, std::span<const uint32_t> client_dims,
                                   std::span<const uint32_t> server_dims, VirtualSide side,
                                   uint64_t now) {
  // Dimensions: the client's then the server's values, in the configured order.
  uint32_t dims[2 * kMaxDimensions];
  const size_t n = std::min<size_t>(client_dims.size(), kMaxDimensions);
  std::copy_n(client_dims.begin(), n, dims);
  std::copy_n(server_dims.begin(), n, dims + n);
  SeriesLabels labels{edge.client, edge.server, edge.type,
                      config_.virtual_node_extra_label ? side : VirtualSide::kNone};
  Series& s = seriesFor(requests_, labels, {dims, 2 * n}, now);
  ++s.requests;
  if (edge.failed) ++s.failed;
  observe(s.server, edge.server_seconds);
  observe(s.client, edge.client_seconds);
}

void ServiceGraphConnector::onExpired(const Edge& edge, uint64_t now) {
  ++pending_.expired_edges;
  if (edge.client != kNone && edge.server == kNone) {
    if (!config_.virtual_node_peer_attributes.empty() && edge.peer != kNone) {
      // An uninstrumented server named by the client span (peer.service, db.system, …).
      Edge virtual_edge = edge;
      virtual_edge.server = edge.peer;
      virtual_edge.type = ConnectionType::kVirtualNode;
      record(virtual_edge, store_.clientDims(&edge), absent_dims_, VirtualSide::kServer, now);
      return;
    }
    seriesFor(unpaired_, {edge.client, kNone, edge.type, VirtualSide::kNone}, {}, now).requests++;
  } else if (edge.server != kNone && edge.client == kNone) {
    seriesFor(unpaired_, {kNone, edge.server, edge.type, VirtualSide::kNone}, {}, now).requests++;
  }
}

void ServiceGraphConnector::expireLocked(uint64_t now) {
  store_.expire(now, [&](const Edge& e) { onExpired(e, now); });
}

void ServiceGraphConnector::expire() {
  std::lock_guard lock(mu_);
  expireLocked(clock_->nowUnixNanos());
  publishCountsLocked();
}

void ServiceGraphConnector::publishCountsLocked() {
  // Self-metric counters are atomics: add once per batch, not once per span.
  if (pending_.total_edges > 0) total_edges_->add(static_cast<double>(pending_.total_edges));
  if (pending_.expired_edges > 0) expired_edges_->add(static_cast<double>(pending_.expired_edges));
  if (pending_.dropped_spans > 0) dropped_spans_->add(static_cast<double>(pending_.dropped_spans));
  pending_ = {};
}

void ServiceGraphConnector::flush() {
  model::Metrics batch;
  {
    std::lock_guard lock(mu_);
    const uint64_t now = clock_->nowUnixNanos();
    for (SeriesMap* map : {&requests_, &unpaired_, &dropped_}) {
      for (uint32_t i = 0; i < map->series.size(); ++i) {
        Series& s = map->series[i];
        if (!s.live || now - s.last_updated < kSeriesStaleNs) continue;
        map->index.erase(s.hash, i);
        s = Series{};
        map->free.push_back(i);
      }
    }
    batch = buildLocked(now);
  }
  if (!batch.empty() && next_ != nullptr) send(std::move(batch));
}

void ServiceGraphConnector::send(model::Metrics&& batch) {
  // The answer may come after this connector is gone: capture only what outlives it.
  next_->consume(std::move(batch),
                 [errors = flush_errors_, id = settings_.id.toString()](Status st) {
                   if (st.isOk()) return;
                   errors->add(1);
                   log::warn(id, "the next consumer refused service graph metrics",
                             {{"error", std::string(st.message())}});
                 });
}

}  // namespace periscope::components::servicegraph
