#include "components/receivers/prometheus/scrape_converter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "model/prometheus/translate.h"

namespace periscope::components::prometheus_receiver {
namespace {

namespace prom = model::prom;

std::string num(double v) {
  return std::string(prom::formatFloat(v).view());
}

std::string attrs(model::Attributes a) {
  std::string s = "{";
  for (const auto& kv : a) s += std::string(kv.key) + "=" + std::string(kv.value.str()) + ",";
  return s + "}";
}

std::string times(uint64_t start, uint64_t t, uint32_t flags) {
  std::string s = " t=" + std::to_string(t / 1'000'000);
  if (start != 0) s += " start=" + std::to_string(start / 1'000'000);
  if (flags != 0) s += " flags=" + std::to_string(flags);
  return s;
}

// One line per resource, metric and point, with exact values.
std::vector<std::string> dump(const model::Metrics& batch) {
  std::vector<std::string> out;
  for (const auto& rm : batch.resources()) {
    out.push_back("resource " + attrs(rm.resource.attributes));
    for (const auto& sm : rm.scope_metrics) {
      for (const auto& m : sm.metrics) {
        const char* type = m.type == model::MetricType::kSum         ? "sum"
                           : m.type == model::MetricType::kHistogram ? "histogram"
                           : m.type == model::MetricType::kSummary   ? "summary"
                                                                     : "gauge";
        std::string head = std::string(" ") + type + " " + std::string(m.name);
        if (m.type == model::MetricType::kSum)
          head += m.is_monotonic && m.aggregation_temporality == 2 ? " monotonic cumulative" : " ?";
        if (!m.unit.empty()) head += " unit=" + std::string(m.unit);
        if (!m.description.empty()) head += " \"" + std::string(m.description) + "\"";
        out.push_back(head);
        for (const auto& p : m.number_points) {
          std::string v = prom::isStaleNaN(p.as_double) ? "StaleNaN" : num(p.as_double);
          out.push_back("  " + attrs(p.attributes) + " " + v +
                        times(p.start_time_unix_nano, p.time_unix_nano, p.flags));
        }
        for (const auto& p : m.histogram_points) {
          std::string s = "  " + attrs(p.attributes) + " count=" + std::to_string(p.count);
          if (p.has_sum) s += " sum=" + num(p.sum);
          s += " bounds=";
          for (double b : p.explicit_bounds) s += num(b) + ",";
          s += " counts=";
          for (uint64_t c : p.bucket_counts) s += std::to_string(c) + ",";
          out.push_back(s + times(p.start_time_unix_nano, p.time_unix_nano, p.flags));
        }
        for (const auto& p : m.summary_points) {
          std::string s = "  " + attrs(p.attributes) + " count=" + std::to_string(p.count) +
                          " sum=" + num(p.sum) + " q=";
          for (const auto& q : p.quantile_values) s += num(q.quantile) + ":" + num(q.value) + ",";
          out.push_back(s + times(p.start_time_unix_nano, p.time_unix_nano, p.flags));
        }
      }
    }
  }
  return out;
}

Target target() {
  Target t;
  t.labels = {{"instance", "host-1:9100"}, {"job", "node"}, {"zone", "eu"}};
  t.url = "http://host-1:9100/metrics";
  t.scheme = "http";
  t.job = "node";
  t.instance = "host-1:9100";
  return t;
}

const char* kResource =
    "resource {service.name=node,service.instance.id=host-1:9100,server.address=host-1,"
    "server.port=9100,url.scheme=http,}";

std::vector<std::string> report(double up, const std::string& t, int scraped, int kept, int added) {
  std::string attrs = "{zone=eu,}";
  return {
      " gauge scrape_duration_seconds \"Duration of the scrape\"",
      "  " + attrs + " 0.25 t=" + t,
      " gauge scrape_samples_post_metric_relabeling \"The number of samples remaining after "
      "metric relabeling was applied\"",
      "  " + attrs + " " + std::to_string(kept) + " t=" + t,
      " gauge scrape_samples_scraped \"The number of samples the target exposed\"",
      "  " + attrs + " " + std::to_string(scraped) + " t=" + t,
      " gauge scrape_series_added \"The approximate number of new series in this scrape\"",
      "  " + attrs + " " + std::to_string(added) + " t=" + t,
      " gauge up \"The scraping was successful\"",
      "  " + attrs + " " + num(up) + " t=" + t,
  };
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(ScrapeConverter, ConvertsEveryTypeWithExactValues) {
  ScrapeConverter c(target(), {});
  const std::string body =
      "# HELP http_requests_total Requests.\n"
      "# TYPE http_requests_total counter\n"
      "http_requests_total{code=\"200\"} 10\n"
      "http_requests_total{code=\"500\",zone=\"us\"} 2 1000\n"
      "# HELP temp Temperature.\n"
      "# TYPE temp gauge\n"
      "temp 21.5\n"
      "# TYPE rpc_seconds histogram\n"
      "rpc_seconds_bucket{le=\"0.1\"} 3\n"
      "rpc_seconds_bucket{le=\"1\"} 5\n"
      "rpc_seconds_bucket{le=\"+Inf\"} 6\n"
      "rpc_seconds_sum 4.5\n"
      "rpc_seconds_count 6\n"
      "# TYPE gc summary\n"
      "gc{quantile=\"0.5\"} 0.01\n"
      "gc{quantile=\"0.99\"} 0.2\n"
      "gc_sum 1.5\n"
      "gc_count 30\n"
      "mystery 7\n";
  Status error;
  model::Metrics m = c.scraped(body, prom::TextFormat::kPrometheus, 5000, 0.25, error);
  ASSERT_TRUE(error.isOk()) << error.toString();
  // Metrics sort by name within the resource; the scrape_* report series sit among them.
  std::vector<std::string> got = dump(m);
  std::vector<std::string> expected = {
      kResource,
      " summary gc",
      "  {zone=eu,} count=30 sum=1.5 q=0.5:0.01,0.99:0.2, t=5000 start=5000",
      " sum http_requests_total monotonic cumulative \"Requests.\"",
      "  {code=200,zone=eu,} 10 t=5000 start=5000",
      "  {code=500,exported_zone=us,zone=eu,} 2 t=1000 start=1000",
      " gauge mystery",
      "  {zone=eu,} 7 t=5000",
      " histogram rpc_seconds",
      "  {zone=eu,} count=6 sum=4.5 bounds=0.1,1, counts=3,2,1, t=5000 start=5000",
  };
  auto rep = report(1, "5000", 13, 13, 6);
  expected.insert(expected.end(), rep.begin(), rep.begin() + 8);
  expected.push_back(" gauge temp \"Temperature.\"");
  expected.push_back("  {zone=eu,} 21.5 t=5000");
  expected.insert(expected.end(), rep.begin() + 8, rep.end());
  EXPECT_EQ(got, expected);
}

TEST(ScrapeConverter, StartTimesResetsAndStaleness) {
  ScrapeConverter c(target(), {});
  Status error;
  auto scrape = [&](const std::string& body, int64_t t) {
    auto out = dump(c.scraped(body, prom::TextFormat::kPrometheus, t, 0.25, error));
    EXPECT_TRUE(error.isOk()) << error.toString();
    out.resize(3);  // the resource and the first metric's first point
    return out;
  };
  const std::string head = "# TYPE a_total counter\n";
  EXPECT_EQ(scrape(head + "a_total 5\n", 1000)[2], "  {zone=eu,} 5 t=1000 start=1000");
  EXPECT_EQ(scrape(head + "a_total 7\n", 2000)[2], "  {zone=eu,} 7 t=2000 start=1000");
  EXPECT_EQ(scrape(head + "a_total 1\n", 3000)[2], "  {zone=eu,} 1 t=3000 start=3000");
  // The series disappears: one NoRecordedValue point, then nothing.
  auto gone = dump(c.scraped("other 1\n", prom::TextFormat::kPrometheus, 4000, 0.25, error));
  EXPECT_EQ(gone[1], " sum a_total monotonic cumulative");
  EXPECT_EQ(gone[2], "  {zone=eu,} StaleNaN t=4000 flags=1");
  auto later = dump(c.scraped("other 1\n", prom::TextFormat::kPrometheus, 5000, 0.25, error));
  EXPECT_EQ(later[1], " gauge other");
  EXPECT_EQ(later[3], " gauge scrape_duration_seconds \"Duration of the scrape\"");
}

TEST(ScrapeConverter, FailedScrapeReportsDownAndMarksEverythingStale) {
  ScrapeConverter c(target(), {});
  Status error;
  (void)c.scraped("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_count 2\n",
                  prom::TextFormat::kPrometheus, 1000, 0.25, error);
  auto got = dump(c.failed(2000, 0.25));
  std::vector<std::string> want = {kResource, " histogram h",
                                   "  {zone=eu,} count=0 bounds= counts= t=2000 flags=1"};
  want = concat(want, report(0, "2000", 0, 0, 0));
  EXPECT_EQ(got, want);
}

TEST(ScrapeConverter, ParseErrorFailsTheWholeScrape) {
  ScrapeConverter c(target(), {});
  Status error;
  auto got = dump(c.scraped("a 1\nb{ 2\n", prom::TextFormat::kPrometheus, 1000, 0.25, error));
  EXPECT_EQ(error.message(), "2:4: parse error: expected a label name");
  EXPECT_EQ(got, concat({kResource}, report(0, "1000", 0, 0, 0)));
}

TEST(ScrapeConverter, OpenMetricsCreatedIsTheStartTime) {
  ScrapeConverter c(target(), {});
  Status error;
  const std::string body =
      "# TYPE foo counter\n# UNIT foo seconds\n# HELP foo Foo.\n"
      "foo_total 17 1520879607.789\nfoo_created 1520430000.123\n# EOF\n";
  auto got = dump(c.scraped(body, prom::TextFormat::kOpenMetrics, 1520879608000, 0.25, error));
  ASSERT_TRUE(error.isOk()) << error.toString();
  EXPECT_EQ(got[1], " sum foo monotonic cumulative unit=seconds \"Foo.\"");
  EXPECT_EQ(got[2], "  {zone=eu,} 17 t=1520879607789 start=1520430000123");
}

TEST(ScrapeConverter, HonorLabelsAndMetricRelabelling) {
  RelabelConfig drop;
  drop.source_labels = {"__name__"};
  drop.regex = "drop_.*";
  drop.action = "drop";
  auto relabel = Relabeler::compile({drop}, "metric_relabel_configs");
  ASSERT_TRUE(relabel.isOk());
  ScrapeConverter c(target(), {true, false, &*relabel});
  Status error;
  auto got = dump(c.scraped("a{job=\"other\",zone=\"us\"} 1 77\ndrop_me 2\n",
                            prom::TextFormat::kPrometheus, 1000, 0.25, error));
  ASSERT_TRUE(error.isOk()) << error.toString();
  // honor_labels: the scraped job wins (its own resource); honor_timestamps off: t=1000.
  const std::string other =
      "resource {service.name=other,service.instance.id=host-1:9100,server.address=host-1,"
      "server.port=9100,url.scheme=http,}";
  auto at = std::find(got.begin(), got.end(), other);
  ASSERT_NE(at, got.end());
  ASSERT_EQ(got.end() - at, 3);
  EXPECT_EQ(at[1], " gauge a");
  EXPECT_EQ(at[2], "  {zone=us,} 1 t=1000");
  EXPECT_EQ(got[0], kResource);
  EXPECT_EQ(got[3],
            " gauge scrape_samples_post_metric_relabeling \"The number of samples "
            "remaining after metric relabeling was applied\"");
  EXPECT_EQ(got[4], "  {zone=eu,} 1 t=1000");
  EXPECT_EQ(got[5], " gauge scrape_samples_scraped \"The number of samples the target exposed\"");
  EXPECT_EQ(got[6], "  {zone=eu,} 2 t=1000");
}

}  // namespace
}  // namespace periscope::components::prometheus_receiver
