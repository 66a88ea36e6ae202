// Log segment decoding: footer → LogSegmentMeta; row group → the records a filter keeps.
// Every length and count comes from untrusted bytes and is checked before use.
#include <algorithm>
#include <cstring>
#include <functional>

#include "common/compression.h"
#include "storage/codec/any_value_codec.h"
#include "storage/codec/byte_io.h"
#include "storage/signals/logs/log_segment.h"
#include "storage/wal/crc32c.h"

namespace periscope::storage::logs {
namespace {

using model::AnyValue;

Status damaged(std::string what) {
  return Status(StatusCode::kDataLoss, "log segment: " + std::move(what));
}

bool readWords(ByteReader& r, std::vector<uint64_t>& words) {
  uint64_t n = r.varint();
  if (r.fail() || n > r.remaining() / 8) return false;
  words.resize(n);
  for (auto& x : words) x = r.u64();
  return !r.fail();
}

// A block's bytes, checked and inflated into an arena-owned buffer (views stay valid).
Result<std::string_view> inflate(const LogBlockRef& b, const BlockReader& read, Arena& arena) {
  if (b.raw_size == 0) return std::string_view();
  auto stored = read(b);
  if (!stored.isOk()) return stored.status();
  if (stored->size() != b.size || crc32c(*stored) != b.crc)
    return damaged("block at offset " + std::to_string(b.offset) + " fails its checksum");
  auto raw = compression::decompress(compression::Encoding::kZstd, *stored, b.raw_size);
  if (!raw.isOk() || raw->size() != b.raw_size)
    return damaged("block at offset " + std::to_string(b.offset) + " does not inflate");
  return arena.adopt(std::move(*raw));
}

bool contains(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > hay.size()) return false;
  return memmem(hay.data(), hay.size(), needle.data(), needle.size()) != nullptr;
}

// The decoded dictionary of a row group.
struct Dictionary {
  std::vector<model::ResourceLogs> resources;
  std::vector<model::ScopeLogs> scopes;
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
};

bool readDictionary(std::string_view bytes, Arena& arena, Dictionary& d) {
  ByteReader r(bytes);
  uint64_t n = r.varint();
  if (n > r.remaining()) return false;
  d.resources.resize(n);
  for (auto& rl : d.resources) {
    rl.has_resource = r.u8() != 0;
    rl.schema_url = r.bytes();
    rl.resource.dropped_attributes_count = static_cast<uint32_t>(r.varint());
    rl.resource.attributes = readAttributes(r, arena, true);
  }
  n = r.varint();
  if (n > r.remaining()) return false;
  d.scopes.resize(n);
  for (auto& s : d.scopes) {
    s.has_scope = r.u8() != 0;
    s.scope.name = r.bytes();
    s.scope.version = r.bytes();
    s.scope.dropped_attributes_count = static_cast<uint32_t>(r.varint());
    s.scope.attributes = readAttributes(r, arena, true);
    s.schema_url = r.bytes();
  }
  n = r.varint();
  if (n > r.remaining()) return false;
  d.pairs.resize(n);
  for (auto& [ri, si] : d.pairs) {
    uint64_t a = r.varint(), b = r.varint();
    if (a >= d.resources.size() || b >= d.scopes.size()) return false;
    ri = static_cast<uint32_t>(a);
    si = static_cast<uint32_t>(b);
  }
  return !r.fail();
}

}  // namespace

Status checkLogSegmentHeader(std::string_view first) {
  if (first.size() < kLogSegmentHeaderBytes) return damaged("shorter than its header");
  if (first.substr(0, 8) != "PSCLOG01")
    return Status(StatusCode::kFailedPrecondition, "not a Periscope log segment");
  ByteReader r(first.substr(8, 4));
  uint32_t version = r.u32();
  if (version > kLogSegmentVersion)
    return Status(StatusCode::kFailedPrecondition, "log segment format version " +
                                                       std::to_string(version) +
                                                       " is newer than this build understands");
  if (version == 0) return damaged("format version 0");
  return Status::ok();
}

