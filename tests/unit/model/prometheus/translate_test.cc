// Translator: OTLP metrics → Prometheus series per the OpenTelemetry compatibility spec, checked
// as exact exposition-like lines `name{labels} value @t_ms`.
#include "model/prometheus/translate.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "support/metrics_builder.h"

namespace periscope::model::prom {
namespace {

using periscope::testing::addResource;
using periscope::testing::arenaArray;
using periscope::testing::gauge;
using periscope::testing::kv;
using periscope::testing::numberPoint;
using periscope::testing::sum;

struct CollectingSink : SampleSink {
  std::vector<std::string> lines;
  std::vector<MetricMetadata> meta;
  void metadata(const MetricMetadata& md) override { meta.push_back(md); }
  void sample(std::span<const LabelRef> labels, int64_t t, double v) override {
    std::string name, rest;
    for (size_t i = 0; i < labels.size(); ++i) {
      // Sorted and unique, as the SampleSink contract promises.
      if (i > 0) {
        EXPECT_LT(labels[i - 1].name, labels[i].name);
      }
      if (labels[i].name == kMetricNameLabel) {
        name = labels[i].value;
        continue;
      }
      if (!rest.empty()) rest += ',';
      rest += std::string(labels[i].name) + "=\"" + std::string(labels[i].value) + '"';
    }
    std::string value = isStaleNaN(v) ? "stale" : std::string(formatFloat(v).view());
    lines.push_back(name + "{" + rest + "} " + value + " @" + std::to_string(t));
  }
};

std::vector<std::string> translate(Translator& tr, const Metrics& b,
                                   TranslateStats* stats = nullptr) {
  CollectingSink sink;
  TranslateStats s = tr.translate(b, sink);
  if (stats) *stats = s;
  EXPECT_EQ(s.samples, sink.lines.size());
  return sink.lines;
}

Metric metricOf(std::string_view name, std::string_view unit, MetricType type) {
  Metric m;
  m.name = name;
  m.unit = unit;
  m.type = type;
  return m;
}

TEST(MetricNames, UnitAndTypeSuffixes) {
  struct Case {
    std::string_view name, unit;
    MetricType type;
    bool monotonic;
    std::string want;
  };
  const Case cases[] = {
      {"http.server.duration", "s", MetricType::kHistogram, false, "http_server_duration_seconds"},
      {"http.server.duration", "ms", MetricType::kHistogram, false,
       "http_server_duration_milliseconds"},
      {"system.network.dropped", "{packets}", MetricType::kSum, true,
       "system_network_dropped_total"},
      {"system.memory.utilization", "1", MetricType::kGauge, false,
       "system_memory_utilization_ratio"},
      {"requests", "1", MetricType::kSum, true, "requests_total"},
      {"throughput", "By/s", MetricType::kGauge, false, "throughput_bytes_per_second"},
      {"events", "{event}/s", MetricType::kGauge, false, "events_per_second"},
      {"foo_total", "", MetricType::kSum, true, "foo_total"},
      {"process.runtime.bytes", "By", MetricType::kGauge, false, "process_runtime_bytes"},
      {"latency_seconds", "s", MetricType::kGauge, false, "latency_seconds"},
      {"queue.size", "packets", MetricType::kGauge, false, "queue_size_packets"},
      {"9lives", "", MetricType::kGauge, false, "_9lives"},
      {"a..b//c", "ms", MetricType::kSum, false, "a_b_c_milliseconds"},
      {"ns:metric", "", MetricType::kGauge, false, "ns:metric"},
      {"energy", "kWh", MetricType::kSum, true, "energy_kWh_total"},
  };
  for (const Case& c : cases) {
    Metric m = metricOf(c.name, c.unit, c.type);
    m.is_monotonic = c.monotonic;
    EXPECT_EQ(prometheusMetricName(m, true), c.want) << c.name << " [" << c.unit << "]";
  }
  Metric m = metricOf("http.server.duration", "s", MetricType::kHistogram);
  EXPECT_EQ(prometheusMetricName(m, false), "http_server_duration");
}

TEST(MetricNames, LabelSanitizing) {
  EXPECT_EQ(sanitizeLabelName("http.method"), "http_method");
  EXPECT_EQ(sanitizeLabelName("2xx"), "key_2xx");
  EXPECT_EQ(sanitizeLabelName("a..b"), "a_b");
  EXPECT_EQ(sanitizeLabelName("a.-b"), "a_b");
  EXPECT_EQ(sanitizeLabelName("ok_name"), "ok_name");
  EXPECT_EQ(sanitizeLabelName("ns:x"), "ns_x");
  EXPECT_EQ(sanitizeMetricName("ns:x.y"), "ns:x_y");
  EXPECT_EQ(unitWord("By"), "bytes");
  EXPECT_EQ(unitWord("us"), "microseconds");
  EXPECT_EQ(unitWord("furlongs"), "furlongs");
}

TEST(FormatFloat, MatchesGoShortestG) {
  EXPECT_EQ(formatFloat(0.005).view(), "0.005");
  EXPECT_EQ(formatFloat(1).view(), "1");
  EXPECT_EQ(formatFloat(2.5).view(), "2.5");
  EXPECT_EQ(formatFloat(0).view(), "0");
  EXPECT_EQ(formatFloat(-0.5).view(), "-0.5");
  EXPECT_EQ(formatFloat(100000).view(), "100000");
  EXPECT_EQ(formatFloat(1e6).view(), "1e+06");
  EXPECT_EQ(formatFloat(123456789).view(), "1.23456789e+08");
  EXPECT_EQ(formatFloat(0.0001).view(), "0.0001");
  EXPECT_EQ(formatFloat(0.00001).view(), "1e-05");
  EXPECT_EQ(formatFloat(1e-128).view(), "1e-128");
  EXPECT_EQ(formatFloat(0.1 + 0.2).view(), "0.30000000000000004");
  EXPECT_EQ(formatFloat(std::numeric_limits<double>::infinity()).view(), "+Inf");
  EXPECT_EQ(formatFloat(-std::numeric_limits<double>::infinity()).view(), "-Inf");
  EXPECT_EQ(formatFloat(std::nan("")).view(), "NaN");
}

TEST(Translator, GaugeWithResourceScopeAndTargetInfo) {
  Metrics b;
  Arena& a = b.arena();
  addResource(
      b,
      {kv("service.name", "api"), kv("service.namespace", "shop"),
       kv("service.instance.id", "pod-1"), kv("host.name", "h1")},
      "io.opentelemetry.runtime", "1.2.0",
      {gauge("memory.used", "By",
             arenaArray(a, {numberPoint(a, {kv("pool", "heap"), kv("Zone", "z")}, 1000, 42)}))});
  Translator tr;
  CollectingSink sink;
  tr.translate(b, sink);
  EXPECT_EQ(
      sink.lines,
      (std::vector<std::string>{
          R"(memory_used_bytes{Zone="z",instance="pod-1",job="shop/api",otel_scope_name="io.opentelemetry.runtime",otel_scope_version="1.2.0",pool="heap"} 42 @1000)",
          R"(target_info{host_name="h1",instance="pod-1",job="shop/api"} 1 @1000)"}));
  ASSERT_EQ(sink.meta.size(), 2u);
  EXPECT_EQ(sink.meta[0].family, "memory_used_bytes");
  EXPECT_EQ(sink.meta[0].kind, MetricKind::kGauge);
  EXPECT_EQ(sink.meta[0].unit, "bytes");
  EXPECT_EQ(sink.meta[1].family, "target_info");
}

TEST(Translator, NoTargetInfoWithoutNonIdentifyingAttributes) {
  Metrics b;
  Arena& a = b.arena();
  addResource(b, {kv("service.name", "api")}, "", "",
              {gauge("up", "", arenaArray(a, {numberPoint(a, {}, 5, 1)}))});
  Translator tr;
  EXPECT_EQ(translate(tr, b), (std::vector<std::string>{R"(up{job="api"} 1 @5)"}));

  TranslateOptions no_info;
  no_info.add_target_info = false;
  no_info.resource_to_telemetry_conversion = true;
  Metrics b2;
  Arena& a2 = b2.arena();
  addResource(
      b2, {kv("service.name", "api"), kv("k8s.pod.name", "p")}, "", "",
      {gauge("up", "", arenaArray(a2, {numberPoint(a2, {kv("k8s.pod.name", "q")}, 5, 1)}))});
  Translator tr2(no_info);
  // Point attributes win over copied resource attributes of the same name.
  EXPECT_EQ(
      translate(tr2, b2),
      (std::vector<std::string>{R"(up{job="api",k8s_pod_name="q",service_name="api"} 1 @5)"}));
}

TEST(Translator, AttributeCollisionsJoinByOriginalKeyAndNonStringValues) {
  Metrics b;
  Arena& a = b.arena();
  NumberDataPoint p = numberPoint(a, {}, 7, 1);
  AnyValue arr_items[] = {AnyValue::string("x\""), AnyValue::integer(1)};
  p.attributes = arenaArray<KeyValue>(a, {kv("a_b", "2"),
                                          kv("a.b", "1"),
                                          kv("a-b", "3"),
                                          {"n", AnyValue::integer(-5)},
                                          {"ok", AnyValue::boolean(true)},
                                          {"ratio", AnyValue::dbl(0.25)},
                                          {"list", AnyValue::array(arr_items)},
                                          kv("empty", ""),
                                          kv("job", "overridden")});
  addResource(b, {kv("service.name", "svc")}, "", "", {gauge("g", "", arenaArray(a, {p}))});
  Translator tr;
  EXPECT_EQ(
      translate(tr, b),
      (std::vector<std::string>{
          R"(g{a_b="3;1;2",job="svc",list="["x\"",1]",n="-5",ok="true",ratio="0.25"} 1 @7)"}));
}

TEST(Translator, CumulativeCounterAndNonMonotonicSum) {
  Metrics b;
  Arena& a = b.arena();
  NumberDataPoint ip = numberPoint(a, {kv("code", "200")}, 2000, 0);
  ip.value_type = NumberValue::kInt;
  ip.as_int = 17;
  addResource(b, {}, "", "",
              {sum("http.requests", "{request}", true, AggregationTemporality::kCumulative,
                   arenaArray(a, {ip})),
               sum("queue.depth", "", false, AggregationTemporality::kCumulative,
                   arenaArray(a, {numberPoint(a, {}, 2000, -3)}))});
  Translator tr;
  CollectingSink sink;
  tr.translate(b, sink);
  EXPECT_EQ(sink.lines, (std::vector<std::string>{R"(http_requests_total{code="200"} 17 @2000)",
                                                  R"(queue_depth{} -3 @2000)"}));
  ASSERT_EQ(sink.meta.size(), 2u);
  EXPECT_EQ(sink.meta[0].kind, MetricKind::kCounter);
  EXPECT_EQ(sink.meta[0].family, "http_requests_total");
  EXPECT_EQ(sink.meta[1].kind, MetricKind::kGauge);
}

TEST(Translator, DeltaSumsAccumulateAndRejectOldPoints) {
  Translator tr;
  auto batch = [](std::initializer_list<std::pair<int64_t, double>> pts) {
    Metrics b;
    Arena& a = b.arena();
    std::vector<NumberDataPoint> ps;
    for (auto [t, v] : pts) ps.push_back(numberPoint(a, {}, t, v));
    addResource(b, {}, "", "",
                {sum("c", "", true, AggregationTemporality::kDelta,
                     a.copyArray<NumberDataPoint>(std::span<const NumberDataPoint>(ps)))});
    return b;
  };
  EXPECT_EQ(translate(tr, batch({{1000, 2}, {2000, 3}})),
            (std::vector<std::string>{"c_total{} 2 @1000", "c_total{} 5 @2000"}));
  TranslateStats stats;
  EXPECT_EQ(translate(tr, batch({{2000, 9}, {3000, 1}}), &stats),
            (std::vector<std::string>{"c_total{} 6 @3000"}));
  EXPECT_EQ(stats.skipped_points, 1u);
  EXPECT_EQ(stats.first_skip_reason, "delta point not after the previous one (metric c)");

  // Non-monotonic delta sums are dropped, as the spec says.
  Metrics b;
  Arena& a = b.arena();
  addResource(b, {}, "", "",
              {sum("updown", "", false, AggregationTemporality::kDelta,
                   arenaArray(a, {numberPoint(a, {}, 1, 1)}))});
  EXPECT_EQ(translate(tr, b, &stats), std::vector<std::string>{});
  EXPECT_EQ(stats.skipped_points, 1u);
}

TEST(Translator, DeltaStateExpiresAfterTtl) {
  TranslateOptions opt;
  opt.delta_state_ttl_ms = 1000;
  Translator tr(opt);
  auto batch = [](std::string_view series, int64_t t, double v) {
    Metrics b;
    Arena& a = b.arena();
    addResource(b, {}, "", "",
                {sum("c", "", true, AggregationTemporality::kDelta,
                     arenaArray(a, {numberPoint(a, {kv("s", series)}, t, v)}))});
    return b;
  };
  EXPECT_EQ(translate(tr, batch("a", 1000, 5)),
            (std::vector<std::string>{R"(c_total{s="a"} 5 @1000)"}));
  EXPECT_EQ(translate(tr, batch("a", 1500, 1)),
            (std::vector<std::string>{R"(c_total{s="a"} 6 @1500)"}));
  // Series b moves time on by more than the TTL: a's state is dropped and a restarts.
  EXPECT_EQ(translate(tr, batch("b", 5000, 1)),
            (std::vector<std::string>{R"(c_total{s="b"} 1 @5000)"}));
  EXPECT_EQ(translate(tr, batch("a", 5100, 2)),
            (std::vector<std::string>{R"(c_total{s="a"} 2 @5100)"}));
}

HistogramDataPoint histPoint(Arena& a, int64_t t, std::initializer_list<double> bounds,
                             std::initializer_list<uint64_t> counts, uint64_t count, double s) {
  HistogramDataPoint p;
  p.time_unix_nano = static_cast<uint64_t>(t) * 1'000'000;
  p.explicit_bounds = arenaArray(a, bounds);
  p.bucket_counts = arenaArray(a, counts);
  p.count = count;
  p.has_sum = true;
  p.sum = s;
  return p;
}

Metric histogram(std::string_view name, AggregationTemporality temp,
                 std::span<HistogramDataPoint> pts) {
  Metric m = metricOf(name, "s", MetricType::kHistogram);
  m.aggregation_temporality = static_cast<int32_t>(temp);
  m.histogram_points = pts;
  return m;
}

TEST(Translator, CumulativeHistogramBuckets) {
  Metrics b;
  Arena& a = b.arena();
  HistogramDataPoint p = histPoint(a, 60000, {0.1, 1}, {1, 2, 3}, 6, 7.5);
  p.attributes = arenaArray(a, {kv("route", "/")});
  HistogramDataPoint nobuckets = histPoint(a, 60000, {}, {}, 4, 1);
  nobuckets.has_sum = false;
  addResource(b, {}, "", "",
              {histogram("rpc.duration", AggregationTemporality::kCumulative,
                         arenaArray(a, {p, nobuckets}))});
  Translator tr;
  CollectingSink sink;
  tr.translate(b, sink);
  EXPECT_EQ(sink.lines, (std::vector<std::string>{
                            R"(rpc_duration_seconds_bucket{le="0.1",route="/"} 1 @60000)",
                            R"(rpc_duration_seconds_bucket{le="1",route="/"} 3 @60000)",
                            R"(rpc_duration_seconds_bucket{le="+Inf",route="/"} 6 @60000)",
                            R"(rpc_duration_seconds_count{route="/"} 6 @60000)",
                            R"(rpc_duration_seconds_sum{route="/"} 7.5 @60000)",
                            R"(rpc_duration_seconds_bucket{le="+Inf"} 4 @60000)",
                            R"(rpc_duration_seconds_count{} 4 @60000)"}));
  ASSERT_EQ(sink.meta.size(), 1u);
  EXPECT_EQ(sink.meta[0].family, "rpc_duration_seconds");
  EXPECT_EQ(sink.meta[0].kind, MetricKind::kHistogram);
  EXPECT_EQ(sink.meta[0].unit, "seconds");
}

TEST(Translator, DeltaHistogramAccumulates) {
  Translator tr;
  auto batch = [](int64_t t, std::initializer_list<uint64_t> counts, uint64_t count, double s) {
    Metrics b;
    Arena& a = b.arena();
    addResource(b, {}, "", "",
                {histogram("d", AggregationTemporality::kDelta,
                           arenaArray(a, {histPoint(a, t, {1}, counts, count, s)}))});
    return b;
  };
  translate(tr, batch(1000, {1, 1}, 2, 3));
  EXPECT_EQ(translate(tr, batch(2000, {2, 0}, 2, 1)),
            (std::vector<std::string>{
                R"(d_seconds_bucket{le="1"} 3 @2000)", R"(d_seconds_bucket{le="+Inf"} 4 @2000)",
                R"(d_seconds_count{} 4 @2000)", R"(d_seconds_sum{} 4 @2000)"}));
}

Metric expHistogram(std::span<ExponentialHistogramDataPoint> pts) {
  Metric m = metricOf("e", "ms", MetricType::kExponentialHistogram);
  m.aggregation_temporality = static_cast<int32_t>(AggregationTemporality::kCumulative);
  m.exponential_points = pts;
  return m;
}

TEST(Translator, ExponentialHistogramAsClassicBuckets) {
  Metrics b;
  Arena& a = b.arena();
  ExponentialHistogramDataPoint p;
  p.time_unix_nano = 1'000'000'000;
  p.scale = 0;
  p.zero_count = 1;
  p.positive.offset = 0;
  p.positive.bucket_counts = arenaArray<uint64_t>(a, {1, 2});  // (1,2], (2,4]
  p.negative.bucket_counts = arenaArray<uint64_t>(a, {4});
  p.count = 8;
  p.has_sum = true;
  p.sum = 3;
  ExponentialHistogramDataPoint fine;  // scale 1: boundaries at powers of sqrt(2)
  fine.time_unix_nano = 1'000'000'000;
  fine.scale = 1;
  fine.zero_threshold = 1e-9;
  fine.positive.offset = -1;
  fine.positive.bucket_counts = arenaArray<uint64_t>(a, {1, 1, 1});
  fine.count = 3;
  addResource(b, {kv("service.name", "s")}, "", "", {expHistogram(arenaArray(a, {p}))});
  addResource(b, {kv("service.name", "t")}, "", "", {expHistogram(arenaArray(a, {fine}))});
  Translator tr;
  EXPECT_EQ(
      translate(tr, b),
      (std::vector<std::string>{R"(e_milliseconds_bucket{job="s",le="0"} 5 @1000)",
                                R"(e_milliseconds_bucket{job="s",le="2"} 6 @1000)",
                                R"(e_milliseconds_bucket{job="s",le="4"} 8 @1000)",
                                R"(e_milliseconds_bucket{job="s",le="+Inf"} 8 @1000)",
                                R"(e_milliseconds_count{job="s"} 8 @1000)",
                                R"(e_milliseconds_sum{job="s"} 3 @1000)",
                                R"(e_milliseconds_bucket{job="t",le="1e-09"} 0 @1000)",
                                R"(e_milliseconds_bucket{job="t",le="1"} 1 @1000)",
                                R"(e_milliseconds_bucket{job="t",le="1.4142135623730951"} 2 @1000)",
                                R"(e_milliseconds_bucket{job="t",le="2"} 3 @1000)",
                                R"(e_milliseconds_bucket{job="t",le="+Inf"} 3 @1000)",
                                R"(e_milliseconds_count{job="t"} 3 @1000)"}));
}

TEST(Translator, ExponentialHistogramDownscalesPastScale8) {
  Metrics b;
  Arena& a = b.arena();
  ExponentialHistogramDataPoint p;
  p.scale = 10;
  p.positive.offset = 0;
  p.positive.bucket_counts = arenaArray<uint64_t>(a, {1, 1, 1, 1, 1});  // indexes 0..4
  p.count = 5;
  addResource(b, {}, "", "", {expHistogram(arenaArray(a, {p}))});
  Translator tr;
  // At scale 8 indexes 0..3 merge into bucket 0 and index 4 becomes bucket 1.
  std::string le0(formatFloat(std::exp2(1.0 / 256)).view());
  std::string le1(formatFloat(std::exp2(2.0 / 256)).view());
  EXPECT_EQ(
      translate(tr, b),
      (std::vector<std::string>{
          R"(e_milliseconds_bucket{le="0"} 0 @0)", "e_milliseconds_bucket{le=\"" + le0 + "\"} 4 @0",
          "e_milliseconds_bucket{le=\"" + le1 + "\"} 5 @0",
          R"(e_milliseconds_bucket{le="+Inf"} 5 @0)", R"(e_milliseconds_count{} 5 @0)"}));
}

TEST(Translator, SummaryQuantiles) {
  Metrics b;
  Arena& a = b.arena();
  SummaryDataPoint p;
  p.time_unix_nano = 3'000'000;
  p.count = 10;
  p.sum = 12.5;
  p.quantile_values = arenaArray<ValueAtQuantile>(a, {{0.5, 1.0}, {0.99, 2.5}});
  Metric m = metricOf("gc.pause", "s", MetricType::kSummary);
  m.summary_points = arenaArray(a, {p});
  addResource(b, {}, "", "", {m});
  Translator tr;
  EXPECT_EQ(
      translate(tr, b),
      (std::vector<std::string>{
          R"(gc_pause_seconds{quantile="0.5"} 1 @3)", R"(gc_pause_seconds{quantile="0.99"} 2.5 @3)",
          R"(gc_pause_seconds_count{} 10 @3)", R"(gc_pause_seconds_sum{} 12.5 @3)"}));
}

TEST(Translator, NoRecordedValueBecomesStaleMarker) {
  Metrics b;
  Arena& a = b.arena();
  NumberDataPoint g = numberPoint(a, {}, 9, 0);
  g.flags = 1;
  g.value_type = NumberValue::kNone;
  HistogramDataPoint h = histPoint(a, 9, {1}, {0, 0}, 0, 0);
  h.flags = 1;
  addResource(b, {}, "", "",
              {gauge("g", "", arenaArray(a, {g})),
               histogram("h", AggregationTemporality::kCumulative, arenaArray(a, {h}))});
  Translator tr;
  CollectingSink sink;
  tr.translate(b, sink);
  EXPECT_EQ(sink.lines,
            (std::vector<std::string>{"g{} stale @9", R"(h_seconds_bucket{le="1"} stale @9)",
                                      R"(h_seconds_bucket{le="+Inf"} stale @9)",
                                      "h_seconds_count{} stale @9", "h_seconds_sum{} stale @9"}));
}

TEST(Translator, UnrepresentablePointsAreCountedNotEmitted) {
  Metrics b;
  Arena& a = b.arena();
  Metric unspecified = sum("s", "", true, AggregationTemporality::kUnspecified,
                           arenaArray(a, {numberPoint(a, {}, 1, 1)}));
  HistogramDataPoint bad = histPoint(a, 1, {1, 2}, {1}, 1, 1);
  addResource(
      b, {}, "", "",
      {unspecified, histogram("h", AggregationTemporality::kCumulative, arenaArray(a, {bad}))});
  Translator tr;
  TranslateStats stats;
  EXPECT_EQ(translate(tr, b, &stats), std::vector<std::string>{});
  EXPECT_EQ(stats.skipped_points, 2u);
  EXPECT_EQ(stats.first_skip_reason, "unspecified temporality (metric s)");
}

}  // namespace
}  // namespace periscope::model::prom
