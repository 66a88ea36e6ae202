// Private parts of LogStore shared by its implementation files (log_store.cc: open, recovery,
// writes, tail, the background thread; log_store_maintenance.cc: flush and retention;
// log_store_reads.cc: scan, traceLogs, resourceValues). Not for other code.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "storage/signals/logs/log_store.h"

namespace periscope::storage::logs {

inline uint64_t steadyMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

inline constexpr uint64_t kPartitionNs = 3'600'000'000'000ull;  // one hour

// A received batch kept as is (its arenas shared) with the bounds that let scans skip it.
struct LogStore::HeadBatch {
  // The WAL's answer: a batch the WAL refused is in no segment and no read (the sender was
  // told to retry; storing it anyway would store every retry again).
  enum : uint8_t { kWalPending, kWalOk, kWalFailed };
  mutable std::atomic<uint8_t> wal_state{kWalPending};
  bool usable() const { return wal_state.load(std::memory_order_acquire) != kWalFailed; }

  model::Logs logs;
  size_t records = 0;
  uint64_t min_time_ns = UINT64_MAX, max_time_ns = 0;
  int32_t min_severity = INT32_MAX, max_severity = INT32_MIN;
};

struct LogStore::Head {
  std::vector<std::shared_ptr<const HeadBatch>> batches;
  size_t records = 0;
  uint64_t max_lsn = 0;
  uint64_t created_ms = steadyMs();
  uint64_t wal_segment = 0;  // set when swapped out: WAL segments before it are all in here
};

struct LogStore::SegmentHandle {
  LogSegmentMeta meta;
  std::string path;
  // Open for the handle's lifetime, so a reader can finish a segment that retention unlinked.
  std::mutex file_mu;
  std::unique_ptr<ReadableFile> file;
  std::atomic<bool> quarantined{false};
  uint64_t next_expiry_check_ns = 0;  // retention: no record expires before (maintenance_mu_)
};

// Tail subscribers. Writers call them under the shared lock (writers never wait for each
// other); subscribing and unsubscribing take it exclusively, so once a subscription's
// destructor returns its callback is never running and never called again.
struct LogStore::Subscribers {
  std::shared_mutex mu;
  std::vector<std::pair<uint64_t, TailCallback>> list;
  uint64_t next_id = 1;
  std::atomic<size_t> count{0};
};

struct LogStore::Snapshot {
  std::vector<std::shared_ptr<const HeadBatch>> batches;  // head and heads being flushed
  std::vector<std::shared_ptr<SegmentHandle>> segments;
};

// The resource's service.name attribute, or null.
const model::AnyValue* serviceName(const model::Resource& r);

}  // namespace periscope::storage::logs
