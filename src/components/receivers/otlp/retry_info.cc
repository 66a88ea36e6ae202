#include "components/receivers/otlp/retry_info.h"

#include <cstdint>

namespace periscope::components::otlp_receiver {
namespace {

void varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>(v | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

void lenField(std::string& out, int field, std::string_view payload) {
  varint(out, static_cast<uint64_t>(field) << 3 | 2);
  varint(out, payload.size());
  out += payload;
}

}  // namespace

std::string encodeStatusWithRetryInfo(int code, std::string_view message, int retry_after_seconds) {
  std::string duration;  // google.protobuf.Duration {int64 seconds = 1}
  if (retry_after_seconds > 0) {
    varint(duration, 1 << 3);
    varint(duration, static_cast<uint64_t>(retry_after_seconds));
  }
  std::string retry_info;  // google.rpc.RetryInfo {Duration retry_delay = 1}
  lenField(retry_info, 1, duration);
  std::string any;  // google.protobuf.Any {string type_url = 1; bytes value = 2}
  lenField(any, 1, "type.googleapis.com/google.rpc.RetryInfo");
  lenField(any, 2, retry_info);
  std::string
      status;  // google.rpc.Status {int32 code = 1; string message = 2; repeated Any details = 3}
  varint(status, 1 << 3);
  varint(status, static_cast<uint64_t>(code));
  lenField(status, 2, message);
  lenField(status, 3, any);
  return status;
}

}  // namespace periscope::components::otlp_receiver
