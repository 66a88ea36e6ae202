// Knobs of the embedded trace store (`storage:` section of the config; see
// docs/configuration.md). Defaults suit a single machine with a few GiB free.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "storage/wal/wal.h"

namespace periscope::storage {

// One per-policy retention rule: a trace is kept for the longest `retention` among the rules
// that any of its spans matches (first matching rule per span), else the default retention.
struct RetentionRule {
  std::string name;
  std::string service;                                          // "" = any
  bool errors_only = false;                                     // span status ERROR
  std::vector<std::pair<std::string, std::string>> attributes;  // k=v on the span or resource
  std::chrono::nanoseconds retention{0};
};

struct TraceStoreOptions {
  std::string dir;  // <storage.path>/traces
  WalSyncPolicy fsync = WalSyncPolicy::kAlways;
  std::chrono::milliseconds sync_interval{1000};
  std::chrono::microseconds group_commit_window{std::chrono::milliseconds(10)};
  uint64_t wal_segment_bytes = 32ull << 20;

  // The head (recent, in-memory spans) is flushed to a segment past either bound.
  uint64_t head_max_spans = 250'000;
  std::chrono::milliseconds head_max_age{std::chrono::seconds(60)};

  // Segments smaller than this in one hour partition are merged (and re-compressed harder).
  uint64_t compaction_target_bytes = 64ull << 20;
  int flush_zstd_level = 3;
  // Compaction recompresses harder: 15 brings the standard corpus under 40 B/span at about
  // 20 µs of background CPU per span (docs/benchmarks.md); lower it for very high ingest rates.
  int compaction_zstd_level = 15;
  size_t attribute_cardinality_cap = 10'000;
  size_t row_group_rows = 4096;  // get-trace decodes one row group of about this many spans

  std::chrono::nanoseconds retention{std::chrono::hours(24 * 7)};
  uint64_t max_bytes = 0;  // 0 = no size limit; oldest partitions go first
  std::vector<RetentionRule> retention_rules;
  std::chrono::milliseconds maintenance_interval{std::chrono::seconds(10)};

  uint64_t segment_cache_bytes = 1ull << 30;  // decoded segments kept for queries
};

}  // namespace periscope::storage
