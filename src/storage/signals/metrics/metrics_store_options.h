// Knobs of the embedded metrics store (the metrics part of the `storage:` config section,
// decoded in app/). Defaults suit a single machine.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "storage/wal/wal.h"

namespace periscope::storage::metrics {

struct MetricsStoreOptions {
  std::string dir;  // <storage.path>/metrics
  WalSyncPolicy fsync = WalSyncPolicy::kAlways;
  std::chrono::milliseconds sync_interval{1000};
  std::chrono::microseconds group_commit_window{std::chrono::milliseconds(10)};
  uint64_t wal_segment_bytes = 32ull << 20;

  // The head is cut into a block once it spans block_duration of sample time or holds
  // head_max_samples samples (and at close).
  std::chrono::milliseconds block_duration{std::chrono::hours(2)};
  uint64_t head_max_samples = 50'000'000;
  uint32_t samples_per_chunk = 120;  // head chunks are sealed at this many samples
  int block_zstd_level = 3;

  std::chrono::milliseconds retention{std::chrono::hours(24 * 15)};  // 0 = keep forever
  uint64_t max_bytes = 0;  // blocks on disk; 0 = no limit; oldest blocks go first

  size_t max_series_per_metric = 100'000;  // new series past it are rejected and counted
  size_t max_series_per_query = 500'000;   // select() fails with RESOURCE_EXHAUSTED past it

  std::chrono::milliseconds maintenance_interval{std::chrono::seconds(30)};
  bool background_maintenance = true;  // tests drive flush()/applyRetention() themselves
};

}  // namespace periscope::storage::metrics
