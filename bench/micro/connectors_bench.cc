// The span-to-metrics connectors on the load generator's standard corpus (512-span requests of
// a small shop: frontend → checkout → payment, inventory → database): what each span costs in
// spanmetrics (series key, lookup, histogram) and in servicegraph (edge store pairing, series
// update). Items are spans, so the reported time per item is ns/span.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstring>
#include <string>
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

// A fully instrumented stream where every request pairs: per trace, frontend SERVER (root) →
// frontend CLIENT → checkout SERVER → checkout CLIENT → payment SERVER, plus a checkout CLIENT
// span to postgresql; 8 attributes per span, one resource per service, 512 spans per batch.
std::vector<model::Traces> pairedBatches(int count) {
  struct Shape {
    int service;  // 0 frontend, 1 checkout, 2 payment
    model::SpanKind kind;
    int parent;  // index in the trace, -1 = root
    bool db;
  };
  static constexpr Shape kTrace[] = {
      {0, model::SpanKind::kServer, -1, false}, {0, model::SpanKind::kClient, 0, false},
      {1, model::SpanKind::kServer, 1, false},  {1, model::SpanKind::kClient, 2, false},
      {2, model::SpanKind::kServer, 3, false},  {1, model::SpanKind::kClient, 2, true}};
  constexpr int kPerTrace = 6;
  constexpr const char* kNames[] = {"frontend", "checkout", "payment"};
  std::vector<model::Traces> out;
  uint64_t id = 1;
  for (int b = 0; b < count; ++b) {
    model::Traces t;
    periscope::Arena& a = t.arena();
    const int traces = kSpans / kPerTrace;
    std::vector<std::vector<model::Span>> by_service(3);
    for (int k = 0; k < traces; ++k) {
      std::string trace(16, '\0');
      std::memcpy(trace.data(), &id, 8);
      std::string_view trace_id = a.copy(trace);
      std::string_view ids[kPerTrace];
      for (int i = 0; i < kPerTrace; ++i) {
        ++id;
        std::string sid(8, '\1');
        std::memcpy(sid.data(), &id, 8);
        ids[i] = a.copy(sid);
        const Shape& shape = kTrace[i];
        model::Span s;
        s.trace_id = trace_id;
        s.span_id = ids[i];
        if (shape.parent >= 0) s.parent_span_id = ids[shape.parent];
        s.kind = static_cast<int32_t>(shape.kind);
        s.name = shape.db ? "SELECT orders" : "POST /api";
        s.start_time_unix_nano = loadgen::kCorpusBaseUnixNano + id * 1000;
        s.end_time_unix_nano = s.start_time_unix_nano + 1'000'000 + (id * 7919) % 300'000'000;
        auto attrs = a.allocArray<model::KeyValue>(8);
        attrs[0] = {"http.request.method", model::AnyValue::string("POST")};
        attrs[1] = {"http.route", model::AnyValue::string("/api")};
        attrs[2] = {"http.response.status_code", model::AnyValue::integer(200)};
        attrs[3] = {"url.scheme", model::AnyValue::string("https")};
        attrs[4] = {"network.protocol.version", model::AnyValue::string("1.1")};
        attrs[5] = {"user_agent.original", model::AnyValue::string("Mozilla/5.0")};
        attrs[6] = shape.db ? model::KeyValue{"db.system", model::AnyValue::string("postgresql")}
                            : model::KeyValue{"server.port", model::AnyValue::integer(8080)};
        attrs[7] = shape.db ? model::KeyValue{"db.name", model::AnyValue::string("orders")}
                            : model::KeyValue{"server.address", model::AnyValue::string("api")};
        s.attributes = attrs;
        by_service[static_cast<size_t>(shape.service)].push_back(s);
      }
    }
    for (size_t svc = 0; svc < 3; ++svc) {
      model::ResourceSpans rs;
      rs.has_resource = true;
      auto rattrs = a.allocArray<model::KeyValue>(3);
      rattrs[0] = {"service.name", model::AnyValue::string(kNames[svc])};
      rattrs[1] = {"telemetry.sdk.language", model::AnyValue::string("go")};
      rattrs[2] = {"host.name", model::AnyValue::string("node-1")};
      rs.resource.attributes = rattrs;
      auto scopes = a.allocArray<model::ScopeSpans>(1);
      scopes[0].spans = a.copyArray<model::Span>(by_service[svc]);
      rs.scope_spans = scopes;
      t.resources().push_back(rs);
    }
    out.push_back(std::move(t));
  }
  return out;
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
void run(benchmark::State& state, const Config& config,
         const std::vector<model::Traces>& all = batches()) {
  DiscardMetrics sink;
  periscope::telemetry::Registry registry;
  auto clock = std::make_shared<connectors::ManualClock>(loadgen::kCorpusBaseUnixNano);
  Connector connector(kSettings, config, &sink, clock, registry);
  const auto n = std::min(static_cast<size_t>(state.range(0)), all.size());
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
  size_t spans = 0;
  for (size_t i = 0; i < n; ++i) spans += all[i].itemCount();
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(spans));
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

// Every request pairs (pairedBatches): the store only holds spans until their other half
// arrives in the same batch.
void BM_ServiceGraphPaired(benchmark::State& state) {
  static const auto paired = pairedBatches(kBatches);
  run<periscope::components::servicegraph::ServiceGraphConnector>(
      state, periscope::components::servicegraph::Config{}, paired);
}
BENCHMARK(BM_ServiceGraphPaired)->Arg(8)->Arg(kBatches)->Unit(benchmark::kMicrosecond);

void BM_SpanMetricsPaired(benchmark::State& state) {
  static const auto paired = pairedBatches(kBatches);
  run<periscope::components::spanmetrics::SpanMetricsConnector>(
      state, periscope::components::spanmetrics::Config{}, paired);
}
BENCHMARK(BM_SpanMetricsPaired)->Arg(8)->Arg(kBatches)->Unit(benchmark::kMicrosecond);

}  // namespace
