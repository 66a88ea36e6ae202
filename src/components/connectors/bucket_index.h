// The explicit-histogram bucket of a value: the first bound >= value (OTLP bounds are inclusive
// upper bounds). A branch-free binary search: durations land in unpredictable buckets, so a
// branching search mispredicts about every other step.
#pragma once

#include <cstddef>
#include <vector>

namespace periscope::components::connectors {

inline size_t bucketIndex(const std::vector<double>& bounds, double value) {
  if (bounds.empty()) return 0;
  const double* base = bounds.data();
  size_t n = bounds.size();
  while (n > 1) {
    const size_t half = n / 2;
    base = base[half] < value ? base + half : base;
    n -= half;
  }
  return static_cast<size_t>(base - bounds.data()) + (*base < value ? 1 : 0);
}

}  // namespace periscope::components::connectors
