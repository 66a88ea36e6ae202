// Batch<R>: the unit that flows through pipelines — a list of resource-level groups plus the
// arenas that own their bytes. Traces, Metrics and Logs are its three instantiations.
// Arenas are shared (shared_ptr) because batching merges requests and splitting hands parts of
// one request to several batches; the data itself is never copied for either.
// A Batch is moved between pipeline stages; only one stage touches it at a time.
#pragma once

#include <memory>
#include <vector>

#include "common/arena.h"
#include "model/log_record.h"
#include "model/metric.h"
#include "model/span.h"

namespace periscope::model {

template <typename ResourceT>
class Batch {
 public:
  Batch() : arenas_{std::make_shared<Arena>()} {}
  explicit Batch(std::shared_ptr<Arena> arena) : arenas_{std::move(arena)} {}
  Batch(Batch&&) noexcept = default;
  Batch& operator=(Batch&&) noexcept = default;
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;

  // The arena new allocations go to (e.g. by a processor adding an attribute).
  Arena& arena() { return *arenas_.front(); }
  std::vector<ResourceT>& resources() { return resources_; }
  const std::vector<ResourceT>& resources() const { return resources_; }

  // Spans, metric data points or log records.
  size_t itemCount() const;
  bool empty() const { return itemCount() == 0; }

  // Moves all of `other` to the end of this batch (no data is copied).
  void append(Batch&& other);
  // Removes the first `n` items into a new batch sharing the same arenas (no data is copied).
  Batch splitFront(size_t n);
  // A second handle on the same data for a reader: copies resource headers, shares arenas.
  Batch share() const;
  // A deep copy into a fresh arena, for consumers that mutate data received by fan-out.
  Batch clone() const;

 private:
  std::vector<std::shared_ptr<Arena>> arenas_;
  std::vector<ResourceT> resources_;
};

using Traces = Batch<ResourceSpans>;
using Metrics = Batch<ResourceMetrics>;
using Logs = Batch<ResourceLogs>;

extern template class Batch<ResourceSpans>;
extern template class Batch<ResourceMetrics>;
extern template class Batch<ResourceLogs>;

}  // namespace periscope::model
