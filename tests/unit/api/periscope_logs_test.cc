// The logs endpoints through the API router (no sockets): parameters into LogsBackend calls,
// the record and matrix JSON, and errors in Periscope's envelope.
#include "api/handlers/periscope_logs.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/api_server.h"
#include "api/http/router.h"
#include "fake_logs_backend.h"
#include "fake_trace_reader.h"

namespace periscope::api {
namespace {

using nlohmann::json;
using testing::FakeLogsBackend;

constexpr uint64_t kNowNs = 1'700'000'000'000'000'000;
constexpr uint64_t kHourNs = 3'600'000'000'000;

// One record with every field set, and one with none of the optional ones.
constexpr const char* kRecords = R"({"resourceLogs":[{
  "resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
  "scopeLogs":[{"scope":{"name":"app.logger","version":"1.2"},"logRecords":[{
    "timeUnixNano":"1700000000000000001","observedTimeUnixNano":"1700000000000000002",
    "severityNumber":17,"severityText":"ERROR",
    "traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174",
    "body":{"kvlistValue":{"values":[{"key":"msg","value":{"stringValue":"boom"}},
                                     {"key":"n","value":{"intValue":"3"}}]}},
    "attributes":[{"key":"http.status_code","value":{"intValue":"500"}},
                  {"key":"retry","value":{"boolValue":true}},
                  {"key":"ratio","value":{"doubleValue":0.5}},
                  {"key":"tags","value":{"arrayValue":{"values":[{"stringValue":"a"}]}}}]},
    {"observedTimeUnixNano":"1700000000000000009","body":{"stringValue":"plain \"text\""}}]}]}]})";

http::Response get(const Router& router, const std::string& target) {
  http::Request req;
  req.method = "GET";
  req.target = target;
  req.path = target.substr(0, target.find('?'));
  return router.route(req);
}

class PeriscopeLogsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    query::TraceServiceOptions trace_options;
    traces_ = std::make_unique<query::TraceService>(trace_reader_, trace_options);
    LogsApiOptions options;
    options.now_ns = [] { return kNowNs; };
    router_ = makeApiRouter(*traces_, nullptr, "0.0.0", &logs_, options);
  }

  json answer(const std::string& target, int status = 200) {
    SCOPED_TRACE(target);
    http::Response r = get(*router_, target);
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.headers.at(0).second, "application/json");
    return json::parse(r.body);
  }

  // A 400 whose message starts with `prefix` (the parameter's name).
  void expectBadRequest(const std::string& target, const std::string& prefix) {
    SCOPED_TRACE(target);
    json j = answer(target, 400);
    EXPECT_EQ(j["error"]["code"], 400);
    std::string message = j["error"]["message"];
    EXPECT_TRUE(message.starts_with(prefix)) << message;
  }

  testing::FakeTraceReader trace_reader_;
  std::unique_ptr<query::TraceService> traces_;
  FakeLogsBackend logs_;
  std::unique_ptr<Router> router_;
};

TEST_F(PeriscopeLogsTest, LogQueryAnswersRecordsWithTypedValues) {
  logs_.records_json = kRecords;
  logs_.fields = {{{"user", "alice"}}, {}};
  logs_.forward = true;
  logs_.limit = 2;
  logs_.truncated = true;
  logs_.stats = {4, 10, 3};
  json j = answer("/api/periscope/logs?query=%7Bservice.name%3D%22checkout%22%7D");
  json expected = json::parse(R"({
    "resultType":"records",
    "records":[{
      "timestamp":"1700000000000000001","observedTimestamp":"1700000000000000002",
      "severityNumber":17,"severityText":"ERROR",
      "body":{"msg":"boom","n":3},"line":"{\"msg\":\"boom\",\"n\":3}",
      "attributes":{"http.status_code":500,"retry":true,"ratio":0.5,"tags":["a"]},
      "resource":{"service.name":"checkout"},
      "scope":{"name":"app.logger","version":"1.2"},
      "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",
      "fields":{"user":"alice"}
    },{
      "timestamp":"1700000000000000009","observedTimestamp":"1700000000000000009",
      "severityNumber":0,"severityText":"",
      "body":"plain \"text\"","line":"plain \"text\"",
      "attributes":{},"resource":{"service.name":"checkout"},
      "scope":{"name":"app.logger","version":"1.2"},
      "traceId":"","spanId":"","fields":{}
    }],
    "direction":"forward","limit":2,"truncated":true,
    "stats":{"chunksRead":4,"recordsScanned":10,"recordsMatched":3}})");
  EXPECT_EQ(j, expected);
}

