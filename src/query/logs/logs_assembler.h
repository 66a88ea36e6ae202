// LogsAssembler: builds an answer batch from records picked out of other batches, in answer
// order. Records and their resource/scope headers are either deep-copied into the answer's
// arena (when the source does not outlive the call, e.g. a store's chunk) or referenced (when
// the answer shares the source's arenas). Consecutive records of one group share one
// ResourceLogs/ScopeLogs; a group is repeated when records of different groups interleave.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "model/batch.h"

namespace periscope::query::logs {

class LogsAssembler {
 public:
  struct Entry {
    uint32_t group = 0;
    model::LogRecord record;
  };

  explicit LogsAssembler(model::Logs& out) : out_(out) {}

  // A deep copy of the resource and scope headers (without their records); returns its id.
  uint32_t copyGroup(const model::ResourceLogs& rl, const model::ScopeLogs& sl);
  // The headers as they are (their bytes must be owned by `out`'s arenas).
  uint32_t referenceGroup(const model::ResourceLogs& rl, const model::ScopeLogs& sl);
  model::LogRecord copyRecord(const model::LogRecord& record);

  // Appends the entries, in order, to out.resources().
  void assemble(std::span<const Entry> entries);

 private:
  model::Logs& out_;
  std::vector<std::pair<model::ResourceLogs, model::ScopeLogs>> groups_;
};

}  // namespace periscope::query::logs
