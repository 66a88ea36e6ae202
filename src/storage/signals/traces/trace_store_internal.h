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

// The head: recent spans in chunks of about row_group_rows spans (whole batches), each a
// SpanTable with its own small dictionary — interning stays in cache, and at flush each chunk
// becomes one row group without re-interning (compaction later re-sorts by trace).
struct TraceStore::Head {
  struct Chunk {
    SpanTable table;
    std::set<std::tuple<uint32_t, uint32_t, int32_t>> ops;  // (service, name, kind) ids
  };
  std::vector<std::unique_ptr<Chunk>> chunks;
  // Rows of each trace: (chunk, row).
  std::unordered_map<TraceId, std::vector<std::pair<uint32_t, uint32_t>>, TraceIdHash> by_trace;
  std::set<std::pair<std::string, OperationInfo>, std::less<>> op_names;
  size_t rows = 0;
  uint64_t max_lsn = 0;
  uint64_t created_ms = steadyMs();
  uint64_t wal_segment = 0;  // set when swapped out: WAL segments before it are all in here

  template <typename F>
  void forEachTable(F&& f) const {
    for (const auto& c : chunks) f(c->table);
  }
  // The rows of `id` per chunk, for TraceCollector.
  template <typename F>
  void forEachTraceRun(const TraceId& id, F&& f) const {
    auto it = by_trace.find(id);
    if (it == by_trace.end()) return;
    std::vector<uint32_t> rows;
    uint32_t chunk = UINT32_MAX;
    for (const auto& [c, r] : it->second) {
      if (c != chunk && !rows.empty()) {
        f(chunks[chunk]->table, rows);
        rows.clear();
      }
      chunk = c;
      rows.push_back(r);
    }
    if (!rows.empty()) f(chunks[chunk]->table, rows);
  }
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
