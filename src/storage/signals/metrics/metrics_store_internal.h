// Private structs of MetricsStore (metrics_store*.cc only).
#pragma once

#include <climits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "storage/io/file_system.h"
#include "storage/signals/metrics/block.h"
#include "storage/signals/metrics/chunk.h"
#include "storage/signals/metrics/metrics_store.h"

namespace periscope::storage::metrics {

struct SealedChunk {
  std::string bytes;
  uint32_t count = 0;
  int64_t mint = 0, maxt = 0;
};

// Per series: head chunks plus what survives a flush (newest sample for the ingest rules,
// overall time range for cheap series/label filtering).
struct SeriesState {
  std::vector<SealedChunk> chunks;
  ChunkEncoder open;
  int64_t last_t = INT64_MIN;
  uint64_t last_v = 0;
  int64_t min_t = INT64_MAX, max_t = INT64_MIN;
  bool in_flush_list = false;  // listed in Head::touched
};

struct MetricsStore::Head {
  std::vector<SeriesState> series;  // by SeriesId
  std::vector<SeriesId> touched;    // series with head data, in first-append order
  int64_t mint = INT64_MAX, maxt = INT64_MIN;
  uint64_t samples = 0;
  // Chunks cut from the head whose block is being written: still served to readers.
  struct Flushing {
    SeriesId id;
    Labels labels;
    std::vector<SealedChunk> chunks;
  };
  std::vector<Flushing> flushing;  // ascending by id
};

struct BlockSeriesRef {
  SeriesId id;
  uint32_t entry;  // into BlockIndex::series
};

struct MetricsStore::Block {
  uint64_t seq = 0;
  std::string path;
  uint64_t bytes = 0;
  BlockIndex index;
  std::vector<BlockSeriesRef> by_id;  // sorted by id
  std::unique_ptr<ReadableFile> file;
};

// Decoded pages of one query (a series' stream is a slice of one page).
struct PageCache {
  std::map<std::pair<const void*, uint32_t>, std::string> pages;
};

enum class AppendOutcome : uint8_t { kAppended, kDuplicate, kOutOfOrder, kConflict };

}  // namespace periscope::storage::metrics
