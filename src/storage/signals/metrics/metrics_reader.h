// MetricsReader: what PromQL and the Prometheus HTTP API read from a metrics store.
// Times are Unix milliseconds, ranges inclusive at both ends, as in Prometheus.
// Implemented by the embedded MetricsStore and by in-memory fakes in tests.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/prometheus/labels.h"

namespace periscope::storage::metrics {

using model::prom::Label;
using model::prom::Labels;

// One label matcher; regex values are RE2 patterns matched against the whole value.
struct Matcher {
  enum class Op : uint8_t { kEqual, kNotEqual, kRegexMatch, kRegexNoMatch };
  std::string name;
  Op op = Op::kEqual;
  std::string value;
};

struct Sample {
  int64_t t = 0;  // ms
  double v = 0;   // may be the stale marker (model::prom::isStaleNaN)
};

struct Series {
  Labels labels;
  std::vector<Sample> samples;  // ascending by t, no duplicate timestamps
};

class MetricsReader {
 public:
  virtual ~MetricsReader() = default;

  // Every series matching all `matchers` that has a sample in [mint, maxt], with its samples in
  // that range (stale markers included). Order: by labels. INVALID_ARGUMENT for a bad regex;
  // RESOURCE_EXHAUSTED when the selection exceeds the store's per-query series limit.
  virtual Result<std::vector<Series>> select(std::span<const Matcher> matchers, int64_t mint,
                                             int64_t maxt) const = 0;

  // Label sets of matching series with data in [mint, maxt] (no samples), sorted.
  virtual Result<std::vector<Labels>> series(std::span<const Matcher> matchers, int64_t mint,
                                             int64_t maxt) const = 0;

  // Sorted label names / values over series matching `matchers` (all series if empty) with data
  // in [mint, maxt].
  virtual Result<std::vector<std::string>> labelNames(std::span<const Matcher> matchers,
                                                      int64_t mint, int64_t maxt) const = 0;
  virtual Result<std::vector<std::string>> labelValues(std::string_view name,
                                                       std::span<const Matcher> matchers,
                                                       int64_t mint, int64_t maxt) const = 0;

  // Metadata (type, help, unit) by metric family; `metric` empty = all; limit 0 = no limit.
  virtual std::vector<model::prom::MetricMetadata> metadata(std::string_view metric,
                                                            size_t limit) const = 0;
};

}  // namespace periscope::storage::metrics
