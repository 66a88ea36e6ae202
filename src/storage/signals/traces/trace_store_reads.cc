// TraceStore: queries — get-trace, search, services/operations, dependencies (see
// trace_store.h) — and the row-group cache they read through.
#include <algorithm>
#include <cstring>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "common/kill_point.h"
#include "common/logging.h"
#include "storage/signals/traces/trace_store.h"
#include "storage/signals/traces/trace_store_internal.h"

namespace periscope::storage {

// ---- Reads ----

TraceStore::View TraceStore::snapshot() const {
  View v;
  std::lock_guard state(state_mu_);
  v.heads = flushing_;
  v.segments = segments_;
  return v;
}

std::vector<SegmentMeta> TraceStore::segmentMetas() const {
  View v = snapshot();
  std::vector<SegmentMeta> out;
  for (const auto& h : v.segments) out.push_back(h->meta);
  std::sort(out.begin(), out.end(), [](const SegmentMeta& a, const SegmentMeta& b) {
    return std::tie(a.partition_start_ns, a.id) < std::tie(b.partition_start_ns, b.id);
  });
  return out;
}

void TraceStore::quarantine(const std::shared_ptr<SegmentHandle>& h, const Status& why) {
  {
    std::lock_guard state(state_mu_);
    auto it = std::find(segments_.begin(), segments_.end(), h);
    if (it == segments_.end()) return;  // already gone
    segments_.erase(it);
    stats_.segments = segments_.size();
    stats_.segment_bytes -= h->meta.file_bytes;
    stats_.segment_spans -= h->meta.spans;
  }
  stats_.segments_quarantined++;
  std::string name = h->path.substr(h->path.rfind('/') + 1);
  Status moved = fs_.createDir(options_.dir + "/quarantine");
  if (moved.isOk()) moved = fs_.rename(h->path, options_.dir + "/quarantine/" + name);
  log::error("store", "segment is damaged; moved to quarantine, its spans are no longer served",
             {{"file", h->path},
              {"spans", std::to_string(h->meta.spans)},
              {"error", why.toString()},
              {"moved", moved.isOk() ? "yes" : moved.toString()}});
}

Result<std::shared_ptr<const LoadedRowGroup>> TraceStore::load(
    const std::shared_ptr<SegmentHandle>& h, size_t g) {
  {
    std::lock_guard cache(cache_mu_);
    if (h->groups[g].loaded) {
      h->groups[g].last_use = ++cache_tick_;
      return h->groups[g].loaded;
    }
  }
  const RowGroupMeta& rg = h->meta.row_groups[g];
  Result<std::string> bytes = std::string();
  {
    std::lock_guard file(h->file_mu);
    bytes = h->file->read(rg.offset, static_cast<size_t>(rg.length));
  }
  if (!bytes.isOk()) return bytes.status();
  stats_.row_groups_decoded++;
  auto seg = decodeRowGroup(*bytes, rg);
  if (!seg.isOk()) {
    Status st(seg.status().code(), h->path + " row group " + std::to_string(g) + ": " +
                                       std::string(seg.status().message()));
    if (st.code() == StatusCode::kDataLoss) quarantine(h, st);
    return st;
  }
  std::shared_ptr<const LoadedRowGroup> loaded = std::move(*seg);
  std::lock_guard cache(cache_mu_);
  auto& slot = h->groups[g];
  if (slot.loaded) return slot.loaded;  // another reader won the race
  slot.loaded = loaded;
  slot.bytes = loaded->memoryBytes();
  slot.last_use = ++cache_tick_;
  cache_bytes_ += slot.bytes;
  if (cache_bytes_ > options_.segment_cache_bytes) {
    // Evict least recently used row groups (not the one just loaded).
    std::vector<SegmentHandle::Cached*> all;
    View v = snapshot();
    for (const auto& s : v.segments)
      for (auto& c : s->groups)
        if (c.loaded && &c != &slot) all.push_back(&c);
    std::sort(all.begin(), all.end(),
              [](const auto* a, const auto* b) { return a->last_use < b->last_use; });
    for (auto* c : all) {
      if (cache_bytes_ <= options_.segment_cache_bytes) break;
      cache_bytes_ -= c->bytes;
      c->bytes = 0;
      c->loaded.reset();
    }
  }
  return loaded;
}

namespace {

// Collects a trace's rows from several tables into one batch, skipping repeated span ids
// (at-least-once delivery can store a span twice).
struct TraceCollector {
  model::Traces out;
  std::unordered_set<uint64_t> seen;
  void add(const SpanTable& t, const std::vector<uint32_t>& rows) {
    std::vector<uint32_t> fresh;
    for (uint32_t r : rows)
      if (seen.insert(t.span_id[r]).second) fresh.push_back(r);
    if (!fresh.empty()) t.toTraces(fresh, out);
  }
};

}  // namespace

Result<model::Traces> TraceStore::getTrace(std::string_view trace_id, uint64_t start_ns,
                                           uint64_t end_ns) {
  if (trace_id.size() != 16) return invalidArgument("trace id must be 16 bytes");
  TraceId id = traceIdFrom(trace_id);
  TraceCollector c;
  {
    std::shared_lock lock(head_mu_);
    head_->forEachTraceRun(
        id, [&](const SpanTable& t, const std::vector<uint32_t>& rows) { c.add(t, rows); });
  }
  View v = snapshot();
  for (const auto& h : v.heads) {
    h->forEachTraceRun(
        id, [&](const SpanTable& t, const std::vector<uint32_t>& rows) { c.add(t, rows); });
  }
  for (const auto& h : v.segments) {
    if (start_ns != 0 && h->meta.max_start_ns < start_ns) continue;
    if (end_ns != 0 && h->meta.min_start_ns > end_ns) continue;
    if (!h->meta.bloom.mayContain(id)) continue;
    // Each row group has its trace-id range and Bloom filter in the footer: usually exactly
    // one row group is read.
    for (size_t g = 0; g < h->meta.row_groups.size(); ++g) {
      const RowGroupMeta& rg = h->meta.row_groups[g];
      if (id < rg.first_trace || rg.last_trace < id || !rg.bloom.mayContain(id)) continue;
      auto seg = load(h, g);
      if (!seg.isOk() && seg.status().code() == StatusCode::kDataLoss) break;  // quarantined
      if (!seg.isOk()) return seg.status();
      auto [b, e] = (*seg)->traceRows(id);
      if (b == e) continue;
      std::vector<uint32_t> rows(e - b);
      for (uint32_t r = b; r < e; ++r) rows[r - b] = r;
      c.add((*seg)->table, rows);
    }
  }
  return std::move(c.out);
}

namespace {

// A query resolved against one table's dictionary; `impossible` when a required string does
// not occur in the table at all.
struct Resolved {
  bool impossible = false;
  uint32_t service = UINT32_MAX, operation = UINT32_MAX;
  std::vector<std::pair<uint32_t, std::string_view>> tags;  // key id, text
  std::vector<uint8_t> resource_ok;                         // service matches per resource
};

Resolved resolve(const SpanTable& t, const TraceQuery& q) {
  Resolved r;
  if (!q.service.empty()) {
    r.service = t.dict.find(q.service);
    if (r.service == UINT32_MAX) r.impossible = true;
  }
  if (!q.operation.empty()) {
    r.operation = t.dict.find(q.operation);
    if (r.operation == UINT32_MAX) r.impossible = true;
  }
  for (const auto& [k, v] : q.tags) {
    uint32_t key = t.dict.find(k);
    if (key == UINT32_MAX) r.impossible = true;
    r.tags.emplace_back(key, v);
  }
  r.resource_ok.resize(t.resources.size(), 1);
  if (r.service != UINT32_MAX)
    for (size_t i = 0; i < t.resources.size(); ++i)
      r.resource_ok[i] = t.resources[i].service == r.service;
  return r;
}

bool rowMatches(const SpanTable& t, const Resolved& rq, const TraceQuery& q, uint32_t r) {
  if (!rq.resource_ok[t.resource[r]]) return false;
  if (rq.operation != UINT32_MAX && t.name[r] != rq.operation) return false;
  if (q.span_kind && t.kind[r] != *q.span_kind) return false;
  if (q.errors_only && !t.isError(r)) return false;
  uint64_t d = t.durationOf(r);
  if (q.min_duration_ns != 0 && d < q.min_duration_ns) return false;
  if (q.max_duration_ns != 0 && d > q.max_duration_ns) return false;
  uint64_t s = t.start_ns[r];
  if (q.start_time_min_ns != 0 && s < q.start_time_min_ns) return false;
  if (q.start_time_max_ns != 0 && s > q.start_time_max_ns) return false;
  for (const auto& [key, text] : rq.tags)
    if (!t.hasTag(r, key, text)) return false;
  return true;
}

using Candidates = std::unordered_map<TraceId, uint64_t, TraceIdHash>;  // → latest match start

void note(Candidates& c, const SpanTable& t, uint32_t r) {
  auto [it, inserted] = c.emplace(t.trace_id[r], t.start_ns[r]);
  if (!inserted) it->second = std::max(it->second, t.start_ns[r]);
}

void scanTable(const SpanTable& t, const TraceQuery& q, Candidates& c) {
  Resolved rq = resolve(t, q);
  if (rq.impossible) return;
  for (uint32_t r = 0; r < t.rows(); ++r)
    if (rowMatches(t, rq, q, r)) note(c, t, r);
}

void scanRowGroup(const LoadedRowGroup& seg, const TraceQuery& q, Candidates& c) {
  const SpanTable& t = seg.table;
  Resolved rq = resolve(t, q);
  if (rq.impossible) return;
  // The narrowest posting list among indexed tags found on no resource bounds the scan.
  const std::vector<uint32_t>* best = nullptr;
  for (const auto& [key, text] : rq.tags) {
    if (!seg.keyIndexed(key)) continue;
    bool on_resource = false;
    for (size_t i = 0; i < t.resources.size() && !on_resource; ++i) {
      const ResourceRow& rr = t.resources[i];
      for (uint32_t k = rr.attrs_begin; k < rr.attrs_end; ++k)
        if (t.resource_attrs.keys[k] == key) on_resource = true;
    }
    if (on_resource) continue;
    uint32_t text_id = t.dict.find(text);
    if (text_id == UINT32_MAX) return;
    auto it = seg.attr_index.find((static_cast<uint64_t>(key) << 32) | text_id);
    if (it == seg.attr_index.end()) return;
    if (best == nullptr || it->second.size() < best->size()) best = &it->second;
  }
  if (best != nullptr) {
    for (uint32_t r : *best)
      if (rowMatches(t, rq, q, r)) note(c, t, r);
    return;
  }
  for (uint32_t r = 0; r < t.rows(); ++r)
    if (rowMatches(t, rq, q, r)) note(c, t, r);
}

bool metaMayMatch(const SegmentMeta& m, const TraceQuery& q) {
  if (q.start_time_min_ns != 0 && m.max_start_ns < q.start_time_min_ns) return false;
  if (q.start_time_max_ns != 0 && m.min_start_ns > q.start_time_max_ns) return false;
  if (q.min_duration_ns != 0 && m.max_duration_ns < q.min_duration_ns) return false;
  if (q.max_duration_ns != 0 && m.min_duration_ns > q.max_duration_ns) return false;
  if (q.service.empty() && q.operation.empty() && !q.span_kind) return true;
  for (const auto& so : m.operations) {
    if (!q.service.empty() && so.service != q.service) continue;
    if (!q.operation.empty() && so.op.name != q.operation) continue;
    if (q.span_kind && so.op.span_kind != *q.span_kind) continue;
    return true;
  }
  return false;
}

}  // namespace

Result<std::vector<model::Traces>> TraceStore::findTraces(const TraceQuery& q) {
  Candidates c;
  {
    std::shared_lock lock(head_mu_);
    head_->forEachTable([&](const SpanTable& t) { scanTable(t, q, c); });
  }
  View v = snapshot();
  for (const auto& h : v.heads) h->forEachTable([&](const SpanTable& t) { scanTable(t, q, c); });
  // Row groups newest first (they hold time slices, see segment.h); stop once `limit` traces
  // are known that are newer than anything the remaining row groups hold.
  struct Candidate {
    std::shared_ptr<SegmentHandle> h;
    size_t g;
  };
  std::vector<Candidate> groups;
  for (const auto& h : v.segments) {
    if (!metaMayMatch(h->meta, q)) continue;
    for (size_t g = 0; g < h->meta.row_groups.size(); ++g) {
      const RowGroupMeta& rg = h->meta.row_groups[g];
      if (q.start_time_min_ns != 0 && rg.max_start_ns < q.start_time_min_ns) continue;
      if (q.start_time_max_ns != 0 && rg.min_start_ns > q.start_time_max_ns) continue;
      if (q.min_duration_ns != 0 && rg.max_duration_ns < q.min_duration_ns) continue;
      if (q.max_duration_ns != 0 && rg.min_duration_ns > q.max_duration_ns) continue;
      groups.push_back({h, g});
    }
  }
  std::sort(groups.begin(), groups.end(), [](const Candidate& a, const Candidate& b) {
    return a.h->meta.row_groups[a.g].max_start_ns > b.h->meta.row_groups[b.g].max_start_ns;
  });
  std::vector<uint64_t> starts;
  for (const Candidate& cand : groups) {
    if (c.size() >= q.limit) {
      starts.clear();
      for (const auto& [id, s] : c) starts.push_back(s);
      std::nth_element(starts.begin(), starts.begin() + static_cast<long>(q.limit - 1),
                       starts.end(), std::greater<>());
      if (starts[q.limit - 1] > cand.h->meta.row_groups[cand.g].max_start_ns) break;
    }
    auto seg = load(cand.h, cand.g);
    if (!seg.isOk() && seg.status().code() == StatusCode::kDataLoss) continue;  // quarantined
    if (!seg.isOk()) return seg.status();
    scanRowGroup(**seg, q, c);
  }
  std::vector<std::pair<uint64_t, TraceId>> order;
  order.reserve(c.size());
  for (const auto& [id, s] : c) order.emplace_back(s, id);
  std::sort(order.begin(), order.end(), std::greater<>());
  if (order.size() > q.limit) order.resize(q.limit);
  std::vector<model::Traces> out;
  for (const auto& [s, id] : order) {
    auto t = getTrace(traceIdBytes(id), 0, 0);
    if (!t.isOk()) return t.status();
    if (!t->empty()) out.push_back(std::move(*t));
  }
  return out;
}

void TraceStore::addToCatalog(const std::string& service, const OperationInfo& op) {
  std::lock_guard lock(catalog_mu_);
  auto& ops = catalog_[service];
  auto it = std::lower_bound(ops.begin(), ops.end(), op, [](const auto& a, const auto& b) {
    return std::tie(a.name, a.span_kind) < std::tie(b.name, b.span_kind);
  });
  if (it == ops.end() || !(*it == op)) ops.insert(it, op);
}

void TraceStore::rebuildCatalog() {
  std::vector<std::pair<std::string, OperationInfo>> all;
  {
    std::lock_guard state(state_mu_);
    for (const auto& h : segments_)
      for (const auto& so : h->meta.operations) all.emplace_back(so.service, so.op);
    for (const auto& head : flushing_)
      all.insert(all.end(), head->op_names.begin(), head->op_names.end());
  }
  {
    std::shared_lock lock(head_mu_);
    all.insert(all.end(), head_->op_names.begin(), head_->op_names.end());
  }
  {
    std::lock_guard lock(catalog_mu_);
    catalog_.clear();
  }
  for (const auto& [svc, op] : all) addToCatalog(svc, op);
}

Result<std::vector<std::string>> TraceStore::services() {
  std::lock_guard lock(catalog_mu_);
  std::vector<std::string> out;
  for (const auto& [svc, ops] : catalog_)
    if (!svc.empty()) out.push_back(svc);
  return out;
}

Result<std::vector<OperationInfo>> TraceStore::operations(std::string_view service,
                                                          std::optional<int32_t> span_kind) {
  std::lock_guard lock(catalog_mu_);
  std::vector<OperationInfo> out;
  auto it = catalog_.find(service);
  if (it == catalog_.end()) return out;
  for (const auto& op : it->second)
    if (!span_kind || op.span_kind == *span_kind) out.push_back(op);
  return out;
}

Result<std::vector<DependencyLink>> TraceStore::dependencies(uint64_t end_ns,
                                                             uint64_t lookback_ns) {
  uint64_t begin = end_ns > lookback_ns ? end_ns - lookback_ns : 0;
  // Pass 1: span id → service; pass 2: parent/child pairs across services. Spans of one trace
  // may sit in different tables, so both passes see every table.
  std::vector<std::string> names;
  std::unordered_map<std::string, uint32_t> name_ids;
  std::unordered_map<uint64_t, uint32_t> service_of_span;
  struct Edge {
    uint64_t calls = 0, errors = 0;
  };
  std::map<std::pair<uint32_t, uint32_t>, Edge> edges;
  auto forEachTable = [&](const std::function<void(const SpanTable&)>& f) -> Status {
    {
      std::shared_lock lock(head_mu_);
      head_->forEachTable(f);
    }
    View v = snapshot();
    for (const auto& h : v.heads) h->forEachTable(f);
    for (const auto& h : v.segments) {
      if (h->meta.max_start_ns < begin || h->meta.min_start_ns > end_ns) continue;
      for (size_t g = 0; g < h->groups.size(); ++g) {
        const RowGroupMeta& rg = h->meta.row_groups[g];
        if (rg.max_start_ns < begin || rg.min_start_ns > end_ns) continue;
        auto seg = load(h, g);
        if (!seg.isOk() && seg.status().code() == StatusCode::kDataLoss) break;  // quarantined
        if (!seg.isOk()) return seg.status();
        f((*seg)->table);
      }
    }
    return Status::ok();
  };
  PERISCOPE_RETURN_IF_ERROR(forEachTable([&](const SpanTable& t) {
    std::vector<uint32_t> local(t.dict.size(), UINT32_MAX);
    for (uint32_t r = 0; r < t.rows(); ++r) {
      if (t.start_ns[r] < begin || t.start_ns[r] > end_ns) continue;
      uint32_t svc = t.serviceOf(r);
      if (local[svc] == UINT32_MAX) {
        std::string name(t.dict.get(svc));
        auto [it, inserted] = name_ids.emplace(name, static_cast<uint32_t>(names.size()));
        if (inserted) names.push_back(name);
        local[svc] = it->second;
      }
      service_of_span[t.span_id[r]] = local[svc];
    }
  }));
  PERISCOPE_RETURN_IF_ERROR(forEachTable([&](const SpanTable& t) {
    for (uint32_t r = 0; r < t.rows(); ++r) {
      if (t.parent_id[r] == 0 || t.start_ns[r] < begin || t.start_ns[r] > end_ns) continue;
      auto parent = service_of_span.find(t.parent_id[r]);
      auto child = service_of_span.find(t.span_id[r]);
      if (parent == service_of_span.end() || child == service_of_span.end()) continue;
      if (parent->second == child->second) continue;
      Edge& e = edges[{parent->second, child->second}];
      e.calls++;
      if (t.isError(r)) e.errors++;
    }
  }));
  std::vector<DependencyLink> out;
  for (const auto& [k, e] : edges)
    out.push_back({names[k.first], names[k.second], e.calls, e.errors});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.parent, a.child) < std::tie(b.parent, b.child);
  });
  return out;
}

}  // namespace periscope::storage
