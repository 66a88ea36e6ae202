// MetricsWriter: the metrics store's ingest door, used by the `store` exporter in metrics
// pipelines. OTLP metrics are mapped to Prometheus series by model/prometheus/translate.h.
#pragma once

#include <functional>

#include "common/status.h"
#include "model/batch.h"

namespace periscope::storage::metrics {

class MetricsWriter {
 public:
  using Done = std::function<void(Status)>;
  virtual ~MetricsWriter() = default;
  // Calls done exactly once, possibly on another thread: OK once the samples are in the WAL as
  // durably as the fsync policy promises and visible to readers; UNAVAILABLE (retryable) when
  // the store cannot take them now; INVALID_ARGUMENT (permanent) naming the first bad point
  // when none of the batch could be stored.
  virtual void write(const model::Metrics& batch, Done done) = 0;
};

}  // namespace periscope::storage::metrics
