// LogStore: the embedded log store. write() appends the batch's OTLP encoding to the WAL and
// keeps the received batch itself (Batch::share(), no copy) in the head; the head is flushed by
// record count, age or close() into immutable columnar segment files (log_segment.h), one per
// hour partition. A background thread flushes, merges the small segments of past hours
// (compaction) and applies retention (by age, by size, and per severity/service policy). Reads
// (LogReader) see head, heads being flushed and segments alike.
//
// Durability: write() answers OK once the WAL record is as durable as `fsync` says, the batch
// is visible to readers and has been offered to tail subscribers. Recovery = segments on disk
// + replay of WAL records newer than the `checkpoint`; segments of a flush that never reached
// its checkpoint are deleted at open (the WAL still holds their records), `.tmp` files are
// deleted, a damaged segment is moved to quarantine/ and counted. Kill points `logs.*` let
// crash tests stop the process at each step (src/storage/README.md).
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
#include "storage/signals/logs/log_reader.h"
#include "storage/signals/logs/log_segment.h"
#include "storage/signals/logs/log_writer.h"
#include "storage/signals/logs/logs_store_options.h"
#include "storage/wal/wal.h"

namespace periscope::storage::logs {

struct LogStoreStats {
  std::atomic<uint64_t> records_written{0};
  std::atomic<uint64_t> write_failures{0};
  std::atomic<uint64_t> write_stalls{0};  // writes that waited for a flush to take a full head
  std::atomic<uint64_t> wal_bytes{0};     // on disk, about (appends since the last truncation)
  std::atomic<uint64_t> wal_records_replayed{0};
  std::atomic<uint64_t> wal_log_records_replayed{0};
  std::atomic<uint64_t> wal_truncated_bytes{0};
  std::atomic<uint64_t> wal_corrupt_segments{0};
  std::atomic<uint64_t> head_records{0};
  std::atomic<uint64_t> head_flushes{0};
  std::atomic<uint64_t> flush_failures{0};
  std::atomic<uint64_t> segments{0};
  std::atomic<uint64_t> segment_bytes{0};
  std::atomic<uint64_t> segment_records{0};
  std::atomic<uint64_t> segments_quarantined{0};
  std::atomic<uint64_t> incomplete_flush_segments_removed{0};
  std::atomic<uint64_t> retention_deleted_records{0};
  std::atomic<uint64_t> retention_deleted_segments{0};
  std::atomic<uint64_t> retention_rewrites{0};
  std::atomic<uint64_t> compactions{0};
  std::atomic<uint64_t> row_groups_read{0};
  std::atomic<uint64_t> row_groups_skipped{0};
};

// One live segment file, for tests and status.
struct LogSegmentInfo {
  uint64_t id = 0;
  uint64_t partition_start_ns = 0;
  uint64_t records = 0;
  uint64_t bytes = 0;
  size_t row_groups = 0;
  uint64_t min_time_ns = 0, max_time_ns = 0;
};

class LogStore final : public LogWriter, public LogReader {
 public:
  using NowFn = std::function<uint64_t()>;  // wall clock, ns since the epoch

  // Opens (creating if needed) the store in options.dir, recovers, and starts the background
  // thread. Refuses a directory holding files that are not the store's, or a newer format.
  static Result<std::unique_ptr<LogStore>> open(FileSystem& fs, LogStoreOptions options,
                                                NowFn now = {});
  ~LogStore() override;
  // Stops the background thread, flushes the head and closes the WAL. Idempotent.
  Status close();

  void write(const model::Logs& batch, Done done) override;
  Status writeSync(const model::Logs& batch);

  Status scan(const LogScan& scan, const ChunkVisitor& visit) const override;
  Result<model::Logs> traceLogs(std::string_view trace_id, uint64_t start_ns = 0,
                                uint64_t end_ns = 0) const override;
  Result<std::vector<std::string>> resourceValues(std::string_view key) const override;
  // Do not destroy a subscription from inside its own callback (it waits for the callback).
  std::unique_ptr<TailSubscription> subscribe(TailCallback on_batch) override;

