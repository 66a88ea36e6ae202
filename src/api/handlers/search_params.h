// Search parameters shared by the Jaeger v1 and v3 handlers: tag filters (JSON objects,
// key:value and key=value forms) and non-negative durations. Tags that Jaeger derives from OTLP
// fields rather than attributes (error, otel.status_code, span.kind) become the matching
// TraceQuery fields, since the store keeps spans as OTLP and has no such attributes.
// Pure functions; errors are INVALID_ARGUMENT naming the parameter.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "query/traces/trace_service.h"

namespace periscope::api {

// Adds one tag filter; see the header comment for the keys that map onto TraceQuery fields.
void addTagFilter(query::TraceQuery& query, std::string_view key, std::string_view value);

// `text` is a JSON object of tag filters, e.g. {"http.status_code":"500","error":"true"}.
// Values are strings (numbers and booleans are taken as their JSON text).
Status addJsonTagFilters(std::string_view param, std::string_view text, query::TraceQuery& query);

// `text` is key<sep>value (the key ends at the first `sep`).
Status addPairTagFilter(std::string_view param, std::string_view text, char sep,
                        query::TraceQuery& query);

// A Go duration that must not be negative, in nanoseconds.
Result<uint64_t> parseDurationParam(std::string_view param, std::string_view text);

}  // namespace periscope::api
