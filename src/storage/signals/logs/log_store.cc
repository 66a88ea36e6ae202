#include "storage/signals/logs/log_store.h"

#include <pthread.h>

#include <algorithm>
#include <future>
#include <set>

#include "common/kill_point.h"
#include "common/logging.h"
#include "model/otlp/proto_decoder.h"
#include "model/otlp/proto_encoder.h"
#include "storage/catalog/file_names.h"
#include "storage/catalog/lsn_checkpoint.h"
#include "storage/catalog/store_files.h"
#include "storage/codec/byte_io.h"
#include "storage/signals/logs/log_store_internal.h"

namespace periscope::storage::logs {
namespace {

constexpr std::string_view kSegmentPrefix = "logs-";
constexpr std::string_view kSegmentSuffix = ".pls";
constexpr std::string_view kCheckpoint = "checkpoint";

std::optional<uint64_t> parseSegmentName(std::string_view name) {
  return parseNumberedName(name, kSegmentPrefix, kSegmentSuffix);
}

// Bounds of a batch, in one pass over its records.
void summarize(const model::Logs& batch, size_t& records, uint64_t& min_t, uint64_t& max_t,
               int32_t& min_s, int32_t& max_s) {
  for (const auto& rl : batch.resources()) {
    for (const auto& sl : rl.scope_logs) {
      records += sl.log_records.size();
      for (const auto& r : sl.log_records) {
        uint64_t t = recordTime(r);
        min_t = std::min(min_t, t);
        max_t = std::max(max_t, t);
        min_s = std::min(min_s, r.severity_number);
        max_s = std::max(max_s, r.severity_number);
      }
    }
  }
}

}  // namespace

const model::AnyValue* serviceName(const model::Resource& r) {
  return model::findAttribute(r.attributes, "service.name");
}

LogStore::LogStore(FileSystem& fs, LogStoreOptions options, NowFn now)
    : fs_(fs),
      options_(std::move(options)),
      now_(std::move(now)),
      subscribers_(std::make_shared<Subscribers>()) {
  if (!now_) {
    now_ = [] {
      return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
    };
  }
  head_ = std::make_shared<Head>();
}

std::string LogStore::segmentPath(uint64_t id) const {
  return options_.dir + "/" + numberedName(kSegmentPrefix, id, kSegmentSuffix);
}

Result<std::unique_ptr<LogStore>> LogStore::open(FileSystem& fs, LogStoreOptions options,
                                                 NowFn now) {
  std::unique_ptr<LogStore> store(new LogStore(fs, std::move(options), std::move(now)));
  PERISCOPE_RETURN_IF_ERROR(store->recover());
  if (store->options_.background_maintenance) {
    store->background_ = std::thread([s = store.get()] {
      pthread_setname_np(pthread_self(), "pscope-logs");
      s->runBackground();
    });
  }
  return store;
}

LogStore::~LogStore() {
  (void)close();
}

Status LogStore::close() {
  {
    std::lock_guard lock(bg_mu_);
    if (closed_) return Status::ok();
    closed_ = true;
    stop_ = true;
  }
  bg_cv_.notify_all();
  if (background_.joinable()) background_.join();
  // A clean stop leaves the WAL short, so the next start replays little.
  Status st = wal_ ? flush() : Status::ok();
  std::unique_ptr<Wal> wal;
  {
    std::unique_lock lock(head_mu_);  // write() checks wal_ under this lock
    wal = std::move(wal_);
  }
  head_cv_.notify_all();  // writers waiting for room see the store closed
  wal.reset();            // writes and syncs what is queued, answering its senders
  return st;
}

// ---- Recovery ----

Status LogStore::recover() {
  PERISCOPE_RETURN_IF_ERROR(
      claimStoreDir(fs_, options_.dir, kSegmentPrefix, kSegmentSuffix, "log store"));
  auto checkpoint = readLsnCheckpoint(fs_, options_.dir + "/" + std::string(kCheckpoint));
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
        auto hb = std::make_shared<HeadBatch>();
        hb->wal_state = HeadBatch::kWalOk;  // it is in the WAL
        std::string_view body = hb->logs.arena().adopt(std::string(record.substr(8)));
        Status st = model::otlp::decode(body, hb->logs);
        if (!st.isOk())
          return Status(StatusCode::kDataLoss, "log WAL record " + std::to_string(lsn) +
                                                   " passed its checksum but does not decode: " +
                                                   std::string(st.message()));
        summarize(hb->logs, hb->records, hb->min_time_ns, hb->max_time_ns, hb->min_severity,
                  hb->max_severity);
        stats_.wal_records_replayed++;
        stats_.wal_log_records_replayed += hb->records;
        if (hb->records > 0) {
          head_->max_lsn = std::max(head_->max_lsn, lsn);
          appendToHead(std::move(hb));
        }
        return Status::ok();
      });
  if (!wal.isOk()) return wal.status();
  wal_ = std::move(*wal);
  wal_recovery_ = wal_->recoveryStats();
  stats_.wal_truncated_bytes = wal_recovery_.truncated_bytes;
  stats_.wal_corrupt_segments = wal_recovery_.corruptions.size();
  next_lsn_ = max_lsn + 1;
  refreshWalBytes();
  flush_requested_ = head_->records >= options_.head_max_records;
  if (wal_recovery_.corrupt_tail || !wal_recovery_.corruptions.empty()) {
    log::warn("logs", "log WAL recovered with damage",
              {{"dir", options_.dir + "/wal"},
               {"truncated_bytes", std::to_string(wal_recovery_.truncated_bytes)},
               {"corrupt_segments", std::to_string(wal_recovery_.corruptions.size())}});
  }
  for (const auto& c : wal_recovery_.corruptions) {
    log::error("logs", "log WAL segment damaged mid-log; later records of it were not replayed",
               {{"file", c.file}, {"offset", std::to_string(c.offset)}, {"reason", c.reason}});
  }
  return Status::ok();
}