Result<LogSegmentMeta> decodeLogSegmentMeta(std::string_view tail, uint64_t file_size) {
  if (tail.size() < kLogSegmentTrailerBytes || file_size < tail.size() ||
      file_size < kLogSegmentHeaderBytes + kLogSegmentTrailerBytes)
    return damaged("shorter than its trailer");
  ByteReader t(tail.substr(tail.size() - kLogSegmentTrailerBytes));
  uint64_t footer_offset = t.u64();
  uint32_t footer_size = t.u32(), footer_raw = t.u32(), footer_crc = t.u32();
  if (t.raw(8) != "PSCLOGND") return damaged("trailer magic missing (torn or foreign file)");
  uint64_t tail_start = file_size - tail.size();
  if (footer_offset < kLogSegmentHeaderBytes || footer_offset < tail_start ||
      footer_offset + footer_size != file_size - kLogSegmentTrailerBytes)
    return damaged("footer position out of range");
  std::string_view stored = tail.substr(footer_offset - tail_start, footer_size);
  if (crc32c(stored) != footer_crc) return damaged("footer fails its checksum");
  auto raw = compression::decompress(compression::Encoding::kZstd, stored, footer_raw);
  if (!raw.isOk() || raw->size() != footer_raw) return damaged("footer does not inflate");

  LogSegmentMeta m;
  m.file_bytes = file_size;
  ByteReader r(*raw);
  m.id = r.varint();
  m.wal_lsn = r.varint();
  uint64_t n = r.varint();
  if (n > r.remaining()) return damaged("replaces count");
  for (uint64_t i = 0; i < n; ++i) m.replaces.push_back(r.varint());
  m.partition_start_ns = r.varint();
  m.records = r.varint();
  m.min_time_ns = r.varint();
  m.max_time_ns = r.varint();
  n = r.varint();
  if (n > r.remaining()) return damaged("resource count");
  for (uint64_t i = 0; i < n; ++i) {
    ByteReader rr(r.bytes());
    model::Resource res;
    res.dropped_attributes_count = static_cast<uint32_t>(rr.varint());
    res.attributes = readAttributes(rr, *m.arena);
    if (rr.fail()) return damaged("resource " + std::to_string(i));
    m.resources.push_back(res);
  }
  n = r.varint();
  if (n > r.remaining()) return damaged("row group count");
  uint64_t records = 0;
  for (uint64_t g = 0; g < n; ++g) {
    LogRowGroupMeta rg;
    rg.offset = r.varint();
    rg.length = r.varint();
    rg.rows = static_cast<uint32_t>(r.varint());
    rg.min_time_ns = r.varint();
    rg.max_time_ns = r.varint();
    rg.min_severity = static_cast<int32_t>(r.svarint());
    rg.max_severity = static_cast<int32_t>(r.svarint());
    uint64_t nr = r.varint();
    if (nr > r.remaining()) return damaged("row group resources");
    for (uint64_t i = 0; i < nr; ++i) {
      uint64_t idx = r.varint();
      if (idx >= m.resources.size()) return damaged("row group resource index");
      rg.resources.push_back(static_cast<uint32_t>(idx));
    }
    if (!readWords(r, rg.trace_ids.words) || !readWords(r, rg.lines.words))
      return damaged("row group filters");
    for (LogBlockRef& b : rg.blocks) {
      b.offset = r.varint();
      b.size = r.varint();
      b.raw_size = r.varint();
      b.crc = r.u32();
      if (b.offset < kLogSegmentHeaderBytes || b.offset + b.size > footer_offset ||
          b.offset + b.size < b.offset || b.raw_size > (256ull << 20))
        return damaged("block out of range");
    }
    if (r.fail()) break;
    records += rg.rows;
    m.row_groups.push_back(std::move(rg));
  }
  if (r.fail() || !r.done()) return damaged("footer does not decode");
  if (records != m.records) return damaged("row counts do not add up");
  return m;
}

