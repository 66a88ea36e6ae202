// The throttling hint (RetryInfo) read back from a google.rpc.Status.
#include <gtest/gtest.h>

#include "model/otlp/proto_decoder.h"
#include "model/otlp/proto_encoder.h"

namespace periscope::model::otlp {
namespace {

TEST(RetryInfoDecode, RetryInfoRoundTripsThroughTheEncoder) {
  EXPECT_EQ(decodeRetryAfterSeconds(encodeRpcStatus(14, "slow down", 7)), 7);
  EXPECT_EQ(decodeRetryAfterSeconds(encodeRpcStatus(14, "no hint")), 0);
}

TEST(RetryInfoDecode, NanosRoundUpAndHugeDelaysAreCapped) {
  // Status{details: Any{type_url, value: RetryInfo{retry_delay: Duration{seconds: 2, nanos: 5}}}}
  auto len = [](int field, const std::string& v) {
    return std::string(1, static_cast<char>(field << 3 | 2)) + static_cast<char>(v.size()) + v;
  };
  std::string duration = std::string("\x08\x02\x10\x05", 4);
  std::string any = len(1, "type.googleapis.com/google.rpc.RetryInfo") + len(2, len(1, duration));
  EXPECT_EQ(decodeRetryAfterSeconds(len(3, any)), 3);
  std::string huge = std::string("\x08\xff\xff\xff\xff\x0f", 6);
  std::string any2 = len(1, "type.googleapis.com/google.rpc.RetryInfo") + len(2, len(1, huge));
  EXPECT_EQ(decodeRetryAfterSeconds(len(3, any2)), 3600);
}

TEST(RetryInfoDecode, OtherDetailsAndGarbageGiveZero) {
  auto len = [](int field, const std::string& v) {
    return std::string(1, static_cast<char>(field << 3 | 2)) + static_cast<char>(v.size()) + v;
  };
  std::string other =
      len(1, "type.googleapis.com/google.rpc.DebugInfo") + len(2, len(1, "\x08\x05"));
  EXPECT_EQ(decodeRetryAfterSeconds(len(3, other)), 0);
  EXPECT_EQ(decodeRetryAfterSeconds(std::string("\x1a\xff\xff", 3)), 0);
  EXPECT_EQ(decodeRetryAfterSeconds(""), 0);
}

}  // namespace
}  // namespace periscope::model::otlp
