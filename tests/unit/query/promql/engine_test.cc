// PromQL Engine: limits (max_samples, timeout, points per series), error codes and messages,
// result types, ordering, and one select() per selector. Semantics are in the golden files.
#include "query/promql/engine.h"

#include <gtest/gtest.h>

#include "support/memory_metrics_reader.h"

namespace periscope::query::promql {
namespace {

using model::prom::Labels;

class PromqlEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // http_requests{job=a|b|c}: one sample every 15 s for 10 minutes.
    for (const char* job : {"b", "a", "c"}) {
      std::vector<storage::metrics::Sample> samples;
      for (int i = 0; i <= 40; ++i) samples.push_back({i * 15'000, i * 1.0});
      reader_.add({{"__name__", "http_requests"}, {"job", job}}, samples);
    }
  }
  testing::MemoryMetricsReader reader_;
};

TEST_F(PromqlEngineTest, ParseErrorsAreInvalidArgumentWithTheParsersMessage) {
  Engine engine(reader_);
  auto r = engine.instant("sum(rate(x[5m])", 0);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "1:16: parse error: unclosed left parenthesis");
}

TEST_F(PromqlEngineTest, RangeQueriesNeedScalarOrInstantVector) {
  Engine engine(reader_);
  auto r = engine.range("http_requests[5m]", 0, 60'000, 15'000);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(),
            "invalid expression type \"range vector\" for range query, must be Scalar or "
            "instant Vector");
  auto s = engine.range("\"text\"", 0, 60'000, 15'000);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.status().message(),
            "invalid expression type \"string\" for range query, must be Scalar or instant "
            "Vector");
}

