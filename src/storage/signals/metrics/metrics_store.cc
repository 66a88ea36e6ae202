// MetricsStore: open, recovery (checkpoint + blocks + WAL replay), ingest and the WAL record.
//
// WAL record (one per write/appendSamples call), little-endian varints:
//   u8 1 | n_series {id, n_labels {name, value}} | n_meta {family, u8 kind, help, unit} |
//   n_samples {id, zigzag(t - previous t), u64 value bits}
// Series and metadata entries precede the samples that need them, so a record replays alone.
#include <algorithm>
#include <bit>

#include "common/kill_point.h"
#include "common/logging.h"
#include "storage/codec/byte_io.h"
#include "storage/signals/metrics/metrics_store_internal.h"
#include "storage/wal/crc32c.h"

namespace periscope::storage::metrics {
namespace {

constexpr uint8_t kRecordSamples = 1;
constexpr std::string_view kCheckpoint = "checkpoint";
// "PSCMCKP2" | u64 raw size | zstd(u64 wal_seq | u64 block_seq | series | metadata) | u32 crc32c
// of all before it. Series labels repeat heavily across series: zstd takes them to a fraction.
constexpr std::string_view kCheckpointMagic = "PSCMCKP2";

int64_t wallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void writeLabels(ByteWriter& w, const Labels& labels) {
  w.varint(labels.size());
  for (const Label& l : labels) {
    w.bytes(l.name);
    w.bytes(l.value);
  }
}

void writeMetadata(ByteWriter& w, const model::prom::MetricMetadata& md) {
  w.bytes(md.family);
  w.u8(static_cast<uint8_t>(md.kind));
  w.bytes(md.help);
  w.bytes(md.unit);
}

bool readMetadata(ByteReader& r, model::prom::MetricMetadata& md) {
  md.family = r.bytes();
  uint8_t kind = r.u8();
  md.help = r.bytes();
  md.unit = r.bytes();
  if (kind > static_cast<uint8_t>(model::prom::MetricKind::kSummary)) return false;
  md.kind = static_cast<model::prom::MetricKind>(kind);
  return !r.fail();
}

// Labels must be sorted by name, unique, with non-empty names (the SampleSink contract).
bool wellFormed(std::span<const LabelRef> labels) {
  if (labels.empty()) return false;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i].name.empty()) return false;
    if (i > 0 && !(labels[i - 1].name < labels[i].name)) return false;
  }
  return true;
}

}  // namespace

// Applies samples to the index and head under the exclusive lock and builds the WAL record.
class MetricsStore::Ingest final : public model::prom::SampleSink {
 public:
  explicit Ingest(MetricsStore& store) : store_(store) {}

  void metadata(const model::prom::MetricMetadata& md) override {
    auto it = store_.metadata_.find(md.family);
    if (it != store_.metadata_.end() && it->second.kind == md.kind && it->second.help == md.help &&
        it->second.unit == md.unit)
      return;
    store_.metadata_[md.family] = md;
    ByteWriter w(meta_);
    writeMetadata(w, md);
    ++n_meta_;
  }

  void sample(std::span<const LabelRef> labels, int64_t t, double v) override {
    SeriesIndex& index = store_.index_;
    uint64_t hash = model::prom::hashLabels(labels);
    SeriesId id = index.find(labels, hash);
    if (id == kNoSeries) {
      id = create(labels, hash);
      if (id == kNoSeries) return;
    }
    SeriesState& s = store_.head_->series[id];
    switch (store_.appendToHead(id, s, t, v)) {
      case AppendOutcome::kAppended:
        break;
      case AppendOutcome::kDuplicate:
        ++duplicates_;
        return;
      case AppendOutcome::kOutOfOrder:
        ++out_of_order_;
        return;
      case AppendOutcome::kConflict:
        ++conflicts_;
        return;
    }
    ByteWriter w(samples_);
    w.varint(id);
    w.svarint(t - prev_t_);
    w.u64(std::bit_cast<uint64_t>(v));
    prev_t_ = t;
    ++n_samples_;
  }

