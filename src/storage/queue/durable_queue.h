// DurableQueue: the on-disk FIFO behind an exporter's persistent sending queue (the
// `file_storage` extension opens one per exporter and signal). An item stays in the queue until
// ack(): after a crash or restart every item that was appended and not acknowledged is handed
// out again by next() (at-least-once delivery).
//
// Layout: one directory per queue holding segment files `q-<16-digit seq>.log` with the WAL's
// framing (header, then [u32 length][u32 crc32c][payload] records; storage/wal/wal_format.h).
// A record is either an item [u8 1][u64 id][u32 items][payload] or an acknowledgement
// [u8 2][u64 id]. An ack always lands in the same or a later segment than its item, so deleting
// a prefix of segments whose items are all acknowledged never loses an ack that is still needed.
// Recovery follows the WAL's policy: a torn tail of the last segment is cut away (counted);
// damage followed by more data stops that segment only, and is reported by file and offset.
//
// Thread-safe. append() is group-committed when fsync is on: concurrent appenders share fsyncs.
// Payloads are read back from disk by next(), so memory does not grow with the backlog.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "storage/io/file_system.h"
#include "storage/wal/wal.h"

namespace periscope::storage {

struct DurableQueueOptions {
  // fsync item records before append() returns (survives power loss, not only kill -9).
  bool fsync = false;
  // Start a new segment once the current one passes this.
  uint64_t segment_bytes = 8ull << 20;
  uint64_t max_record_bytes = 64ull << 20;
  // Compaction: when the oldest segment holds live items but at most this fraction of its
  // bytes is live, its live items are copied to the head and the segment is deleted, so one
  // old unacknowledged item cannot pin the whole backlog on disk. Only when it pins another
  // segment behind the head, and on rebound (ack) only once nothing is waiting, so a backlog
  // drained in order is never copied.
  bool compact_on_start = true;
  bool compact_on_rebound = true;
  double compact_live_ratio = 0.25;
};

struct QueueRecoveryStats {
  uint64_t segments = 0;
  uint64_t items = 0;  // unacknowledged items found (to be redelivered)
  uint64_t acked = 0;  // acknowledged items found
  uint64_t truncated_bytes = 0;
  bool corrupt_tail = false;
  std::vector<WalCorruption> corruptions;  // mid-segment damage; later records of it are lost
};

struct QueueItem {
  uint64_t id = 0;
  uint32_t items = 0;  // spans / data points / log records, as given to append()
  std::string payload;
};

class DurableQueue {
 public:
  // Creates dir if needed and recovers existing segments (policy above). Fails with
  // FAILED_PRECONDITION on a foreign file or a newer format version, touching nothing.
  static Result<std::unique_ptr<DurableQueue>> open(FileSystem& fs, std::string dir,
                                                    DurableQueueOptions options);
  ~DurableQueue();
  DurableQueue(const DurableQueue&) = delete;
  DurableQueue& operator=(const DurableQueue&) = delete;

  // Appends one item; OK means it is on disk (and synced when options.fsync). Returns its id.
  // A write/sync failure (ENOSPC, EIO) returns UNAVAILABLE naming the file; the failed bytes
  // are cut away before the next append, which retries on a fresh segment, so a queue
  // recovers by itself once space returns. Empty or oversized payloads: INVALID_ARGUMENT.
  Result<uint64_t> append(std::string_view payload, uint32_t items);

  // The oldest item not handed out yet (recovered items first, in id order), or nullopt.
  // A record that no longer reads back intact is skipped, counted in stats().lost, and
  // reported through the returned DATA_LOSS status on the call that met it.
  // `lost_items`, if given, receives the `items` of a record skipped with DATA_LOSS. Other
  // errors (UNAVAILABLE: the file could not be opened or read) leave the item waiting.
  Result<std::optional<QueueItem>> next(uint32_t* lost_items = nullptr);
  // The item leaves the queue for good (exported, or failed permanently).
  Status ack(uint64_t id);
  // Hands the item out again from next() (e.g. a send was abandoned but the process lives on).
  void requeue(uint64_t id);

