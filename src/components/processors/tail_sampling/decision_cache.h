// DecisionCache: a bounded LRU of decided trace ids with the time of their decision, so late
// spans of a decided trace follow its decision at once (the collector's decision_cache).
#pragma once

#include <cstdint>
#include <list>
#include <optional>
#include <unordered_map>

#include "components/processors/tail_sampling/trace_buffer.h"

namespace periscope::components::tail_sampling {

class DecisionCache {
 public:
  explicit DecisionCache(size_t capacity) : capacity_(capacity) {}

  void put(const TraceKey& key, int64_t decided_at) {
    if (capacity_ == 0) return;
    if (auto it = index_.find(key); it != index_.end()) {
      it->second->second = decided_at;
      order_.splice(order_.begin(), order_, it->second);
      return;
    }
    order_.emplace_front(key, decided_at);
    index_.emplace(key, order_.begin());
    if (index_.size() > capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
  }

  // The decision time when cached; a hit makes the entry most recently used.
  std::optional<int64_t> get(const TraceKey& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->second;
  }

  bool contains(const TraceKey& key) const { return index_.contains(key); }
  void erase(const TraceKey& key) {
    if (auto it = index_.find(key); it != index_.end()) {
      order_.erase(it->second);
      index_.erase(it);
    }
  }
  size_t size() const { return index_.size(); }

 private:
  using Entry = std::pair<TraceKey, int64_t>;
  size_t capacity_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<TraceKey, std::list<Entry>::iterator, TraceKeyHash> index_;
};

}  // namespace periscope::components::tail_sampling
