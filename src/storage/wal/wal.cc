#include "storage/wal/wal.h"

#include <pthread.h>

#include <future>

#include "storage/wal/wal_format.h"
#include "storage/wal/wal_segment_scan.h"

namespace periscope::storage {

Wal::Wal(FileSystem& fs, std::string dir, WalOptions options)
    : fs_(fs), dir_(std::move(dir)), options_(options) {}

Result<std::unique_ptr<Wal>> Wal::open(FileSystem& fs, std::string dir, WalOptions options,
                                       const Replay& replay) {
  if (options.segment_bytes == 0 || options.group_commit_bytes == 0 ||
      options.max_record_bytes == 0 || options.max_record_bytes > UINT32_MAX) {
    return invalidArgument(
        "wal: segment_bytes, group_commit_bytes and max_record_bytes must be "
        "positive (max_record_bytes < 4 GiB)");
  }
  std::unique_ptr<Wal> wal(new Wal(fs, std::move(dir), options));
  PERISCOPE_RETURN_IF_ERROR(fs.createDir(wal->dir_));
  PERISCOPE_RETURN_IF_ERROR(wal->recover(replay));
  {
    std::lock_guard io(wal->io_mu_);
    PERISCOPE_RETURN_IF_ERROR(wal->createSegment(wal->current_seq_.load() + 1));
  }
  wal->writer_ = std::thread([w = wal.get()] {
    pthread_setname_np(pthread_self(), "pscope-wal");  // visible in top -H, perf, gdb
    w->run();
  });
  return wal;
}

std::string Wal::segmentPath(uint64_t seq) const {
  return dir_ + "/" + walSegmentName(seq);
}

Status Wal::recover(const Replay& replay) {
  auto names = fs_.listDir(dir_);
  if (!names.isOk()) return names.status();
  std::vector<uint64_t> seqs;
  for (const auto& name : *names) {
    if (auto seq = parseWalSegmentName(name)) seqs.push_back(*seq);
  }
  // listDir sorts names, and fixed-width names sort by sequence.
  for (size_t i = 0; i < seqs.size(); ++i) {
    const uint64_t seq = seqs[i];
    const std::string path = segmentPath(seq);
    const bool last = i + 1 == seqs.size();
    auto contents = fs_.readAll(path);
    if (!contents.isOk()) return contents.status();
    auto scan =
        scanSegment(*contents, path, [&](std::string_view record) { return replay(seq, record); });
    if (!scan.isOk()) return scan.status();
    ++stats_.segments;
    stats_.records += scan->records;
    current_seq_ = seq;
    if (scan->outcome == SegmentScan::Outcome::kClean) continue;
    if (last && scan->outcome == SegmentScan::Outcome::kTornTail) {
      stats_.truncated_bytes += contents->size() - scan->valid_bytes;
      stats_.corrupt_tail = true;
      PERISCOPE_RETURN_IF_ERROR(scan->valid_bytes == 0 ? fs_.remove(path)
                                                       : fs_.truncate(path, scan->valid_bytes));
      PERISCOPE_RETURN_IF_ERROR(fs_.syncDir(dir_));
      continue;
    }
    stats_.corruptions.push_back({path, scan->valid_bytes, scan->reason});
  }
  return Status::ok();
}

Status Wal::createSegment(uint64_t seq) {
  const std::string path = segmentPath(seq);
  auto file = fs_.openAppend(path);
  if (!file.isOk()) return file.status();
  Status s = (*file)->append(encodeWalSegmentHeader());
  if (s.isOk()) s = (*file)->sync();
  if (s.isOk()) s = fs_.syncDir(dir_);
  if (!s.isOk()) {
    // A half-made segment would read as damage in the middle of the log later.
    (void)(*file)->close();
    (void)fs_.remove(path);
    return s;
  }
  file_ = std::move(file).value();
  current_seq_ = seq;
  good_size_ = file_->size();
  return Status::ok();
}

Wal::~Wal() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  std::lock_guard io(io_mu_);
  if (file_) {
    if (options_.sync == WalSyncPolicy::kInterval && unsynced_) (void)file_->sync();
    (void)file_->close();
  }
}

void Wal::append(std::string_view record, Done done) {
  if (record.empty() || record.size() > options_.max_record_bytes) {
    done(invalidArgument("wal: record of " + std::to_string(record.size()) + " bytes (must be 1.." +
                         std::to_string(options_.max_record_bytes) + ")"));
    return;
  }
  Pending p{{}, std::move(done)};
  p.frame.reserve(kWalRecordHeaderBytes + record.size());
  appendWalRecord(p.frame, record);
  std::unique_lock lock(mu_);
  if (!failed_.isOk()) {
    Status failed = failed_;
    lock.unlock();
    p.done(failed);
    return;
  }
  queued_bytes_ += p.frame.size();
  queue_.push_back(std::move(p));
  lock.unlock();
  cv_.notify_all();
}

Status Wal::appendSync(std::string_view record) {
  std::promise<Status> promise;
  auto future = promise.get_future();
  append(record, [&promise](Status s) { promise.set_value(std::move(s)); });
  return future.get();
}

