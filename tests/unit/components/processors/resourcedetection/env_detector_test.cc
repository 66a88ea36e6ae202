#include "components/processors/resourcedetection/detectors/env_detector.h"

#include <gtest/gtest.h>

#include "detect_test_util.h"

namespace periscope::components::resourcedetection {
namespace {

using testing::asStrings;
using testing::Attrs;

TEST(EnvDetector, ParsesResourceAttributes) {
  struct Case {
    std::string input;
    Attrs expected;
  };
  const Case cases[] = {
      {"", {}},
      {"   ", {}},
      {"a=1", {{"a", "1"}}},
      {"a=1,b=2", {{"a", "1"}, {"b", "2"}}},
      {" a = 1 , b=2 ", {{"a", "1"}, {"b", "2"}}},                       // keys and values trimmed
      {"a=1,,b=2,", {{"a", "1"}, {"b", "2"}}},                           // empty pairs tolerated
      {"k=x=y", {{"k", "x=y"}}},                                         // first '=' splits
      {"k=", {{"k", ""}}},                                               // empty value
      {"k=hello%20world%2C%3D", {{"k", "hello world,="}}},               // percent-decoding
      {"k=a+b", {{"k", "a+b"}}},                                         // '+' is not a space
      {"k=%e2%82%ac", {{"k", "\xe2\x82\xac"}}},                          // UTF-8 bytes
      {"service.name=api,service.name=web", {{"service.name", "web"}}},  // last wins
  };
  for (const auto& c : cases) {
    auto r = parseResourceAttributes(c.input);
    ASSERT_TRUE(r.isOk()) << c.input << ": " << r.status().message();
    EXPECT_EQ(asStrings(*r), c.expected) << c.input;
  }
}

TEST(EnvDetector, ReportsMalformedInput) {
  struct Case {
    std::string input;
    std::string error;
  };
  const Case cases[] = {
      {"a=1,novalue", "OTEL_RESOURCE_ATTRIBUTES: invalid pair \"novalue\" (expected key=value)"},
      {"=v", "OTEL_RESOURCE_ATTRIBUTES: empty key in pair \"=v\""},
      {"k=%zz", "OTEL_RESOURCE_ATTRIBUTES: invalid percent-encoding in the value of \"k\""},
      {"k=50%", "OTEL_RESOURCE_ATTRIBUTES: invalid percent-encoding in the value of \"k\""},
      {"k=%4", "OTEL_RESOURCE_ATTRIBUTES: invalid percent-encoding in the value of \"k\""},
  };
  for (const auto& c : cases) {
    auto r = parseResourceAttributes(c.input);
    ASSERT_FALSE(r.isOk()) << c.input;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message(), c.error) << c.input;
  }
}

TEST(EnvDetector, ServiceNameVariableWins) {
  StaticEnvironment env;
  env.variables = {
      {"OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attrs,deployment.environment=prod"},
      {"OTEL_SERVICE_NAME", "checkout"}};
  EnvDetector d;
  auto r = testing::runDetector(d, env);
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(asStrings(*r),
            (Attrs{{"service.name", "checkout"}, {"deployment.environment", "prod"}}));
}

TEST(EnvDetector, NothingSetIsEmpty) {
  StaticEnvironment env;
  env.variables = {{"OTEL_SERVICE_NAME", ""}};
  EnvDetector d;
  auto r = testing::runDetector(d, env);
  ASSERT_TRUE(r.isOk());
  EXPECT_TRUE(r->empty());
}

TEST(EnvDetector, MalformedVariableIsAnError) {
  StaticEnvironment env;
  env.variables = {{"OTEL_RESOURCE_ATTRIBUTES", "oops"}};
  EnvDetector d;
  auto r = testing::runDetector(d, env);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().message(),
            "OTEL_RESOURCE_ATTRIBUTES: invalid pair \"oops\" (expected key=value)");
}

}  // namespace
}  // namespace periscope::components::resourcedetection
