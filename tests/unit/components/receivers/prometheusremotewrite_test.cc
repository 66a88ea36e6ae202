// The prometheusremotewrite receiver's request → response logic and its conversion to OTLP,
// driven without sockets; request bodies are written with libprotobuf's prometheus.WriteRequest.
#include <gtest/gtest.h>

#include <future>
#include <mutex>

#include "common/compression.h"
#include "components/receivers/prometheusremotewrite/write_server.h"
#include "model/otlp/json_encoder.h"
#include "model/prometheus/labels.h"
#include "prometheus/remote.pb.h"

namespace periscope::components::prometheusremotewrite_receiver {
namespace {

constexpr int64_t kNowMs = 1700000000000;

// Keeps each batch as OTLP/JSON and answers with `answer`.
class JsonSink : public pipeline::Consumer<model::Metrics> {
 public:
  void consume(model::Metrics&& data, pipeline::Done done) override {
    std::string json;
    model::otlp::encodeJson(data, json);
    {
      std::lock_guard lock(mu);
      batches.push_back(std::move(json));
    }
    done(answer);
  }
  std::mutex mu;
  std::vector<std::string> batches;
  Status answer;
};

void addSeries(prometheus::WriteRequest& req,
               std::vector<std::pair<std::string, std::string>> labels,
               std::vector<std::pair<double, int64_t>> samples) {
  auto* ts = req.add_timeseries();
  for (const auto& [n, v] : labels) {
    auto* l = ts->add_labels();
    l->set_name(n);
    l->set_value(v);
  }
  for (auto [v, t] : samples) {
    auto* s = ts->add_samples();
    s->set_value(v);
    s->set_timestamp(t);
  }
}

void addMetadata(prometheus::WriteRequest& req, prometheus::MetricMetadata::MetricType type,
                 std::string family, std::string help = "") {
  auto* md = req.add_metadata();
  md->set_type(type);
  md->set_metric_family_name(family);
  md->set_help(help);
}

std::string snappy(const std::string& raw) {
  return compression::compress(compression::Encoding::kSnappy, raw).value();
}

class RemoteWriteReceiverTest : public ::testing::Test {
 protected:
  RemoteWriteReceiverTest() { make(Config()); }
  void make(Config c) {
    c.max_request_body_size = 1 << 16;
    server_ = std::make_unique<WriteServer>(
        c, &sink_, component::ComponentId{"prometheusremotewrite", "t"}, [] { return kNowMs; });
  }
  http::Response post(std::string body, std::string encoding = "snappy",
                      std::string content_type = "application/x-protobuf",
                      std::string method = "POST", std::string path = "/api/v1/write") {
    http::Request req;
    req.method = std::move(method);
    req.path = req.target = std::move(path);
    if (!content_type.empty()) req.headers.emplace_back("content-type", content_type);
    if (!encoding.empty()) req.headers.emplace_back("content-encoding", encoding);
    req.headers.emplace_back("x-prometheus-remote-write-version", "0.1.0");
    req.body = std::move(body);
    std::promise<http::Response> p;
    auto f = p.get_future();
    server_->handle(std::move(req), [&p](http::Response r) { p.set_value(std::move(r)); });
    return f.get();
  }
  http::Response write(const prometheus::WriteRequest& req) {
    return post(snappy(req.SerializeAsString()));
  }
  static std::string header(const http::Response& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }

