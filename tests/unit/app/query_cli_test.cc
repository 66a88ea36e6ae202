// `periscope query`: URL building, rendering of Prometheus API answers (fixtures, no server),
// and the subcommand's exit codes and messages with an injected fetch.
#include "app/query_cli.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

namespace periscope::app::query_cli {
namespace {

using nlohmann::json;

constexpr int64_t kNow = 1'700'000'000'500;

HttpResponse ok(std::string body, long status = 200) {
  HttpResponse r;
  r.outcome = HttpResponse::Outcome::kOk;
  r.status = status;
  r.body = std::move(body);
  return r;
}

struct CliRun {
  int code;
  std::string out, err, url;
};

CliRun runWith(const std::vector<std::string>& args, HttpResponse answer) {
  CliRun r;
  std::ostringstream out, err;
  r.code = run(
      args,
      [&](const std::string& url) {
        r.url = url;
        return answer;
      },
      out, err, kNow);
  r.out = out.str();
  r.err = err.str();
  return r;
}

TEST(QueryCli, InstantAndRangeUrls) {
  QueryRequest q;
  q.query = "sum(rate(x[5m]))";
  EXPECT_EQ(requestUrl(q, kNow),
            "http://127.0.0.1:16686/api/v1/query?query=sum%28rate%28x%5B5m%5D%29%29"
            "&time=1700000000.500");
  q.range = std::chrono::hours(1);
  EXPECT_EQ(requestUrl(q, kNow),
            "http://127.0.0.1:16686/api/v1/query_range?query=sum%28rate%28x%5B5m%5D%29%29"
            "&start=1699996400.500&end=1700000000.500&step=60.000");
  q.step = std::chrono::seconds(15);
  EXPECT_NE(requestUrl(q, kNow).find("&step=15.000"), std::string::npos);
}

TEST(QueryCli, RendersVectorScalarAndMatrix) {
  json vec = json::parse(R"({"resultType":"vector","result":[
    {"metric":{"__name__":"up","job":"api","instance":"a:1"},"value":[1700000000,"1"]},
    {"metric":{"service":"checkout"},"value":[1700000000,"0.25"]}]})");
  EXPECT_EQ(renderResult(vec),
            "SERIES                         VALUE\n"
            "up{instance=\"a:1\", job=\"api\"}  1\n"
            "{service=\"checkout\"}           0.25\n");
  EXPECT_EQ(renderResult(json::parse(R"({"resultType":"scalar","result":[1,"+Inf"]})")), "+Inf\n");
  EXPECT_EQ(renderResult(json::parse(R"({"resultType":"vector","result":[]})")), "(no series)\n");
  json matrix = json::parse(R"({"resultType":"matrix","result":[
    {"metric":{"__name__":"x"},"values":[[1,"0"],[2,"7"],[3,"NaN"],[4,"3.5"]]}]})");
  EXPECT_EQ(renderResult(matrix),
            "SERIES  LAST  MIN  MAX  TREND\n"
            "x       3.5   0    7    ▁█ ▅\n");
}

TEST(QueryCli, SparklineResamplesToWidth) {
  EXPECT_EQ(sparkline({0, 1, 2, 3, 4, 5, 6, 7}, 8), "▁▂▃▄▅▆▇█");
  // Resampled to the last value of each column (1, 3, 5, 7), then scaled over those.
  EXPECT_EQ(sparkline({0, 1, 2, 3, 4, 5, 6, 7}, 4), "▁▃▆█");
  EXPECT_EQ(sparkline({5, 5}, 10), "▄▄");
  EXPECT_EQ(sparkline({}, 10), "");
}

TEST(QueryCli, ServerErrorsAndUsage) {
  CliRun r =
      runWith({"sum("}, ok(R"({"status":"error","errorType":"bad_data","error":"invalid )"
                           R"(parameter \"query\": 1:5: parse error: unclosed left parenthesis"})",
                           400));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "periscope query: bad_data: invalid parameter \"query\": 1:5: parse error: unclosed "
            "left parenthesis\n");
  HttpResponse refused;
  refused.outcome = HttpResponse::Outcome::kConnectFailed;
  refused.error = "Connection refused";
  r = runWith({"up"}, refused);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "periscope query: cannot reach http://127.0.0.1:16686: Connection refused\n");
  EXPECT_EQ(runWith({}, ok("")).code, 2);
  EXPECT_EQ(runWith({"up", "--step", "15s"}, ok("")).err,
            "periscope query: --step needs --range\n");
  EXPECT_EQ(
      runWith({"up", "--range", "soon"}, ok("")).err,
      "periscope query: --range: \"soon\" is not a positive duration such as 30s, 5m or 1h\n");
  r = runWith({"--server", "http://h:1", "--json", "up"},
              ok(R"({"status":"success","data":{"resultType":"vector","result":[]}})"));
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.url.rfind("http://h:1/api/v1/query?query=up&time=", 0), 0u);
  EXPECT_EQ(r.out, R"({"status":"success","data":{"resultType":"vector","result":[]}})"
                   "\n");
}

}  // namespace
}  // namespace periscope::app::query_cli
