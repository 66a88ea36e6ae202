// TraceStore: the embedded trace store. Spans go to the WAL and the in-memory head at once;
// the head is flushed to immutable segments (see segment.h) by a background thread, which
// also compacts small segments and applies retention. Reads see head, flushing heads and
// segments alike.
//
// Durability: write() answers OK once the batch's WAL record is as durable as `fsync` says.
// Crash recovery = segments on disk + replay of WAL records newer than the flushed position
// (the `checkpoint` file). A flush writes its segments, then the checkpoint, then truncates
// the WAL; segments from a flush that never reached its checkpoint are deleted at open, since
// the WAL still has their spans. Compaction writes its output (listing the inputs it replaces)
// before deleting the inputs, so a crash in between is finished at the next open.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/io/file_system.h"
#include "storage/signals/traces/segment.h"
#include "storage/signals/traces/trace_reader.h"
#include "storage/signals/traces/trace_store_options.h"
#include "storage/signals/traces/trace_writer.h"
#include "storage/wal/wal.h"

namespace periscope::storage {

struct TraceStoreStats {
  std::atomic<uint64_t> spans_written{0};
  std::atomic<uint64_t> write_failures{0};
  std::atomic<uint64_t> wal_records_replayed{0};
  std::atomic<uint64_t> wal_spans_replayed{0};
  std::atomic<uint64_t> wal_truncated_bytes{0};
  std::atomic<uint64_t> wal_corrupt_segments{0};
  std::atomic<uint64_t> head_flushes{0};
  std::atomic<uint64_t> flush_failures{0};
  std::atomic<uint64_t> compactions{0};
  std::atomic<uint64_t> retention_deleted_spans{0};
  std::atomic<uint64_t> retention_deleted_segments{0};
  std::atomic<uint64_t> segments_quarantined{0};
  std::atomic<uint64_t> incomplete_flush_segments_removed{0};
  std::atomic<uint64_t> head_spans{0};
  std::atomic<uint64_t> segments{0};
  std::atomic<uint64_t> segment_bytes{0};
  std::atomic<uint64_t> segment_spans{0};
  std::atomic<uint64_t> row_groups_decoded{0};  // cache misses of queries and maintenance
};

class TraceStore final : public TraceWriter, public TraceReader {
 public:
  using NowFn = std::function<uint64_t()>;  // wall clock, ns since the epoch

  // Opens (creating if needed) the store in options.dir, recovers, and starts the background
  // thread. Refuses a directory holding files that are not the store's, or a newer format.
  static Result<std::unique_ptr<TraceStore>> open(FileSystem& fs, TraceStoreOptions options,
                                                  NowFn now = {});
  ~TraceStore() override;
  // Stops the background thread, flushes the head and closes the WAL. Idempotent.
  Status close();

  void write(const model::Traces& batch, Done done) override;
  Status writeSync(const model::Traces& batch);

  Result<model::Traces> getTrace(std::string_view trace_id, uint64_t start_ns,
                                 uint64_t end_ns) override;
  Result<std::vector<model::Traces>> findTraces(const TraceQuery& query) override;
  Result<std::vector<std::string>> services() override;
  Result<std::vector<OperationInfo>> operations(std::string_view service,
                                                std::optional<int32_t> span_kind) override;
  Result<std::vector<DependencyLink>> dependencies(uint64_t end_ns, uint64_t lookback_ns) override;

  // Maintenance, normally run by the background thread; public for tests and tools.
  Status flushHead();
  Status compact();
  Status applyRetention();

  const TraceStoreStats& stats() const { return stats_; }
  const RecoveryStats& walRecovery() const { return wal_recovery_; }
  // Segment files currently live, oldest partition first (tests, `periscope` status).
  std::vector<SegmentMeta> segmentMetas() const;
  const std::string& dir() const { return options_.dir; }

 private:
  struct Head;
  struct SegmentHandle;
  struct View;

  TraceStore(FileSystem& fs, TraceStoreOptions options, NowFn now);
  Status recover();
  Status loadSegments(uint64_t checkpoint_lsn);
  Status writeCheckpoint(uint64_t lsn);
  Result<uint64_t> readCheckpoint();
  void appendToHead(const model::Traces& batch, uint64_t lsn);
  View snapshot() const;
  // Row group g of a segment, decoded (from the cache, or read and decoded now).
  Result<std::shared_ptr<const LoadedRowGroup>> load(const std::shared_ptr<SegmentHandle>& h,
                                                     size_t g);
  SegmentMeta newSegmentMeta(uint64_t wal_lsn, std::vector<uint64_t> replaces);
  SegmentEncodeOptions encodeOptions(int zstd_level) const;
  // Writes encoded segment bytes (tmp, fsync, rename, dir fsync) and opens a handle on it.
  Result<std::shared_ptr<SegmentHandle>> writeSegment(const std::string& bytes, SegmentMeta meta);
  Status flushOne(const std::shared_ptr<Head>& head);
  // A live segment found damaged while reading: out of the read set, file to quarantine/.
  void quarantine(const std::shared_ptr<SegmentHandle>& h, const Status& why);
  Status replaceSegments(const std::vector<std::shared_ptr<SegmentHandle>>& old,
                         std::vector<std::shared_ptr<SegmentHandle>> fresh);
  Status rewritePartition(const std::vector<std::shared_ptr<SegmentHandle>>& inputs,
                          const std::function<bool(const SpanTable&, uint32_t)>& keep,
                          bool count_as_retention);
  void rebuildCatalog();
  void addToCatalog(const std::string& service, const OperationInfo& op);
  void runFlusher();
  void runMaintenance();
  uint64_t now() const { return now_(); }
  std::string segmentPath(uint64_t id) const;

  FileSystem& fs_;
  const TraceStoreOptions options_;
  NowFn now_;
  TraceStoreStats stats_;
  RecoveryStats wal_recovery_;
  std::unique_ptr<Wal> wal_;

  // Current head: spans appended under exclusive lock, read under shared lock.
  mutable std::shared_mutex head_mu_;
  std::shared_ptr<Head> head_;
  uint64_t next_lsn_ = 1;

  mutable std::mutex state_mu_;  // flushing_, segments_, next_segment_id_
  std::vector<std::shared_ptr<const Head>> flushing_;
  std::deque<std::shared_ptr<Head>> unflushed_;  // swapped out, not yet in segments (flush_mu_)
  std::vector<std::shared_ptr<SegmentHandle>> segments_;
  uint64_t next_segment_id_ = 1;
  std::map<uint64_t, uint64_t> partition_next_expiry_;  // retention: skip until this time

  std::mutex cache_mu_;
  uint64_t cache_bytes_ = 0;
  uint64_t cache_tick_ = 0;

  mutable std::mutex catalog_mu_;
  std::map<std::string, std::vector<OperationInfo>, std::less<>> catalog_;

  // Flush and maintenance run on their own threads, so a long compaction never holds back a
  // flush (the head would grow past head_max_spans). Each is exclusive with itself only:
  // both change segments_ under state_mu_, and neither touches what the other works on.
  std::mutex flush_mu_;
  std::mutex maintenance_mu_;  // compaction and retention
  std::mutex bg_mu_;
  std::condition_variable bg_cv_;
  bool stop_ = false;
  bool flush_requested_ = false;
  std::thread flusher_;
  std::thread maintainer_;
  bool closed_ = false;
};

}  // namespace periscope::storage
