// Evaluation of a metric query over logs: one forward scan of [start - range, end], each
// matching record added to its series as +1 (and +line bytes) on the steps whose window
// (t - range, t] holds it — two entries in a difference array, so the cost per record does not
// depend on range / step — then prefix sums give every step's value, and the vector
// aggregations (sum, avg, min, max, count, topk; by / without) run step by step.
#pragma once

#include <cstdint>

#include "common/status.h"
#include "query/logs/ast.h"
#include "query/logs/logs_service.h"
#include "storage/signals/logs/log_reader.h"

namespace periscope::query::logs {

struct MetricRange {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  int64_t step_ms = 0;
};

// `expr` must be a metric query. INVALID_ARGUMENT for a bad range, or more than
// options.max_points steps or options.max_series series.
Result<LogMetricsResult> evaluateMetricQuery(const storage::logs::LogReader& reader,
                                             const Expr& expr, const MetricRange& range,
                                             const LogsServiceOptions& options);

}  // namespace periscope::query::logs
