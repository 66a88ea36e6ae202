#include <gtest/gtest.h>

#include "components/connectors/servicegraph/factory.h"
#include "components/connectors/servicegraph/service_graph_connector.h"
#include "support/null_host.h"
#include "unit/components/connectors/connector_fixture.h"

namespace periscope::components::servicegraph {
namespace {

using connectors::ManualClock;
using model::SpanKind;
using model::StatusCode;
using testing::Labels;
using testing::MetricsSink;
using testing::SpanSpec;
using testing::TraceBuilder;

constexpr uint64_t kT0 = 1'700'000'000'000'000'000ULL;
constexpr uint64_t kMs = 1'000'000;
constexpr const char* kTotal = "traces_service_graph_request_total";
constexpr const char* kFailed = "traces_service_graph_request_failed_total";
constexpr const char* kServer = "traces_service_graph_request_server_seconds";
constexpr const char* kClient = "traces_service_graph_request_client_seconds";
constexpr const char* kUnpaired = "traces_service_graph_unpaired_spans_total";
constexpr const char* kDropped = "traces_service_graph_dropped_spans_total";

struct Fixture {
  explicit Fixture(Config c = Config{}) : config(std::move(c)) {
    EXPECT_TRUE(config.validate().isOk()) << config.validate().message();
    connector = std::make_unique<ServiceGraphConnector>(
        component::Settings{{"servicegraph", ""}, component::Kind::kConnector, ""}, config, &sink,
        clock, registry);
  }
  void send(const TraceBuilder& b) {
    EXPECT_TRUE(pipeline::consumeAndWait(*connector->input().traces, b.build()).isOk());
  }
  const model::Metrics& flush() {
    size_t before = sink.batches.size();
    connector->flush();
    EXPECT_EQ(sink.batches.size(), before + 1);
    return sink.batches.back();
  }
  double selfMetric(const std::string& name) {
    return registry.value(name, {{"connector", "servicegraph"}});
  }

