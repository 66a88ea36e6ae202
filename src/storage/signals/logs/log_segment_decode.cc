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
  char* raw = static_cast<char*>(arena.allocate(b.raw_size, 1));
  if (!compression::zstdDecompressExact(*stored, raw, b.raw_size).isOk())
    return damaged("block at offset " + std::to_string(b.offset) + " does not inflate");
  return std::string_view(raw, b.raw_size);
}

// The decoded dictionary of a row group.
struct Dictionary {
  std::vector<model::ResourceLogs> resources;
  std::vector<model::ScopeLogs> scopes;
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  std::vector<std::string_view> keys;  // record attribute keys (v2)
};

bool readDictionary(std::string_view bytes, uint32_t version, Arena& arena, Dictionary& d) {
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
  if (version >= 2) {
    n = r.varint();
    if (n > r.remaining()) return false;
    d.keys.resize(n);
    for (auto& k : d.keys) k = r.bytes();
  }
  return !r.fail();
}

// Record attributes of a v2 segment (see writeRecordAttributes); strings borrowed from r's
// buffer. False on a key index out of the dictionary or a short entry.
bool readRecordAttributes(ByteReader& r, const std::vector<std::string_view>& keys, Arena& arena,
                          model::Attributes& out) {
  uint64_t n = r.varint();
  if (r.fail() || n > r.remaining()) return false;
  auto kvs = arena.allocArray<model::KeyValue>(n);
  for (auto& kv : kvs) {
    uint64_t k = r.varint();
    if (k >= keys.size()) return false;
    kv.key = keys[k];
    ByteReader type = r;
    if (static_cast<AnyValue::Type>(type.u8()) == AnyValue::Type::kInt) {
      r = type;
      kv.value = AnyValue::integer(r.svarint());
    } else {
      kv.value = readAnyValue(r, arena, true);
    }
  }
  out = kvs;
  return !r.fail();
}

}  // namespace

Status checkLogSegmentHeader(std::string_view first) {
  return logSegmentVersion(first).status();
}

Result<uint32_t> logSegmentVersion(std::string_view first) {
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
  return version;
}

Result<LogSegmentMeta> decodeLogSegmentMeta(std::string_view tail, uint64_t file_size,
                                            uint32_t version) {
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
  m.version = version;
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
    rg.version = version;
    rg.offset = r.varint();
    rg.length = r.varint();
    rg.rows = static_cast<uint32_t>(r.varint());
    rg.min_time_ns = r.varint();
    rg.max_time_ns = r.varint();
    rg.min_severity = static_cast<int32_t>(r.svarint());
    rg.max_severity = static_cast<int32_t>(r.svarint());
    if (rg.min_time_ns > rg.max_time_ns || rg.min_severity > rg.max_severity)
      return damaged("row group ranges");
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
          b.offset + b.size < b.offset || b.raw_size > (64ull << 20))
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

namespace {

// Rows still selected by the filters applied so far.
struct Selection {
  explicit Selection(uint32_t n) : keep(n, 1), kept(n) {}
  void drop(uint32_t i) {
    if (keep[i]) {
      keep[i] = 0;
      --kept;
    }
  }
  std::vector<uint8_t> keep;
  size_t kept;
};

// Where each row's line lies: in one of the searched buffers (a row at most once).
struct LineSpan {
  uint32_t begin, end, row;
};

// Marks in `hit` the rows of `spans` (ascending, within `buf`) whose line contains `needle`:
// one memmem pass over the whole buffer, each candidate checked against its row's span.
void searchBuffer(std::string_view buf, const std::vector<LineSpan>& spans, std::string_view needle,
                  std::vector<uint8_t>& hit) {
  if (spans.empty()) return;
  if (needle.empty()) {
    for (const LineSpan& l : spans) hit[l.row] = 1;
    return;
  }
  size_t from = spans.front().begin;
  const size_t limit = spans.back().end;
  while (from + needle.size() <= limit) {
    const void* found = memmem(buf.data() + from, limit - from, needle.data(), needle.size());
    if (found == nullptr) break;
    auto pos = static_cast<size_t>(static_cast<const char*>(found) - buf.data());
    // The row whose span starts at or before pos.
    auto it = std::upper_bound(spans.begin(), spans.end(), pos,
                               [](size_t p, const LineSpan& l) { return p < l.begin; });
    if (it != spans.begin()) {
      const LineSpan& l = *(it - 1);
      if (pos + needle.size() <= l.end) {
        hit[l.row] = 1;
        from = l.end;  // the rest of this row cannot add anything
        continue;
      }
    }
    from = pos + 1;
  }
}

}  // namespace

