#include "storage/signals/traces/trace_store.h"

#include <pthread.h>

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
#include "storage/catalog/file_names.h"
#include "storage/catalog/lsn_checkpoint.h"
#include "storage/catalog/store_files.h"
#include "storage/codec/byte_io.h"
#include "storage/signals/traces/trace_store_internal.h"

namespace periscope::storage {
namespace {

constexpr std::string_view kSegmentPrefix = "seg-";
constexpr std::string_view kSegmentSuffix = ".pst";
constexpr std::string_view kCheckpoint = "checkpoint";

std::optional<uint64_t> parseSegmentName(std::string_view name) {
  return parseNumberedName(name, kSegmentPrefix, kSegmentSuffix);
}

}  // namespace

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
  return options_.dir + "/" + numberedName(kSegmentPrefix, id, kSegmentSuffix);
}

Result<std::unique_ptr<TraceStore>> TraceStore::open(FileSystem& fs, TraceStoreOptions options,
                                                     NowFn now) {
  std::unique_ptr<TraceStore> store(new TraceStore(fs, std::move(options), std::move(now)));
  PERISCOPE_RETURN_IF_ERROR(store->recover());
  store->flusher_ = std::thread([s = store.get()] {
    pthread_setname_np(pthread_self(), "pscope-flush");
    s->runFlusher();
  });
  store->maintainer_ = std::thread([s = store.get()] {
    pthread_setname_np(pthread_self(), "pscope-maint");
    s->runMaintenance();
  });
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
  if (flusher_.joinable()) flusher_.join();
  if (maintainer_.joinable()) maintainer_.join();
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
  return readLsnCheckpoint(fs_, options_.dir + "/" + std::string(kCheckpoint));
}

Status TraceStore::writeCheckpoint(uint64_t lsn) {
  return writeLsnCheckpoint(fs_, options_.dir, options_.dir + "/" + std::string(kCheckpoint), lsn,
                            "checkpoint");
}

Status TraceStore::recover() {
  PERISCOPE_RETURN_IF_ERROR(
      claimStoreDir(fs_, options_.dir, kSegmentPrefix, kSegmentSuffix, "trace store"));
  auto checkpoint = readCheckpoint();
  if (!checkpoint.isOk()) return checkpoint.status();
  PERISCOPE_RETURN_IF_ERROR(loadSegments(*checkpoint));

  WalOptions wo = walOptions(options_.fsync, options_.sync_interval, options_.group_commit_window,
                             options_.wal_segment_bytes);
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
  flush_requested_ = head_->rows >= options_.head_max_spans;
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
  // Finish interrupted compactions (inputs listed by a surviving output go) and undo flushes
  // that never reached their checkpoint (the WAL replays those spans).
  std::map<uint64_t, SegmentLineage> lineage;
  for (const auto& [id, h] : found) lineage[id] = {h->meta.wal_lsn, h->meta.replaces};
  ObsoleteSegments obsolete = findObsoleteSegments(lineage, checkpoint_lsn);
  stats_.incomplete_flush_segments_removed += obsolete.unfinished.size();
  obsolete.replaced.insert(obsolete.replaced.end(), obsolete.unfinished.begin(),
                           obsolete.unfinished.end());
  for (uint64_t id : obsolete.replaced) {
    PERISCOPE_RETURN_IF_ERROR(fs_.remove(found[id]->path));
    found.erase(id);
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
  if (h.chunks.empty() || h.chunks.back()->table.rows() >= options_.row_group_rows)
    h.chunks.push_back(std::make_unique<Head::Chunk>());
  const auto chunk = static_cast<uint32_t>(h.chunks.size() - 1);
  Head::Chunk& c = *h.chunks.back();
  SpanTable& t = c.table;
  size_t before = t.rows();
  t.append(batch);
  size_t after = t.rows();
  std::vector<std::pair<std::string, OperationInfo>> new_ops;
  for (size_t r = before; r < after; ++r) {
    h.by_trace[t.trace_id[r]].emplace_back(chunk, static_cast<uint32_t>(r));
    // find() first: emplace() would allocate a node for every span just to discard it.
    auto op = std::make_tuple(t.serviceOf(r), t.name[r], t.kind[r]);
    if (c.ops.find(op) == c.ops.end()) {
      c.ops.insert(op);
      std::pair<std::string, OperationInfo> named{std::string(t.dict.get(t.serviceOf(r))),
                                                  {std::string(t.dict.get(t.name[r])), t.kind[r]}};
      if (h.op_names.insert(named).second) new_ops.push_back(std::move(named));
    }
  }
  h.rows += after - before;
  h.max_lsn = std::max(h.max_lsn, lsn);
  stats_.head_spans = h.rows;
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
    flush_now = head_->rows >= options_.head_max_spans;
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

// ---- Background ----

void TraceStore::runFlusher() {
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
      if (head_->rows > 0 && age >= static_cast<uint64_t>(options_.head_max_age.count()))
        flush = true;
    }
    if (flush) (void)flushHead();  // logs and counts its own failures; retried next round
    lock.lock();
  }
}

void TraceStore::runMaintenance() {
  std::unique_lock lock(bg_mu_);
  while (!stop_) {
    bg_cv_.wait_for(lock, options_.maintenance_interval, [&] { return stop_; });
    if (stop_) break;
    lock.unlock();
    Status st = compact();
    if (st.isOk()) st = applyRetention();
    if (!st.isOk()) log::error("store", "maintenance failed", {{"error", st.toString()}});
    lock.lock();
  }
}

}  // namespace periscope::storage
