// X-Ray header formatting, X-Ray ⇄ W3C traceparent, and the SQS AWSTraceHeader precedence.
#include "model/propagation/xray_w3c.h"

#include <gtest/gtest.h>

#include <string>

namespace periscope::model::propagation {
namespace {

constexpr const char* kXray =
    "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
constexpr const char* kW3c = "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01";

TEST(XrayHeaderFormat, WritesRootParentAndSampled) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {kXray, kXray},
      {"Root=1-5759E988-BD862E3FE1BE46A994272793;Sampled=0",
       "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0"},
      {"Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=?",
       "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=?"},
      {"Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8",
       "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=?"},
      {"Sampled=1;Self=1-67891234-12456789abcdef012345678;Root=1-5759e988-bd862e3fe1be46a994272793",
       "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"},
  };
  for (const Case& c : cases) {
    auto h = parseXrayTraceHeader(c.in);
    ASSERT_TRUE(h.has_value()) << c.in;
    EXPECT_EQ(formatXrayTraceHeader(*h), c.out) << c.in;
  }
}

TEST(XrayW3c, XrayToTraceparent) {
  struct Case {
    const char* xray;
    const char* traceparent;  // nullptr: not convertible
  } cases[] = {
      {kXray, kW3c},
      {"Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0",
       "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-00"},
      {"Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=?",
       "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-00"},
      {"Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1", nullptr},  // no parent
      {"Root=1-5759e988-bd862e3fe1be46a994272793;Parent=0000000000000000", nullptr},
      {"Root=1-00000000-000000000000000000000000;Parent=53995c3f42cd8ad8", nullptr},
  };
  for (const Case& c : cases) {
    auto xray = parseXrayTraceHeader(c.xray);
    ASSERT_TRUE(xray.has_value()) << c.xray;
    auto tp = xrayToTraceparent(*xray);
    ASSERT_EQ(tp.has_value(), c.traceparent != nullptr) << c.xray;
    if (tp) {
      EXPECT_EQ(formatTraceparent(*tp), c.traceparent);
    }
  }
}

TEST(XrayW3c, TraceparentToXray) {
  struct Case {
    const char* traceparent;
    const char* xray;
  } cases[] = {
      {kW3c, kXray},
      {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
       "Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=00f067aa0ba902b7;Sampled=0"},
      {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03",  // only bit 0 is "sampled"
       "Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=00f067aa0ba902b7;Sampled=1"},
  };
  for (const Case& c : cases) {
    auto tp = parseTraceparent(c.traceparent);
    ASSERT_TRUE(tp.has_value()) << c.traceparent;
    EXPECT_EQ(formatXrayTraceHeader(traceparentToXray(*tp)), c.xray);
  }
}

TEST(XrayW3c, RoundTripsBothWays) {
  auto xray = parseXrayTraceHeader(kXray);
  ASSERT_TRUE(xray.has_value());
  auto tp = xrayToTraceparent(*xray);
  ASSERT_TRUE(tp.has_value());
  EXPECT_EQ(formatXrayTraceHeader(traceparentToXray(*tp)), kXray);

  auto w3c = parseTraceparent(kW3c);
  ASSERT_TRUE(w3c.has_value());
  auto back = xrayToTraceparent(traceparentToXray(*w3c));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(formatTraceparent(*back), kW3c);
}

TEST(XrayW3c, SqsAwsTraceHeaderOverridesTheHttpHeader) {
  const char* sqs = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  const char* http = "Root=1-11111111-222222222222222222222222;Parent=3333333333333333;Sampled=0";
  auto h = sqsTraceHeader(sqs, http);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(formatXrayTraceHeader(*h), sqs);

  auto only_http = sqsTraceHeader(std::nullopt, http);
  ASSERT_TRUE(only_http.has_value());
  EXPECT_EQ(formatXrayTraceHeader(*only_http), http);

  auto bad_attribute = sqsTraceHeader("garbage", http);  // unusable attribute: fall back
  ASSERT_TRUE(bad_attribute.has_value());
  EXPECT_EQ(formatXrayTraceHeader(*bad_attribute), http);

  EXPECT_FALSE(sqsTraceHeader(std::nullopt, std::nullopt).has_value());
  EXPECT_EQ(kSqsAwsTraceHeaderAttribute, "AWSTraceHeader");
}

}  // namespace
}  // namespace periscope::model::propagation
