// OTLP protobuf encoder: model::Batch → ExportTrace/Metrics/LogsServiceRequest bytes.
// Writes fields in field-number order and omits proto3 default values (as libprotobuf does),
// but keeps presence for message fields (has_resource, has_scope, has_status, AnyValue kEmpty).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/batch.h"

namespace periscope::model::otlp {

// Appends the encoding of `batch` to `out`.
void encode(const Traces& batch, std::string& out);
void encode(const Metrics& batch, std::string& out);
void encode(const Logs& batch, std::string& out);

// ExportXServiceResponse: partial_success {rejected = 1, error_message = 2}; identical wire shape
// for all three signals. Empty when nothing was rejected and there is no message.
std::string encodeExportResponse(int64_t rejected, std::string_view error_message);

// google.rpc.Status {code = 1, message = 2, details = 3}: the body of an OTLP/HTTP error and
// gRPC's `grpc-status-details-bin`. With retry_after_seconds > 0 the details carry a
// google.rpc.RetryInfo {retry_delay: Duration {seconds}}, the OTLP throttling signal.
std::string encodeRpcStatus(int32_t code, std::string_view message, int retry_after_seconds = 0);

}  // namespace periscope::model::otlp