Result<std::shared_ptr<LogStore::SegmentHandle>> LogStore::openSegment(const std::string& name,
                                                                       uint64_t id) {
  std::string path = options_.dir + "/" + name;
  auto file = fs_.openRead(path);
  if (!file.isOk()) return file.status();
  auto size = (*file)->size();
  if (!size.isOk()) return size.status();
  auto head = (*file)->read(0, kLogSegmentHeaderBytes);
  if (!head.isOk()) return head.status();
  auto version = logSegmentVersion(*head);
  if (version.status().code() == StatusCode::kFailedPrecondition)
    return Status(version.status().code(),
                  path + ": " + std::string(version.status().message()) + "; refusing to touch it");
  Result<LogSegmentMeta> meta = Status(StatusCode::kDataLoss, "shorter than its trailer");
  if (*size >= kLogSegmentHeaderBytes + kLogSegmentTrailerBytes) {
    auto trailer = (*file)->read(*size - kLogSegmentTrailerBytes, kLogSegmentTrailerBytes);
    if (!trailer.isOk()) return trailer.status();
    ByteReader t(*trailer);
    uint64_t footer_offset = t.u64();
    if (footer_offset >= kLogSegmentHeaderBytes && footer_offset < *size) {
      auto tail = (*file)->read(footer_offset, static_cast<size_t>(*size - footer_offset));
      if (!tail.isOk()) return tail.status();
      // A damaged header: the footer still decodes; its version is then the current one.
      meta = decodeLogSegmentMeta(*tail, *size, version.isOk() ? *version : kLogSegmentVersion);
    } else {
      meta = Status(StatusCode::kDataLoss, "footer position out of range");
    }
  }
  if (meta.isOk() && meta->id != id)
    meta = Status(StatusCode::kDataLoss, "footer id does not match the file name");
  if (!meta.isOk()) return Status(StatusCode::kDataLoss, std::string(meta.status().message()));
  auto h = std::make_shared<SegmentHandle>();
  h->meta = std::move(*meta);
  h->path = path;
  h->file = std::move(*file);
  return h;
}

Status LogStore::loadSegments(uint64_t checkpoint_lsn) {
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
    auto h = openSegment(name, *id);
    if (!h.isOk() && h.status().code() != StatusCode::kDataLoss) return h.status();
    if (!h.isOk()) {
      // Quarantine: keep the bytes for inspection, serve the rest, say so loudly.
      PERISCOPE_RETURN_IF_ERROR(fs_.createDir(options_.dir + "/quarantine"));
      PERISCOPE_RETURN_IF_ERROR(fs_.rename(path, options_.dir + "/quarantine/" + name));
      stats_.segments_quarantined++;
      log::error("logs", "log segment is damaged; moved to quarantine, its records are not served",
                 {{"file", path}, {"error", std::string(h.status().message())}});
      continue;
    }
    found[*id] = std::move(*h);
  }
  // Finish interrupted rewrites (inputs listed by a surviving output go) and undo flushes that
  // never reached their checkpoint (the WAL replays those records).
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
    stats_.segment_records += h->meta.records;
    segments_.push_back(h);
  }
  stats_.segments = segments_.size();
  return Status::ok();
}