  Config config;
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(kT0);
  telemetry::Registry registry;
  MetricsSink sink;
  std::unique_ptr<ServiceGraphConnector> connector;
};

SpanSpec client(uint32_t trace, uint32_t id, uint64_t duration_ns,
                SpanKind kind = SpanKind::kClient) {
  SpanSpec s;
  s.trace_id = testing::traceId(trace);
  s.span_id = testing::spanId(id);
  s.parent_span_id = testing::spanId(1000 + id);
  s.kind = kind;
  s.duration_ns = duration_ns;
  return s;
}

SpanSpec server(uint32_t trace, uint32_t id, uint32_t parent, uint64_t duration_ns,
                SpanKind kind = SpanKind::kServer) {
  SpanSpec s;
  s.trace_id = testing::traceId(trace);
  s.span_id = testing::spanId(id);
  s.parent_span_id = parent == 0 ? std::string() : testing::spanId(parent);
  s.kind = kind;
  s.duration_ns = duration_ns;
  return s;
}

Labels edge(const std::string& c, const std::string& s, const std::string& type = "") {
  return {{"client", c}, {"server", s}, {"connection_type", type}};
}

std::vector<uint64_t> buckets(const model::HistogramDataPoint* p) {
  return {p->bucket_counts.begin(), p->bucket_counts.end()};
}

TEST(ServiceGraph, PairsClientAndServerSpansWhicheverArrivesFirst) {
  Fixture f;
  TraceBuilder frontend_first, backend_first, later_frontend, later_backend;
  // Trace 1: the client span first; trace 2: the server span first. Separate batches.
  frontend_first.resource({{"service.name", "frontend"}}).span(client(1, 1, 30 * kMs));
  backend_first.resource({{"service.name", "backend"}}).span(server(2, 12, 2, 7 * kMs));
  f.send(frontend_first);
  f.send(backend_first);
  EXPECT_EQ(f.connector->storedEdges(), 2u);
  later_backend.resource({{"service.name", "backend"}}).span(server(1, 11, 1, 20 * kMs));
  later_frontend.resource({{"service.name", "frontend"}}).span(client(2, 2, 9 * kMs));
  f.send(later_backend);
  f.send(later_frontend);
  EXPECT_EQ(f.connector->storedEdges(), 0u);

  f.clock->advance(std::chrono::seconds(60));
  const auto& m = f.flush();
  const auto* total = testing::numberPoint(m, kTotal, edge("frontend", "backend"));
  ASSERT_NE(total, nullptr);
  EXPECT_EQ(total->as_int, 2);
  EXPECT_EQ(total->start_time_unix_nano, kT0);
  EXPECT_EQ(total->time_unix_nano, kT0 + 60'000'000'000ULL);
  EXPECT_TRUE(testing::metricsNamed(m, kFailed).empty());
  const auto* srv = testing::histogramPoint(m, kServer, edge("frontend", "backend"));
  const auto* cli = testing::histogramPoint(m, kClient, edge("frontend", "backend"));
  ASSERT_NE(srv, nullptr);
  ASSERT_NE(cli, nullptr);
  EXPECT_EQ(testing::metricsNamed(m, kServer)[0]->unit, "s");
  // Bounds (s): .002 .004 .006 .008 .01 .05 .1 …: 7ms → (6, 8]ms, 20ms → (10, 50]ms.
  EXPECT_EQ(buckets(srv),
            (std::vector<uint64_t>{0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_DOUBLE_EQ(srv->sum, 0.027);
  // 9ms → (8, 10]ms, 30ms → (10, 50]ms.
  EXPECT_EQ(buckets(cli),
            (std::vector<uint64_t>{0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(cli->count, 2u);
  EXPECT_EQ(f.selfMetric("otelcol_connector_servicegraph_total_edges"), 2);
}

TEST(ServiceGraph, FailedEitherSideCountsAFailedRequest) {
  Fixture f;
  TraceBuilder b;
  auto c = client(1, 1, kMs);
  c.status = StatusCode::kError;
  auto s = server(2, 12, 2, kMs);
  s.status = StatusCode::kError;
  b.resource({{"service.name", "a"}}).span(c).span(client(2, 2, kMs)).span(client(3, 3, kMs));
  b.resource({{"service.name", "b"}})
      .span(server(1, 11, 1, kMs))
      .span(s)
      .span(server(3, 13, 3, kMs));
  f.send(b);
  const auto& m = f.flush();
  EXPECT_EQ(testing::numberPoint(m, kTotal, edge("a", "b"))->as_int, 3);
  const auto* failed = testing::numberPoint(m, kFailed, edge("a", "b"));
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->as_int, 2);
}

TEST(ServiceGraph, ProducerAndConsumerAreAMessagingSystemEdge) {
  Fixture f;
  TraceBuilder b;
  b.resource({{"service.name", "orders"}}).span(client(1, 1, kMs, SpanKind::kProducer));
  b.resource({{"service.name", "mailer"}}).span(server(1, 11, 1, 3 * kMs, SpanKind::kConsumer));
  f.send(b);
  const auto* total =
      testing::numberPoint(f.flush(), kTotal, edge("orders", "mailer", "messaging_system"));
  ASSERT_NE(total, nullptr);
  EXPECT_EQ(total->as_int, 1);
}

TEST(ServiceGraph, DatabaseClientSpansAreCompleteEdgesAtOnce) {
  Fixture f;
  TraceBuilder b;
  auto pg = client(1, 1, 3 * kMs);
  pg.attributes = {{"db.system", "postgresql"}, {"db.name", "orders"}};
  auto redis = client(1, 2, 500'000);
  redis.attributes = {{"db.system", "redis"}};
  b.resource({{"service.name", "api"}}).span(pg).span(redis);
  f.send(b);
  EXPECT_EQ(f.connector->storedEdges(), 0u);
  const auto& m = f.flush();
  EXPECT_EQ(testing::numberPoint(m, kTotal, edge("api", "orders", "database"))->as_int, 1);
  EXPECT_EQ(testing::numberPoint(m, kTotal, edge("api", "redis", "database"))->as_int, 1);
  // Both sides of a database edge are the client's measurement.
  const auto* srv = testing::histogramPoint(m, kServer, edge("api", "orders", "database"));
  const auto* cli = testing::histogramPoint(m, kClient, edge("api", "orders", "database"));
  ASSERT_NE(srv, nullptr);
  ASSERT_NE(cli, nullptr);
  EXPECT_EQ(srv->bucket_counts[1], 1u);
  EXPECT_EQ(cli->bucket_counts[1], 1u);
}

TEST(ServiceGraph, UninstrumentedPeersBecomeVirtualNodesWhenTheEdgeExpires) {
  Config c;
  c.virtual_node_extra_label = true;
  Fixture f(c);
  TraceBuilder b;
  auto stripe = client(1, 1, 200 * kMs);
  stripe.attributes = {{"peer.service", "stripe"}, {"server.address", "api.stripe.com"}};
  auto maps = client(1, 2, 40 * kMs);
  maps.attributes = {{"server.address", "maps.example.com"}};
  b.resource({{"service.name", "checkout"}}).span(stripe).span(maps);
  // The entry span of a trace: its client is the user.
  b.resource({{"service.name", "frontend"}}).span(server(2, 20, 0, 5 * kMs));
  f.send(b);
  EXPECT_EQ(f.connector->storedEdges(), 2u);
  f.clock->advance(std::chrono::milliseconds(1999));
  f.connector->expire();
  EXPECT_EQ(f.connector->storedEdges(), 2u);  // not yet: ttl is 2s
  f.clock->advance(std::chrono::milliseconds(1));
  f.connector->expire();
  EXPECT_EQ(f.connector->storedEdges(), 0u);

  const auto& m = f.flush();
  auto server_virtual = [](Labels l) {
    l["virtual_node"] = "server";
    return l;
  };
  const auto* to_stripe =
      testing::numberPoint(m, kTotal, server_virtual(edge("checkout", "stripe", "virtual_node")));
  const auto* to_maps = testing::numberPoint(
      m, kTotal, server_virtual(edge("checkout", "maps.example.com", "virtual_node")));
  Labels user = edge("user", "frontend", "virtual_node");
  user["virtual_node"] = "client";
  const auto* from_user = testing::numberPoint(m, kTotal, user);
  ASSERT_NE(to_stripe, nullptr);
  ASSERT_NE(to_maps, nullptr);
  ASSERT_NE(from_user, nullptr);
  EXPECT_EQ(to_stripe->as_int + to_maps->as_int + from_user->as_int, 3);
  const auto* cli = testing::histogramPoint(
      m, kClient, server_virtual(edge("checkout", "stripe", "virtual_node")));
  ASSERT_NE(cli, nullptr);
  EXPECT_EQ(cli->bucket_counts[7], 1u);  // 200ms in (100, 200]ms
  EXPECT_TRUE(testing::metricsNamed(m, kUnpaired).empty());
  EXPECT_EQ(f.selfMetric("otelcol_connector_servicegraph_expired_edges"), 2);
}

TEST(ServiceGraph, ExpiredHalvesWithoutAPeerAreCountedAsUnpaired) {
  Fixture f;
  TraceBuilder b;
  b.resource({{"service.name", "a"}}).span(client(1, 1, kMs)).span(client(2, 2, kMs));
  b.resource({{"service.name", "b"}}).span(server(3, 30, 7, kMs, SpanKind::kConsumer));
  f.send(b);
  f.clock->advance(std::chrono::seconds(2));
  f.connector->expire();
  const auto& m = f.flush();
  const auto* a = testing::numberPoint(m, kUnpaired, {{"client", "a"}, {"connection_type", ""}});
  const auto* bsrv = testing::numberPoint(
      m, kUnpaired, {{"server", "b"}, {"connection_type", "messaging_system"}});
  ASSERT_NE(a, nullptr);
  ASSERT_NE(bsrv, nullptr);
  EXPECT_EQ(a->as_int, 2);
  EXPECT_EQ(bsrv->as_int, 1);
  EXPECT_TRUE(testing::metricsNamed(m, kTotal).empty());
  EXPECT_EQ(f.selfMetric("otelcol_connector_servicegraph_expired_edges"), 3);
}

TEST(ServiceGraph, SpansBeyondMaxItemsAreDroppedAndCounted) {
  Config c;
  c.store.max_items = 2;
  Fixture f(c);
  TraceBuilder b;
  b.resource({{"service.name", "a"}});
  for (uint32_t i = 1; i <= 5; ++i) b.span(client(i, i, kMs));
  b.resource({{"service.name", "b"}}).span(server(9, 90, 9, kMs));
  f.send(b);
  EXPECT_EQ(f.connector->storedEdges(), 2u);
  // A span pairing with a stored edge still completes it, full store or not.
  TraceBuilder pair;
  pair.resource({{"service.name", "b"}}).span(server(1, 11, 1, kMs));
  f.send(pair);
  EXPECT_EQ(f.connector->storedEdges(), 1u);
  const auto& m = f.flush();
  EXPECT_EQ(testing::numberPoint(m, kDropped, {{"client", "a"}, {"connection_type", ""}})->as_int,
            3);
  EXPECT_EQ(testing::numberPoint(m, kDropped, {{"server", "b"}, {"connection_type", ""}})->as_int,
            1);
  EXPECT_EQ(testing::numberPoint(m, kTotal, edge("a", "b"))->as_int, 1);
  EXPECT_EQ(f.selfMetric("otelcol_connector_servicegraph_dropped_spans"), 4);
  // A full store first ends its expired edges to make room.
  f.clock->advance(std::chrono::seconds(2));
  TraceBuilder more;
  more.resource({{"service.name", "a"}}).span(client(20, 20, kMs)).span(client(21, 21, kMs));
  f.send(more);
  EXPECT_EQ(f.connector->storedEdges(), 2u);
  EXPECT_EQ(f.selfMetric("otelcol_connector_servicegraph_dropped_spans"), 4);
  EXPECT_EQ(f.selfMetric("otelcol_connector_servicegraph_expired_edges"), 1);
}

TEST(ServiceGraph, DimensionsArePrefixedWithTheSideTheyCameFrom) {
  Config c;
  c.dimensions = {"http.method", "deployment.environment"};
  Fixture f(c);
  TraceBuilder b;
  auto cs = client(1, 1, kMs);
  cs.attributes = {{"http.method", "GET"}};
  b.resource({{"service.name", "a"}, {"deployment.environment", "prod"}}).span(cs);
  b.resource({{"service.name", "b"}}).span(server(1, 11, 1, kMs));
  f.send(b);
  Labels labels = edge("a", "b");
  labels["client_http.method"] = "GET";
  labels["client_deployment.environment"] = "prod";
  const auto* total = testing::numberPoint(f.flush(), kTotal, labels);
  ASSERT_NE(total, nullptr);
  EXPECT_EQ(total->as_int, 1);
}

TEST(ServiceGraph, ZeroFlushIntervalFlushesAfterEveryBatch) {
  Config c;
  c.metrics_flush_interval = std::chrono::seconds(0);
  Fixture f(c);
  TraceBuilder b;
  b.resource({{"service.name", "a"}}).span(client(1, 1, kMs));
  f.send(b);
  EXPECT_TRUE(f.sink.batches.empty());  // nothing recorded yet: nothing to send
  TraceBuilder s;
  s.resource({{"service.name", "b"}}).span(server(1, 11, 1, kMs));
  f.send(s);
  ASSERT_EQ(f.sink.batches.size(), 1u);
  EXPECT_EQ(testing::numberPoint(f.sink.batches[0], kTotal, edge("a", "b"))->as_int, 1);
}

TEST(ServiceGraph, StartsTimersAndFlushesOnceAtShutdown) {
  Fixture f;
  testing::NullHost host;
  ASSERT_TRUE(f.connector->start(host).isOk());  // timers of 2s and 1m: they never fire here
  TraceBuilder b;
  b.resource({{"service.name", "a"}}).span(client(1, 1, kMs));
  b.resource({{"service.name", "b"}}).span(server(1, 11, 1, kMs));
  f.send(b);
  EXPECT_TRUE(f.connector->shutdown(std::chrono::steady_clock::now()).isOk());
  EXPECT_TRUE(f.connector->shutdown(std::chrono::steady_clock::now()).isOk());
  ASSERT_EQ(f.sink.batches.size(), 1u);
  EXPECT_EQ(testing::numberPoint(f.sink.batches[0], kTotal, edge("a", "b"))->as_int, 1);
}

TEST(ServiceGraph, FactoryMakesConnectorsFromTracesToMetrics) {
  auto factory = makeFactory();
  EXPECT_EQ(factory->type(), "servicegraph");
  EXPECT_TRUE(factory->supports(pipeline::Signal::kTraces, pipeline::Signal::kMetrics));
  EXPECT_FALSE(factory->supports(pipeline::Signal::kLogs, pipeline::Signal::kMetrics));
  auto cfg = factory->createDefaultConfig();
  MetricsSink sink;
  pipeline::Consumers next;
  next.metrics = &sink;
  auto from_logs = factory->create({{"servicegraph", ""}, component::Kind::kConnector, ""}, *cfg,
                                   {pipeline::Signal::kLogs}, next);
  ASSERT_FALSE(from_logs.isOk());
  EXPECT_EQ(from_logs.status().message(),
            "servicegraph connector: only traces pipelines can export to it");
  auto ok = factory->create({{"servicegraph", ""}, component::Kind::kConnector, ""}, *cfg,
                            {pipeline::Signal::kTraces}, next);
  ASSERT_TRUE(ok.isOk());
  EXPECT_NE((*ok)->input().traces, nullptr);
}

TEST(ServiceGraph, ConfigDefaultsAndValidation) {
  Config c;
  EXPECT_EQ(c.store.ttl, std::chrono::seconds(2));
  EXPECT_EQ(c.store.max_items, 1000u);
  EXPECT_EQ(c.metrics_flush_interval, std::chrono::seconds(60));
  EXPECT_EQ(c.bounds().size(), 16u);
  EXPECT_DOUBLE_EQ(c.bounds()[0], 0.002);
  EXPECT_TRUE(c.validate().isOk());
  c.store.max_items = 0;
  EXPECT_EQ(c.validate().message(), "store.max_items must be positive");
  c = Config{};
  c.latency_histogram_buckets = {std::chrono::seconds(1), std::chrono::milliseconds(5)};
  EXPECT_EQ(c.validate().message(), "latency_histogram_buckets must be strictly increasing");
}

}  // namespace
}  // namespace periscope::components::servicegraph