  JsonSink sink_;
  std::unique_ptr<WriteServer> server_;
};

TEST_F(RemoteWriteReceiverTest, ConvertsSeriesToOtlpLikeTheCollector) {
  prometheus::WriteRequest req;
  addSeries(req,
            {{"__name__", "http_requests_total"},
             {"code", "200"},
             {"instance", "h:9"},
             {"job", "shop/api"}},
            {{7, kNowMs - 15000}, {9, kNowMs}});
  addSeries(req,
            {{"__name__", "temperature"}, {"instance", "h:9"}, {"job", "shop/api"}, {"room", ""}},
            {{21.5, kNowMs}});
  addSeries(req, {{"__name__", "up"}, {"instance", "h:9"}, {"job", "shop/api"}}, {{1, kNowMs}});
  addSeries(req, {{"__name__", "up"}, {"job", "other"}}, {{0, kNowMs}});
  addMetadata(req, prometheus::MetricMetadata::COUNTER, "http_requests_total", "Requests.");
  addMetadata(req, prometheus::MetricMetadata::GAUGE, "temperature");
  auto r = write(req);
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.body, "");
  ASSERT_EQ(sink_.batches.size(), 1u);
  // job "shop/api" → service.namespace + service.name; the empty label "room" is absent; the
  // counter is a monotonic cumulative sum; series without metadata are gauges.
  EXPECT_EQ(
      sink_.batches[0],
      R"({"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"api"}},{"key":"service.namespace","value":{"stringValue":"shop"}},{"key":"service.instance.id","value":{"stringValue":"h:9"}}]},"scopeMetrics":[{"scope":{},"metrics":[{"name":"http_requests_total","description":"Requests.","sum":{"dataPoints":[{"attributes":[{"key":"code","value":{"stringValue":"200"}}],"timeUnixNano":"1699999985000000000","asDouble":7},{"attributes":[{"key":"code","value":{"stringValue":"200"}}],"timeUnixNano":"1700000000000000000","asDouble":9}],"aggregationTemporality":2,"isMonotonic":true},"metadata":[{"key":"prometheus.type","value":{"stringValue":"counter"}}]},{"name":"temperature","gauge":{"dataPoints":[{"timeUnixNano":"1700000000000000000","asDouble":21.5}]},"metadata":[{"key":"prometheus.type","value":{"stringValue":"gauge"}}]},{"name":"up","gauge":{"dataPoints":[{"timeUnixNano":"1700000000000000000","asDouble":1}]}}]}]},{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"other"}}]},"scopeMetrics":[{"scope":{},"metrics":[{"name":"up","gauge":{"dataPoints":[{"timeUnixNano":"1700000000000000000","asDouble":0}]}}]}]}]})");
}

TEST_F(RemoteWriteReceiverTest, HistogramSeriesStayAsSentAndTargetInfoBecomesResource) {
  prometheus::WriteRequest req;
  addSeries(req, {{"__name__", "lat_bucket"}, {"job", "j"}, {"le", "0.5"}}, {{3, kNowMs}});
  addSeries(req, {{"__name__", "lat_bucket"}, {"job", "j"}, {"le", "+Inf"}}, {{4, kNowMs}});
  addSeries(req, {{"__name__", "lat_count"}, {"job", "j"}}, {{4, kNowMs}});
  addSeries(req, {{"__name__", "lat_sum"}, {"job", "j"}}, {{1.25, kNowMs}});
  addSeries(req, {{"__name__", "reqs_total"}, {"job", "j"}}, {{5, kNowMs}});
  addSeries(req, {{"__name__", "target_info"}, {"job", "j"}, {"region", "eu"}}, {{1, kNowMs}});
  addMetadata(req, prometheus::MetricMetadata::HISTOGRAM, "lat");
  addMetadata(req, prometheus::MetricMetadata::COUNTER, "reqs");  // OpenMetrics family name
  ASSERT_EQ(write(req).status, 204);
  ASSERT_EQ(sink_.batches.size(), 1u);
  // Buckets, _count and _sum keep their names and `le`; target_info's labels join the
  // resource of its job/instance and it is not a metric itself.
  EXPECT_EQ(
      sink_.batches[0],
      R"({"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"j"}},{"key":"region","value":{"stringValue":"eu"}}]},"scopeMetrics":[{"scope":{},"metrics":[{"name":"lat_bucket","gauge":{"dataPoints":[{"attributes":[{"key":"le","value":{"stringValue":"0.5"}}],"timeUnixNano":"1700000000000000000","asDouble":3},{"attributes":[{"key":"le","value":{"stringValue":"+Inf"}}],"timeUnixNano":"1700000000000000000","asDouble":4}]},"metadata":[{"key":"prometheus.type","value":{"stringValue":"histogram"}}]},{"name":"lat_count","gauge":{"dataPoints":[{"timeUnixNano":"1700000000000000000","asDouble":4}]},"metadata":[{"key":"prometheus.type","value":{"stringValue":"histogram"}}]},{"name":"lat_sum","gauge":{"dataPoints":[{"timeUnixNano":"1700000000000000000","asDouble":1.25}]},"metadata":[{"key":"prometheus.type","value":{"stringValue":"histogram"}}]},{"name":"reqs_total","sum":{"dataPoints":[{"timeUnixNano":"1700000000000000000","asDouble":5}],"aggregationTemporality":2,"isMonotonic":true},"metadata":[{"key":"prometheus.type","value":{"stringValue":"counter"}}]}]}]}]})");
}