TEST_F(PromqlEngineTest, RangeQueryParametersAreChecked) {
  Engine engine(reader_);
  auto zero_step = engine.range("http_requests", 0, 60'000, 0);
  ASSERT_FALSE(zero_step.isOk());
  EXPECT_EQ(zero_step.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(zero_step.status().message(),
            "zero or negative query resolution step widths are not accepted. Try a positive "
            "integer");
  auto backwards = engine.range("http_requests", 60'000, 0, 1'000);
  ASSERT_FALSE(backwards.isOk());
  EXPECT_EQ(backwards.status().message(), "end timestamp must not be before start time");
}

TEST_F(PromqlEngineTest, TooManyPointsPerSeriesIsRejectedLikePrometheus) {
  Engine engine(reader_);
  // (end - start) / step = 11000 is allowed (11001 points), 11001 is not.
  EXPECT_TRUE(engine.range("1", 0, 11'000'000, 1'000).isOk());
  auto r = engine.range("1", 0, 11'001'000, 1'000);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(),
            "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the "
            "query resolution (?step=XX)");

  EngineOptions small;
  small.max_points_per_series = 10;
  auto s = Engine(reader_, small).range("1", 0, 11'000, 1'000);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.status().message(),
            "exceeded maximum resolution of 10 points per timeseries. Try decreasing the query "
            "resolution (?step=XX)");
}

TEST_F(PromqlEngineTest, MaxSamplesIsResourceExhausted) {
  EngineOptions options;
  options.max_samples = 10;
  Engine engine(reader_, options);
  // 3 series at one step: fine.
  EXPECT_TRUE(engine.instant("http_requests", 60'000).isOk());
  // 3 series × 5 steps = 15 points.
  auto r = engine.range("http_requests", 0, 60'000, 15'000);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(r.status().message(),
            "query processing would load too many samples into memory in query execution");
  // A range vector of 3 × 21 samples.
  auto m = engine.instant("sum(rate(http_requests[5m]))", 300'000);
  ASSERT_FALSE(m.isOk());
  EXPECT_EQ(m.status().code(), StatusCode::kResourceExhausted);
}

TEST_F(PromqlEngineTest, HugeSubqueryGridsAreRefusedBeforeAllocating) {
  Engine engine(reader_);
  auto r = engine.instant("max_over_time(vector(1)[10000d:1ms])", 0);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
}

TEST_F(PromqlEngineTest, TimeoutIsDeadlineExceeded) {
  EngineOptions options;
  options.timeout = std::chrono::milliseconds(-1);  // already passed
  Engine engine(reader_, options);
  auto r = engine.range("sum(rate(http_requests[1m]))", 0, 600'000, 15'000);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(r.status().message(), "query timed out in query execution");
}

TEST_F(PromqlEngineTest, ExecutionErrorsAreFailedPrecondition) {
  Engine engine(reader_);
  auto r = engine.instant("http_requests + on() http_requests", 60'000);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(PromqlEngineTest, InstantResultTypes) {
  Engine engine(reader_);
  auto scalar = engine.instant("1 + 2", 5'000);
  ASSERT_TRUE(scalar.isOk());
  EXPECT_EQ(scalar->type, ValueType::kScalar);
  EXPECT_EQ(scalar->scalar.t, 5'000);
  EXPECT_EQ(scalar->scalar.v, 3);

  auto str = engine.instant("\"hello\"", 5'000);
  ASSERT_TRUE(str.isOk());
  EXPECT_EQ(str->type, ValueType::kString);
  EXPECT_EQ(str->string_value, "hello");
  EXPECT_EQ(str->scalar.t, 5'000);

  // Vector points carry the evaluation time, not the sample's.
  auto vec = engine.instant("http_requests{job=\"a\"}", 20'000);
  ASSERT_TRUE(vec.isOk());
  EXPECT_EQ(vec->type, ValueType::kVector);
  ASSERT_EQ(vec->series.size(), 1u);
  EXPECT_EQ(vec->series[0].points.size(), 1u);
  EXPECT_EQ(vec->series[0].points[0].t, 20'000);
  EXPECT_EQ(vec->series[0].points[0].v, 1);

  auto mat = engine.instant("http_requests{job=\"a\"}[30s]", 30'000);
  ASSERT_TRUE(mat.isOk());
  EXPECT_EQ(mat->type, ValueType::kMatrix);
  ASSERT_EQ(mat->series.size(), 1u);
  ASSERT_EQ(mat->series[0].points.size(), 3u);
  EXPECT_EQ(mat->series[0].points[0].t, 0);
  EXPECT_EQ(mat->series[0].points[2].t, 30'000);
}

TEST_F(PromqlEngineTest, RangeResultsAreMatricesSortedByLabels) {
  Engine engine(reader_);
  auto r = engine.range("http_requests * 2", 0, 30'000, 15'000);
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r->type, ValueType::kMatrix);
  ASSERT_EQ(r->series.size(), 3u);
  EXPECT_EQ(r->series[0].labels, (Labels{{"job", "a"}}));
  EXPECT_EQ(r->series[1].labels, (Labels{{"job", "b"}}));
  EXPECT_EQ(r->series[2].labels, (Labels{{"job", "c"}}));
  ASSERT_EQ(r->series[0].points.size(), 3u);
  EXPECT_EQ(r->series[0].points[2].t, 30'000);
  EXPECT_EQ(r->series[0].points[2].v, 4);

  auto s = engine.range("time()", 0, 30'000, 15'000);
  ASSERT_TRUE(s.isOk());
  ASSERT_EQ(s->series.size(), 1u);
  EXPECT_TRUE(s->series[0].labels.empty());
  ASSERT_EQ(s->series[0].points.size(), 3u);
  EXPECT_EQ(s->series[0].points[1].v, 15);
}

TEST_F(PromqlEngineTest, AtStartAndEndRefertoTheRangeQuerysBounds) {
  Engine engine(reader_);
  auto r =
      engine.range("http_requests{job=\"a\"} @ start() + on() http_requests{job=\"b\"} @ end()",
                   30'000, 60'000, 15'000);
  ASSERT_TRUE(r.isOk());
  ASSERT_EQ(r->series.size(), 1u);
  ASSERT_EQ(r->series[0].points.size(), 3u);
  for (const Point& p : r->series[0].points) EXPECT_EQ(p.v, 2 + 4);  // value@30s + value@60s
}

TEST_F(PromqlEngineTest, OneSelectPerSelectorForTheWholeRange) {
  Engine engine(reader_);
  auto r = engine.range(
      "sum(rate(http_requests[1m])) / sum(http_requests) + max_over_time(http_requests[2m:30s])", 0,
      600'000, 15'000);
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(reader_.selectCalls(), 3u);
}

TEST_F(PromqlEngineTest, BadRegexInSelectorIsReportedByTheParser) {
  Engine engine(reader_);
  auto r = engine.instant("http_requests{job=~\"(\"}", 0);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace periscope::query::promql
