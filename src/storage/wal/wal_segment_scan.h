// scanSegment: validates one WAL segment's bytes and hands each intact record to a visitor.
// Called by Wal::open during recovery; pure and thread-safe. It only classifies damage; what to
// do about it (truncate a torn tail, report mid-log corruption) is Wal::open's policy.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace periscope::storage {

struct SegmentScan {
  enum class Outcome {
    kClean,     // every byte belongs to an intact record
    kTornTail,  // damage that reaches end of file: an interrupted write
    kCorrupt,   // a bad record followed by more data
  };
  Outcome outcome = Outcome::kClean;
  uint64_t records = 0;
  uint64_t valid_bytes = 0;  // header + intact records before the damage; 0 = torn header
  std::string reason;        // for kTornTail / kCorrupt
};

// Fails (FAILED_PRECONDITION) on a foreign file or a newer format version, and with the
// visitor's status if the visitor fails. `path` is only used in messages.
Result<SegmentScan> scanSegment(std::string_view contents, const std::string& path,
                                const std::function<Status(std::string_view)>& visit);

}  // namespace periscope::storage
