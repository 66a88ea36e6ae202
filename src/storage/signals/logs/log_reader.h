// LogReader: what the query layer may ask of the log store. Results are OTLP-shaped
// (model::Logs: records grouped by resource and scope, bytes in the batch's arenas) so that
// query evaluation and API encoders need no storage knowledge. Thread-safe; every call sees
// head (recent) and segment data alike.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/batch.h"
#include "model/log_line.h"  // logLine: what line filters see

namespace periscope::storage::logs {

// A resource attribute matcher the store can use to skip data; semantics as in the query
// language's stream selector (regexes are RE2, fully anchored; a missing attribute is "").
struct AttributeMatcher {
  enum class Op : uint8_t { kEqual, kNotEqual, kRegexMatch, kRegexNoMatch };
  std::string name;  // a resource attribute key, e.g. "service.name"
  Op op = Op::kEqual;
  std::string value;
};

enum class ScanDirection : uint8_t { kForward, kBackward };

// What to read. Every criterion is a pushdown: the store returns every record that satisfies
// them all, and may return others (a superset), never fewer; the caller re-applies its full
// filter. Times are record timestamps (time_unix_nano, or observed_time_unix_nano when the
// former is 0), inclusive.
struct LogScan {
  uint64_t start_ns = 0;                            // 0 = unbounded
  uint64_t end_ns = 0;                              // 0 = unbounded
  std::vector<AttributeMatcher> resource_matchers;  // all must hold
  int32_t min_severity = 0;                         // severity_number >= this (0 = any)
  int32_t max_severity = 0;                         // severity_number <= this (0 = any)
  std::string trace_id;                             // 16 raw bytes; empty = any
  std::vector<std::string> line_contains;           // each must be a substring of the line
  ScanDirection direction = ScanDirection::kBackward;
};

// One decoded piece of the answer. Records within a chunk are in any order; min/max_time_ns
// bound every record timestamp in it.
struct LogChunk {
  uint64_t min_time_ns = 0;
  uint64_t max_time_ns = 0;
  const model::Logs* logs = nullptr;
};

enum class ScanControl : uint8_t { kContinue, kStop };

// Chunks are visited in `direction` order of their bounds: kBackward by descending
// max_time_ns, kForward by ascending min_time_ns. So once a caller holding `limit` records
// sees a chunk whose bound is past its worst kept record, no later chunk can do better and it
// returns kStop. The chunk is valid only during the call.
using ChunkVisitor = std::function<ScanControl(const LogChunk&)>;

// Live tail: called on the writing thread with each batch once it is visible to readers. Must
// not block and must not keep the batch (copy what it needs); the subscription ends when the
// handle is destroyed (after which on_batch is never called again).
using TailCallback = std::function<void(const model::Logs&)>;
class TailSubscription {
 public:
  virtual ~TailSubscription() = default;
};

class LogReader {
 public:
  virtual ~LogReader() = default;
  virtual Status scan(const LogScan& scan, const ChunkVisitor& visit) const = 0;
  // Every stored record of one trace (16 raw id bytes) as one batch; empty when none.
  // start/end (ns, 0 = unbounded) only narrow which data is read.
  virtual Result<model::Logs> traceLogs(std::string_view trace_id, uint64_t start_ns = 0,
                                        uint64_t end_ns = 0) const = 0;
  // Sorted distinct values of a resource attribute (e.g. service.name) over stored records.
  virtual Result<std::vector<std::string>> resourceValues(std::string_view key) const = 0;
  virtual std::unique_ptr<TailSubscription> subscribe(TailCallback on_batch) = 0;
};

}  // namespace periscope::storage::logs