Result<size_t> decodeLogRowGroup(const LogRowGroupMeta& rg, const BlockReader& read,
                                 const RowFilter& f, model::Logs& out) {
  Arena& arena = out.arena();
  const uint32_t n = rg.rows;
  Selection sel(n);
  auto column = [&](LogColumn c) { return inflate(rg.blocks[c], read, arena); };
  auto bad = [&](const char* col) { return damaged(std::string(col) + " column does not decode"); };

  // Each column is decoded once, when a filter or the materialisation first needs it; filters
  // run first so a selective one spares the other columns.
  std::vector<uint64_t> times;
  auto decodeTimes = [&]() -> Status {
    auto col = column(kColTime);
    if (!col.isOk()) return col.status();
    times.resize(n);
    ByteReader r(*col);
    uint64_t t = rg.min_time_ns;
    for (uint32_t i = 0; i < n; ++i) {
      uint64_t d = r.varint();
      if (d > rg.max_time_ns - t) return bad("time");  // past the row group's range
      t += d;
      times[i] = t;
    }
    return r.fail() ? bad("time") : Status::ok();
  };
  std::vector<int32_t> sev;
  std::vector<std::string_view> sev_text;
  auto decodeSeverity = [&]() -> Status {
    auto col = column(kColSeverity);
    if (!col.isOk()) return col.status();
    sev.resize(n);
    sev_text.resize(n);
    ByteReader r(*col);
    for (uint32_t i = 0; i < n; ++i) {
      sev[i] = static_cast<int32_t>(r.svarint());
      sev_text[i] = r.bytes();
    }
    return r.fail() ? bad("severity") : Status::ok();
  };
  std::vector<std::string_view> body;
  std::string_view body_col;
  auto decodeBody = [&]() -> Status {
    auto col = column(kColBody);
    if (!col.isOk()) return col.status();
    body_col = *col;
    body.resize(n);
    ByteReader r(body_col);
    for (uint32_t i = 0; i < n; ++i) body[i] = r.bytes();
    return r.fail() ? bad("body") : Status::ok();
  };
  Dictionary dict;
  std::vector<uint32_t> pair;
  auto decodeResources = [&]() -> Status {
    auto dcol = column(kColDictionary);
    if (!dcol.isOk()) return dcol.status();
    if (!readDictionary(*dcol, rg.version, arena, dict)) return bad("dictionary");
    auto col = column(kColResource);
    if (!col.isOk()) return col.status();
    pair.resize(n);
    ByteReader r(*col);
    for (uint32_t i = 0; i < n; ++i) {
      uint64_t p = r.varint();
      if (p >= dict.pairs.size()) return bad("resource");
      pair[i] = static_cast<uint32_t>(p);
    }
    return r.fail() ? bad("resource") : Status::ok();
  };

  if ((f.start_ns != 0 && rg.min_time_ns < f.start_ns) ||
      (f.end_ns != 0 && rg.max_time_ns > f.end_ns)) {
    PERISCOPE_RETURN_IF_ERROR(decodeTimes());
    for (uint32_t i = 0; i < n; ++i)
      if ((f.start_ns != 0 && times[i] < f.start_ns) || (f.end_ns != 0 && times[i] > f.end_ns))
        sel.drop(i);
    if (sel.kept == 0) return size_t{0};
  }
  if (!f.trace_id.empty()) {
    auto col = column(kColTraceId);
    if (!col.isOk()) return col.status();
    ByteReader r(*col);
    for (uint32_t i = 0; i < n; ++i)
      if (r.bytes() != f.trace_id) sel.drop(i);
    if (r.fail()) return bad("trace id");
    if (sel.kept == 0) return size_t{0};
  }
  if ((f.min_severity != 0 && rg.min_severity < f.min_severity) ||
      (f.max_severity != 0 && rg.max_severity > f.max_severity)) {
    PERISCOPE_RETURN_IF_ERROR(decodeSeverity());
    for (uint32_t i = 0; i < n; ++i)
      if ((f.min_severity != 0 && sev[i] < f.min_severity) ||
          (f.max_severity != 0 && sev[i] > f.max_severity))
        sel.drop(i);
    if (sel.kept == 0) return size_t{0};
  }
  if (!f.line_contains.empty()) {
    // The line of a string body is its bytes in the body column; other bodies have theirs
    // (JSON) in the line column.
    PERISCOPE_RETURN_IF_ERROR(decodeBody());
    auto lcol = column(kColLine);
    if (!lcol.isOk()) return lcol.status();
    std::vector<LineSpan> in_body, in_line;
    ByteReader lr(*lcol);
    for (uint32_t i = 0; i < n; ++i) {
      auto type =
          body[i].empty() ? AnyValue::Type::kAbsent : static_cast<AnyValue::Type>(body[i][0]);
      if (type == AnyValue::Type::kString) {
        ByteReader br(body[i].substr(1));
        std::string_view text = br.bytes();
        if (br.fail()) return bad("body");
        auto begin = static_cast<uint32_t>(text.data() - body_col.data());
        in_body.push_back({begin, begin + static_cast<uint32_t>(text.size()), i});
      } else if (type != AnyValue::Type::kAbsent) {
        std::string_view text = lr.bytes();
        if (lr.fail()) return bad("line");
        auto begin = static_cast<uint32_t>(text.data() - lcol->data());
        in_line.push_back({begin, begin + static_cast<uint32_t>(text.size()), i});
      }  // no body: the empty line, which only the empty needle matches
    }
    if (lr.fail()) return bad("line");
    std::vector<uint8_t> hit(n);
    for (const std::string& needle : f.line_contains) {
      std::fill(hit.begin(), hit.end(), 0);
      if (needle.empty()) {
        std::fill(hit.begin(), hit.end(), 1);
      } else {
        searchBuffer(body_col, in_body, needle, hit);
        searchBuffer(*lcol, in_line, needle, hit);
      }
      for (uint32_t i = 0; i < n; ++i)
        if (!hit[i]) sel.drop(i);
      if (sel.kept == 0) return size_t{0};
    }
  }
  if (f.resource_passes) {
    PERISCOPE_RETURN_IF_ERROR(decodeResources());
    std::vector<uint8_t> passes(dict.pairs.size());
    for (size_t p = 0; p < dict.pairs.size(); ++p)
      passes[p] = f.resource_passes(dict.resources[dict.pairs[p].first].resource) ? 1 : 0;
    for (uint32_t i = 0; i < n; ++i)
      if (!passes[pair[i]]) sel.drop(i);
    if (sel.kept == 0) return size_t{0};
  }

  // Materialise the kept rows.
  if (times.empty()) PERISCOPE_RETURN_IF_ERROR(decodeTimes());
  if (sev.empty()) PERISCOPE_RETURN_IF_ERROR(decodeSeverity());
  if (body.empty()) PERISCOPE_RETURN_IF_ERROR(decodeBody());
  if (pair.empty()) PERISCOPE_RETURN_IF_ERROR(decodeResources());
  const size_t kept = sel.kept;
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
      // A record without time_unix_nano is sorted by its observed time: the delta must be 0.
      if (zero_time && obs_delta != 0) return bad("observed time");
      std::string_view attr_bytes = ra.bytes();
      std::string_view span_id = rs.bytes();
      uint64_t fl = rf.varint();
      std::string_view event = re.bytes();
      std::string_view trace = rt.bytes();
      if (!sel.keep[i]) continue;
      model::LogRecord& rec = records[k];
      rec.time_unix_nano = zero_time ? 0 : times[i];
      rec.observed_time_unix_nano = times[i] + static_cast<uint64_t>(obs_delta);
      rec.severity_number = sev[i];
      rec.severity_text = sev_text[i];
      ByteReader br(body[i]);
      rec.body = readAnyValue(br, arena, true);
      ByteReader ar(attr_bytes);
      rec.dropped_attributes_count = static_cast<uint32_t>(ar.varint());
      if (rg.version >= 2) {
        if (!readRecordAttributes(ar, dict.keys, arena, rec.attributes)) return bad("attributes");
      } else {
        rec.attributes = readAttributes(ar, arena, true);
      }
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
  // Group by (resource, scope) so the batch has one ScopeLogs per pair.
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
