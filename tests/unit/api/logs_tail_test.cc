// The live tail (GET /api/periscope/logs/tail) over a real socket: events per record, the
// client limit, keep-alives, the end of the subscription when the client goes or the server
// stops, and backpressure — a client that does not read loses records, counted, and is told how
// many once it catches up, while deliveries (the store's writer) never wait.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/api_server.h"
#include "fake_logs_backend.h"
#include "fake_trace_reader.h"
#include "support/raw_http_client.h"

namespace periscope::api {
namespace {

using nlohmann::json;
using periscope::testing::RawHttpClient;
using testing::FakeLogsBackend;

constexpr const char* kTailTarget = "/api/periscope/logs/tail?query=%7Bservice.name%3D%22a%22%7D";

// One record whose body is "record <n>" padded to `pad` bytes.
model::Logs record(int n, size_t pad = 0) {
  std::string body = "record " + std::to_string(n) + std::string(pad, ' ');
  return testing::logsFromJson(
      R"({"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"a"}}]},
          "scopeLogs":[{"logRecords":[{"timeUnixNano":"1700000000000000000",
          "body":{"stringValue":")" +
      body + R"("}}]}]}]})");
}

// The n of "record <n>" in a log event.
int recordNumber(const periscope::testing::SseEvent& e) {
  std::string line = json::parse(e.data)["line"];
  return std::stoi(line.substr(7));
}

class LogsTailTest : public ::testing::Test {
 protected:
  void start(LogsTailOptions tail) {
    traces_ = std::make_unique<query::TraceService>(trace_reader_, query::TraceServiceOptions{});
    ApiOptions options;
    options.endpoint = "127.0.0.1:0";
    options.threads = 2;
    options.logs.tail = tail;
    options.logs.tail_counters = &counters_;
    auto server = ApiServer::start(options, *traces_, nullptr, logs_);
    ASSERT_TRUE(server.isOk()) << server.status().toString();
    server_ = std::move(*server);
  }

  // A client whose tail is open (the answer's head read: the subscription exists by then).
  std::unique_ptr<RawHttpClient> openTail(int receive_buffer = 0) {
    auto client = RawHttpClient::connect(server_->port(), receive_buffer);
    EXPECT_TRUE(client && client->get(kTailTarget));
    EXPECT_EQ(client->readHead(), 200);
    EXPECT_EQ(client->headers().at("content-type"), "text/event-stream; charset=utf-8");
    return client;
  }

  testing::FakeTraceReader trace_reader_;
  std::unique_ptr<query::TraceService> traces_;
  FakeLogsBackend logs_;
  LogsTailCounters counters_;
  std::unique_ptr<ApiServer> server_;
};

TEST_F(LogsTailTest, StreamsOneEventPerMatchingRecord) {
  start({});
  auto client = openTail();
  EXPECT_EQ(logs_.tail_queries, std::vector<std::string>{R"({service.name="a"})"});
  ASSERT_EQ(logs_.subscriptions(), 1u);
  model::Logs two = record(1);
  two.append(record(2));
  logs_.deliver(two, {{{"k", "v"}}, {}});
  for (int n : {1, 2}) {
    auto e = client->readEvent();
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->event, "log");
    EXPECT_EQ(recordNumber(*e), n);
    json j = json::parse(e->data);
    EXPECT_EQ(j["resource"], json({{"service.name", "a"}}));
    EXPECT_EQ(j["fields"], n == 1 ? json({{"k", "v"}}) : json::object());
  }
  EXPECT_EQ(counters_.clients.load(), 1);
  client->close();
  ASSERT_TRUE(logs_.waitForSubscriptions(0));
  EXPECT_EQ(counters_.clients.load(), 0);
}