  // The WAL record, empty when nothing was stored.
  std::string record() {
    std::string out;
    if (n_series_ == 0 && n_meta_ == 0 && n_samples_ == 0) return out;
    out.reserve(series_.size() + meta_.size() + samples_.size() + 16);
    ByteWriter w(out);
    w.u8(kRecordSamples);
    w.varint(n_series_);
    w.raw(series_);
    w.varint(n_meta_);
    w.raw(meta_);
    w.varint(n_samples_);
    w.raw(samples_);
    return out;
  }

  void publishStats() {
    MetricsStoreStats& st = store_.stats_;
    st.samples_appended += n_samples_;
    st.series_created += n_series_;
    st.duplicates_ignored += duplicates_;
    st.rejected_out_of_order += out_of_order_;
    st.rejected_duplicate += conflicts_;
    st.rejected_cardinality += cardinality_;
    st.head_series = store_.head_->touched.size();
    st.head_samples = store_.head_->samples;
  }
  uint64_t stored() const { return n_samples_; }

 private:
  SeriesId create(std::span<const LabelRef> labels, uint64_t hash) {
    if (!wellFormed(labels)) {
      ++out_of_order_;  // not representable; counted with the rejections
      return kNoSeries;
    }
    std::string_view metric;
    for (const LabelRef& l : labels) {
      if (l.name == model::prom::kMetricNameLabel) metric = l.value;
    }
    SeriesIndex& index = store_.index_;
    if (index.seriesOfMetric(metric) >= store_.options_.max_series_per_metric) {
      ++cardinality_;
      return kNoSeries;
    }
    SeriesId id = index.add(labels, hash);
    if (id == kNoSeries) return kNoSeries;
    if (store_.head_->series.size() <= id) store_.head_->series.resize(id + 1);
    ByteWriter w(series_);
    w.varint(id);
    writeLabels(w, index.labels(id));
    ++n_series_;
    return id;
  }

  MetricsStore& store_;
  std::string series_, meta_, samples_;
  uint64_t n_series_ = 0, n_meta_ = 0, n_samples_ = 0;
  uint64_t duplicates_ = 0, out_of_order_ = 0, conflicts_ = 0, cardinality_ = 0;
  int64_t prev_t_ = 0;
};

AppendOutcome MetricsStore::appendToHead(SeriesId id, SeriesState& s, int64_t t, double v) {
  uint64_t bits = std::bit_cast<uint64_t>(v);
  if (t <= s.last_t) {
    if (t < s.last_t) return AppendOutcome::kOutOfOrder;
    return bits == s.last_v ? AppendOutcome::kDuplicate : AppendOutcome::kConflict;
  }
  if (s.open.count() >= options_.samples_per_chunk) {
    s.chunks.push_back({s.open.bytes(), s.open.count(), s.open.firstT(), s.open.lastT()});
    s.open.clear();
  }
  s.open.append(t, v);
  s.last_t = t;
  s.last_v = bits;
  s.min_t = std::min(s.min_t, t);
  s.max_t = std::max(s.max_t, t);
  Head& h = *head_;
  if (!s.in_flush_list) {
    s.in_flush_list = true;
    h.touched.push_back(id);
  }
  h.mint = std::min(h.mint, t);
  h.maxt = std::max(h.maxt, t);
  ++h.samples;
  return AppendOutcome::kAppended;
}

MetricsStore::MetricsStore(FileSystem& fs, MetricsStoreOptions options, NowFn now)
    : fs_(fs),
      options_(std::move(options)),
      now_(now ? std::move(now) : NowFn(wallClockMs)),
      head_(std::make_unique<Head>()) {}

Result<std::unique_ptr<MetricsStore>> MetricsStore::open(FileSystem& fs,
                                                         MetricsStoreOptions options, NowFn now) {
  std::unique_ptr<MetricsStore> store(new MetricsStore(fs, std::move(options), std::move(now)));
  PERISCOPE_RETURN_IF_ERROR(store->recover());
  if (store->options_.background_maintenance) {
    store->background_ = std::thread([s = store.get()] { s->backgroundLoop(); });
  }
  return store;
}

