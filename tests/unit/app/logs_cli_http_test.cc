// `periscope logs` against a real ApiServer (fake LogsBackend) over HTTP with the real
// HttpClient: a query, and --follow receiving a tail event, then stopping as on Ctrl-C.
#include <gtest/gtest.h>

#include <atomic>
#include <sstream>
#include <thread>

#include "api/api_server.h"
#include "app/logs_cli.h"
#include "unit/api/fake_logs_backend.h"
#include "unit/api/fake_trace_reader.h"

namespace periscope::app::logs_cli {
namespace {

constexpr const char* kOneRecord = R"({"resourceLogs":[{
  "resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
  "scopeLogs":[{"logRecords":[{"timeUnixNano":"1700000000000000000","severityNumber":13,
  "body":{"stringValue":"slow payment"}}]}]}]})";

class LogsCliHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    traces_ = std::make_unique<query::TraceService>(reader_, query::TraceServiceOptions{});
    api::ApiOptions options;
    options.endpoint = "127.0.0.1:0";
    options.threads = 1;
    auto server = api::ApiServer::start(options, *traces_, nullptr, logs_);
    ASSERT_TRUE(server.isOk());
    server_ = std::move(*server);
    server_url_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }

  api::testing::FakeTraceReader reader_;
  std::unique_ptr<query::TraceService> traces_;
  api::testing::FakeLogsBackend logs_;
  std::unique_ptr<api::ApiServer> server_;
  std::string server_url_;
};

TEST_F(LogsCliHttpTest, QueryPrintsTheServersRecords) {
  logs_.records_json = kOneRecord;
  HttpClient client;
  Io io;
  io.fetch = [&](const std::string& url) { return client.get(url, std::chrono::seconds(20)); };
  std::ostringstream out, err;
  int code = run({"--server", server_url_, "{service.name=\"checkout\"}"}, io, out, err,
                 1'700'000'000'000'000'000);
  EXPECT_EQ(code, 0) << err.str();
  EXPECT_EQ(out.str(), "2023-11-14T22:13:20.000Z WARN checkout slow payment\n");
  ASSERT_EQ(logs_.requests.size(), 1u);
  EXPECT_EQ(logs_.requests[0].end_ns, 1'700'000'000'000'000'000u);
}

TEST_F(LogsCliHttpTest, FollowStreamsUntilInterrupted) {
  HttpClient client;
  std::atomic<bool> interrupted{false};
  Io io;
  io.interrupted = [&] { return interrupted.load(); };
  io.stream = [&](const std::string& url,
                  const std::function<bool(long, std::string_view)>& on_data) {
    return client.stream(
        url,
        [&](long status, std::string_view data) {
          bool more = on_data(status, data);
          if (data.find("event: log") != std::string_view::npos) interrupted = true;  // "Ctrl-C"
          return more;
        },
        io.interrupted, std::chrono::seconds(20));
  };
  std::thread store([&] {
    ASSERT_TRUE(logs_.waitForSubscriptions(1));
    logs_.deliver(api::testing::logsFromJson(kOneRecord));
  });
  std::ostringstream out, err;
  int code =
      run({"--server", server_url_, "--follow", "{service.name=\"checkout\"}"}, io, out, err, 0);
  store.join();
  EXPECT_EQ(code, 0) << err.str();
  EXPECT_EQ(out.str(), "2023-11-14T22:13:20.000Z WARN checkout slow payment\n");
  EXPECT_EQ(logs_.tail_queries, std::vector<std::string>{"{service.name=\"checkout\"}"});
  EXPECT_TRUE(logs_.waitForSubscriptions(0));  // the server saw the client go
}

}  // namespace
}  // namespace periscope::app::logs_cli
