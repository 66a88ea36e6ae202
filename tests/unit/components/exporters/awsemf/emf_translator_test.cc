#include "components/exporters/awsemf/emf_translator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "support/metrics_builder.h"
#include "unit/components/exporters/awsemf/emf_validator.h"

namespace periscope::components::awsemf_exporter {
namespace {

using nlohmann::json;
using periscope::testing::addResource;
using periscope::testing::arenaArray;
using periscope::testing::kv;
using periscope::testing::numberPoint;

constexpr int64_t kT = 1700000000000;
constexpr int64_t kNow = 1700000099000;

// Translates and checks every produced event with the EMF validator.
std::vector<LogEvent> translate(EmfTranslator& t, const model::Metrics& m,
                                TranslateStats* stats = nullptr) {
  std::vector<LogEvent> out;
  TranslateStats s = t.translate(m, kNow, out);
  if (stats) *stats = s;
  EXPECT_EQ(s.events, out.size());
  for (const auto& e : out) {
    auto violations = testing::emfViolations(e.message);
    EXPECT_TRUE(violations.empty())
        << e.message << "\nfirst violation: " << (violations.empty() ? "" : violations.front());
  }
  return out;
}

Config noRollup() {
  Config c;
  c.dimension_rollup_option = "NoDimensionRollup";
  return c;
}

model::Metrics gaugeBatch(std::initializer_list<model::KeyValue> attrs, std::string_view scope,
                          std::string_view unit = "By") {
  model::Metrics batch;
  Arena& a = batch.arena();
  auto points = arenaArray(a, {numberPoint(a, attrs, kT, 7)});
  addResource(batch, {kv("service.name", "shop")}, scope, "",
              {periscope::testing::gauge("queue.depth", unit, points)});
  return batch;
}

TEST(AwsEmfTranslator, GaugeGoldenWithDefaultRollup) {
  Config c;
  EmfTranslator t(c);
  auto events = translate(t, gaugeBatch({kv("queue", "a")}, "lib"));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].timestamp_ms, kT);
  EXPECT_EQ(events[0].message,
            R"({"_aws":{"Timestamp":1700000000000,"CloudWatchMetrics":[{"Namespace":"shop",)"
            R"("Dimensions":[["OTelLib"],["OTelLib","queue"]],"Metrics":[{"Name":"queue.depth",)"
            R"("Unit":"Bytes"}]}]},"OTelLib":"lib","queue":"a","queue.depth":7.0})");
}

TEST(AwsEmfTranslator, NamespaceFromConfigOrServiceNamespaceAndName) {
  Config c;
  c.namespace_ = "Custom";
  EmfTranslator t(c);
  auto events = translate(t, gaugeBatch({}, ""));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(json::parse(events[0].message)["_aws"]["CloudWatchMetrics"][0]["Namespace"], "Custom");

  Config d;
  EmfTranslator t2(d);
  model::Metrics batch;
  Arena& a = batch.arena();
  auto points = arenaArray(a, {numberPoint(a, {}, kT, 1)});
  addResource(batch, {kv("service.name", "cart"), kv("service.namespace", "shop")}, "", "",
              {periscope::testing::gauge("g", "", points)});
  model::Metrics none;
  Arena& b = none.arena();
  auto p2 = arenaArray(b, {numberPoint(b, {}, kT, 1)});
  addResource(none, {kv("host.name", "h")}, "", "", {periscope::testing::gauge("g", "", p2)});
  EXPECT_EQ(
      json::parse(translate(t2, batch)[0].message)["_aws"]["CloudWatchMetrics"][0]["Namespace"],
      "shop/cart");
  EXPECT_EQ(
      json::parse(translate(t2, none)[0].message)["_aws"]["CloudWatchMetrics"][0]["Namespace"],
      "default");
}

json dimensionsFor(const std::string& option) {
  Config c;
  c.dimension_rollup_option = option;
  EmfTranslator t(c);
  auto events = translate(t, gaugeBatch({kv("b", "2"), kv("a", "1")}, ""));
  EXPECT_EQ(events.size(), 1u);
  return json::parse(events.at(0).message)["_aws"]["CloudWatchMetrics"][0]["Dimensions"];
}