TEST_F(RemoteWriteReceiverTest, StaleMarkersExemplarsAndScopeLabels) {
  prometheus::WriteRequest req;
  addSeries(req, {{"__name__", "g"}, {"otel_scope_name", "lib"}, {"otel_scope_version", "1.2"}},
            {{model::prom::staleNaN(), kNowMs}});
  addSeries(req, {{"__name__", "c_total"}}, {{1, kNowMs - 1000}, {2, kNowMs}});
  auto* e = req.mutable_timeseries(1)->add_exemplars();
  e->set_value(0.5);
  e->set_timestamp(kNowMs - 1000);
  for (auto [n, v] : {std::pair{"trace_id", "000102030405060708090a0b0c0d0e0f"},
                      {"span_id", "0001020304050607"},
                      {"user", "ann"}}) {
    auto* l = e->add_labels();
    l->set_name(n);
    l->set_value(v);
  }
  ASSERT_EQ(write(req).status, 204);
  ASSERT_EQ(sink_.batches.size(), 1u);
  // Stale NaN → flags 1 (no recorded value); the exemplar lands on the point with its
  // timestamp, with hex ids as ids; otel_scope_* labels → a scope of their own.
  EXPECT_EQ(
      sink_.batches[0],
      R"({"resourceMetrics":[{"resource":{},"scopeMetrics":[{"scope":{"name":"lib","version":"1.2"},"metrics":[{"name":"g","gauge":{"dataPoints":[{"timeUnixNano":"1700000000000000000","asDouble":"NaN","flags":1}]}}]},{"scope":{},"metrics":[{"name":"c_total","gauge":{"dataPoints":[{"timeUnixNano":"1699999999000000000","asDouble":1,"exemplars":[{"filteredAttributes":[{"key":"user","value":{"stringValue":"ann"}}],"timeUnixNano":"1699999999000000000","asDouble":0.5,"spanId":"0001020304050607","traceId":"000102030405060708090a0b0c0d0e0f"}]},{"timeUnixNano":"1700000000000000000","asDouble":2}]}}]}]}]})");
}

TEST_F(RemoteWriteReceiverTest, MetadataOfEarlierRequestsApplies) {
  // Prometheus sends metadata in requests of their own, without series.
  prometheus::WriteRequest md;
  addMetadata(md, prometheus::MetricMetadata::COUNTER, "jobs_total", "Jobs.");
  ASSERT_EQ(write(md).status, 204);
  EXPECT_TRUE(sink_.batches.empty());
  prometheus::WriteRequest req;
  addSeries(req, {{"__name__", "jobs_total"}}, {{3, kNowMs}});
  ASSERT_EQ(write(req).status, 204);
  ASSERT_EQ(sink_.batches.size(), 1u);
  EXPECT_EQ(
      sink_.batches[0],
      R"({"resourceMetrics":[{"resource":{},"scopeMetrics":[{"scope":{},"metrics":[{"name":"jobs_total","description":"Jobs.","sum":{"dataPoints":[{"timeUnixNano":"1700000000000000000","asDouble":3}],"aggregationTemporality":2,"isMonotonic":true},"metadata":[{"key":"prometheus.type","value":{"stringValue":"counter"}}]}]}]}]})");
}

