#include "pipeline/helpers/backoff.h"

#include <algorithm>

namespace periscope::pipeline {

ExponentialBackoff::ExponentialBackoff(const RetrySettings& settings, uint64_t seed)
    : settings_(settings),
      interval_ns_(static_cast<double>(settings.initial_interval.count())),
      rng_(seed) {}

void ExponentialBackoff::reset() {
  interval_ns_ = static_cast<double>(settings_.initial_interval.count());
}

std::chrono::nanoseconds ExponentialBackoff::next() {
  double f = settings_.randomization_factor;
  double lo = interval_ns_ * (1.0 - f);
  double hi = interval_ns_ * (1.0 + f);
  double wait = lo;
  if (hi > lo) wait = std::uniform_real_distribution<double>(lo, hi)(rng_);
  interval_ns_ = std::min(interval_ns_ * settings_.multiplier,
                          static_cast<double>(settings_.max_interval.count()));
  return std::chrono::nanoseconds(static_cast<int64_t>(wait));
}

}  // namespace periscope::pipeline