TEST(AwsEmfTranslator, DimensionRollupOptions) {
  EXPECT_EQ(dimensionsFor("NoDimensionRollup"), json::parse(R"([["a","b"]])"));
  EXPECT_EQ(dimensionsFor("SingleDimensionRollupOnly"), json::parse(R"([["a","b"],["a"],["b"]])"));
  EXPECT_EQ(dimensionsFor("ZeroAndSingleDimensionRollup"),
            json::parse(R"([["a","b"],[],["a"],["b"]])"));
}

TEST(AwsEmfTranslator, GroupsPointsWithSameLabelsAndTime) {
  Config c = noRollup();
  EmfTranslator t(c);
  model::Metrics batch;
  Arena& a = batch.arena();
  auto p1 = arenaArray(
      a, {numberPoint(a, {kv("k", "v")}, kT, 1), numberPoint(a, {kv("k", "v")}, kT + 1000, 3)});
  auto p2 = arenaArray(a, {numberPoint(a, {kv("k", "v")}, kT, 2)});
  addResource(
      batch, {}, "", "",
      {periscope::testing::gauge("m1", "s", p1), periscope::testing::gauge("m2", "ms", p2)});
  auto events = translate(t, batch);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].message,
            R"({"_aws":{"Timestamp":1700000000000,"CloudWatchMetrics":[{"Namespace":"default",)"
            R"("Dimensions":[["k"]],"Metrics":[{"Name":"m1","Unit":"Seconds"},{"Name":"m2",)"
            R"("Unit":"Milliseconds"}]}]},"k":"v","m1":1.0,"m2":2.0})");
  EXPECT_EQ(events[1].timestamp_ms, kT + 1000);
  EXPECT_EQ(json::parse(events[1].message)["m1"], 3.0);
}

model::Metrics cumulativeSum(double value, double attr_value_unused = 0) {
  (void)attr_value_unused;
  model::Metrics batch;
  Arena& a = batch.arena();
  auto points = arenaArray(a, {numberPoint(a, {kv("route", "/a")}, kT, value)});
  addResource(batch, {}, "", "",
              {periscope::testing::sum("requests", "1", true,
                                       model::AggregationTemporality::kCumulative, points)});
  return batch;
}

TEST(AwsEmfTranslator, CumulativeSumsBecomeDeltasFirstPointDropped) {
  Config c = noRollup();
  EmfTranslator t(c);
  TranslateStats stats;
  EXPECT_TRUE(translate(t, cumulativeSum(10), &stats).empty());
  EXPECT_EQ(stats.first_cumulative_points, 1u);
  auto second = translate(t, cumulativeSum(15));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(json::parse(second[0].message)["requests"], 5.0);
  // No unit: "1" maps to none.
  EXPECT_FALSE(
      json::parse(second[0].message)["_aws"]["CloudWatchMetrics"][0]["Metrics"][0].contains(
          "Unit"));
  auto reset = translate(t, cumulativeSum(3));  // below the previous value: a reset
  EXPECT_EQ(json::parse(reset.at(0).message)["requests"], 3.0);
  EXPECT_EQ(json::parse(translate(t, cumulativeSum(4)).at(0).message)["requests"], 1.0);
}

TEST(AwsEmfTranslator, RetainInitialValueOfDeltaMetric) {
  Config c = noRollup();
  c.retain_initial_value_of_delta_metric = true;
  EmfTranslator t(c);
  auto first = translate(t, cumulativeSum(10));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(json::parse(first[0].message)["requests"], 10.0);
}

TEST(AwsEmfTranslator, DeltaSumsAndGaugesPassThrough) {
  Config c = noRollup();
  EmfTranslator t(c);
  model::Metrics batch;
  Arena& a = batch.arena();
  auto points = arenaArray(a, {numberPoint(a, {}, kT, 4)});
  addResource(
      batch, {}, "", "",
      {periscope::testing::sum("d", "", true, model::AggregationTemporality::kDelta, points)});
  EXPECT_EQ(json::parse(translate(t, batch).at(0).message)["d"], 4.0);
}

