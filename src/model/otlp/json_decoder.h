// OTLP/JSON decoder (the OTLP spec's "JSON Protobuf Encoding"): ExportTrace/Metrics/Logs-
// ServiceRequest JSON into model::Batch, for the OTLP/HTTP receiver's application/json bodies.
// proto3 JSON mapping with OTLP's differences: ids are hex, enums are integers (names accepted),
// keys are lowerCamelCase or the original snake_case; 64-bit integers are numbers or strings.
// Unknown keys are ignored and null is treated as absent. Errors are INVALID_ARGUMENT with the
// JSON path ("resourceSpans[0].scopeSpans[1].spans[4].traceId: invalid hex"); on error `into` is
// unchanged. Ids of any even length are accepted (validation rejects bad spans individually).
// Thread-compatible: each thread reuses its own simdjson parser.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "model/batch.h"

namespace periscope::model::otlp {

// AnyValue nesting (arrayValue / kvlistValue) deeper than this is rejected.
inline constexpr int kMaxJsonNestingDepth = 100;

// Decodes `json` and appends its resources to `into`. The input is copied into into.arena()
// (simdjson needs padding after it), so `json` need not outlive `into`.
Status decodeJson(std::string_view json, Traces& into);
Status decodeJson(std::string_view json, Metrics& into);
Status decodeJson(std::string_view json, Logs& into);

// Takes ownership of a request body: it is padded in place and adopted into the batch's arena,
// and decoded strings are views into it (no copy of the input).
Result<Traces> decodeTracesJson(std::string&& body);
Result<Metrics> decodeMetricsJson(std::string&& body);
Result<Logs> decodeLogsJson(std::string&& body);

}  // namespace periscope::model::otlp
