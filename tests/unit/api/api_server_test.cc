// The query API over real HTTP (libcurl → ApiServer on 127.0.0.1:0 → TraceService → a fake
// TraceReader): Jaeger v1 and v3 endpoints, parameter translation, envelopes and error codes.
#include "api/api_server.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fake_trace_reader.h"

namespace periscope::api {
namespace {

using nlohmann::json;
using testing::FakeTraceReader;
using testing::kTraceA;
using testing::kTraceAHex;
using testing::kTraceB;
using testing::kTraceBHex;
using testing::unhex;

constexpr uint64_t kNowNs = 1'700'000'500'000'000'000;
constexpr uint64_t kHourNs = 3'600'000'000'000;

struct Answer {
  long status = 0;
  std::string body;
  std::string content_type;
  std::string allow;
  std::string retry_after;
  json parsed() const { return json::parse(body); }
};

size_t collect(char* d, size_t s, size_t n, void* u) {
  static_cast<std::string*>(u)->append(d, s * n);
  return s * n;
}
size_t header(char* d, size_t s, size_t n, void* u) {
  auto* a = static_cast<Answer*>(u);
  std::string line(d, s * n);
  auto value = [&](size_t at) { return line.substr(at, line.find('\r') - at); };
  std::string lower = line;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.rfind("content-type: ", 0) == 0) a->content_type = value(14);
  if (lower.rfind("allow: ", 0) == 0) a->allow = value(7);
  if (lower.rfind("retry-after: ", 0) == 0) a->retry_after = value(13);
  return s * n;
}

class ApiServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    reader_.by_id[unhex(kTraceAHex)] = kTraceA;
    reader_.by_id[unhex(kTraceBHex)] = kTraceB;
    query::TraceServiceOptions opts;
    opts.now_ns = [] { return kNowNs; };
    service_ = std::make_unique<query::TraceService>(reader_, opts);
    ApiOptions api;
    api.endpoint = "127.0.0.1:0";
    api.threads = 1;
    auto server = ApiServer::start(api, *service_);
    ASSERT_TRUE(server.isOk()) << server.status().toString();
    server_ = std::move(*server);
    ASSERT_NE(server_->port(), 0);
  }

  Answer get(const std::string& target, const char* method = "GET") {
    Answer a;
    CURL* c = curl_easy_init();
    std::string url = "http://127.0.0.1:" + std::to_string(server_->port()) + target;
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &a.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &a);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.status);
    curl_easy_cleanup(c);
    return a;
  }

  // A v1 error answer: HTTP status = errors[0].code, data null, and a message naming `param`.
  void expectV1Error(const std::string& target, int status, std::string_view param) {
    SCOPED_TRACE(target);
    Answer a = get(target);
    EXPECT_EQ(a.status, status);
    EXPECT_EQ(a.content_type, "application/json");
    json j = a.parsed();
    EXPECT_TRUE(j["data"].is_null());
    EXPECT_EQ(j["total"], 0);
    ASSERT_EQ(j["errors"].size(), 1u);
    EXPECT_EQ(j["errors"][0]["code"], status);
    std::string msg = j["errors"][0]["msg"];
    EXPECT_NE(msg.find(param), std::string::npos) << msg;
  }

  void expectV3Error(const std::string& target, int status, std::string_view text) {
    SCOPED_TRACE(target);
    Answer a = get(target);
    EXPECT_EQ(a.status, status);
    json j = a.parsed();
    ASSERT_EQ(j.size(), 1u);
    EXPECT_EQ(j["error"]["httpCode"], status);
    std::string msg = j["error"]["message"];
    EXPECT_NE(msg.find(text), std::string::npos) << msg;
  }

  FakeTraceReader reader_;
  std::unique_ptr<query::TraceService> service_;
  std::unique_ptr<ApiServer> server_;
};

TEST_F(ApiServerTest, ServicesUseJaegersEnvelope) {
  reader_.service_names = {"cart", "frontend"};
  Answer a = get("/api/services");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.content_type, "application/json");
  EXPECT_EQ(a.parsed(), json({{"data", json::array({"cart", "frontend"})},
                              {"total", 2},
                              {"limit", 0},
                              {"offset", 0},
                              {"errors", nullptr}}));
}

TEST_F(ApiServerTest, OperationsOfAServiceAreUniqueNames) {
  reader_.ops = {{"GET /cart", 2}, {"GET /cart", 3}, {"load", 1}};
  Answer a = get("/api/services/my%20svc/operations");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(reader_.calls().ops_service, "my svc");
  EXPECT_EQ(reader_.calls().ops_kind, std::nullopt);
  json j = a.parsed();
  EXPECT_EQ(j["data"], json::array({"GET /cart", "load"}));
  EXPECT_EQ(j["total"], 2);
}

