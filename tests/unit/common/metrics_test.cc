#include "common/telemetry/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>

namespace periscope::telemetry {
namespace {

TEST(Metrics, RendersPrometheusText) {
  Registry r;
  r.counter("requests", "Requests served.", {{"route", "/a\"b"}}).add(3);
  r.gauge("temperature", "Current temperature.", {}).set(21.5);
  auto& h = r.histogram("latency", "Latency.", {{"op", "x"}}, {1, 5});
  h.observe(0.5);
  h.observe(3);
  h.observe(10);
  EXPECT_EQ(
      r.renderPrometheus(),
      "# HELP latency Latency.\n# TYPE latency histogram\n"
      "latency_bucket{op=\"x\",le=\"1\"} 1\nlatency_bucket{op=\"x\",le=\"5\"} 2\n"
      "latency_bucket{op=\"x\",le=\"+Inf\"} 3\nlatency_sum{op=\"x\"} 13.5\nlatency_count{op=\"x\"} "
      "3\n"
      "# HELP requests_total Requests served.\n# TYPE requests_total counter\n"
      "requests_total{route=\"/a\\\"b\"} 3\n"
      "# HELP temperature Current temperature.\n# TYPE temperature gauge\ntemperature 21.5\n");
}

TEST(Metrics, SameNameAndLabelsIsTheSameInstrument) {
  Registry r;
  Counter& a = r.counter("c", "", {{"k", "v"}});
  Counter& b = r.counter("c", "", {{"k", "v"}});
  Counter& other = r.counter("c", "", {{"k", "w"}});
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &other);
  EXPECT_TRUE(std::isnan(r.value("missing", {})));
}

TEST(Metrics, CountersAreExactUnderConcurrency) {
  Registry r;
  Counter& c = r.counter("c", "", {});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100000; ++i) c.add(1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.value(), 400000.0);
}

}  // namespace
}  // namespace periscope::telemetry