MetricsStore::~MetricsStore() {
  (void)close();
}

Status MetricsStore::close() {
  {
    std::lock_guard lock(bg_mu_);
    if (closed_) return Status::ok();
    closed_ = true;
    stop_ = true;
  }
  bg_cv_.notify_all();
  if (background_.joinable()) background_.join();
  Status st = flushHead();
  if (!st.isOk())
    log::error("store", "metrics head flush at close failed",
               {{"error", std::string(st.message())}});
  wal_.reset();  // writes and syncs what is queued, answering its senders
  return st;
}

// ---- Ingest ----

void MetricsStore::commit(Ingest& ingest, Done done) {
  // Under the exclusive lock: the WAL keeps records in the order ids were created.
  std::string record = ingest.record();
  ingest.publishStats();
  bool want_flush =
      head_->samples >= options_.head_max_samples ||
      (head_->maxt != INT64_MIN && head_->maxt - head_->mint >= options_.block_duration.count());
  if (record.empty()) {
    done(Status::ok());
  } else {
    wal_->append(record, [this, done = std::move(done)](Status st) {
      if (!st.isOk()) stats_.write_failures++;
      if (st.isOk()) killPoint("metrics.wal.after_sync_before_ack");
      done(st);
    });
  }
  if (want_flush) bg_cv_.notify_all();
}

void MetricsStore::appendSamples(std::span<const SampleRef> samples, Done done) {
  std::unique_lock lock(mu_);
  Ingest ingest(*this);
  for (const SampleRef& s : samples) ingest.sample(s.labels, s.t, s.v);
  commit(ingest, std::move(done));
}

void MetricsStore::putMetadata(const model::prom::MetricMetadata& md) {
  std::unique_lock lock(mu_);
  Ingest ingest(*this);
  ingest.metadata(md);
  commit(ingest, [](Status) {});
}

void MetricsStore::write(const model::Metrics& batch, Done done) {
  std::unique_lock lock(mu_);
  Ingest ingest(*this);
  model::prom::TranslateStats ts = translator_.translate(batch, ingest);
  stats_.translate_skipped += ts.skipped_points;
  if (ts.samples == 0 && ts.skipped_points > 0) {
    commit(ingest, [](Status) {});
    lock.unlock();
    done(Status(StatusCode::kInvalidArgument,
                "no point of the batch could be stored: " + ts.first_skip_reason));
    return;
  }
  commit(ingest, std::move(done));
}

namespace {
template <typename Fn>
Status waitFor(Fn&& start) {
  std::mutex m;
  std::condition_variable cv;
  bool finished = false;
  Status result;
  start([&](Status st) {
    std::lock_guard lock(m);
    result = std::move(st);
    finished = true;
    cv.notify_all();
  });
  std::unique_lock lock(m);
  cv.wait(lock, [&] { return finished; });
  return result;
}
}  // namespace

Status MetricsStore::writeSync(const model::Metrics& batch) {
  return waitFor([&](Done d) { write(batch, std::move(d)); });
}

Status MetricsStore::appendSamplesSync(std::span<const SampleRef> samples) {
  return waitFor([&](Done d) { appendSamples(samples, std::move(d)); });
}

// ---- Recovery ----

