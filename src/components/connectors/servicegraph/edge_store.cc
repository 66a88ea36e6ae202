#include "components/connectors/servicegraph/edge_store.h"

#include <algorithm>
#include <cstring>

#include "components/connectors/key_hash.h"

namespace periscope::components::servicegraph {

std::string_view connectionTypeName(ConnectionType t) {
  switch (t) {
    case ConnectionType::kMessagingSystem:
      return "messaging_system";
    case ConnectionType::kDatabase:
      return "database";
    case ConnectionType::kVirtualNode:
      return "virtual_node";
    case ConnectionType::kUnset:
      break;
  }
  return "";
}

EdgeKey makeEdgeKey(std::string_view trace_id, std::string_view span_id) {
  EdgeKey key{};
  if (trace_id.size() == 16 && span_id.size() == 8) {  // valid ids: fixed-size copies
    std::memcpy(key.data(), trace_id.data(), 16);
    std::memcpy(key.data() + 16, span_id.data(), 8);
    return key;
  }
  std::memcpy(key.data(), trace_id.data(), std::min<size_t>(trace_id.size(), 16));
  std::memcpy(key.data() + 16, span_id.data(), std::min<size_t>(span_id.size(), 8));
  return key;
}

namespace {

bool sameKey(const EdgeKey& a, const EdgeKey& b) {
  uint64_t x[3];
  uint64_t y[3];
  std::memcpy(x, a.data(), sizeof x);
  std::memcpy(y, b.data(), sizeof y);
  return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2])) == 0;
}

}  // namespace

EdgeStore::EdgeStore(uint32_t max_items, uint64_t ttl_ns, size_t dims)
    : ttl_ns_(ttl_ns),
      dims_(dims),
      edges_(max_items),
      prev_(max_items, kNone),
      next_(max_items, kNone),
      dim_values_(size_t{max_items} * 2 * dims, kNone) {
  free_.reserve(max_items);
  for (uint32_t i = max_items; i > 0; --i) free_.push_back(i - 1);
  size_t capacity = 16;
  while (capacity < size_t{max_items} * 2) capacity *= 2;
  slots_.assign(capacity, 0);
  mask_ = capacity - 1;
}

size_t EdgeStore::slotOf(const EdgeKey& key) const {
  return connectors::hashBytes({key.data(), key.size()}) & mask_;
}

size_t EdgeStore::findSlot(const EdgeKey& key) const {
  size_t s = slotOf(key);
  while (slots_[s] != 0 && !sameKey(edges_[slots_[s] - 1].key, key)) s = (s + 1) & mask_;
  return s;
}

std::pair<Edge*, EdgeStore::Found> EdgeStore::upsert(const EdgeKey& key, uint64_t now) {
  size_t s = findSlot(key);
  if (slots_[s] != 0) return {&edges_[slots_[s] - 1], Found::kExisting};
  if (free_.empty()) return {nullptr, Found::kFull};
  uint32_t i = free_.back();
  free_.pop_back();
  slots_[s] = i + 1;
  edges_[i] = Edge{};
  edges_[i].key = key;
  edges_[i].created = now;
  std::fill_n(dim_values_.begin() + static_cast<ptrdiff_t>(i * 2 * dims_), 2 * dims_, kNone);
  prev_[i] = tail_;
  next_[i] = kNone;
  if (tail_ != kNone) next_[tail_] = i;
  tail_ = i;
  if (head_ == kNone) head_ = i;
  ++size_;
  return {&edges_[i], Found::kNew};
}

void EdgeStore::remove(Edge* edge) {
  const uint32_t i = indexOf(edge);
  // Backward-shift deletion keeps every probe chain intact without tombstones.
  size_t hole = findSlot(edge->key);
  size_t s = (hole + 1) & mask_;
  while (slots_[s] != 0) {
    size_t home = slotOf(edges_[slots_[s] - 1].key);
    // Move the entry into the hole unless its home lies cyclically in (hole, s].
    bool stays = hole <= s ? (home > hole && home <= s) : (home > hole || home <= s);
    if (!stays) {
      slots_[hole] = slots_[s];
      hole = s;
    }
    s = (s + 1) & mask_;
  }
  slots_[hole] = 0;
  if (prev_[i] != kNone) next_[prev_[i]] = next_[i];
  if (next_[i] != kNone) prev_[next_[i]] = prev_[i];
  if (head_ == i) head_ = next_[i];
  if (tail_ == i) tail_ = prev_[i];
  prev_[i] = next_[i] = kNone;
  free_.push_back(i);
  --size_;
}

std::span<uint32_t> EdgeStore::clientDims(const Edge* edge) {
  return std::span<uint32_t>(dim_values_).subspan(indexOf(edge) * 2 * dims_, dims_);
}

std::span<uint32_t> EdgeStore::serverDims(const Edge* edge) {
  return std::span<uint32_t>(dim_values_).subspan(indexOf(edge) * 2 * dims_ + dims_, dims_);
}

}  // namespace periscope::components::servicegraph
