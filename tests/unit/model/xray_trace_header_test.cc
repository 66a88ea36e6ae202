// The X-Ray trace header: Root's 8+24 hex digits are the 16-byte trace id, Parent the span id.
#include "model/xray_trace_header.h"

#include <gtest/gtest.h>

#include <string>

#include "common/hex.h"

namespace periscope::model {
namespace {

std::string hex(const auto& bytes) {
  return hexEncode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

TEST(XrayTraceHeader, ParsesRootParentAndSampled) {
  auto h = parseXrayTraceHeader(
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(hex(h->trace_id), "5759e988bd862e3fe1be46a994272793");
  EXPECT_TRUE(h->has_parent);
  EXPECT_EQ(hex(h->parent_id), "53995c3f42cd8ad8");
  EXPECT_EQ(h->sampled, true);
}

TEST(XrayTraceHeader, OrderSpacesAndUnknownKeysDoNotMatter) {
  auto h = parseXrayTraceHeader(
      " Self=1-67891234-12456789abcdef012345678 ; Sampled=? "
      ";Root=1-5759E988-BD862E3FE1BE46A994272793");
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(hex(h->trace_id), "5759e988bd862e3fe1be46a994272793");
  EXPECT_FALSE(h->has_parent);
  EXPECT_FALSE(h->sampled.has_value());
}

TEST(XrayTraceHeader, MalformedHeadersAreRejected) {
  EXPECT_FALSE(parseXrayTraceHeader("").has_value());
  EXPECT_FALSE(parseXrayTraceHeader("Parent=53995c3f42cd8ad8").has_value());
  EXPECT_FALSE(parseXrayTraceHeader("Root=2-5759e988-bd862e3fe1be46a994272793").has_value());
  EXPECT_FALSE(parseXrayTraceHeader("Root=1-5759e988bd862e3fe1be46a994272793").has_value());
  EXPECT_FALSE(parseXrayTraceHeader("Root=1-5759e988-bd862e3fe1be46a99427279z").has_value());
  EXPECT_FALSE(
      parseXrayTraceHeader("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f").has_value());
}

}  // namespace
}  // namespace periscope::model
