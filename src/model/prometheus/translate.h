// OTLP metrics → Prometheus samples, following the OpenTelemetry "Prometheus and OpenMetrics
// Compatibility" specification: metric names with unit and `_total` suffixes, label
// sanitising, `target_info` from resource attributes, `job`/`instance` from service.name /
// service.namespace / service.instance.id, histograms as `_bucket{le}`/`_sum`/`_count`,
// exponential histograms as classic buckets at their exact boundaries, summaries as quantile
// series, and delta sums/histograms accumulated to cumulative. Used by the metrics store and
// by the prometheus and prometheusremotewrite exporters.
// Choices where the spec leaves room: exponential histograms are downscaled to scale ≤ 8 and
// ≤ 160 buckets; their negative buckets are counted in the zero bucket's `le` (cumulative counts
// stay right, negative values are not resolved); delta exponential histograms and delta
// non-monotonic sums are dropped (as the spec says) and counted in TranslateStats; a delta point
// not newer than the last one of its series is dropped; a histogram `_sum` is written only when
// the point has a sum; scope attributes are not copied to labels.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "model/batch.h"
#include "model/prometheus/labels.h"

namespace periscope::model::prom {

struct TranslateOptions {
  bool add_metric_suffixes = true;                // unit and `_total` suffixes
  bool resource_to_telemetry_conversion = false;  // copy every resource attribute to labels
  bool add_target_info = true;                    // one `target_info` series per resource
  // Delta series not updated for this long lose their accumulated state (bounded memory).
  int64_t delta_state_ttl_ms = 15 * 60 * 1000;
};

// Receives translated samples. `labels` are sorted by name with `__name__` included; the views
// are valid only during the call (they point into the batch and a reused scratch buffer).
class SampleSink {
 public:
  virtual ~SampleSink() = default;
  // Called before the first sample of each metric family in a batch.
  virtual void metadata(const MetricMetadata& md) { (void)md; }
  virtual void sample(std::span<const LabelRef> labels, int64_t t_ms, double v) = 0;
};

struct TranslateStats {
  uint64_t samples = 0;
  uint64_t skipped_points = 0;  // points that cannot be represented (e.g. delta without start)
  std::string first_skip_reason;
};

// Stateful only for delta→cumulative accumulation; thread-compatible (one per writer).
class Translator {
 public:
  explicit Translator(TranslateOptions options = {});
  ~Translator();
  Translator(Translator&&) noexcept;
  Translator& operator=(Translator&&) noexcept;

  TranslateStats translate(const Metrics& batch, SampleSink& sink);

 private:
  struct State;
  TranslateOptions options_;
  std::unique_ptr<State> state_;
};

// Name building and sanitising, exposed for the receivers and tests.
std::string prometheusMetricName(const Metric& metric, bool add_suffixes);
std::string sanitizeLabelName(
    std::string_view name);  // invalid chars → '_', leading digit → "key_"
std::string sanitizeMetricName(std::string_view name);  // invalid chars → '_'
std::string_view unitWord(std::string_view otel_unit);  // "s" → "seconds", "By" → "bytes", ...
std::string_view perUnitWord(std::string_view otel_unit);  // "s" → "second", "h" → "hour", ...

// A float as Prometheus prints `le` and `quantile` values: Go's strconv.FormatFloat(v, 'g', -1,
// 64): shortest round-trip digits, exponent form ("1e+06", "1e-05") when the decimal exponent is
// below -4 or at least 6; "+Inf", "-Inf", "NaN". Held inline so the hot path does not allocate.
struct FloatText {
  char buf[32];
  uint8_t len = 0;
  std::string_view view() const { return {buf, len}; }
};
FloatText formatFloat(double v);

}  // namespace periscope::model::prom
