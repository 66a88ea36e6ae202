#include "storage/signals/traces/segment.h"

#include <zstd.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "storage/codec/byte_io.h"
#include "storage/wal/crc32c.h"

namespace periscope::storage {
namespace {

constexpr std::string_view kMagic = "PSCSEG01";
constexpr std::string_view kEndMagic = "PSCSEGND";

// Column blocks, in file order. Adding a column = a new id at the end (readers of an older
// file see it missing and fail clearly through the version check).
enum Col : uint8_t {
  kDictLengths,
  kDictBytes,
  kTraceIds,
  kTraceSpans,
  kSpanIds,
  kParents,
  kParentsExt,
  kStarts,
  kDurations,
  kNames,
  kKinds,
  kStatus,
  kStatusMessages,
  kFlags,
  kTraceStates,
  kResourceOfSpan,
  kScopeOfSpan,
  kDropped,
  kAttrCounts,
  kAttrKeys,
  kAttrTypes,
  kAttrValues,
  kEvents,
  kEventAttrKeys,
  kEventAttrTypes,
  kEventAttrValues,
  kLinks,
  kLinkAttrKeys,
  kLinkAttrTypes,
  kLinkAttrValues,
  kResources,
  kScopes,
  kOwnerAttrKeys,
  kOwnerAttrTypes,
  kOwnerAttrValues,
  kAttrIndex,
  kColumnCount
};

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

bool readPoolEntries(ByteReader& keys, ByteReader& types, ByteReader& values, AttrPool& pool,
                     uint64_t n, size_t dict_size) {
  for (uint64_t k = 0; k < n; ++k) {
    uint64_t key = keys.varint();
    auto type = static_cast<AttrType>(types.u8());
    uint64_t v;
    switch (type) {
      case AttrType::kInt:
        v = static_cast<uint64_t>(values.svarint());
        break;
      case AttrType::kDouble:
        v = values.u64();
        break;
      default:
        v = values.varint();
        break;
    }
    if (key >= dict_size || static_cast<uint8_t>(type) > static_cast<uint8_t>(AttrType::kAbsent))
      return false;
    if ((type == AttrType::kString || type == AttrType::kBlob) && v >= dict_size) return false;
    pool.keys.push_back(static_cast<uint32_t>(key));
    pool.types.push_back(type);
    pool.values.push_back(v);
  }
  return !keys.fail() && !types.fail() && !values.fail();
}

// Both halves of the id feed both hashes: 64-bit ids (Jaeger, Zipkin, X-Ray conversions)
// leave one half constant.
struct TraceIdHash {
  size_t operator()(const TraceId& id) const {
    uint64_t v;
    std::memcpy(&v, id.data() + 8, 8);
    return static_cast<size_t>(v ^ (v >> 29));
  }
};

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

// ---- Encoding ----

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
  meta.bloom.init(meta.traces);
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

std::string encodeSegment(SpanTable& t, SegmentMeta& meta, const SegmentEncodeOptions& options) {
  const size_t n = t.rows();
  // Row groups: whole traces, about row_group_rows spans each.
  std::vector<std::vector<uint32_t>> groups;
  size_t traces = 0;
  for (uint32_t r = 0; r < n; ++r) {
    bool new_trace = r == 0 || t.trace_id[r] != t.trace_id[r - 1];
    if (new_trace) ++traces;
    if (groups.empty() || (new_trace && groups.back().size() >= options.row_group_rows))
      groups.emplace_back();
    groups.back().push_back(r);
  }
  meta.bloom.init(traces);
  const std::set<std::string> unindexed = overCapKeys(t, options.attribute_cardinality_cap);
  for (uint32_t r = 0; r < n; ++r)
    if (r == 0 || t.trace_id[r] != t.trace_id[r - 1]) meta.bloom.add(t.trace_id[r]);

  std::string file;
  ByteWriter fw(file);
  fw.raw(kMagic);
  fw.u32(kSegmentFormatVersion);
  OpSet ops;
  meta.row_groups.clear();
  meta.spans = n;
  meta.traces = traces;
  meta.min_start_ns = meta.min_duration_ns = n == 0 ? 0 : UINT64_MAX;
  meta.max_start_ns = meta.max_duration_ns = 0;
  for (const auto& rows : groups) {
    SpanTable own;
    SpanTable* g = &t;
    if (groups.size() > 1) {  // each row group gets a dictionary of only its strings
      own.appendRows(t, rows);
      g = &own;
    }
    Writers cols;
    RowGroupMeta rg;
    encodeRowGroupColumns(*g, unindexed, cols, rg, ops);
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

// ---- Decoding ----

namespace {

Status corrupt(const std::string& what) {
  return Status(StatusCode::kDataLoss, "segment is damaged: " + what);
}

Result<SegmentMeta> parseFooter(std::string_view tail, uint64_t file_size) {
  if (file_size < kMagic.size() + 4 + kSegmentTrailerBytes || tail.size() < kSegmentTrailerBytes)
    return corrupt("file too short (" + std::to_string(file_size) + " bytes) for a trailer");
  std::string_view trailer = tail.substr(tail.size() - kSegmentTrailerBytes);
  if (trailer.substr(16) != kEndMagic) return corrupt("no end marker (truncated or not a segment)");
  ByteReader tr(trailer);
  uint64_t footer_offset = tr.u64();
  uint32_t footer_len = tr.u32();
  uint32_t footer_crc = tr.u32();
  uint64_t tail_start = file_size - tail.size();
  if (footer_offset + footer_len + kSegmentTrailerBytes != file_size || footer_offset < tail_start)
    return corrupt("footer position out of range");
  std::string_view footer = tail.substr(footer_offset - tail_start, footer_len);
  if (crc32c(footer) != footer_crc) return corrupt("footer checksum mismatch");
  ByteReader f(footer);
  SegmentMeta m;
  uint64_t ngroups = f.varint();
  if (ngroups > footer.size()) return corrupt("row group count");
  for (uint64_t g = 0; g < ngroups && !f.fail(); ++g) {
    RowGroupMeta rg;
    rg.offset = f.varint();
    rg.length = f.varint();
    rg.rows = static_cast<uint32_t>(f.varint());
    rg.traces = static_cast<uint32_t>(f.varint());
    rg.first_trace = traceIdFrom(f.raw(16));
    rg.last_trace = traceIdFrom(f.raw(16));
    rg.min_start_ns = f.u64();
    rg.max_start_ns = f.u64();
    rg.min_duration_ns = f.u64();
    rg.max_duration_ns = f.u64();
    uint64_t nwords = f.varint();
    if (nwords > f.remaining() / 8) return corrupt("row group bloom filter size");
    rg.bloom.words.resize(nwords);
    for (auto& w : rg.bloom.words) w = f.u64();
    if (f.varint() != kColumnCount) return corrupt("unexpected column count");
    for (int c = 0; c < kColumnCount; ++c) {
      SegmentBlock b;
      b.offset = f.varint();
      b.size = f.varint();
      b.raw_size = f.varint();
      b.crc = f.u32();
      if (b.offset + b.size > rg.length) return corrupt("column block out of range");
      rg.blocks.push_back(b);
    }
    if (rg.offset + rg.length > footer_offset) return corrupt("row group out of range");
    m.row_groups.push_back(std::move(rg));
  }
  m.id = f.u64();
  m.min_start_ns = f.u64();
  m.max_start_ns = f.u64();
  m.min_duration_ns = f.u64();
  m.max_duration_ns = f.u64();
  m.spans = f.varint();
  m.traces = f.varint();
  m.wal_lsn = f.varint();
  uint64_t nrep = f.varint();
  for (uint64_t i = 0; i < nrep && !f.fail(); ++i) m.replaces.push_back(f.varint());
  uint64_t nops = f.varint();
  for (uint64_t i = 0; i < nops && !f.fail(); ++i) {
    ServiceOperation so;
    so.service = std::string(f.bytes());
    so.op.name = std::string(f.bytes());
    so.op.span_kind = static_cast<int32_t>(f.svarint());
    m.operations.push_back(std::move(so));
  }
  uint64_t nwords = f.varint();
  if (nwords > f.remaining() / 8) return corrupt("bloom filter size");
  m.bloom.words.resize(nwords);
  for (auto& w : m.bloom.words) w = f.u64();
  if (f.fail()) return corrupt("footer fields");
  m.file_bytes = file_size;
  m.partition_start_ns = partitionOf(m.min_start_ns);
  return m;
}

}  // namespace

Result<SegmentMeta> decodeSegmentMeta(std::string_view tail, uint64_t file_size) {
  return parseFooter(tail, file_size);
}

Status checkSegmentHeader(std::string_view head) {
  if (head.substr(0, kMagic.size()) != kMagic) return corrupt("bad magic");
  ByteReader hr(head.substr(kMagic.size(), 4));
  uint32_t version = hr.u32();
  if (hr.fail()) return corrupt("header too short");
  if (version > kSegmentFormatVersion)
    return Status(StatusCode::kFailedPrecondition, "segment format version " +
                                                       std::to_string(version) +
                                                       " is newer than this build supports (" +
                                                       std::to_string(kSegmentFormatVersion) + ")");
  return Status::ok();
}

Result<std::vector<std::unique_ptr<LoadedRowGroup>>> decodeSegment(std::string_view file) {
  PERISCOPE_RETURN_IF_ERROR(checkSegmentHeader(file));
  auto meta = parseFooter(file, file.size());
  if (!meta.isOk()) return meta.status();
  std::vector<std::unique_ptr<LoadedRowGroup>> out;
  for (const RowGroupMeta& rg : meta->row_groups) {
    auto g = decodeRowGroup(file.substr(rg.offset, rg.length), rg);
    if (!g.isOk()) return g.status();
    out.push_back(std::move(*g));
  }
  return out;
}

Result<std::unique_ptr<LoadedRowGroup>> decodeRowGroup(std::string_view bytes,
                                                       const RowGroupMeta& meta) {
  if (bytes.size() != meta.length) return corrupt("row group is short");
  const auto& blocks = meta.blocks;
  std::vector<std::string> raw(kColumnCount);
  for (int c = 0; c < kColumnCount; ++c) {
    const SegmentBlock& b = blocks[c];
    std::string_view z = bytes.substr(b.offset, b.size);
    if (crc32c(z) != b.crc) return corrupt("column " + std::to_string(c) + " checksum mismatch");
    if (b.raw_size > (1ull << 34)) return corrupt("column " + std::to_string(c) + " size");
    raw[c].resize(b.raw_size);
    size_t got = ZSTD_decompress(raw[c].data(), raw[c].size(), z.data(), z.size());
    if (ZSTD_isError(got) || got != b.raw_size)
      return corrupt("column " + std::to_string(c) + " does not decompress");
  }
  auto seg = std::make_unique<LoadedRowGroup>();
  SpanTable& t = seg->table;
  auto rd = [&](Col c) { return ByteReader(raw[c]); };

  // Dictionary (replaces the default "" entry; id 0 is "" in every segment).
  {
    ByteReader lens = rd(kDictLengths);
    std::string_view bytes = raw[kDictBytes];
    uint64_t count = lens.varint();
    if (count > raw[kDictLengths].size()) return corrupt("dictionary count");
    size_t pos = 0;
    t = SpanTable();
    for (uint64_t i = 0; i < count; ++i) {
      uint64_t len = lens.varint();
      if (lens.fail() || pos + len > bytes.size()) return corrupt("dictionary");
      if (i == 0) {
        if (len != 0) return corrupt("dictionary entry 0 is not empty");
      } else {
        t.dict.appendUnindexed(bytes.substr(pos, len));
      }
      pos += len;
    }
  }
  const size_t dict_size = t.dict.size();
  auto dictId = [&](uint64_t v, bool& ok) {
    if (v >= dict_size) ok = false;
    return static_cast<uint32_t>(v);
  };
  bool ok = true;

  // Resources and scopes.
  ByteReader ok_keys = rd(kOwnerAttrKeys), ok_types = rd(kOwnerAttrTypes),
             ok_values = rd(kOwnerAttrValues);
  {
    ByteReader r = rd(kResources);
    uint64_t nres = r.varint();
    if (nres > raw[kResources].size()) return corrupt("resource count");
    for (uint64_t i = 0; i < nres; ++i) {
      ResourceRow rr;
      rr.present = r.u8() != 0;
      rr.service = dictId(r.varint(), ok);
      rr.schema_url = dictId(r.varint(), ok);
      rr.dropped = static_cast<uint32_t>(r.varint());
      uint64_t na = r.varint();
      rr.attrs_begin = static_cast<uint32_t>(t.resource_attrs.size());
      if (!readPoolEntries(ok_keys, ok_types, ok_values, t.resource_attrs, na, dict_size))
        return corrupt("resource attributes");
      rr.attrs_end = static_cast<uint32_t>(t.resource_attrs.size());
      t.resources.push_back(rr);
    }
    ByteReader s = rd(kScopes);
    uint64_t nsc = s.varint();
    if (nsc > raw[kScopes].size()) return corrupt("scope count");
    for (uint64_t i = 0; i < nsc; ++i) {
      ScopeRow sr;
      sr.present = s.u8() != 0;
      sr.name = dictId(s.varint(), ok);
      sr.version = dictId(s.varint(), ok);
      sr.schema_url = dictId(s.varint(), ok);
      sr.dropped = static_cast<uint32_t>(s.varint());
      uint64_t na = s.varint();
      sr.attrs_begin = static_cast<uint32_t>(t.scope_attrs.size());
      if (!readPoolEntries(ok_keys, ok_types, ok_values, t.scope_attrs, na, dict_size))
        return corrupt("scope attributes");
      sr.attrs_end = static_cast<uint32_t>(t.scope_attrs.size());
      t.scopes.push_back(sr);
    }
    if (r.fail() || s.fail() || !ok) return corrupt("resources or scopes");
  }

  // Traces and spans.
  ByteReader trace_ids = rd(kTraceIds), trace_spans = rd(kTraceSpans), span_ids = rd(kSpanIds),
             parents = rd(kParents), parents_ext = rd(kParentsExt), starts = rd(kStarts),
             durations = rd(kDurations), names = rd(kNames), kinds = rd(kKinds),
             status = rd(kStatus), status_msgs = rd(kStatusMessages), flags = rd(kFlags),
             states = rd(kTraceStates), res_of = rd(kResourceOfSpan), scope_of = rd(kScopeOfSpan),
             dropped = rd(kDropped), attr_counts = rd(kAttrCounts), akeys = rd(kAttrKeys),
             atypes = rd(kAttrTypes), avalues = rd(kAttrValues), events = rd(kEvents),
             ekeys = rd(kEventAttrKeys), etypes = rd(kEventAttrTypes),
             evalues = rd(kEventAttrValues), links = rd(kLinks), lkeys = rd(kLinkAttrKeys),
             ltypes = rd(kLinkAttrTypes), lvalues = rd(kLinkAttrValues);
  if (meta.traces * 16 != raw[kTraceIds].size()) return corrupt("trace id column size");
  std::vector<uint32_t> trace_begin;
  uint64_t prev_trace_start = 0;
  for (uint64_t k = 0; k < meta.traces; ++k) {
    TraceId id = traceIdFrom(trace_ids.raw(16));
    uint64_t nspans = trace_spans.varint();
    if (nspans == 0 || nspans > meta.rows - t.rows()) return corrupt("trace span counts");
    uint32_t begin = static_cast<uint32_t>(t.rows());
    trace_begin.push_back(begin);
    uint64_t first = prev_trace_start + static_cast<uint64_t>(starts.svarint());
    prev_trace_start = first;
    for (uint64_t s = 0; s < nspans; ++s) {
      t.trace_id.push_back(id);
      t.start_ns.push_back(s == 0 ? first : first + starts.varint());
      t.span_id.push_back(span_ids.u64());
      uint64_t p = parents.varint();
      if (p == 0) {
        t.parent_id.push_back(0);
      } else if (p == 1) {
        t.parent_id.push_back(parents_ext.u64());
      } else {
        t.parent_id.push_back(0);  // resolved below, once the whole trace is read
      }
      t.has_status.push_back(0);
      (void)p;
    }
    (void)begin;
  }
  trace_begin.push_back(static_cast<uint32_t>(t.rows()));
  // Lookup by id: traces are in slice order in the file, so sort an id index.
  {
    std::vector<uint32_t> order(meta.traces);
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return t.trace_id[trace_begin[a]] < t.trace_id[trace_begin[b]];
    });
    for (uint32_t k : order) {
      seg->trace_ids.push_back(t.trace_id[trace_begin[k]]);
      seg->trace_rows.emplace_back(trace_begin[k], trace_begin[k + 1]);
    }
  }
  if (t.rows() != meta.rows) return corrupt("span count");
  // Second pass over parent refs now that every span id is known.
  {
    ByteReader pr = rd(kParents);
    for (uint64_t k = 0; k < meta.traces; ++k) {
      uint32_t b = trace_begin[k], e = trace_begin[k + 1];
      for (uint32_t r = b; r < e; ++r) {
        uint64_t p = pr.varint();
        if (p >= 2) {
          if (p - 2 >= e - b) return corrupt("parent reference out of trace");
          t.parent_id[r] = t.span_id[b + (p - 2)];
        }
      }
    }
  }
  const size_t n = t.rows();
  for (size_t r = 0; r < n; ++r) {
    t.duration_ns.push_back(static_cast<uint64_t>(durations.svarint()));
    t.name.push_back(dictId(names.varint(), ok));
    t.kind.push_back(static_cast<int32_t>(kinds.svarint()));
    t.has_status[r] = status.u8() != 0 ? 1 : 0;
    t.status_code.push_back(t.has_status[r] ? static_cast<int32_t>(status.svarint()) : 0);
    t.status_message.push_back(dictId(status_msgs.varint(), ok));
    t.flags.push_back(static_cast<uint32_t>(flags.varint()));
    t.trace_state.push_back(dictId(states.varint(), ok));
    uint64_t res = res_of.varint(), sc = scope_of.varint();
    if (res >= t.resources.size() || sc >= t.scopes.size()) return corrupt("resource/scope ref");
    t.resource.push_back(static_cast<uint32_t>(res));
    t.scope.push_back(static_cast<uint32_t>(sc));
    t.dropped_attrs.push_back(static_cast<uint32_t>(dropped.varint()));
    t.dropped_events.push_back(static_cast<uint32_t>(dropped.varint()));
    t.dropped_links.push_back(static_cast<uint32_t>(dropped.varint()));
    if (!readPoolEntries(akeys, atypes, avalues, t.attrs, attr_counts.varint(), dict_size))
      return corrupt("span attributes");
    t.attrs_end.push_back(static_cast<uint32_t>(t.attrs.size()));
    uint64_t ne = events.varint();
    if (ne > raw[kEvents].size()) return corrupt("event count");
    for (uint64_t e = 0; e < ne; ++e) {
      t.event_time_ns.push_back(t.start_ns[r] + static_cast<uint64_t>(events.svarint()));
      t.event_name.push_back(dictId(events.varint(), ok));
      t.event_dropped.push_back(static_cast<uint32_t>(events.varint()));
      if (!readPoolEntries(ekeys, etypes, evalues, t.event_attrs, events.varint(), dict_size))
        return corrupt("event attributes");
      t.event_attrs_end.push_back(static_cast<uint32_t>(t.event_attrs.size()));
    }
    t.events_end.push_back(static_cast<uint32_t>(t.event_time_ns.size()));
    uint64_t nl = links.varint();
    if (nl > raw[kLinks].size()) return corrupt("link count");
    for (uint64_t l = 0; l < nl; ++l) {
      t.link_trace_id.push_back(traceIdFrom(links.raw(16)));
      t.link_span_id.push_back(links.u64());
      t.link_trace_state.push_back(dictId(links.varint(), ok));
      t.link_flags.push_back(static_cast<uint32_t>(links.varint()));
      t.link_dropped.push_back(static_cast<uint32_t>(links.varint()));
      if (!readPoolEntries(lkeys, ltypes, lvalues, t.link_attrs, links.varint(), dict_size))
        return corrupt("link attributes");
      t.link_attrs_end.push_back(static_cast<uint32_t>(t.link_attrs.size()));
    }
    t.links_end.push_back(static_cast<uint32_t>(t.link_span_id.size()));
    if (!ok) return corrupt("dictionary reference out of range");
  }
  for (ByteReader* r : {&trace_ids, &trace_spans, &span_ids, &parents, &parents_ext, &starts,
                        &durations, &names, &kinds, &status, &status_msgs, &flags, &states, &res_of,
                        &scope_of, &dropped, &attr_counts, &events, &links}) {
    if (r->fail()) return corrupt("span columns are short");
  }

  // Attribute index.
  {
    ByteReader r = rd(kAttrIndex);
    uint64_t nkeys = r.varint();
    for (uint64_t i = 0; i < nkeys && !r.fail(); ++i) {
      uint32_t key = dictId(r.varint(), ok);
      seg->indexed_keys.push_back(key);
      uint64_t nvalues = r.varint();
      for (uint64_t v = 0; v < nvalues && !r.fail(); ++v) {
        uint32_t text = dictId(r.varint(), ok);
        uint64_t nrows = r.varint();
        if (nrows > n) return corrupt("attribute index");
        auto& rows = seg->attr_index[(static_cast<uint64_t>(key) << 32) | text];
        rows.reserve(nrows);
        uint64_t row = 0;
        for (uint64_t j = 0; j < nrows; ++j) {
          row += r.varint();
          if (row >= n) return corrupt("attribute index row");
          rows.push_back(static_cast<uint32_t>(row));
        }
      }
    }
    if (r.fail() || !ok) return corrupt("attribute index");
    std::sort(seg->indexed_keys.begin(), seg->indexed_keys.end());
  }
  return seg;
}

}  // namespace periscope::storage
