// Knobs of the embedded log store (`storage.logs:` config section, decoded in app/; see
// docs/configuration.md). Defaults suit a single machine.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "storage/wal/wal.h"

namespace periscope::storage::logs {

// A record matching a rule (severity_number >= min_severity, and resource service.name equal
// to `service` when set) is kept for `retention`; a record matching several rules for the
// longest of them; a record matching none for LogStoreOptions::retention.
struct LogRetentionRule {
  std::string name;
  int32_t min_severity = 0;  // OTLP severity number (ERROR = 17); 0 = any
  std::string service;       // "" = any
  std::chrono::nanoseconds retention{0};
};

struct LogStoreOptions {
  std::string dir;  // <storage.path>/logs
  WalSyncPolicy fsync = WalSyncPolicy::kAlways;
  std::chrono::milliseconds sync_interval{1000};
  std::chrono::microseconds group_commit_window{std::chrono::milliseconds(10)};
  uint64_t wal_segment_bytes = 32ull << 20;

  // The head (recent records, the received batches themselves) is flushed to segment files
  // past either bound, and at close.
  uint64_t head_max_records = 250'000;  // ~0.76 KB each in memory (the received batches)
  std::chrono::milliseconds head_max_age{std::chrono::seconds(60)};
  // Backpressure: with 2 × head_max_records not yet in segments (flushes behind or failing),
  // a write waits up to this long for a flush, then is refused as retryable (UNAVAILABLE).
  std::chrono::milliseconds max_write_stall{std::chrono::seconds(10)};

  size_t row_group_rows = 4096;
  // Segments of a past hour smaller than half this are merged into files of up to this size
  // (the merge holds its input decoded in memory, about ten times its size on disk).
  uint64_t compaction_target_bytes = 16ull << 20;
  int zstd_level = 3;

  std::chrono::nanoseconds retention{std::chrono::hours(24 * 7)};  // 0 = keep forever
  uint64_t max_bytes = 0;  // segment files; 0 = no limit; oldest hour partitions go first
  std::vector<LogRetentionRule> retention_rules;

  std::chrono::milliseconds maintenance_interval{std::chrono::seconds(10)};
  bool background_maintenance = true;  // tests drive flush()/applyRetention() themselves
};

}  // namespace periscope::storage::logs