TEST_F(LogsTailTest, BadQueriesAre400AndOpenNoSubscription) {
  start({});
  for (const char* target : {"/api/periscope/logs/tail", "/api/periscope/logs/tail?query=%7Ba%3D",
                             "/api/periscope/logs/tail?query=rate(%7Ba%3D%22b%22%7D%5B1m%5D)"}) {
    auto client = RawHttpClient::connect(server_->port());
    ASSERT_TRUE(client && client->get(target));
    EXPECT_EQ(client->readHead(), 400) << target;
    std::string body;
    while (auto piece = client->readBody()) body += *piece;
    std::string message = json::parse(body)["error"]["message"];
    EXPECT_TRUE(message.starts_with("query: ")) << message;
  }
  logs_.fail = invalidArgument("tail takes no `| limit` or `| direction`");
  auto client = RawHttpClient::connect(server_->port());
  ASSERT_TRUE(client && client->get(kTailTarget));
  EXPECT_EQ(client->readHead(), 400);
  std::string body;
  while (auto piece = client->readBody()) body += *piece;
  EXPECT_EQ(json::parse(body)["error"]["message"],
            "query: tail takes no `| limit` or `| direction`");
  logs_.fail = unavailable("log store is starting");
  auto later = RawHttpClient::connect(server_->port());
  ASSERT_TRUE(later && later->get(kTailTarget));
  EXPECT_EQ(later->readHead(), 503);
  EXPECT_EQ(logs_.subscriptions(), 0u);
  EXPECT_EQ(counters_.clients.load(), 0);
}

TEST_F(LogsTailTest, ClientsPastTheLimitAre429UntilOneLeaves) {
  LogsTailOptions tail;
  tail.max_clients = 1;
  start(tail);
  auto first = openTail();
  auto second = RawHttpClient::connect(server_->port());
  ASSERT_TRUE(second && second->get(kTailTarget));
  EXPECT_EQ(second->readHead(), 429);
  EXPECT_EQ(second->headers().at("retry-after"), "5");
  first->close();
  ASSERT_TRUE(logs_.waitForSubscriptions(0));
  auto third = openTail();
  EXPECT_EQ(logs_.subscriptions(), 1u);
}

TEST_F(LogsTailTest, IdleClientsGetKeepAliveComments) {
  LogsTailOptions tail;
  tail.keepalive = std::chrono::milliseconds(1);
  start(tail);
  auto client = openTail();
  auto e = client->readEvent();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->event, "");
  EXPECT_EQ(e->comment, "keep-alive");
}

TEST_F(LogsTailTest, StoppingTheServerEndsEverySubscription) {
  start({});
  auto a = openTail();
  auto b = openTail();
  EXPECT_EQ(logs_.subscriptions(), 2u);
  server_->stop();
  EXPECT_EQ(logs_.subscriptions(), 0u);
  EXPECT_EQ(counters_.clients.load(), 0);
}

TEST_F(LogsTailTest, ASlowClientLosesRecordsAndIsToldHowManyOnceItCatchesUp) {
  LogsTailOptions tail;
  tail.buffer_records = 4;
  start(tail);
  auto client = openTail(/*receive_buffer=*/4096);
  // The client reads nothing: the socket buffers fill, the write in flight stalls, the inbox
  // fills, and later records are dropped. deliver() returns each time regardless.
  int delivered = 0;
  while (counters_.records_dropped.load() < 20 && delivered < 200'000) {
    logs_.deliver(record(delivered++, 2000));
  }
  ASSERT_GE(counters_.records_dropped.load(), 20u);
  // Catch up: every record is either received, in order, or covered by the `dropped` events
  // that precede the next received one (or close the sequence).
  int expected = 0;
  uint64_t pending_drops = 0;
  uint64_t dropped_total = 0;
  int received = 0;
  while (expected + static_cast<int>(pending_drops) < delivered) {
    auto e = client->readEvent();
    ASSERT_TRUE(e.has_value()) << "stream ended after record " << expected;
    if (e->event == "dropped") {
      uint64_t n = json::parse(e->data)["dropped"];
      EXPECT_GT(n, 0u);
      // Reports may follow each other (a record that found the buffer full while the writer
      // was draining it): their counts add up.
      pending_drops += n;
      dropped_total += n;
      continue;
    }
    ASSERT_EQ(e->event, "log");
    EXPECT_EQ(recordNumber(*e), expected + static_cast<int>(pending_drops));
    expected = recordNumber(*e) + 1;
    pending_drops = 0;
    ++received;
  }
  EXPECT_GT(dropped_total, 0u);
  EXPECT_EQ(static_cast<uint64_t>(received) + dropped_total, static_cast<uint64_t>(delivered));
  EXPECT_EQ(dropped_total, counters_.records_dropped.load());
  // Caught up: the next record arrives as it is.
  logs_.deliver(record(delivered, 0));
  auto e = client->readEvent();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->event, "log");
  EXPECT_EQ(recordNumber(*e), delivered);
}

}  // namespace
}  // namespace periscope::api
