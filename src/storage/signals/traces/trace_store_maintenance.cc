// TraceStore: head flush, compaction and retention (see trace_store.h).
#include <algorithm>
#include <cstring>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "common/kill_point.h"
#include "common/logging.h"
#include "storage/io/durable_file.h"
#include "storage/signals/traces/trace_store.h"
#include "storage/signals/traces/trace_store_internal.h"

namespace periscope::storage {

// ---- Flush, segments ----

SegmentMeta TraceStore::newSegmentMeta(uint64_t wal_lsn, std::vector<uint64_t> replaces) {
  SegmentMeta meta;
  {
    std::lock_guard lock(state_mu_);
    meta.id = next_segment_id_++;
  }
  meta.wal_lsn = wal_lsn;
  meta.replaces = std::move(replaces);
  return meta;
}

SegmentEncodeOptions TraceStore::encodeOptions(int level) const {
  SegmentEncodeOptions eo;
  eo.zstd_level = level;
  eo.attribute_cardinality_cap = options_.attribute_cardinality_cap;
  eo.row_group_rows = options_.row_group_rows;
  return eo;
}

Result<std::shared_ptr<TraceStore::SegmentHandle>> TraceStore::writeSegment(
    const std::string& bytes, SegmentMeta meta) {
  const uint64_t id = meta.id;
  std::string path = segmentPath(id);
  // On any failure the file goes: writeFileDurably may fail after its rename (directory sync),
  // and an orphan whose LSN the next checkpoint covers would be served twice after a restart.
  Status put = writeFileDurably(fs_, options_.dir, path, bytes, "segment");
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
  h->groups.resize(h->meta.row_groups.size());
  return h;
}

Status TraceStore::flushHead() {
  std::lock_guard flushing(flush_mu_);
  {
    std::unique_lock lock(head_mu_);
    if (!wal_) return Status::ok();
    if (head_->rows > 0) {
      std::shared_ptr<Head> old = std::move(head_);
      head_ = std::make_shared<Head>();
      stats_.head_spans = 0;
      // Every record in WAL segments before this one is in `old` or an earlier head (appends
      // happen under head_mu_).
      old->wal_segment = wal_->currentSegment();
      std::lock_guard state(state_mu_);
      flushing_.push_back(old);
      unflushed_.push_back(std::move(old));
    }
  }
  // Oldest first, and stop at the first failure: a checkpoint must never pass a head whose
  // spans are not in segments yet, or a crash would skip them in the WAL replay.
  while (!unflushed_.empty()) {
    PERISCOPE_RETURN_IF_ERROR(flushOne(unflushed_.front()));
    unflushed_.pop_front();
  }
  return Status::ok();
}

Status TraceStore::flushOne(const std::shared_ptr<Head>& old) {
  killPoint("flush.start");
  // Each head chunk becomes one row group (its rows reordered by trace, its dictionary kept);
  // one segment per hour partition, so that retention can drop whole files.
  std::map<uint64_t, std::vector<SpanTable>> parts;
  for (const auto& chunk : old->chunks) {
    const SpanTable& t = chunk->table;
    std::map<uint64_t, std::vector<uint32_t>> rows_by_part;
    for (uint32_t r = 0; r < t.rows(); ++r) rows_by_part[partitionOf(t.start_ns[r])].push_back(r);
    for (auto& [partition, rows] : rows_by_part)
      parts[partition].push_back(SpanTable::copyRows(t, segmentOrder(t, std::move(rows))));
  }
  std::vector<std::shared_ptr<SegmentHandle>> written;
  Status st;
  for (auto& [partition, groups] : parts) {
    SegmentMeta meta = newSegmentMeta(old->max_lsn, {});
    std::string bytes = encodeRowGroups(groups, meta, encodeOptions(options_.flush_zstd_level));
    auto h = writeSegment(bytes, std::move(meta));
    if (!h.isOk()) {
      st = h.status();
      break;
    }
    written.push_back(std::move(*h));
  }
  if (st.isOk()) st = writeCheckpoint(old->max_lsn);
  if (!st.isOk() && !written.empty()) {
    // The checkpoint may be in place even so (a failed directory sync after its rename): then
    // the WAL replay skips these spans, so the segments must stay. Read it back to know.
    auto on_disk = readCheckpoint();
    if (on_disk.isOk() && *on_disk >= old->max_lsn) {
      log::warn("store", "checkpoint written but its directory sync failed",
                {{"error", st.toString()}});
      st = Status::ok();
    }
  }
  if (!st.isOk()) {
    // The head stays readable in flushing_ and its spans stay in the WAL; the next flush
    // retries it first. Orphan segments are removed now, or at the next open (their LSN is
    // past the checkpoint).
    for (const auto& h : written) (void)fs_.remove(h->path);
    stats_.flush_failures++;
    log::error("store", "head flush failed; will retry", {{"error", st.toString()}});
    return st;
  }
  {
    std::lock_guard state(state_mu_);
    for (auto& h : written) {
      stats_.segment_bytes += h->meta.file_bytes;
      stats_.segment_spans += h->meta.spans;
      segments_.push_back(std::move(h));
    }
    stats_.segments = segments_.size();
    flushing_.erase(std::remove(flushing_.begin(), flushing_.end(), old), flushing_.end());
  }
  stats_.head_flushes++;
  killPoint("flush.before_wal_truncate");
  Status trunc = wal_->truncateBefore(old->wal_segment);
  if (!trunc.isOk())
    log::warn("store", "cannot truncate the WAL after a flush", {{"error", trunc.toString()}});
  return Status::ok();
}

Status TraceStore::replaceSegments(const std::vector<std::shared_ptr<SegmentHandle>>& old,
                                   std::vector<std::shared_ptr<SegmentHandle>> fresh) {
  {
    std::lock_guard state(state_mu_);
    for (const auto& o : old) {
      segments_.erase(std::remove(segments_.begin(), segments_.end(), o), segments_.end());
      stats_.segment_bytes -= o->meta.file_bytes;
      stats_.segment_spans -= o->meta.spans;
    }
    for (auto& f : fresh) {
      stats_.segment_bytes += f->meta.file_bytes;
      stats_.segment_spans += f->meta.spans;
      segments_.push_back(std::move(f));
    }
    std::sort(segments_.begin(), segments_.end(),
              [](const auto& a, const auto& b) { return a->meta.id < b->meta.id; });
    stats_.segments = segments_.size();
  }
  {
    std::lock_guard cache(cache_mu_);
    for (const auto& o : old) {
      for (auto& g : o->groups) {
        cache_bytes_ -= g.bytes;
        g.bytes = 0;
        g.loaded.reset();
      }
    }
  }
  killPoint("compaction.before_delete");
  for (const auto& o : old) PERISCOPE_RETURN_IF_ERROR(fs_.remove(o->path));
  return fs_.syncDir(options_.dir);
}

Status TraceStore::rewritePartition(const std::vector<std::shared_ptr<SegmentHandle>>& inputs,
                                    const std::function<bool(const SpanTable&, uint32_t)>& keep,
                                    bool count_as_retention) {
  SpanTable merged;
  uint64_t wal_lsn = 0;
  std::vector<uint64_t> replaces;
  uint64_t dropped = 0;
  for (const auto& h : inputs) {
    for (size_t g = 0; g < h->groups.size(); ++g) {
      auto seg = load(h, g);
      if (!seg.isOk()) return seg.status();
      std::vector<uint32_t> rows;
      const SpanTable& t = (*seg)->table;
      for (uint32_t r = 0; r < t.rows(); ++r) {
        if (!keep || keep(t, r))
          rows.push_back(r);
        else
          ++dropped;
      }
      merged.appendRows(t, rows);
    }
    wal_lsn = std::max(wal_lsn, h->meta.wal_lsn);
    replaces.push_back(h->meta.id);
  }
  std::vector<std::shared_ptr<SegmentHandle>> fresh;
  if (merged.rows() > 0) {
    SpanTable sorted = sortedByTrace(merged);
    SegmentMeta meta = newSegmentMeta(wal_lsn, replaces);
    std::string bytes = encodeSegment(sorted, meta, encodeOptions(options_.compaction_zstd_level));
    auto h = writeSegment(bytes, std::move(meta));
    if (!h.isOk()) return h.status();
    fresh.push_back(std::move(*h));
  } else {
    killPoint("retention.before_delete");
  }
  if (count_as_retention) {
    stats_.retention_deleted_spans += dropped;
    if (fresh.empty()) stats_.retention_deleted_segments += inputs.size();
  } else {
    stats_.compactions++;
  }
  return replaceSegments(inputs, std::move(fresh));
}

Status TraceStore::compact() {
  std::lock_guard maintenance(maintenance_mu_);
  std::map<uint64_t, std::vector<std::shared_ptr<SegmentHandle>>> parts;
  {
    std::lock_guard state(state_mu_);
    for (const auto& h : segments_) parts[h->meta.partition_start_ns].push_back(h);
  }
  // An hour partition counts as closed 10 minutes after its end: late spans after that are
  // rare, and if they come they land in a new segment that the next round merges again.
  const uint64_t closed_before = now() - 600'000'000'000ull;
  constexpr uint64_t kHour = 3'600'000'000'000ull;
  for (auto& [partition, segs] : parts) {
    bool closed = partition + kHour < closed_before;
    // Merge runs of small segments; a closed partition's single fresh flush is recompressed.
    std::vector<std::shared_ptr<SegmentHandle>> group;
    uint64_t bytes = 0;
    for (const auto& h : segs) {
      if (h->meta.file_bytes >= options_.compaction_target_bytes) continue;
      if (bytes + h->meta.file_bytes > options_.compaction_target_bytes && group.size() > 1) {
        PERISCOPE_RETURN_IF_ERROR(rewritePartition(group, nullptr, false));
        group.clear();
        bytes = 0;
      }
      group.push_back(h);
      bytes += h->meta.file_bytes;
    }
    bool worth = group.size() >= (closed ? 2u : 8u) ||
                 (closed && group.size() == 1 && group[0]->meta.replaces.empty());
    if (worth) PERISCOPE_RETURN_IF_ERROR(rewritePartition(group, nullptr, false));
  }
  return Status::ok();
}

// ---- Retention ----

namespace {

// Resolved per table: rule → (service id, attribute (key id, text)) so rows compare ids.
int64_t ruleRetentionNs(const TraceStoreOptions& o, const SpanTable& t, uint32_t r) {
  for (const RetentionRule& rule : o.retention_rules) {
    if (!rule.service.empty() && t.dict.get(t.serviceOf(r)) != rule.service) continue;
    if (rule.errors_only && !t.isError(r)) continue;
    bool all = true;
    for (const auto& [k, v] : rule.attributes) {
      uint32_t key = t.dict.find(k);
      if (key == UINT32_MAX || !t.hasTag(r, key, v)) {
        all = false;
        break;
      }
    }
    if (all) return rule.retention.count();
  }
  return o.retention.count();
}

}  // namespace

Status TraceStore::applyRetention() {
  std::lock_guard maintenance(maintenance_mu_);
  const uint64_t t_now = now();
  uint64_t min_ttl = static_cast<uint64_t>(options_.retention.count());
  uint64_t max_ttl = min_ttl;
  for (const auto& r : options_.retention_rules) {
    min_ttl = std::min(min_ttl, static_cast<uint64_t>(r.retention.count()));
    max_ttl = std::max(max_ttl, static_cast<uint64_t>(r.retention.count()));
  }
  std::map<uint64_t, std::vector<std::shared_ptr<SegmentHandle>>> parts;
  {
    std::lock_guard state(state_mu_);
    for (const auto& h : segments_) parts[h->meta.partition_start_ns].push_back(h);
  }
  for (auto& [partition, segs] : parts) {
    uint64_t min_start = UINT64_MAX, max_start = 0;
    for (const auto& h : segs) {
      min_start = std::min(min_start, h->meta.min_start_ns);
      max_start = std::max(max_start, h->meta.max_start_ns);
    }
    if (min_start + min_ttl > t_now) continue;  // nothing here can have expired
    auto next = partition_next_expiry_.find(partition);
    if (next != partition_next_expiry_.end() && next->second > t_now) continue;
    if (max_start + max_ttl <= t_now) {  // everything expired: drop whole files
      PERISCOPE_RETURN_IF_ERROR(rewritePartition(
          segs, [](const SpanTable&, uint32_t) { return false; }, true));
      partition_next_expiry_.erase(partition);
      continue;
    }
    // Per trace: the longest retention any of its spans asks for, from its first span's start.
    std::unordered_map<TraceId, std::pair<uint64_t, int64_t>, TraceIdHash> traces;  // start, ttl
    for (const auto& h : segs) {
      for (size_t g = 0; g < h->groups.size(); ++g) {
        auto seg = load(h, g);
        if (!seg.isOk()) return seg.status();
        const SpanTable& t = (*seg)->table;
        for (uint32_t r = 0; r < t.rows(); ++r) {
          auto [it, inserted] = traces.emplace(t.trace_id[r], std::make_pair(t.start_ns[r], 0));
          it->second.first = std::min(it->second.first, t.start_ns[r]);
          it->second.second = std::max(it->second.second, ruleRetentionNs(options_, t, r));
        }
      }
    }
    uint64_t next_expiry = UINT64_MAX;
    bool any_expired = false;
    for (const auto& [id, v] : traces) {
      uint64_t until = v.first + static_cast<uint64_t>(v.second);
      if (until <= t_now)
        any_expired = true;
      else
        next_expiry = std::min(next_expiry, until);
    }
    if (any_expired) {
      PERISCOPE_RETURN_IF_ERROR(rewritePartition(
          segs,
          [&](const SpanTable& t, uint32_t r) {
            const auto& v = traces.at(t.trace_id[r]);
            return v.first + static_cast<uint64_t>(v.second) > t_now;
          },
          true));
    }
    partition_next_expiry_[partition] = next_expiry;
  }
  // Size bound: oldest partitions go first, whole.
  if (options_.max_bytes > 0) {
    while (stats_.segment_bytes.load() > options_.max_bytes) {
      std::vector<std::shared_ptr<SegmentHandle>> oldest;
      {
        std::lock_guard state(state_mu_);
        if (segments_.empty()) break;
        uint64_t p = UINT64_MAX;
        for (const auto& h : segments_) p = std::min(p, h->meta.partition_start_ns);
        for (const auto& h : segments_)
          if (h->meta.partition_start_ns == p) oldest.push_back(h);
      }
      uint64_t spans = 0;
      for (const auto& h : oldest) spans += h->meta.spans;
      log::info("store", "size limit reached; deleting the oldest partition",
                {{"segments", std::to_string(oldest.size())}, {"spans", std::to_string(spans)}});
      killPoint("retention.before_delete");
      stats_.retention_deleted_spans += spans;
      stats_.retention_deleted_segments += oldest.size();
      PERISCOPE_RETURN_IF_ERROR(replaceSegments(oldest, {}));
    }
  }
  rebuildCatalog();
  return Status::ok();
}

}  // namespace periscope::storage
