#include "components/exporters/prometheus/latest_values.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "support/metrics_builder.h"
#include "support/temp_dir.h"

namespace periscope::components::prometheus_exporter {
namespace {

namespace prom = model::prom;
using periscope::testing::arenaArray;
using periscope::testing::kv;
using periscope::testing::numberPoint;
using Clock = LatestValues::Clock;

const Clock::time_point kT0{std::chrono::hours(1)};

model::Metrics sampleBatch(double requests, double depth) {
  model::Metrics batch;
  Arena& a = batch.arena();
  model::Metric counter =
      testing::sum("http.server.requests", "1", true, model::AggregationTemporality::kCumulative,
                   arenaArray(a, {numberPoint(a, {kv("http.route", "/a\"b\\c")}, 2000, requests),
                                  numberPoint(a, {kv("http.route", "/")}, 2000, 1)}));
  counter.description = "Requests served";
  for (auto& p : counter.number_points) p.start_time_unix_nano = 1'000'000'000;
  model::Metric g =
      testing::gauge("queue.depth", "{item}", arenaArray(a, {numberPoint(a, {}, 2000, depth)}));
  model::Metric h;
  h.name = "rpc.duration";
  h.description = "RPC latency";
  h.unit = "s";
  h.type = model::MetricType::kHistogram;
  h.aggregation_temporality = static_cast<int32_t>(model::AggregationTemporality::kCumulative);
  model::HistogramDataPoint hp;
  hp.start_time_unix_nano = 1'000'000'000;
  hp.time_unix_nano = 2'000'000'000;
  hp.count = 6;
  hp.has_sum = true;
  hp.sum = 4.5;
  hp.bucket_counts = arenaArray<uint64_t>(a, {3, 2, 0, 1});
  hp.explicit_bounds = arenaArray<double>(a, {0.1, 1, 10});
  h.histogram_points = arenaArray(a, {hp});
  testing::addResource(batch, {kv("service.name", "shop"), kv("service.instance.id", "i-1")}, "",
                       "", {counter, g, h});
  return batch;
}

std::string render(const LatestValuesOptions& o, const model::Metrics& batch) {
  prom::Translator t;
  LatestValues v(o);
  v.beginBatch(kT0);
  (void)t.translate(batch, v);
  return v.render(kT0);
}

TEST(PrometheusExporterValues, RendersFamiliesInClientGolangOrder) {
  LatestValuesOptions o;
  o.metric_namespace = "my app";
  o.const_labels = {{"env", "prod"}, {"job", "overridden"}};
  o.send_timestamps = true;
  EXPECT_EQ(render(o, sampleBatch(42, 3.5)),
            "# HELP my_app_http_server_requests_total Requests served\n"
            "# TYPE my_app_http_server_requests_total counter\n"
            "my_app_http_server_requests_total{env=\"prod\",http_route=\"/\",instance=\"i-1\","
            "job=\"overridden\"} 1 2000\n"
            "my_app_http_server_requests_total{env=\"prod\",http_route=\"/a\\\"b\\\\c\","
            "instance=\"i-1\",job=\"overridden\"} 42 2000\n"
            "# HELP my_app_queue_depth my_app_queue_depth\n"
            "# TYPE my_app_queue_depth gauge\n"
            "my_app_queue_depth{env=\"prod\",instance=\"i-1\",job=\"overridden\"} 3.5 2000\n"
            "# HELP my_app_rpc_duration_seconds RPC latency\n"
            "# TYPE my_app_rpc_duration_seconds histogram\n"
            "my_app_rpc_duration_seconds_bucket{env=\"prod\",instance=\"i-1\",job=\"overridden\","
            "le=\"0.1\"} 3 2000\n"
            "my_app_rpc_duration_seconds_bucket{env=\"prod\",instance=\"i-1\",job=\"overridden\","
            "le=\"1\"} 5 2000\n"
            "my_app_rpc_duration_seconds_bucket{env=\"prod\",instance=\"i-1\",job=\"overridden\","
            "le=\"10\"} 5 2000\n"
            "my_app_rpc_duration_seconds_bucket{env=\"prod\",instance=\"i-1\",job=\"overridden\","
            "le=\"+Inf\"} 6 2000\n"
            "my_app_rpc_duration_seconds_sum{env=\"prod\",instance=\"i-1\",job=\"overridden\"} "
            "4.5 2000\n"
            "my_app_rpc_duration_seconds_count{env=\"prod\",instance=\"i-1\",job=\"overridden\"} "
            "6 2000\n");
}

TEST(PrometheusExporterValues, KeepsLatestValueAndExpires) {
  LatestValuesOptions o;
  o.expiration = std::chrono::minutes(5);
  prom::Translator t;
  LatestValues v(o);
  v.beginBatch(kT0);
  (void)t.translate(sampleBatch(42, 3.5), v);
  v.beginBatch(kT0 + std::chrono::minutes(3));
  model::Metrics later;
  Arena& a = later.arena();
  testing::addResource(
      later, {kv("service.name", "shop"), kv("service.instance.id", "i-1")}, "", "",
      {testing::gauge("queue.depth", "{item}", arenaArray(a, {numberPoint(a, {}, 3000, 7)}))});
  (void)t.translate(later, v);
  EXPECT_EQ(v.seriesCount(), 9u);  // 2 counters, 1 gauge, 6 histogram series (no target_info)
  std::string at6 = v.render(kT0 + std::chrono::minutes(6));
  EXPECT_EQ(at6,
            "# HELP queue_depth queue_depth\n"
            "# TYPE queue_depth gauge\n"
            "queue_depth{instance=\"i-1\",job=\"shop\"} 7\n");
  EXPECT_EQ(v.seriesCount(), 1u);
}

TEST(PrometheusExporterValues, StaleMarkerRemovesTheSeries) {
  LatestValues v({});
  v.beginBatch(kT0);
  v.metadata({"g", prom::MetricKind::kGauge, "G.", ""});
  std::vector<prom::LabelRef> a = {{"__name__", "g"}, {"k", "a"}};
  std::vector<prom::LabelRef> b = {{"__name__", "g"}, {"k", "b"}};
  v.sample(a, 1, 1);
  v.sample(b, 1, 2);
  v.sample(a, 2, prom::staleNaN());
  EXPECT_EQ(v.render(kT0), "# HELP g G.\n# TYPE g gauge\ng{k=\"b\"} 2\n");
}

TEST(PrometheusExporterValues, OutputPassesPromtool) {
  const char* promtool = "/usr/bin/promtool";
  if (!std::filesystem::exists(promtool)) GTEST_SKIP() << "promtool not installed";
  testing::TempDir dir;
  std::string path = dir.file("metrics.txt");
  {
    std::ofstream out(path);
    out << render({}, sampleBatch(42, 3.5));
  }
  std::string cmd = std::string(promtool) + " check metrics < " + path + " > " +
                    dir.file("promtool.out") + " 2>&1";
  int rc = std::system(cmd.c_str());
  std::ifstream report(dir.file("promtool.out"));
  std::string text((std::istreambuf_iterator<char>(report)), std::istreambuf_iterator<char>());
  ASSERT_TRUE(WIFEXITED(rc));
  EXPECT_EQ(WEXITSTATUS(rc), 0) << text;
}

}  // namespace
}  // namespace periscope::components::prometheus_exporter
