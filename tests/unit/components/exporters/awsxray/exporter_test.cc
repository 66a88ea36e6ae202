// The awsxray exporter as configured by users: YAML keys, local_mode over UDP end to end, and
// the API transport's "not yet wired" refusal.
#include <gtest/gtest.h>

#include <cstdio>

#include "common/telemetry/metrics.h"
#include "components/exporters/awsxray/config.h"
#include "components/exporters/awsxray/factory.h"
#include "pipeline/consumer.h"
#include "support/null_host.h"
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

TEST(AwsXrayExporter, ApiTransportRefusesToStartUntilWired) {
  Config c;
  c.region = "eu-west-1";
  auto e = makeFactory()->create({{"awsxray", ""}, component::Kind::kExporter, ""}, c,
                                 {pipeline::Signal::kTraces});
  ASSERT_TRUE(e.isOk());
  periscope::testing::NullHost host;
  Status st = (*e)->start(host);
  ASSERT_FALSE(st.isOk());
  EXPECT_NE(std::string(st.message()).find("not yet wired"), std::string::npos);
  EXPECT_NE(std::string(st.message()).find("local_mode: true"), std::string::npos);
}

}  // namespace
}  // namespace periscope::components::awsxray_exporter
