#include "storage/signals/traces/segment.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <unordered_map>

namespace periscope::storage {

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
