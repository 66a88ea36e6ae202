// ServiceGraphConnector: the `servicegraph` connector. Pairs the client (or producer) span and
// the server (or consumer) span of each request through an EdgeStore, and counts per edge
// (client, server, connection_type, dimensions) requests, failures and both sides' latencies;
// uninstrumented peers become virtual nodes, expired halves are counted as unpaired, spans that
// find the store full as dropped. Emits the metrics every metrics_flush_interval.
// consume() holds one mutex per batch; expire() and flush() may be called directly (tests, with a
// ManualClock) and run on timers after start().
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/telemetry/metrics.h"
#include "components/connectors/attribute_lookup.h"
#include "components/connectors/connector_clock.h"
#include "components/connectors/hash_index.h"
#include "components/connectors/periodic_runner.h"
#include "components/connectors/servicegraph/config.h"
#include "components/connectors/servicegraph/edge_store.h"
#include "components/connectors/servicegraph/string_interner.h"
#include "pipeline/factories.h"

namespace periscope::components::servicegraph {

class ServiceGraphConnector final : public pipeline::ConsumerComponent,
                                    public pipeline::Consumer<model::Traces> {
 public:
  ServiceGraphConnector(const component::Settings& settings, const Config& config,
                        pipeline::MetricsConsumer* next,
                        std::shared_ptr<const connectors::Clock> clock,
                        telemetry::Registry& registry = telemetry::globalRegistry());
  ~ServiceGraphConnector() override;

  Status start(component::Host& host) override;
  Status shutdown(component::Deadline deadline) override;
  pipeline::Consumers input() override;
  void consume(model::Traces&& data, pipeline::Done done) override;

  // Ends the edges older than store.ttl at the clock's current time.
  void expire();
  // Emits the metrics at the clock's current time (nothing if no edge was ever recorded).
  void flush();
  size_t storedEdges() const;

 private:
  enum class VirtualSide : uint8_t { kNone, kClient, kServer };
  // Everything a series is labelled with, as interned ids; also its table key.
  struct SeriesLabels {
    uint32_t client = kNone;
    uint32_t server = kNone;
    ConnectionType type = ConnectionType::kUnset;
    VirtualSide virtual_side = VirtualSide::kNone;
    bool operator==(const SeriesLabels&) const = default;
  };
  struct Histogram {
    std::vector<uint64_t> buckets;
    uint64_t count = 0;
    double sum = 0;
  };
  struct Series {
    std::string key;  // labels and dims as bytes
    uint64_t hash = 0;
    bool live = false;
    SeriesLabels labels;
    std::vector<uint32_t> dims;  // client dims then server dims (request series only)
    uint64_t requests = 0;
    uint64_t failed = 0;
    Histogram server;
    Histogram client;
    uint64_t last_updated = 0;
  };
  struct SeriesMap {
    connectors::HashIndex index;
    std::vector<Series> series;
    std::vector<uint32_t> free;
    std::array<uint32_t, 64> recent;  // direct-mapped cache of series indexes (seriesFor)
    SeriesMap() { recent.fill(kNone); }
    bool empty() const { return series.size() == free.size(); }
  };

  void onClientSpan(const model::Span& span, uint32_t service, model::Attributes resource,
                    ConnectionType type, double seconds, uint64_t now);
  void onServerSpan(const model::Span& span, uint32_t service, model::Attributes resource,
                    ConnectionType type, double seconds, uint64_t now);
  uint32_t internValue(const model::AnyValue& v);
  void fillDims(std::span<uint32_t> out, model::Attributes span, model::Attributes resource);
  void record(const Edge& edge, std::span<const uint32_t> client_dims,
              std::span<const uint32_t> server_dims, VirtualSide side, uint64_t now);
  void onExpired(const Edge& edge, uint64_t now);
  Series& seriesFor(SeriesMap& map, const SeriesLabels& labels, std::span<const uint32_t> dims,
                    uint64_t now);
  void observe(Histogram& h, double seconds);
  void expireLocked(uint64_t now);
  void publishCountsLocked();
  model::Metrics buildLocked(uint64_t now);
  void send(model::Metrics&& batch);

  component::Settings settings_;
  Config config_;
  pipeline::MetricsConsumer* next_;
  std::shared_ptr<const connectors::Clock> clock_;
  std::vector<double> bounds_;
  connectors::AttributeLookup database_names_;
  connectors::AttributeLookup peer_names_;
  uint64_t start_time_;

  mutable std::mutex mu_;
  EdgeStore store_;
  StringInterner strings_;
  uint32_t user_;                      // "user": the client of a root server span
  connectors::KeyBuffer key_;          // scratch series key
  std::vector<uint32_t> absent_dims_;  // one kNone per dimension
  std::vector<uint32_t> root_dims_;
  const model::AnyValue* resource_database_ =
      nullptr;  // of the resource being consumed    // scratch dimensions of a root server span
  SeriesMap requests_;
  SeriesMap unpaired_;
  SeriesMap dropped_;

  struct {
    uint64_t total_edges = 0;
    uint64_t expired_edges = 0;
    uint64_t dropped_spans = 0;
  } pending_;  // self-metric increments not yet published

  connectors::PeriodicRunner expiry_runner_;
  connectors::PeriodicRunner flush_runner_;
  std::atomic<bool> shut_down_{false};
  telemetry::Counter* total_edges_;
  telemetry::Counter* expired_edges_;
  telemetry::Counter* dropped_spans_;
  telemetry::Counter* flush_errors_;
};

}  // namespace periscope::components::servicegraph
