// The UDP daemon transport against a local UDP socket, the daemon address rules, and the
// PutTraceSegments request body.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "components/exporters/awsxray/put_trace_segments.h"
#include "components/exporters/awsxray/udp_daemon_sender.h"

namespace periscope::components::awsxray_exporter {
namespace {

class UdpListener {
 public:
  UdpListener() {
    fd_ = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~UdpListener() { close(fd_); }
  int port() const { return port_; }
  // Blocks until a datagram arrives (the sender has already sent it on loopback).
  std::string receive() {
    std::string buf(70000, '\0');
    ssize_t n = recv(fd_, buf.data(), buf.size(), 0);
    buf.resize(n < 0 ? 0 : static_cast<size_t>(n));
    return buf;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

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

TEST(AwsXrayApi, PutTraceSegmentsUrlAndBody) {
  EXPECT_EQ(putTraceSegmentsUrl("", "eu-west-1"),
            "https://xray.eu-west-1.amazonaws.com/TraceSegments");
  EXPECT_EQ(putTraceSegmentsUrl("https://localhost:8443/", "x"),
            "https://localhost:8443/TraceSegments");
  std::vector<std::string> docs = {R"({"name":"a"})", R"({"name":"b"})"};
  EXPECT_EQ(nlohmann::json::parse(putTraceSegmentsBody(docs)),
            nlohmann::json::parse(
                R"({"TraceSegmentDocuments":["{\"name\":\"a\"}","{\"name\":\"b\"}"]})"));
}

}  // namespace
}  // namespace periscope::components::awsxray_exporter