Result<size_t> decodeLogRowGroup(const LogRowGroupMeta& rg, const BlockReader& read,
                                 const RowFilter& f, model::Logs& out) {
  Arena& arena = out.arena();
  const uint32_t n = rg.rows;
  std::vector<uint8_t> keep(n, 1);
  size_t kept = n;
  auto column = [&](LogColumn c) { return inflate(rg.blocks[c], read, arena); };
  auto drop = [&](uint32_t i) {
    if (keep[i]) {
      keep[i] = 0;
      --kept;
    }
  };
  auto bad = [&](const char* col) { return damaged(std::string(col) + " column does not decode"); };

  // Time: always decoded (records need it); filtered when the range cuts the row group.
  auto time_col = column(kColTime);
  if (!time_col.isOk()) return time_col.status();
  std::vector<uint64_t> times(n);
  {
    ByteReader r(*time_col);
    uint64_t t = rg.min_time_ns;
    for (uint32_t i = 0; i < n; ++i) {
      t += r.varint();
      times[i] = t;
      if ((f.start_ns != 0 && t < f.start_ns) || (f.end_ns != 0 && t > f.end_ns)) drop(i);
    }
    if (r.fail()) return bad("time");
  }
  if (kept == 0) return size_t{0};

  if (!f.trace_id.empty()) {
    auto col = column(kColTraceId);
    if (!col.isOk()) return col.status();
    ByteReader r(*col);
    for (uint32_t i = 0; i < n; ++i)
      if (r.bytes() != f.trace_id) drop(i);
    if (r.fail()) return bad("trace id");
    if (kept == 0) return size_t{0};
  }
  std::vector<int32_t> sev(n);
  std::vector<std::string_view> sev_text(n);
  {
    auto col = column(kColSeverity);
    if (!col.isOk()) return col.status();
    ByteReader r(*col);
    for (uint32_t i = 0; i < n; ++i) {
      sev[i] = static_cast<int32_t>(r.svarint());
      sev_text[i] = r.bytes();
      if ((f.min_severity != 0 && sev[i] < f.min_severity) ||
          (f.max_severity != 0 && sev[i] > f.max_severity))
        drop(i);
    }
    if (r.fail()) return bad("severity");
    if (kept == 0) return size_t{0};
  }
  Dictionary dict;
  std::vector<uint32_t> pair(n);
  {
    auto dcol = column(kColDictionary);
    if (!dcol.isOk()) return dcol.status();
    if (!readDictionary(*dcol, arena, dict)) return bad("dictionary");
    auto col = column(kColResource);
    if (!col.isOk()) return col.status();
    std::vector<uint8_t> pair_passes(dict.pairs.size(), 1);
    if (f.resource_passes) {
      for (size_t p = 0; p < dict.pairs.size(); ++p)
        pair_passes[p] = f.resource_passes(dict.resources[dict.pairs[p].first].resource) ? 1 : 0;
    }
    ByteReader r(*col);
    for (uint32_t i = 0; i < n; ++i) {
      uint64_t p = r.varint();
      if (p >= dict.pairs.size()) return bad("resource");
      pair[i] = static_cast<uint32_t>(p);
      if (!pair_passes[p]) drop(i);
    }
    if (r.fail()) return bad("resource");
    if (kept == 0) return size_t{0};
  }
  // Bodies: the line filter runs on them before anything else is materialised.
  std::vector<std::string_view> body(n);
  {
    auto col = column(kColBody);
    if (!col.isOk()) return col.status();
    ByteReader r(*col);
    for (uint32_t i = 0; i < n; ++i) body[i] = r.bytes();
    if (r.fail()) return bad("body");
    if (!f.line_contains.empty()) {
      auto lcol = column(kColLine);
      if (!lcol.isOk()) return lcol.status();
      ByteReader lr(*lcol);
      for (uint32_t i = 0; i < n; ++i) {
        std::string_view line;
        auto type =
            body[i].empty() ? AnyValue::Type::kAbsent : static_cast<AnyValue::Type>(body[i][0]);
        if (type == AnyValue::Type::kString) {
          ByteReader br(body[i].substr(1));
          line = br.bytes();
        } else if (type != AnyValue::Type::kAbsent) {
          line = lr.bytes();
        }
        if (!keep[i]) continue;
        for (const std::string& needle : f.line_contains) {
          if (!contains(line, needle)) {
            drop(i);
            break;
          }
        }
      }
      if (lr.fail()) return bad("line");
      if (kept == 0) return size_t{0};
    }
  }

  // Materialise the kept rows.
  std::vector<model::LogRecord> records(kept);  // copied into out by buildLogs
  std::vector<RecordRef> refs(kept);
  {
    auto obs = column(kColObserved);
    auto attrs = column(kColAttributes);
    auto spans = column(kColSpanId);
    auto flags = column(kColFlags);
    auto events = column(kColEventName);
    auto traces = column(kColTraceId);
    for (auto* c : {&obs, &attrs, &spans, &flags, &events, &traces})
      if (!c->isOk()) return c->status();
    ByteReader ro(*obs), ra(*attrs), rs(*spans), rf(*flags), re(*events), rt(*traces);
    size_t k = 0;
    for (uint32_t i = 0; i < n; ++i) {
      bool zero_time = ro.u8() != 0;
      int64_t obs_delta = ro.svarint();
      std::string_view attr_bytes = ra.bytes();
      std::string_view span_id = rs.bytes();
      uint64_t fl = rf.varint();
      std::string_view event = re.bytes();
      std::string_view trace = rt.bytes();
      if (!keep[i]) continue;
      model::LogRecord& rec = records[k];
      rec.time_unix_nano = zero_time ? 0 : times[i];
      rec.observed_time_unix_nano = times[i] + static_cast<uint64_t>(obs_delta);
      rec.severity_number = sev[i];
      rec.severity_text = sev_text[i];
      ByteReader br(body[i]);
      rec.body = readAnyValue(br, arena, true);
      ByteReader ar(attr_bytes);
      rec.dropped_attributes_count = static_cast<uint32_t>(ar.varint());
      rec.attributes = readAttributes(ar, arena, true);
      if (br.fail() || ar.fail()) return bad("body or attributes");
      rec.flags = static_cast<uint32_t>(fl);
      rec.trace_id = trace;
      rec.span_id = span_id;
      rec.event_name = event;
      const auto& [ri, si] = dict.pairs[pair[i]];
      refs[k] = {&dict.resources[ri], &dict.scopes[si], &rec, times[i]};
      ++k;
    }
    if (ro.fail() || ra.fail() || rs.fail() || rf.fail() || re.fail() || rt.fail())
      return bad("record");
  }
  // Group by (resource, scope) pair so the batch has one ScopeLogs per pair.
  std::stable_sort(refs.begin(), refs.end(), [](const RecordRef& a, const RecordRef& b) {
    return std::less<>()(a.resource, b.resource) ||
           (a.resource == b.resource && std::less<>()(a.scope, b.scope));
  });
  buildLogs(refs, out);
  return kept;
}

