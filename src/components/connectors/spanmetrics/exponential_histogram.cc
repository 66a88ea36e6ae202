#include "components/connectors/spanmetrics/exponential_histogram.h"

#include <algorithm>
#include <cmath>

namespace periscope::components::spanmetrics {

ExponentialHistogram::ExponentialHistogram(int32_t max_size)
    : max_size_(std::max<int32_t>(max_size, 2)), counts_(static_cast<size_t>(max_size_), 0) {}

int32_t ExponentialHistogram::indexOf(double value, int32_t scale) {
  int exp = 0;
  double mantissa = std::frexp(value, &exp);  // value = mantissa * 2^exp, mantissa in [0.5, 1)
  // Exact powers of two are the inclusive upper bound of the bucket below.
  const bool power_of_two = mantissa == 0.5;
  if (scale <= 0) {
    int32_t index0 = power_of_two ? exp - 2 : exp - 1;
    return index0 >> -scale;  // arithmetic shift: floor division for negative indexes
  }
  if (power_of_two) return ((exp - 1) << scale) - 1;
  return static_cast<int32_t>(std::ceil(std::ldexp(std::log2(value), scale))) - 1;
}

void ExponentialHistogram::record(double value) {
  ++count_;
  sum_ += value;
  if (!(value > 0)) {
    ++zero_count_;
    return;
  }
  int32_t index = indexOf(value, scale_);
  if (!has_buckets_) {
    has_buckets_ = true;
    min_index_ = max_index_ = index;
    counts_[0] = 1;
    return;
  }
  int32_t lo = std::min(index, min_index_);
  int32_t hi = std::max(index, max_index_);
  int32_t change = 0;
  while (scale_ - change > kMinScale && (int64_t{hi >> change} - (lo >> change) + 1) > max_size_) {
    ++change;
  }
  if (change > 0) {
    downscale(change);
    index >>= change;
  }
  if (index < min_index_) {
    // Shift the populated buckets up to make room below.
    size_t shift = static_cast<size_t>(min_index_ - index);
    size_t used = static_cast<size_t>(max_index_ - min_index_ + 1);
    std::copy_backward(counts_.begin(), counts_.begin() + static_cast<ptrdiff_t>(used),
                       counts_.begin() + static_cast<ptrdiff_t>(used + shift));
    std::fill(counts_.begin(), counts_.begin() + static_cast<ptrdiff_t>(shift), 0);
    min_index_ = index;
  }
  max_index_ = std::max(max_index_, index);
  ++counts_[static_cast<size_t>(index - min_index_)];
}

void ExponentialHistogram::downscale(int32_t change) {
  int32_t new_min = min_index_ >> change;
  int32_t new_max = max_index_ >> change;
  std::vector<uint64_t> merged(counts_.size(), 0);
  for (int32_t i = min_index_; i <= max_index_; ++i) {
    merged[static_cast<size_t>((i >> change) - new_min)] +=
        counts_[static_cast<size_t>(i - min_index_)];
  }
  counts_.swap(merged);
  min_index_ = new_min;
  max_index_ = new_max;
  scale_ -= change;
}

std::span<const uint64_t> ExponentialHistogram::counts() const {
  if (!has_buckets_) return {};
  return std::span<const uint64_t>(counts_).first(static_cast<size_t>(max_index_ - min_index_ + 1));
}

}  // namespace periscope::components::spanmetrics
