// EdgeStore: the half-seen requests of the servicegraph connector, keyed by trace id + the
// client's span id (a server span finds its client through its parent span id). Fixed capacity
// (store.max_items) allocated up front: an open-addressing table plus a slab of edges linked in
// arrival order, so expiry pops the oldest first and nothing is allocated per span.
// Not thread-safe; the connector holds its lock around every call.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace periscope::components::servicegraph {

enum class ConnectionType : uint8_t { kUnset, kMessagingSystem, kDatabase, kVirtualNode };
std::string_view connectionTypeName(ConnectionType t);  // "", "messaging_system", …

inline constexpr uint32_t kNone = UINT32_MAX;  // an absent interned string

using EdgeKey = std::array<char, 24>;
// trace id (up to 16 bytes) followed by a span id (up to 8 bytes), zero-padded.
EdgeKey makeEdgeKey(std::string_view trace_id, std::string_view span_id);

struct Edge {
  EdgeKey key{};
  uint64_t created = 0;
  uint32_t client = kNone;  // interned service names
  uint32_t server = kNone;
  uint32_t peer = kNone;  // first virtual_node_peer_attributes value of the client span
  ConnectionType type = ConnectionType::kUnset;
  bool failed = false;
  double client_seconds = 0;
  double server_seconds = 0;
  bool complete() const { return client != kNone && server != kNone; }
};

class EdgeStore {
 public:
  // `dims`: interned dimension values per side (client and server) of each edge.
  EdgeStore(uint32_t max_items, uint64_t ttl_ns, size_t dims);

  enum class Found { kNew, kExisting, kFull };
  // The edge for `key`, created (with empty dimensions) if absent; null and kFull when full.
  std::pair<Edge*, Found> upsert(const EdgeKey& key, uint64_t now);
  void remove(Edge* edge);
  std::span<uint32_t> clientDims(const Edge* edge);
  std::span<uint32_t> serverDims(const Edge* edge);

  // Removes every edge created at or before now - ttl, oldest first, calling fn on each first.
  template <typename Fn>
  void expire(uint64_t now, Fn&& fn) {
    while (head_ != kNone && edges_[head_].created + ttl_ns_ <= now) {
      Edge* e = &edges_[head_];
      fn(*e);
      remove(e);
    }
  }
  size_t size() const { return size_; }

 private:
  uint32_t indexOf(const Edge* e) const { return static_cast<uint32_t>(e - edges_.data()); }
  size_t slotOf(const EdgeKey& key) const;
  size_t findSlot(const EdgeKey& key) const;  // the slot holding key, or an empty one

  uint64_t ttl_ns_;
  size_t dims_;
  std::vector<Edge> edges_;
  std::vector<uint32_t> prev_, next_;  // arrival order (oldest at head_)
  std::vector<uint32_t> dim_values_;   // 2 * dims_ per edge
  std::vector<uint32_t> free_;
  std::vector<uint32_t> slots_;  // edge index + 1; 0 = empty
  size_t mask_;
  uint32_t head_ = kNone;
  uint32_t tail_ = kNone;
  size_t size_ = 0;
};

}  // namespace periscope::components::servicegraph
