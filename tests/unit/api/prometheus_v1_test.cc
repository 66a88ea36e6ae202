// Prometheus HTTP API v1 over an in-memory metrics reader: envelopes, number formats, parameter
// errors with Prometheus's wording and statuses, form POSTs, and the lookup endpoints. (The
// answers' agreement with a real Prometheus is checked by tests/e2e/promql_differential.)
#include "api/handlers/prometheus_v1.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "support/memory_metrics_reader.h"

namespace periscope::api {
namespace {

using nlohmann::json;

class PrometheusApiTest : public ::testing::Test {
 protected:
  PrometheusApiTest()
      : router_([](std::string_view, int status, std::string_view message) {
          return prometheusError(status, status == 404 ? "not_found" : "bad_data", message);
        }) {
    // up{job="api", instance="a"} and {instance="b"}: 1 every 15 s for 10 minutes from t=0.
    for (std::string instance : {"a", "b"}) {
      std::vector<storage::metrics::Sample> samples;
      for (int64_t t = 0; t <= 600'000; t += 15'000)
        samples.push_back({t, instance == "a" ? 1.0 : 0.5});
      reader_.add({{"__name__", "up"}, {"job", "api"}, {"instance", instance}}, samples);
    }
    reader_.add({{"__name__", "temp"}, {"room", "lab"}}, {{0, 21.25}});
    reader_.addMetadata({"up", model::prom::MetricKind::kGauge, "Target is up.", ""});
    reader_.addMetadata({"temp", model::prom::MetricKind::kGauge, "Temperature.", "celsius"});
    PrometheusApiOptions options;
    options.version = "9.9.9";
    options.now_ms = [] { return int64_t{300'000}; };
    registerPrometheusV1(router_, service_, options);
  }

  http::Response get(const std::string& target) {
    http::Request r;
    r.method = "GET";
    r.target = target;
    r.path = target.substr(0, target.find('?'));
    return router_.route(r);
  }
  http::Response post(const std::string& path, std::string body) {
    http::Request r;
    r.method = "POST";
    r.target = path;
    r.path = path;
    r.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
    r.body = std::move(body);
    return router_.route(r);
  }

  testing::MemoryMetricsReader reader_;
  query::MetricsService service_{reader_};
  Router router_;
};

TEST_F(PrometheusApiTest, InstantQueryEnvelopeAndFormats) {
  http::Response r = get("/api/v1/query?query=up&time=120.5");
  ASSERT_EQ(r.status, 200) << r.body;
  json body = json::parse(r.body);
  EXPECT_EQ(body["status"], "success");
  EXPECT_EQ(body["data"]["resultType"], "vector");
  ASSERT_EQ(body["data"]["result"].size(), 2u);
  // Vector point times: seconds with a 3-digit millisecond fraction, values as strings.
  EXPECT_NE(r.body.find(
                R"({"metric":{"__name__":"up","instance":"a","job":"api"},"value":[120.500,"1"]})"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find(R"("value":[120.500,"0.5"])"), std::string::npos);
  // Scalars: the time as a shortest float; the default time is "now".
  EXPECT_EQ(get("/api/v1/query?query=1%2F0").body,
            R"({"status":"success","data":{"resultType":"scalar","result":[300,"+Inf"]}})");
  EXPECT_EQ(get("/api/v1/query?query=%22ab%22&time=1.25").body,
            R"({"status":"success","data":{"resultType":"string","result":[1.25,"ab"]}})");
}

TEST_F(PrometheusApiTest, RangeQueryAndFormPost) {
  http::Response r = post("/api/v1/query_range", "query=temp%20%2B%200&start=0&end=30&step=15s");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body,
            R"({"status":"success","data":{"resultType":"matrix","result":[)"
            R"({"metric":{"room":"lab"},"values":[[0,"21.25"],[15,"21.25"],[30,"21.25"]]}]}})");
  // RFC 3339 times work too.
  r = get(
      "/api/v1/query_range?query=up&start=1970-01-01T00:00:00Z&end=1970-01-01T00:01:00Z&step=60");
  EXPECT_EQ(json::parse(r.body)["data"]["result"][0]["values"].size(), 2u);
}

TEST_F(PrometheusApiTest, ParameterErrorsUsePrometheusWordingAndStatus) {
  struct Case {
    std::string target;
    int status;
    std::string type;
    std::string error;
  };
  std::vector<Case> cases = {
      {"/api/v1/query?query=sum(", 400, "bad_data",
       "invalid parameter \"query\": 1:5: parse error: "},
      {"/api/v1/query?query=up&time=abc", 400, "bad_data",
       "invalid parameter \"time\": Invalid time value for 'time': cannot parse \"abc\" to a "
       "valid timestamp"},
      {"/api/v1/query?query=up&timeout=x", 400, "bad_data",
       "invalid parameter \"timeout\": cannot parse \"x\" to a valid duration"},
      {"/api/v1/query_range?query=1&end=2&step=1", 400, "bad_data",
       "invalid parameter \"start\": cannot parse \"\" to a valid timestamp"},
      {"/api/v1/query_range?query=1&start=2&end=1&step=1", 400, "bad_data",
       "invalid parameter \"end\": end timestamp must not be before start time"},
      {"/api/v1/query_range?query=1&start=1&end=2", 400, "bad_data",
       "invalid parameter \"step\": cannot parse \"\" to a valid duration"},
      {"/api/v1/query_range?query=1&start=1&end=2&step=0", 400, "bad_data",
       "invalid parameter \"step\": zero or negative query resolution step widths are not "
       "accepted. Try a positive integer"},
      {"/api/v1/query_range?query=1&start=1&end=100000&step=1", 400, "bad_data",
       "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query "
       "resolution (?step=XX)"},
      // A runtime error is an execution error (422), not bad data.
      {"/api/v1/query?query=up%20%2B%20on()%20up", 422, "execution",
       "found duplicate series for the match group {} on the right hand-side"},
      {"/api/v1/series", 400, "bad_data", "no match[] parameter provided"},
      {"/api/v1/series?match[]=%7B%7D", 400, "bad_data",
       "invalid parameter \"match[]\": match[] must contain at least one non-empty matcher"},
      {"/api/v1/series?match[]=sum(up)", 400, "bad_data", "invalid parameter \"match[]\": 1:"},
      {"/api/v1/labels?start=x", 400, "bad_data",
       "invalid parameter \"start\": Invalid time value for 'start': cannot parse \"x\" to a "
       "valid timestamp"},
      {"/api/v1/label/1bad/values", 400, "bad_data", "invalid label name: \"1bad\""},
  };
  for (const auto& c : cases) {
    http::Response r = get(c.target);
    EXPECT_EQ(r.status, c.status) << c.target << ": " << r.body;
    json body = json::parse(r.body);
    EXPECT_EQ(body["status"], "error") << c.target;
    EXPECT_EQ(body["errorType"], c.type) << c.target;
    EXPECT_EQ(body["error"].get<std::string>().rfind(c.error, 0), 0u)
        << c.target << ": " << body["error"];
  }
}

TEST_F(PrometheusApiTest, SeriesLabelsValuesMetadataBuildinfo) {
  EXPECT_EQ(get("/api/v1/series?match[]=up%7Binstance%3D%22a%22%7D&match[]=temp").body,
            R"({"status":"success","data":[{"__name__":"temp","room":"lab"},)"
            R"({"__name__":"up","instance":"a","job":"api"}]})");
  EXPECT_EQ(get("/api/v1/labels").body,
            R"({"status":"success","data":["__name__","instance","job","room"]})");
  EXPECT_EQ(get("/api/v1/labels?match[]=temp").body,
            R"({"status":"success","data":["__name__","room"]})");
  EXPECT_EQ(get("/api/v1/label/instance/values").body, R"({"status":"success","data":["a","b"]})");
  EXPECT_EQ(get("/api/v1/label/__name__/values?match[]=%7Broom%3D%22lab%22%7D").body,
            R"({"status":"success","data":["temp"]})");
  EXPECT_EQ(get("/api/v1/metadata?limit=1").body,
            R"({"status":"success","data":{"temp":[{"type":"gauge","help":"Temperature.",)"
            R"("unit":"celsius"}]}})");
  EXPECT_EQ(json::parse(get("/api/v1/status/buildinfo").body)["data"]["version"], "9.9.9");
}

TEST(PrometheusFormats, SampleValuesAndPointTimes) {
  EXPECT_EQ(formatSampleValue(1e30), "1000000000000000000000000000000");
  EXPECT_EQ(formatSampleValue(1e-7), "0.0000001");
  EXPECT_EQ(formatSampleValue(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(formatSampleValue(-INFINITY), "-Inf");
  EXPECT_EQ(formatSampleValue(0), "0");
  EXPECT_EQ(formatSampleValue(-1.5e-300).substr(0, 6), "-0.000");
  EXPECT_EQ(formatSampleValue(123.456), "123.456");
  EXPECT_EQ(formatSampleValue(std::nan("")), "NaN");
  EXPECT_EQ(formatPointTime(1'700'000'000'000), "1700000000");
  EXPECT_EQ(formatPointTime(1'700'000'000'029), "1700000000.029");
  EXPECT_EQ(formatPointTime(1'700'000'000'250), "1700000000.250");
  EXPECT_EQ(formatPointTime(-1'500), "-1.500");
}

}  // namespace
}  // namespace periscope::api
