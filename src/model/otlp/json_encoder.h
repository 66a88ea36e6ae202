// OTLP/JSON encoder: model::Batch → ExportTrace/Metrics/LogsServiceRequest JSON (one line), for
// the OTLP/HTTP exporter and receiver (JSON bodies and responses) and for debugging output.
// Follows the OTLP spec's "JSON Protobuf Encoding": lowerCamelCase keys, hex ids, integer enums,
// 64-bit integers as decimal strings, base64 bytes, "NaN"/"Infinity"/"-Infinity" for non-finite
// doubles. Default values are omitted; present-but-empty messages are kept as {}.
// Pure functions; no allocation besides the output string's growth.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/batch.h"

namespace periscope::model::otlp {

// Appends one JSON object (no trailing newline) to `out`.
void encodeJson(const Traces& batch, std::string& out);
void encodeJson(const Metrics& batch, std::string& out);
void encodeJson(const Logs& batch, std::string& out);

// ExportXServiceResponse for `signal` ("traces", "metrics" or "logs"):
// {"partialSuccess":{"rejectedSpans":"3","errorMessage":"…"}} (rejectedDataPoints for metrics,
// rejectedLogRecords for logs), or {} when nothing was rejected and there is no message.
// google.rpc.Status as JSON: {"code":3,"message":"..."}, the body of an OTLP/HTTP JSON error.
std::string encodeRpcStatusJson(int32_t code, std::string_view message);

std::string encodeExportResponseJson(std::string_view signal, int64_t rejected,
                                     std::string_view error_message);

}  // namespace periscope::model::otlp
