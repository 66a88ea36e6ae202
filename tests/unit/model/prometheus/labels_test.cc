// Prometheus labels: the series hash is stable (it keys stored series), order- and
// boundary-sensitive, and the same for the owning and the view forms.
#include "model/prometheus/labels.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace periscope::model::prom {
namespace {

TEST(Labels, HashIsStableAcrossBuildsAndPlatforms) {
  // Pinned values: a change here changes the identity of every stored series.
  Labels l{{"__name__", "http_requests_total"}, {"code", "200"}, {"job", "api"}};
  EXPECT_EQ(hashLabels(l), 0x13eb0a234da3404bull);
  EXPECT_EQ(hashLabels(Labels{}), 0xb4ca3af07ad86bffull);
}

TEST(Labels, HashIsPinnedForEveryTailLength) {
  // Names of 0..16 bytes and values of 17..1: every length mod 8 in both positions.
  std::string all = "abcdefghijklmnopq";
  std::vector<LabelRef> refs;
  for (size_t n = 0; n <= 16; ++n)
    refs.push_back({std::string_view(all).substr(0, n), std::string_view(all).substr(n)});
  EXPECT_EQ(hashLabels(refs), 0x7f548d7f7c0a2f9dull);
}

TEST(Labels, ViewAndOwningFormsHashAlike) {
  Labels l{{"__name__", "up"}, {"instance", "a:9100"}, {"long_label_name_over_8", "value"}};
  std::vector<LabelRef> refs;
  for (const Label& x : l) refs.push_back({x.name, x.value});
  EXPECT_EQ(hashLabels(l), hashLabels(refs));
}

TEST(Labels, HashSeparatesNamesFromValuesAndOrder) {
  std::vector<LabelRef> ab_c{{"ab", "c"}};
  std::vector<LabelRef> a_bc{{"a", "bc"}};
  EXPECT_NE(hashLabels(ab_c), hashLabels(a_bc));
  std::vector<LabelRef> two{{"a", "1"}, {"b", "2"}};
  std::vector<LabelRef> swapped{{"a", "2"}, {"b", "1"}};
  EXPECT_NE(hashLabels(two), hashLabels(swapped));
  std::vector<LabelRef> one{{"a", "1"}};
  EXPECT_NE(hashLabels(two), hashLabels(one));
  // 8-byte boundaries: a value of exactly 8 and of 9 characters.
  std::vector<LabelRef> eight{{"k", "12345678"}};
  std::vector<LabelRef> nine{{"k", "123456789"}};
  EXPECT_NE(hashLabels(eight), hashLabels(nine));
}

TEST(Labels, OrderingAndLookup) {
  Labels l{{"b", "2"}, {"__name__", "x"}, {"a", "1"}, {"Z", "0"}};
  std::sort(l.begin(), l.end());
  // Byte order: uppercase < '_' < lowercase, so __name__ is not always first.
  EXPECT_EQ(labelsToString(l), R"({Z="0", __name__="x", a="1", b="2"})");
  EXPECT_EQ(labelValue(l, "a"), "1");
  EXPECT_EQ(labelValue(l, "missing"), "");
  EXPECT_LT((Label{"a", "1"}), (Label{"a", "2"}));
  EXPECT_EQ(metricKindName(MetricKind::kCounter), "counter");
  EXPECT_EQ(metricKindName(MetricKind::kSummary), "summary");
  EXPECT_EQ(metricKindName(MetricKind::kUnknown), "unknown");
}

TEST(Labels, StaleMarkerIsOneExactNaN) {
  EXPECT_TRUE(isStaleNaN(staleNaN()));
  EXPECT_TRUE(std::isnan(staleNaN()));
  EXPECT_FALSE(isStaleNaN(std::nan("")));
}

}  // namespace
}  // namespace periscope::model::prom