TEST(AwsEmfTranslator, HistogramGoldenIsAStatisticSet) {
  Config c = noRollup();
  EmfTranslator t(c);
  model::Metrics batch;
  Arena& a = batch.arena();
  model::HistogramDataPoint p;
  p.attributes = arenaArray(a, {kv("route", "/a")});
  p.time_unix_nano = kT * 1'000'000;
  p.count = 4;
  p.sum = 10;
  p.has_min = p.has_max = true;
  p.min = 1;
  p.max = 5;
  model::Metric m;
  m.name = "latency";
  m.unit = "ms";
  m.type = model::MetricType::kHistogram;
  m.aggregation_temporality = 1;
  m.histogram_points = arenaArray(a, {p});
  addResource(batch, {}, "", "", {m});
  auto events = translate(t, batch);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].message,
            R"({"_aws":{"Timestamp":1700000000000,"CloudWatchMetrics":[{"Namespace":"default",)"
            R"("Dimensions":[["route"]],"Metrics":[{"Name":"latency","Unit":"Milliseconds"}]}]},)"
            R"("route":"/a","latency":{"Max":5.0,"Min":1.0,"Count":4,"Sum":10.0}})");
}

model::Metric exponential(Arena& a, std::initializer_list<uint64_t> positive, uint64_t zero,
                          std::initializer_list<uint64_t> negative, uint64_t count) {
  model::ExponentialHistogramDataPoint p;
  p.time_unix_nano = kT * 1'000'000;
  p.scale = 0;
  p.count = count;
  p.sum = 9;
  p.has_min = p.has_max = true;
  p.min = -2;
  p.max = 4;
  p.zero_count = zero;
  p.positive.bucket_counts = arenaArray(a, positive);
  p.negative.bucket_counts = arenaArray(a, negative);
  model::Metric m;
  m.name = "size";
  m.type = model::MetricType::kExponentialHistogram;
  m.aggregation_temporality = 1;
  m.exponential_points = arenaArray(a, {p});
  return m;
}

TEST(AwsEmfTranslator, ExponentialHistogramGoldenHasValuesAndCounts) {
  Config c = noRollup();
  EmfTranslator t(c);
  model::Metrics batch;
  Arena& a = batch.arena();
  // scale 0: bucket i is (2^i, 2^(i+1)]; midpoints 1.5 and 3.
  addResource(batch, {}, "", "", {exponential(a, {1, 2}, 1, {1}, 5)});
  auto events = translate(t, batch);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(json::parse(events[0].message)["size"],
            json::parse(R"({"Values":[3.0,1.5,0.0,-1.5],"Counts":[2.0,1.0,1.0,1.0],)"
                        R"("Max":4.0,"Min":-2.0,"Count":5,"Sum":9.0})"));
}

TEST(AwsEmfTranslator, ExponentialHistogramWithMoreThan100BucketsIsSplit) {
  Config c = noRollup();
  EmfTranslator t(c);
  model::Metrics batch;
  Arena& a = batch.arena();
  model::Metric m = exponential(a, {}, 0, {}, 250);
  std::vector<uint64_t> ones(250, 1);
  m.exponential_points[0].positive.bucket_counts =
      a.copyArray<uint64_t>(std::span<const uint64_t>(ones));
  m.exponential_points[0].scale = 3;
  addResource(batch, {}, "", "", {m});
  auto events = translate(t, batch);
  ASSERT_EQ(events.size(), 3u);
  double total_count = 0, total_sum = 0;
  size_t values = 0;
  for (const auto& e : events) {
    json v = json::parse(e.message)["size"];
    values += v["Values"].size();
    total_count += v["Count"].get<double>();
    total_sum += v["Sum"].get<double>();
  }
  EXPECT_EQ(values, 250u);
  EXPECT_EQ(total_count, 250.0);
  EXPECT_EQ(total_sum, 9.0);
}

model::Metrics summaryBatch(Arena*& arena_out, model::Metrics& batch) {
  Arena& a = batch.arena();
  arena_out = &a;
  model::SummaryDataPoint p;
  p.time_unix_nano = kT * 1'000'000;
  p.count = 3;
  p.sum = 6;
  p.quantile_values = arenaArray(a, {model::ValueAtQuantile{0, 1}, model::ValueAtQuantile{0.5, 2},
                                     model::ValueAtQuantile{1, 3}});
  model::Metric m;
  m.name = "rpc";
  m.unit = "s";
  m.type = model::MetricType::kSummary;
  m.summary_points = arenaArray(a, {p});
  addResource(batch, {}, "", "", {m});
  return std::move(batch);
}

TEST(AwsEmfTranslator, SummaryIsAStatisticSetFromItsQuantiles) {
  Config c = noRollup();
  EmfTranslator t(c);
  Arena* a = nullptr;
  model::Metrics batch;
  auto events = translate(t, summaryBatch(a, batch));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(json::parse(events[0].message)["rpc"],
            json::parse(R"({"Max":3.0,"Min":1.0,"Count":3,"Sum":6.0})"));
}