TEST_F(RemoteWriteReceiverTest, BadSeriesAreRefusedWithTheirNameAndIndex) {
  prometheus::WriteRequest req;
  addSeries(req, {{"__name__", "ok"}}, {{1, kNowMs}});
  addSeries(req, {{"job", "x"}, {"le", "1"}}, {{1, kNowMs}});
  auto r = write(req);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, "series 1 {job=\"x\", le=\"1\"}: no __name__ label\n");

  prometheus::WriteRequest dup;
  addSeries(dup, {{"__name__", "a"}, {"x", "1"}, {"x", "2"}}, {{1, kNowMs}});
  r = write(dup);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, "series 0 {__name__=\"a\", x=\"1\", x=\"2\"}: duplicate label name \"x\"\n");
  EXPECT_TRUE(sink_.batches.empty());
}

TEST_F(RemoteWriteReceiverTest, TransportErrors) {
  EXPECT_EQ(post("not snappy at all").status, 400);
  EXPECT_EQ(post(snappy("\x0a\x05")).body,
            "malformed WriteRequest at byte 1: length past the end of the message\n");
  auto r = post(snappy(std::string(70000, 'a')));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(post(snappy(""), "gzip").status, 415);
  r = post(snappy(""), "snappy", "application/x-protobuf;proto=io.prometheus.write.v2.Request");
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(r.body,
            "remote write 2.0 (io.prometheus.write.v2.Request) is not supported; send "
            "prometheus.WriteRequest (remote write 1.0)\n");
  EXPECT_EQ(post(snappy(""), "snappy", "application/json").status, 415);
  EXPECT_EQ(post("", "snappy", "application/x-protobuf", "GET").status, 405);
  EXPECT_EQ(post("", "snappy", "application/x-protobuf", "POST", "/write").status, 404);
  // An empty request (and one without Content-Encoding, read as snappy) succeeds.
  EXPECT_EQ(post(snappy(""), "").status, 204);
  EXPECT_TRUE(sink_.batches.empty());
}

TEST_F(RemoteWriteReceiverTest, PipelineRefusalsMapToWhatPrometheusRetries) {
  prometheus::WriteRequest req;
  addSeries(req, {{"__name__", "a"}}, {{1, kNowMs}});
  sink_.answer = unavailable("queue is full").withRetryAfter(7);
  auto r = write(req);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(header(r, "Retry-After"), "7");
  EXPECT_EQ(r.body, "queue is full\n");
  sink_.answer = resourceExhausted("memory");
  r = write(req);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(header(r, "Retry-After"), "1");
  sink_.answer = invalidArgument("permanent");
  r = write(req);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(header(r, "Retry-After"), "");
}

TEST_F(RemoteWriteReceiverTest, SamplesOlderThanTimeThresholdAreDropped) {
  Config c;
  c.time_threshold = 1;  // hour
  make(c);
  prometheus::WriteRequest req;
  addSeries(req, {{"__name__", "a"}}, {{1, kNowMs - 3'600'001}, {2, kNowMs - 3'600'000}});
  addSeries(req, {{"__name__", "old"}}, {{1, kNowMs - 7'200'000}});
  ASSERT_EQ(write(req).status, 204);
  ASSERT_EQ(sink_.batches.size(), 1u);
  EXPECT_EQ(
      sink_.batches[0],
      R"({"resourceMetrics":[{"resource":{},"scopeMetrics":[{"scope":{},"metrics":[{"name":"a","gauge":{"dataPoints":[{"timeUnixNano":"1699996400000000000","asDouble":2}]}}]}]}]})");
}

}  // namespace
}  // namespace periscope::components::prometheusremotewrite_receiver
