// Column layout of segment files, shared by segment_encode.cc and segment_decode.cc only.
#pragma once

#include <cstdint>
#include <string_view>

namespace periscope::storage::segment_format {

inline constexpr std::string_view kMagic = "PSCSEG01";
inline constexpr std::string_view kEndMagic = "PSCSEGND";

// Column blocks, in file order. Adding a column = a new id at the end (readers of an older
// file see it missing and fail clearly through the version check).
enum Col : uint8_t {
  kDictLengths,
  kDictBytes,
  kTraceIds,
  kTraceSpans,
  kSpanIds,
  kParents,
  kParentsExt,
  kStarts,
  kDurations,
  kNames,
  kKinds,
  kStatus,
  kStatusMessages,
  kFlags,
  kTraceStates,
  kResourceOfSpan,
  kScopeOfSpan,
  kDropped,
  kAttrCounts,
  kAttrKeys,
  kAttrTypes,
  kAttrValues,
  kEvents,
  kEventAttrKeys,
  kEventAttrTypes,
  kEventAttrValues,
  kLinks,
  kLinkAttrKeys,
  kLinkAttrTypes,
  kLinkAttrValues,
  kResources,
  kScopes,
  kOwnerAttrKeys,
  kOwnerAttrTypes,
  kOwnerAttrValues,
  kAttrIndex,
  kColumnCount
};

}  // namespace periscope::storage::segment_format
