#include <gtest/gtest.h>

#include "components/connectors/spanmetrics/factory.h"
#include "components/connectors/spanmetrics/span_metrics_connector.h"
#include "support/null_host.h"
#include "unit/components/connectors/connector_fixture.h"

namespace periscope::components::spanmetrics {
namespace {

using connectors::ManualClock;
using testing::Labels;
using testing::MetricsSink;
using testing::SpanSpec;
using testing::TraceBuilder;

constexpr uint64_t kT0 = 1'700'000'000'000'000'000ULL;
constexpr const char* kCalls = "traces.span.metrics.calls";
constexpr const char* kDuration = "traces.span.metrics.duration";

struct Fixture {
  explicit Fixture(Config c = Config{}) : config(std::move(c)) {
    EXPECT_TRUE(config.validate().isOk()) << config.validate().message();
    auto factory = makeFactory(clock);
    pipeline::Consumers next;
    next.metrics = &sink;
    auto created = factory->create({{"spanmetrics", ""}, component::Kind::kConnector, ""}, config,
                                   {pipeline::Signal::kTraces}, next);
    EXPECT_TRUE(created.isOk());
    component = std::move(*created);
    connector = static_cast<SpanMetricsConnector*>(component.get());
  }
  void send(const TraceBuilder& b) {
    EXPECT_TRUE(pipeline::consumeAndWait(*component->input().traces, b.build()).isOk());
  }
  // Flushes and returns the batch it emitted (the test fails if none was).
  const model::Metrics& flush() {
    size_t before = sink.batches.size();
    connector->flush();
    EXPECT_EQ(sink.batches.size(), before + 1);
    return sink.batches.back();
  }

