// Removing items from batches: kept items stay in order, empty scopes and resources go.
#include "model/batch_filter.h"

#include <gtest/gtest.h>

namespace periscope::model {
namespace {

Traces twoResources() {
  Traces batch;
  Arena& arena = batch.arena();
  for (int r = 0; r < 2; ++r) {
    ResourceSpans rs;
    rs.scope_spans = arena.allocArray<ScopeSpans>(2);
    for (int s = 0; s < 2; ++s) {
      rs.scope_spans[s].spans = arena.allocArray<Span>(2);
      for (int i = 0; i < 2; ++i) {
        rs.scope_spans[s].spans[i].name = arena.copy(std::to_string(r * 4 + s * 2 + i));
      }
    }
    batch.resources().push_back(rs);
  }
  return batch;
}

TEST(BatchFilterTest, RemovesSpansAndEmptyGroups) {
  Traces batch = twoResources();
  // Drop every span of resource 0 and the second scope of resource 1, and span "4".
  size_t removed = removeSpansIf(
      batch, [](const ResourceSpans&, const ScopeSpans&, const Span& s) { return s.name != "5"; });
  EXPECT_EQ(removed, 7u);
  ASSERT_EQ(batch.resources().size(), 1u);
  ASSERT_EQ(batch.resources()[0].scope_spans.size(), 1u);
  ASSERT_EQ(batch.resources()[0].scope_spans[0].spans.size(), 1u);
  EXPECT_EQ(batch.resources()[0].scope_spans[0].spans[0].name, "5");
  EXPECT_EQ(batch.itemCount(), 1u);
}

TEST(BatchFilterTest, KeepsOrderOfSurvivors) {
  Traces batch = twoResources();
  size_t removed = removeSpansIf(batch, [](const ResourceSpans&, const ScopeSpans&, const Span& s) {
    return s.name == "0" || s.name == "3" || s.name == "6";
  });
  EXPECT_EQ(removed, 3u);
  std::string order;
  for (const auto& rs : batch.resources()) {
    for (const auto& ss : rs.scope_spans) {
      for (const auto& s : ss.spans) order += std::string(s.name);
    }
  }
  EXPECT_EQ(order, "12457");
}

TEST(BatchFilterTest, DataPointsAndMetricsWithoutPointsGo) {
  Metrics batch;
  Arena& arena = batch.arena();
  ResourceMetrics rm;
  rm.scope_metrics = arena.allocArray<ScopeMetrics>(1);
  auto metrics = arena.allocArray<Metric>(2);
  metrics[0].name = "gauge";
  metrics[0].type = MetricType::kGauge;
  metrics[0].number_points = arena.allocArray<NumberDataPoint>(3);
  for (int i = 0; i < 3; ++i) metrics[0].number_points[i].time_unix_nano = i;
  metrics[1].name = "hist";
  metrics[1].type = MetricType::kHistogram;
  metrics[1].histogram_points = arena.allocArray<HistogramDataPoint>(1);
  rm.scope_metrics[0].metrics = metrics;
  batch.resources().push_back(rm);

  size_t removed = removeDataPointsIf(
      batch, [](const ResourceMetrics&, const ScopeMetrics&, const Metric& m, const auto& p) {
        return m.name == "hist" || p.time_unix_nano == 1;
      });
  EXPECT_EQ(removed, 2u);
  ASSERT_EQ(batch.resources().size(), 1u);
  auto kept = batch.resources()[0].scope_metrics[0].metrics;
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].name, "gauge");
  ASSERT_EQ(kept[0].number_points.size(), 2u);
  EXPECT_EQ(kept[0].number_points[1].time_unix_nano, 2u);

  EXPECT_EQ(removeMetricsIf(batch, [](const auto&, const auto&, const Metric&) { return true; }),
            2u);
  EXPECT_TRUE(batch.resources().empty());
}

TEST(BatchFilterTest, LogRecords) {
  Logs batch;
  Arena& arena = batch.arena();
  ResourceLogs rl;
  rl.scope_logs = arena.allocArray<ScopeLogs>(1);
  rl.scope_logs[0].log_records = arena.allocArray<LogRecord>(3);
  for (int i = 0; i < 3; ++i) rl.scope_logs[0].log_records[i].severity_number = i;
  batch.resources().push_back(rl);
  EXPECT_EQ(removeLogRecordsIf(batch, [](const auto&, const auto&,
                                         const LogRecord& l) { return l.severity_number != 1; }),
            2u);
  ASSERT_EQ(batch.itemCount(), 1u);
  EXPECT_EQ(batch.resources()[0].scope_logs[0].log_records[0].severity_number, 1);
}

}  // namespace
}  // namespace periscope::model