TEST_F(ApiServerTest, OperationsWithSpanKinds) {
  reader_.ops = {{"GET /cart", 2}, {"odd", 0}};
  Answer a = get("/api/operations?service=cart&spanKind=server");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(reader_.calls().ops_service, "cart");
  EXPECT_EQ(reader_.calls().ops_kind, 2);
  EXPECT_EQ(a.parsed()["data"], json::array({{{"name", "GET /cart"}, {"spanKind", "server"}},
                                             {{"name", "odd"}, {"spanKind", ""}}}));
  expectV1Error("/api/operations", 400, "parameter 'service' is required");
  expectV1Error("/api/operations?service=cart&spanKind=SERVER", 400, "spanKind");
}

TEST_F(ApiServerTest, SearchTranslatesEveryParameter) {
  reader_.found = {kTraceA, kTraceB};
  Answer a =
      get("/api/traces?service=frontend&operation=GET%20%2Fcart"
          "&tags=%7B%22http.status_code%22%3A%22500%22%2C%22error%22%3A%22true%22%7D"
          "&tag=region:eu:west&tag=span.kind:client"
          "&minDuration=1.5ms&maxDuration=2s&start=1700000000000000&end=1700000100000000&limit=7");
  ASSERT_EQ(a.status, 200) << a.body;
  auto q = reader_.calls().query;
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->service, "frontend");
  EXPECT_EQ(q->operation, "GET /cart");
  using Tags = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(q->tags, (Tags{{"http.status_code", "500"}, {"region", "eu:west"}}));
  EXPECT_TRUE(q->errors_only);  // error=true is the span status, not an attribute
  EXPECT_EQ(q->span_kind, 3);
  EXPECT_EQ(q->min_duration_ns, 1'500'000u);
  EXPECT_EQ(q->max_duration_ns, 2'000'000'000u);
  EXPECT_EQ(q->start_time_min_ns, 1'700'000'000'000'000'000u);  // µs → ns
  EXPECT_EQ(q->start_time_max_ns, 1'700'000'100'000'000'000u);
  EXPECT_EQ(q->limit, 7u);

  json j = a.parsed();
  ASSERT_EQ(j["data"].size(), 2u);
  EXPECT_EQ(j["data"][0]["traceID"], kTraceAHex);
  EXPECT_EQ(j["data"][0]["spans"].size(), 3u);
  EXPECT_EQ(j["data"][1]["traceID"], "0000000000000abc");
  EXPECT_EQ(j["total"], 0);  // as Jaeger: total is only set for service and operation lists
  EXPECT_TRUE(j["errors"].is_null());
}

TEST_F(ApiServerTest, SearchWindowFromLookbackOrDefaults) {
  ASSERT_EQ(get("/api/traces?service=a&lookback=2h").status, 200);
  EXPECT_EQ(reader_.calls().query->start_time_max_ns, kNowNs);
  EXPECT_EQ(reader_.calls().query->start_time_min_ns, kNowNs - 2 * kHourNs);

  ASSERT_EQ(get("/api/traces?service=a&lookback=2d&end=1700000000000000").status, 200);
  EXPECT_EQ(reader_.calls().query->start_time_max_ns, 1'700'000'000'000'000'000u);
  EXPECT_EQ(reader_.calls().query->start_time_min_ns, 1'700'000'000'000'000'000u - 48 * kHourNs);

  // start wins over lookback; "custom" (the UI's value for a picked range) is ignored.
  ASSERT_EQ(get("/api/traces?service=a&lookback=1h&start=1700000400000000").status, 200);
  EXPECT_EQ(reader_.calls().query->start_time_min_ns, 1'700'000'400'000'000'000u);
  ASSERT_EQ(get("/api/traces?service=a&lookback=custom").status, 200);
  EXPECT_EQ(reader_.calls().query->start_time_min_ns, kNowNs - kHourNs);  // service default
  EXPECT_EQ(reader_.calls().query->limit, 20u);                           // service default
}

TEST_F(ApiServerTest, SearchRejectsBadParametersNamingThem) {
  expectV1Error("/api/traces?service=a&minDuration=abc", 400,
                "minDuration: cannot parse \"abc\" as a duration");
  expectV1Error("/api/traces?service=a&maxDuration=-1s", 400, "maxDuration");
  expectV1Error("/api/traces?service=a&minDuration=2s&maxDuration=1s", 400, "maxDuration");
  expectV1Error("/api/traces?service=a&start=yesterday", 400, "start");
  expectV1Error("/api/traces?service=a&end=-5", 400, "end");
  expectV1Error("/api/traces?service=a&limit=ten", 400, "limit");
  expectV1Error("/api/traces?service=a&limit=999999", 400, "limit");  // over the service's max
  expectV1Error("/api/traces?service=a&lookback=soon", 400, "lookback");
  expectV1Error("/api/traces?service=a&tags=notjson", 400, "tags");
  expectV1Error("/api/traces?service=a&tags=%5B1%5D", 400, "tags");  // an array, not an object
  expectV1Error("/api/traces?service=a&tag=nocolon", 400, "tag");
  expectV1Error("/api/traces?service=a&minDuration=5%ZZ", 400, "minDuration");
  expectV1Error("/api/traces", 400, "parameter 'service' is required");
}

