#include <gtest/gtest.h>

#include "model/otlp/json_encoder.h"
#include "model/otlp/proto_encoder.h"

namespace periscope::model::otlp {
namespace {

TEST(RpcStatus, ProtobufWithRetryInfo) {
  std::string got = encodeRpcStatus(14, "busy", 3);
  std::string type_url = "type.googleapis.com/google.rpc.RetryInfo";
  // Duration{seconds: 3} = 08 03; RetryInfo{retry_delay} = 0a 02 08 03.
  std::string retry_info = std::string("\x0a\x02\x08\x03", 4);
  std::string any = "\x0a" + std::string(1, static_cast<char>(type_url.size())) + type_url +
                    "\x12" + std::string(1, static_cast<char>(retry_info.size())) + retry_info;
  std::string expected = std::string("\x08\x0e\x12\x04") + "busy" + "\x1a" +
                         std::string(1, static_cast<char>(any.size())) + any;
  EXPECT_EQ(got, expected);
}

TEST(RpcStatus, ProtobufWithoutDetails) {
  EXPECT_EQ(encodeRpcStatus(3, "bad"), std::string("\x08\x03\x12\x03") + "bad");
}

TEST(RpcStatus, JsonEscapesTheMessage) {
  EXPECT_EQ(encodeRpcStatusJson(3, "bad \"x\"\n"), R"({"code":3,"message":"bad \"x\"\n"})");
}

}  // namespace
}  // namespace periscope::model::otlp