Status MetricsStore::replayRecord(std::string_view record) {
  ByteReader r(record);
  if (r.u8() != kRecordSamples) return Status(StatusCode::kDataLoss, "unknown metrics WAL record");
  uint64_t n_series = r.varint();
  std::vector<LabelRef> refs;
  for (uint64_t i = 0; i < n_series && !r.fail(); ++i) {
    uint64_t id = r.varint();
    uint64_t n = r.varint();
    if (n > r.remaining() || id >= kNoSeries) return Status(StatusCode::kDataLoss, "bad series");
    refs.clear();
    for (uint64_t j = 0; j < n; ++j) {
      std::string_view name = r.bytes();
      std::string_view value = r.bytes();
      refs.push_back({name, value});
    }
    if (r.fail()) break;
    uint64_t hash = model::prom::hashLabels(refs);
    if (index_.find(refs, hash) != kNoSeries) continue;
    SeriesId got = index_.add(refs, hash, static_cast<SeriesId>(id));
    if (got == kNoSeries) {
      return Status(StatusCode::kDataLoss,
                    "WAL series id " + std::to_string(id) + " is already taken by other labels");
    }
    if (head_->series.size() <= got) head_->series.resize(got + 1);
  }
  uint64_t n_meta = r.varint();
  for (uint64_t i = 0; i < n_meta && !r.fail(); ++i) {
    model::prom::MetricMetadata md;
    if (!readMetadata(r, md)) return Status(StatusCode::kDataLoss, "bad metadata entry");
    metadata_[md.family] = std::move(md);
  }
  uint64_t n_samples = r.varint();
  int64_t t = 0;
  for (uint64_t i = 0; i < n_samples && !r.fail(); ++i) {
    uint64_t id = r.varint();
    t += r.svarint();
    double v = std::bit_cast<double>(r.u64());
    if (r.fail()) break;
    if (!index_.exists(static_cast<SeriesId>(id))) continue;  // defined in a lost segment
    // Samples already in blocks come back as duplicates or out of order: skipped.
    if (appendToHead(static_cast<SeriesId>(id), head_->series[id], t, v) ==
        AppendOutcome::kAppended)
      stats_.wal_samples_replayed++;
  }
  if (r.fail()) return Status(StatusCode::kDataLoss, "metrics WAL record truncated");
  stats_.wal_records_replayed++;
  return Status::ok();
}

Status MetricsStore::readCheckpoint(uint64_t& wal_seq, uint64_t& block_seq) {
  wal_seq = 0;
  block_seq = 0;
  std::string path = options_.dir + "/" + std::string(kCheckpoint);
  auto exists = fs_.exists(path);
  if (!exists.isOk()) return exists.status();
  if (!*exists) return Status::ok();
  auto bytes = fs_.readAll(path);
  if (!bytes.isOk()) return bytes.status();
  std::string_view all = *bytes;
  auto damaged = [&] {
    return Status(StatusCode::kDataLoss, path +
                                             " is damaged; refusing to guess which series ids "
                                             "and WAL records it covered");
  };
  if (all.size() < kCheckpointMagic.size() + 12) return damaged();
  ByteReader tail(all.substr(all.size() - 4));
  if (crc32c(all.substr(0, all.size() - 4)) != tail.u32()) return damaged();
  ByteReader head(all.substr(0, kCheckpointMagic.size() + 8));
  if (head.raw(kCheckpointMagic.size()) != kCheckpointMagic) return damaged();
  auto body = zstdDecompress(
      all.substr(kCheckpointMagic.size() + 8, all.size() - kCheckpointMagic.size() - 12),
      head.u64());
  if (!body.isOk()) return damaged();
  ByteReader r(*body);
  wal_seq = r.u64();
  block_seq = r.u64();
  uint64_t n_series = r.varint();
  std::vector<LabelRef> refs;
  for (uint64_t i = 0; i < n_series && !r.fail(); ++i) {
    uint64_t id = r.varint();
    uint64_t n = r.varint();
    if (n > r.remaining() || id >= kNoSeries) return damaged();
    refs.clear();
    for (uint64_t j = 0; j < n; ++j) {
      std::string_view name = r.bytes();
      std::string_view value = r.bytes();
      refs.push_back({name, value});
    }
    if (r.fail() ||
        index_.add(refs, model::prom::hashLabels(refs), static_cast<SeriesId>(id)) == kNoSeries)
      return damaged();
  }
  head_->series.resize(index_.size());
  uint64_t n_meta = r.varint();
  for (uint64_t i = 0; i < n_meta && !r.fail(); ++i) {
    model::prom::MetricMetadata md;
    if (!readMetadata(r, md)) return damaged();
    metadata_[md.family] = std::move(md);
  }
  if (r.fail() || !r.done()) return damaged();
  return Status::ok();
}