TEST_F(ApiServerTest, GetTraceReturnsOneJaegerTrace) {
  Answer a = get(std::string("/api/traces/") + kTraceAHex + "?start=1700000000000000");
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(reader_.calls().get_id, unhex(kTraceAHex));
  EXPECT_EQ(reader_.calls().get_start, 1'700'000'000'000'000'000u);
  json j = a.parsed();
  ASSERT_EQ(j["data"].size(), 1u);
  const json& t = j["data"][0];
  EXPECT_EQ(t["traceID"], kTraceAHex);
  EXPECT_EQ(t["spans"][0]["startTime"], 1700000000123456);
  EXPECT_EQ(t["spans"][0]["duration"], 500001);
  EXPECT_EQ(t["spans"][1]["references"][0]["refType"], "CHILD_OF");
  EXPECT_EQ(t["processes"].size(), 2u);
  EXPECT_TRUE(j["errors"].is_null());
}

TEST_F(ApiServerTest, ShortTraceIdsAreLeftPadded) {
  Answer a = get("/api/traces/ABC");
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(reader_.calls().get_id, unhex(kTraceBHex));
  EXPECT_EQ(a.parsed()["data"][0]["traceID"], "0000000000000abc");
}

TEST_F(ApiServerTest, UnknownAndInvalidTraceIds) {
  Answer a = get("/api/traces/0123456789abcdef");
  EXPECT_EQ(a.status, 404);
  EXPECT_EQ(a.parsed(),
            json({{"data", nullptr},
                  {"total", 0},
                  {"limit", 0},
                  {"offset", 0},
                  {"errors", json::array({{{"code", 404}, {"msg", "trace not found"}}})}}));
  expectV1Error("/api/traces/xyz", 400, "traceID");
  expectV1Error("/api/traces/" + std::string(33, 'a'), 400, "traceID");
}

TEST_F(ApiServerTest, SearchByTraceIdsListsMissingOnes) {
  Answer a = get(std::string("/api/traces?traceID=") + kTraceAHex + "&traceID=ff");
  ASSERT_EQ(a.status, 200);
  json j = a.parsed();
  ASSERT_EQ(j["data"].size(), 1u);
  EXPECT_EQ(j["data"][0]["traceID"], kTraceAHex);
  EXPECT_EQ(j["errors"],
            json::array({{{"msg", "trace not found"}, {"traceID", "00000000000000ff"}}}));
}

TEST_F(ApiServerTest, DependenciesInMilliseconds) {
  reader_.links = {{"frontend", "cart", 10, 1}, {"cart", "db", 4, 0}};
  Answer a = get("/api/dependencies?endTs=1700000000000&lookback=3600000");
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(reader_.calls().deps_end, 1'700'000'000'000'000'000u);
  EXPECT_EQ(reader_.calls().deps_lookback, kHourNs);
  EXPECT_EQ(a.parsed()["data"],
            json::array({{{"parent", "cart"}, {"child", "db"}, {"callCount", 4}},
                         {{"parent", "frontend"}, {"child", "cart"}, {"callCount", 10}}}));
  EXPECT_EQ(get("/api/dependencies?service=db").parsed()["data"].size(), 1u);
  expectV1Error("/api/dependencies?endTs=now", 400, "endTs");
  expectV1Error("/api/dependencies?lookback=1h", 400, "lookback");
}

TEST_F(ApiServerTest, StorageErrorsMapToHttpStatuses) {
  reader_.error = unavailable("store is closed");
  expectV1Error("/api/services", 503, "store is closed");
  expectV3Error("/api/v3/services", 503, "store is closed");
  reader_.error = internalError("disk on fire");
  expectV1Error(std::string("/api/traces/") + kTraceAHex, 500, "disk on fire");
  expectV3Error("/api/v3/traces?query.service_name=a", 500, "disk on fire");
}

TEST_F(ApiServerTest, UnknownPathsAndMethods) {
  expectV1Error("/api/nothing", 404, "/api/nothing");
  expectV3Error("/api/v3/nothing", 404, "/api/v3/nothing");
  Answer a = get("/api/services", "POST");
  EXPECT_EQ(a.status, 405);
  EXPECT_EQ(a.allow, "GET");
  EXPECT_EQ(a.parsed()["errors"][0]["code"], 405);
}

