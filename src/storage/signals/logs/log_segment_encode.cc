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

// Reserves the one-byte length of an entry about to be written in place at the end of `col`;
// finishLength() fills it in. Most entries are shorter than 128 bytes, so the entry's bytes
// move only for the rare longer one (its varint length needs more bytes).
size_t startLength(std::string& col) {
  col.push_back('\0');
  return col.size();
}

// Puts the varint length of col[at..] before it: the entry was written in place (no copy) and
// readers can skip it without parsing it.
void finishLength(std::string& col, size_t at) {
  uint64_t len = col.size() - at;
  if (len < 0x80) {
    col[at - 1] = static_cast<char>(len);
    return;
  }
  char buf[10];
  size_t n = 0;
  for (;; len >>= 7) {
    buf[n++] = static_cast<char>(len >= 0x80 ? (len & 0x7f) | 0x80 : len);
    if (len < 0x80) break;
  }
  col[at - 1] = buf[0];
  col.insert(at, buf + 1, n - 1);
}

// Asks for the cache lines of [p, p + bytes) (at most the first four) ahead of their use.
void prefetch(const void* p, size_t bytes) {
  const char* c = static_cast<const char*>(p);
  for (size_t at = 0; at < std::min<size_t>(bytes, 256); at += 64) __builtin_prefetch(c + at);
}

