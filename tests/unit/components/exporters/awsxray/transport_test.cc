// The UDP daemon transport against a local UDP socket, the daemon address rules, and the
// PutTraceSegments request body.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "components/exporters/awsxray/put_trace_segments.h"
#include "components/exporters/awsxray/udp_daemon_sender.h"
#include "unit/components/exporters/awsxray/udp_listener.h"

namespace periscope::components::awsxray_exporter {
namespace {

using testing::UdpListener;

TEST(AwsXrayUdp, OneDatagramPerDocumentWithDaemonHeader) {
  UdpListener listener;
  auto sender = UdpDaemonSender::create("127.0.0.1:" + std::to_string(listener.port()));
  ASSERT_TRUE(sender.isOk()) << sender.status().message();
  std::vector<std::string> docs = {R"({"name":"a","id":"0000000000000001"})",
                                   R"({"name":"b","id":"0000000000000002"})"};
  ASSERT_TRUE((*sender)->send(docs).isOk());
  EXPECT_EQ(listener.receive(),
            "{\"format\": \"json\", \"version\": 1}\n{\"name\":\"a\",\"id\":\"0000000000000001\"}");
  EXPECT_EQ(listener.receive(),
            "{\"format\": \"json\", \"version\": 1}\n{\"name\":\"b\",\"id\":\"0000000000000002\"}");
  EXPECT_EQ((*sender)->maxDocumentBytes(), 65507u - kDaemonHeader.size());
}

TEST(AwsXrayUdp, BadAddressIsAnError) {
  auto r = UdpDaemonSender::create("no-port");
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(std::string(r.status().message()).find("no-port"), std::string::npos);
}

TEST(AwsXrayUdp, DaemonAddressFromConfigEnvOrDefault) {
  unsetenv("AWS_XRAY_DAEMON_ADDRESS");
  EXPECT_EQ(daemonAddress(""), "127.0.0.1:2000");
  EXPECT_EQ(daemonAddress("10.0.0.1:3000"), "10.0.0.1:3000");
  setenv("AWS_XRAY_DAEMON_ADDRESS", "xray-daemon:2001", 1);
  EXPECT_EQ(daemonAddress(""), "xray-daemon:2001");
  EXPECT_EQ(daemonAddress("10.0.0.1:3000"), "10.0.0.1:3000");
  setenv("AWS_XRAY_DAEMON_ADDRESS", "tcp:127.0.0.1:2000 udp:127.0.0.2:2002", 1);
  EXPECT_EQ(daemonAddress(""), "127.0.0.2:2002");
  unsetenv("AWS_XRAY_DAEMON_ADDRESS");
}

TEST(AwsXrayApi, PutTraceSegmentsBody) {
  std::vector<std::string> docs = {R"({"name":"a"})", R"({"name":"b"})"};
  EXPECT_EQ(nlohmann::json::parse(putTraceSegmentsBody(docs)),
            nlohmann::json::parse(
                R"({"TraceSegmentDocuments":["{\"name\":\"a\"}","{\"name\":\"b\"}"]})"));
}

}  // namespace
}  // namespace periscope::components::awsxray_exporter