TEST_F(PeriscopeLogsTest, LogQueryDefaultsToTheLastHourNewestFirst) {
  answer("/api/periscope/logs?query=%7Ba%3D%22b%22%7D");
  ASSERT_EQ(logs_.requests.size(), 1u);
  const query::LogsRequest& r = logs_.requests[0];
  EXPECT_EQ(r.query, R"({a="b"})");
  EXPECT_EQ(r.end_ns, kNowNs);
  EXPECT_EQ(r.start_ns, kNowNs - kHourNs);
  EXPECT_EQ(r.limit, 0u);
  EXPECT_FALSE(r.forward);
}

TEST_F(PeriscopeLogsTest, LogQueryTakesTimesInEveryDocumentedForm) {
  const std::pair<std::string, uint64_t> cases[] = {
      {"1700000000", 1'700'000'000'000'000'000},
      {"1700000000.25", 1'700'000'000'250'000'000},
      {"1700000000123", 1'700'000'000'123'000'000},
      {"1700000000123456", 1'700'000'000'123'456'000},
      {"1700000000123456789", 1'700'000'000'123'456'789},
      {"2023-11-14T22:13:20.5Z", 1'700'000'000'500'000'000},
  };
  for (const auto& [text, ns] : cases) {
    logs_.requests.clear();
    answer("/api/periscope/logs?query=%7Ba%3D%22b%22%7D&start=" + text +
           "&end=1800000000&limit=7&direction=FORWARD");
    ASSERT_EQ(logs_.requests.size(), 1u) << text;
    EXPECT_EQ(logs_.requests[0].start_ns, ns) << text;
    EXPECT_EQ(logs_.requests[0].end_ns, 1'800'000'000'000'000'000u);
    EXPECT_EQ(logs_.requests[0].limit, 7u);
    EXPECT_TRUE(logs_.requests[0].forward);
  }
}

TEST_F(PeriscopeLogsTest, BadParametersAre400NamingTheParameter) {
  const std::string q = "/api/periscope/logs?query=%7Ba%3D%22b%22%7D";
  expectBadRequest("/api/periscope/logs", "query: missing");
  expectBadRequest("/api/periscope/logs?query=%7Ba%3D", "query: 1:");
  expectBadRequest(q + "&start=yesterday", "start: cannot parse \"yesterday\"");
  expectBadRequest(q + "&end=12345678901234567890", "end: cannot parse");
  expectBadRequest(q + "&start=1800000000&end=1700000000", "start: must not be after end");
  expectBadRequest(q + "&limit=-1", "limit: cannot parse \"-1\"");
  expectBadRequest(q + "&limit=ten", "limit: cannot parse");
  expectBadRequest(q + "&direction=sideways", "direction: cannot parse \"sideways\"");
  const std::string metric = "/api/periscope/logs?query=count_over_time(%7Ba%3D%22b%22%7D%5B5m%5D)";
  expectBadRequest(metric + "&step=0", "step: cannot parse \"0\"");
  expectBadRequest(metric + "&step=fast", "step: cannot parse");
  EXPECT_TRUE(logs_.requests.empty());
  EXPECT_TRUE(logs_.ranges.empty());
}

TEST_F(PeriscopeLogsTest, ParseErrorsKeepTheParsersLineAndColumn) {
  json j = answer("/api/periscope/logs?query=%7Ba%3D%22b%22%7D%20%7C%3D", 400);
  std::string message = j["error"]["message"];
  EXPECT_TRUE(message.starts_with("query: 1:")) << message;
  EXPECT_NE(message.find("parse error"), std::string::npos) << message;
}

