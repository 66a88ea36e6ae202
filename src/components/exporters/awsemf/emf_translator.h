// OTLP metrics → CloudWatch Embedded Metric Format log events, following the collector's
// awsemfexporter: data points with the same labels, timestamp and metric type become one event;
// gauges and sums are numbers (cumulative sums as deltas), histograms and summaries statistic
// sets {"Max","Min","Count","Sum"}, exponential histograms {"Values","Counts",...}. Unlike the
// collector, the EMF limits are enforced by splitting, never by silent truncation: ≤100 metrics
// per directive, ≤30 names per dimension set, ≤1 MB per event.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "components/exporters/awsemf/config.h"
#include "components/exporters/awsemf/delta_calculator.h"
#include "components/exporters/awsemf/metric_declaration.h"
#include "model/batch.h"

namespace periscope::components::awsemf_exporter {

// Limits of the EMF specification and of PutLogEvents.
inline constexpr size_t kMaxMetricsPerDirective = 100;
inline constexpr size_t kMaxDimensionsPerSet = 30;
inline constexpr size_t kMaxValuesPerMetric = 100;  // array values (exponential histograms)
inline constexpr size_t kMaxDimensionNameBytes = 255;
inline constexpr size_t kMaxDimensionValueBytes = 1024;
inline constexpr size_t kPutLogEventsMaxBytes = 1'048'576;
inline constexpr size_t kPutLogEventsOverheadBytes = 26;  // per event, counted by the API
inline constexpr size_t kMaxEventBytes = kPutLogEventsMaxBytes - kPutLogEventsOverheadBytes;

struct LogEvent {
  int64_t timestamp_ms = 0;
  std::string message;  // one JSON object
};

struct TranslateStats {
  size_t events = 0;
  size_t first_cumulative_points = 0;  // dropped: a delta needs a previous value
  size_t non_finite_values = 0;        // NaN/±Inf cannot be published; dropped
  size_t unmatched_metrics = 0;        // metric_declarations selected none
  size_t directive_splits = 0;         // >100 metrics: extra events made
  size_t dimension_set_splits = 0;     // >30 names: extra sets made
  size_t invalid_dimensions = 0;       // names/values out of CloudWatch's rules: not dimensions
  size_t oversized_metrics = 0;        // one metric alone exceeded the event size; dropped
};

class EmfTranslator {
 public:
  explicit EmfTranslator(const Config& config);

  // Appends the events of `metrics` to `out`. `now_ms` stamps points without a time. Keeps
  // cumulative state: callers serialize calls.
  TranslateStats translate(const model::Metrics& metrics, int64_t now_ms,
                           std::vector<LogEvent>& out);

 private:
  struct Group;
  struct Directive;
  void translateGroup(const Group& group, TranslateStats& stats, std::vector<LogEvent>& out) const;
  std::vector<Directive> directivesFor(const Group& group, TranslateStats& stats) const;
  void emit(const Group& group, const std::vector<Directive>& directives,
            std::vector<size_t> metric_indexes, TranslateStats& stats,
            std::vector<LogEvent>& out) const;

  Config config_;
  std::vector<MetricDeclaration> declarations_;
  DeltaCalculator deltas_;
  int64_t last_expiry_ms_ = 0;
};

}  // namespace periscope::components::awsemf_exporter