Status Wal::fail(const Status& cause) {
  Status failed = unavailable("wal: " + std::string(cause.message()) +
                              "; appends are refused until the WAL is reopened");
  std::lock_guard lock(mu_);
  if (failed_.isOk()) failed_ = failed;
  return failed;
}

Status Wal::writeBatch(const std::vector<Pending>& batch) {
  std::lock_guard io(io_mu_);
  if (!file_) return fail(unavailable("no open segment"));
  if (file_->size() >= options_.segment_bytes) {
    if (options_.sync != WalSyncPolicy::kNever) {
      if (Status s = file_->sync(); !s.isOk()) return fail(s);
    }
    (void)file_->close();
    file_.reset();
    if (Status s = createSegment(current_seq_.load() + 1); !s.isOk()) return fail(s);
  }
  buffer_.clear();
  for (const auto& p : batch) buffer_.append(p.frame);
  if (Status s = file_->append(buffer_); !s.isOk()) return fail(s);
  if (options_.sync == WalSyncPolicy::kAlways) {
    last_sync_ = Clock::now();
    if (Status s = file_->sync(); !s.isOk()) return fail(s);
  } else {
    unsynced_ = true;
  }
  good_size_ = file_->size();
  return Status::ok();
}

Status Wal::syncInterval() {
  std::lock_guard io(io_mu_);
  last_sync_ = Clock::now();
  if (!file_ || !unsynced_) return Status::ok();
  if (Status s = file_->sync(); !s.isOk()) return fail(s);
  return Status::ok();
}

void Wal::run() {
  std::unique_lock lock(mu_);
  auto has_work = [this] { return stop_ || !queue_.empty(); };
  while (true) {
    if (options_.sync == WalSyncPolicy::kInterval && unsynced_) {
      if (!cv_.wait_until(lock, last_sync_ + options_.sync_interval, has_work) ||
          Clock::now() >= last_sync_ + options_.sync_interval) {
        lock.unlock();
        (void)syncInterval();  // a failure is recorded in failed_
        lock.lock();
        continue;
      }
    } else {
      cv_.wait(lock, has_work);
    }
    if (queue_.empty()) {
      if (stop_) return;
      continue;
    }
    if (options_.sync == WalSyncPolicy::kAlways) {
      // Group commit: let more appends join until the window since the last fsync has passed.
      cv_.wait_until(lock, last_sync_ + options_.group_commit_window,
                     [this] { return stop_ || queued_bytes_ >= options_.group_commit_bytes; });
    }
    std::vector<Pending> batch;
    uint64_t bytes = 0;
    while (!queue_.empty() &&
           (batch.empty() || bytes + queue_.front().frame.size() <= options_.group_commit_bytes)) {
      bytes += queue_.front().frame.size();
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    queued_bytes_ -= bytes;
    Status failed = failed_;
    lock.unlock();
    Status s = failed.isOk() ? writeBatch(batch) : failed;
    for (auto& p : batch) p.done(s);
    lock.lock();
  }
}

Status Wal::reopen() {
  std::lock_guard io(io_mu_);
  {
    std::lock_guard lock(mu_);
    if (failed_.isOk()) return Status::ok();
  }
  if (file_) {
    (void)file_->close();
    file_.reset();
    cut_pending_ = true;
  }
  if (cut_pending_) {
    // Drop whatever a failed write or sync left behind, so it never replays.
    PERISCOPE_RETURN_IF_ERROR(fs_.truncate(segmentPath(current_seq_.load()), good_size_));
    cut_pending_ = false;
  }
  PERISCOPE_RETURN_IF_ERROR(createSegment(current_seq_.load() + 1));
  std::lock_guard lock(mu_);
  failed_ = Status::ok();
  return Status::ok();
}

Status Wal::rotate() {
  std::lock_guard io(io_mu_);
  {
    std::lock_guard lock(mu_);
    if (!failed_.isOk()) return failed_;
  }
  if (!file_ || file_->size() <= kWalSegmentHeaderBytes) return Status::ok();
  if (options_.sync != WalSyncPolicy::kNever) {
    if (Status s = file_->sync(); !s.isOk()) return fail(s);
    unsynced_ = false;
  }
  std::unique_ptr<WritableFile> previous = std::move(file_);
  uint64_t previous_good = good_size_;
  if (Status s = createSegment(current_seq_.load() + 1); !s.isOk()) {
    file_ = std::move(previous);
    good_size_ = previous_good;
    return s;
  }
  (void)previous->close();
  return Status::ok();
}

Status Wal::truncateBefore(uint64_t segment_seq) {
  std::lock_guard io(io_mu_);
  auto names = fs_.listDir(dir_);
  if (!names.isOk()) return names.status();
  bool removed = false;
  for (const auto& name : *names) {
    auto seq = parseWalSegmentName(name);
    if (!seq || *seq >= segment_seq || *seq == current_seq_.load()) continue;
    PERISCOPE_RETURN_IF_ERROR(fs_.remove(segmentPath(*seq)));
    removed = true;
  }
  return removed ? fs_.syncDir(dir_) : Status::ok();
}

}  // namespace periscope::storage
