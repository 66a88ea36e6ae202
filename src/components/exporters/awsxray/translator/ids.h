// X-Ray identifiers: "1-<8 hex epoch>-<24 hex>" trace ids from 16-byte OTel ids, 16-hex
// segment ids from 8-byte span ids, the epoch check X-Ray applies to trace ids, and the source
// of fresh segment ids (exception ids, LOCAL_ROOT service segments), injectable for tests.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace periscope::components::awsxray_exporter::translator {

std::string hexOf(std::string_view bytes);
// Empty when `trace_id` is not 16 bytes.
std::string xrayTraceId(std::string_view trace_id);
// X-Ray accepts a trace id only if its first 4 bytes (big-endian epoch seconds) are at most
// 28 days old and at most 5 minutes in the future.
bool hasRecentEpoch(std::string_view trace_id, int64_t now_unix_seconds);

// Returns a fresh 16-hex-character id on each call.
using IdSource = std::function<std::string()>;
IdSource randomIdSource();

}  // namespace periscope::components::awsxray_exporter::translator
