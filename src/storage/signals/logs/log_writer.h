// LogWriter: the log store's ingest door, used by the `store` exporter in logs pipelines.
#pragma once

#include <functional>

#include "common/status.h"
#include "model/batch.h"

namespace periscope::storage::logs {

class LogWriter {
 public:
  using Done = std::function<void(Status)>;
  virtual ~LogWriter() = default;
  // Calls done exactly once, possibly on another thread: OK once the records are in the WAL as
  // durably as the fsync policy promises and visible to readers (and have been offered to tail
  // subscribers); UNAVAILABLE (retryable) when the store cannot take them now.
  virtual void write(const model::Logs& batch, Done done) = 0;
};

}  // namespace periscope::storage::logs
