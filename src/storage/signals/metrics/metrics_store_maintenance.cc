// MetricsStore maintenance: cutting the head into a block, loading blocks at open, retention,
// and the background thread that runs them.
#include <algorithm>
#include <cstdio>

#include "common/kill_point.h"
#include "common/logging.h"
#include "storage/signals/metrics/metrics_store_internal.h"

namespace periscope::storage::metrics {
namespace {

constexpr std::string_view kBlockPrefix = "block-";
constexpr std::string_view kBlockSuffix = ".pmb";

std::string blockName(uint64_t seq) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "block-%016llu.pmb", static_cast<unsigned long long>(seq));
  return buf;
}

// The sequence of a `block-<seq>.pmb` name, or 0.
uint64_t parseBlockName(std::string_view name) {
  if (name.size() <= kBlockPrefix.size() + kBlockSuffix.size() ||
      name.substr(0, kBlockPrefix.size()) != kBlockPrefix ||
      name.substr(name.size() - kBlockSuffix.size()) != kBlockSuffix)
    return 0;
  uint64_t seq = 0;
  for (char c :
       name.substr(kBlockPrefix.size(), name.size() - kBlockPrefix.size() - kBlockSuffix.size())) {
    if (c < '0' || c > '9') return 0;
    seq = seq * 10 + static_cast<uint64_t>(c - '0');
  }
  return seq;
}

void decodeAll(const std::vector<SealedChunk>& chunks, std::vector<Sample>& out) {
  out.clear();
  for (const SealedChunk& c : chunks) {
    ChunkDecoder d(c.bytes, c.count);
    int64_t t;
    double v;
    while (d.next(t, v)) out.push_back({t, v});
  }
}

}  // namespace

Status MetricsStore::flushHead() {
  std::lock_guard flush_lock(flush_mu_);
  uint64_t wal_seq = 0, seq = 0;
  {
    std::shared_lock lock(mu_);
    if (head_->touched.empty()) return Status::ok();
  }
  // A fresh segment for what arrives from now on: the segments before it hold only samples
  // this flush puts in the block, so the truncation below deletes them all. If rotating
  // fails, the current segment is kept until a later flush (its records replay as duplicates).
  if (Status st = wal_->rotate(); !st.isOk()) {
    log::warn("store", "metrics WAL could not start a new segment before a flush",
              {{"error", std::string(st.message())}});
  }
  {
    std::unique_lock lock(mu_);
    Head& h = *head_;
    if (h.touched.empty()) return Status::ok();
    // Samples appended from now on land in this segment or later: replay starts here.
    wal_seq = wal_->currentSegment();
    std::sort(h.touched.begin(), h.touched.end());
    h.flushing.clear();
    h.flushing.reserve(h.touched.size());
    for (SeriesId id : h.touched) {
      SeriesState& s = h.series[id];
      if (s.open.count() > 0) {
        s.chunks.push_back({s.open.bytes(), s.open.count(), s.open.firstT(), s.open.lastT()});
        s.open.clear();
      }
      h.flushing.push_back({id, index_.labels(id), std::move(s.chunks)});
      s.chunks.clear();
      s.in_flush_list = false;
    }
    h.touched.clear();
    h.mint = INT64_MAX;
    h.maxt = INT64_MIN;
    h.samples = 0;
    seq = next_block_seq_++;
  }

  // head_->flushing is only read by others until this flush clears it.
  BlockBuilder builder(options_.block_zstd_level);
  std::vector<Sample> samples;
  std::string stream;
  for (const Head::Flushing& f : head_->flushing) {
    decodeAll(f.chunks, samples);
    if (samples.empty()) continue;
    stream.clear();
    encodeSeriesStream(samples, stream);
    builder.add(f.labels, stream, static_cast<uint32_t>(samples.size()), samples.front().t,
                samples.back().t);
  }
  std::string file = builder.finish();
  std::string dir = options_.dir + "/blocks";
  std::string path = dir + "/" + blockName(seq);
  auto write = [&]() -> Result<std::unique_ptr<Block>> {
    PERISCOPE_RETURN_IF_ERROR(fs_.createDir(dir));
    std::string tmp = path + ".tmp";
    (void)fs_.remove(tmp);
    auto f = fs_.openAppend(tmp);
    if (!f.isOk()) return f.status();
    PERISCOPE_RETURN_IF_ERROR((*f)->append(file));
    PERISCOPE_RETURN_IF_ERROR((*f)->sync());
    PERISCOPE_RETURN_IF_ERROR((*f)->close());
    PERISCOPE_RETURN_IF_ERROR(fs_.rename(tmp, path));
    PERISCOPE_RETURN_IF_ERROR(fs_.syncDir(dir));
    killPoint("metrics.block.after_rename");
    auto footer = decodeBlockFooter(std::string_view(file).substr(file.size() - kBlockFooterSize),
                                    file.size());
    if (!footer.isOk()) return footer.status();
    auto index = decodeBlockIndex(
        std::string_view(file).substr(footer->index_offset, footer->index_compressed), *footer);
    if (!index.isOk()) return index.status();
    auto block = std::make_unique<Block>();
    block->seq = seq;
    block->path = path;
    block->bytes = file.size();
    block->index = std::move(*index);
    auto rf = fs_.openRead(path);
    if (!rf.isOk()) return rf.status();
    block->file = std::move(*rf);
    return block;
  };
  auto block = write();

  std::unique_lock lock(mu_);
  Head& h = *head_;
  if (!block.isOk()) {
    // Put the chunks back in front of whatever arrived meanwhile; the WAL still has them.
    for (Head::Flushing& f : h.flushing) {
      SeriesState& s = h.series[f.id];
      for (const SealedChunk& c : f.chunks) {
        h.samples += c.count;
        h.mint = std::min(h.mint, c.mint);
        h.maxt = std::max(h.maxt, c.maxt);
      }
      f.chunks.insert(f.chunks.end(), std::make_move_iterator(s.chunks.begin()),
                      std::make_move_iterator(s.chunks.end()));
      s.chunks = std::move(f.chunks);
      if (!s.in_flush_list) {
        s.in_flush_list = true;
        h.touched.push_back(f.id);
      }
    }
    h.flushing.clear();
    stats_.flush_failures++;
    log::error("store", "metrics head flush failed; will retry",
               {{"file", path}, {"error", std::string(block.status().message())}});
    return block.status();
  }
  Block& b = **block;
  for (uint32_t i = 0; i < b.index.series.size(); ++i) {
    b.by_id.push_back({index_.find(b.index.series[i].labels), i});
  }
  std::sort(b.by_id.begin(), b.by_id.end(),
            [](const BlockSeriesRef& x, const BlockSeriesRef& y) { return x.id < y.id; });
  stats_.blocks++;
  stats_.block_bytes += b.bytes;
  stats_.block_samples += b.index.samples;
  stats_.head_flushes++;
  stats_.head_series = h.touched.size();
  stats_.head_samples = h.samples;
  blocks_.push_back(std::move(*block));
  h.flushing.clear();
  lock.unlock();

  PERISCOPE_RETURN_IF_ERROR(writeCheckpoint(wal_seq));
  killPoint("metrics.checkpoint.after_rename");
  return wal_->truncateBefore(wal_seq);
}

