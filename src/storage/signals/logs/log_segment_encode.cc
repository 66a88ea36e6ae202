// Log segment encoding: time-sorted records → row groups of zstd column blocks + footer.
#include <algorithm>
#include <unordered_map>

#include "common/compression.h"
#include "model/log_line.h"
#include "storage/codec/any_value_codec.h"
#include "storage/codec/byte_io.h"
#include "storage/signals/logs/log_segment.h"
#include "storage/wal/crc32c.h"

namespace periscope::storage::logs {
namespace {

using model::AnyValue;

std::string encodeResource(const model::Resource& r) {
  std::string out;
  ByteWriter w(out);
  w.varint(r.dropped_attributes_count);
  writeAttributes(w, r.attributes);
  return out;
}

void writeScope(ByteWriter& w, const model::ScopeLogs& s) {
  w.u8(s.has_scope ? 1 : 0);
  w.bytes(s.scope.name);
  w.bytes(s.scope.version);
  w.varint(s.scope.dropped_attributes_count);
  writeAttributes(w, s.scope.attributes);
  w.bytes(s.schema_url);
}

// Puts the varint length of col[at..] before it: the entry was written in place (no copy) and
// readers can skip it without parsing it.
void prefixLength(std::string& col, size_t at) {
  char buf[10];
  size_t n = 0;
  for (uint64_t len = col.size() - at;; len >>= 7) {
    buf[n++] = static_cast<char>(len >= 0x80 ? (len & 0x7f) | 0x80 : len);
    if (len < 0x80) break;
  }
  col.insert(at, buf, n);
}

void writeBloomWords(ByteWriter& w, const std::vector<uint64_t>& words) {
  w.varint(words.size());
  for (uint64_t x : words) w.u64(x);
}

// Per flush: the column buffers and lookup tables, reused across row groups.
class RowGroupEncoder {
 public:
  RowGroupEncoder(std::string& file, LogSegmentMeta& meta, const LogSegmentEncodeOptions& options)
      : file_(file), meta_(meta), options_(options) {}

