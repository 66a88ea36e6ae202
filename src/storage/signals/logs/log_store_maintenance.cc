// LogStore: head flush and retention (see log_store.h).
#include <algorithm>
#include <limits>
#include <map>

#include "common/kill_point.h"
#include "common/logging.h"
#include "storage/catalog/lsn_checkpoint.h"
#include "storage/io/durable_file.h"
#include "storage/signals/logs/log_store.h"
#include "storage/signals/logs/log_store_internal.h"

namespace periscope::storage::logs {
namespace {

constexpr uint64_t kForever = std::numeric_limits<uint64_t>::max();

uint64_t ns(std::chrono::nanoseconds d) {
  return d.count() <= 0 ? kForever : static_cast<uint64_t>(d.count());
}

uint64_t addSat(uint64_t a, uint64_t b) {
  return b == kForever || a > kForever - b ? kForever : a + b;
}

bool serviceIs(const model::Resource& r, std::string_view service) {
  const model::AnyValue* v = serviceName(r);
  return v != nullptr && v->type() == model::AnyValue::Type::kString && v->str() == service;
}

// How long a record is kept: the longest matching rule, else the default. kForever = always.
uint64_t retentionOf(const LogStoreOptions& o, int32_t severity, const model::Resource& r) {
  bool matched = false;
  uint64_t best = 0;
  for (const LogRetentionRule& rule : o.retention_rules) {
    if (severity < rule.min_severity) continue;
    if (!rule.service.empty() && !serviceIs(r, rule.service)) continue;
    matched = true;
    best = std::max(best, ns(rule.retention));
  }
  return matched ? best : ns(o.retention);
}

// Bounds of the retention of any record a row group may hold.
void retentionBounds(const LogStoreOptions& o, const LogSegmentMeta& m, const LogRowGroupMeta& rg,
                     uint64_t& lo, uint64_t& hi) {
  lo = hi = ns(o.retention);
  for (const LogRetentionRule& rule : o.retention_rules) {
    if (rg.max_severity < rule.min_severity) continue;
    if (!rule.service.empty()) {
      bool any = false;
      for (uint32_t ri : rg.resources) any = any || serviceIs(m.resources[ri], rule.service);
      if (!any) continue;
    }
    lo = std::min(lo, ns(rule.retention));
    hi = std::max(hi, ns(rule.retention));
  }
}

}  // namespace

std::vector<LogSegmentInfo> LogStore::segments() const {
  std::lock_guard lock(state_mu_);
  std::vector<LogSegmentInfo> out;
  for (const auto& h : segments_) {
    out.push_back({h->meta.id, h->meta.partition_start_ns, h->meta.records, h->meta.file_bytes,
                   h->meta.row_groups.size(), h->meta.min_time_ns, h->meta.max_time_ns});
  }
  return out;
}

void LogStore::refreshWalBytes() {
  auto names = fs_.listDir(options_.dir + "/wal");
  if (!names.isOk()) return;
  uint64_t total = 0;
  for (const std::string& n : *names) {
    auto f = fs_.openRead(options_.dir + "/wal/" + n);
    if (!f.isOk()) continue;
    auto size = (*f)->size();
    if (size.isOk()) total += *size;
  }
  stats_.wal_bytes = total;
}

// ---- Flush ----

Status LogStore::flush() {
  reopenWalIfFailed();
  std::lock_guard flushing(flush_mu_);
  {
    std::unique_lock lock(head_mu_);
    if (!wal_) return Status::ok();
    if (head_->records > 0) {
      std::shared_ptr<Head> old = std::move(head_);
      head_ = std::make_shared<Head>();
      stats_.head_records = 0;
      // Every record in WAL segments before this one is in `old` or an earlier head (appends
      // happen under head_mu_).
      old->wal_segment = wal_->currentSegment();
      std::lock_guard state(state_mu_);
      flushing_.push_back(old);
      queued_records_ += old->records;
      unflushed_.push_back(std::move(old));
    }
  }
  // Oldest first, stopping at the first failure: a checkpoint must never pass a head whose
  // records are not in segments yet, or a crash would skip them in the WAL replay.
  while (!unflushed_.empty()) {
    PERISCOPE_RETURN_IF_ERROR(flushOne(unflushed_.front()));
    {
      // Under head_mu_ so that a writer cannot test the limit between this and the notify.
      std::unique_lock lock(head_mu_);
      queued_records_ -= unflushed_.front()->records;
    }
    unflushed_.pop_front();
    head_cv_.notify_all();
  }
  return Status::ok();
}

Result<std::shared_ptr<LogStore::SegmentHandle>> LogStore::writeSegment(
    std::span<const RecordRef> refs, uint64_t wal_lsn, std::vector<uint64_t> replaces) {
  LogSegmentMeta meta;
  {
    std::lock_guard lock(state_mu_);
    meta.id = next_segment_id_++;
  }
  meta.wal_lsn = wal_lsn;
  meta.replaces = std::move(replaces);
  meta.partition_start_ns = refs.front().time_ns / kPartitionNs * kPartitionNs;
  LogSegmentEncodeOptions eo;
  eo.zstd_level = options_.zstd_level;
  eo.row_group_rows = options_.row_group_rows;
  std::string bytes = encodeLogSegment(refs, meta, eo);
  std::string path = segmentPath(meta.id);
  // On any failure the file goes: writeFileDurably may fail after its rename (directory sync),
  // and an orphan whose LSN the next checkpoint covers would be served twice after a restart.
  Status put = writeFileDurably(fs_, options_.dir, path, bytes, "logs.segment");
  if (!put.isOk()) {
    (void)fs_.remove(path);
    return put;
  }
  auto h = std::make_shared<SegmentHandle>();
  h->meta = std::move(meta);
  h->path = path;
  auto reader = fs_.openRead(path);
  if (!reader.isOk()) {
    (void)fs_.remove(path);
    return reader.status();
  }
  h->file = std::move(*reader);
  return h;
}

Status LogStore::flushOne(const std::shared_ptr<Head>& old) {
  killPoint("logs.flush.start");
  {
    // Every batch needs its WAL answer first: one the WAL refuses must not reach a segment.
    std::unique_lock lock(wal_answer_mu_);
    bool answered = wal_answer_cv_.wait_for(lock, std::chrono::minutes(1), [&] {
      for (const auto& b : old->batches)
        if (b->wal_state.load(std::memory_order_acquire) == HeadBatch::kWalPending) return false;
      return true;
    });
    if (!answered) {
      stats_.flush_failures++;
      return Status(StatusCode::kUnavailable,
                    "log store " + options_.dir + ": a WAL write has had no answer for a minute");
    }
  }
  std::vector<RecordRef> refs;
  refs.reserve(old->records);
  for (const auto& b : old->batches)
    if (b->usable())
      for (const auto& rl : b->logs.resources())
        for (const auto& sl : rl.scope_logs)
          for (const auto& r : sl.log_records) refs.push_back({&rl, &sl, &r, recordTime(r)});
  // Stable: records of one time keep their arrival order.
  std::stable_sort(refs.begin(), refs.end(),
                   [](const RecordRef& a, const RecordRef& b) { return a.time_ns < b.time_ns; });
  std::vector<std::shared_ptr<SegmentHandle>> written;
  Status st;
  for (size_t i = 0; i < refs.size();) {
    const uint64_t partition = refs[i].time_ns / kPartitionNs;
    size_t j = i;
    while (j < refs.size() && refs[j].time_ns / kPartitionNs == partition) ++j;
    auto h = writeSegment(std::span<const RecordRef>(refs).subspan(i, j - i), old->max_lsn, {});
    if (!h.isOk()) {
      st = h.status();
      break;
    }
    written.push_back(std::move(*h));
    i = j;
  }
  if (st.isOk())
    st = writeLsnCheckpoint(fs_, options_.dir, options_.dir + "/checkpoint", old->max_lsn,
                            "logs.checkpoint");
  if (!st.isOk() && !written.empty()) {
    // The checkpoint may be in place even so (a failed directory sync after its rename): then
    // the WAL replay skips these records, so the segments must stay. Read it back to know.
    auto on_disk = readLsnCheckpoint(fs_, options_.dir + "/checkpoint");
    if (on_disk.isOk() && *on_disk >= old->max_lsn) {
      log::warn("logs", "log checkpoint written but its directory sync failed",
                {{"error", st.toString()}});
      st = Status::ok();
    }
  }
  if (!st.isOk()) {
    // The head stays readable in flushing_ and its records in the WAL; the next flush retries
    // it first. Orphan segments go now, or at the next open (their LSN is past the checkpoint).
    for (const auto& h : written) (void)fs_.remove(h->path);
    stats_.flush_failures++;
    log::error("logs", "log head flush failed; will retry", {{"error", st.toString()}});
    return st;
  }
  {
    std::lock_guard state(state_mu_);
    for (auto& h : written) {
      stats_.segment_bytes += h->meta.file_bytes;
      stats_.segment_records += h->meta.records;
      segments_.push_back(std::move(h));
    }
    stats_.segments = segments_.size();
    flushing_.erase(std::remove(flushing_.begin(), flushing_.end(), old), flushing_.end());
  }
  stats_.head_flushes++;
  killPoint("logs.flush.before_wal_truncate");
  Status trunc = wal_->truncateBefore(old->wal_segment);
  if (!trunc.isOk())
    log::warn("logs", "cannot truncate the log WAL after a flush", {{"error", trunc.toString()}});
  refreshWalBytes();
  return Status::ok();
}

// ---- Segments ----

Status LogStore::replaceSegments(const std::vector<std::shared_ptr<SegmentHandle>>& old,
                                 std::shared_ptr<SegmentHandle> fresh) {
  {
    std::lock_guard state(state_mu_);
    for (const auto& o : old) {
      auto it = std::find(segments_.begin(), segments_.end(), o);
      if (it == segments_.end()) continue;  // quarantined meanwhile
      stats_.segment_bytes -= o->meta.file_bytes;
      stats_.segment_records -= o->meta.records;
      segments_.erase(it);
    }
    if (fresh) {
      stats_.segment_bytes += fresh->meta.file_bytes;
      stats_.segment_records += fresh->meta.records;
      segments_.push_back(std::move(fresh));
      std::sort(segments_.begin(), segments_.end(),
                [](const auto& a, const auto& b) { return a->meta.id < b->meta.id; });
    }
    stats_.segments = segments_.size();
  }
  killPoint("logs.rewrite.before_delete");
  for (const auto& o : old) {
    Status st = fs_.remove(o->path);
    if (!st.isOk() && !o->quarantined) return st;
  }
  return fs_.syncDir(options_.dir);
}

void LogStore::quarantine(const std::shared_ptr<SegmentHandle>& h, const Status& why) const {
  if (h->quarantined.exchange(true)) return;
  {
    std::lock_guard state(state_mu_);
    auto it = std::find(segments_.begin(), segments_.end(), h);
    if (it == segments_.end()) return;
    segments_.erase(it);
    stats_.segment_bytes -= h->meta.file_bytes;
    stats_.segment_records -= h->meta.records;
    stats_.segments = segments_.size();
  }
  stats_.segments_quarantined++;
  std::string name = h->path.substr(h->path.rfind('/') + 1);
  Status moved = fs_.createDir(options_.dir + "/quarantine");
  if (moved.isOk()) moved = fs_.rename(h->path, options_.dir + "/quarantine/" + name);
  log::error("logs", "log segment is damaged; moved to quarantine, its records are not served",
             {{"file", h->path},
              {"error", why.toString()},
              {"moved", moved.isOk() ? "yes" : moved.toString()}});
}

// ---- Retention ----

Status LogStore::rewriteSegments(const std::vector<std::shared_ptr<SegmentHandle>>& inputs,
                                 uint64_t now) {
  std::vector<model::Logs> parts;
  std::vector<uint64_t> replaces;
  uint64_t wal_lsn = 0;
  for (const auto& h : inputs) {
    for (size_t g = 0; g < h->meta.row_groups.size(); ++g) {
      parts.emplace_back();
      auto n = readRowGroup(h, g, RowFilter{}, parts.back());
      if (!n.isOk()) {
        if (n.status().code() == StatusCode::kDataLoss) quarantine(h, n.status());
        return n.status();
      }
    }
    replaces.push_back(h->meta.id);
    wal_lsn = std::max(wal_lsn, h->meta.wal_lsn);
  }
  std::vector<RecordRef> keep;
  uint64_t next_expiry = kForever, dropped = 0;
  for (const model::Logs& p : parts) {
    for (const auto& rl : p.resources()) {
      for (const auto& sl : rl.scope_logs) {
        for (const auto& r : sl.log_records) {
          uint64_t t = recordTime(r);
          uint64_t expiry = addSat(t, retentionOf(options_, r.severity_number, rl.resource));
          if (expiry <= now) {
            ++dropped;
            continue;
          }
          next_expiry = std::min(next_expiry, expiry);
          keep.push_back({&rl, &sl, &r, t});
        }
      }
    }
  }
  if (dropped == 0 && inputs.size() == 1) {
    inputs.front()->next_expiry_check_ns = next_expiry;
    return Status::ok();
  }
  std::shared_ptr<SegmentHandle> fresh;
  if (!keep.empty()) {
    std::stable_sort(keep.begin(), keep.end(),
                     [](const RecordRef& a, const RecordRef& b) { return a.time_ns < b.time_ns; });
    auto w = writeSegment(keep, wal_lsn, replaces);
    if (!w.isOk()) return w.status();
    fresh = std::move(*w);
    fresh->next_expiry_check_ns = next_expiry;
  }
  if (dropped > 0) {
    stats_.retention_deleted_records += dropped;
    if (fresh)
      stats_.retention_rewrites++;
    else
      stats_.retention_deleted_segments += inputs.size();
  }
  if (inputs.size() > 1) stats_.compactions++;
  return replaceSegments(inputs, std::move(fresh));
}

Status LogStore::compact() {
  std::lock_guard lock(maintenance_mu_);
  const uint64_t now = now_();
  std::vector<std::shared_ptr<SegmentHandle>> live;
  {
    std::lock_guard state(state_mu_);
    live = segments_;
  }
  // Small segments of an hour that has ended (its flushes are mostly done) merge into files of
  // up to compaction_target_bytes: fewer files (each stays open), fewer footers, longer runs.
  std::map<uint64_t, std::vector<std::shared_ptr<SegmentHandle>>> small;
  for (const auto& h : live) {
    if (h->meta.partition_start_ns + kPartitionNs > now) continue;
    if (h->meta.file_bytes * 2 > options_.compaction_target_bytes) continue;
    small[h->meta.partition_start_ns].push_back(h);
  }
  for (auto& [partition, segs] : small) {
    std::vector<std::shared_ptr<SegmentHandle>> group;
    uint64_t bytes = 0;
    auto flushGroup = [&]() -> Status {
      Status st = group.size() > 1 ? rewriteSegments(group, now) : Status::ok();
      group.clear();
      bytes = 0;
      return st;
    };
    for (const auto& h : segs) {
      if (bytes + h->meta.file_bytes > options_.compaction_target_bytes)
        PERISCOPE_RETURN_IF_ERROR(flushGroup());
      group.push_back(h);
      bytes += h->meta.file_bytes;
    }
    PERISCOPE_RETURN_IF_ERROR(flushGroup());
  }
  return Status::ok();
}

Status LogStore::applyRetention() {
  std::lock_guard lock(maintenance_mu_);
  const uint64_t now = now_();
  std::vector<std::shared_ptr<SegmentHandle>> live;
  {
    std::lock_guard state(state_mu_);
    live = segments_;
  }
  // A failure on one file (e.g. a rewrite on a full disk) does not stop the rest: deletes need
  // no space and are what frees it. The first error is returned.
  Status first;
  auto note = [&first](Status st) {
    if (!st.isOk() && first.isOk()) first = std::move(st);
    return first.isOk();
  };
  // By age and policy: whole files past every record's retention go; files that may hold
  // expired records are rewritten without them.
  for (const auto& h : live) {
    uint64_t newest_expiry = 0, oldest_expiry = kForever;
    for (const LogRowGroupMeta& rg : h->meta.row_groups) {
      uint64_t lo, hi;
      retentionBounds(options_, h->meta, rg, lo, hi);
      newest_expiry = std::max(newest_expiry, addSat(rg.max_time_ns, hi));
      oldest_expiry = std::min(oldest_expiry, addSat(rg.min_time_ns, lo));
    }
    if (newest_expiry <= now) {
      Status st = replaceSegments({h}, nullptr);
      if (st.isOk()) {
        stats_.retention_deleted_records += h->meta.records;
        stats_.retention_deleted_segments++;
      }
      note(std::move(st));
    } else if (oldest_expiry <= now && h->next_expiry_check_ns <= now) {
      note(rewriteSegments({h}, now));
    }
  }
  // By size: whole oldest hour partitions first.
  if (options_.max_bytes == 0) return first;
  while (stats_.segment_bytes > options_.max_bytes) {
    {
      std::lock_guard state(state_mu_);
      live = segments_;
    }
    if (live.empty()) break;
    uint64_t oldest = kForever;
    for (const auto& h : live) oldest = std::min(oldest, h->meta.partition_start_ns);
    bool deleted = false;
    for (const auto& h : live) {
      if (h->meta.partition_start_ns != oldest) continue;
      Status st = replaceSegments({h}, nullptr);
      if (st.isOk()) {
        stats_.retention_deleted_records += h->meta.records;
        stats_.retention_deleted_segments++;
        deleted = true;
      }
      note(std::move(st));
    }
    if (!deleted) break;  // the oldest partition cannot go: stop rather than spin
  }
  return first;
}

}  // namespace periscope::storage::logs