TEST(AwsEmfTranslator, DetailedSummaryHasSumCountAndQuantileDimension) {
  Config c = noRollup();
  c.detailed_metrics = true;
  EmfTranslator t(c);
  Arena* a = nullptr;
  model::Metrics batch;
  auto events = translate(t, summaryBatch(a, batch));
  ASSERT_EQ(events.size(), 4u);  // {rpc_sum, rpc_count} + one per quantile
  json first = json::parse(events[0].message);
  EXPECT_EQ(first["rpc_sum"], 6.0);
  EXPECT_EQ(first["rpc_count"], 3.0);
  std::map<std::string, double> by_quantile;
  for (size_t i = 1; i < events.size(); ++i) {
    json e = json::parse(events[i].message);
    EXPECT_EQ(e["_aws"]["CloudWatchMetrics"][0]["Dimensions"], json::parse(R"([["quantile"]])"));
    by_quantile[e["quantile"].get<std::string>()] = e["rpc"].get<double>();
  }
  EXPECT_EQ(by_quantile, (std::map<std::string, double>{{"0", 1}, {"0.5", 2}, {"1", 3}}));
}

TEST(AwsEmfTranslator, MetricDeclarationsSelectMetricsAndDimensions) {
  Config c = noRollup();
  MetricDeclarationConfig d;
  d.dimensions = {{"svc"}, {"svc", "route"}, {"svc", "missing"}};
  d.metric_name_selectors = {"^latency$"};
  d.label_matchers = {LabelMatcher{{"svc"}, ";", "^shop$"}};
  c.metric_declarations = {d};
  EmfTranslator t(c);
  auto batchFor = [](std::string_view svc) {
    model::Metrics batch;
    Arena& a = batch.arena();
    auto p1 = arenaArray(a, {numberPoint(a, {kv("svc", svc), kv("route", "/a")}, kT, 1)});
    auto p2 = arenaArray(a, {numberPoint(a, {kv("svc", svc), kv("route", "/a")}, kT, 2)});
    addResource(
        batch, {}, "", "",
        {periscope::testing::gauge("latency", "", p1), periscope::testing::gauge("other", "", p2)});
    return batch;
  };
  TranslateStats stats;
  auto events = translate(t, batchFor("shop"), &stats);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].message,
            R"({"_aws":{"Timestamp":1700000000000,"CloudWatchMetrics":[{"Namespace":"default",)"
            R"("Dimensions":[["svc"],["route","svc"]],"Metrics":[{"Name":"latency"}]}]},)"
            R"("route":"/a","svc":"shop","latency":1.0})");
  EXPECT_EQ(stats.unmatched_metrics, 1u);              // "other"
  EXPECT_TRUE(translate(t, batchFor("web")).empty());  // label matcher fails
}

TEST(AwsEmfTranslator, MetricDeclarationsWithRollupAddRolledUpSets) {
  Config c;  // ZeroAndSingleDimensionRollup
  MetricDeclarationConfig d;
  d.dimensions = {{"svc", "route"}};
  d.metric_name_selectors = {"lat"};
  c.metric_declarations = {d};
  EmfTranslator t(c);
  model::Metrics batch;
  Arena& a = batch.arena();
  auto p = arenaArray(a, {numberPoint(a, {kv("svc", "s"), kv("route", "/a")}, kT, 1)});
  addResource(batch, {}, "", "", {periscope::testing::gauge("latency", "", p)});
  auto events = translate(t, batch);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(json::parse(events[0].message)["_aws"]["CloudWatchMetrics"][0]["Dimensions"],
            json::parse(R"([["route","svc"],[],["route"],["svc"]])"));
}

