#include "storage/signals/traces/segment.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <unordered_map>

namespace periscope::storage {
namespace {

uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}
uint64_t halves(const TraceId& id, uint64_t& b) {
  uint64_t a;
  std::memcpy(&a, id.data(), 8);
  std::memcpy(&b, id.data() + 8, 8);
  return a;
}
uint64_t hashA(const TraceId& id) {
  uint64_t b, a = halves(id, b);
  return mix(a ^ (b * 0x9E3779B97F4A7C15ull));
}
uint64_t hashB(const TraceId& id) {
  uint64_t b, a = halves(id, b);
  return mix(b + a + 0x632BE59BD9B4E019ull) | 1;
}

}  // namespace

// ---- Bloom filter (double hashing, k = 7) ----

void BloomFilter::init(size_t items, int bits_per_item) {
  size_t bits = std::max<size_t>(64, items * static_cast<size_t>(bits_per_item));
  words.assign((bits + 63) / 64, 0);
}

void BloomFilter::add(const TraceId& id) {
  uint64_t n = words.size() * 64, a = hashA(id), b = hashB(id);
  for (int i = 0; i < 7; ++i) {
    uint64_t bit = (a + static_cast<uint64_t>(i) * b) % n;
    words[bit / 64] |= 1ull << (bit % 64);
  }
}

bool BloomFilter::mayContain(const TraceId& id) const {
  if (words.empty()) return true;
  uint64_t n = words.size() * 64, a = hashA(id), b = hashB(id);
  for (int i = 0; i < 7; ++i) {
    uint64_t bit = (a + static_cast<uint64_t>(i) * b) % n;
    if ((words[bit / 64] & (1ull << (bit % 64))) == 0) return false;
  }
  return true;
}

// ---- LoadedSegment ----

bool LoadedRowGroup::keyIndexed(uint32_t key) const {
  return std::binary_search(indexed_keys.begin(), indexed_keys.end(), key);
}

std::pair<uint32_t, uint32_t> LoadedRowGroup::traceRows(const TraceId& id) const {
  auto it = std::lower_bound(trace_ids.begin(), trace_ids.end(), id);
  if (it == trace_ids.end() || *it != id) return {0, 0};
  return trace_rows[static_cast<size_t>(it - trace_ids.begin())];
}

size_t LoadedRowGroup::memoryBytes() const {
  size_t n = table.memoryBytes() + trace_ids.size() * 20;
  for (const auto& [k, rows] : attr_index) n += 48 + rows.size() * 4;
  return n;
}

std::vector<uint32_t> segmentOrder(const SpanTable& t, std::vector<uint32_t> rows) {
  // Slice of each trace = slice of its earliest span here, so a trace never splits.
  std::unordered_map<TraceId, uint64_t, TraceIdHash> first;
  for (uint32_t r : rows) {
    auto [it, inserted] = first.emplace(t.trace_id[r], t.start_ns[r]);
    if (!inserted) it->second = std::min(it->second, t.start_ns[r]);
  }
  std::vector<std::pair<uint64_t, uint32_t>> keyed;  // (slice, row)
  keyed.reserve(rows.size());
  for (uint32_t r : rows) keyed.emplace_back(first[t.trace_id[r]] / kSegmentSliceNs, r);
  std::sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    if (t.trace_id[a.second] != t.trace_id[b.second])
      return t.trace_id[a.second] < t.trace_id[b.second];
    if (t.start_ns[a.second] != t.start_ns[b.second])
      return t.start_ns[a.second] < t.start_ns[b.second];
    return a.second < b.second;
  });
  for (size_t i = 0; i < keyed.size(); ++i) rows[i] = keyed[i].second;
  return rows;
}

SpanTable sortedByTrace(const SpanTable& table) {
  std::vector<uint32_t> rows(table.rows());
  std::iota(rows.begin(), rows.end(), 0u);
  SpanTable out;
  out.appendRows(table, segmentOrder(table, std::move(rows)));
  return out;
}

}  // namespace periscope::storage
