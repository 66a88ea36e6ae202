// SeriesIndex lookups: many series across table growth, hash collisions resolved by the label
// compare, replayed ids.
#include "storage/signals/metrics/series_index.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace periscope::storage::metrics {
namespace {

std::vector<LabelRef> refsOf(const Labels& labels) {
  std::vector<LabelRef> out;
  for (const Label& l : labels) out.push_back({l.name, l.value});
  return out;
}

TEST(SeriesIndexTest, FindsEverySeriesAcrossGrowth) {
  SeriesIndex index;
  std::vector<Labels> all;
  for (int i = 0; i < 5000; ++i) {
    all.push_back({{"__name__", "m" + std::to_string(i % 7)}, {"i", std::to_string(i)}});
  }
  for (size_t i = 0; i < all.size(); ++i) {
    auto r = refsOf(all[i]);
    ASSERT_EQ(index.find(r, model::prom::hashLabels(r)), kNoSeries);
    ASSERT_EQ(index.add(r, model::prom::hashLabels(r)), static_cast<SeriesId>(i));
  }
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(index.find(all[i]), static_cast<SeriesId>(i));
    EXPECT_EQ(index.labels(static_cast<SeriesId>(i)), all[i]);
  }
  EXPECT_EQ(index.seriesOfMetric("m3"), 714u);
}

TEST(SeriesIndexTest, SameHashDifferentLabelsStayApart) {
  SeriesIndex index;
  Labels a{{"__name__", "up"}, {"job", "a"}};
  Labels b{{"__name__", "up"}, {"job", "b"}};
  Labels c{{"__name__", "up"}, {"job", "ab"}};
  Labels prefix{{"__name__", "up"}};
  auto ra = refsOf(a), rb = refsOf(b), rc = refsOf(c), rp = refsOf(prefix);
  constexpr uint64_t kHash = 42;  // forced collision
  EXPECT_EQ(index.add(ra, kHash), 0u);
  EXPECT_EQ(index.add(rb, kHash), 1u);
  EXPECT_EQ(index.find(ra, kHash), 0u);
  EXPECT_EQ(index.find(rb, kHash), 1u);
  EXPECT_EQ(index.find(rc, kHash), kNoSeries);
  EXPECT_EQ(index.find(rp, kHash), kNoSeries);
  EXPECT_EQ(index.find(ra, kHash + 1), kNoSeries);
}

TEST(SeriesIndexTest, ReplayedIdsKeepHolesAndRefuseTakenIds) {
  SeriesIndex index;
  Labels a{{"__name__", "up"}, {"job", "a"}};
  Labels b{{"__name__", "up"}, {"job", "b"}};
  auto ra = refsOf(a), rb = refsOf(b);
  EXPECT_EQ(index.add(ra, model::prom::hashLabels(ra), 5), 5u);
  EXPECT_FALSE(index.exists(2));
  EXPECT_EQ(index.add(rb, model::prom::hashLabels(rb), 5), kNoSeries);
  EXPECT_EQ(index.find(b), kNoSeries);
  EXPECT_EQ(index.add(rb, model::prom::hashLabels(rb)), 6u);
  EXPECT_EQ(index.find(a), 5u);
  EXPECT_EQ(index.find(b), 6u);
}

}  // namespace
}  // namespace periscope::storage::metrics
