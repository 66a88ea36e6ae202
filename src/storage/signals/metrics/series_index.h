// SeriesIndex: every series the metrics store knows (head and blocks) — id ↔ labels by the
// stable labels hash in an open-addressing table (power-of-two size, linear probing; a hash
// collision only costs another probe), each series' labels also kept in one arena so the
// per-sample check is a walk over contiguous bytes, no per-label string objects;
// postings (label name → value → ascending series ids) for matcher selection, and series
// counts per metric name for the cardinality limit. Not thread-safe: the store's lock guards it.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <string_view>
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
  struct Slot {
    uint64_t hash = 0;
    SeriesId id = kNoSeries;  // kNoSeries: empty
  };
  // Where a series' labels lie in arena_: per label u32 name length, u32 value length, name,
  // value.
  struct ArenaKey {
    uint64_t offset = 0;
    uint64_t count = 0;
  };
  bool keyEquals(SeriesId id, std::span<const LabelRef> labels) const;
  size_t slotOf(uint64_t hash) const { return (hash * 0x9E3779B97F4A7C15ull) >> shift_; }
  void grow();

  std::vector<Labels> labels_;
  std::vector<ArenaKey> keys_;  // by id
  std::string arena_;
  std::vector<Slot> slots_;  // size 2^(64 - shift_), at most half full
  int shift_ = 64;
  size_t used_ = 0;
  std::map<std::string, ValuePostings, std::less<>> postings_;
  std::map<std::string, size_t, std::less<>> per_metric_;
};

}  // namespace periscope::storage::metrics