TEST(AwsEmfTranslator, MoreThan100MetricsAreSplitNeverTruncated) {
  Config c = noRollup();
  EmfTranslator t(c);
  model::Metrics batch;
  Arena& a = batch.arena();
  std::vector<std::string> names;
  for (int i = 0; i < 250; ++i) names.push_back("metric_" + std::to_string(i));
  std::vector<model::Metric> metrics;
  for (const auto& n : names) {
    auto p = arenaArray(a, {numberPoint(a, {kv("host", "h1")}, kT, 1)});
    metrics.push_back(periscope::testing::gauge(n, "", p));
  }
  model::ScopeMetrics sm;
  sm.metrics = a.copyArray<model::Metric>(std::span<const model::Metric>(metrics));
  model::ResourceMetrics rm;
  rm.scope_metrics = arenaArray(a, {sm});
  batch.resources().push_back(rm);
  TranslateStats stats;
  auto events = translate(t, batch, &stats);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(stats.directive_splits, 2u);
  std::multiset<std::string> seen;
  std::vector<size_t> sizes;
  for (const auto& e : events) {
    json j = json::parse(e.message);
    ASSERT_EQ(j["_aws"]["CloudWatchMetrics"].size(), 1u);
    const json& defs = j["_aws"]["CloudWatchMetrics"][0]["Metrics"];
    sizes.push_back(defs.size());
    for (const auto& d : defs) seen.insert(d["Name"].get<std::string>());
    EXPECT_EQ(j["host"], "h1");
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{100, 100, 50}));
  EXPECT_EQ(seen, std::multiset<std::string>(names.begin(), names.end()));
}

TEST(AwsEmfTranslator, MoreThan30DimensionsAreSplitIntoSets) {
  Config c = noRollup();
  EmfTranslator t(c);
  model::Metrics batch;
  Arena& a = batch.arena();
  std::vector<std::string> keys;
  for (int i = 0; i < 35; ++i) keys.push_back("dim" + std::to_string(100 + i));
  std::vector<model::KeyValue> attrs;
  for (const auto& k : keys) attrs.push_back(kv(k, "v"));
  model::NumberDataPoint p = numberPoint(a, {}, kT, 1);
  p.attributes = a.copyArray<model::KeyValue>(std::span<const model::KeyValue>(attrs));
  addResource(batch, {}, "", "", {periscope::testing::gauge("g", "", arenaArray(a, {p}))});
  TranslateStats stats;
  auto events = translate(t, batch, &stats);
  ASSERT_EQ(events.size(), 1u);
  json sets = json::parse(events[0].message)["_aws"]["CloudWatchMetrics"][0]["Dimensions"];
  ASSERT_EQ(sets.size(), 2u);
  EXPECT_EQ(sets[0].size(), 30u);
  EXPECT_EQ(sets[1].size(), 5u);
  std::set<std::string> covered;
  for (const auto& s : sets)
    for (const auto& k : s) covered.insert(k.get<std::string>());
  EXPECT_EQ(covered, std::set<std::string>(keys.begin(), keys.end()));
  EXPECT_EQ(stats.dimension_set_splits, 1u);
}

TEST(AwsEmfTranslator, LabelsOutsideCloudWatchRulesAreNotDimensions) {
  Config c = noRollup();
  EmfTranslator t(c);
  std::string long_key(300, 'k');
  std::string long_value(2000, 'v');
  TranslateStats stats;
  auto events = translate(
      t, gaugeBatch({kv("ok", "1"), kv("empty", ""), kv(long_key, "x"), kv("big", long_value)}, ""),
      &stats);
  ASSERT_EQ(events.size(), 1u);
  json j = json::parse(events[0].message);
  EXPECT_EQ(j["_aws"]["CloudWatchMetrics"][0]["Dimensions"], json::parse(R"([["ok"]])"));
  EXPECT_EQ(j["big"], long_value);  // still a member of the event
  EXPECT_EQ(stats.invalid_dimensions, 3u);
}

TEST(AwsEmfTranslator, NonFiniteValuesAreDroppedAndCounted) {
  Config c = noRollup();
  EmfTranslator t(c);
  model::Metrics batch;
  Arena& a = batch.arena();
  auto p = arenaArray(a, {numberPoint(a, {}, kT, std::nan("")), numberPoint(a, {}, kT + 1, 2)});
  addResource(batch, {}, "", "", {periscope::testing::gauge("g", "", p)});
  TranslateStats stats;
  auto events = translate(t, batch, &stats);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(stats.non_finite_values, 1u);
}