// ---- Writes ----

void LogStore::appendToHead(std::shared_ptr<HeadBatch> batch) {
  head_->records += batch->records;
  head_->batches.push_back(std::move(batch));
  stats_.head_records = head_->records;
}

void LogStore::write(const model::Logs& batch, Done done) {
  auto hb = std::make_shared<HeadBatch>();
  summarize(batch, hb->records, hb->min_time_ns, hb->max_time_ns, hb->min_severity,
            hb->max_severity);
  const size_t records = hb->records;
  if (records == 0) return done(Status::ok());
  if (hb->min_time_ns == 0) {
    // A record with neither timestamp (OTLP allows it) would be filed in 1970 and expire at
    // once: it gets the time it reached the store as its observed time, on a copy (the batch
    // may be shared with other exporters). Rare, so the copy does not matter.
    hb->logs = batch.clone();
    const uint64_t now = now_();
    for (auto& rl : hb->logs.resources())
      for (auto& sl : rl.scope_logs)
        for (auto& r : sl.log_records)
          if (r.time_unix_nano == 0 && r.observed_time_unix_nano == 0)
            r.observed_time_unix_nano = now;
    hb->min_time_ns = UINT64_MAX;
    hb->max_time_ns = 0;
    size_t again = 0;
    summarize(hb->logs, again, hb->min_time_ns, hb->max_time_ns, hb->min_severity,
              hb->max_severity);
  } else {
    hb->logs = batch.share();
  }
  std::string record(8, '\0');
  model::otlp::encode(hb->logs, record);  // the stamped copy when there is one

  // With tail subscribers, `done` waits for both the WAL and the tail offering.
  struct Pending {
    std::atomic<int> left{2};
    Status status;
    Done done;
    void arrive() {
      if (left.fetch_sub(1, std::memory_order_acq_rel) == 1) done(std::move(status));
    }
  };
  const bool tail = subscribers_->count.load(std::memory_order_acquire) > 0;
  std::shared_ptr<Pending> pending;
  if (tail) {
    pending = std::make_shared<Pending>();
    pending->done = std::move(done);
  }
  // The batch's answer: from the WAL (from_wal), or a refusal before it reached the WAL.
  auto on_wal = [this, records, pending, answered = hb, done = tail ? Done() : std::move(done)](
                    Status st, bool from_wal) mutable {
    if (st.isOk()) {
      killPoint("logs.wal.after_sync_before_ack");
      stats_.records_written += records;
    } else {
      stats_.write_failures++;
      // A write or sync error leaves the WAL refusing appends until reopened.
      if (from_wal && st.code() == StatusCode::kUnavailable) wal_failed_ = true;
    }
    {
      std::lock_guard lock(wal_answer_mu_);
      answered->wal_state.store(st.isOk() ? HeadBatch::kWalOk : HeadBatch::kWalFailed,
                                std::memory_order_release);
    }
    wal_answer_cv_.notify_all();
    answered.reset();
    if (pending) {
      pending->status = std::move(st);
      pending->arrive();
    } else {
      done(std::move(st));
    }
  };

  std::shared_ptr<const HeadBatch> visible = hb;
  bool flush_now = false;
  {
    std::unique_lock lock(head_mu_);
    if (!wal_ || wal_failed_.load()) {
      // A failed WAL refuses appends until reopened, and would answer inside append(), under
      // this lock: answer here, after unlocking, instead.
      bool closed = !wal_;
      lock.unlock();
      on_wal(unavailable("log store " + options_.dir +
                         (closed ? " is closed" : ": its WAL failed and is being reopened")),
             false);
      if (pending) pending->arrive();
      return;
    }
    // Backpressure: unflushed records (the head plus heads a flush has taken but not written)
    // at twice the flush size mean flushes are behind ingest (they share the cores with the
    // receivers) or failing. Wait, bounded, for a flush to finish instead of letting memory grow
    // without bound; past the bound the write is refused as retryable.
    const uint64_t hard_limit = 2 * options_.head_max_records;
    auto unflushed = [&] { return head_->records + queued_records_.load(); };
    if (unflushed() >= hard_limit) {
      stats_.write_stalls++;
      {
        std::lock_guard bg(bg_mu_);  // order head_mu_ → bg_mu_; the background never nests them
        flush_requested_ = true;
      }
      bg_cv_.notify_all();
      bool room = head_cv_.wait_for(lock, options_.max_write_stall,
                                    [&] { return !wal_ || unflushed() < hard_limit; });
      if (!wal_ || !room) {
        std::string why = !wal_ ? "log store " + options_.dir + " is closed"
                                : "log store " + options_.dir + ": " + std::to_string(unflushed()) +
                                      " records wait for a flush to segments; retry";
        lock.unlock();
        on_wal(unavailable(std::move(why)), false);
        if (pending) pending->arrive();
        return;
      }
    }
    uint64_t lsn = next_lsn_++;
    for (int i = 0; i < 8; ++i) record[static_cast<size_t>(i)] = static_cast<char>(lsn >> (8 * i));
    // Same lock as the LSN: head order = LSN order = WAL order, which flush relies on.
    head_->max_lsn = std::max(head_->max_lsn, lsn);
    appendToHead(std::move(hb));
    stats_.wal_bytes += record.size() + 8;
    wal_->append(record,
                 [answer = std::move(on_wal)](Status st) mutable { answer(std::move(st), true); });
    flush_now = head_->records >= options_.head_max_records;
  }
  if (tail) {
    {
      std::shared_lock lock(subscribers_->mu);
      for (const auto& [id, callback] : subscribers_->list) callback(visible->logs);
    }
    pending->arrive();
  }
  if (flush_now) {
    std::lock_guard lock(bg_mu_);
    flush_requested_ = true;
    bg_cv_.notify_all();
  }
}

