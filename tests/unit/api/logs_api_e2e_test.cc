// The logs API over the real query::LogsService and the in-memory log reader, through
// ApiServer::start(…, const LogsService*): query with `| json`, a trace's logs, resource values,
// a metric query, and a live tail fed by the reader's writes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/api_server.h"
#include "fake_logs_backend.h"
#include "fake_trace_reader.h"
#include "support/memory_log_reader.h"
#include "support/raw_http_client.h"

namespace periscope::api {
namespace {

using nlohmann::json;
using periscope::testing::RawHttpClient;

constexpr const char* kLogs = R"({"resourceLogs":[{
  "resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
  "scopeLogs":[{"scope":{"name":"lib"},"logRecords":[
   {"timeUnixNano":"1700000000000000001","severityNumber":17,"severityText":"ERROR",
    "traceId":"5B8EFFF798038103D269B633813FC60C",
    "body":{"stringValue":"{\"msg\":\"timeout\",\"user\":\"alice\"}"}},
   {"timeUnixNano":"1700000000000000002","severityNumber":9,"body":{"stringValue":"ok"}},
   {"timeUnixNano":"1700000000000000003","severityNumber":13,
    "traceId":"5B8EFFF798038103D269B633813FC60C","body":{"stringValue":"retry"}}]}]}]})";

class LogsApiE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_.write(testing::logsFromJson(kLogs));
    traces_ = std::make_unique<query::TraceService>(trace_reader_, query::TraceServiceOptions{});
    service_ = std::make_unique<query::LogsService>(store_);
    ApiOptions options;
    options.endpoint = "127.0.0.1:0";
    options.threads = 1;
    options.logs.now_ns = [] { return uint64_t{1'700'000'000'500'000'000}; };
    auto server = ApiServer::start(options, *traces_, nullptr, service_.get());
    ASSERT_TRUE(server.isOk());
    server_ = std::move(*server);
  }

  json get(const std::string& target, int status = 200) {
    auto client = RawHttpClient::connect(server_->port());
    EXPECT_TRUE(client && client->get(target));
    EXPECT_EQ(client->readHead(), status) << target;
    std::string body;
    while (auto piece = client->readBody()) body += *piece;
    return json::parse(body);
  }

  periscope::testing::MemoryLogReader store_;
  testing::FakeTraceReader trace_reader_;
  std::unique_ptr<query::TraceService> traces_;
  std::unique_ptr<query::LogsService> service_;
  std::unique_ptr<ApiServer> server_;
};

TEST_F(LogsApiE2eTest, QueriesTraceLogsAndValues) {
  // {service.name="checkout"} |= "timeout" | json
  json j =
      get("/api/periscope/logs?query=%7Bservice.name%3D%22checkout%22%7D%20%7C%3D%20"
          "%22timeout%22%20%7C%20json");
  ASSERT_EQ(j["records"].size(), 1u);
  EXPECT_EQ(j["records"][0]["fields"], json({{"msg", "timeout"}, {"user", "alice"}}));
  EXPECT_EQ(j["records"][0]["traceId"], "5b8efff798038103d269b633813fc60c");
  EXPECT_EQ(j["direction"], "backward");
  EXPECT_EQ(j["truncated"], false);
  EXPECT_EQ(j["stats"]["recordsMatched"], 1);

  json t = get("/api/periscope/traces/5b8efff798038103d269b633813fc60c/logs");
  ASSERT_EQ(t["records"].size(), 2u);
  EXPECT_EQ(t["records"][0]["timestamp"], "1700000000000000001");  // oldest first
  EXPECT_EQ(t["records"][1]["line"], "retry");

  EXPECT_EQ(get("/api/periscope/logs/values?key=service.name")["values"], json({"checkout"}));

  json m =
      get("/api/periscope/logs?query=sum%20by%20(service.name)%20(count_over_time("
          "%7Bservice.name%3D%22checkout%22%7D%5B1m%5D))&start=1700000000&end=1700000010"
          "&step=10s");
  EXPECT_EQ(m["resultType"], "matrix");
  ASSERT_EQ(m["series"].size(), 1u);
  EXPECT_EQ(m["series"][0]["labels"], json({{"service.name", "checkout"}}));
}

TEST_F(LogsApiE2eTest, TailSendsNewMatchesAndEndsWithTheClient) {
  json refused = get(
      "/api/periscope/logs/tail?query=%7Bservice.name%3D%22checkout%22%7D%20%7C%20limit%205", 400);
  EXPECT_TRUE(std::string(refused["error"]["message"]).starts_with("query: "));
  auto tail = RawHttpClient::connect(server_->port());
  // {service.name="checkout"} |~ "ret.*"
  ASSERT_TRUE(tail && tail->get("/api/periscope/logs/tail?query=%7Bservice.name%3D%22checkout"
                                "%22%7D%20%7C~%20%22ret.%2A%22"));
  ASSERT_EQ(tail->readHead(), 200);
  EXPECT_EQ(store_.subscriberCount(), 1u);
  store_.write(testing::logsFromJson(kLogs));
  auto e = tail->readEvent();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->event, "log");
  EXPECT_EQ(json::parse(e->data)["line"], "retry");
  server_->stop();
  EXPECT_EQ(store_.subscriberCount(), 0u);
}

}  // namespace
}  // namespace periscope::api
