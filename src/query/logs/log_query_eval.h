// Evaluation of a log query: one scan of the store with the pipeline's pushdown, every record
// of every chunk re-filtered, and the best `limit` records kept (newest or oldest first),
// copied into the answer's own arena. Stops the scan as soon as the chunk ordering contract
// (storage::logs::ChunkVisitor) shows that no later chunk can beat the kept records.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/status.h"
#include "query/logs/log_pipeline.h"
#include "query/logs/logs_service.h"
#include "storage/signals/logs/log_reader.h"

namespace periscope::query::logs {

struct LogSelection {
  uint64_t start_ns = 0;  // inclusive; 0 = unbounded
  uint64_t end_ns = 0;    // inclusive; 0 = unbounded
  size_t limit = 1;       // at least 1
  bool forward = false;
};

// Record time as the store orders it: time_unix_nano, or observed time when that is 0.
inline uint64_t recordTime(const model::LogRecord& r) {
  return r.time_unix_nano != 0 ? r.time_unix_nano : r.observed_time_unix_nano;
}

// Order: by record time (ascending forward, descending backward), then observed time (the
// same way), then the order in which the store handed the records out.
Result<LogsResult> selectLogs(const storage::logs::LogReader& reader, const LogPipeline& pipeline,
                              const LogSelection& selection);

}  // namespace periscope::query::logs
