// Segment decoding: footer → SegmentMeta; row group bytes → LoadedRowGroup. Every length,
// count and id read from disk is bounds-checked; damage is DATA_LOSS naming what is damaged.
#include <zstd.h>

#include <algorithm>
#include <numeric>

#include "storage/codec/byte_io.h"
#include "storage/signals/traces/segment.h"
#include "storage/signals/traces/segment_format.h"
#include "storage/wal/crc32c.h"

namespace periscope::storage {

using namespace segment_format;  // NOLINT(google-build-using-namespace): .cc only

namespace {

bool readPoolEntries(ByteReader& keys, ByteReader& types, ByteReader& values, AttrPool& pool,
                     uint64_t n, size_t dict_size) {
  // One type byte per entry: a count the column cannot hold is damage (and must not become
  // an allocation loop — found by segment_columns_fuzz).
  if (n > types.remaining()) return false;
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

}  // namespace

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
    if (ne > events.remaining()) return corrupt("event count");
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
    if (nl > links.remaining()) return corrupt("link count");
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
