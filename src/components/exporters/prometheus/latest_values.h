// LatestValues: what the `prometheus` exporter serves — the latest sample of every series it
// was sent (as model::prom::Translator produced them), grouped by family, rendered as text
// format 0.0.4 in the order client_golang uses (families by name; series by labels; histogram
// buckets by numeric `le`, then `_sum`, `_count`). A stale marker removes its series; series
// not updated for `expiration` are dropped when rendering. Not thread-safe: the exporter holds
// its mutex around every call.
#pragma once

#include <chrono>
#include <map>
#include <span>
#include <string>

#include "model/prometheus/labels.h"
#include "model/prometheus/translate.h"

namespace periscope::components::prometheus_exporter {

struct LatestValuesOptions {
  std::string metric_namespace;      // prefixed as "<namespace>_" (sanitised); "" = none
  model::prom::Labels const_labels;  // added to every series (sorted)
  bool send_timestamps = false;
  std::chrono::nanoseconds expiration = std::chrono::minutes(5);
};

class LatestValues final : public model::prom::SampleSink {
 public:
  using Clock = std::chrono::steady_clock;
  explicit LatestValues(LatestValuesOptions options);

  // Samples that follow are stamped as received at `now` (for expiration).
  void beginBatch(Clock::time_point now) { now_ = now; }
  void metadata(const model::prom::MetricMetadata& md) override;
  void sample(std::span<const model::prom::LabelRef> labels, int64_t t_ms, double v) override;

  // Drops expired series, then renders the rest.
  std::string render(Clock::time_point now);
  size_t seriesCount() const;

 private:
  // Orders a family's samples: by labels (without le/quantile), then bucket/quantile by bound,
  // then _sum, then _count.
  struct Key {
    model::prom::Labels group;
    int rank = 0;  // 0 value/bucket/quantile, 1 _sum, 2 _count
    double bound = 0;
    auto operator<=>(const Key&) const = default;
  };
  struct Series {
    std::string name;            // sample name, namespace included
    model::prom::Labels labels;  // as written (const labels merged, __name__ excluded)
    double value = 0;
    int64_t t_ms = 0;
    Clock::time_point updated;
  };
  struct Family {
    model::prom::MetricKind kind = model::prom::MetricKind::kUnknown;
    std::string help;
    std::map<Key, Series> series;
  };

  LatestValuesOptions options_;
  std::string prefix_;
  std::map<std::string, Family> families_;
  std::string current_;  // family of the samples that follow (namespace included)
  Clock::time_point now_{};
};

}  // namespace periscope::components::prometheus_exporter