  void encode(std::span<const RecordRef> rows) {
    LogRowGroupMeta rg;
    rg.offset = file_.size();
    rg.rows = static_cast<uint32_t>(rows.size());
    rg.min_time_ns = rows.front().time_ns;
    rg.max_time_ns = rows.back().time_ns;
    rg.min_severity = rg.max_severity = rows.front().record->severity_number;
    for (auto& c : cols_) c.clear();
    pair_of_scope_.clear();
    last_scope_ = nullptr;
    resource_of_.clear();
    resource_index_.clear();
    scopes_.clear();
    pairs_.clear();
    trace_ids_.clear();
    rg.lines.reset();

    ByteWriter time(cols_[kColTime]), observed(cols_[kColObserved]), severity(cols_[kColSeverity]),
        body(cols_[kColBody]), line(cols_[kColLine]), attrs(cols_[kColAttributes]),
        res(cols_[kColResource]), trace(cols_[kColTraceId]), span(cols_[kColSpanId]),
        flags(cols_[kColFlags]), event(cols_[kColEventName]);
    uint64_t prev = rg.min_time_ns;
    for (const RecordRef& ref : rows) {
      const model::LogRecord& r = *ref.record;
      time.varint(ref.time_ns - prev);
      prev = ref.time_ns;
      observed.u8(r.time_unix_nano == 0 ? 1 : 0);
      observed.svarint(static_cast<int64_t>(r.observed_time_unix_nano - ref.time_ns));
      severity.svarint(r.severity_number);
      severity.bytes(r.severity_text);
      rg.min_severity = std::min(rg.min_severity, r.severity_number);
      rg.max_severity = std::max(rg.max_severity, r.severity_number);

      size_t at = cols_[kColBody].size();
      writeAnyValue(body, r.body);
      prefixLength(cols_[kColBody], at);
      if (r.body.type() == AnyValue::Type::kString) {
        rg.lines.add(r.body.str());
      } else if (r.body.present()) {
        model::logLine(r, line_);
        line.bytes(line_);
        rg.lines.add(line_);
      }
      at = cols_[kColAttributes].size();
      attrs.varint(r.dropped_attributes_count);
      writeAttributes(attrs, r.attributes);
      prefixLength(cols_[kColAttributes], at);

      res.varint(pairOf(ref));
      trace.bytes(r.trace_id);
      if (!r.trace_id.empty()) trace_ids_.push_back(r.trace_id);
      span.bytes(r.span_id);
      flags.varint(r.flags);
      event.bytes(r.event_name);
    }
    rg.lines.finish();
    // Sized by the ids present (an upper bound on distinct ones; a trace's records are few
    // per row group), which spares sorting them.
    rg.trace_ids.init(trace_ids_.size());
    for (std::string_view id : trace_ids_) rg.trace_ids.add(id);

    // The dictionary: resources, scopes, pairs.
    ByteWriter dict(cols_[kColDictionary]);
    dict.varint(resource_index_.size());
    for (const model::ResourceLogs* r : resource_list_) {
      dict.u8(r->has_resource ? 1 : 0);
      dict.bytes(r->schema_url);
      dict.varint(r->resource.dropped_attributes_count);
      writeAttributes(dict, r->resource.attributes);
    }
    dict.varint(scopes_.size());
    for (const model::ScopeLogs* s : scopes_) writeScope(dict, *s);
    dict.varint(pairs_.size());
    for (const auto& [ri, si] : pairs_) {
      dict.varint(ri);
      dict.varint(si);
    }
    for (const model::ResourceLogs* r : resource_list_) rg.resources.push_back(segmentResource(*r));
    std::sort(rg.resources.begin(), rg.resources.end());
    rg.resources.erase(std::unique(rg.resources.begin(), rg.resources.end()), rg.resources.end());

    for (size_t c = 0; c < kColumnCount; ++c) {
      LogBlockRef& b = rg.blocks[c];
      b.offset = file_.size();
      b.raw_size = cols_[c].size();
      auto z = compression::compress(compression::Encoding::kZstd, cols_[c], options_.zstd_level);
      // zstd cannot fail on a correct bound; an empty block would then fail its crc on read.
      std::string_view stored = z.isOk() ? std::string_view(*z) : std::string_view();
      b.size = stored.size();
      b.crc = crc32c(stored);
      file_.append(stored);
    }
    rg.length = file_.size() - rg.offset;
    meta_.row_groups.push_back(std::move(rg));
    resource_list_.clear();
  }

  std::vector<std::string>& segmentResourceBytes() { return segment_resources_; }

 private:
  uint32_t pairOf(const RecordRef& ref) {
    if (ref.scope == last_scope_) return last_pair_;
    last_scope_ = ref.scope;
    last_pair_ = pairIndex(ref);
    return last_pair_;
  }

  uint32_t pairIndex(const RecordRef& ref) {
    auto it = pair_of_scope_.find(ref.scope);
    if (it != pair_of_scope_.end()) return it->second;
    uint32_t ri = resourceOf(*ref.resource);
    auto si = static_cast<uint32_t>(scopes_.size());
    scopes_.push_back(ref.scope);
    auto pi = static_cast<uint32_t>(pairs_.size());
    pairs_.emplace_back(ri, si);
    pair_of_scope_.emplace(ref.scope, pi);
    return pi;
  }

  // Row-group resource index; resources equal in content (from different batches) share one.
  uint32_t resourceOf(const model::ResourceLogs& r) {
    auto it = resource_of_.find(&r);
    if (it != resource_of_.end()) return it->second;
    std::string key = encodeResource(r.resource);
    key.push_back(r.has_resource ? '\1' : '\0');
    key.append(r.schema_url);
    auto [pos, fresh] =
        resource_index_.emplace(std::move(key), static_cast<uint32_t>(resource_list_.size()));
    if (fresh) resource_list_.push_back(&r);
    resource_of_.emplace(&r, pos->second);
    return pos->second;
  }

  // Segment resource index (attributes only: what matchers and resourceValues see).
  uint32_t segmentResource(const model::ResourceLogs& r) {
    std::string key = encodeResource(r.resource);
    auto [pos, fresh] =
        segment_index_.emplace(key, static_cast<uint32_t>(segment_resources_.size()));
    if (fresh) segment_resources_.push_back(std::move(key));
    return pos->second;
  }

