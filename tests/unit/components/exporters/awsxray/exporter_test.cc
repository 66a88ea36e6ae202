// The awsxray exporter as configured by users: YAML keys, local_mode over UDP end to end, and
// PutTraceSegments signed with SigV4 against a fake X-Ray endpoint.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <mutex>

#include "common/http/server.h"
#include "common/telemetry/metrics.h"
#include "components/exporters/awsxray/config.h"
#include "components/exporters/awsxray/factory.h"
#include "pipeline/consumer.h"
#include "support/null_host.h"
#include "unit/common/aws/sigv4_verifier.h"
#include "unit/components/exporters/awsxray/udp_listener.h"
#include "unit/components/exporters/awsxray/xray_test_util.h"

namespace periscope::components::awsxray_exporter {
namespace {

using json = nlohmann::json;

TEST(AwsXrayExporter, DecodesTheCollectorKeys) {
  Config c;
  ASSERT_EQ(periscope::testing::decodeConfig("region: eu-west-1\n"
                                             "endpoint: https://xray.local\n"
                                             "local_mode: true\n"
                                             "daemon_address: 127.0.0.1:2100\n"
                                             "indexed_attributes: [a, b]\n"
                                             "index_all_attributes: true\n"
                                             "aws_log_groups: [/app]\n"
                                             "role_arn: arn:aws:iam::1:role/x\n"
                                             "request_timeout_seconds: 10\n"
                                             "num_workers: 4\n"
                                             "invalid_trace_id: drop\n"
                                             "telemetry: {enabled: true}\n"
                                             "sending_queue: {enabled: false}\n",
                                             c),
            "");
  EXPECT_EQ(c.region, "eu-west-1");
  EXPECT_TRUE(c.local_mode);
  EXPECT_EQ(c.indexed_attributes, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(c.aws_log_groups, (std::vector<std::string>{"/app"}));
  EXPECT_EQ(c.request_timeout_seconds, 10);
  EXPECT_EQ(c.invalid_trace_id, "drop");
  EXPECT_TRUE(c.telemetry.enabled);
  EXPECT_FALSE(c.sending_queue.enabled);
  EXPECT_TRUE(c.validate().isOk());
  Config bad;
  EXPECT_NE(periscope::testing::decodeConfig("invalid_trace_id: rewrite\n", bad), "");
}

TEST(AwsXrayExporter, OnlyTraces) {
  auto f = makeFactory();
  EXPECT_TRUE(f->supports(pipeline::Signal::kTraces));
  EXPECT_FALSE(f->supports(pipeline::Signal::kMetrics));
  EXPECT_FALSE(f->supports(pipeline::Signal::kLogs));
}

TEST(AwsXrayExporter, LocalModeSendsEachDocumentToTheDaemon) {
  testing::UdpListener daemon;
  Config c;
  c.local_mode = true;
  c.daemon_address = "127.0.0.1:" + std::to_string(daemon.port());
  c.sending_queue.enabled = false;
  c.indexed_attributes = {"tenant"};
  auto e = makeFactory()->create({{"awsxray", ""}, component::Kind::kExporter, ""}, c,
                                 {pipeline::Signal::kTraces});
  ASSERT_TRUE(e.isOk());
  periscope::testing::NullHost host;
  ASSERT_TRUE((*e)->start(host).isOk());
  auto traces = testing::makeTraces(
      {{"service.name", testing::str("shop")}},
      {{.kind = model::SpanKind::kServer, .attrs = {{"tenant", testing::str("t1")}}},
       {.kind = model::SpanKind::kClient, .name = "call", .has_parent = true}});
  ASSERT_TRUE(pipeline::consumeAndWait(*(*e)->input().traces, std::move(traces)).isOk());
  const std::string header = "{\"format\": \"json\", \"version\": 1}\n";
  auto first = daemon.receive();
  ASSERT_EQ(first.rfind(header, 0), 0u);
  EXPECT_EQ(json::parse(first.substr(header.size())), json::parse(R"({
    "name": "shop", "id": "53995c3f42cd8ad8", "trace_id": "1-6553f100-77b34da6a3ce929d0e0e4736",
    "start_time": 1700000000.5, "end_time": 1700000001.25, "annotations": {"tenant": "t1"},
    "metadata": {"default": {"otel.resource.service.name": "shop"}}})"));
  auto second = daemon.receive();
  ASSERT_EQ(second.rfind(header, 0), 0u);
  EXPECT_EQ(json::parse(second.substr(header.size()))["type"], "subsegment");
  EXPECT_TRUE((*e)->shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5)).isOk());
}

TEST(AwsXrayExporter, DropsInvalidTraceIdsAndCountsThem) {
  testing::UdpListener daemon;
  Config c;
  c.local_mode = true;
  c.daemon_address = "127.0.0.1:" + std::to_string(daemon.port());
  c.sending_queue.enabled = false;
  c.invalid_trace_id = "drop";
  const component::ComponentId id{"awsxray", "drop"};
  auto e =
      makeFactory()->create({id, component::Kind::kExporter, ""}, c, {pipeline::Signal::kTraces});
  ASSERT_TRUE(e.isOk());
  periscope::testing::NullHost host;
  ASSERT_TRUE((*e)->start(host).isOk());
  // One id starting with the current epoch, one random W3C-style id.
  char epoch_hex[9];
  std::snprintf(epoch_hex, sizeof epoch_hex, "%08x",
                static_cast<unsigned>(std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count()));
  const std::string current = std::string(epoch_hex) + "77b34da6a3ce929d0e0e4736";
  auto traces = testing::makeTraces(
      {}, {{.kind = model::SpanKind::kServer, .trace_hex = "0badc0de77b34da6a3ce929d0e0e4736"},
           {.kind = model::SpanKind::kServer, .trace_hex = current}});
  ASSERT_TRUE(pipeline::consumeAndWait(*(*e)->input().traces, std::move(traces)).isOk());
  const std::string header = "{\"format\": \"json\", \"version\": 1}\n";
  auto datagram = daemon.receive();
  EXPECT_EQ(json::parse(datagram.substr(header.size()))["trace_id"],
            "1-" + std::string(epoch_hex) + "-77b34da6a3ce929d0e0e4736");
  EXPECT_EQ(telemetry::globalRegistry().value(
                "periscope_awsxray_documents_dropped",
                {{"exporter", "awsxray/drop"}, {"reason", "invalid_trace_id"}}),
            1.0);
  EXPECT_TRUE((*e)->shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5)).isOk());
}

