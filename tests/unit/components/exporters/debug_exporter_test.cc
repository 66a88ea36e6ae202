#include "components/exporters/debug/debug_exporter.h"

#include <gtest/gtest.h>

#include "support/fake_consumer.h"

namespace periscope::components::debug_exporter {
namespace {

TEST(DebugExporter, VerbosityLevels) {
  model::Traces t = testing::makeSpans(2, 2);
  EXPECT_EQ(render(t, "basic"), "Traces {\"resource spans\": 2, \"spans\": 2}\n");
  std::string normal = render(t, "normal");
  EXPECT_NE(normal.find("span-1 01000000010101010101010101010101 0100000001010101\n"),
            std::string::npos)
      << normal;
  std::string detailed = render(t, "detailed");
  EXPECT_NE(detailed.find("-> service.name: Str(svc-1)"), std::string::npos) << detailed;
  EXPECT_NE(detailed.find("Name: span-2"), std::string::npos);
}

}  // namespace
}  // namespace periscope::components::debug_exporter
