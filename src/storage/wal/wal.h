// Wal: the store's write-ahead log of opaque records (encoded span batches), in segment files
// `wal-<seq>.log` under one directory. The store's writer appends; the store replays it at open
// and calls truncateBefore() once data is flushed to immutable segments.
// Thread-safe: append() from any thread; one internal writer thread does all file I/O and runs
// the `done` callbacks (keep them short). Borrows the FileSystem, which must outlive the Wal.
//
// Recovery policy ("tolerate a torn tail, report mid-log corruption"):
//  - Damage that reaches the end of the LAST segment (incomplete or checksum-failing final
//    record, zero-filled tail, incomplete header) is an interrupted write: it is truncated away
//    and counted in RecoveryStats::truncated_bytes / corrupt_tail.
//  - Any other damage (a bad record followed by more data, or a short earlier segment) stops
//    replay of that segment only; it is listed in RecoveryStats::corruptions with file and
//    offset, the file is left untouched for inspection, and later segments are still replayed.
//  - A foreign file (bad magic) or a newer format version makes open() fail; nothing is touched.
// After open, appends go to a fresh segment, so recovered segments are never written again.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/status.h"
#include "storage/io/file_system.h"

namespace periscope::storage {

enum class WalSyncPolicy {
  kAlways,    // fsync before `done`; appends are group-committed
  kInterval,  // `done` after write(); fsync every sync_interval (survives kill -9, not power loss)
  kNever,     // `done` after write(); the OS decides when to flush
};

struct WalOptions {
  uint64_t segment_bytes = 64ull << 20;  // start a new segment once the current one passes this
  WalSyncPolicy sync = WalSyncPolicy::kAlways;
  // kAlways: at most one fsync per window, unless group_commit_bytes are waiting.
  std::chrono::microseconds group_commit_window = std::chrono::milliseconds(10);
  uint64_t group_commit_bytes = 1ull << 20;
  std::chrono::milliseconds sync_interval = std::chrono::milliseconds(1000);  // kInterval
  uint64_t max_record_bytes = 64ull << 20;
};

// The options a store derives from its own fsync knobs (the rest keep their defaults).
inline WalOptions walOptions(WalSyncPolicy sync, std::chrono::milliseconds sync_interval,
                             std::chrono::microseconds group_commit_window,
                             uint64_t segment_bytes) {
  WalOptions o;
  o.sync = sync;
  o.sync_interval = sync_interval;
  o.group_commit_window = group_commit_window;
  o.segment_bytes = segment_bytes;
  return o;
}

struct WalCorruption {
  std::string file;
  uint64_t offset = 0;
  std::string reason;
};

struct RecoveryStats {
  uint64_t segments = 0;
  uint64_t records = 0;
  uint64_t truncated_bytes = 0;
  bool corrupt_tail = false;
  std::vector<WalCorruption> corruptions;  // mid-log damage; replay of those segments stopped
};

class Wal {
 public:
  using Done = std::function<void(Status)>;
  // Receives every intact record in log order; a non-OK status aborts open() with it.
  using Replay = std::function<Status(uint64_t segment_seq, std::string_view record)>;

  // Creates dir if needed, replays existing segments (see policy above) and starts a fresh one.
  static Result<std::unique_ptr<Wal>> open(FileSystem& fs, std::string dir, WalOptions options,
                                           const Replay& replay);
  // Writes (and under kAlways syncs) everything already appended, then closes.
  ~Wal();
  Wal(const Wal&) = delete;
  Wal& operator=(const Wal&) = delete;

  // Queues a record; done(OK) once it is as durable as the policy promises. After a write or
  // sync failure, done gets a retryable UNAVAILABLE, and so does every append until reopen().
  // Empty or oversized records get INVALID_ARGUMENT.
  void append(std::string_view record, Done done);
  // append() and wait; for tests and tools.
  Status appendSync(std::string_view record);

  // Leaves the failed state: cuts the current segment back to its last good size and starts a
  // fresh segment. OK and a no-op when not failed.
  Status reopen();
  // Closes the current segment (synced unless kNever) and starts the next, so a caller that
  // has everything written so far elsewhere can truncateBefore() the new one. A no-op on a
  // segment without records; on failure the current segment stays in use.
  Status rotate();
  // Deletes whole segments with seq < segment_seq (never the current one).
  Status truncateBefore(uint64_t segment_seq);

  // Segment that appends made from now on land in (or later ones).
  uint64_t currentSegment() const { return current_seq_.load(); }
  const RecoveryStats& recoveryStats() const { return stats_; }
  const std::string& dir() const { return dir_; }

 private:
  struct Pending {
    std::string frame;
    Done done;
  };
  using Clock = std::chrono::steady_clock;

  Wal(FileSystem& fs, std::string dir, WalOptions options);
  Status recover(const Replay& replay);
  std::string segmentPath(uint64_t seq) const;
  // Under io_mu_.
  Status createSegment(uint64_t seq);
  Status writeBatch(const std::vector<Pending>& batch);
  Status syncInterval();
  Status fail(const Status& cause);
  void run();

  FileSystem& fs_;
  const std::string dir_;
  const WalOptions options_;
  RecoveryStats stats_;

  std::mutex io_mu_;  // file_, good_size_, unsynced_, last_sync_; held by the writer per batch
  std::unique_ptr<WritableFile> file_;
  std::atomic<uint64_t> current_seq_{0};
  uint64_t good_size_ = 0;  // bytes of the current segment that were written and acked
  bool unsynced_ = false;
  bool cut_pending_ = false;  // reopen() still has to cut the failed segment to good_size_
  Clock::time_point last_sync_{};
  std::string buffer_;

  std::mutex mu_;  // queue_, queued_bytes_, failed_, stop_
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  uint64_t queued_bytes_ = 0;
  Status failed_;
  bool stop_ = false;
  std::thread writer_;
};

}  // namespace periscope::storage
