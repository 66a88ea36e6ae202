// Parsers for query-API parameters in the formats Jaeger clients send (Go durations, RFC 3339
// times, short hex trace ids), the "<param>: cannot parse …" messages they produce, and the
// mapping of query-layer Status codes onto HTTP statuses. Pure functions; used by handlers/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace periscope::api {

// Go's time.ParseDuration: a sign, then one or more decimal numbers with a unit, e.g. "300ms",
// "-1.5h", "2h45m", "1.2s"; units ns, us, µs, μs, ms, s, m, h; "0" alone is zero. Nanoseconds;
// nullopt on bad syntax or overflow.
std::optional<int64_t> parseGoDuration(std::string_view text);

// RFC 3339 with an optional fraction of up to 9 digits (Go's time.RFC3339Nano layout):
// "2024-05-01T12:00:00Z", "2024-05-01T12:00:00.123456789+02:00". Nanoseconds since the epoch;
// nullopt when invalid or before 1970.
std::optional<uint64_t> parseRfc3339(std::string_view text);

// A point in time as the logs API takes it (the forms Loki accepts): RFC 3339 as above; Unix
// seconds with a fraction ("1700000000.25"); or a Unix integer whose digit count gives its unit:
// up to 10 digits seconds, 11-13 milliseconds, 14-16 microseconds, 17-19 nanoseconds.
// Nanoseconds since the epoch; nullopt otherwise (negative, more digits, overflow).
std::optional<uint64_t> parseLogTime(std::string_view text);

// A decimal integer (optional leading '-'), all of `text`; nullopt otherwise or on overflow.
std::optional<int64_t> parseInt64(std::string_view text);

// Go's strconv.ParseBool: 1 t T TRUE true True / 0 f F FALSE false False.
std::optional<bool> parseBool(std::string_view text);

// A Jaeger trace id: 1 to 32 hex digits, left-padded with zeros to 16 raw bytes (Jaeger prints
// ids whose high half is zero with 16 digits, and clients send them back that way).
std::optional<std::string> parseTraceId(std::string_view hex);

// `<param>: cannot parse "<value>" as <what>`; the value is cut to 100 bytes.
std::string cannotParse(std::string_view param, std::string_view value, std::string_view what);

// HTTP status for an error from the query layer: INVALID_ARGUMENT/OUT_OF_RANGE 400, NOT_FOUND
// 404, RESOURCE_EXHAUSTED 429, UNAVAILABLE 503, DEADLINE_EXCEEDED 504, UNIMPLEMENTED 501,
// anything else 500.
int httpStatusFor(const Status& status);

}  // namespace periscope::api
