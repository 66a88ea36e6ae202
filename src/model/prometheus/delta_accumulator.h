// DeltaAccumulator: turns delta sums and histograms into cumulative ones per series (internal
// to the Translator). A point must be newer than the last one accumulated for its series; state
// not updated for the TTL is dropped, so memory is bounded by the live delta series.
// Single-threaded.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

namespace periscope::model::prom {

class DeltaAccumulator {
 public:
  struct Histogram {
    std::vector<double> bounds;
    std::vector<uint64_t> counts;
    uint64_t count = 0;
    double sum = 0;
    int64_t last_ms = 0;
  };

  // The running total after adding `delta`; nullopt if `t_ms` is not after the last point.
  std::optional<double> addSum(uint64_t series, int64_t t_ms, double delta);
  // The running histogram; nullptr if `t_ms` is not after the last point. A change of bucket
  // layout restarts the series from this point.
  const Histogram* addHistogram(uint64_t series, int64_t t_ms, std::span<const double> bounds,
                                std::span<const uint64_t> counts, uint64_t count, double sum);
  // Drops state last updated before `cutoff_ms`; sweeps at most once per `interval_ms` of
  // advancing time so small batches do not pay for a full scan each.
  void expire(int64_t cutoff_ms, int64_t interval_ms);
  size_t size() const { return sums_.size() + histograms_.size(); }

 private:
  struct SumState {
    double value = 0;
    int64_t last_ms = 0;
  };
  std::unordered_map<uint64_t, SumState> sums_;
  std::unordered_map<uint64_t, Histogram> histograms_;
  int64_t next_sweep_ms_ = INT64_MIN;
};

}  // namespace periscope::model::prom
