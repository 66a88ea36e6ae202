// The explicit-histogram bucket of a value: the first bound >= value (OTLP bounds are inclusive
// upper bounds), as a branch-free count, which beats a binary search on the usual 10-20 bounds.
#pragma once

#include <cstddef>
#include <vector>

namespace periscope::components::connectors {

inline size_t bucketIndex(const std::vector<double>& bounds, double value) {
  size_t below = 0;
  for (double b : bounds) below += b < value ? 1 : 0;
  return below;
}

}  // namespace periscope::components::connectors