  // Maintenance, normally run by the background thread; public for tests and tools.
  Status flush();
  Status compact();
  Status applyRetention();

  const LogStoreStats& stats() const { return stats_; }
  const RecoveryStats& walRecovery() const { return wal_recovery_; }
  std::vector<LogSegmentInfo> segments() const;
  size_t tailSubscribers() const;
  const std::string& dir() const { return options_.dir; }

 private:
  struct HeadBatch;
  struct Head;
  struct SegmentHandle;
  struct Subscribers;
  struct Snapshot;
  class Subscription;

  LogStore(FileSystem& fs, LogStoreOptions options, NowFn now);
  Status recover();
  Status loadSegments(uint64_t checkpoint_lsn);
  Result<std::shared_ptr<SegmentHandle>> openSegment(const std::string& name, uint64_t id);
  void appendToHead(std::shared_ptr<HeadBatch> batch);
  Status flushOne(const std::shared_ptr<Head>& head);
  Result<std::shared_ptr<SegmentHandle>> writeSegment(std::span<const RecordRef> refs,
                                                      uint64_t wal_lsn,
                                                      std::vector<uint64_t> replaces);
  // Takes `old` out of the read set (adding `fresh`, if any) and deletes their files.
  Status replaceSegments(const std::vector<std::shared_ptr<SegmentHandle>>& old,
                         std::shared_ptr<SegmentHandle> fresh);
  // Rewrites `inputs` as one segment (listing them in `replaces`) without the records whose
  // retention has passed at `now`; a single input with nothing expired is left as it is.
  Status rewriteSegments(const std::vector<std::shared_ptr<SegmentHandle>>& inputs, uint64_t now);
  void quarantine(const std::shared_ptr<SegmentHandle>& h, const Status& why) const;
  Result<size_t> readRowGroup(const std::shared_ptr<SegmentHandle>& h, size_t g,
                              const RowFilter& filter, model::Logs& out) const;
  Snapshot snapshot() const;
  void refreshWalBytes();
  void runBackground();
  std::string segmentPath(uint64_t id) const;

  FileSystem& fs_;
  const LogStoreOptions options_;
  NowFn now_;
  mutable LogStoreStats stats_;
  RecoveryStats wal_recovery_;
  std::unique_ptr<Wal> wal_;

  // The current head: batches appended under the exclusive lock, read under the shared one.
  mutable std::shared_mutex head_mu_;
  // Signalled when a flush takes the head or the store closes: writers wait on it while the
  // head is at its hard limit (write()'s backpressure).
  std::condition_variable_any head_cv_;
  // Records in heads taken by a flush but not yet in segments (unflushed_), for backpressure.
  std::atomic<uint64_t> queued_records_{0};
  // WAL answers: a flush waits for every batch of its head to have one (so that no batch the
  // WAL then refuses reaches a segment); a refusal makes the background thread reopen the WAL.
  std::mutex wal_answer_mu_;
  std::condition_variable wal_answer_cv_;
  std::atomic<bool> wal_failed_{false};
  void reopenWalIfFailed();
  std::shared_ptr<Head> head_;
  uint64_t next_lsn_ = 1;

  mutable std::mutex state_mu_;  // flushing_, segments_, next_segment_id_
  std::vector<std::shared_ptr<const Head>> flushing_;
  std::deque<std::shared_ptr<Head>> unflushed_;                   // under flush_mu_
  mutable std::vector<std::shared_ptr<SegmentHandle>> segments_;  // by id
  uint64_t next_segment_id_ = 1;

  std::shared_ptr<Subscribers> subscribers_;

  std::mutex flush_mu_;
  std::mutex maintenance_mu_;
  std::mutex bg_mu_;
  std::condition_variable bg_cv_;
  bool stop_ = false;
  bool flush_requested_ = false;
  std::thread background_;
  bool closed_ = false;
};

}  // namespace periscope::storage::logs