// What encoding a record reads beyond the record itself: its body and attribute bytes (in the
// received request, next to its other strings) and its attribute array (in the batch's arena).
void prefetchPointees(const model::LogRecord& r) {
  if (r.body.type() == AnyValue::Type::kString) prefetch(r.body.str().data(), r.body.str().size());
  prefetch(r.attributes.data(), r.attributes.size() * sizeof(model::KeyValue));
  if (!r.attributes.empty()) prefetch(r.attributes[0].key.data(), 128);
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
    keys_.clear();
    key_index_.clear();
    key_at_.clear();
    resource_of_.clear();
    scopes_.clear();
    pairs_.clear();
    trace_ids_.clear();
    rg.lines.reset();

    ByteWriter time(cols_[kColTime]), observed(cols_[kColObserved]), severity(cols_[kColSeverity]),
        body(cols_[kColBody]), line(cols_[kColLine]), attrs(cols_[kColAttributes]),
        res(cols_[kColResource]), trace(cols_[kColTraceId]), span(cols_[kColSpanId]),
        flags(cols_[kColFlags]), event(cols_[kColEventName]);
    uint64_t prev = rg.min_time_ns;
    // A head's records come from many batches interleaved in time, so sorted they are visited
    // in no memory order: each would be a cache miss. Records are fetched 8 rows ahead, what
    // they point to 4 rows ahead (once the record itself has arrived).
    constexpr size_t kRecordAhead = 8, kPointeesAhead = 4;
    for (size_t i = 0; i < std::min(rows.size(), kRecordAhead); ++i)
      prefetch(rows[i].record, sizeof(model::LogRecord));
    for (size_t i = 0; i < rows.size(); ++i) {
      if (i + kRecordAhead < rows.size())
        prefetch(rows[i + kRecordAhead].record, sizeof(model::LogRecord));
      if (i + kPointeesAhead < rows.size()) prefetchPointees(*rows[i + kPointeesAhead].record);
      const RecordRef& ref = rows[i];
      const model::LogRecord& r = *ref.record;
      time.varint(ref.time_ns - prev);
      prev = ref.time_ns;
      observed.u8(r.time_unix_nano == 0 ? 1 : 0);
      observed.svarint(static_cast<int64_t>(r.observed_time_unix_nano - ref.time_ns));
      severity.svarint(r.severity_number);
      severity.bytes(r.severity_text);
      rg.min_severity = std::min(rg.min_severity, r.severity_number);
      rg.max_severity = std::max(rg.max_severity, r.severity_number);

      size_t at = startLength(cols_[kColBody]);
      writeAnyValue(body, r.body);
      finishLength(cols_[kColBody], at);
      if (r.body.type() == AnyValue::Type::kString) {
        rg.lines.add(r.body.str());
      } else if (r.body.present()) {
        model::logLine(r, line_);
        line.bytes(line_);
        rg.lines.add(line_);
      }
      at = startLength(cols_[kColAttributes]);
      attrs.varint(r.dropped_attributes_count);
      writeRecordAttributes(attrs, r.attributes);
      finishLength(cols_[kColAttributes], at);

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
    dict.varint(resource_list_.size());
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
    dict.varint(keys_.size());
    for (std::string_view k : keys_) dict.bytes(k);
    for (const model::ResourceLogs* r : resource_list_) {
      const ResourceIds& ids = resource_ids_.find(r)->second;
      rg.resources.push_back(ids.segment);
      slot_of_content_[ids.content] = 0;
    }
    std::sort(rg.resources.begin(), rg.resources.end());
    rg.resources.erase(std::unique(rg.resources.begin(), rg.resources.end()), rg.resources.end());

    for (size_t c = 0; c < kColumnCount; ++c) {
      LogBlockRef& b = rg.blocks[c];
      b.offset = file_.size();
      b.raw_size = cols_[c].size();
      // zstd cannot fail on a correct bound; an empty block would then fail its check on read.
      (void)compression::zstdCompressAppend(cols_[c], options_.zstd_level, file_);
      b.size = file_.size() - b.offset;
      b.crc = crc32c(std::string_view(file_).substr(b.offset));
    }
    rg.length = file_.size() - rg.offset;
    meta_.row_groups.push_back(std::move(rg));
    resource_list_.clear();
  }

  std::vector<std::string>& segmentResourceBytes() { return segment_resources_; }

 private:
  // Record attributes (v2): count, then per pair the key's index in the row group's key
  // dictionary and the value (top-level integers as a zig-zag varint: most are small).
  void writeRecordAttributes(ByteWriter& w, model::Attributes attrs) {
    w.varint(attrs.size());
    for (size_t j = 0; j < attrs.size(); ++j) {
      const model::KeyValue& kv = attrs[j];
      w.varint(keyIndex(j, kv.key));
      if (kv.value.type() == AnyValue::Type::kInt) {
        w.u8(static_cast<uint8_t>(AnyValue::Type::kInt));
        w.svarint(kv.value.intValue());
      } else {
        writeAnyValue(w, kv.value);
      }
    }
  }

  // Records mostly repeat one key order: the key at this position in the previous record is
  // tried first (a short compare), the hash table only on a miss.
  uint32_t keyIndex(size_t position, std::string_view key) {
    if (position < key_at_.size()) {
      uint32_t guess = key_at_[position];
      if (keys_[guess] == key) return guess;
    }
    auto [it, fresh] = key_index_.emplace(key, static_cast<uint32_t>(keys_.size()));
    if (fresh) keys_.push_back(key);
    if (position >= key_at_.size()) key_at_.resize(position + 1, it->second);
    key_at_[position] = it->second;
    return it->second;
  }

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
    uint32_t& slot = slot_of_content_[idsOf(r).content];
    if (slot == 0) {
      resource_list_.push_back(&r);
      slot = static_cast<uint32_t>(resource_list_.size());
    }
    resource_of_.emplace(&r, slot - 1);
    return slot - 1;
  }

  // A head's batches interleave in time, so a row group sees many ResourceLogs (one per batch
  // and resource): each is serialised and looked up once per segment, not once per row group.
  struct ResourceIds {
    uint32_t content;  // equal attributes, dropped count, has_resource and schema URL
    uint32_t segment;  // index into the footer's resources (attributes and dropped count)
  };
  const ResourceIds& idsOf(const model::ResourceLogs& r) {
    auto it = resource_ids_.find(&r);
    if (it != resource_ids_.end()) return it->second;
    std::string key = encodeResource(r.resource);
    auto [seg, fresh_seg] =
        segment_index_.emplace(key, static_cast<uint32_t>(segment_resources_.size()));
    if (fresh_seg) segment_resources_.push_back(key);
    key.push_back(r.has_resource ? '\1' : '\0');
    key.append(r.schema_url);
    auto [content, fresh] =
        content_index_.emplace(std::move(key), static_cast<uint32_t>(slot_of_content_.size()));
    if (fresh) slot_of_content_.push_back(0);
    return resource_ids_.emplace(&r, ResourceIds{content->second, seg->second}).first->second;
  }

  std::string& file_;
  LogSegmentMeta& meta_;
  const LogSegmentEncodeOptions& options_;
  std::array<std::string, kColumnCount> cols_;
  std::string line_;
  const model::ScopeLogs* last_scope_ = nullptr;
  uint32_t last_pair_ = 0;
  std::vector<std::string_view> trace_ids_;
  std::vector<std::string_view> keys_;  // attribute keys of the row group, in the records' memory
  std::unordered_map<std::string_view, uint32_t> key_index_;
  std::vector<uint32_t> key_at_;  // per attribute position: the key index last seen there
  std::unordered_map<const model::ScopeLogs*, uint32_t> pair_of_scope_;
  std::unordered_map<const model::ResourceLogs*, uint32_t> resource_of_;  // row group's
  std::vector<const model::ResourceLogs*> resource_list_;
  std::unordered_map<const model::ResourceLogs*, ResourceIds> resource_ids_;  // segment's
  std::unordered_map<std::string, uint32_t> content_index_;
  // Per content id: 1 + its row-group resource index, 0 when not in the current row group.
  std::vector<uint32_t> slot_of_content_;
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
  // Compressed, a record takes ~40-50 bytes: one allocation instead of repeated growth.
  file.reserve(kLogSegmentHeaderBytes + refs.size() * 64 + 4096);
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
  uint64_t footer_offset = file.size();
  (void)compression::zstdCompressAppend(footer, options.zstd_level, file);
  std::string_view stored = std::string_view(file).substr(footer_offset);
  const uint32_t stored_size = static_cast<uint32_t>(stored.size()), crc = crc32c(stored);
  w.u64(footer_offset);
  w.u32(stored_size);
  w.u32(static_cast<uint32_t>(footer.size()));
  w.u32(crc);
  w.raw("PSCLOGND");
  meta.file_bytes = file.size();
  return file;
}

}  // namespace periscope::storage::logs
