#include "model/prometheus/delta_accumulator.h"

#include <algorithm>

namespace periscope::model::prom {

std::optional<double> DeltaAccumulator::addSum(uint64_t series, int64_t t_ms, double delta) {
  auto [it, fresh] = sums_.try_emplace(series);
  SumState& s = it->second;
  if (!fresh && t_ms <= s.last_ms) return std::nullopt;
  s.value += delta;
  s.last_ms = t_ms;
  return s.value;
}

const DeltaAccumulator::Histogram* DeltaAccumulator::addHistogram(uint64_t series, int64_t t_ms,
                                                                  std::span<const double> bounds,
                                                                  std::span<const uint64_t> counts,
                                                                  uint64_t count, double sum) {
  auto [it, fresh] = histograms_.try_emplace(series);
  Histogram& h = it->second;
  if (!fresh && t_ms <= h.last_ms) return nullptr;
  bool same_layout = !fresh &&
                     std::equal(h.bounds.begin(), h.bounds.end(), bounds.begin(), bounds.end()) &&
                     h.counts.size() == counts.size();
  if (!same_layout) {
    h.bounds.assign(bounds.begin(), bounds.end());
    h.counts.assign(counts.size(), 0);
    h.count = 0;
    h.sum = 0;
  }
  for (size_t i = 0; i < counts.size(); ++i) h.counts[i] += counts[i];
  h.count += count;
  h.sum += sum;
  h.last_ms = t_ms;
  return &h;
}

void DeltaAccumulator::expire(int64_t cutoff_ms, int64_t interval_ms) {
  if (cutoff_ms < next_sweep_ms_) return;
  next_sweep_ms_ = cutoff_ms + std::max<int64_t>(interval_ms, 1);
  std::erase_if(sums_, [&](const auto& kv) { return kv.second.last_ms < cutoff_ms; });
  std::erase_if(histograms_, [&](const auto& kv) { return kv.second.last_ms < cutoff_ms; });
}

}  // namespace periscope::model::prom
