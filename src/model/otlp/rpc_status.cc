// Reading the throttling hint of a google.rpc.Status (gRPC's grpc-status-details-bin, the
// body of an OTLP/HTTP error): Status {details = 3: Any {type_url = 1, value = 2}}, and in it
// RetryInfo {retry_delay = 1: Duration {seconds = 1, nanos = 2}}.
#include "model/otlp/proto_decoder.h"
#include "model/otlp/wire.h"

namespace periscope::model::otlp {
namespace {

// Calls fn(field) for each field of `bytes`; false on malformed input.
template <typename Fn>
bool eachField(std::string_view bytes, Fn&& fn) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const auto* end = p + bytes.size();
  while (p < end) {
    wire::Field f;
    if (wire::readField(p, end, f) != wire::ReadError::kNone) return false;
    fn(f);
  }
  return true;
}

}  // namespace

int decodeRetryAfterSeconds(std::string_view rpc_status) {
  constexpr std::string_view kRetryInfo = "type.googleapis.com/google.rpc.RetryInfo";
  int64_t seconds = 0;
  bool found = false;
  eachField(rpc_status, [&](const wire::Field& status_field) {
    if (status_field.number() != 3 || status_field.wireType() != wire::kLen) return;
    std::string_view type_url, value;
    eachField(status_field.view(), [&](const wire::Field& any) {
      if (any.wireType() != wire::kLen) return;
      if (any.number() == 1) type_url = any.view();
      if (any.number() == 2) value = any.view();
    });
    if (type_url != kRetryInfo) return;
    eachField(value, [&](const wire::Field& info) {
      if (info.number() != 1 || info.wireType() != wire::kLen) return;
      eachField(info.view(), [&](const wire::Field& duration) {
        if (duration.wireType() != wire::kVarint) return;
        found = true;
        if (duration.number() == 1) seconds = static_cast<int64_t>(duration.value);
        // nanos > 0 rounds up to the next second: never retry earlier than asked
        if (duration.number() == 2 && duration.value > 0) seconds += 1;
      });
    });
  });
  if (!found || seconds <= 0) return 0;
  return static_cast<int>(std::min<int64_t>(seconds, 3600));
}

}  // namespace periscope::model::otlp
