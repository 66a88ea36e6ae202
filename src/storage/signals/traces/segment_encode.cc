// Segment encoding: a table in segment order → row groups of zstd column blocks + footer.
#include <zstd.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "storage/codec/byte_io.h"
#include "storage/signals/traces/segment.h"
#include "storage/signals/traces/segment_format.h"
#include "storage/wal/crc32c.h"

namespace periscope::storage {

using namespace segment_format;  // NOLINT(google-build-using-namespace): .cc only

namespace {

struct Writers {
  std::string buf[kColumnCount];
  ByteWriter w(Col c) { return ByteWriter(buf[c]); }
};

void writePoolRange(ByteWriter keys, ByteWriter types, ByteWriter values, const AttrPool& pool,
                    uint32_t b, uint32_t e) {
  for (uint32_t k = b; k < e; ++k) {
    keys.varint(pool.keys[k]);
    types.u8(static_cast<uint8_t>(pool.types[k]));
    uint64_t v = pool.values[k];
    switch (pool.types[k]) {
      case AttrType::kInt:
        values.svarint(static_cast<int64_t>(v));
        break;
      case AttrType::kDouble:
        values.u64(v);
        break;
      default:
        values.varint(v);
        break;
    }
  }
}

}  // namespace

namespace {

using OpSet = std::set<std::tuple<std::string, std::string, int32_t>>;

// Attribute keys with more distinct indexable values than the cap in the whole segment: they
// are not indexed in any row group (an index of near-unique values costs bytes on every span
// and is what a scan does anyway).
std::set<std::string> overCapKeys(const SpanTable& t, size_t cap) {
  std::unordered_map<uint32_t, std::unordered_set<uint64_t>> distinct;
  std::set<uint32_t> over;
  for (size_t k = 0; k < t.attrs.size(); ++k) {
    uint32_t key = t.attrs.keys[k];
    AttrType type = t.attrs.types[k];
    if (type != AttrType::kString && type != AttrType::kInt && type != AttrType::kBool) continue;
    if (over.count(key)) continue;
    auto& values = distinct[key];
    values.insert((static_cast<uint64_t>(type) << 59) ^ t.attrs.values[k]);
    if (values.size() > cap) {
      over.insert(key);
      values = {};
    }
  }
  std::set<std::string> names;
  for (uint32_t key : over) names.emplace(t.dict.get(key));
  return names;
}

// One row group's columns (its own dictionary): traces must not straddle row groups.
void encodeRowGroupColumns(SpanTable& t, const std::set<std::string>& unindexed_keys, Writers& cols,
                           RowGroupMeta& meta, OpSet& op_names) {
  const size_t n = t.rows();

  // Attribute inverted index (computed first: it may intern value texts into the dictionary).
  std::map<uint32_t, std::map<uint32_t, std::vector<uint32_t>>> index;  // key → text → rows
  std::set<uint32_t> over_cap;
  for (const std::string& name : unindexed_keys)
    if (uint32_t id = t.dict.find(name); id != UINT32_MAX) over_cap.insert(id);
  for (uint32_t r = 0; r < n; ++r) {
    for (uint32_t k = t.attrsBegin(r); k < t.attrs_end[r]; ++k) {
      uint32_t key = t.attrs.keys[k];
      AttrType type = t.attrs.types[k];
      if (over_cap.count(key) ||
          (type != AttrType::kString && type != AttrType::kInt && type != AttrType::kBool))
        continue;
      uint32_t text = type == AttrType::kString
                          ? static_cast<uint32_t>(t.attrs.values[k])
                          : t.dict.intern(t.valueText(type, t.attrs.values[k]));
      auto& rows = index[key][text];
      if (rows.empty() || rows.back() != r) rows.push_back(r);
    }
  }
  {
    ByteWriter w = cols.w(kAttrIndex);
    w.varint(index.size());
    for (const auto& [key, values] : index) {
      w.varint(key);
      w.varint(values.size());
      for (const auto& [text, rows] : values) {
        w.varint(text);
        w.varint(rows.size());
        uint32_t prev = 0;
        for (uint32_t r : rows) {
          w.varint(r - prev);
          prev = r;
        }
      }
    }
  }

  // Dictionary.
  {
    ByteWriter lens = cols.w(kDictLengths), bytes = cols.w(kDictBytes);
    lens.varint(t.dict.size());
    for (std::string_view s : t.dict.values()) {
      lens.varint(s.size());
      bytes.raw(s);
    }
  }

  // Traces and spans.
  meta.rows = static_cast<uint32_t>(n);
  meta.min_start_ns = UINT64_MAX;
  meta.max_start_ns = 0;
  meta.min_duration_ns = UINT64_MAX;
  meta.max_duration_ns = 0;
  std::vector<uint32_t> trace_begin;
  for (uint32_t r = 0; r < n; ++r)
    if (r == 0 || t.trace_id[r] != t.trace_id[r - 1]) trace_begin.push_back(r);
  trace_begin.push_back(static_cast<uint32_t>(n));
  meta.traces = static_cast<uint32_t>(trace_begin.size() - 1);
  // 16 bits per id (~0.05% false positives): a get-trace checks every row group of a segment.
  meta.bloom.init(meta.traces, 16);
  if (n > 0) meta.first_trace = meta.last_trace = t.trace_id.front();
  for (size_t k = 0; k + 1 < trace_begin.size(); ++k) {
    const TraceId& id = t.trace_id[trace_begin[k]];
    meta.bloom.add(id);
    meta.first_trace = std::min(meta.first_trace, id);
    meta.last_trace = std::max(meta.last_trace, id);
  }
  uint64_t prev_trace_start = 0;
  std::set<std::tuple<uint32_t, uint32_t, int32_t>> ops;
  for (size_t k = 0; k + 1 < trace_begin.size(); ++k) {
    uint32_t b = trace_begin[k], e = trace_begin[k + 1];
    cols.w(kTraceIds).raw(traceIdBytes(t.trace_id[b]));
    cols.w(kTraceSpans).varint(e - b);
    uint64_t first = t.start_ns[b];
    cols.w(kStarts).svarint(static_cast<int64_t>(first - prev_trace_start));
    prev_trace_start = first;
    std::unordered_map<uint64_t, uint32_t> pos;  // span id → offset in trace
    for (uint32_t r = b; r < e; ++r) pos.emplace(t.span_id[r], r - b);
    for (uint32_t r = b; r < e; ++r) {
      if (r > b) cols.w(kStarts).varint(t.start_ns[r] - first);
      cols.w(kSpanIds).u64(t.span_id[r]);
      uint64_t parent = t.parent_id[r];
      if (parent == 0) {
        cols.w(kParents).varint(0);
      } else if (auto it = pos.find(parent); it != pos.end()) {
        cols.w(kParents).varint(it->second + 2);
      } else {
        cols.w(kParents).varint(1);
        cols.w(kParentsExt).u64(parent);
      }
      meta.min_start_ns = std::min(meta.min_start_ns, t.start_ns[r]);
      meta.max_start_ns = std::max(meta.max_start_ns, t.start_ns[r]);
      meta.min_duration_ns = std::min(meta.min_duration_ns, t.durationOf(r));
      meta.max_duration_ns = std::max(meta.max_duration_ns, t.durationOf(r));
      ops.emplace(t.serviceOf(r), t.name[r], t.kind[r]);
    }
  }
  if (n == 0) meta.min_start_ns = meta.min_duration_ns = 0;
  for (const auto& [svc, name, kind] : ops)
    op_names.emplace(std::string(t.dict.get(svc)), std::string(t.dict.get(name)), kind);

  for (uint32_t r = 0; r < n; ++r) {
    cols.w(kDurations).svarint(static_cast<int64_t>(t.duration_ns[r]));
    cols.w(kNames).varint(t.name[r]);
    cols.w(kKinds).svarint(t.kind[r]);
    cols.w(kStatus).u8(t.has_status[r]);
    if (t.has_status[r]) cols.w(kStatus).svarint(t.status_code[r]);
    cols.w(kStatusMessages).varint(t.status_message[r]);
    cols.w(kFlags).varint(t.flags[r]);
    cols.w(kTraceStates).varint(t.trace_state[r]);
    cols.w(kResourceOfSpan).varint(t.resource[r]);
    cols.w(kScopeOfSpan).varint(t.scope[r]);
    ByteWriter d = cols.w(kDropped);
    d.varint(t.dropped_attrs[r]);
    d.varint(t.dropped_events[r]);
    d.varint(t.dropped_links[r]);
    cols.w(kAttrCounts).varint(t.attrs_end[r] - t.attrsBegin(r));
    writePoolRange(cols.w(kAttrKeys), cols.w(kAttrTypes), cols.w(kAttrValues), t.attrs,
                   t.attrsBegin(r), t.attrs_end[r]);
    ByteWriter ev = cols.w(kEvents);
    ev.varint(t.events_end[r] - t.eventsBegin(r));
    for (uint32_t e = t.eventsBegin(r); e < t.events_end[r]; ++e) {
      ev.svarint(static_cast<int64_t>(t.event_time_ns[e] - t.start_ns[r]));
      ev.varint(t.event_name[e]);
      ev.varint(t.event_dropped[e]);
      uint32_t ab = e == 0 ? 0 : t.event_attrs_end[e - 1];
      ev.varint(t.event_attrs_end[e] - ab);
      writePoolRange(cols.w(kEventAttrKeys), cols.w(kEventAttrTypes), cols.w(kEventAttrValues),
                     t.event_attrs, ab, t.event_attrs_end[e]);
    }
    ByteWriter ln = cols.w(kLinks);
    ln.varint(t.links_end[r] - t.linksBegin(r));
    for (uint32_t l = t.linksBegin(r); l < t.links_end[r]; ++l) {
      ln.raw(traceIdBytes(t.link_trace_id[l]));
      ln.u64(t.link_span_id[l]);
      ln.varint(t.link_trace_state[l]);
      ln.varint(t.link_flags[l]);
      ln.varint(t.link_dropped[l]);
      uint32_t ab = l == 0 ? 0 : t.link_attrs_end[l - 1];
      ln.varint(t.link_attrs_end[l] - ab);
      writePoolRange(cols.w(kLinkAttrKeys), cols.w(kLinkAttrTypes), cols.w(kLinkAttrValues),
                     t.link_attrs, ab, t.link_attrs_end[l]);
    }
  }
  {
    ByteWriter w = cols.w(kResources);
    w.varint(t.resources.size());
    for (const ResourceRow& rr : t.resources) {
      w.u8(rr.present ? 1 : 0);
      w.varint(rr.service);
      w.varint(rr.schema_url);
      w.varint(rr.dropped);
      w.varint(rr.attrs_end - rr.attrs_begin);
      writePoolRange(cols.w(kOwnerAttrKeys), cols.w(kOwnerAttrTypes), cols.w(kOwnerAttrValues),
                     t.resource_attrs, rr.attrs_begin, rr.attrs_end);
    }
    ByteWriter s = cols.w(kScopes);
    s.varint(t.scopes.size());
    for (const ScopeRow& sr : t.scopes) {
      s.u8(sr.present ? 1 : 0);
      s.varint(sr.name);
      s.varint(sr.version);
      s.varint(sr.schema_url);
      s.varint(sr.dropped);
      s.varint(sr.attrs_end - sr.attrs_begin);
      writePoolRange(cols.w(kOwnerAttrKeys), cols.w(kOwnerAttrTypes), cols.w(kOwnerAttrValues),
                     t.scope_attrs, sr.attrs_begin, sr.attrs_end);
    }
  }
}

}  // namespace

namespace {

// Writes `groups` (each already in segment order, each its own row group) as one segment.
// unindexed: keys not indexed in any group; null = decide per group (see encodeRowGroups).
std::string encodeGroups(const std::vector<SpanTable*>& groups, SegmentMeta& meta,
                         const SegmentEncodeOptions& options,
                         const std::set<std::string>* unindexed) {
  size_t n = 0, traces = 0;
  for (const SpanTable* g : groups) {
    n += g->rows();
    for (uint32_t r = 0; r < g->rows(); ++r)
      if (r == 0 || g->trace_id[r] != g->trace_id[r - 1]) ++traces;
  }
  meta.bloom.init(traces);
  for (const SpanTable* g : groups)
    for (uint32_t r = 0; r < g->rows(); ++r)
      if (r == 0 || g->trace_id[r] != g->trace_id[r - 1]) meta.bloom.add(g->trace_id[r]);

  std::string file;
  ByteWriter fw(file);
  fw.raw(kMagic);
  fw.u32(kSegmentFormatVersion);
  OpSet ops;
  meta.row_groups.clear();
  meta.spans = n;
  meta.traces = traces;  // a trace split across row groups (flush segments) counts per group
  meta.min_start_ns = meta.min_duration_ns = n == 0 ? 0 : UINT64_MAX;
  meta.max_start_ns = meta.max_duration_ns = 0;
  for (SpanTable* g : groups) {
    // A row group of arrival-ordered spans: a key is worth indexing while its values repeat.
    std::set<std::string> own_unindexed;
    if (unindexed == nullptr)
      own_unindexed = overCapKeys(
          *g, std::min(options.attribute_cardinality_cap, std::max<size_t>(1, g->rows() / 4)));
    Writers cols;
    RowGroupMeta rg;
    encodeRowGroupColumns(*g, unindexed != nullptr ? *unindexed : own_unindexed, cols, rg, ops);
    rg.offset = file.size();
    for (int c = 0; c < kColumnCount; ++c) {
      const std::string& raw = cols.buf[c];
      size_t bound = ZSTD_compressBound(raw.size());
      size_t offset = file.size();
      file.resize(offset + bound);
      size_t z =
          ZSTD_compress(file.data() + offset, bound, raw.data(), raw.size(), options.zstd_level);
      if (ZSTD_isError(z)) z = 0;  // cannot happen with a correct bound; caught by the crc
      file.resize(offset + z);
      rg.blocks.push_back(
          {offset - rg.offset, z, raw.size(), crc32c(std::string_view(file).substr(offset, z))});
    }
    rg.length = file.size() - rg.offset;
    meta.min_start_ns = std::min(meta.min_start_ns, rg.min_start_ns);
    meta.max_start_ns = std::max(meta.max_start_ns, rg.max_start_ns);
    meta.min_duration_ns = std::min(meta.min_duration_ns, rg.min_duration_ns);
    meta.max_duration_ns = std::max(meta.max_duration_ns, rg.max_duration_ns);
    meta.row_groups.push_back(std::move(rg));
  }
  meta.partition_start_ns = partitionOf(meta.min_start_ns);
  meta.operations.clear();
  for (const auto& [svc, name, kind] : ops) meta.operations.push_back({svc, {name, kind}});

  std::string footer;
  ByteWriter f(footer);
  f.varint(meta.row_groups.size());
  for (const RowGroupMeta& rg : meta.row_groups) {
    f.varint(rg.offset);
    f.varint(rg.length);
    f.varint(rg.rows);
    f.varint(rg.traces);
    f.raw(traceIdBytes(rg.first_trace));
    f.raw(traceIdBytes(rg.last_trace));
    f.u64(rg.min_start_ns);
    f.u64(rg.max_start_ns);
    f.u64(rg.min_duration_ns);
    f.u64(rg.max_duration_ns);
    f.varint(rg.bloom.words.size());
    for (uint64_t w : rg.bloom.words) f.u64(w);
    f.varint(kColumnCount);
    for (const SegmentBlock& b : rg.blocks) {
      f.varint(b.offset);
      f.varint(b.size);
      f.varint(b.raw_size);
      f.u32(b.crc);
    }
  }
  f.u64(meta.id);
  f.u64(meta.min_start_ns);
  f.u64(meta.max_start_ns);
  f.u64(meta.min_duration_ns);
  f.u64(meta.max_duration_ns);
  f.varint(meta.spans);
  f.varint(meta.traces);
  f.varint(meta.wal_lsn);
  f.varint(meta.replaces.size());
  for (uint64_t id : meta.replaces) f.varint(id);
  f.varint(meta.operations.size());
  for (const auto& so : meta.operations) {
    f.bytes(so.service);
    f.bytes(so.op.name);
    f.svarint(so.op.span_kind);
  }
  f.varint(meta.bloom.words.size());
  for (uint64_t w : meta.bloom.words) f.u64(w);
  uint64_t footer_offset = file.size();
  fw.raw(footer);
  fw.u64(footer_offset);
  fw.u32(static_cast<uint32_t>(footer.size()));
  fw.u32(crc32c(footer));
  fw.raw(kEndMagic);
  meta.file_bytes = file.size();
  return file;
}

}  // namespace

std::string encodeSegment(SpanTable& t, SegmentMeta& meta, const SegmentEncodeOptions& options) {
  // Row groups: whole traces, about row_group_rows spans each, each with its own dictionary.
  std::vector<std::vector<uint32_t>> rows;
  for (uint32_t r = 0; r < t.rows(); ++r) {
    bool new_trace = r == 0 || t.trace_id[r] != t.trace_id[r - 1];
    if (rows.empty() || (new_trace && rows.back().size() >= options.row_group_rows))
      rows.emplace_back();
    rows.back().push_back(r);
  }
  const std::set<std::string> unindexed = overCapKeys(t, options.attribute_cardinality_cap);
  if (rows.size() <= 1) return encodeGroups({&t}, meta, options, &unindexed);
  std::vector<SpanTable> own(rows.size());
  std::vector<SpanTable*> groups;
  for (size_t i = 0; i < rows.size(); ++i) {
    own[i].appendRows(t, rows[i]);
    groups.push_back(&own[i]);
  }
  return encodeGroups(groups, meta, options, &unindexed);
}

std::string encodeRowGroups(std::vector<SpanTable>& groups, SegmentMeta& meta,
                            const SegmentEncodeOptions& options) {
  std::vector<SpanTable*> ptrs;
  for (SpanTable& g : groups) ptrs.push_back(&g);
  return encodeGroups(ptrs, meta, options, nullptr);
}

}  // namespace periscope::storage
