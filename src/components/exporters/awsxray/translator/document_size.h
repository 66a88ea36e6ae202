// X-Ray's 64 KB limit per segment document: an oversized document loses its metadata first,
// then the stack frames of its exceptions; if it is still too large it is dropped.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace periscope::components::awsxray_exporter::translator {

inline constexpr size_t kMaxDocumentBytes = 64 * 1024;

enum class SizeOutcome { kFits, kTrimmed, kTooLarge };

// The serialised document, or nullopt when even the trimmed form exceeds `max_bytes`.
std::optional<std::string> serializeWithinLimit(nlohmann::json& doc, size_t max_bytes,
                                                SizeOutcome& outcome);

}  // namespace periscope::components::awsxray_exporter::translator