  Config config;
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(kT0);
  MetricsSink sink;
  std::unique_ptr<pipeline::ConsumerComponent> component;
  SpanMetricsConnector* connector = nullptr;
};

SpanSpec span(std::string name, uint64_t duration_ns,
              model::SpanKind kind = model::SpanKind::kServer,
              model::StatusCode status = model::StatusCode::kUnset, uint32_t id = 1) {
  SpanSpec s;
  s.trace_id = testing::traceId(id);
  s.span_id = testing::spanId(id);
  s.name = std::move(name);
  s.kind = kind;
  s.status = status;
  s.duration_ns = duration_ns;
  return s;
}

Labels dims(const std::string& service, const std::string& name, const std::string& kind,
            const std::string& status) {
  return {
      {"service.name", service}, {"span.name", name}, {"span.kind", kind}, {"status.code", status}};
}

constexpr uint64_t kMs = 1'000'000;

TEST(SpanMetrics, CountsCallsAndPlacesDurationsInTheDefaultBuckets) {
  Fixture f;
  TraceBuilder b;
  b.resource({{"service.name", "checkout"}});
  // Bounds (ms): 2 4 6 8 10 50 100 200 400 800 1000 1400 2000 5000 10000 15000; upper inclusive.
  for (uint64_t ms : {1, 2, 3, 50, 51, 15000, 20000}) b.span(span("GET /cart", ms * kMs));
  b.span(span("GET /cart", 7 * kMs, model::SpanKind::kServer, model::StatusCode::kError));
  b.span(span("SELECT", 500'000, model::SpanKind::kClient, model::StatusCode::kOk));
  b.resource({{"service.name", "payment"}});
  b.span(span("charge", 1400 * kMs));
  f.send(b);

  const auto& m = f.flush();
  ASSERT_EQ(testing::metricsNamed(m, kCalls).size(), 2u);  // one per resource
  const auto* calls_metric = testing::metricsNamed(m, kCalls)[0];
  EXPECT_EQ(calls_metric->type, model::MetricType::kSum);
  EXPECT_TRUE(calls_metric->is_monotonic);
  EXPECT_EQ(calls_metric->aggregation_temporality,
            static_cast<int32_t>(model::AggregationTemporality::kCumulative));
  EXPECT_EQ(testing::metricsNamed(m, kDuration)[0]->unit, "ms");
  EXPECT_EQ(testing::pointCount(m, kCalls), 4u);
  EXPECT_EQ(testing::sumOfInts(m, kCalls), 10);

  auto cart = dims("checkout", "GET /cart", "SPAN_KIND_SERVER", "STATUS_CODE_UNSET");
  const auto* calls = testing::numberPoint(m, kCalls, cart);
  ASSERT_NE(calls, nullptr);
  EXPECT_EQ(calls->as_int, 7);
  EXPECT_EQ(calls->start_time_unix_nano, kT0);
  EXPECT_EQ(calls->time_unix_nano, kT0);
  const auto* h = testing::histogramPoint(m, kDuration, cart);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->count, 7u);
  EXPECT_DOUBLE_EQ(h->sum, 1 + 2 + 3 + 50 + 51 + 15000 + 20000);
  ASSERT_EQ(h->explicit_bounds.size(), 16u);
  EXPECT_DOUBLE_EQ(h->explicit_bounds[0], 2);
  EXPECT_DOUBLE_EQ(h->explicit_bounds[15], 15000);
  std::vector<uint64_t> expected = {2, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1};
  EXPECT_EQ(std::vector<uint64_t>(h->bucket_counts.begin(), h->bucket_counts.end()), expected);

  const auto* err = testing::histogramPoint(
      m, kDuration, dims("checkout", "GET /cart", "SPAN_KIND_SERVER", "STATUS_CODE_ERROR"));
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->bucket_counts[3], 1u);  // 7ms in (6, 8]
  const auto* db = testing::histogramPoint(
      m, kDuration, dims("checkout", "SELECT", "SPAN_KIND_CLIENT", "STATUS_CODE_OK"));
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->bucket_counts[0], 1u);
  EXPECT_DOUBLE_EQ(db->sum, 0.5);
  const auto* charge = testing::histogramPoint(
      m, kDuration, dims("payment", "charge", "SPAN_KIND_SERVER", "STATUS_CODE_UNSET"));
  ASSERT_NE(charge, nullptr);
  EXPECT_EQ(charge->bucket_counts[11], 1u);  // 1400ms: its own bound, inclusive
  // The resource attributes travel with the metrics.
  EXPECT_EQ(testing::labelsOf(m.resources()[1].resource.attributes),
            (Labels{{"service.name", "payment"}}));
}

TEST(SpanMetrics, SecondsUnitAndCustomBucketsAndNamespace) {
  Config c;
  c.namespace_ = "";
  c.histogram.unit = "s";
  c.histogram.explicit_buckets.emplace();
  c.histogram.explicit_buckets->buckets = {std::chrono::milliseconds(100), std::chrono::seconds(1)};
  Fixture f(c);
  TraceBuilder b;
  b.resource({{"service.name", "a"}});
  for (uint64_t ms : {100, 101, 1000, 1001}) b.span(span("x", ms * kMs));
  f.send(b);
  const auto& m = f.flush();
  const auto* h = testing::histogramPoint(m, "duration",
                                          dims("a", "x", "SPAN_KIND_SERVER", "STATUS_CODE_UNSET"));
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(testing::metricsNamed(m, "duration")[0]->unit, "s");
  EXPECT_DOUBLE_EQ(h->explicit_bounds[0], 0.1);
  EXPECT_EQ(std::vector<uint64_t>(h->bucket_counts.begin(), h->bucket_counts.end()),
            (std::vector<uint64_t>{1, 2, 1}));
  EXPECT_DOUBLE_EQ(h->sum, 2.202);
  EXPECT_EQ(testing::sumOfInts(m, "calls"), 4);
}

TEST(SpanMetrics, ConfiguredDimensionsUseSpanThenResourceThenDefault) {
  Config c;
  c.dimensions = {{"http.method", std::string("GET")},
                  {"http.status_code", std::nullopt},
                  {"region", std::nullopt}};
  c.exclude_dimensions = {"status.code"};
  Fixture f(c);
  TraceBuilder b;
  b.resource({{"service.name", "api"}, {"region", "eu"}});
  auto s1 = span("a", kMs);
  s1.attributes = {{"http.method", "POST"}, {"http.status_code", "201"}};
  auto s2 = span("a", kMs);  // no attributes: method defaults to GET, status code is omitted
  auto s3 = span("a", kMs);
  s3.attributes = {{"region", "us"}};  // the span's attribute wins over the resource's
  b.span(s1).span(s2).span(s3);
  f.send(b);
  const auto& m = f.flush();
  EXPECT_EQ(testing::pointCount(m, kCalls), 3u);
  const Labels base = {
      {"service.name", "api"}, {"span.name", "a"}, {"span.kind", "SPAN_KIND_SERVER"}};
  auto with = [&](Labels extra) {
    Labels l = base;
    l.insert(extra.begin(), extra.end());
    return l;
  };
  const auto* p1 = testing::numberPoint(
      m, kCalls, with({{"http.method", "POST"}, {"http.status_code", "201"}, {"region", "eu"}}));
  const auto* p2 =
      testing::numberPoint(m, kCalls, with({{"http.method", "GET"}, {"region", "eu"}}));
  const auto* p3 =
      testing::numberPoint(m, kCalls, with({{"http.method", "GET"}, {"region", "us"}}));
  ASSERT_NE(p1, nullptr);
  ASSERT_NE(p2, nullptr);
  ASSERT_NE(p3, nullptr);
  EXPECT_EQ(p1->as_int + p2->as_int + p3->as_int, 3);
}

TEST(SpanMetrics, CardinalityFloodGoesToOneOverflowSeriesAndTotalsAreConserved) {
  Config c;
  c.aggregation_cardinality_limit = 10;
  Fixture f(c);
  TraceBuilder b;
  b.resource({{"service.name", "flood"}});
  uint64_t total_ms = 0;
  for (int i = 0; i < 1000; ++i) {
    b.span(span("op-" + std::to_string(i % 250), (i % 7 + 1) * kMs));
    total_ms += i % 7 + 1;
  }
  f.send(b);
  // A series admitted before the limit keeps counting.
  TraceBuilder again;
  again.resource({{"service.name", "flood"}}).span(span("op-0", kMs));
  f.send(again);
  total_ms += 1;

  const auto& m = f.flush();
  EXPECT_EQ(testing::pointCount(m, kCalls), 11u);  // 10 admitted + 1 overflow
  EXPECT_EQ(testing::sumOfInts(m, kCalls), 1001);
  const auto* overflow = testing::numberPoint(m, kCalls, {{"otel.metric.overflow", "true"}});
  ASSERT_NE(overflow, nullptr);
  EXPECT_EQ(overflow->as_int, 1001 - 10 * 4 - 1);  // op-0..op-9 got 4 spans each, op-0 one more
  const auto* op0 = testing::numberPoint(
      m, kCalls, dims("flood", "op-0", "SPAN_KIND_SERVER", "STATUS_CODE_UNSET"));
  ASSERT_NE(op0, nullptr);
  EXPECT_EQ(op0->as_int, 5);
  uint64_t hist_count = 0;
  double hist_sum = 0;
  for (const auto* metric : testing::metricsNamed(m, kDuration)) {
    for (const auto& p : metric->histogram_points) {
      hist_count += p.count;
      hist_sum += p.sum;
    }
  }
  EXPECT_EQ(hist_count, 1001u);
  EXPECT_DOUBLE_EQ(hist_sum, static_cast<double>(total_ms));
  EXPECT_EQ(f.connector->seriesCount(), 11u);
}

TEST(SpanMetrics, CumulativeKeepsCountingWhileDeltaStartsAgainEachFlush) {
  for (bool delta : {false, true}) {
    SCOPED_TRACE(delta ? "delta" : "cumulative");
    Config c;
    if (delta) c.aggregation_temporality = "AGGREGATION_TEMPORALITY_DELTA";
    Fixture f(c);
    TraceBuilder b;
    b.resource({{"service.name", "s"}}).span(span("x", 3 * kMs)).span(span("x", 3 * kMs));
    f.send(b);
    f.clock->advance(std::chrono::seconds(60));
    f.flush();
    f.clock->advance(std::chrono::seconds(10));
    TraceBuilder b2;
    b2.resource({{"service.name", "s"}}).span(span("x", 60 * kMs));
    f.send(b2);
    f.clock->advance(std::chrono::seconds(50));
    const auto& m = f.flush();
    const auto labels = dims("s", "x", "SPAN_KIND_SERVER", "STATUS_CODE_UNSET");
    const auto* calls = testing::numberPoint(m, kCalls, labels);
    const auto* h = testing::histogramPoint(m, kDuration, labels);
    ASSERT_NE(calls, nullptr);
    ASSERT_NE(h, nullptr);
    EXPECT_EQ(testing::metricsNamed(m, kCalls)[0]->aggregation_temporality,
              static_cast<int32_t>(delta ? model::AggregationTemporality::kDelta
                                         : model::AggregationTemporality::kCumulative));
    EXPECT_EQ(calls->time_unix_nano, kT0 + 120'000'000'000ULL);
    if (delta) {
      EXPECT_EQ(calls->as_int, 1);
      EXPECT_EQ(calls->start_time_unix_nano, kT0 + 60'000'000'000ULL);  // the previous flush
      EXPECT_EQ(h->count, 1u);
      EXPECT_EQ(h->bucket_counts[1], 0u);
      EXPECT_EQ(h->bucket_counts[6], 1u);
      // Nothing new since: a delta flush sends nothing.
      size_t before = f.sink.batches.size();
      f.connector->flush();
      EXPECT_EQ(f.sink.batches.size(), before);
    } else {
      EXPECT_EQ(calls->as_int, 3);
      EXPECT_EQ(calls->start_time_unix_nano, kT0);
      EXPECT_EQ(h->count, 3u);
      EXPECT_EQ(h->bucket_counts[1], 2u);
      EXPECT_EQ(h->bucket_counts[6], 1u);
    }
  }
}

TEST(SpanMetrics, SeriesNotUpdatedWithinTheExpirationAreDropped) {
  Config c;
  c.metrics_expiration = std::chrono::minutes(5);
  Fixture f(c);
  TraceBuilder old_span;
  old_span.resource({{"service.name", "s"}}).span(span("old", kMs));
  f.send(old_span);
  f.clock->advance(std::chrono::minutes(4));
  TraceBuilder fresh;
  fresh.resource({{"service.name", "s"}}).span(span("fresh", kMs));
  f.send(fresh);
  f.clock->advance(std::chrono::seconds(59));
  EXPECT_EQ(testing::pointCount(f.flush(), kCalls), 2u);  // "old" is 4m59s old
  f.clock->advance(std::chrono::seconds(1));
  const auto& m = f.flush();  // "old" is now 5m old
  EXPECT_EQ(testing::pointCount(m, kCalls), 1u);
  EXPECT_NE(
      testing::numberPoint(m, kCalls, dims("s", "fresh", "SPAN_KIND_SERVER", "STATUS_CODE_UNSET")),
      nullptr);
  EXPECT_EQ(f.connector->seriesCount(), 1u);
  // A span of an expired series starts it again from zero.
  f.send(old_span);
  const auto* again = testing::numberPoint(
      f.flush(), kCalls, dims("s", "old", "SPAN_KIND_SERVER", "STATUS_CODE_UNSET"));
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->as_int, 1);
  EXPECT_EQ(again->start_time_unix_nano, kT0 + 300'000'000'000ULL);
}

TEST(SpanMetrics, ExemplarsCarryTraceAndSpanIdsUpToTheLimitAndAreClearedByAFlush) {
  Config c;
  c.exemplars.enabled = true;
  c.exemplars.max_per_data_point = 2;
  Fixture f(c);
  TraceBuilder b;
  b.resource({{"service.name", "s"}});
  for (uint32_t id = 1; id <= 3; ++id) {
    b.span(span("x", id * kMs, model::SpanKind::kServer, model::StatusCode::kUnset, id));
  }
  f.send(b);
  const auto labels = dims("s", "x", "SPAN_KIND_SERVER", "STATUS_CODE_UNSET");
  {
    const auto& m = f.flush();
    const auto* h = testing::histogramPoint(m, kDuration, labels);
    ASSERT_NE(h, nullptr);
    ASSERT_EQ(h->exemplars.size(), 2u);
    EXPECT_EQ(h->exemplars[0].trace_id, testing::traceId(1));
    EXPECT_EQ(h->exemplars[0].span_id, testing::spanId(1));
    EXPECT_DOUBLE_EQ(h->exemplars[0].as_double, 1.0);
    EXPECT_EQ(h->exemplars[1].trace_id, testing::traceId(2));
    EXPECT_DOUBLE_EQ(h->exemplars[1].as_double, 2.0);
    EXPECT_EQ(testing::numberPoint(m, kCalls, labels)->exemplars.size(), 2u);
  }
  const auto* h = testing::histogramPoint(f.flush(), kDuration, labels);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->exemplars.size(), 0u);
  EXPECT_EQ(h->count, 3u);
}

TEST(SpanMetrics, ExponentialHistogramLowersItsScaleToFitMaxSize) {
  Config c;
  c.histogram.exponential.emplace();
  c.histogram.exponential->max_size = 160;
  Fixture f(c);
  TraceBuilder b;
  b.resource({{"service.name", "s"}});
  for (uint64_t ms : {1, 2, 4}) b.span(span("x", ms * kMs));
  b.span(span("x", 0));
  f.send(b);
  const auto& m = f.flush();
  const auto metrics = testing::metricsNamed(m, kDuration);
  ASSERT_EQ(metrics.size(), 1u);
  ASSERT_EQ(metrics[0]->type, model::MetricType::kExponentialHistogram);
  ASSERT_EQ(metrics[0]->exponential_points.size(), 1u);
  const auto& p = metrics[0]->exponential_points[0];
  // 1, 2 and 4 are exact bucket upper bounds: indexes -1, 2^s - 1, 2^(s+1) - 1 at scale s; the
  // range fits 160 buckets from scale 6 down.
  EXPECT_EQ(p.scale, 6);
  EXPECT_EQ(p.count, 4u);
  EXPECT_EQ(p.zero_count, 1u);
  EXPECT_DOUBLE_EQ(p.sum, 7);
  EXPECT_EQ(p.positive.offset, -1);
  ASSERT_EQ(p.positive.bucket_counts.size(), 129u);
  EXPECT_EQ(p.positive.bucket_counts[0], 1u);
  EXPECT_EQ(p.positive.bucket_counts[64], 1u);
  EXPECT_EQ(p.positive.bucket_counts[128], 1u);
  uint64_t total = 0;
  for (auto n : p.positive.bucket_counts) total += n;
  EXPECT_EQ(total, 3u);
}

TEST(SpanMetrics, ExponentialIndexesMatchTheBucketDefinition) {
  EXPECT_EQ(ExponentialHistogram::indexOf(1.0, 0), -1);
  EXPECT_EQ(ExponentialHistogram::indexOf(1.5, 0), 0);
  EXPECT_EQ(ExponentialHistogram::indexOf(2.0, 0), 0);
  EXPECT_EQ(ExponentialHistogram::indexOf(2.5, 0), 1);
  EXPECT_EQ(ExponentialHistogram::indexOf(0.3, 0), -2);  // (0.25, 0.5]
  EXPECT_EQ(ExponentialHistogram::indexOf(5.0, -1), 1);  // base 4: (4, 16]
  EXPECT_EQ(ExponentialHistogram::indexOf(1.5, 1), 1);   // base sqrt2: (1.414, 2]
  EXPECT_EQ(ExponentialHistogram::indexOf(1.3, 1), 0);   // (1, 1.414]
}

TEST(SpanMetrics, HistogramDisableEmitsOnlyCalls) {
  Config c;
  c.histogram.disable = true;
  Fixture f(c);
  TraceBuilder b;
  b.resource({{"service.name", "s"}}).span(span("x", kMs));
  f.send(b);
  const auto& m = f.flush();
  EXPECT_EQ(testing::pointCount(m, kCalls), 1u);
  EXPECT_TRUE(testing::metricsNamed(m, kDuration).empty());
}

TEST(SpanMetrics, EventsCounterHasSpanAndEventDimensions) {
  Config c;
  c.events.enabled = true;
  c.events.dimensions = {{"exception.type", std::nullopt}};
  Fixture f(c);
  TraceBuilder b;
  auto s = span("x", kMs, model::SpanKind::kServer, model::StatusCode::kError);
  s.events = {{{"exception.type", "Timeout"}}, {{"exception.type", "Timeout"}}, {{"other", "1"}}};
  b.resource({{"service.name", "s"}}).span(s);
  f.send(b);
  const auto& m = f.flush();
  auto labels = dims("s", "x", "SPAN_KIND_SERVER", "STATUS_CODE_ERROR");
  auto with_type = labels;
  with_type["exception.type"] = "Timeout";
  const auto* timeouts = testing::numberPoint(m, "traces.span.metrics.events", with_type);
  const auto* untyped = testing::numberPoint(m, "traces.span.metrics.events", labels);
  ASSERT_NE(timeouts, nullptr);
  ASSERT_NE(untyped, nullptr);
  EXPECT_EQ(timeouts->as_int, 2);
  EXPECT_EQ(untyped->as_int, 1);
}

TEST(SpanMetrics, ResourcesMergeOnTheKeyAttributesAndNeedAServiceName) {
  Config c;
  c.resource_metrics_key_attributes = {"service.name"};
  Fixture f(c);
  TraceBuilder b;
  b.resource({{"service.name", "s"}, {"process.pid", "1"}}).span(span("x", kMs));
  b.resource({{"process.pid", "2"}, {"service.name", "s"}}).span(span("x", kMs));
  b.resource({{"process.pid", "3"}}).span(span("x", kMs));  // no service.name: not counted
  f.send(b);
  const auto& m = f.flush();
  ASSERT_EQ(m.resources().size(), 1u);
  EXPECT_EQ(testing::labelsOf(m.resources()[0].resource.attributes),
            (Labels{{"service.name", "s"}}));
  EXPECT_EQ(testing::sumOfInts(m, kCalls), 2);
  // A resource seen without spans leaves nothing behind after a flush.
  TraceBuilder empty;
  empty.resource({{"service.name", "idle"}});
  f.send(empty);
  EXPECT_EQ(f.flush().resources().size(), 1u);
  EXPECT_EQ(f.connector->seriesCount(), 1u);
}

TEST(SpanMetrics, NothingIsSentWithoutSeriesAndShutdownFlushesOnce) {
  Fixture f;
  testing::NullHost host;
  ASSERT_TRUE(f.component->start(host).isOk());  // the flush timer (1m) never fires here
  f.connector->flush();
  EXPECT_TRUE(f.sink.batches.empty());
  TraceBuilder b;
  b.resource({{"service.name", "s"}}).span(span("x", kMs));
  f.send(b);
  EXPECT_TRUE(f.component->shutdown(std::chrono::steady_clock::now()).isOk());
  EXPECT_TRUE(f.component->shutdown(std::chrono::steady_clock::now()).isOk());
  EXPECT_EQ(f.sink.batches.size(), 1u);
}

TEST(SpanMetrics, FactoryOnlyConnectsTracesToMetrics) {
  auto factory = makeFactory();
  EXPECT_EQ(factory->type(), "spanmetrics");
  EXPECT_EQ(factory->kind(), component::Kind::kConnector);
  EXPECT_TRUE(factory->supports(pipeline::Signal::kTraces, pipeline::Signal::kMetrics));
  EXPECT_FALSE(factory->supports(pipeline::Signal::kMetrics, pipeline::Signal::kMetrics));
  EXPECT_FALSE(factory->supports(pipeline::Signal::kTraces, pipeline::Signal::kLogs));
  auto cfg = factory->createDefaultConfig();
  auto no_metrics = factory->create({{"spanmetrics", ""}, component::Kind::kConnector, ""}, *cfg,
                                    {pipeline::Signal::kTraces}, pipeline::Consumers{});
  ASSERT_FALSE(no_metrics.isOk());
  EXPECT_EQ(no_metrics.status().message(),
            "spanmetrics connector: no metrics pipeline receives from it");
}

TEST(SpanMetrics, ConfigValidationNamesTheField) {
  struct Case {
    std::function<void(Config&)> change;
    std::string message;
  };
  std::vector<Case> cases = {
      {[](Config& c) {
         c.dimensions = {{"span.kind", std::nullopt}};
       },
       "dimensions: duplicate dimension name span.kind"},
      {[](Config& c) {
         c.dimensions = {{"a", std::nullopt}, {"a", std::nullopt}};
       },
       "dimensions: duplicate dimension name a"},
      {[](Config& c) {
         c.histogram.explicit_buckets.emplace();
         c.histogram.exponential.emplace();
       },
       "histogram: use either explicit or exponential buckets, not both"},
      {[](Config& c) { c.events.enabled = true; },
       "events.dimensions: no dimensions configured for events"},
      {[](Config& c) { c.metrics_flush_interval = std::chrono::seconds(0); },
       "metrics_flush_interval must be positive"},
      {[](Config& c) { c.exclude_dimensions = {"http.method"}; },
       "exclude_dimensions: http.method is not a default dimension (service.name, span.name, "
       "span.kind, status.code)"},
      {[](Config& c) {
         c.histogram.explicit_buckets.emplace();
         c.histogram.explicit_buckets->buckets = {std::chrono::seconds(2), std::chrono::seconds(1)};
       },
       "histogram.explicit.buckets must be strictly increasing"},
  };
  for (const auto& tc : cases) {
    Config c;
    tc.change(c);
    EXPECT_EQ(c.validate().message(), tc.message);
  }
  EXPECT_TRUE(Config{}.validate().isOk());
}

}  // namespace
}  // namespace periscope::components::spanmetrics
