#include "storage/queue/durable_queue.h"

#include "common/kill_point.h"
#include "storage/queue/durable_queue_format.h"
#include "storage/wal/crc32c.h"
#include "storage/wal/wal_format.h"

namespace periscope::storage {

DurableQueue::DurableQueue(FileSystem& fs, std::string dir, DurableQueueOptions options)
    : fs_(fs), dir_(std::move(dir)), options_(options) {}

DurableQueue::~DurableQueue() {
  std::lock_guard io(io_mu_);
  if (!file_) return;
  // Acks are written without fsync; one at close spares a clean restart the duplicates.
  if (options_.fsync) (void)file_->sync();
  (void)file_->close();
}

std::string DurableQueue::segmentPath(uint64_t seq) const {
  return dir_ + "/" + queueSegmentName(seq);
}

std::string DurableQueue::prefix() const {
  return "persistent queue " + dir_ + ": ";
}

// ---- append and group commit ----

Result<uint64_t> DurableQueue::append(std::string_view payload, uint32_t items) {
  const uint64_t max_payload = options_.max_record_bytes - kQueueItemHeaderBytes;
  if (payload.empty() || payload.size() > max_payload) {
    return invalidArgument(prefix() + "item of " + std::to_string(payload.size()) +
                           " bytes (must be 1.." + std::to_string(max_payload) + ")");
  }
  // Ids are taken outside the lock so the frame (and its checksum) is built outside it too.
  const uint64_t id = next_id_.fetch_add(1, std::memory_order_relaxed);
  const std::string frame = encodeQueueItemFrame(id, items, payload);
  uint64_t gen = 0;
  {
    std::lock_guard io(io_mu_);
    PERISCOPE_RETURN_IF_ERROR(ensureWritableLocked());
    auto offset = writeLocked(frame);
    if (!offset.isOk()) return offset.status();
    killPoint("queue.append.before_sync");
    const Location at{current_seq_, *offset, static_cast<uint32_t>(frame.size()), items,
                      static_cast<uint32_t>(payload.size())};
    if (!options_.fsync) {
      std::lock_guard lock(mu_);
      addLiveLocked(id, at);
      waiting_.insert(id);
      return id;
    }
    pending_.push_back({id, at});
    gen = ++written_gen_;
  }
  PERISCOPE_RETURN_IF_ERROR(awaitDurable(gen));
  return id;
}

Status DurableQueue::awaitDurable(uint64_t gen) {
  std::unique_lock lock(sync_mu_);
  while (synced_gen_ < gen) {
    if (syncing_) {
      sync_cv_.wait(lock);
      continue;
    }
    // Leader: one fsync covers every item written before it took io_mu_, ours included.
    syncing_ = true;
    lock.unlock();
    {
      std::lock_guard io(io_mu_);
      if (!pending_.empty()) (void)syncLocked();  // resolves pending_ either way
    }
    lock.lock();
    syncing_ = false;
    sync_cv_.notify_all();
  }
  for (auto it = failed_gens_.begin(); it != failed_gens_.end(); ++it) {
    if (gen < it->first || gen > it->last) continue;
    Status failed = it->status;
    if (--it->unclaimed == 0) failed_gens_.erase(it);
    return failed;
  }
  return Status::ok();
}

void DurableQueue::resolvePendingLocked(const Status& status) {
  if (status.isOk() && !pending_.empty()) {
    std::lock_guard lock(mu_);
    for (const Pending& p : pending_) {
      addLiveLocked(p.id, p.at);
      waiting_.insert(p.id);
    }
  }
  pending_.clear();
  {
    std::lock_guard lock(sync_mu_);
    if (!status.isOk() && written_gen_ > synced_gen_) {
      failed_gens_.push_back({synced_gen_ + 1, written_gen_, written_gen_ - synced_gen_, status});
    }
    synced_gen_ = written_gen_;
  }
  sync_cv_.notify_all();
}

// ---- the current segment ----

Status DurableQueue::failLocked(std::string_view op, const Status& cause) {
  failed_ = true;
  cut_pending_ = true;
  Status failed = unavailable(prefix() + std::string(op) + " " + segmentPath(current_seq_) +
                              " failed: " + std::string(cause.message()) + " (disk full?)");
  // With fsync, good_size_ is the last synced size, so unsynced items are cut away with the
  // failed bytes: their appends fail too.
  resolvePendingLocked(failed);
  return failed;
}

Result<uint64_t> DurableQueue::writeLocked(std::string_view bytes) {
  const uint64_t offset = file_->size();
  if (Status s = file_->append(bytes); !s.isOk()) return failLocked("write to", s);
  if (!options_.fsync) good_size_ = file_->size();
  std::lock_guard lock(mu_);
  segments_[current_seq_].bytes = file_->size();
  return offset;
}

Status DurableQueue::syncLocked() {
  if (Status s = file_->sync(); !s.isOk()) return failLocked("fdatasync of", s);
  good_size_ = file_->size();
  resolvePendingLocked(Status::ok());
  return Status::ok();
}

Status DurableQueue::ensureWritableLocked() {
  if (!failed_) {
    if (file_->size() >= options_.segment_bytes) return rotateLocked();
    return Status::ok();
  }
  if (file_) {
    (void)file_->close();
    file_.reset();
  }
  if (cut_pending_) {
    // A failed write may have left part of a frame: cut it, or it would read as damage in
    // the middle of the queue. Until the cut succeeds, nothing is written after it.
    const std::string path = segmentPath(current_seq_);
    Status cut = fs_.truncate(path, good_size_);
    if (!cut.isOk() && cut.code() != StatusCode::kNotFound) {
      return unavailable(prefix() + "cannot cut " + path +
                         " back after a failed write: " + std::string(cut.message()));
    }
    cut_pending_ = false;
    std::lock_guard lock(mu_);
    if (auto it = segments_.find(current_seq_); it != segments_.end()) {
      it->second.bytes = good_size_;
    }
  }
  return createSegmentLocked();
}

Status DurableQueue::rotateLocked() {
  // Items written since the last fsync must be durable before their segment is left behind.
  if (options_.fsync) PERISCOPE_RETURN_IF_ERROR(syncLocked());
  (void)file_->close();
  file_.reset();
  return createSegmentLocked();
}

Status DurableQueue::createSegmentLocked() {
  const uint64_t seq = next_seq_++;
  const std::string path = segmentPath(seq);
  auto file = fs_.openAppend(path);
  Status s = file.status();
  if (s.isOk()) s = (*file)->append(encodeWalSegmentHeader());
  // With fsync, a segment exists only once its header and directory entry are durable: a
  // power cut then never leaves a header-less file for recovery to puzzle over.
  if (s.isOk() && options_.fsync) s = (*file)->sync();
  if (s.isOk() && options_.fsync) s = fs_.syncDir(dir_);
  if (!s.isOk()) {
    if (file.isOk()) {
      (void)(*file)->close();
      (void)fs_.remove(path);
    }
    failed_ = true;
    return unavailable(prefix() + "cannot create " + path + ": " + std::string(s.message()) +
                       " (disk full?)");
  }
  file_ = std::move(file).value();
  good_size_ = file_->size();
  failed_ = false;
  std::lock_guard lock(mu_);
  current_seq_ = seq;
  segments_[seq] = Segment{good_size_, 0, 0};
  return Status::ok();
}

// ---- reading, acknowledging ----

Result<std::optional<QueueItem>> DurableQueue::next(uint32_t* lost_items) {
  std::lock_guard lock(mu_);
  if (waiting_.empty()) return std::optional<QueueItem>();
  const uint64_t id = *waiting_.begin();
  waiting_.erase(waiting_.begin());
  auto it = live_.find(id);  // waiting_ is a subset of live_
  auto frame = readFrameLocked(id, it->second);
  if (!frame.isOk() && frame.status().code() != StatusCode::kDataLoss &&
      frame.status().code() != StatusCode::kNotFound) {
    // The disk or the process (EIO, EMFILE) failed us, not the record: try again later.
    waiting_.insert(id);
    readers_.erase(it->second.segment);
    return unavailable(prefix() + "cannot read item " + std::to_string(id) + " from " +
                       segmentPath(it->second.segment) + ": " +
                       std::string(frame.status().message()));
  }
  if (!frame.isOk()) {
    const Location at = it->second;
    if (lost_items != nullptr) *lost_items = at.items;
    ++counters_.lost;
    counters_.lost_items += at.items;
    eraseLiveLocked(it);
    dropAckedPrefixLocked();
    return Status(
        StatusCode::kDataLoss,
        prefix() + "item " + std::to_string(id) + " at " + segmentPath(at.segment) + " offset " +
            std::to_string(at.offset) +
            " no longer reads back and is dropped: " + std::string(frame.status().message()));
  }
  return std::optional<QueueItem>(QueueItem{
      id, it->second.items, frame->substr(kWalRecordHeaderBytes + kQueueItemHeaderBytes)});
}

Result<std::string> DurableQueue::readFrameLocked(uint64_t id, const Location& at) {
  // Few readers stay open: a long backlog must not hold one descriptor per segment.
  constexpr size_t kMaxOpenReaders = 4;
  if (!readers_.contains(at.segment) && readers_.size() >= kMaxOpenReaders) {
    readers_.erase(readers_.begin());
  }
  auto& reader = readers_[at.segment];
  if (!reader) {
    auto opened = fs_.openRead(segmentPath(at.segment));
    if (!opened.isOk()) {
      readers_.erase(at.segment);
      return opened.status();
    }
    reader = std::move(opened).value();
  }
  auto frame = reader->read(at.offset, at.length);
  if (!frame.isOk()) return frame.status();
  auto bad = [](std::string why) { return Status(StatusCode::kDataLoss, std::move(why)); };
  if (frame->size() != at.length) return bad("short read (file cut?)");
  std::string_view record = std::string_view(*frame).substr(kWalRecordHeaderBytes);
  if (getU32(frame->data()) != record.size() || crc32c(record) != getU32(frame->data() + 4)) {
    return bad("checksum mismatch");
  }
  auto decoded = decodeQueueRecord(record);
  if (!decoded.isOk()) return decoded.status();
  if (decoded->type != kQueueItemRecord || decoded->id != id || decoded->items != at.items) {
    return bad("the record there is not this item");
  }
  return frame;
}

Status DurableQueue::ack(uint64_t id) {
  std::lock_guard io(io_mu_);
  {
    std::lock_guard lock(mu_);
    if (!live_.contains(id)) {
      return notFound(prefix() + "ack of unknown item " + std::to_string(id));
    }
  }
  // No fsync: an ack lost in a crash only makes the item come back once more. For the same
  // reason an ack that cannot be written (disk full) is still applied in memory: deleting the
  // item's segment once all of it is delivered is a durable ack too, and it is what gives the
  // space back — refusing it would keep a full disk full for good.
  bool written = ensureWritableLocked().isOk() && writeLocked(encodeQueueAckFrame(id)).isOk();
  if (written) killPoint("queue.ack.written");
  bool empty = false;
  {
    std::lock_guard lock(mu_);
    // next() may have dropped it as unreadable since the check above.
    if (auto it = live_.find(id); it != live_.end()) eraseLiveLocked(it);
    dropAckedPrefixLocked();
    empty = live_.empty();
  }
  if (!written) return Status::ok();
  if (empty && file_->size() > options_.segment_bytes / 8) {
    // Nothing left: start a fresh segment so the current one (all acked) can go too. The ack
    // is written either way; a failed rotation is retried by the next write.
    if (rotateLocked().isOk()) {
      std::lock_guard lock(mu_);
      dropAckedPrefixLocked();
    }
    return Status::ok();
  }
  if (options_.compact_on_rebound) (void)compactLocked(/*on_rebound=*/true);
  return Status::ok();
}

void DurableQueue::requeue(uint64_t id) {
  std::lock_guard lock(mu_);
  if (live_.contains(id)) waiting_.insert(id);
}

DurableQueue::Stats DurableQueue::stats() const {
  std::lock_guard lock(mu_);
  Stats s = counters_;
  s.waiting = waiting_.size();
  s.segments = segments_.size();
  for (const auto& [seq, seg] : segments_) s.disk_bytes += seg.bytes;
  return s;
}

// ---- the index ----

void DurableQueue::addLiveLocked(uint64_t id, const Location& at) {
  live_.emplace(id, at);
  Segment& seg = segments_[at.segment];
  ++seg.live;
  seg.live_bytes += at.length;
  ++counters_.items;
  counters_.item_count += at.items;
  counters_.bytes += at.payload_bytes;
}

DurableQueue::LiveIt DurableQueue::eraseLiveLocked(LiveIt it) {
  const Location& at = it->second;
  Segment& seg = segments_[at.segment];
  --seg.live;
  seg.live_bytes -= at.length;
  --counters_.items;
  counters_.item_count -= at.items;
  counters_.bytes -= at.payload_bytes;
  waiting_.erase(it->first);
  return live_.erase(it);
}

void DurableQueue::dropAckedPrefixLocked() {
  // Only a prefix: a later segment may hold acks for items of an earlier one, and deleting it
  // first would bring those items back after a restart.
  bool removed = false;
  for (auto it = segments_.begin();
       it != segments_.end() && it->first != current_seq_ && it->second.live == 0;) {
    Status s = fs_.remove(segmentPath(it->first));
    if (!s.isOk() && s.code() != StatusCode::kNotFound) break;  // retried after the next ack
    readers_.erase(it->first);
    it = segments_.erase(it);
    removed = true;
  }
  if (removed && options_.fsync) (void)fs_.syncDir(dir_);
}

// ---- compaction ----

bool DurableQueue::shouldCompactLocked() const {
  // Worth it only if the oldest pins at least one more segment behind the current one;
  // otherwise draining it frees as much without copying.
  if (segments_.size() < 3) return false;
  const Segment& oldest = segments_.begin()->second;
  return segments_.begin()->first != current_seq_ && oldest.live > 0 &&
         static_cast<double>(oldest.live_bytes) <=
             options_.compact_live_ratio * static_cast<double>(oldest.bytes);
}

Status DurableQueue::compactLocked(bool on_rebound) {
  size_t rounds = 0;
  {
    std::lock_guard lock(mu_);
    rounds = segments_.size();  // bounds the loop: copies may fill (and rotate) the head
  }
  for (; rounds > 0; --rounds) {
    {
      std::lock_guard lock(mu_);
      // On rebound, only once the backlog is drained: waiting items are delivered (and
      // acked) soon anyway, so copying them would be wasted writes.
      if (!shouldCompactLocked() || (on_rebound && !waiting_.empty())) return Status::ok();
    }
    PERISCOPE_RETURN_IF_ERROR(compactOldestLocked());
  }
  return Status::ok();
}

Status DurableQueue::compactOldestLocked() {
  uint64_t seq = 0;
  std::vector<uint64_t> ids;
  std::vector<uint64_t> offsets;  // of each copy within `copies`
  std::string copies;
  {
    std::lock_guard lock(mu_);
    seq = segments_.begin()->first;
    for (auto it = live_.begin(); it != live_.end();) {
      if (it->second.segment != seq) {
        ++it;
        continue;
      }
      auto frame = readFrameLocked(it->first, it->second);
      if (!frame.isOk() && frame.status().code() != StatusCode::kDataLoss &&
          frame.status().code() != StatusCode::kNotFound) {
        readers_.erase(seq);
        return frame.status();  // transient (EIO, EMFILE): compact another time
      }
      if (!frame.isOk()) {
        // Unreadable here means unreadable for next() too: count it lost now.
        ++counters_.lost;
        counters_.lost_items += it->second.items;
        it = eraseLiveLocked(it);
        continue;
      }
      ids.push_back(it->first);
      offsets.push_back(copies.size());
      copies += *frame;
      ++it;
    }
  }
  if (!ids.empty()) {
    PERISCOPE_RETURN_IF_ERROR(ensureWritableLocked());
    auto base = writeLocked(copies);
    if (!base.isOk()) return base.status();
    // Even without options.fsync: these items may have been on disk for hours, and the copy
    // must not be lost to a power cut that the deletion of the original survives.
    PERISCOPE_RETURN_IF_ERROR(syncLocked());
    killPoint("queue.compaction.before_delete");
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < ids.size(); ++i) {
      auto it = live_.find(ids[i]);
      if (it == live_.end() || it->second.segment != seq) continue;  // lost by next() since
      Location& at = it->second;
      Segment& from = segments_[seq];
      --from.live;
      from.live_bytes -= at.length;
      at.segment = current_seq_;
      at.offset = *base + offsets[i];
      Segment& to = segments_[current_seq_];
      ++to.live;
      to.live_bytes += at.length;
    }
    ++counters_.compactions;
  }
  std::lock_guard lock(mu_);
  dropAckedPrefixLocked();
  return Status::ok();
}

}  // namespace periscope::storage