  std::string& file_;
  LogSegmentMeta& meta_;
  const LogSegmentEncodeOptions& options_;
  std::array<std::string, kColumnCount> cols_;
  std::string line_;
  const model::ScopeLogs* last_scope_ = nullptr;
  uint32_t last_pair_ = 0;
  std::vector<std::string_view> trace_ids_;
  std::unordered_map<const model::ScopeLogs*, uint32_t> pair_of_scope_;
  std::unordered_map<const model::ResourceLogs*, uint32_t> resource_of_;
  std::unordered_map<std::string, uint32_t> resource_index_;
  std::vector<const model::ResourceLogs*> resource_list_;
  std::vector<const model::ScopeLogs*> scopes_;
  std::vector<std::pair<uint32_t, uint32_t>> pairs_;
  std::unordered_map<std::string, uint32_t> segment_index_;
  std::vector<std::string> segment_resources_;
};

std::string encodeFooter(const LogSegmentMeta& meta, const std::vector<std::string>& resources) {
  std::string out;
  ByteWriter w(out);
  w.varint(meta.id);
  w.varint(meta.wal_lsn);
  w.varint(meta.replaces.size());
  for (uint64_t r : meta.replaces) w.varint(r);
  w.varint(meta.partition_start_ns);
  w.varint(meta.records);
  w.varint(meta.min_time_ns);
  w.varint(meta.max_time_ns);
  w.varint(resources.size());
  for (const std::string& r : resources) w.bytes(r);
  w.varint(meta.row_groups.size());
  for (const LogRowGroupMeta& rg : meta.row_groups) {
    w.varint(rg.offset);
    w.varint(rg.length);
    w.varint(rg.rows);
    w.varint(rg.min_time_ns);
    w.varint(rg.max_time_ns);
    w.svarint(rg.min_severity);
    w.svarint(rg.max_severity);
    w.varint(rg.resources.size());
    for (uint32_t r : rg.resources) w.varint(r);
    writeBloomWords(w, rg.trace_ids.words);
    writeBloomWords(w, rg.lines.words);
    for (const LogBlockRef& b : rg.blocks) {
      w.varint(b.offset);
      w.varint(b.size);
      w.varint(b.raw_size);
      w.u32(b.crc);
    }
  }
  return out;
}

}  // namespace

std::string encodeLogSegment(std::span<const RecordRef> refs, LogSegmentMeta& meta,
                             const LogSegmentEncodeOptions& options) {
  std::string file;
  ByteWriter w(file);
  w.raw("PSCLOG01");
  w.u32(kLogSegmentVersion);
  meta.records = refs.size();
  meta.row_groups.clear();
  if (!refs.empty()) {
    meta.min_time_ns = refs.front().time_ns;
    meta.max_time_ns = refs.back().time_ns;
  }
  RowGroupEncoder enc(file, meta, options);
  const size_t per_group = std::max<size_t>(1, options.row_group_rows);
  for (size_t i = 0; i < refs.size(); i += per_group)
    enc.encode(refs.subspan(i, std::min(per_group, refs.size() - i)));

  // The footer's resources are also kept decoded in meta, as the reader would have them.
  meta.resources.clear();
  meta.arena = std::make_shared<Arena>();
  for (const std::string& r : enc.segmentResourceBytes()) {
    ByteReader rr(r);
    model::Resource res;
    res.dropped_attributes_count = static_cast<uint32_t>(rr.varint());
    res.attributes = readAttributes(rr, *meta.arena);
    meta.resources.push_back(res);
  }

  std::string footer = encodeFooter(meta, enc.segmentResourceBytes());
  auto z = compression::compress(compression::Encoding::kZstd, footer, options.zstd_level);
  std::string_view stored = z.isOk() ? std::string_view(*z) : std::string_view();
  uint64_t footer_offset = file.size();
  file.append(stored);
  w.u64(footer_offset);
  w.u32(static_cast<uint32_t>(stored.size()));
  w.u32(static_cast<uint32_t>(footer.size()));
  w.u32(crc32c(stored));
  w.raw("PSCLOGND");
  meta.file_bytes = file.size();
  return file;
}

}  // namespace periscope::storage::logs