Status MetricsStore::loadBlocks(uint64_t checkpoint_block_seq) {
  std::string dir = options_.dir + "/blocks";
  PERISCOPE_RETURN_IF_ERROR(fs_.createDir(dir));
  auto entries = fs_.listDir(dir);
  if (!entries.isOk()) return entries.status();
  for (const std::string& name : *entries) {
    std::string path = dir + "/" + name;
    uint64_t seq = parseBlockName(name);
    if (seq == 0) {
      if (name.ends_with(".tmp")) {
        PERISCOPE_RETURN_IF_ERROR(fs_.remove(path));
        continue;
      }
      return Status(StatusCode::kFailedPrecondition,
                    path + " is not a metrics block; refusing to use a directory that is not ours");
    }
    next_block_seq_ = std::max(next_block_seq_, seq + 1);
    if (seq > checkpoint_block_seq) {
      // Written by a flush that never reached its checkpoint: the WAL replays its samples.
      PERISCOPE_RETURN_IF_ERROR(fs_.remove(path));
      continue;
    }
    auto block = [&]() -> Result<std::unique_ptr<Block>> {
      auto rf = fs_.openRead(path);
      if (!rf.isOk()) return rf.status();
      auto size = (*rf)->size();
      if (!size.isOk()) return size.status();
      if (*size < kBlockFooterSize + 8)
        return Status(StatusCode::kDataLoss, "metrics block damaged: shorter than its footer");
      auto tail = (*rf)->read(*size - kBlockFooterSize, kBlockFooterSize);
      if (!tail.isOk()) return tail.status();
      auto footer = decodeBlockFooter(*tail, *size);
      if (!footer.isOk()) return footer.status();
      auto z = (*rf)->read(footer->index_offset, footer->index_compressed);
      if (!z.isOk()) return z.status();
      auto index = decodeBlockIndex(*z, *footer);
      if (!index.isOk()) return index.status();
      auto b = std::make_unique<Block>();
      b->seq = seq;
      b->path = path;
      b->bytes = *size;
      b->index = std::move(*index);
      b->file = std::move(*rf);
      return b;
    }();
    if (!block.isOk()) {
      log::error("store", "metrics block damaged; moved to quarantine",
                 {{"file", path}, {"error", std::string(block.status().message())}});
      PERISCOPE_RETURN_IF_ERROR(fs_.createDir(options_.dir + "/quarantine"));
      PERISCOPE_RETURN_IF_ERROR(fs_.rename(path, options_.dir + "/quarantine/" + name));
      stats_.blocks_quarantined++;
      continue;
    }
    Block& b = **block;
    for (uint32_t i = 0; i < b.index.series.size(); ++i) {
      const BlockSeriesEntry& e = b.index.series[i];
      SeriesId id = index_.find(e.labels);
      if (id == kNoSeries) {
        std::vector<LabelRef> refs;
        for (const Label& l : e.labels) refs.push_back({l.name, l.value});
        id = index_.add(refs, model::prom::hashLabels(refs));
      }
      if (head_->series.size() <= id) head_->series.resize(id + 1);
      SeriesState& s = head_->series[id];
      if (e.maxt > s.last_t) {
        s.last_t = e.maxt;
        s.last_v = ~uint64_t{0};  // unknown: a re-sent last sample counts as a conflict
      }
      s.min_t = std::min(s.min_t, e.mint);
      s.max_t = std::max(s.max_t, e.maxt);
      b.by_id.push_back({id, i});
    }
    std::sort(b.by_id.begin(), b.by_id.end(),
              [](const BlockSeriesRef& x, const BlockSeriesRef& y) { return x.id < y.id; });
    stats_.blocks++;
    stats_.block_bytes += b.bytes;
    stats_.block_samples += b.index.samples;
    blocks_.push_back(std::move(*block));
  }
  std::sort(blocks_.begin(), blocks_.end(),
            [](const auto& x, const auto& y) { return x->seq < y->seq; });
  return Status::ok();
}

