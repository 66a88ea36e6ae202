// The prometheusremotewrite exporter: OTLP → remote-write requests (read back with libprotobuf's
// prometheus.WriteRequest), request splitting, the HTTP status mapping, and whole exports
// against a local HTTP server (headers, retries, permanent failures).
#include <gtest/gtest.h>

#include <functional>
#include <mutex>
#include <thread>

#include "common/compression.h"
#include "common/http/server.h"
#include "components/exporters/prometheusremotewrite/config.h"
#include "components/exporters/prometheusremotewrite/prometheusremotewrite_exporter.h"
#include "components/exporters/prometheusremotewrite/request_builder.h"
#include "prometheus/remote.pb.h"
#include "support/metrics_builder.h"
#include "support/null_host.h"

namespace periscope::components::prometheusremotewrite_exporter {
namespace {

using testing::arenaArray;
using testing::kv;
using testing::numberPoint;

constexpr int64_t kT = 1700000000000;

model::Metrics sampleBatch() {
  model::Metrics batch;
  Arena& a = batch.arena();
  auto gauge_points = arenaArray(a, {numberPoint(a, {kv("queue", "a")}, kT, 7)});
  auto sum_points = arenaArray(a, {numberPoint(a, {}, kT + 1000, 42), numberPoint(a, {}, kT, 40)});
  testing::addResource(
      batch, {kv("service.name", "shop"), kv("service.instance.id", "i-1"), kv("host.name", "box")},
      "", "",
      {testing::gauge("queue.depth", "", gauge_points),
       testing::sum("http.requests", "1", true, model::AggregationTemporality::kCumulative,
                    sum_points)});
  return batch;
}

// "name{a="b",...} v@t" lines of every sample in the requests, in request order.
std::vector<std::string> samplesOf(const std::vector<std::string>& bodies) {
  std::vector<std::string> out;
  for (const auto& body : bodies) {
    prometheus::WriteRequest req;
    EXPECT_TRUE(req.ParseFromString(body));
    for (const auto& ts : req.timeseries()) {
      std::string labels;
      for (const auto& l : ts.labels()) {
        labels += (labels.empty() ? "" : ",") + l.name() + "=\"" + l.value() + "\"";
      }
      for (const auto& s : ts.samples()) {
        char v[64];
        std::snprintf(v, sizeof v, "%g@%lld", s.value(), static_cast<long long>(s.timestamp()));
        out.push_back("{" + labels + "} " + v);
      }
    }
  }
  return out;
}

TEST(RemoteWriteRequests, TranslatesWithExternalLabelsAndNamespace) {
  RequestOptions options;
  options.metric_namespace = "ns";
  options.external_labels = {{"cluster", "c1"}, {"job", "ignored"}};
  RequestBuilder builder(options);
  model::prom::Translator translator;
  model::Metrics batch = sampleBatch();
  translator.translate(batch, builder);
  EXPECT_EQ(builder.seriesCount(), 3u);
  EXPECT_EQ(builder.sampleCount(), 4u);
  // target_info (at the resource's latest time) carries the resource attributes that are not
  // job/instance; samples of a series are in time order; the series' own `job` wins over the
  // external label.
  EXPECT_EQ(
      samplesOf(builder.build()),
      (std::vector<std::string>{
          R"({__name__="ns_queue_depth",cluster="c1",instance="i-1",job="shop",queue="a"} 7@1700000000000)",
          R"({__name__="ns_http_requests_total",cluster="c1",instance="i-1",job="shop"} 40@1700000000000)",
          R"({__name__="ns_http_requests_total",cluster="c1",instance="i-1",job="shop"} 42@1700000001000)",
          R"({__name__="ns_target_info",cluster="c1",host_name="box",instance="i-1",job="shop"} 1@1700000001000)",
      }));
}

TEST(RemoteWriteRequests, SplitsAtMaxBatchSizeBytes) {
  RequestOptions options;
  options.max_batch_size_bytes = 120;
  options.send_metadata = true;
  RequestBuilder builder(options);
  model::prom::Translator translator;
  model::Metrics batch = sampleBatch();
  translator.translate(batch, builder);
  auto bodies = builder.build();
  ASSERT_EQ(bodies.size(), 4u);  // three series, each ~70-110 bytes, then the metadata
  for (const auto& b : bodies) EXPECT_LE(b.size(), 120u);
  EXPECT_EQ(samplesOf(bodies).size(), 4u);
  prometheus::WriteRequest md;
  ASSERT_TRUE(md.ParseFromString(bodies.back()));
  EXPECT_EQ(md.timeseries_size(), 0);
  ASSERT_EQ(md.metadata_size(), 3);
  EXPECT_EQ(md.metadata(1).metric_family_name(), "http_requests_total");
  EXPECT_EQ(md.metadata(1).type(), prometheus::MetricMetadata::COUNTER);
  EXPECT_EQ(md.metadata(2).metric_family_name(), "target_info");
  EXPECT_EQ(md.metadata(2).type(), prometheus::MetricMetadata::GAUGE);
}

TEST(RemoteWriteStatus, FiveHundredsAnd429RetryOthersArePermanent) {
  EXPECT_TRUE(statusFromHttp(204, "", "").isOk());
  EXPECT_TRUE(statusFromHttp(200, "", "").isOk());
  Status st = statusFromHttp(503, "12", "busy\n");
  EXPECT_TRUE(st.isRetryable());
  EXPECT_EQ(st.retryAfterSeconds(), 12);
  EXPECT_EQ(st.message(), "HTTP 503: busy");
  EXPECT_TRUE(statusFromHttp(500, "", "").isRetryable());
  EXPECT_TRUE(statusFromHttp(429, "", "").isRetryable());
  st = statusFromHttp(400, "", "out of order sample");
  EXPECT_FALSE(st.isRetryable());
  EXPECT_EQ(st.message(), "HTTP 400: out of order sample");
  EXPECT_FALSE(statusFromHttp(404, "", "").isRetryable());
}

// A local remote-write endpoint that answers from a script and keeps what it received.
class FakeServer {
 public:
  explicit FakeServer(std::vector<int> answers) : answers_(std::move(answers)) {
    auto s = http::Server::start({}, [this](http::Request&& req, http::Respond respond) {
      std::lock_guard lock(mu_);
      requests_.push_back(std::move(req));
      int code = requests_.size() <= answers_.size() ? answers_[requests_.size() - 1] : 204;
      respond(http::Response{code, {}, code == 204 ? "" : "nope\n"});
    });
    EXPECT_TRUE(s.isOk());
    server_ = std::move(s).value();
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + "/api/v1/write";
  }
  std::vector<http::Request> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  std::vector<int> answers_;
  std::mutex mu_;
  std::vector<http::Request> requests_;
  std::unique_ptr<http::Server> server_;
};

// Without the queue the push's result is the caller's answer (and nothing is retried, as in
// the collector); with it, the batch is retried in the background until shutdown's deadline.
Status exportOnce(
    Config c, bool queue = false, std::function<void()> before_shutdown = [] {}) {
  c.remote_write_queue.enabled = queue;
  EXPECT_TRUE(c.validate().isOk()) << c.validate().toString();
  auto e = makeFactory()->create({{"prometheusremotewrite", ""}, component::Kind::kExporter, ""}, c,
                                 {pipeline::Signal::kMetrics});
  EXPECT_TRUE(e.isOk());
  testing::NullHost host;
  EXPECT_TRUE((*e)->start(host).isOk());
  Status st = pipeline::consumeAndWait(*(*e)->input().metrics, sampleBatch());
  before_shutdown();
  EXPECT_TRUE((*e)->shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5)).isOk());
  return st;
}

