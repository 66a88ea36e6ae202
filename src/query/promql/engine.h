// PromQL evaluation over a MetricsReader, with Prometheus's semantics: lookback delta and
// staleness markers for instant selectors, extrapolated rate/increase/delta, `offset` and `@`,
// subqueries, vector matching. One select() per selector per query (the whole time range),
// then evaluation step by step in memory.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/prometheus/labels.h"
#include "query/promql/ast.h"
#include "storage/signals/metrics/metrics_reader.h"

namespace periscope::query::promql {

struct EngineOptions {
  int64_t lookback_delta_ms = 5 * 60 * 1000;
  // Samples loaded into memory by one query (Prometheus's --query.max-samples).
  size_t max_samples = 50'000'000;
  std::chrono::milliseconds timeout{std::chrono::minutes(2)};
  size_t max_points_per_series = 11'000;  // range queries: (end-start)/step ≤ this, as Prometheus
  // Step of subqueries written without one (`x[1h:]`): Prometheus's global evaluation_interval.
  int64_t subquery_step_ms = 60 * 1000;
};

struct Point {
  int64_t t = 0;  // ms
  double v = 0;
};

struct SeriesResult {
  model::prom::Labels labels;
  std::vector<Point> points;  // instant vector: exactly one
};

struct QueryResult {
  ValueType type = ValueType::kVector;  // range queries: always kMatrix
  Point scalar;                         // kScalar
  std::string string_value;             // kString (t in scalar.t)
  std::vector<SeriesResult> series;     // kVector, kMatrix
  std::vector<std::string> warnings;
};

// Errors: INVALID_ARGUMENT (parse or type error, "1:5: parse error: …", bad range-query
// parameters; Prometheus's bad_data), DEADLINE_EXCEEDED (timeout), RESOURCE_EXHAUSTED
// (max_samples), FAILED_PRECONDITION (execution errors, e.g. "many-to-many matching not
// allowed…"; Prometheus's execution), the reader's own errors unchanged.
// Queries may run concurrently on one Engine if the reader allows concurrent reads.
class Engine {
 public:
  Engine(const storage::metrics::MetricsReader& reader, EngineOptions options = {});

  Result<QueryResult> instant(std::string_view query, int64_t time_ms) const;
  Result<QueryResult> range(std::string_view query, int64_t start_ms, int64_t end_ms,
                            int64_t step_ms) const;

 private:
  const storage::metrics::MetricsReader& reader_;
  EngineOptions options_;
};

}  // namespace periscope::query::promql
