#include "components/connectors/bucket_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace periscope::components::connectors {
namespace {

TEST(BucketIndex, IsTheFirstBoundNotBelowTheValue) {
  const std::vector<double> bounds = {2,   4,   6,    8,    10,   50,   100,   200,
                                      400, 800, 1000, 1400, 2000, 5000, 10000, 15000};
  EXPECT_EQ(bucketIndex(bounds, 0), 0u);
  EXPECT_EQ(bucketIndex(bounds, 2), 0u);  // bounds are inclusive upper bounds
  EXPECT_EQ(bucketIndex(bounds, 2.0001), 1u);
  EXPECT_EQ(bucketIndex(bounds, 15000), 15u);
  EXPECT_EQ(bucketIndex(bounds, 15001), 16u);  // the overflow bucket
  EXPECT_EQ(bucketIndex({}, 5), 0u);
  std::mt19937 rng(3);
  for (size_t size = 1; size <= 20; ++size) {
    std::vector<double> b;
    for (size_t i = 0; i < size; ++i) b.push_back(static_cast<double>(i * 3 + 1));
    for (int trial = 0; trial < 200; ++trial) {
      double v = static_cast<double>(rng() % (size * 3 + 4)) - 1;
      if (trial % 2) v += 0.5;
      auto expected = static_cast<size_t>(std::lower_bound(b.begin(), b.end(), v) - b.begin());
      ASSERT_EQ(bucketIndex(b, v), expected) << "size " << size << " value " << v;
    }
  }
}

}  // namespace
}  // namespace periscope::components::connectors
