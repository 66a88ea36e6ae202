// SpanMetricsConnector: the `spanmetrics` connector. Consumes traces, aggregates per series of
// dimension values a `calls` counter and a `duration` histogram (and optionally an `events`
// counter), and emits them as a metrics batch every metrics_flush_interval.
// consume() holds one mutex per batch (never per span) and never allocates for a span of a known
// series. flush() may be called directly (tests, with a ManualClock); start() runs it on a timer.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/telemetry/metrics.h"
#include "components/connectors/attribute_lookup.h"
#include "components/connectors/connector_clock.h"
#include "components/connectors/hash_index.h"
#include "components/connectors/key_hash.h"
#include "components/connectors/periodic_runner.h"
#include "components/connectors/spanmetrics/config.h"
#include "components/connectors/spanmetrics/dimension_key.h"
#include "components/connectors/spanmetrics/series.h"
#include "pipeline/factories.h"

namespace periscope::components::spanmetrics {

class SpanMetricsConnector final : public pipeline::ConsumerComponent,
                                   public pipeline::Consumer<model::Traces> {
 public:
  SpanMetricsConnector(const component::Settings& settings, const Config& config,
                       pipeline::MetricsConsumer* next,
                       std::shared_ptr<const connectors::Clock> clock,
                       telemetry::Registry& registry = telemetry::globalRegistry());
  ~SpanMetricsConnector() override;

  Status start(component::Host& host) override;
  Status shutdown(component::Deadline deadline) override;
  pipeline::Consumers input() override;
  void consume(model::Traces&& data, pipeline::Done done) override;

  // Emits the aggregated metrics at the clock's current time (nothing if there are no series).
  void flush();
  size_t seriesCount() const;

 private:
  struct ResourceEntry {
    std::unique_ptr<Arena> arena;
    model::Attributes attributes;
    std::string key;
    uint64_t hash = 0;
    uint32_t series = 0;  // live series (calls and events) that reference this resource
  };
  // One table per metric family (span series, event series).
  struct Table {
    connectors::HashIndex index;
    std::vector<Series> series;
    std::vector<uint32_t> free;
    size_t live = 0;
  };

  uint32_t resourceIndex(model::Attributes attrs);
  void appendSpanDimensions(const model::Span& span, std::string_view service);
  Series& findOrCreate(Table& table, uint32_t resource, uint64_t now, bool with_histogram);
  void recordDuration(Series& s, double value);
  void addExemplar(Series& s, const model::Span& span, double value);
  void erase(Table& table, uint32_t index);
  void expireLocked(uint64_t now);
  void resetAfterFlushLocked(uint64_t now);
  model::Metrics buildLocked(uint64_t now);

  component::Settings settings_;
  Config config_;
  pipeline::MetricsConsumer* next_;
  std::shared_ptr<const connectors::Clock> clock_;
  std::vector<DimensionSpec> dimensions_;
  std::vector<DimensionSpec> event_dimensions_;
  connectors::AttributeLookup attribute_names_;  // the configured `dimensions`, in order
  std::vector<std::string> resource_key_attributes_;
  std::vector<double> bounds_;
  bool exponential_ = false;
  double ns_per_unit_ = 1e6;
  std::string calls_name_, duration_name_, events_name_;

  mutable std::mutex mu_;
  connectors::KeyBuffer key_;           // scratch series key, reused for every span
  connectors::KeyBuffer resource_key_;  // scratch resource key
  std::vector<const model::KeyValue*> resource_scratch_;
  std::vector<const model::AnyValue*> span_values_;      // per configured dimension
  std::vector<const model::AnyValue*> resource_values_;  // of the resource being consumed
  connectors::HashIndex resource_index_;
  std::vector<ResourceEntry> resources_;
  std::vector<uint32_t> free_resources_;
  Table spans_;
  Table events_;
  uint64_t last_flush_ = 0;  // start time of delta points

  connectors::PeriodicRunner runner_;
  std::atomic<bool> shut_down_{false};
  uint64_t pending_overflow_ = 0;  // overflowed spans of the batch being consumed
  telemetry::Counter* overflowed_spans_;
  telemetry::Counter* flush_errors_;
};

}  // namespace periscope::components::spanmetrics