TEST(AwsEmfTranslator, EventsOverOneMegabyteAreSplitByMetrics) {
  Config c = noRollup();
  EmfTranslator t(c);
  model::Metrics batch;
  Arena& a = batch.arena();
  std::vector<std::string> names;
  for (int i = 0; i < 100; ++i) names.push_back(std::to_string(i) + std::string(11000, 'n'));
  std::vector<model::Metric> metrics;
  for (const auto& n : names) {
    metrics.push_back(periscope::testing::gauge(n, "", arenaArray(a, {numberPoint(a, {}, kT, 1)})));
  }
  model::ScopeMetrics sm;
  sm.metrics = a.copyArray<model::Metric>(std::span<const model::Metric>(metrics));
  model::ResourceMetrics rm;
  rm.scope_metrics = arenaArray(a, {sm});
  batch.resources().push_back(rm);
  auto events = translate(t, batch);
  EXPECT_EQ(events.size(), 4u);  // 2.2 MB → halves of 1.1 MB → quarters
  // Metric names are long: compare their numeric prefixes, so a failure prints little.
  std::multiset<int> seen;
  for (const auto& e : events) {
    EXPECT_LE(e.message.size(), kMaxEventBytes);
    json j = json::parse(e.message);
    for (const auto& d : j["_aws"]["CloudWatchMetrics"][0]["Metrics"]) {
      std::string name = d["Name"].get<std::string>();
      EXPECT_TRUE(j.contains(name));
      seen.insert(std::stoi(name));
    }
  }
  std::multiset<int> expected;
  for (int i = 0; i < 100; ++i) expected.insert(i);
  EXPECT_EQ(seen, expected);
}

TEST(AwsEmfTranslator, ResourceToTelemetryConversionAndMetricDescriptors) {
  Config c = noRollup();
  c.resource_to_telemetry_conversion.enabled = true;
  c.metric_descriptors = {MetricDescriptor{"queue.depth", "Count", true}};
  EmfTranslator t(c);
  auto events = translate(t, gaugeBatch({kv("queue", "a")}, ""));
  ASSERT_EQ(events.size(), 1u);
  json j = json::parse(events[0].message);
  EXPECT_EQ(j["_aws"]["CloudWatchMetrics"][0]["Dimensions"],
            json::parse(R"([["queue","service.name"]])"));
  EXPECT_EQ(j["_aws"]["CloudWatchMetrics"][0]["Metrics"][0]["Unit"], "Count");
}

TEST(AwsEmfTranslator, ParseJsonEncodedAttrValues) {
  Config c = noRollup();
  c.parse_json_encoded_attr_values = {"meta"};
  EmfTranslator t(c);
  auto events = translate(t, gaugeBatch({kv("meta", R"({"a":[1,2]})"), kv("k", "v")}, ""));
  ASSERT_EQ(events.size(), 1u);
  json j = json::parse(events[0].message);
  EXPECT_EQ(j["meta"], json::parse(R"({"a":[1,2]})"));
  EXPECT_EQ(j["_aws"]["CloudWatchMetrics"][0]["Dimensions"], json::parse(R"([["k"]])"));
}

TEST(AwsEmfValidator, RejectsBrokenEvents) {
  EXPECT_FALSE(testing::emfViolations("[1]").empty());
  EXPECT_FALSE(
      testing::emfViolations(R"({"_aws":{"Timestamp":"1","CloudWatchMetrics":[]}})").empty());
  // Dimension without a root member, metric without a value, bad unit.
  EXPECT_EQ(testing::emfViolations(
                R"({"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"n","Dimensions":)"
                R"([["d"]],"Metrics":[{"Name":"m","Unit":"ms","StorageResolution":5}]}]}})")
                .size(),
            4u);
  EXPECT_TRUE(testing::emfViolations(
                  R"({"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"n","Dimensions":)"
                  R"([["d"]],"Metrics":[{"Name":"m","Unit":"Seconds","StorageResolution":1}]}]},)"
                  R"("d":"x","m":[1,2]})")
                  .empty());
}

}  // namespace
}  // namespace periscope::components::awsemf_exporter

namespace periscope::components::awsemf_exporter {
namespace {

TEST(AwsEmfTranslator, DuplicatePointKeepsTheFirstLikeTheCollector) {
  Config c;
  c.dimension_rollup_option = "NoDimensionRollup";
  EmfTranslator t(c);
  model::Metrics batch;
  Arena& a = batch.arena();
  auto p = periscope::testing::arenaArray(a, {periscope::testing::numberPoint(a, {}, kT, 1),
                                              periscope::testing::numberPoint(a, {}, kT, 2)});
  periscope::testing::addResource(batch, {}, "", "", {periscope::testing::gauge("g", "", p)});
  auto events = translate(t, batch);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(json::parse(events[0].message)["g"], 1.0);
}

}  // namespace
}  // namespace periscope::components::awsemf_exporter