// The API transport against a fake X-Ray endpoint that checks every request's SigV4 signature
// with the secret it shares with the test's environment credentials.
struct FakeXray {
  std::mutex mu;
  std::vector<http::Request> requests;
  std::atomic<int> throttle_next{0};
  std::unique_ptr<http::Server> server;
  FakeXray() {
    server = std::move(http::Server::start({}, [this](http::Request&& r, http::Respond respond) {
                         auto v = aws::testing::verifySigV4(r, "xray-test-secret");
                         http::Response answer =
                             !v.ok ? http::Response::text(403, R"({"message":"bad signature"})")
                             : throttle_next.fetch_sub(1) > 0
                                 ? http::Response::text(
                                       429, R"({"__type":"ThrottlingException","message":"slow"})")
                                 : http::Response::text(200, R"({"UnprocessedTraceSegments":[]})");
                         std::lock_guard lock(mu);
                         requests.push_back(std::move(r));
                         respond(std::move(answer));
                       }).value());
  }
  ~FakeXray() { server->stop(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server->port()); }
};

TEST(AwsXrayExporter, PutTraceSegmentsIsSignedAndThrottlingIsRetryable) {
  setenv("AWS_ACCESS_KEY_ID", "AKXRAYTEST", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "xray-test-secret", 1);
  unsetenv("AWS_SESSION_TOKEN");
  FakeXray xray;
  xray.throttle_next = 1;
  Config c;
  c.region = "eu-west-1";
  c.endpoint = xray.url();
  c.sending_queue.enabled = false;
  auto e = makeFactory()->create({{"awsxray", "api"}, component::Kind::kExporter, ""}, c,
                                 {pipeline::Signal::kTraces});
  ASSERT_TRUE(e.isOk());
  periscope::testing::NullHost host;
  ASSERT_TRUE((*e)->start(host).isOk());
  auto batch = [] {
    return testing::makeTraces(
        {}, {{.kind = model::SpanKind::kServer, .trace_hex = "5759e988bd862e3fe1be46a994272793"}});
  };
  // Without a sending queue the caller gets the attempt's answer: throttling is retryable.
  Status throttled = pipeline::consumeAndWait(*(*e)->input().traces, batch());
  EXPECT_EQ(throttled.code(), StatusCode::kUnavailable) << throttled.toString();
  Status sent = pipeline::consumeAndWait(*(*e)->input().traces, batch());
  ASSERT_TRUE(sent.isOk()) << sent.toString();
  unsetenv("AWS_ACCESS_KEY_ID");
  unsetenv("AWS_SECRET_ACCESS_KEY");
  std::lock_guard lock(xray.mu);
  ASSERT_EQ(xray.requests.size(), 2u);  // throttled, then accepted
  for (const auto& r : xray.requests) {
    EXPECT_EQ(r.target, "/TraceSegments");
    auto v = aws::testing::verifySigV4(r, "xray-test-secret");
    EXPECT_TRUE(v.ok) << v.detail;
    EXPECT_EQ(v.service, "xray");
    EXPECT_EQ(v.region, "eu-west-1");
    auto body = json::parse(r.body);
    ASSERT_EQ(body["TraceSegmentDocuments"].size(), 1u);
    EXPECT_EQ(json::parse(body["TraceSegmentDocuments"][0].get<std::string>())["trace_id"],
              "1-5759e988-bd862e3fe1be46a994272793");
  }
  EXPECT_TRUE((*e)->shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5)).isOk());
}

TEST(AwsXrayExporter, ApiTransportNeedsARegionOrEndpoint) {
  unsetenv("AWS_REGION");
  unsetenv("AWS_DEFAULT_REGION");
  setenv("AWS_CONFIG_FILE", "/nonexistent/periscope-test-config", 1);
  Config c;
  auto e = makeFactory()->create({{"awsxray", ""}, component::Kind::kExporter, ""}, c,
                                 {pipeline::Signal::kTraces});
  unsetenv("AWS_CONFIG_FILE");
  ASSERT_TRUE(e.isOk());
  periscope::testing::NullHost host;
  Status st = (*e)->start(host);
  ASSERT_FALSE(st.isOk());
  EXPECT_EQ(st.message(),
            "exporter awsxray: awsxray: no region: set `region` (or AWS_REGION), or `endpoint`, or "
            "local_mode: true");
}

}  // namespace
}  // namespace periscope::components::awsxray_exporter
