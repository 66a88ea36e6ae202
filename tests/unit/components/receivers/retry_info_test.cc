#include "components/receivers/otlp/retry_info.h"

#include <gtest/gtest.h>

namespace periscope::components::otlp_receiver {
namespace {

TEST(RetryInfo, EncodesStatusWithRetryDelay) {
  std::string got = encodeStatusWithRetryInfo(14, "busy", 3);
  std::string type_url = "type.googleapis.com/google.rpc.RetryInfo";
  // Duration{seconds: 3} = 08 03; RetryInfo{retry_delay} = 0a 02 08 03.
  std::string retry_info = std::string("\x0a\x02\x08\x03", 4);
  std::string any = "\x0a" + std::string(1, static_cast<char>(type_url.size())) + type_url +
                    "\x12" + std::string(1, static_cast<char>(retry_info.size())) + retry_info;
  std::string expected = std::string("\x08\x0e\x12\x04") + "busy" + "\x1a" +
                         std::string(1, static_cast<char>(any.size())) + any;
  EXPECT_EQ(got, expected);
}

}  // namespace
}  // namespace periscope::components::otlp_receiver
