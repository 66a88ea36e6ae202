// Gorilla chunks round-trip every value bit-exactly (NaN payloads, the stale marker, ±Inf,
// -0) and every timestamp pattern (regular, jittered, large jumps, negative deltas).
#include "storage/signals/metrics/chunk.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "model/prometheus/labels.h"

namespace periscope::storage::metrics {
namespace {

struct Point {
  int64_t t;
  double v;
};

void expectRoundTrip(const std::vector<Point>& points) {
  ChunkEncoder enc;
  for (const Point& p : points) enc.append(p.t, p.v);
  ASSERT_EQ(enc.count(), points.size());
  std::string bytes = enc.bytes();
  ChunkDecoder dec(bytes, enc.count());
  int64_t t;
  double v;
  for (size_t i = 0; i < points.size(); ++i) {
    ASSERT_TRUE(dec.next(t, v)) << i;
    EXPECT_EQ(t, points[i].t) << i;
    EXPECT_EQ(std::bit_cast<uint64_t>(v), std::bit_cast<uint64_t>(points[i].v)) << i;
  }
  EXPECT_FALSE(dec.next(t, v));
  EXPECT_FALSE(dec.fail());
}

TEST(Chunk, SpecialValues) {
  expectRoundTrip({{1000, 1.0},
                   {2000, model::prom::staleNaN()},
                   {3000, std::numeric_limits<double>::quiet_NaN()},
                   {4000, std::numeric_limits<double>::infinity()},
                   {5000, -std::numeric_limits<double>::infinity()},
                   {6000, -0.0},
                   {7000, 0.0},
                   {8000, std::numeric_limits<double>::denorm_min()},
                   {9000, std::numeric_limits<double>::max()},
                   {10000, 1.0}});
}

TEST(Chunk, IrregularTimestamps) {
  expectRoundTrip({{-5, 1},
                   {0, 2},
                   {15000, 3},
                   {30000, 3},
                   {45001, 3},
                   {59999, 4},
                   {60000 + (1 << 20), 5},      // needs the 64-bit bucket
                   {60000 + (1 << 20) + 1, 6},  // then a huge negative delta-of-delta
                   {int64_t{1} << 40, 7},
                   {(int64_t{1} << 40) + 8191, 8},  // bucket edges
                   {(int64_t{1} << 40) + 8191 * 2 - 8192, 9}});
}

TEST(Chunk, RandomSeriesRoundTrip) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 50; ++round) {
    std::vector<Point> pts;
    int64_t t = static_cast<int64_t>(rng() % 1'000'000'000'000);
    double v = 0;
    for (int i = 0; i < 200; ++i) {
      t += static_cast<int64_t>(rng() % 4 == 0 ? rng() % 100000 : 15000);
      switch (rng() % 4) {
        case 0:
          v += 1;
          break;
        case 1:
          v = std::bit_cast<double>(rng());
          break;
        case 2:
          break;
        default:
          v = static_cast<double>(rng() % 1000) / 8;
      }
      pts.push_back({t, v});
    }
    expectRoundTrip(pts);
  }
}

TEST(Chunk, RegularCounterIsCompact) {
  ChunkEncoder enc;
  for (int i = 0; i < 120; ++i) enc.append(1'700'000'000'000 + i * 15000, 100.0 + i);
  // 16 bytes for the first sample; about 2-3 bytes per later one.
  EXPECT_LT(enc.sizeBytes(), 16u + 120u * 3);
}

TEST(Chunk, TruncatedBytesFailInsteadOfReadingPastTheEnd) {
  ChunkEncoder enc;
  for (int i = 0; i < 10; ++i) enc.append(i * 1000, i * 1.5);
  std::string bytes = enc.bytes();
  ChunkDecoder dec(std::string_view(bytes).substr(0, bytes.size() / 2), 10);
  int64_t t;
  double v;
  int n = 0;
  while (dec.next(t, v)) ++n;
  EXPECT_LT(n, 10);
  EXPECT_TRUE(dec.fail());
}

TEST(Chunk, EncoderKeepsAppendingAfterBytes) {
  ChunkEncoder enc;
  enc.append(1, 1);
  std::string first = enc.bytes();
  enc.append(2, 2);
  std::string both = enc.bytes();
  ChunkDecoder dec(both, 2);
  int64_t t;
  double v;
  ASSERT_TRUE(dec.next(t, v));
  ASSERT_TRUE(dec.next(t, v));
  EXPECT_EQ(t, 2);
  EXPECT_EQ(v, 2);
  EXPECT_EQ(first.size(), 16u);
}

}  // namespace
}  // namespace periscope::storage::metrics
