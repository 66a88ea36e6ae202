#include "storage/signals/traces/trace_store.h"

#include <algorithm>
#include <cstring>
#include <future>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "common/kill_point.h"
#include "common/logging.h"
#include "model/otlp/proto_decoder.h"
#include "model/otlp/proto_encoder.h"
#include "storage/codec/byte_io.h"

namespace periscope::storage {
namespace {

constexpr std::string_view kSegmentPrefix = "seg-";
constexpr std::string_view kSegmentSuffix = ".pst";
constexpr std::string_view kCheckpoint = "checkpoint";
constexpr std::string_view kCheckpointMagic = "PSCCKPT1";

struct TraceIdHash {
  size_t operator()(const TraceId& id) const {
    uint64_t v;
    std::memcpy(&v, id.data() + 8, 8);
    return static_cast<size_t>(v);
  }
};

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::optional<uint64_t> parseSegmentName(std::string_view name) {
  if (name.substr(0, kSegmentPrefix.size()) != kSegmentPrefix || !endsWith(name, kSegmentSuffix))
    return std::nullopt;
  std::string_view digits = name.substr(
      kSegmentPrefix.size(), name.size() - kSegmentPrefix.size() - kSegmentSuffix.size());
  if (digits.empty() || digits.size() > 20) return std::nullopt;
  uint64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

uint64_t steadyMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace

struct TraceStore::Head {
  SpanTable table;
  std::unordered_map<TraceId, std::vector<uint32_t>, TraceIdHash> by_trace;
  std::set<std::tuple<uint32_t, uint32_t, int32_t>> ops;  // (service, name, kind) ids
  uint64_t max_lsn = 0;
  uint64_t min_start = UINT64_MAX, max_start = 0;
  uint64_t created_ms = steadyMs();
};

struct TraceStore::SegmentHandle {
  SegmentMeta meta;
  std::string path;
  // Open for the handle's lifetime: a reader holding the handle can still read a segment that
  // compaction or retention unlinked after the reader's snapshot (the inode lives on).
  std::mutex file_mu;
  std::unique_ptr<ReadableFile> file;
  // Decoded row groups while cached (guarded by TraceStore::cache_mu_).
  struct Cached {
    std::shared_ptr<const LoadedRowGroup> loaded;
    uint64_t last_use = 0;
    uint64_t bytes = 0;
  };
  std::vector<Cached> groups;
};

struct TraceStore::View {
  std::vector<std::shared_ptr<const Head>> heads;  // flushing heads (immutable)
  std::vector<std::shared_ptr<SegmentHandle>> segments;
};

TraceStore::TraceStore(FileSystem& fs, TraceStoreOptions options, NowFn now)
    : fs_(fs), options_(std::move(options)), now_(std::move(now)) {
  if (!now_) {
    now_ = [] {
      return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
    };
  }
  head_ = std::make_shared<Head>();
}

std::string TraceStore::segmentPath(uint64_t id) const {
  char name[40];
  std::snprintf(name, sizeof name, "seg-%016llu.pst", static_cast<unsigned long long>(id));
  return options_.dir + "/" + name;
}

Result<std::unique_ptr<TraceStore>> TraceStore::open(FileSystem& fs, TraceStoreOptions options,
                                                     NowFn now) {
  std::unique_ptr<TraceStore> store(new TraceStore(fs, std::move(options), std::move(now)));
  PERISCOPE_RETURN_IF_ERROR(store->recover());
  store->bg_ = std::thread([s = store.get()] { s->run(); });
  return store;
}

TraceStore::~TraceStore() {
  (void)close();
}

Status TraceStore::close() {
  {
    std::lock_guard lock(bg_mu_);
    if (closed_) return Status::ok();
    closed_ = true;
    stop_ = true;
  }
  bg_cv_.notify_all();
  if (bg_.joinable()) bg_.join();
  // A clean stop leaves the WAL short, so the next start replays little.
  Status st = wal_ ? flushHead() : Status::ok();
  std::unique_ptr<Wal> wal;
  {
    std::unique_lock lock(head_mu_);  // write() checks wal_ under this lock
    wal = std::move(wal_);
  }
  wal.reset();  // writes and syncs what is queued, answering its senders
  return st;
}

// ---- Recovery ----

Result<uint64_t> TraceStore::readCheckpoint() {
  std::string path = options_.dir + "/" + std::string(kCheckpoint);
  auto exists = fs_.exists(path);
  if (!exists.isOk()) return exists.status();
  if (!*exists) return uint64_t{0};
  auto bytes = fs_.readAll(path);
  if (!bytes.isOk()) return bytes.status();
  ByteReader r(*bytes);
  std::string_view magic = r.raw(kCheckpointMagic.size());
  uint64_t lsn = r.u64();
  uint32_t check = r.u32();
  if (r.fail() || magic != kCheckpointMagic ||
      check != static_cast<uint32_t>(lsn ^ (lsn >> 32) ^ 0x5a5a5a5a))
    return Status(StatusCode::kDataLoss,
                  path + " is damaged; refusing to guess which WAL records are already flushed");
  return lsn;
}

Status TraceStore::writeCheckpoint(uint64_t lsn) {
  std::string bytes;
  ByteWriter w(bytes);
  w.raw(kCheckpointMagic);
  w.u64(lsn);
  w.u32(static_cast<uint32_t>(lsn ^ (lsn >> 32) ^ 0x5a5a5a5a));
  std::string path = options_.dir + "/" + std::string(kCheckpoint);
  std::string tmp = path + ".tmp";
  (void)fs_.remove(tmp);
  auto f = fs_.openAppend(tmp);
  if (!f.isOk()) return f.status();
  PERISCOPE_RETURN_IF_ERROR((*f)->append(bytes));
  PERISCOPE_RETURN_IF_ERROR((*f)->sync());
  PERISCOPE_RETURN_IF_ERROR((*f)->close());
  killPoint("checkpoint.before_rename");
  PERISCOPE_RETURN_IF_ERROR(fs_.rename(tmp, path));
  killPoint("checkpoint.after_rename");
  return fs_.syncDir(options_.dir);
}

Status TraceStore::recover() {
  PERISCOPE_RETURN_IF_ERROR(fs_.createDir(options_.dir));
  auto entries = fs_.listDir(options_.dir);
  if (!entries.isOk()) return entries.status();
  for (const std::string& name : *entries) {
    bool ours = name == "wal" || name == "quarantine" || name == kCheckpoint ||
                name == std::string(kCheckpoint) + ".tmp" || parseSegmentName(name) ||
                (endsWith(name, ".tmp") && parseSegmentName(name.substr(0, name.size() - 4)));
    if (!ours)
      return Status(StatusCode::kFailedPrecondition,
                    options_.dir + " holds \"" + name +
                        "\", which is not a trace store file; refusing to use a directory that "
                        "is not ours (point storage.path elsewhere or remove it)");
  }
  auto checkpoint = readCheckpoint();
  if (!checkpoint.isOk()) return checkpoint.status();
  PERISCOPE_RETURN_IF_ERROR(loadSegments(*checkpoint));

  WalOptions wo;
  wo.sync = options_.fsync;
  wo.sync_interval = options_.sync_interval;
  wo.group_commit_window = options_.group_commit_window;
  wo.segment_bytes = options_.wal_segment_bytes;
  uint64_t max_lsn = *checkpoint;
  auto wal =
      Wal::open(fs_, options_.dir + "/wal", wo, [&](uint64_t, std::string_view record) -> Status {
        ByteReader r(record);
        uint64_t lsn = r.u64();
        if (r.fail()) return Status(StatusCode::kDataLoss, "WAL record shorter than 8 bytes");
        max_lsn = std::max(max_lsn, lsn);
        if (lsn <= *checkpoint) return Status::ok();
        model::Traces batch;
        Status st = model::otlp::decode(record.substr(8), batch);
        if (!st.isOk())
          return Status(StatusCode::kDataLoss, "WAL record " + std::to_string(lsn) +
                                                   " passed its checksum but does not decode: " +
                                                   std::string(st.message()));
        stats_.wal_records_replayed++;
        stats_.wal_spans_replayed += batch.itemCount();
        appendToHead(batch, lsn);
        return Status::ok();
      });
  if (!wal.isOk()) return wal.status();
  wal_ = std::move(*wal);
  wal_recovery_ = wal_->recoveryStats();
  stats_.wal_truncated_bytes = wal_recovery_.truncated_bytes;
  stats_.wal_corrupt_segments = wal_recovery_.corruptions.size();
  next_lsn_ = max_lsn + 1;
  // A long replay may leave more than a head's worth: flush as soon as the thread starts.
  flush_requested_ = head_->table.rows() >= options_.head_max_spans;
  if (wal_recovery_.corrupt_tail || !wal_recovery_.corruptions.empty()) {
    log::warn("store", "WAL recovered with damage",
              {{"dir", options_.dir + "/wal"},
               {"truncated_bytes", std::to_string(wal_recovery_.truncated_bytes)},
               {"corrupt_segments", std::to_string(wal_recovery_.corruptions.size())}});
  }
  for (const auto& c : wal_recovery_.corruptions) {
    log::error("store", "WAL segment damaged mid-log; later records of it were not replayed",
               {{"file", c.file}, {"offset", std::to_string(c.offset)}, {"reason", c.reason}});
  }
  return Status::ok();
}

Status TraceStore::loadSegments(uint64_t checkpoint_lsn) {
  auto entries = fs_.listDir(options_.dir);
  if (!entries.isOk()) return entries.status();
  std::map<uint64_t, std::shared_ptr<SegmentHandle>> found;
  for (const std::string& name : *entries) {
    std::string path = options_.dir + "/" + name;
    if (endsWith(name, ".tmp")) {  // an interrupted write; its data is still in the WAL
      PERISCOPE_RETURN_IF_ERROR(fs_.remove(path));
      continue;
    }
    auto id = parseSegmentName(name);
    if (!id) continue;
    next_segment_id_ = std::max(next_segment_id_, *id + 1);
    auto file = fs_.openRead(path);
    if (!file.isOk()) return file.status();
    auto size = (*file)->size();
    if (!size.isOk()) return size.status();
    auto head = (*file)->read(0, 12);
    if (!head.isOk()) return head.status();
    if (Status h = checkSegmentHeader(*head); h.code() == StatusCode::kFailedPrecondition)
      return Status(h.code(), path + ": " + std::string(h.message()) + "; refusing to touch it");
    uint64_t tail_len = std::min<uint64_t>(*size, 8ull << 20);
    auto tail = (*file)->read(*size - tail_len, static_cast<size_t>(tail_len));
    Result<SegmentMeta> meta =
        tail.isOk() ? decodeSegmentMeta(*tail, *size) : Result<SegmentMeta>(tail.status());
    if (meta.isOk() && meta->id != *id)
      meta = Status(StatusCode::kDataLoss, "footer id does not match the file name");
    if (!meta.isOk()) {
      // Quarantine: keep the bytes for inspection, serve the rest, say so loudly.
      PERISCOPE_RETURN_IF_ERROR(fs_.createDir(options_.dir + "/quarantine"));
      PERISCOPE_RETURN_IF_ERROR(fs_.rename(path, options_.dir + "/quarantine/" + name));
      stats_.segments_quarantined++;
      log::error("store", "segment is damaged; moved to quarantine, its spans are not served",
                 {{"file", path},
                  {"bytes", std::to_string(*size)},
                  {"error", std::string(meta.status().message())}});
      continue;
    }
    auto h = std::make_shared<SegmentHandle>();
    h->meta = std::move(*meta);
    h->path = path;
    h->file = std::move(*file);
    h->groups.resize(h->meta.row_groups.size());
    found[*id] = h;
  }
  // Finish interrupted compactions: inputs listed by a surviving output go.
  std::set<uint64_t> replaced;
  for (const auto& [id, h] : found)
    for (uint64_t r : h->meta.replaces)
      if (r != id) replaced.insert(r);
  for (uint64_t r : replaced) {
    auto it = found.find(r);
    if (it == found.end()) continue;
    PERISCOPE_RETURN_IF_ERROR(fs_.remove(it->second->path));
    found.erase(it);
  }
  // Undo flushes that never reached their checkpoint: the WAL replays those spans.
  for (auto it = found.begin(); it != found.end();) {
    if (it->second->meta.replaces.empty() && it->second->meta.wal_lsn > checkpoint_lsn) {
      PERISCOPE_RETURN_IF_ERROR(fs_.remove(it->second->path));
      stats_.incomplete_flush_segments_removed++;
      it = found.erase(it);
    } else {
      ++it;
    }
  }
  PERISCOPE_RETURN_IF_ERROR(fs_.syncDir(options_.dir));
  for (auto& [id, h] : found) {
    stats_.segment_bytes += h->meta.file_bytes;
    stats_.segment_spans += h->meta.spans;
    segments_.push_back(h);
  }
  stats_.segments = segments_.size();
  rebuildCatalog();
  return Status::ok();
}

// ---- Writes ----

void TraceStore::appendToHead(const model::Traces& batch, uint64_t lsn) {
  Head& h = *head_;
  size_t before = h.table.rows();
  h.table.append(batch);
  size_t after = h.table.rows();
  std::vector<std::pair<std::string, OperationInfo>> new_ops;
  for (size_t r = before; r < after; ++r) {
    h.by_trace[h.table.trace_id[r]].push_back(static_cast<uint32_t>(r));
    h.min_start = std::min(h.min_start, h.table.start_ns[r]);
    h.max_start = std::max(h.max_start, h.table.start_ns[r]);
    if (h.ops.emplace(h.table.serviceOf(r), h.table.name[r], h.table.kind[r]).second)
      new_ops.push_back({std::string(h.table.dict.get(h.table.serviceOf(r))),
                         {std::string(h.table.dict.get(h.table.name[r])), h.table.kind[r]}});
  }
  h.max_lsn = std::max(h.max_lsn, lsn);
  stats_.head_spans = after;
  for (const auto& [svc, op] : new_ops) addToCatalog(svc, op);
}

void TraceStore::write(const model::Traces& batch, Done done) {
  size_t spans = batch.itemCount();
  if (spans == 0) return done(Status::ok());
  std::string record(8, '\0');
  model::otlp::encode(batch, record);
  bool flush_now = false;
  {
    std::unique_lock lock(head_mu_);
    if (!wal_) {
      lock.unlock();
      return done(unavailable("trace store " + options_.dir + " is closed"));
    }
    uint64_t lsn = next_lsn_++;
    for (int i = 0; i < 8; ++i) record[static_cast<size_t>(i)] = static_cast<char>(lsn >> (8 * i));
    // Same lock as the LSN: head order = LSN order = WAL order, which flush relies on.
    appendToHead(batch, lsn);
    wal_->append(record, [this, spans, done = std::move(done)](Status st) {
      if (st.isOk()) {
        killPoint("store.after_wal_before_ack");
        stats_.spans_written += spans;
      } else {
        stats_.write_failures++;
      }
      done(std::move(st));
    });
    flush_now = head_->table.rows() >= options_.head_max_spans;
  }
  if (flush_now) {
    std::lock_guard lock(bg_mu_);
    flush_requested_ = true;
    bg_cv_.notify_all();
  }
}

Status TraceStore::writeSync(const model::Traces& batch) {
  std::promise<Status> p;
  auto f = p.get_future();
  write(batch, [&p](Status st) { p.set_value(std::move(st)); });
  return f.get();
}

// ---- Flush, segments ----

Result<std::shared_ptr<TraceStore::SegmentHandle>> TraceStore::writeSegment(
    SpanTable& table, uint64_t wal_lsn, std::vector<uint64_t> replaces, int level) {
  uint64_t id;
  {
    std::lock_guard lock(state_mu_);
    id = next_segment_id_++;
  }
  SegmentMeta meta;
  meta.id = id;
  meta.wal_lsn = wal_lsn;
  meta.replaces = std::move(replaces);
  SegmentEncodeOptions eo;
  eo.zstd_level = level;
  eo.attribute_cardinality_cap = options_.attribute_cardinality_cap;
  eo.row_group_rows = options_.row_group_rows;
  std::string bytes = encodeSegment(table, meta, eo);
  std::string path = segmentPath(id);
  std::string tmp = path + ".tmp";
  auto f = fs_.openAppend(tmp);
  if (!f.isOk()) return f.status();
  Status st = (*f)->append(bytes);
  if (st.isOk()) st = (*f)->sync();
  Status closed = (*f)->close();
  if (st.isOk()) st = closed;
  if (!st.isOk()) {
    (void)fs_.remove(tmp);
    return st;
  }
  killPoint("segment.before_rename");
  PERISCOPE_RETURN_IF_ERROR(fs_.rename(tmp, path));
  killPoint("segment.after_rename");
  PERISCOPE_RETURN_IF_ERROR(fs_.syncDir(options_.dir));
  auto h = std::make_shared<SegmentHandle>();
  h->meta = std::move(meta);
  h->path = path;
  auto reader = fs_.openRead(path);
  if (!reader.isOk()) return reader.status();
  h->file = std::move(*reader);
  h->groups.resize(h->meta.row_groups.size());
  return h;
}

Status TraceStore::flushHead() {
  std::lock_guard maintenance(maintenance_mu_);
  std::shared_ptr<Head> old;
  uint64_t wal_segment = 0;
  {
    std::unique_lock lock(head_mu_);
    if (head_->table.rows() == 0 || !wal_) return Status::ok();
    old = std::move(head_);
    head_ = std::make_shared<Head>();
    stats_.head_spans = 0;
    // Every record in WAL segments before this one is in `old` (appends happen under head_mu_).
    wal_segment = wal_->currentSegment();
    std::lock_guard state(state_mu_);
    flushing_.push_back(old);
  }
  killPoint("flush.start");
  // One segment per hour partition, so retention can drop whole files.
  std::map<uint64_t, std::vector<uint32_t>> parts;
  for (uint32_t r = 0; r < old->table.rows(); ++r)
    parts[partitionOf(old->table.start_ns[r])].push_back(r);
  std::vector<std::shared_ptr<SegmentHandle>> written;
  Status st;
  for (auto& [partition, rows] : parts) {
    rows = segmentOrder(old->table, std::move(rows));
    // One partition (the common case): reorder with the head's dictionary as is. Several: each
    // segment gets a dictionary of only its own strings.
    SpanTable sorted;
    if (parts.size() == 1)
      sorted = SpanTable::copyRows(old->table, rows);
    else
      sorted.appendRows(old->table, rows);
    auto h = writeSegment(sorted, old->max_lsn, {}, options_.flush_zstd_level);
    if (!h.isOk()) {
      st = h.status();
      break;
    }
    written.push_back(std::move(*h));
  }
  if (st.isOk()) st = writeCheckpoint(old->max_lsn);
  if (!st.isOk()) {
    // The head stays readable in flushing_ and its spans stay in the WAL; the orphan segments
    // are removed at the next open (their LSN is past the checkpoint).
    for (const auto& h : written) (void)fs_.remove(h->path);
    stats_.flush_failures++;
    log::error("store", "head flush failed; will retry", {{"error", st.toString()}});
    std::lock_guard state(state_mu_);
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
  Status trunc = wal_->truncateBefore(wal_segment);
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
    auto h = writeSegment(sorted, wal_lsn, replaces, options_.compaction_zstd_level);
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

// ---- Background ----

void TraceStore::run() {
  uint64_t last_maintenance = steadyMs();
  std::unique_lock lock(bg_mu_);
  while (!stop_) {
    bg_cv_.wait_for(lock, std::chrono::milliseconds(200),
                    [&] { return stop_ || flush_requested_; });
    if (stop_) break;
    bool flush = flush_requested_;
    flush_requested_ = false;
    lock.unlock();
    {
      std::shared_lock head(head_mu_);
      uint64_t age = steadyMs() - head_->created_ms;
      if (head_->table.rows() > 0 && age >= static_cast<uint64_t>(options_.head_max_age.count()))
        flush = true;
    }
    if (flush) (void)flushHead();
    if (steadyMs() - last_maintenance >=
        static_cast<uint64_t>(options_.maintenance_interval.count())) {
      last_maintenance = steadyMs();
      Status st = compact();
      if (st.isOk()) st = applyRetention();
      if (!st.isOk()) log::error("store", "maintenance failed", {{"error", st.toString()}});
    }
    lock.lock();
  }
}

// ---- Reads ----

TraceStore::View TraceStore::snapshot() const {
  View v;
  std::lock_guard state(state_mu_);
  v.heads = flushing_;
  v.segments = segments_;
  return v;
}

std::vector<SegmentMeta> TraceStore::segmentMetas() const {
  View v = snapshot();
  std::vector<SegmentMeta> out;
  for (const auto& h : v.segments) out.push_back(h->meta);
  std::sort(out.begin(), out.end(), [](const SegmentMeta& a, const SegmentMeta& b) {
    return std::tie(a.partition_start_ns, a.id) < std::tie(b.partition_start_ns, b.id);
  });
  return out;
}

void TraceStore::quarantine(const std::shared_ptr<SegmentHandle>& h, const Status& why) {
  {
    std::lock_guard state(state_mu_);
    auto it = std::find(segments_.begin(), segments_.end(), h);
    if (it == segments_.end()) return;  // already gone
    segments_.erase(it);
    stats_.segments = segments_.size();
    stats_.segment_bytes -= h->meta.file_bytes;
    stats_.segment_spans -= h->meta.spans;
  }
  stats_.segments_quarantined++;
  std::string name = h->path.substr(h->path.rfind('/') + 1);
  Status moved = fs_.createDir(options_.dir + "/quarantine");
  if (moved.isOk()) moved = fs_.rename(h->path, options_.dir + "/quarantine/" + name);
  log::error("store", "segment is damaged; moved to quarantine, its spans are no longer served",
             {{"file", h->path},
              {"spans", std::to_string(h->meta.spans)},
              {"error", why.toString()},
              {"moved", moved.isOk() ? "yes" : moved.toString()}});
}

Result<std::shared_ptr<const LoadedRowGroup>> TraceStore::load(
    const std::shared_ptr<SegmentHandle>& h, size_t g) {
  {
    std::lock_guard cache(cache_mu_);
    if (h->groups[g].loaded) {
      h->groups[g].last_use = ++cache_tick_;
      return h->groups[g].loaded;
    }
  }
  const RowGroupMeta& rg = h->meta.row_groups[g];
  Result<std::string> bytes = std::string();
  {
    std::lock_guard file(h->file_mu);
    bytes = h->file->read(rg.offset, static_cast<size_t>(rg.length));
  }
  if (!bytes.isOk()) return bytes.status();
  auto seg = decodeRowGroup(*bytes, rg);
  if (!seg.isOk()) {
    Status st(seg.status().code(), h->path + " row group " + std::to_string(g) + ": " +
                                       std::string(seg.status().message()));
    if (st.code() == StatusCode::kDataLoss) quarantine(h, st);
    return st;
  }
  std::shared_ptr<const LoadedRowGroup> loaded = std::move(*seg);
  std::lock_guard cache(cache_mu_);
  auto& slot = h->groups[g];
  if (slot.loaded) return slot.loaded;  // another reader won the race
  slot.loaded = loaded;
  slot.bytes = loaded->memoryBytes();
  slot.last_use = ++cache_tick_;
  cache_bytes_ += slot.bytes;
  if (cache_bytes_ > options_.segment_cache_bytes) {
    // Evict least recently used row groups (not the one just loaded).
    std::vector<SegmentHandle::Cached*> all;
    View v = snapshot();
    for (const auto& s : v.segments)
      for (auto& c : s->groups)
        if (c.loaded && &c != &slot) all.push_back(&c);
    std::sort(all.begin(), all.end(),
              [](const auto* a, const auto* b) { return a->last_use < b->last_use; });
    for (auto* c : all) {
      if (cache_bytes_ <= options_.segment_cache_bytes) break;
      cache_bytes_ -= c->bytes;
      c->bytes = 0;
      c->loaded.reset();
    }
  }
  return loaded;
}

namespace {

// Collects a trace's rows from several tables into one batch, skipping repeated span ids
// (at-least-once delivery can store a span twice).
struct TraceCollector {
  model::Traces out;
  std::unordered_set<uint64_t> seen;
  void add(const SpanTable& t, const std::vector<uint32_t>& rows) {
    std::vector<uint32_t> fresh;
    for (uint32_t r : rows)
      if (seen.insert(t.span_id[r]).second) fresh.push_back(r);
    if (!fresh.empty()) t.toTraces(fresh, out);
  }
};

}  // namespace

Result<model::Traces> TraceStore::getTrace(std::string_view trace_id, uint64_t start_ns,
                                           uint64_t end_ns) {
  if (trace_id.size() != 16) return invalidArgument("trace id must be 16 bytes");
  TraceId id = traceIdFrom(trace_id);
  TraceCollector c;
  {
    std::shared_lock lock(head_mu_);
    auto it = head_->by_trace.find(id);
    if (it != head_->by_trace.end()) c.add(head_->table, it->second);
  }
  View v = snapshot();
  for (const auto& h : v.heads) {
    auto it = h->by_trace.find(id);
    if (it != h->by_trace.end()) c.add(h->table, it->second);
  }
  for (const auto& h : v.segments) {
    if (start_ns != 0 && h->meta.max_start_ns < start_ns) continue;
    if (end_ns != 0 && h->meta.min_start_ns > end_ns) continue;
    if (!h->meta.bloom.mayContain(id)) continue;
    // Each row group has its trace-id range and Bloom filter in the footer: usually exactly
    // one row group is read.
    for (size_t g = 0; g < h->meta.row_groups.size(); ++g) {
      const RowGroupMeta& rg = h->meta.row_groups[g];
      if (id < rg.first_trace || rg.last_trace < id || !rg.bloom.mayContain(id)) continue;
      auto seg = load(h, g);
      if (!seg.isOk() && seg.status().code() == StatusCode::kDataLoss) break;  // quarantined
      if (!seg.isOk()) return seg.status();
      auto [b, e] = (*seg)->traceRows(id);
      if (b == e) continue;
      std::vector<uint32_t> rows(e - b);
      for (uint32_t r = b; r < e; ++r) rows[r - b] = r;
      c.add((*seg)->table, rows);
    }
  }
  return std::move(c.out);
}

namespace {

// A query resolved against one table's dictionary; `impossible` when a required string does
// not occur in the table at all.
struct Resolved {
  bool impossible = false;
  uint32_t service = UINT32_MAX, operation = UINT32_MAX;
  std::vector<std::pair<uint32_t, std::string_view>> tags;  // key id, text
  std::vector<uint8_t> resource_ok;                         // service matches per resource
};

Resolved resolve(const SpanTable& t, const TraceQuery& q) {
  Resolved r;
  if (!q.service.empty()) {
    r.service = t.dict.find(q.service);
    if (r.service == UINT32_MAX) r.impossible = true;
  }
  if (!q.operation.empty()) {
    r.operation = t.dict.find(q.operation);
    if (r.operation == UINT32_MAX) r.impossible = true;
  }
  for (const auto& [k, v] : q.tags) {
    uint32_t key = t.dict.find(k);
    if (key == UINT32_MAX) r.impossible = true;
    r.tags.emplace_back(key, v);
  }
  r.resource_ok.resize(t.resources.size(), 1);
  if (r.service != UINT32_MAX)
    for (size_t i = 0; i < t.resources.size(); ++i)
      r.resource_ok[i] = t.resources[i].service == r.service;
  return r;
}

bool rowMatches(const SpanTable& t, const Resolved& rq, const TraceQuery& q, uint32_t r) {
  if (!rq.resource_ok[t.resource[r]]) return false;
  if (rq.operation != UINT32_MAX && t.name[r] != rq.operation) return false;
  if (q.span_kind && t.kind[r] != *q.span_kind) return false;
  if (q.errors_only && !t.isError(r)) return false;
  uint64_t d = t.durationOf(r);
  if (q.min_duration_ns != 0 && d < q.min_duration_ns) return false;
  if (q.max_duration_ns != 0 && d > q.max_duration_ns) return false;
  uint64_t s = t.start_ns[r];
  if (q.start_time_min_ns != 0 && s < q.start_time_min_ns) return false;
  if (q.start_time_max_ns != 0 && s > q.start_time_max_ns) return false;
  for (const auto& [key, text] : rq.tags)
    if (!t.hasTag(r, key, text)) return false;
  return true;
}

using Candidates = std::unordered_map<TraceId, uint64_t, TraceIdHash>;  // → latest match start

void note(Candidates& c, const SpanTable& t, uint32_t r) {
  auto [it, inserted] = c.emplace(t.trace_id[r], t.start_ns[r]);
  if (!inserted) it->second = std::max(it->second, t.start_ns[r]);
}

void scanTable(const SpanTable& t, const TraceQuery& q, Candidates& c) {
  Resolved rq = resolve(t, q);
  if (rq.impossible) return;
  for (uint32_t r = 0; r < t.rows(); ++r)
    if (rowMatches(t, rq, q, r)) note(c, t, r);
}

void scanRowGroup(const LoadedRowGroup& seg, const TraceQuery& q, Candidates& c) {
  const SpanTable& t = seg.table;
  Resolved rq = resolve(t, q);
  if (rq.impossible) return;
  // The narrowest posting list among indexed tags found on no resource bounds the scan.
  const std::vector<uint32_t>* best = nullptr;
  for (const auto& [key, text] : rq.tags) {
    if (!seg.keyIndexed(key)) continue;
    bool on_resource = false;
    for (size_t i = 0; i < t.resources.size() && !on_resource; ++i) {
      const ResourceRow& rr = t.resources[i];
      for (uint32_t k = rr.attrs_begin; k < rr.attrs_end; ++k)
        if (t.resource_attrs.keys[k] == key) on_resource = true;
    }
    if (on_resource) continue;
    uint32_t text_id = t.dict.find(text);
    if (text_id == UINT32_MAX) return;
    auto it = seg.attr_index.find((static_cast<uint64_t>(key) << 32) | text_id);
    if (it == seg.attr_index.end()) return;
    if (best == nullptr || it->second.size() < best->size()) best = &it->second;
  }
  if (best != nullptr) {
    for (uint32_t r : *best)
      if (rowMatches(t, rq, q, r)) note(c, t, r);
    return;
  }
  for (uint32_t r = 0; r < t.rows(); ++r)
    if (rowMatches(t, rq, q, r)) note(c, t, r);
}

bool metaMayMatch(const SegmentMeta& m, const TraceQuery& q) {
  if (q.start_time_min_ns != 0 && m.max_start_ns < q.start_time_min_ns) return false;
  if (q.start_time_max_ns != 0 && m.min_start_ns > q.start_time_max_ns) return false;
  if (q.min_duration_ns != 0 && m.max_duration_ns < q.min_duration_ns) return false;
  if (q.max_duration_ns != 0 && m.min_duration_ns > q.max_duration_ns) return false;
  if (q.service.empty() && q.operation.empty() && !q.span_kind) return true;
  for (const auto& so : m.operations) {
    if (!q.service.empty() && so.service != q.service) continue;
    if (!q.operation.empty() && so.op.name != q.operation) continue;
    if (q.span_kind && so.op.span_kind != *q.span_kind) continue;
    return true;
  }
  return false;
}

}  // namespace

Result<std::vector<model::Traces>> TraceStore::findTraces(const TraceQuery& q) {
  Candidates c;
  {
    std::shared_lock lock(head_mu_);
    scanTable(head_->table, q, c);
  }
  View v = snapshot();
  for (const auto& h : v.heads) scanTable(h->table, q, c);
  // Row groups newest first (they hold time slices, see segment.h); stop once `limit` traces
  // are known that are newer than anything the remaining row groups hold.
  struct Candidate {
    std::shared_ptr<SegmentHandle> h;
    size_t g;
  };
  std::vector<Candidate> groups;
  for (const auto& h : v.segments) {
    if (!metaMayMatch(h->meta, q)) continue;
    for (size_t g = 0; g < h->meta.row_groups.size(); ++g) {
      const RowGroupMeta& rg = h->meta.row_groups[g];
      if (q.start_time_min_ns != 0 && rg.max_start_ns < q.start_time_min_ns) continue;
      if (q.start_time_max_ns != 0 && rg.min_start_ns > q.start_time_max_ns) continue;
      if (q.min_duration_ns != 0 && rg.max_duration_ns < q.min_duration_ns) continue;
      if (q.max_duration_ns != 0 && rg.min_duration_ns > q.max_duration_ns) continue;
      groups.push_back({h, g});
    }
  }
  std::sort(groups.begin(), groups.end(), [](const Candidate& a, const Candidate& b) {
    return a.h->meta.row_groups[a.g].max_start_ns > b.h->meta.row_groups[b.g].max_start_ns;
  });
  std::vector<uint64_t> starts;
  for (const Candidate& cand : groups) {
    if (c.size() >= q.limit) {
      starts.clear();
      for (const auto& [id, s] : c) starts.push_back(s);
      std::nth_element(starts.begin(), starts.begin() + static_cast<long>(q.limit - 1),
                       starts.end(), std::greater<>());
      if (starts[q.limit - 1] > cand.h->meta.row_groups[cand.g].max_start_ns) break;
    }
    auto seg = load(cand.h, cand.g);
    if (!seg.isOk() && seg.status().code() == StatusCode::kDataLoss) continue;  // quarantined
    if (!seg.isOk()) return seg.status();
    scanRowGroup(**seg, q, c);
  }
  std::vector<std::pair<uint64_t, TraceId>> order;
  order.reserve(c.size());
  for (const auto& [id, s] : c) order.emplace_back(s, id);
  std::sort(order.begin(), order.end(), std::greater<>());
  if (order.size() > q.limit) order.resize(q.limit);
  std::vector<model::Traces> out;
  for (const auto& [s, id] : order) {
    auto t = getTrace(traceIdBytes(id), 0, 0);
    if (!t.isOk()) return t.status();
    if (!t->empty()) out.push_back(std::move(*t));
  }
  return out;
}

void TraceStore::addToCatalog(const std::string& service, const OperationInfo& op) {
  std::lock_guard lock(catalog_mu_);
  auto& ops = catalog_[service];
  auto it = std::lower_bound(ops.begin(), ops.end(), op, [](const auto& a, const auto& b) {
    return std::tie(a.name, a.span_kind) < std::tie(b.name, b.span_kind);
  });
  if (it == ops.end() || !(*it == op)) ops.insert(it, op);
}

void TraceStore::rebuildCatalog() {
  std::vector<std::pair<std::string, OperationInfo>> all;
  {
    std::lock_guard state(state_mu_);
    for (const auto& h : segments_)
      for (const auto& so : h->meta.operations) all.emplace_back(so.service, so.op);
    for (const auto& head : flushing_)
      for (const auto& [svc, name, kind] : head->ops)
        all.push_back({std::string(head->table.dict.get(svc)),
                       {std::string(head->table.dict.get(name)), kind}});
  }
  {
    std::shared_lock lock(head_mu_);
    for (const auto& [svc, name, kind] : head_->ops)
      all.push_back({std::string(head_->table.dict.get(svc)),
                     {std::string(head_->table.dict.get(name)), kind}});
  }
  {
    std::lock_guard lock(catalog_mu_);
    catalog_.clear();
  }
  for (const auto& [svc, op] : all) addToCatalog(svc, op);
}

Result<std::vector<std::string>> TraceStore::services() {
  std::lock_guard lock(catalog_mu_);
  std::vector<std::string> out;
  for (const auto& [svc, ops] : catalog_)
    if (!svc.empty()) out.push_back(svc);
  return out;
}

Result<std::vector<OperationInfo>> TraceStore::operations(std::string_view service,
                                                          std::optional<int32_t> span_kind) {
  std::lock_guard lock(catalog_mu_);
  std::vector<OperationInfo> out;
  auto it = catalog_.find(service);
  if (it == catalog_.end()) return out;
  for (const auto& op : it->second)
    if (!span_kind || op.span_kind == *span_kind) out.push_back(op);
  return out;
}

Result<std::vector<DependencyLink>> TraceStore::dependencies(uint64_t end_ns,
                                                             uint64_t lookback_ns) {
  uint64_t begin = end_ns > lookback_ns ? end_ns - lookback_ns : 0;
  // Pass 1: span id → service; pass 2: parent/child pairs across services. Spans of one trace
  // may sit in different tables, so both passes see every table.
  std::vector<std::string> names;
  std::unordered_map<std::string, uint32_t> name_ids;
  std::unordered_map<uint64_t, uint32_t> service_of_span;
  struct Edge {
    uint64_t calls = 0, errors = 0;
  };
  std::map<std::pair<uint32_t, uint32_t>, Edge> edges;
  auto forEachTable = [&](const std::function<void(const SpanTable&)>& f) -> Status {
    {
      std::shared_lock lock(head_mu_);
      f(head_->table);
    }
    View v = snapshot();
    for (const auto& h : v.heads) f(h->table);
    for (const auto& h : v.segments) {
      if (h->meta.max_start_ns < begin || h->meta.min_start_ns > end_ns) continue;
      for (size_t g = 0; g < h->groups.size(); ++g) {
        const RowGroupMeta& rg = h->meta.row_groups[g];
        if (rg.max_start_ns < begin || rg.min_start_ns > end_ns) continue;
        auto seg = load(h, g);
        if (!seg.isOk() && seg.status().code() == StatusCode::kDataLoss) break;  // quarantined
        if (!seg.isOk()) return seg.status();
        f((*seg)->table);
      }
    }
    return Status::ok();
  };
  PERISCOPE_RETURN_IF_ERROR(forEachTable([&](const SpanTable& t) {
    std::vector<uint32_t> local(t.dict.size(), UINT32_MAX);
    for (uint32_t r = 0; r < t.rows(); ++r) {
      if (t.start_ns[r] < begin || t.start_ns[r] > end_ns) continue;
      uint32_t svc = t.serviceOf(r);
      if (local[svc] == UINT32_MAX) {
        std::string name(t.dict.get(svc));
        auto [it, inserted] = name_ids.emplace(name, static_cast<uint32_t>(names.size()));
        if (inserted) names.push_back(name);
        local[svc] = it->second;
      }
      service_of_span[t.span_id[r]] = local[svc];
    }
  }));
  PERISCOPE_RETURN_IF_ERROR(forEachTable([&](const SpanTable& t) {
    for (uint32_t r = 0; r < t.rows(); ++r) {
      if (t.parent_id[r] == 0 || t.start_ns[r] < begin || t.start_ns[r] > end_ns) continue;
      auto parent = service_of_span.find(t.parent_id[r]);
      auto child = service_of_span.find(t.span_id[r]);
      if (parent == service_of_span.end() || child == service_of_span.end()) continue;
      if (parent->second == child->second) continue;
      Edge& e = edges[{parent->second, child->second}];
      e.calls++;
      if (t.isError(r)) e.errors++;
    }
  }));
  std::vector<DependencyLink> out;
  for (const auto& [k, e] : edges)
    out.push_back({names[k.first], names[k.second], e.calls, e.errors});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.parent, a.child) < std::tie(b.parent, b.child);
  });
  return out;
}

}  // namespace periscope::storage
