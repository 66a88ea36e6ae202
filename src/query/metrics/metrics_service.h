// MetricsService: the metric queries the Prometheus-compatible API and the CLI offer, on top
// of a storage MetricsReader: PromQL instant and range queries (query/promql/engine.h) and
// series / label / metadata lookups whose `match[]` selectors are parsed as PromQL. Stateless
// beyond its options; safe from any number of threads as long as the reader is.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/prometheus/labels.h"
#include "query/promql/engine.h"
#include "storage/signals/metrics/metrics_reader.h"

namespace periscope::query {

struct MetricsServiceOptions {
  promql::EngineOptions engine;
  // Label-set answers (series, names, values) are cut at this many entries (0 = no limit).
  size_t max_lookup_results = 100'000;
};

class MetricsService {
 public:
  MetricsService(const storage::metrics::MetricsReader& reader, MetricsServiceOptions options = {});

  Result<promql::QueryResult> instant(std::string_view query, int64_t time_ms) const;
  Result<promql::QueryResult> range(std::string_view query, int64_t start_ms, int64_t end_ms,
                                    int64_t step_ms) const;

  // `match` holds PromQL series selectors (`up{job="a"}`); their union is answered.
  // INVALID_ARGUMENT "match[]: …" for a selector that does not parse, is not a plain instant
  // selector, or has only matchers that match the empty string.
  Result<std::vector<model::prom::Labels>> series(const std::vector<std::string>& match,
                                                  int64_t start_ms, int64_t end_ms) const;
  // With `match` empty: over every series.
  Result<std::vector<std::string>> labelNames(const std::vector<std::string>& match,
                                              int64_t start_ms, int64_t end_ms) const;
  Result<std::vector<std::string>> labelValues(std::string_view name,
                                               const std::vector<std::string>& match,
                                               int64_t start_ms, int64_t end_ms) const;
  std::vector<model::prom::MetricMetadata> metadata(std::string_view metric, size_t limit) const;

  // A selector as storage matchers (the metric name as a `__name__` equality matcher).
  static Result<std::vector<storage::metrics::Matcher>> parseSelector(std::string_view selector);

 private:
  const storage::metrics::MetricsReader& reader_;
  MetricsServiceOptions options_;
  promql::Engine engine_;
};

}  // namespace periscope::query