Status LogStore::writeSync(const model::Logs& batch) {
  std::promise<Status> p;
  auto f = p.get_future();
  write(batch, [&p](Status st) { p.set_value(std::move(st)); });
  return f.get();
}

// ---- Tail ----

class LogStore::Subscription final : public TailSubscription {
 public:
  Subscription(std::shared_ptr<Subscribers> subs, uint64_t id) : subs_(std::move(subs)), id_(id) {}
  ~Subscription() override {
    std::unique_lock lock(subs_->mu);  // waits for a callback in progress
    auto& l = subs_->list;
    l.erase(std::remove_if(l.begin(), l.end(), [&](const auto& e) { return e.first == id_; }),
            l.end());
    subs_->count = l.size();
  }

 private:
  std::shared_ptr<Subscribers> subs_;
  uint64_t id_;
};

std::unique_ptr<TailSubscription> LogStore::subscribe(TailCallback on_batch) {
  std::unique_lock lock(subscribers_->mu);
  uint64_t id = subscribers_->next_id++;
  subscribers_->list.emplace_back(id, std::move(on_batch));
  subscribers_->count = subscribers_->list.size();
  return std::make_unique<Subscription>(subscribers_, id);
}

size_t LogStore::tailSubscribers() const {
  return subscribers_->count.load();
}

// ---- Background ----

void LogStore::reopenWalIfFailed() {
  if (!wal_failed_.exchange(false)) return;
  // A failed WAL refuses every append until reopened (cut back to its last good record).
  std::shared_lock head(head_mu_);
  if (!wal_) return;
  Status st = wal_->reopen();
  if (!st.isOk()) {
    wal_failed_ = true;  // retried next round
    log::error("logs", "cannot reopen the log WAL", {{"error", st.toString()}});
  }
}

void LogStore::runBackground() {
  std::unique_lock lock(bg_mu_);
  uint64_t last_maintenance = steadyMs();
  const auto tick = std::min<std::chrono::milliseconds>(std::chrono::milliseconds(200),
                                                        options_.maintenance_interval);
  while (!stop_) {
    bg_cv_.wait_for(lock, tick, [&] { return stop_ || flush_requested_; });
    if (stop_) break;
    bool flush_now = flush_requested_;
    flush_requested_ = false;
    lock.unlock();
    {
      std::shared_lock head(head_mu_);
      uint64_t age = steadyMs() - head_->created_ms;
      if (head_->records > 0 && age >= static_cast<uint64_t>(options_.head_max_age.count()))
        flush_now = true;
    }
    reopenWalIfFailed();
    if (flush_now) (void)flush();  // logs and counts its own failures; retried next round
    if (steadyMs() - last_maintenance >=
        static_cast<uint64_t>(options_.maintenance_interval.count())) {
      last_maintenance = steadyMs();
      // Retention runs whatever compaction did: on a full disk compaction fails, and
      // retention's deletes are what free space.
      Status compacted = compact();
      if (!compacted.isOk())
        log::error("logs", "log compaction failed", {{"error", compacted.toString()}});
      Status retained = applyRetention();
      if (!retained.isOk())
        log::error("logs", "log retention failed", {{"error", retained.toString()}});
    }
    lock.lock();
  }
}

}  // namespace periscope::storage::logs