TEST_F(PeriscopeLogsTest, MetricQueryAnswersAMatrix) {
  query::LogSeries series;
  series.labels = {{"service.name", "checkout"}};
  series.points = {{1'699'999'970'000, 2}, {1'700'000'000'000, 0.5}};
  logs_.metrics.series = {series};
  logs_.metrics.stats = {1, 5, 5};
  json j = answer(
      "/api/periscope/logs?query=count_over_time(%7Ba%3D%22b%22%7D%5B5m%5D)"
      "&start=1699999970&end=1700000000&step=30s");
  ASSERT_EQ(logs_.ranges.size(), 1u);
  EXPECT_EQ(logs_.ranges[0], std::make_tuple(std::string(R"(count_over_time({a="b"}[5m]))"),
                                             int64_t{1'699'999'970'000}, int64_t{1'700'000'000'000},
                                             int64_t{30'000}));
  EXPECT_EQ(j, json::parse(R"({"resultType":"matrix",
      "series":[{"labels":{"service.name":"checkout"},
                 "points":[[1699999970000,2],[1700000000000,0.5]]}],
      "start":1699999970000,"end":1700000000000,"step":30000,
      "stats":{"chunksRead":1,"recordsScanned":5,"recordsMatched":5}})"));
}

TEST_F(PeriscopeLogsTest, MetricQueryStepDefaultsLikeLokisAndTakesSeconds) {
  answer("/api/periscope/logs?query=rate(%7Ba%3D%22b%22%7D%5B1m%5D)");  // the last hour
  answer(
      "/api/periscope/logs?query=rate(%7Ba%3D%22b%22%7D%5B1m%5D)&start=1700000000&end=1700000060");
  answer("/api/periscope/logs?query=rate(%7Ba%3D%22b%22%7D%5B1m%5D)&step=2.5");
  ASSERT_EQ(logs_.ranges.size(), 3u);
  EXPECT_EQ(std::get<3>(logs_.ranges[0]), 14'000);  // 3600 s / 250, whole seconds
  EXPECT_EQ(std::get<3>(logs_.ranges[1]), 1'000);   // at least a second
  EXPECT_EQ(std::get<3>(logs_.ranges[2]), 2'500);
}

TEST_F(PeriscopeLogsTest, StoreErrorsMapToHttpStatuses) {
  logs_.fail = unavailable("log store is starting");
  json j = answer("/api/periscope/logs?query=%7Ba%3D%22b%22%7D", 503);
  EXPECT_EQ(j, json::parse(R"({"error":{"code":503,"message":"log store is starting"}})"));
  logs_.fail = internalError("segment checksum mismatch");
  answer("/api/periscope/logs?query=%7Ba%3D%22b%22%7D", 500);
  answer("/api/periscope/logs/values?key=service.name", 500);
  answer("/api/periscope/traces/5b8efff798038103d269b633813fc60c/logs", 500);
  logs_.fail = invalidArgument("too many series (limit 10000)");
  answer("/api/periscope/logs?query=count_over_time(%7Ba%3D%22b%22%7D%5B5m%5D)", 400);
}

TEST_F(PeriscopeLogsTest, ResourceValuesForPickers) {
  logs_.values = {"cart", "checkout"};
  json j = answer("/api/periscope/logs/values?key=service.name");
  EXPECT_EQ(j, json::parse(R"({"key":"service.name","values":["cart","checkout"]})"));
  EXPECT_EQ(logs_.keys, std::vector<std::string>{"service.name"});
  expectBadRequest("/api/periscope/logs/values", "key: missing");
}

TEST_F(PeriscopeLogsTest, TraceLogsTakeA32DigitIdAndAnswerRecords) {
  logs_.records_json = kRecords;
  json j = answer("/api/periscope/traces/5B8EFFF798038103D269B633813FC60C/logs");
  ASSERT_EQ(logs_.trace_ids.size(), 1u);
  EXPECT_EQ(logs_.trace_ids[0], testing::unhex("5b8efff798038103d269b633813fc60c"));
  EXPECT_EQ(j["traceId"], "5b8efff798038103d269b633813fc60c");
  ASSERT_EQ(j["records"].size(), 2u);
  EXPECT_EQ(j["records"][0]["severityText"], "ERROR");
  EXPECT_EQ(j["records"][1]["line"], "plain \"text\"");
  expectBadRequest("/api/periscope/traces/5b8efff798038103d269b633813fc60/logs",
                   "traceID: cannot parse \"5b8efff798038103d269b633813fc60\" as a trace id");
  expectBadRequest("/api/periscope/traces/5b8efff798038103d269b633813fc6zz/logs", "traceID:");
  EXPECT_EQ(logs_.trace_ids.size(), 1u);
}

TEST(PeriscopeLogsAbsent, EndpointsAre404WithoutALogStore) {
  testing::FakeTraceReader reader;
  query::TraceService traces(reader, {});
  auto router = makeApiRouter(traces);
  for (const char* target : {"/api/periscope/logs?query=%7Ba%3D%22b%22%7D",
                             "/api/periscope/logs/tail?query=%7Ba%3D%22b%22%7D",
                             "/api/periscope/traces/5b8efff798038103d269b633813fc60c/logs"}) {
    http::Response r = get(*router, target);
    EXPECT_EQ(r.status, 404) << target;
    json j = json::parse(r.body);
    EXPECT_EQ(j["error"]["code"], 404) << target;
  }
}

}  // namespace
}  // namespace periscope::api
