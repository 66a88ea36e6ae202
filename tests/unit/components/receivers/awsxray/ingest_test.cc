// Datagram framing and the receiver's counters: bad datagrams are counted and dropped alone,
// valid ones around them go through; and a real UDP socket round trip.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "components/receivers/awsxray/datagram.h"
#include "components/receivers/awsxray/segment_ingest.h"
#include "components/receivers/awsxray/udp_server.h"

namespace periscope::components::awsxray_receiver {
namespace {

const std::string kHeader = R"({"format": "json", "version": 1})";

std::string segment(const std::string& id, const std::string& name) {
  return R"({"trace_id":"1-5759e988-bd862e3fe1be46a994272793","id":")" + id + R"(","name":")" +
         name + R"(","start_time":1700000000,"end_time":1700000001})";
}

std::string datagram(const std::string& doc) {
  return kHeader + "\n" + doc;
}

// Collects span names; answers `answer`; wakes waiters for a span count.
class NameSink : public pipeline::TracesConsumer {
 public:
  void consume(model::Traces&& data, pipeline::Done done) override {
    {
      std::lock_guard lock(mu);
      ++batches;
      for (const auto& rs : data.resources())
        for (const auto& ss : rs.scope_spans)
          for (const auto& s : ss.spans) names.emplace_back(s.name);
    }
    cv.notify_all();
    done(answer);
  }
  std::vector<std::string> waitFor(size_t n) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return names.size() >= n; });
    return names;
  }
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> names;
  int batches = 0;
  Status answer;
};

double counter(telemetry::Registry& r, const std::string& name) {
  return r.counter(name, "", {{"receiver", "awsxray"}, {"transport", "udp"}}).value();
}

TEST(AwsXrayReceiverDatagram, SplitsHeaderAndBody) {
  auto body = splitDatagram(datagram("{}"), datagram("{}").size());
  ASSERT_TRUE(body.isOk());
  EXPECT_EQ(body.value(), "{}");
}

TEST(AwsXrayReceiverDatagram, RefusesBadFraming) {
  for (const std::string& d : {
           std::string(R"({"trace_id":"x"})"),                           // no header line
           std::string("not json\n{}"),                                  // header not JSON
           std::string(R"({"format": "json", "version": 2})") + "\n{}",  // wrong version
           std::string(R"({"format": "xml", "version": 1})") + "\n{}",   // wrong format
           std::string(R"({"version": 1})") + "\n{}",                    // no format
           kHeader + "\n",                                               // no body
           kHeader + "\n  \n",                                           // blank body
       }) {
    EXPECT_FALSE(splitDatagram(d, d.size()).isOk()) << d;
  }
  std::string ok = datagram("{}");
  EXPECT_FALSE(splitDatagram(ok, kMaxDatagramBytes + 1).isOk());
  EXPECT_TRUE(splitDatagram(ok, kMaxDatagramBytes).isOk());
}

TEST(AwsXrayReceiverIngest, BadDatagramsAreCountedAndDroppedWhileGoodOnesPass) {
  telemetry::Registry registry;
  NameSink sink;
  SegmentIngest ingest(component::ComponentId::parse("awsxray").value(), &sink, registry);
  std::string big = datagram(segment("0000000000000009", std::string(70000, 'x')));
  ingest.add(datagram(segment("0000000000000001", "first")), 0);
  ingest.add("no header at all", 16);
  ingest.add(R"({"format": "json", "version": 2})"
             "\n" +
                 segment("0000000000000002", "v2"),
             10);
  ingest.add(datagram("{broken"), 10);
  ingest.add(big.substr(0, kMaxDatagramBytes + 1), big.size());  // as recv(MSG_TRUNC) gives it
  ingest.add(
      datagram(R"({"trace_id":"1-5759e988-bd862e3fe1be46a994272793","id":"0000000000000003",)"
               R"("name":"p","start_time":1,"subsegments":[{"name":"noid","start_time":1}]})"),
      10);
  ingest.add(datagram(segment("0000000000000004", "second")), 10);
  EXPECT_EQ(ingest.pendingSpans(), 2u);
  ingest.flush();
  EXPECT_EQ(sink.names, (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(sink.batches, 1);
  EXPECT_EQ(counter(registry, "otelcol_receiver_accepted_spans"), 2);
  // 1 per unreadable datagram (4), plus the 2 (sub)segments of the refused document.
  EXPECT_EQ(counter(registry, "otelcol_receiver_refused_spans"), 6);
  EXPECT_EQ(registry.counter("periscope_awsxray_malformed_datagrams", "", {{"receiver", "awsxray"}})
                .value(),
            5);
}

TEST(AwsXrayReceiverIngest, PipelineRefusalCountsRefusedSpans) {
  telemetry::Registry registry;
  NameSink sink;
  sink.answer = unavailable("full");
  SegmentIngest ingest(component::ComponentId::parse("awsxray").value(), &sink, registry);
  ingest.add(datagram(segment("0000000000000001", "a")), 10);
  ingest.flush();
  ingest.flush();  // nothing pending: no empty batch is sent
  EXPECT_EQ(sink.batches, 1);
  EXPECT_EQ(counter(registry, "otelcol_receiver_refused_spans"), 1);
  EXPECT_EQ(counter(registry, "otelcol_receiver_accepted_spans"), 0);
}

TEST(AwsXrayReceiverUdp, ReceivesDatagramsOverARealSocketAndSurvivesGarbage) {
  telemetry::Registry registry;
  NameSink sink;
  SegmentIngest ingest(component::ComponentId::parse("awsxray").value(), &sink, registry);
  UdpServer server("127.0.0.1:0", ingest);
  ASSERT_TRUE(server.start().isOk());
  ASSERT_NE(server.port(), 0);

  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(server.port());
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  auto send = [&](const std::string& d) {
    ASSERT_EQ(sendto(fd, d.data(), d.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof(to)),
              static_cast<ssize_t>(d.size()));
  };
  send(datagram(segment("0000000000000001", "one")));
  send("garbage");
  send(datagram("{bad json"));
  send(datagram(segment("0000000000000002", "two")));
  auto names = sink.waitFor(2);
  close(fd);
  server.shutdown();
  EXPECT_EQ(names, (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(counter(registry, "otelcol_receiver_accepted_spans"), 2);
  EXPECT_EQ(counter(registry, "otelcol_receiver_refused_spans"), 2);
}

TEST(AwsXrayReceiverUdp, BindFailureIsAnError) {
  telemetry::Registry registry;
  SegmentIngest ingest(component::ComponentId::parse("awsxray").value(), nullptr, registry);
  UdpServer first("127.0.0.1:0", ingest);
  ASSERT_TRUE(first.start().isOk());
  UdpServer second("127.0.0.1:" + std::to_string(first.port()), ingest);
  EXPECT_FALSE(second.start().isOk());
}

}  // namespace
}  // namespace periscope::components::awsxray_receiver
