// The HTTP server's streaming mode (StreamSource / BodyStream) against a plain-socket client:
// chunked bodies written in order with write completions, HTTP/1.0 bodies ended by the
// connection, and the stream ending — with onClosed exactly once — when the source closes it,
// the client goes away, or the server stops.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/http/server.h"
#include "support/raw_http_client.h"

namespace periscope::http {
namespace {

using testing::RawHttpClient;

constexpr auto kFailAfter = std::chrono::seconds(20);  // only a failing test waits this long

class TestSource final : public StreamSource {
 public:
  std::function<void(std::shared_ptr<BodyStream>)> on_open;
  std::promise<void> closed;
  std::atomic<int> closed_calls{0};

  void onOpen(std::shared_ptr<BodyStream> body) override { on_open(std::move(body)); }
  void onClosed() override {
    if (closed_calls.fetch_add(1) == 0) closed.set_value();
  }
};

// A server whose every request is answered by streaming from `source`.
std::unique_ptr<Server> streamingServer(std::shared_ptr<TestSource> source) {
  auto server = Server::start({}, [source](Request&&, Respond respond) {
    Response r;
    r.setHeader("Content-Type", "text/event-stream");
    r.stream = source;
    respond(std::move(r));
  });
  EXPECT_TRUE(server.isOk());
  return std::move(*server);
}

TEST(HttpStreaming, WritesChunksInOrderAndReportsEachWritten) {
  auto source = std::make_shared<TestSource>();
  std::mutex mu;
  std::vector<std::string> written;
  source->on_open = [&](std::shared_ptr<BodyStream> body) {
    auto note = [&](std::string what) {
      std::lock_guard lock(mu);
      written.push_back(std::move(what));
    };
    EXPECT_TRUE(body->write("first ", [note] { note("first"); }));
    EXPECT_TRUE(body->write("", [note] { note("empty"); }));  // not a terminating chunk
    EXPECT_TRUE(body->write("second", [note, body] {
      note("second");
      body->close();
    }));
  };
  auto server = streamingServer(source);
  auto client = RawHttpClient::connect(server->port());
  ASSERT_TRUE(client && client->get("/stream"));
  ASSERT_EQ(client->readHead(), 200);
  EXPECT_EQ(client->headers().at("content-type"), "text/event-stream");
  EXPECT_EQ(client->headers().at("transfer-encoding"), "chunked");
  EXPECT_EQ(client->headers().at("connection"), "close");
  std::string body;
  std::vector<std::string> chunks;
  while (auto chunk = client->readBody()) chunks.push_back(*chunk);
  EXPECT_EQ(chunks, (std::vector<std::string>{"first ", "second"}));
  ASSERT_EQ(source->closed.get_future().wait_for(kFailAfter), std::future_status::ready);
  EXPECT_EQ(source->closed_calls.load(), 1);
  std::lock_guard lock(mu);
  EXPECT_EQ(written, (std::vector<std::string>{"first", "empty", "second"}));
}

TEST(HttpStreaming, Http10BodyEndsWithTheConnection) {
  auto source = std::make_shared<TestSource>();
  source->on_open = [](std::shared_ptr<BodyStream> body) {
    body->write("event: x\n\n");
    body->close();
  };
  auto server = streamingServer(source);
  auto client = RawHttpClient::connect(server->port());
  ASSERT_TRUE(client && client->get("/stream", /*http10=*/true));
  ASSERT_EQ(client->readHead(), 200);
  EXPECT_EQ(client->headers().count("transfer-encoding"), 0u);
  std::string body;
  while (auto piece = client->readBody()) body += *piece;
  EXPECT_EQ(body, "event: x\n\n");
}

TEST(HttpStreaming, ClientGoingAwayEndsTheStream) {
  auto source = std::make_shared<TestSource>();
  std::promise<std::shared_ptr<BodyStream>> opened;
  source->on_open = [&](std::shared_ptr<BodyStream> body) { opened.set_value(body); };
  auto server = streamingServer(source);
  auto client = RawHttpClient::connect(server->port());
  ASSERT_TRUE(client && client->get("/stream"));
  ASSERT_EQ(client->readHead(), 200);
  auto opened_future = opened.get_future();
  ASSERT_EQ(opened_future.wait_for(kFailAfter), std::future_status::ready);
  std::shared_ptr<BodyStream> body = opened_future.get();
  client->close();
  ASSERT_EQ(source->closed.get_future().wait_for(kFailAfter), std::future_status::ready);
  EXPECT_FALSE(body->write("too late"));
  EXPECT_EQ(source->closed_calls.load(), 1);
}

TEST(HttpStreaming, StopEndsOpenStreamsBeforeReturning) {
  auto source = std::make_shared<TestSource>();
  std::promise<std::shared_ptr<BodyStream>> opened;
  source->on_open = [&](std::shared_ptr<BodyStream> body) { opened.set_value(body); };
  auto server = streamingServer(source);
  auto client = RawHttpClient::connect(server->port());
  ASSERT_TRUE(client && client->get("/stream"));
  ASSERT_EQ(client->readHead(), 200);
  auto opened_future = opened.get_future();
  ASSERT_EQ(opened_future.wait_for(kFailAfter), std::future_status::ready);
  std::shared_ptr<BodyStream> body = opened_future.get();
  server->stop();
  EXPECT_EQ(source->closed_calls.load(), 1);
  EXPECT_FALSE(body->write("after stop"));
  EXPECT_FALSE(client->readBody().has_value());  // the connection was closed
}

TEST(HttpStreaming, AClientThatStopsReadingIsCutOffAfterTheIdleTimeout) {
  auto source = std::make_shared<TestSource>();
  std::atomic<int> written{0};
  // Each write is issued when the previous one completed: the chain stops when the socket's
  // buffers are full, and the stalled write then times out.
  std::function<void(std::shared_ptr<BodyStream>)> next = [&](std::shared_ptr<BodyStream> body) {
    body->write(std::string(64 << 10, 'x'), [&, body] {
      ++written;
      next(body);
    });
  };
  source->on_open = next;
  ServerOptions options;
  options.idle_timeout = std::chrono::milliseconds(50);
  auto server = Server::start(options, [source](Request&&, Respond respond) {
    Response r;
    r.stream = source;
    respond(std::move(r));
  });
  ASSERT_TRUE(server.isOk());
  auto client = RawHttpClient::connect((*server)->port(), /*receive_buffer=*/4096);
  ASSERT_TRUE(client && client->get("/stream"));
  ASSERT_EQ(client->readHead(), 200);  // and then reads nothing more
  ASSERT_EQ(source->closed.get_future().wait_for(kFailAfter), std::future_status::ready);
  EXPECT_EQ(source->closed_calls.load(), 1);
  EXPECT_GT(written.load(), 0);
}

TEST(HttpStreaming, OrdinaryAnswersAreUnchangedBesideStreams) {
  auto source = std::make_shared<TestSource>();
  source->on_open = [](std::shared_ptr<BodyStream> body) { body->close(); };
  auto server = Server::start({}, [source](Request&& req, Respond respond) {
    if (req.path == "/plain") return respond(Response::text(200, "hello"));
    Response r;
    r.stream = source;
    respond(std::move(r));
  });
  ASSERT_TRUE(server.isOk());
  auto client = RawHttpClient::connect((*server)->port());
  ASSERT_TRUE(client && client->get("/plain"));
  ASSERT_EQ(client->readHead(), 200);
  EXPECT_EQ(client->headers().at("content-length"), "5");
  EXPECT_EQ(client->readBody(), "hello");
}

}  // namespace
}  // namespace periscope::http
