// gRPC throttling answers per the OTLP spec: a retryable refusal carries a google.rpc.RetryInfo
// in the `grpc-status-details-bin` trailer so that clients wait the suggested delay.
#pragma once

#include <string>
#include <string_view>

namespace periscope::components::otlp_receiver {

// Serialised google.rpc.Status{code, message, details: [Any{RetryInfo{retry_delay}}]}.
std::string encodeStatusWithRetryInfo(int code, std::string_view message, int retry_after_seconds);

}  // namespace periscope::components::otlp_receiver
