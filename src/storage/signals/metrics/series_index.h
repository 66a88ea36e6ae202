// SeriesIndex: every series the metrics store knows (head and blocks) — id ↔ labels by the
// stable labels hash (with a full compare, so a hash collision only costs a slower lookup),
// postings (label name → value → ascending series ids) for matcher selection, and series
// counts per metric name for the cardinality limit. Not thread-safe: the store's lock guards it.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/status.h"
#include "model/prometheus/labels.h"
#include "storage/signals/metrics/metrics_reader.h"

namespace periscope::storage::metrics {

using model::prom::LabelRef;
using SeriesId = uint32_t;
inline constexpr SeriesId kNoSeries = std::numeric_limits<SeriesId>::max();

class SeriesIndex {
 public:
  SeriesId find(std::span<const LabelRef> labels, uint64_t hash) const;
  SeriesId find(const Labels& labels) const;
  // Registers a new series (the caller checked find()); `id` kNoSeries = the next free id.
  // A replayed id that is already taken by other labels is refused (kNoSeries).
  SeriesId add(std::span<const LabelRef> labels, uint64_t hash, SeriesId id = kNoSeries);

  size_t size() const { return labels_.size(); }  // ids are dense, possibly with holes
  bool exists(SeriesId id) const { return id < labels_.size() && !labels_[id].empty(); }
  const Labels& labels(SeriesId id) const { return labels_[id]; }
  size_t seriesOfMetric(std::string_view metric_name) const;

  // Ascending ids of series matching every matcher (Prometheus semantics: a missing label is
  // the empty value). INVALID_ARGUMENT naming a bad regex.
  Result<std::vector<SeriesId>> select(std::span<const Matcher> matchers) const;

  // label name → value → ids, for label names/values queries.
  using ValuePostings = std::map<std::string, std::vector<SeriesId>, std::less<>>;
  const std::map<std::string, ValuePostings, std::less<>>& postings() const { return postings_; }

 private:
  std::vector<Labels> labels_;
  std::unordered_map<uint64_t, SeriesId> by_hash_;
  std::vector<std::pair<uint64_t, SeriesId>> collisions_;  // later series whose hash was taken
  std::map<std::string, ValuePostings, std::less<>> postings_;
  std::map<std::string, size_t, std::less<>> per_metric_;
};

}  // namespace periscope::storage::metrics