TEST(RemoteWriteExporter, PostsSnappyProtobufWithRemoteWriteHeaders) {
  FakeServer server({});
  Config c;
  c.endpoint = server.url();
  c.headers = {{"X-Scope-OrgID", "tenant-1"}};
  ASSERT_TRUE(exportOnce(c).isOk());
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  const http::Request& r = reqs[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/api/v1/write");
  EXPECT_EQ(r.header("content-encoding"), "snappy");
  EXPECT_EQ(r.header("content-type"), "application/x-protobuf");
  EXPECT_EQ(r.header("x-prometheus-remote-write-version"), "0.1.0");
  EXPECT_EQ(r.header("user-agent"), "Periscope");
  EXPECT_EQ(r.header("x-scope-orgid"), "tenant-1");
  auto raw = compression::decompress(compression::Encoding::kSnappy, r.body, 1 << 20);
  ASSERT_TRUE(raw.isOk());
  EXPECT_EQ(samplesOf({*raw}).size(), 4u);
}

TEST(RemoteWriteExporter, RetriesFiveHundredsThenSucceeds) {
  FakeServer server({500, 429});
  Config c;
  c.endpoint = server.url();
  c.retry_on_failure.initial_interval = std::chrono::milliseconds(1);
  c.retry_on_failure.max_interval = std::chrono::milliseconds(2);
  c.circuit_breaker.enabled = false;
  Status st = exportOnce(c, true, [&] {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (server.requests().size() < 3 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
  });
  ASSERT_TRUE(st.isOk()) << st.toString();
  EXPECT_EQ(server.requests().size(), 3u);  // 500, 429, then 204
}

TEST(RemoteWriteExporter, FourHundredsArePermanent) {
  FakeServer server({400});
  Config c;
  c.endpoint = server.url();
  Status st = exportOnce(c);
  EXPECT_FALSE(st.isOk());
  EXPECT_FALSE(st.isRetryable());
  EXPECT_EQ(st.message(), "remote write to " + server.url() + " failed: HTTP 400: nope");
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(RemoteWriteExporterConfig, ValidatesLikeTheCollector) {
  Config c;
  EXPECT_EQ(c.validate().message(), "endpoint must be set");
  c.endpoint = "127.0.0.1:9090";
  EXPECT_EQ(c.validate().message(),
            "endpoint \"127.0.0.1:9090\" must start with http:// or https://");
  c.endpoint = "http://127.0.0.1:9090/api/v1/write";
  EXPECT_TRUE(c.validate().isOk());
  c.remote_write_queue.queue_size = 0;
  EXPECT_EQ(c.validate().message(),
            "remote_write_queue.queue_size: a 0 size queue will drop all the data");
  c.remote_write_queue.queue_size = 5;
  c.external_labels = {{"1bad", "x"}};
  EXPECT_EQ(c.validate().message(), "external_labels: invalid label name \"1bad\"");
  c.external_labels = {{"env", ""}};
  EXPECT_EQ(c.validate().message(), "external_labels: label \"env\" has an empty value");
  c.external_labels = {};
  pipeline::ExporterHelperConfig h = c.helper();
  EXPECT_TRUE(h.sending_queue.enabled);
  EXPECT_EQ(h.sending_queue.queue_size, 5u);
  EXPECT_EQ(h.sending_queue.num_consumers, 1u);
  EXPECT_EQ(
      std::chrono::duration_cast<std::chrono::milliseconds>(h.retry_on_failure.initial_interval)
          .count(),
      50);
}

}  // namespace
}  // namespace periscope::components::prometheusremotewrite_exporter
