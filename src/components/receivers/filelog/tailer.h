// Tailer: the filelog receiver's engine, driven one poll cycle at a time (pollOnce), so that
// tests step it without timers or sleeps. Each cycle:
//  1. expands `include` globs (glob(3)), drops `exclude` matches (fnmatch(3), FNM_PATHNAME);
//  2. identifies each file by device/inode and by fingerprint (its first fingerprint_size
//     bytes): a known inode keeps its reader (a rename keeps reading where it was); a new inode
//     whose fingerprint matches a checkpoint resumes there; a new file whose first bytes are
//     those of an open file that stayed at its path is its copy (copytruncate): it is not
//     read while that file is intact and then starts at that file's offset; other new files
//     start at the beginning, except at the first cycle with start_at: end;
//  3. reads every file from its offset, cuts entries (Splitter) and hands them to the pipeline
//     in batches, up to max_batches_in_flight at once per file (so that a batch processor
//     downstream fills up instead of waiting for its timeout). A file's offset and checkpoint
//     advance over a batch only once it and every batch before it were accepted; a refused
//     batch is sent again (alone: batches after it that were accepted are not repeated) after
//     a backoff, while the other files go on; a batch refused for good (a status that is not
//     retryable, e.g. INVALID_ARGUMENT) is dropped, logged and counted;
//  4. finishes files that left the glob (renamed away by rotation, deleted) through their
//     still-open descriptor, then forgets them.
// A file that shrank below its offset, or whose first bytes changed, was truncated (or
// rewritten): it is read again from 0 and counted; its refused batches keep their bytes and
// are sent until accepted (unless its copy has them, copytruncate).
// Checkpoints hold each file's offset and the ranges after it accepted behind a refused or
// unanswered batch; after a restart those ranges are passed over, not sent again.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "components/receivers/filelog/batch_builder.h"
#include "components/receivers/filelog/checkpoint.h"
#include "components/receivers/filelog/config.h"
#include "components/receivers/filelog/operators.h"
#include "components/receivers/filelog/splitter.h"
#include "pipeline/consumer.h"
#include "pipeline/helpers/storage_client.h"

