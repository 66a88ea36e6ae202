// Private parts of TraceStore shared by its implementation files (trace_store.cc: open,
// recovery, writes, the background thread; trace_store_maintenance.cc: flush, compaction,
// retention; trace_store_reads.cc: queries). Not for other code.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "storage/signals/traces/trace_store.h"

namespace periscope::storage {

inline uint64_t steadyMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

struct TraceStore::Head {
  SpanTable table;
  std::unordered_map<TraceId, std::vector<uint32_t>, TraceIdHash> by_trace;
  std::set<std::tuple<uint32_t, uint32_t, int32_t>> ops;  // (service, name, kind) ids
  uint64_t max_lsn = 0;
  uint64_t min_start = UINT64_MAX, max_start = 0;
  uint64_t created_ms = steadyMs();
};

struct TraceStore::SegmentHandle {
  SegmentMeta meta;
  std::string path;
  // Open for the handle's lifetime: a reader holding the handle can still read a segment that
  // compaction or retention unlinked after the reader's snapshot (the inode lives on).
  std::mutex file_mu;
  std::unique_ptr<ReadableFile> file;
  // Decoded row groups while cached (guarded by TraceStore::cache_mu_).
  struct Cached {
    std::shared_ptr<const LoadedRowGroup> loaded;
    uint64_t last_use = 0;
    uint64_t bytes = 0;
  };
  std::vector<Cached> groups;
};

struct TraceStore::View {
  std::vector<std::shared_ptr<const Head>> heads;  // flushing heads (immutable)
  std::vector<std::shared_ptr<SegmentHandle>> segments;
};

}  // namespace periscope::storage
