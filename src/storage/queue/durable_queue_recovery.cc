// DurableQueue::open and recovery: rebuilds the index of unacknowledged items from the segments
// (policy in durable_queue.h), then starts a fresh segment.
#include <algorithm>
#include <set>

#include "storage/queue/durable_queue.h"
#include "storage/queue/durable_queue_format.h"
#include "storage/wal/wal_format.h"
#include "storage/wal/wal_segment_scan.h"

namespace periscope::storage {

Result<std::unique_ptr<DurableQueue>> DurableQueue::open(FileSystem& fs, std::string dir,
                                                         DurableQueueOptions options) {
  if (options.segment_bytes == 0 || options.max_record_bytes <= kQueueItemHeaderBytes ||
      options.max_record_bytes > UINT32_MAX - kWalRecordHeaderBytes ||
      !(options.compact_live_ratio >= 0 && options.compact_live_ratio <= 1)) {
    return invalidArgument(
        "persistent queue " + dir + ": segment_bytes must be positive, max_record_bytes between " +
        std::to_string(kQueueItemHeaderBytes + 1) + " and 4 GiB, compact_live_ratio in [0, 1]");
  }
  // The constructor is private, which make_unique cannot reach.
  std::unique_ptr<DurableQueue> queue(new DurableQueue(fs, std::move(dir), options));
  PERISCOPE_RETURN_IF_ERROR(fs.createDir(queue->dir_));
  PERISCOPE_RETURN_IF_ERROR(queue->recover());
  return queue;
}

Status DurableQueue::recover() {
  auto names = fs_.listDir(dir_);
  if (!names.isOk()) return names.status();
  std::vector<uint64_t> seqs;
  for (const auto& name : *names) {
    if (auto seq = parseQueueSegmentName(name)) seqs.push_back(*seq);
  }
  // listDir sorts names, and fixed-width names sort by sequence.
  uint64_t max_id = 0;
  std::set<uint64_t> acked;  // an item record of an acked id is never live again
  struct Cut {
    std::string path;
    uint64_t seq = 0;
    uint64_t keep = 0;
  };
  std::optional<Cut> cut;
  {
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < seqs.size(); ++i) {
      const uint64_t seq = seqs[i];
      const std::string path = segmentPath(seq);
      const bool last = i + 1 == seqs.size();
      auto contents = fs_.readAll(path);
      if (!contents.isOk()) return contents.status();
      segments_[seq] = Segment{contents->size(), 0, 0};
      std::optional<WalCorruption> bad_record;
      auto visit = [&](std::string_view record) -> Status {
        const uint64_t offset =
            static_cast<uint64_t>(record.data() - contents->data()) - kWalRecordHeaderBytes;
        auto decoded = decodeQueueRecord(record);
        if (!decoded.isOk()) {
          // An intact frame the queue never writes: damage, not a torn write.
          bad_record = WalCorruption{path, offset, std::string(decoded.status().message())};
          return decoded.status();
        }
        max_id = std::max(max_id, decoded->id);
        if (auto it = live_.find(decoded->id); it != live_.end()) {
          // Acked, or an older copy (compaction copies items forward, keeping their ids).
          eraseLiveLocked(it);
        }
        if (decoded->type == kQueueAckRecord) {
          ++recovery_.acked;
          acked.insert(decoded->id);
        } else if (!acked.contains(decoded->id)) {
          addLiveLocked(
              decoded->id,
              Location{seq, offset, static_cast<uint32_t>(kWalRecordHeaderBytes + record.size()),
                       decoded->items, static_cast<uint32_t>(decoded->payload.size())});
        }
        return Status::ok();
      };
      auto scan = scanSegment(*contents, path, visit);
      ++recovery_.segments;
      if (!scan.isOk()) {
        // A foreign file or a newer format: refuse before anything was changed.
        if (!bad_record)
          return {scan.status().code(), prefix() + std::string(scan.status().message())};
        recovery_.corruptions.push_back(*bad_record);
        continue;
      }
      if (scan->outcome == SegmentScan::Outcome::kClean) continue;
      if (last && scan->outcome == SegmentScan::Outcome::kTornTail) {
        recovery_.truncated_bytes += contents->size() - scan->valid_bytes;
        recovery_.corrupt_tail = true;
        cut = Cut{path, seq, scan->valid_bytes};
        continue;
      }
      // Later records of this segment are lost (and the file is left for inspection); later
      // segments are still read.
      recovery_.corruptions.push_back({path, scan->valid_bytes, scan->reason});
    }
    if (cut) {
      // The torn tail of an interrupted write; with no intact header, the whole file.
      if (cut->keep == 0) {
        PERISCOPE_RETURN_IF_ERROR(fs_.remove(cut->path));
        segments_.erase(cut->seq);
      } else {
        PERISCOPE_RETURN_IF_ERROR(fs_.truncate(cut->path, cut->keep));
        segments_[cut->seq].bytes = cut->keep;
      }
      PERISCOPE_RETURN_IF_ERROR(fs_.syncDir(dir_));
    }
    recovery_.items = live_.size();
    for (const auto& [id, at] : live_) waiting_.insert(waiting_.end(), id);
  }
  next_id_ = max_id + 1;
  // Never append to a recovered file: its tail is exactly what recovery accepted.
  next_seq_ = seqs.empty() ? 1 : seqs.back() + 1;
  std::lock_guard io(io_mu_);
  // A full disk must not stop the queue from opening: its backlog is what frees space once
  // delivered. The failure leaves the queue failed_; the next write tries again.
  (void)createSegmentLocked();
  {
    std::lock_guard lock(mu_);
    dropAckedPrefixLocked();
  }
  // An optimisation only: a failure leaves the queue failed_, and the next write retries.
  if (options_.compact_on_start) (void)compactLocked(/*on_rebound=*/false);
  return Status::ok();
}

}  // namespace periscope::storage