TEST_F(ApiServerTest, V3ServicesAndOperations) {
  reader_.service_names = {"cart"};
  EXPECT_EQ(get("/api/v3/services").parsed(), json({{"services", json::array({"cart"})}}));
  reader_.ops = {{"GET /cart", 3}, {"odd", 0}};
  Answer a = get("/api/v3/operations?service=cart&span_kind=client");
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(reader_.calls().ops_kind, 3);
  EXPECT_EQ(a.parsed(),
            json({{"operations", json::array({{{"name", "GET /cart"}, {"spanKind", "client"}},
                                              {{"name", "odd"}, {"spanKind", "internal"}}})}}));
  ASSERT_EQ(get("/api/v3/operations?service=cart&spanKind=producer").status, 200);
  EXPECT_EQ(reader_.calls().ops_kind, 4);
  expectV3Error("/api/v3/operations?service=cart&spanKind=bogus", 400, "spanKind");
}

TEST_F(ApiServerTest, V3FindTracesAcceptsBothParameterSpellings) {
  reader_.found = {kTraceA, kTraceB};
  Answer a =
      get("/api/v3/traces?query.service_name=frontend&query.operationName=GET%20%2Fcart"
          "&query.start_time_min=2023-11-14T22:13:20Z&query.startTimeMax=2023-11-14T22:15:00.5Z"
          "&query.duration_min=10ms&query.durationMax=1s&query.searchDepth=5"
          "&query.attributes=%7B%22k%22%3A%22v%22%7D&query.attributes=a%3Db%3Dc");
  ASSERT_EQ(a.status, 200) << a.body;
  auto q = reader_.calls().query;
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->service, "frontend");
  EXPECT_EQ(q->operation, "GET /cart");
  EXPECT_EQ(q->start_time_min_ns, 1'700'000'000'000'000'000u);
  EXPECT_EQ(q->start_time_max_ns, 1'700'000'100'500'000'000u);
  EXPECT_EQ(q->min_duration_ns, 10'000'000u);
  EXPECT_EQ(q->max_duration_ns, 1'000'000'000u);
  EXPECT_EQ(q->limit, 5u);
  using Tags = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(q->tags, (Tags{{"k", "v"}, {"a", "b=c"}}));

  // Both traces' resources, concatenated, as OTLP/JSON.
  json j = a.parsed();
  ASSERT_EQ(j.size(), 1u);
  const json& rs = j["result"]["resourceSpans"];
  ASSERT_EQ(rs.size(), 4u);
  const json& span = rs[0]["scopeSpans"][0]["spans"][0];
  EXPECT_EQ(span["traceId"], kTraceAHex);
  EXPECT_EQ(span["startTimeUnixNano"], "1700000000123456789");
  EXPECT_EQ(span["kind"], 2);
  EXPECT_EQ(rs[3]["scopeSpans"][0]["spans"][0]["traceId"], kTraceBHex);
}

TEST_F(ApiServerTest, V3FindTracesErrors) {
  expectV3Error("/api/v3/traces?query.service_name=a", 404, "No traces found");
  expectV3Error("/api/v3/traces?query.start_time_min=yesterday", 400,
                "query.start_time_min: cannot parse \"yesterday\"");
  expectV3Error("/api/v3/traces?query.startTimeMax=1700000000", 400, "query.startTimeMax");
  expectV3Error("/api/v3/traces?query.durationMin=fast", 400, "query.durationMin");
  expectV3Error("/api/v3/traces?query.num_traces=-3", 400, "query.num_traces");
  expectV3Error("/api/v3/traces?query.attributes=novalue", 400, "query.attributes");
  expectV3Error("/api/v3/traces?query.raw_traces=maybe", 400, "query.raw_traces");
}

TEST_F(ApiServerTest, V3GetTrace) {
  Answer a = get(std::string("/api/v3/traces/") + kTraceAHex +
                 "?startTime=2023-11-14T22:13:20Z&end_time=2023-11-14T22:13:21Z");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(reader_.calls().get_start, 1'700'000'000'000'000'000u);
  EXPECT_EQ(reader_.calls().get_end, 1'700'000'001'000'000'000u);
  EXPECT_EQ(a.parsed()["result"]["resourceSpans"].size(), 3u);

  ASSERT_EQ(get("/api/v3/traces/abc").status, 200);  // left-padded like v1
  EXPECT_EQ(reader_.calls().get_id, unhex(kTraceBHex));
  expectV3Error("/api/v3/traces/0123456789abcdef", 404, "trace not found");
  expectV3Error("/api/v3/traces/not-hex", 400, "trace_id");
  expectV3Error(std::string("/api/v3/traces/") + kTraceAHex + "?startTime=soon", 400, "startTime");
}

}  // namespace
}  // namespace periscope::api
