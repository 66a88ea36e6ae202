// W3C traceparent: the spec's examples and its versioning rules, both ways.
#include "model/propagation/traceparent.h"

#include <gtest/gtest.h>

#include <string>

#include "common/hex.h"

namespace periscope::model::propagation {
namespace {

std::string hex(const auto& bytes) {
  return hexEncode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

TEST(Traceparent, ParsesTheSpecExample) {
  auto tp = parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  ASSERT_TRUE(tp.has_value());
  EXPECT_EQ(tp->version, 0);
  EXPECT_EQ(hex(tp->trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(hex(tp->parent_id), "00f067aa0ba902b7");
  EXPECT_EQ(tp->flags, 0x01);
  EXPECT_TRUE(tp->sampled());
}

struct Case {
  const char* header;
  bool valid;
  const char* why;
};

TEST(Traceparent, ValidAndInvalidHeaders) {
  const Case cases[] = {
      {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", true, "not sampled"},
      {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09", true, "unknown flag bits kept"},
      {"cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", true, "future version"},
      {"cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-will-be-like", true,
       "future version with extra fields"},
      {"cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01.what", false,
       "future version: extra data not after '-'"},
      {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", false,
       "version 00 must be 55 characters"},
      {"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", false, "version ff"},
      {"0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", false, "non-hex version"},
      {"00-00000000000000000000000000000000-00f067aa0ba902b7-01", false, "all-zero trace id"},
      {"00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", false, "all-zero parent id"},
      {"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", false, "upper-case hex"},
      {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x", false, "non-hex flags"},
      {"00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01", false, "short trace id"},
      {"00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01", false, "wrong separators"},
      {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", false, "no flags"},
      {"", false, "empty"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(parseTraceparent(c.header).has_value(), c.valid) << c.why << ": " << c.header;
  }
}

TEST(Traceparent, FutureVersionIsReadAsItsVersion00Fields) {
  auto tp = parseTraceparent(
      "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-will-be-like");
  ASSERT_TRUE(tp.has_value());
  EXPECT_EQ(tp->version, 0xcc);
  EXPECT_EQ(formatTraceparent(*tp), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
}

TEST(Traceparent, RoundTrips) {
  for (const char* h : {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00",
                        "00-00000000000000000000000000000001-0000000000000001-ff"}) {
    auto tp = parseTraceparent(h);
    ASSERT_TRUE(tp.has_value()) << h;
    EXPECT_EQ(formatTraceparent(*tp), h);
  }
}

}  // namespace
}  // namespace periscope::model::propagation
