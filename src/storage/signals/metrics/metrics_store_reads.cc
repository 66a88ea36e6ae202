// MetricsStore reads: matcher selection over the series index, then per series the samples of
// overlapping blocks, of a block being written, and of the head, in time order.
#include <algorithm>
#include <set>

#include "storage/signals/metrics/metrics_store_internal.h"

namespace periscope::storage::metrics {
namespace {

void decodeInto(std::string_view bytes, uint32_t count, int64_t mint, int64_t maxt,
                std::vector<Sample>& out) {
  ChunkDecoder d(bytes, count);
  int64_t t;
  double v;
  while (d.next(t, v)) {
    if (t > maxt) break;
    if (t >= mint) out.push_back({t, v});
  }
}

void decodeChunks(const std::vector<SealedChunk>& chunks, int64_t mint, int64_t maxt,
                  std::vector<Sample>& out) {
  for (const SealedChunk& c : chunks) {
    if (c.maxt < mint || c.mint > maxt) continue;
    decodeInto(c.bytes, c.count, mint, maxt, out);
  }
}

}  // namespace

Result<std::vector<SeriesId>> MetricsStore::matching(std::span<const Matcher> matchers,
                                                     int64_t mint, int64_t maxt) const {
  auto ids = index_.select(matchers);
  if (!ids.isOk()) return ids.status();
  std::vector<SeriesId> out;
  out.reserve(ids->size());
  for (SeriesId id : *ids) {
    const SeriesState& s = head_->series[id];
    if (s.max_t >= mint && s.min_t <= maxt) out.push_back(id);
  }
  return out;
}

Status MetricsStore::readSeries(SeriesId id, int64_t mint, int64_t maxt, std::vector<Sample>& out,
                                PageCache& cache) const {
  for (const auto& bp : blocks_) {
    const Block& b = *bp;
    if (b.index.maxt < mint || b.index.mint > maxt) continue;
    auto it = std::lower_bound(b.by_id.begin(), b.by_id.end(), id,
                               [](const BlockSeriesRef& r, SeriesId x) { return r.id < x; });
    if (it == b.by_id.end() || it->id != id) continue;
    const BlockSeriesEntry& e = b.index.series[it->entry];
    if (e.maxt < mint || e.mint > maxt) continue;
    auto key = std::make_pair(static_cast<const void*>(&b), e.page);
    auto page = cache.pages.find(key);
    if (page == cache.pages.end()) {
      const BlockPage& p = b.index.pages[e.page];
      auto raw = b.file->read(p.offset, 4 + size_t{p.compressed});
      if (!raw.isOk()) return raw.status();
      auto decoded = decodeBlockPage(*raw, p);
      if (!decoded.isOk()) {
        return Status(decoded.status().code(),
                      b.path + ": " + std::string(decoded.status().message()));
      }
      page = cache.pages.emplace(key, std::move(*decoded)).first;
    }
    if (!decodeSeriesStream(std::string_view(page->second).substr(e.offset, e.length), e.count,
                            mint, maxt, out)) {
      return Status(StatusCode::kDataLoss,
                    b.path + ": metrics block damaged: series stream does not decode");
    }
  }
  const auto& flushing = head_->flushing;
  auto f = std::lower_bound(flushing.begin(), flushing.end(), id,
                            [](const Head::Flushing& x, SeriesId y) { return x.id < y; });
  if (f != flushing.end() && f->id == id) decodeChunks(f->chunks, mint, maxt, out);
  const SeriesState& s = head_->series[id];
  decodeChunks(s.chunks, mint, maxt, out);
  if (s.open.count() > 0 && s.open.lastT() >= mint && s.open.firstT() <= maxt) {
    std::string bytes = s.open.bytes();
    decodeInto(bytes, s.open.count(), mint, maxt, out);
  }
  // Sources are disjoint in time by construction; stay correct if a replay overlapped them.
  auto by_t = [](const Sample& a, const Sample& b) { return a.t < b.t; };
  if (!std::is_sorted(out.begin(), out.end(), by_t)) std::stable_sort(out.begin(), out.end(), by_t);
  out.erase(std::unique(out.begin(), out.end(),
                        [](const Sample& a, const Sample& b) { return a.t == b.t; }),
            out.end());
  return Status::ok();
}

Result<std::vector<Series>> MetricsStore::select(std::span<const Matcher> matchers, int64_t mint,
                                                 int64_t maxt) const {
  std::shared_lock lock(mu_);
  auto ids = matching(matchers, mint, maxt);
  if (!ids.isOk()) return ids.status();
  if (ids->size() > options_.max_series_per_query) {
    return Status(StatusCode::kResourceExhausted,
                  "the selection matches " + std::to_string(ids->size()) +
                      " series, over the limit of " +
                      std::to_string(options_.max_series_per_query) + " per query");
  }
  std::vector<Series> out;
  PageCache cache;
  std::vector<Sample> samples;
  for (SeriesId id : *ids) {
    samples.clear();
    PERISCOPE_RETURN_IF_ERROR(readSeries(id, mint, maxt, samples, cache));
    if (samples.empty()) continue;
    out.push_back({index_.labels(id), samples});
  }
  std::sort(out.begin(), out.end(),
            [](const Series& a, const Series& b) { return a.labels < b.labels; });
  return out;
}

Result<std::vector<Labels>> MetricsStore::series(std::span<const Matcher> matchers, int64_t mint,
                                                 int64_t maxt) const {
  std::shared_lock lock(mu_);
  auto ids = matching(matchers, mint, maxt);
  if (!ids.isOk()) return ids.status();
  std::vector<Labels> out;
  out.reserve(ids->size());
  for (SeriesId id : *ids) out.push_back(index_.labels(id));
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<std::string>> MetricsStore::labelNames(std::span<const Matcher> matchers,
                                                          int64_t mint, int64_t maxt) const {
  std::shared_lock lock(mu_);
  auto ids = matching(matchers, mint, maxt);
  if (!ids.isOk()) return ids.status();
  std::set<std::string_view> names;
  for (SeriesId id : *ids) {
    for (const Label& l : index_.labels(id)) names.insert(l.name);
  }
  return std::vector<std::string>(names.begin(), names.end());
}

Result<std::vector<std::string>> MetricsStore::labelValues(std::string_view name,
                                                           std::span<const Matcher> matchers,
                                                           int64_t mint, int64_t maxt) const {
  std::shared_lock lock(mu_);
  auto ids = matching(matchers, mint, maxt);
  if (!ids.isOk()) return ids.status();
  std::set<std::string_view> values;
  for (SeriesId id : *ids) {
    std::string_view v = model::prom::labelValue(index_.labels(id), name);
    if (!v.empty()) values.insert(v);
  }
  return std::vector<std::string>(values.begin(), values.end());
}

std::vector<model::prom::MetricMetadata> MetricsStore::metadata(std::string_view metric,
                                                                size_t limit) const {
  std::shared_lock lock(mu_);
  std::vector<model::prom::MetricMetadata> out;
  for (const auto& [family, md] : metadata_) {
    if (!metric.empty() && family != metric) continue;
    if (limit > 0 && out.size() >= limit) break;
    out.push_back(md);
  }
  return out;
}

}  // namespace periscope::storage::metrics