// After retention deleted blocks, each series' [min_t, max_t] shrinks to the data that is left
// (none: empty), so series, label and matcher lookups stop listing series whose samples are
// all gone. Cost: one pass over series × blocks, only when blocks were deleted.
void MetricsStore::refreshSeriesBounds() {
  Head& h = *head_;
  std::vector<int64_t> lo(h.series.size(), INT64_MAX), hi(h.series.size(), INT64_MIN);
  auto widen = [&](SeriesId id, int64_t a, int64_t b) {
    lo[id] = std::min(lo[id], a);
    hi[id] = std::max(hi[id], b);
  };
  for (const auto& b : blocks_) {
    for (const BlockSeriesRef& r : b->by_id) {
      const BlockSeriesEntry& e = b->index.series[r.entry];
      widen(r.id, e.mint, e.maxt);
    }
  }
  for (const Head::Flushing& f : h.flushing) {
    for (const SealedChunk& c : f.chunks) widen(f.id, c.mint, c.maxt);
  }
  for (SeriesId id = 0; id < h.series.size(); ++id) {
    SeriesState& st = h.series[id];
    for (const SealedChunk& c : st.chunks) widen(id, c.mint, c.maxt);
    if (st.open.count() > 0) widen(id, st.open.firstT(), st.open.lastT());
    st.min_t = lo[id];
    st.max_t = hi[id];
  }
}

Status MetricsStore::applyRetention() {
  std::lock_guard flush_lock(flush_mu_);
  std::vector<std::unique_ptr<Block>> doomed;
  {
    std::unique_lock lock(mu_);
    int64_t cutoff =
        options_.retention.count() > 0 ? now_() - options_.retention.count() : INT64_MIN;
    uint64_t total = 0;
    for (const auto& b : blocks_) total += b->bytes;
    std::vector<std::unique_ptr<Block>> kept;
    for (auto& b : blocks_) {
      bool too_old = b->index.maxt < cutoff;
      bool too_big = options_.max_bytes > 0 && total > options_.max_bytes;
      if (too_old || too_big) {
        total -= b->bytes;
        doomed.push_back(std::move(b));
      } else {
        kept.push_back(std::move(b));
      }
    }
    blocks_ = std::move(kept);
    if (!doomed.empty()) refreshSeriesBounds();
  }
  Status result;
  for (auto& b : doomed) {
    stats_.blocks--;
    stats_.block_bytes -= b->bytes;
    stats_.block_samples -= b->index.samples;
    stats_.retention_deleted_blocks++;
    b->file.reset();
    Status st = fs_.remove(b->path);
    if (!st.isOk() && result.isOk()) result = st;
  }
  return result;
}

void MetricsStore::backgroundLoop() {
  std::unique_lock lock(bg_mu_);
  while (!stop_) {
    bg_cv_.wait_for(lock, options_.maintenance_interval);
    if (stop_) break;
    lock.unlock();
    bool want_flush;
    {
      std::shared_lock data(mu_);
      want_flush = head_->samples >= options_.head_max_samples ||
                   (head_->maxt != INT64_MIN &&
                    head_->maxt - head_->mint >= options_.block_duration.count());
    }
    if (want_flush) (void)flushHead();  // logged and counted inside
    Status st = applyRetention();
    if (!st.isOk()) {
      log::warn("store", "metrics retention could not delete a block",
                {{"error", std::string(st.message())}});
    }
    lock.lock();
  }
}

}  // namespace periscope::storage::metrics
