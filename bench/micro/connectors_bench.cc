// The span-to-metrics connectors on the load generator's standard corpus (512-span requests of
// a small shop: frontend → checkout → payment, inventory → database): what each span costs in
// spanmetrics (series key, lookup, histogram) and in servicegraph (edge store pairing, series
// update). Items are spans, so the reported time per item is ns/span.
#include <benchmark/benchmark.h>

#include <vector>

#include "app/loadgen/workload.h"
#include "components/connectors/servicegraph/service_graph_connector.h"
#include "components/connectors/spanmetrics/span_metrics_connector.h"

namespace {

namespace connectors = periscope::components::connectors;
namespace loadgen = periscope::app::loadgen;
namespace model = periscope::model;
namespace pipeline = periscope::pipeline;
constexpr int kSpans = loadgen::kCorpusSpansPerRequest;
constexpr int kBatches = 256;

const std::vector<model::Traces>& batches() {
  static const auto* b = [] {
    auto* v = new std::vector<model::Traces>();
    for (int i = 0; i < kBatches; ++i)
      v->push_back(loadgen::corpusRequest(static_cast<uint64_t>(i), kSpans,
                                          loadgen::Profile::kStandard, 2000));
    return v;
  }();
  return *b;
}

class DiscardMetrics : public pipeline::MetricsConsumer {
 public:
  void consume(model::Metrics&& data, pipeline::Done done) override {
    benchmark::DoNotOptimize(data.itemCount());
    done(periscope::Status::ok());
  }
};

const periscope::component::Settings kSettings{
    {"bench", ""}, periscope::component::Kind::kConnector, ""};

// Feeds the first `state.range(0)` corpus batches, then flushes (256 batches are ~65 s of this
// corpus' traffic at 2,000 spans/s, close to the default 60 s flush interval). Time runs on a
// manual clock at the corpus' pace (0.256 s per batch) and the servicegraph store is expired
// every 2 s of it, as its expiry loop would. With 8 batches the spans stay in cache, as in the
// pipeline where a connector sees a request right after it was decoded; with 256 (60 MB of
// decoded spans) every span is a cache miss.
template <typename Connector, typename Config>
void run(benchmark::State& state, const Config& config) {
  DiscardMetrics sink;
  periscope::telemetry::Registry registry;
  auto clock = std::make_shared<connectors::ManualClock>(loadgen::kCorpusBaseUnixNano);
  Connector connector(kSettings, config, &sink, clock, registry);
  const auto& all = batches();
  const auto n = static_cast<size_t>(state.range(0));
  const auto per_batch = std::chrono::nanoseconds(1'000'000'000LL * kSpans / 2000);
  for (auto _ : state) {
    for (size_t i = 0; i < n; ++i) {
      connector.consume(all[i].share(), [](periscope::Status) {});
      clock->advance(per_batch);
      if constexpr (requires { connector.expire(); }) {
        if (i % 8 == 7) connector.expire();
      }
    }
    connector.flush();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n) * kSpans);
  if constexpr (requires { connector.storedEdges(); }) {
    state.counters["stored_edges"] = static_cast<double>(connector.storedEdges());
    state.counters["dropped_spans"] =
        registry.value("otelcol_connector_servicegraph_dropped_spans", {{"connector", "bench"}});
  }
}

void BM_SpanMetrics(benchmark::State& state) {
  run<periscope::components::spanmetrics::SpanMetricsConnector>(
      state, periscope::components::spanmetrics::Config{});
}
BENCHMARK(BM_SpanMetrics)->Arg(8)->Arg(kBatches)->Unit(benchmark::kMicrosecond);

// With two extra dimensions and exemplars (at most 2 per point): the heavier common setup.
void BM_SpanMetricsDimensionsExemplars(benchmark::State& state) {
  periscope::components::spanmetrics::Config c;
  c.dimensions = {{"http.request.method", std::nullopt}, {"http.response.status_code", "0"}};
  c.exemplars.enabled = true;
  c.exemplars.max_per_data_point = 2;
  run<periscope::components::spanmetrics::SpanMetricsConnector>(state, c);
}
BENCHMARK(BM_SpanMetricsDimensionsExemplars)->Arg(8)->Arg(kBatches)->Unit(benchmark::kMicrosecond);

// In this corpus 5 of every 8 spans never pair (server spans whose parent is a server span,
// client calls to an uninstrumented payment provider), i.e. 1,250 new store entries per second
// at 2,000 spans/s; a 2 s ttl needs store.max_items above 2,500 to drop nothing.
void BM_ServiceGraph(benchmark::State& state) {
  periscope::components::servicegraph::Config c;
  c.store.max_items = 10000;
  run<periscope::components::servicegraph::ServiceGraphConnector>(state, c);
}
BENCHMARK(BM_ServiceGraph)->Arg(8)->Arg(kBatches)->Unit(benchmark::kMicrosecond);

}  // namespace
