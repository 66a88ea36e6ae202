#include <gtest/gtest.h>

#include "components/exporters/otlphttp/otlphttp_exporter.h"

namespace periscope::components::otlphttp_exporter {
namespace {

TEST(OtlpHttpExporter, MapsHttpAnswersToOtlpRetrySemantics) {
  EXPECT_TRUE(statusFromHttp(200, "", "").isOk());
  for (long code : {429L, 502L, 503L, 504L}) {
    Status st = statusFromHttp(code, "", "");
    EXPECT_TRUE(st.isRetryable()) << code;
  }
  EXPECT_EQ(statusFromHttp(503, "12", "").retryAfterSeconds(), 12);
  for (long code : {400L, 401L, 404L, 413L, 500L}) {
    Status st = statusFromHttp(code, "", "nope");
    EXPECT_FALSE(st.isRetryable()) << code;
    EXPECT_NE(st.message().find("HTTP " + std::to_string(code) + ": nope"), std::string::npos);
  }
}

TEST(OtlpHttpExporter, ConfigNeedsAnHttpEndpoint) {
  Config c;
  EXPECT_FALSE(c.validate().isOk());
  c.endpoint = "127.0.0.1:4318";
  EXPECT_EQ(c.validate().message(),
            "endpoint \"127.0.0.1:4318\" must start with http:// or https://");
  c.endpoint = "http://127.0.0.1:4318";
  EXPECT_TRUE(c.validate().isOk());
}

}  // namespace
}  // namespace periscope::components::otlphttp_exporter