void buildLogs(std::span<const RecordRef> refs, model::Logs& out) {
  Arena& arena = out.arena();
  // Runs of one scope, and runs of those with one resource.
  size_t i = 0;
  while (i < refs.size()) {
    const model::ResourceLogs* res = refs[i].resource;
    size_t j = i, scopes = 0;
    while (j < refs.size() && refs[j].resource == res) {
      const model::ScopeLogs* s = refs[j].scope;
      while (j < refs.size() && refs[j].resource == res && refs[j].scope == s) ++j;
      ++scopes;
    }
    auto scope_arr = arena.allocArray<model::ScopeLogs>(scopes);
    size_t k = i, si = 0;
    while (k < j) {
      const model::ScopeLogs* s = refs[k].scope;
      size_t e = k;
      while (e < j && refs[e].scope == s) ++e;
      auto recs = arena.allocArray<model::LogRecord>(e - k);
      for (size_t x = k; x < e; ++x) recs[x - k] = *refs[x].record;
      model::ScopeLogs& out_scope = scope_arr[si++];
      out_scope = *s;
      out_scope.log_records = recs;
      k = e;
    }
    model::ResourceLogs rl = *res;
    rl.scope_logs = scope_arr;
    out.resources().push_back(rl);
    i = j;
  }
}

}  // namespace periscope::storage::logs