  struct Stats {
    uint64_t items = 0;       // unacknowledged items (records), in flight or waiting
    uint64_t item_count = 0;  // sum of their `items`
    uint64_t bytes = 0;       // sum of their payload sizes
    uint64_t waiting = 0;     // of `items`, not handed out by next()
    uint64_t disk_bytes = 0;  // size of all segment files
    uint64_t segments = 0;
    uint64_t compactions = 0;  // segments rewritten by compaction since open
    uint64_t lost = 0;         // records that failed to read back since open
    uint64_t lost_items = 0;   // the sum of their `items`
  };
  Stats stats() const;
  const QueueRecoveryStats& recoveryStats() const { return recovery_; }
  const std::string& dir() const { return dir_; }

 private:
  struct Location {
    uint64_t segment = 0;
    uint64_t offset = 0;  // of the record frame
    uint32_t length = 0;  // frame bytes
    uint32_t items = 0;
    uint32_t payload_bytes = 0;
  };
  struct Segment {
    uint64_t bytes = 0;
    uint64_t live = 0;        // unacknowledged items in it
    uint64_t live_bytes = 0;  // their frame bytes
  };

  // Written, waiting for the group fsync; published to live_ only once durable.
  struct Pending {
    uint64_t id = 0;
    Location at;
  };
  // Appends (by generation) whose write or fsync failed; each appender claims its own once.
  struct FailedGens {
    uint64_t first = 0;
    uint64_t last = 0;
    uint64_t unclaimed = 0;
    Status status;
  };
  using LiveIt = std::map<uint64_t, Location>::iterator;

  DurableQueue(FileSystem& fs, std::string dir, DurableQueueOptions options);
  Status recover();  // durable_queue_recovery.cc
  std::string segmentPath(uint64_t seq) const;
  std::string prefix() const;  // "persistent queue <dir>: " for messages

  // Disk side: the caller holds io_mu_ (not mu_); these take mu_ for index updates.
  Status ensureWritableLocked();
  Status rotateLocked();
  Status createSegmentLocked();
  Result<uint64_t> writeLocked(std::string_view bytes);  // returns the offset written at
  Status syncLocked();
  Status failLocked(std::string_view op, const Status& cause);
  void resolvePendingLocked(const Status& status);
  Status compactLocked(bool on_rebound);
  Status compactOldestLocked();
  // Group commit: returns once the append of generation `gen` is durable or has failed.
  Status awaitDurable(uint64_t gen);

  // Index side: the caller holds mu_.
  void addLiveLocked(uint64_t id, const Location& at);
  LiveIt eraseLiveLocked(LiveIt it);
  void dropAckedPrefixLocked();
  bool shouldCompactLocked() const;
  Result<std::string> readFrameLocked(uint64_t id, const Location& at);

  FileSystem& fs_;
  const std::string dir_;
  const DurableQueueOptions options_;
  QueueRecoveryStats recovery_;  // written by open() only
  std::atomic<uint64_t> next_id_{1};

  // Lock order: io_mu_, then mu_, then sync_mu_. io_mu_ serializes every use of file_ (the
  // FileSystem allows one thread per file), so next() and stats() do not wait behind item
  // writes and their fsyncs.
  std::mutex io_mu_;
  std::unique_ptr<WritableFile> file_;  // the current (last) segment; null after a failed create
  uint64_t current_seq_ = 0;  // written under io_mu_ and mu_, so either one suffices to read
  uint64_t next_seq_ = 1;     // never reused: a failed create leaves no half-made file in the way
  uint64_t good_size_ = 0;    // bytes of the current segment known good (synced, when fsync)
  bool failed_ = false;       // a write/sync failed: cut back and rotate before the next write
  bool cut_pending_ = false;  // the failed segment still has to be cut back to good_size_
  std::vector<Pending> pending_;
  uint64_t written_gen_ = 0;  // bumped by every item write when fsync is on

  mutable std::mutex mu_;
  std::map<uint64_t, Location> live_;  // unacknowledged items by id
  std::set<uint64_t> waiting_;         // ids not handed out
  std::map<uint64_t, Segment> segments_;
  std::map<uint64_t, std::unique_ptr<ReadableFile>> readers_;
  Stats counters_;  // items, item_count, bytes, compactions, lost

  // Group commit (fsync on): appends write under io_mu_, then one of them syncs for all.
  std::mutex sync_mu_;
  std::condition_variable sync_cv_;
  uint64_t synced_gen_ = 0;  // every generation up to here is durable or failed
  bool syncing_ = false;
  std::vector<FailedGens> failed_gens_;
};

}  // namespace periscope::storage
