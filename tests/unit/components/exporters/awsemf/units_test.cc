#include "components/exporters/awsemf/units.h"

#include <gtest/gtest.h>

namespace periscope::components::awsemf_exporter {
namespace {

TEST(AwsEmfUnits, MapsOtelUnitsLikeTheCollector) {
  EXPECT_EQ(cloudWatchUnit("ms"), "Milliseconds");
  EXPECT_EQ(cloudWatchUnit("s"), "Seconds");
  EXPECT_EQ(cloudWatchUnit("us"), "Microseconds");
  EXPECT_EQ(cloudWatchUnit("By"), "Bytes");
  EXPECT_EQ(cloudWatchUnit("Bi"), "Bits");
  EXPECT_EQ(cloudWatchUnit("bit"), "Bits");
  EXPECT_EQ(cloudWatchUnit("%"), "Percent");
  EXPECT_EQ(cloudWatchUnit("1"), "");
  EXPECT_EQ(cloudWatchUnit("ns"), "");
  EXPECT_EQ(cloudWatchUnit("{request}"), "");
  EXPECT_EQ(cloudWatchUnit("Count/Second"), "Count/Second");
  EXPECT_TRUE(isCloudWatchUnit("None"));
  EXPECT_FALSE(isCloudWatchUnit("ms"));
}

}  // namespace
}  // namespace periscope::components::awsemf_exporter
