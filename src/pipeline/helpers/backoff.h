// ExponentialBackoff: the waits between retries, as the collector computes them: the n-th wait
// is drawn uniformly from [i*(1-f), i*(1+f)] where i = initial_interval * multiplier^(n-1),
// capped at max_interval (before randomisation), f = randomization_factor.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

#include "pipeline/helpers/exporter_helper_config.h"

namespace periscope::pipeline {

class ExponentialBackoff {
 public:
  ExponentialBackoff(const RetrySettings& settings, uint64_t seed);
  // The next wait; grows the interval for the one after.
  std::chrono::nanoseconds next();
  void reset();

 private:
  RetrySettings settings_;
  double interval_ns_;
  std::mt19937_64 rng_;
};

}  // namespace periscope::pipeline