namespace periscope::components::filelog {

struct TailerLimits {
  size_t max_batch_records = 4096;    // entries per consumer call
  size_t max_batch_bytes = 4u << 20;  // bytes read per file per step (and per batch)
  size_t max_batches_per_file = 64;   // per cycle, so that one busy file cannot starve others
  size_t max_batches_in_flight = 4;   // per file: sent and not committed yet
  // A file whose batch was refused (retryable) waits retry_initial, doubled at each refusal in
  // a row up to retry_max, before it is sent again; other files go on meanwhile.
  std::chrono::steady_clock::duration retry_initial = std::chrono::seconds(1);
  std::chrono::steady_clock::duration retry_max = std::chrono::seconds(30);
};

struct TailerStats {
  uint64_t records_sent = 0;  // accepted by the pipeline
  uint64_t batches_sent = 0;
  uint64_t batches_refused = 0;  // the consumer answered an error; read again later
  uint64_t records_refused = 0;
  uint64_t batches_skipped = 0;   // accepted before a restart (checkpoint), not sent again
  uint64_t batches_rejected = 0;  // refused for good (not retryable): dropped
  uint64_t records_rejected = 0;
  uint64_t truncations = 0;  // files that shrank or were rewritten
  uint64_t files_opened = 0;
  uint64_t files_closed = 0;  // finished after leaving the glob
  uint64_t parse_errors = 0;
  uint64_t dropped = 0;            // on_error: drop
  uint64_t checkpoint_errors = 0;  // the storage refused a checkpoint
};

class Tailer {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `storage` may be null (no checkpoints). `clock` drives force_flush_period (tests pass a
  // fake one); null = steady_clock.
  Tailer(const Config& config, pipeline::LogsConsumer& next, pipeline::StorageClient* storage,
         Clock clock = nullptr, TailerLimits limits = {});
  ~Tailer();
  Tailer(const Tailer&) = delete;
  Tailer& operator=(const Tailer&) = delete;

  // Loads the checkpoints; an unreadable document is logged and ignored (start_at applies).
  Status restore();
  // One cycle (see above). Returns false if the pipeline refused a batch (the other files are
  // still read).
  bool pollOnce();
  // True if the last cycle left data unread (a file hit max_batches_per_file): the caller
  // starts the next cycle without waiting for poll_interval.
  bool backlog() const { return backlog_; }
  // Asks a running pollOnce to stop sending; it returns once the batches out are answered, or
  // at `deadline` with the checkpoints at what was accepted (the rest is read again after a
  // restart).
  void requestStop(std::chrono::steady_clock::time_point deadline =
                       std::chrono::steady_clock::time_point::max());
  // Whether a wait for answers ended at the stop deadline.
  bool deadlinePassed() const { return deadline_passed_; }
  // Closes every file, logging per file what the pipeline has not accepted. Checkpoints are
  // already current (saved after each accepted batch).
  void close();

  TailerStats stats() const { return stats_; }
  // Offsets of open files by path (tests).
  std::vector<std::pair<std::string, uint64_t>> offsets() const;

 private:
  struct Reader;
  struct Flight;
  std::vector<std::string> matchFiles() const;
  void discover(const std::vector<std::string>& paths);
  std::unique_ptr<Reader> openReader(const std::string& path);
  // Reads and sends what `r` has; false if the pipeline refused a batch.
  bool drain(Reader& r);
  bool wasTruncated(const Reader& r) const;
  Reader* findReader(dev_t dev, ino_t ino) const;
  // copytruncate: decides whether a new file is the copy of an open one (before any file is
  // read in a cycle); a copy is not read while its original is intact (the original reads
  // the same lines) and starts at the original's offset once that was truncated or closed.
  void resolveCopy(Reader& c);
  // The original was truncated or is being closed: its copies start at its position.
  // True if it had any.
  bool releaseCopiesOf(const Reader& original);
  bool checkTruncation(Reader& r, uint64_t size);
  // Builds the flight's batch and hands it to the pipeline; the answer arrives in `f->state`.
  void launch(Reader& r, const std::shared_ptr<Flight>& f);
  // Pops the accepted flights at the front, advancing the offset; true if any. Needs
  // sync_->mu.
  bool commitAccepted(Reader& r);
  // Waits until the oldest flight is answered; commits the accepted ones at the front.
  // False if the oldest was refused (the others are then waited for too), or if stopping
  // and the deadline passed first.
  bool settle(Reader& r);
  // Waits on sync_->cv until `done`; once stopping, not past the stop deadline (false then).
  bool waitUntil(std::unique_lock<std::mutex>& lock, const std::function<bool()>& done);
  void saveCheckpoints();

  const Config& config_;
  pipeline::LogsConsumer& next_;
  pipeline::StorageClient* storage_;
  Clock clock_;
  TailerLimits limits_;
  OperatorChain chain_;
  Splitter splitter_;
  BatchBuilder builder_;
  size_t fingerprint_size_;
  std::vector<std::unique_ptr<Reader>> readers_;
  std::vector<Checkpoint> restored_;  // from storage, not yet matched to a file
  std::set<std::string> unreadable_;  // paths whose open failed (warned once)
  bool first_poll_ = true;
  bool backlog_ = false;
  size_t round_robin_ = 0;
  std::atomic<bool> stop_{false};
  bool deadline_passed_ = false;
  // Shared with the answer callbacks, which may outlive the Tailer after a stop deadline.
  struct Sync {
    std::mutex mu;  // guards Flight::state (answers come on pipeline threads) and deadline
    std::condition_variable cv;
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  };
  std::shared_ptr<Sync> sync_ = std::make_shared<Sync>();
  TailerStats stats_;
};

}  // namespace periscope::components::filelog
