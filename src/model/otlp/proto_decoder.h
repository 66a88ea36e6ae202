// Zero-copy OTLP protobuf decoder: ExportTrace/Metrics/LogsServiceRequest (same wire format as
// TracesData/MetricsData/LogsData) into model::Batch. Strings and bytes become views into the
// input; arrays are allocated in the batch's arena; nothing is allocated per field on the heap.
// Rejects (INVALID_ARGUMENT, message naming the field path and byte offset): truncated input,
// wrong wire types for known fields, varints over 10 bytes, lengths past the end, invalid UTF-8
// in string fields, and AnyValue nesting deeper than kMaxNestingDepth. Unknown fields are skipped.
// Thread-compatible: decode different inputs on different threads freely.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "model/batch.h"

namespace periscope::model::otlp {

inline constexpr int kMaxNestingDepth = 100;

// Decode `bytes` and append the resources to `into`. `bytes` must outlive `into` (adopt it into
// into.arena() first, or keep it alive otherwise). On error `into` is left unchanged.
Status decode(std::string_view bytes, Traces& into);
Status decode(std::string_view bytes, Metrics& into);
Status decode(std::string_view bytes, Logs& into);

// The retry delay in a google.rpc.Status's RetryInfo detail (the OTLP throttling signal), in whole
// seconds rounded up and capped at one hour; 0 when absent or malformed.
int decodeRetryAfterSeconds(std::string_view rpc_status);

// Convenience: takes ownership of the request body.
Result<Traces> decodeTraces(std::string&& body);
Result<Metrics> decodeMetrics(std::string&& body);
Result<Logs> decodeLogs(std::string&& body);

}  // namespace periscope::model::otlp
