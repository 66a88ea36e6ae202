// A base-2 exponential histogram of non-negative values (OTLP ExponentialHistogram semantics):
// bucket i at scale s holds values in (2^(i/2^s), 2^((i+1)/2^s)]; zero goes to the zero bucket.
// Starts at scale 20 and lowers the scale whenever the populated index range would exceed
// `max_size` buckets, merging neighbours. The bucket array is allocated once, at construction.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace periscope::components::spanmetrics {

class ExponentialHistogram {
 public:
  static constexpr int32_t kMaxScale = 20;
  static constexpr int32_t kMinScale = -10;

  explicit ExponentialHistogram(int32_t max_size);
  void record(double value);

  int32_t scale() const { return scale_; }
  uint64_t zeroCount() const { return zero_count_; }
  uint64_t count() const { return count_; }
  double sum() const { return sum_; }
  // The first populated index and the counts from there (empty if only zeros were recorded).
  int32_t offset() const { return min_index_; }
  std::span<const uint64_t> counts() const;

  // The bucket index of `value` (> 0) at `scale`.
  static int32_t indexOf(double value, int32_t scale);

 private:
  void downscale(int32_t change);

  int32_t max_size_;
  int32_t scale_ = kMaxScale;
  uint64_t zero_count_ = 0;
  uint64_t count_ = 0;
  double sum_ = 0;
  bool has_buckets_ = false;
  int32_t min_index_ = 0;  // counts_[0] is the bucket of min_index_
  int32_t max_index_ = 0;
  std::vector<uint64_t> counts_;
};

}  // namespace periscope::components::spanmetrics
