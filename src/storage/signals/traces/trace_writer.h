// TraceWriter: the store's ingest door, used by the `store` exporter.
#pragma once

#include <functional>

#include "common/status.h"
#include "model/batch.h"

namespace periscope::storage {

class TraceWriter {
 public:
  using Done = std::function<void(Status)>;
  virtual ~TraceWriter() = default;
  // Calls done exactly once, possibly on another thread: OK once the spans are in the WAL as
  // durably as the fsync policy promises and visible to readers; UNAVAILABLE (retryable) when
  // the store cannot take them now.
  virtual void write(const model::Traces& batch, Done done) = 0;
};

}  // namespace periscope::storage
