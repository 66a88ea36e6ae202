// Exponential backoff: the collector's growth, cap and randomisation bounds.
#include "pipeline/helpers/backoff.h"

#include <gtest/gtest.h>

namespace periscope::pipeline {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, GrowsByTheMultiplierUpToMaxIntervalWithoutRandomisation) {
  RetrySettings s;
  s.initial_interval = milliseconds(100);
  s.max_interval = milliseconds(400);
  s.multiplier = 2;
  s.randomization_factor = 0;
  ExponentialBackoff b(s, 1);
  EXPECT_EQ(b.next(), milliseconds(100));
  EXPECT_EQ(b.next(), milliseconds(200));
  EXPECT_EQ(b.next(), milliseconds(400));
  EXPECT_EQ(b.next(), milliseconds(400));
  b.reset();
  EXPECT_EQ(b.next(), milliseconds(100));
}

TEST(Backoff, RandomisedWaitsStayWithinTheFactorAndVary) {
  RetrySettings s;  // collector defaults: 5s, x1.5, factor 0.5, max 30s
  ExponentialBackoff b(s, 42);
  double interval = 5.0;
  std::vector<double> seen;
  for (int i = 0; i < 12; ++i) {
    double w = std::chrono::duration<double>(b.next()).count();
    EXPECT_GE(w, interval * 0.5 - 1e-9) << "wait " << i;
    EXPECT_LE(w, interval * 1.5 + 1e-9) << "wait " << i;
    seen.push_back(w / interval);
    interval = std::min(interval * 1.5, 30.0);
  }
  // Randomised: not every wait sits at the same point of its range.
  EXPECT_NE(*std::min_element(seen.begin(), seen.end()),
            *std::max_element(seen.begin(), seen.end()));
}

}  // namespace
}  // namespace periscope::pipeline