Status MetricsStore::writeCheckpoint(uint64_t wal_seq) {
  std::string body;
  ByteWriter w(body);
  w.u64(wal_seq);
  {
    std::shared_lock lock(mu_);
    w.u64(blocks_.empty() ? 0 : blocks_.back()->seq);
    uint64_t n = 0;
    for (SeriesId id = 0; id < index_.size(); ++id) n += index_.exists(id);
    w.varint(n);
    for (SeriesId id = 0; id < index_.size(); ++id) {
      if (!index_.exists(id)) continue;
      w.varint(id);
      writeLabels(w, index_.labels(id));
    }
    w.varint(metadata_.size());
    for (const auto& [family, md] : metadata_) writeMetadata(w, md);
  }
  std::string z = zstdCompress(body, options_.block_zstd_level);
  if (z.empty()) return Status(StatusCode::kInternal, "metrics checkpoint: zstd failed");
  std::string bytes;
  ByteWriter out(bytes);
  out.raw(kCheckpointMagic);
  out.u64(body.size());
  out.raw(z);
  out.u32(crc32c(bytes));
  std::string path = options_.dir + "/" + std::string(kCheckpoint);
  std::string tmp = path + ".tmp";
  (void)fs_.remove(tmp);
  auto f = fs_.openAppend(tmp);
  if (!f.isOk()) return f.status();
  PERISCOPE_RETURN_IF_ERROR((*f)->append(bytes));
  PERISCOPE_RETURN_IF_ERROR((*f)->sync());
  PERISCOPE_RETURN_IF_ERROR((*f)->close());
  killPoint("metrics.checkpoint.before_rename");
  PERISCOPE_RETURN_IF_ERROR(fs_.rename(tmp, path));
  return fs_.syncDir(options_.dir);
}

Status MetricsStore::recover() {
  PERISCOPE_RETURN_IF_ERROR(fs_.createDir(options_.dir));
  auto entries = fs_.listDir(options_.dir);
  if (!entries.isOk()) return entries.status();
  for (const std::string& name : *entries) {
    bool ours = name == "wal" || name == "blocks" || name == "quarantine" || name == kCheckpoint ||
                name == std::string(kCheckpoint) + ".tmp";
    if (!ours)
      return Status(StatusCode::kFailedPrecondition,
                    options_.dir + " holds \"" + name +
                        "\", which is not a metrics store file; refusing to use a directory "
                        "that is not ours");
  }
  uint64_t wal_seq = 0, block_seq = 0;
  PERISCOPE_RETURN_IF_ERROR(readCheckpoint(wal_seq, block_seq));
  PERISCOPE_RETURN_IF_ERROR(loadBlocks(block_seq));

  WalOptions wo = walOptions(options_.fsync, options_.sync_interval, options_.group_commit_window,
                             options_.wal_segment_bytes);
  auto wal = Wal::open(fs_, options_.dir + "/wal", wo,
                       [&](uint64_t seq, std::string_view record) -> Status {
                         if (seq < wal_seq) return Status::ok();  // flushed; awaiting truncation
                         return replayRecord(record);
                       });
  if (!wal.isOk()) return wal.status();
  wal_ = std::move(*wal);
  const RecoveryStats& rs = wal_->recoveryStats();
  stats_.wal_truncated_bytes = rs.truncated_bytes;
  stats_.wal_corrupt_segments = rs.corruptions.size();
  stats_.head_series = head_->touched.size();
  stats_.head_samples = head_->samples;
  for (const auto& c : rs.corruptions) {
    log::error("store", "metrics WAL segment damaged mid-log; later records were not replayed",
               {{"file", c.file}, {"offset", std::to_string(c.offset)}, {"reason", c.reason}});
  }
  return Status::ok();
}

}  // namespace periscope::storage::metrics
