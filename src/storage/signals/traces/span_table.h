// SpanTable: spans as columns (struct of arrays) with dictionary-coded strings. The one
// representation the trace store keeps in memory — the head appends to it as batches arrive,
// segments are its serialized, compressed form — so search and get-trace run on one code path.
//
// Attribute values are (type, bits): bits hold the int, bool or double, or the dictionary id of
// a string; bytes, arrays and kvlists are kept as an encoded blob in the dictionary (kBlob).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/batch.h"

namespace periscope::storage {

using TraceId = std::array<uint8_t, 16>;

// For hash maps keyed by trace id: the low half of a random id is already well mixed.
struct TraceIdHash {
  size_t operator()(const TraceId& id) const {
    uint64_t v;
    std::memcpy(&v, id.data() + 8, 8);
    return static_cast<size_t>(v ^ (v >> 29));
  }
};

TraceId traceIdFrom(std::string_view raw16);
uint64_t spanIdFrom(std::string_view raw8);  // 0 when not 8 bytes (absent parent)
std::string_view traceIdBytes(const TraceId& id);

// Interned strings. Ids are dense and stable for the dictionary's lifetime.
class Dictionary {
 public:
  Dictionary() = default;
  Dictionary(Dictionary&&) = default;
  Dictionary& operator=(Dictionary&&) = default;
  // Same ids, strings packed into one block; no re-hashing.
  Dictionary copy() const;
  uint32_t intern(std::string_view s);
  // Appends without indexing (decoding a segment, whose strings are already unique); the hash
  // index is built on the first intern(). find() scans until then — decoded tables are read
  // far more often than they are searched by string.
  void appendUnindexed(std::string_view s);
  // Id of s, or UINT32_MAX when absent.
  uint32_t find(std::string_view s) const;
  std::string_view get(uint32_t id) const { return values_[id]; }
  size_t size() const { return values_.size(); }
  const std::vector<std::string_view>& values() const { return values_; }
  size_t memoryBytes() const { return bytes_ + values_.size() * 48; }

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t block_used_ = 0, block_size_ = 0;
  size_t bytes_ = 0;
  std::vector<std::string_view> values_;
  // Open addressing (linear probing) over (hash, id) slots: one cache line per lookup instead
  // of a node chase; interning is the hottest step of ingest.
  struct Slot {
    uint32_t hash = 0;
    uint32_t id = UINT32_MAX;
  };
  std::vector<Slot> slots_;
  bool unindexed_ = false;  // values_ holds entries not in slots_
  void grow();
  void buildIndex();
  char* store(std::string_view s);
};

// kAbsent: a KeyValue without a value on the wire; kEmpty: a value message with nothing set.
enum class AttrType : uint8_t { kEmpty = 0, kString, kBool, kInt, kDouble, kBlob, kAbsent };

// One owner's attributes live in [begin, end) of an AttrPool; owners keep offsets.
struct AttrPool {
  std::vector<uint32_t> keys;  // dictionary ids
  std::vector<AttrType> types;
  std::vector<uint64_t> values;  // see AttrType
  size_t size() const { return keys.size(); }
};

struct ResourceRow {
  uint32_t service = 0;                     // dictionary id of service.name ("" when missing)
  uint32_t attrs_begin = 0, attrs_end = 0;  // in SpanTable::resource_attrs
  uint32_t dropped = 0;
  uint32_t schema_url = 0;
  bool present = false;
};

struct ScopeRow {
  uint32_t name = 0, version = 0, schema_url = 0;
  uint32_t attrs_begin = 0, attrs_end = 0;  // in SpanTable::scope_attrs
  uint32_t dropped = 0;
  bool present = false;
};

struct SpanTable {
  Dictionary dict;  // id 0 is always ""

  // Per span.
  std::vector<TraceId> trace_id;
  std::vector<uint64_t> span_id;
  std::vector<uint64_t> parent_id;  // 0 = root
  std::vector<uint64_t> start_ns;
  // end - start, wrapping: an end before the start (clock skew) still round-trips exactly.
  std::vector<uint64_t> duration_ns;
  std::vector<uint32_t> name;
  std::vector<int32_t> kind;
  std::vector<int32_t> status_code;  // as received (open enum); 2 = ERROR
  std::vector<uint32_t> status_message;
  std::vector<uint8_t> has_status;
  std::vector<uint32_t> flags;
  std::vector<uint32_t> trace_state;
  std::vector<uint32_t> resource;  // index into resources
  std::vector<uint32_t> scope;     // index into scopes
  std::vector<uint32_t> dropped_attrs, dropped_events, dropped_links;
  std::vector<uint32_t> attrs_end;   // span i's attrs are [attrs_end[i-1], attrs_end[i])
  std::vector<uint32_t> events_end;  // same scheme into the event columns
  std::vector<uint32_t> links_end;

  AttrPool attrs;

  // Events.
  std::vector<uint64_t> event_time_ns;
  std::vector<uint32_t> event_name;
  std::vector<uint32_t> event_dropped;
  std::vector<uint32_t> event_attrs_end;
  AttrPool event_attrs;

  // Links.
  std::vector<TraceId> link_trace_id;
  std::vector<uint64_t> link_span_id;
  std::vector<uint32_t> link_trace_state;
  std::vector<uint32_t> link_flags;
  std::vector<uint32_t> link_dropped;
  std::vector<uint32_t> link_attrs_end;
  AttrPool link_attrs;

  std::vector<ResourceRow> resources;
  AttrPool resource_attrs;
  std::vector<ScopeRow> scopes;
  AttrPool scope_attrs;

  SpanTable();
  size_t rows() const { return span_id.size(); }
  uint32_t attrsBegin(size_t row) const { return row == 0 ? 0 : attrs_end[row - 1]; }
  uint32_t eventsBegin(size_t row) const { return row == 0 ? 0 : events_end[row - 1]; }
  uint32_t linksBegin(size_t row) const { return row == 0 ? 0 : links_end[row - 1]; }
  uint32_t serviceOf(size_t row) const { return resources[resource[row]].service; }
  bool isError(size_t row) const { return status_code[row] == 2; }
  // Duration for search and display: 0 when the end is before the start.
  uint64_t durationOf(size_t row) const {
    return static_cast<int64_t>(duration_ns[row]) < 0 ? 0 : duration_ns[row];
  }
  size_t memoryBytes() const;

  // Appends every span of `batch`. Resources and scopes equal to ones already present are
  // shared. Returns the number of rows added.
  size_t append(const model::Traces& batch);
  // A table holding `rows` of `src` in the given order with a copy of src's dictionary,
  // resources and scopes (ids unchanged, nothing re-interned): how a head is reordered for its
  // segment. The result is for reading and encoding; do not append() to it.
  static SpanTable copyRows(const SpanTable& src, const std::vector<uint32_t>& rows);
  // Appends the given rows of `other` in order (re-interning its strings): compaction and
  // sorting build new tables this way.
  void appendRows(const SpanTable& other, const std::vector<uint32_t>& rows);

  // Builds OTLP-shaped spans for the given rows (grouped by resource and scope, in row order)
  // into `out`, copying strings into out's arena.
  void toTraces(const std::vector<uint32_t>& rows, model::Traces& out) const;

  // Canonical text of an attribute value for tag matching ("true", "42", "1.5", the string).
  std::string valueText(AttrType type, uint64_t bits) const;
  // True if the attribute (key_id, text) is on the span or its resource.
  bool hasTag(size_t row, uint32_t key_id, std::string_view text) const;

 private:
  uint32_t internResource(const model::Resource& r, std::string_view schema_url, bool present);
  uint32_t internScope(const model::InstrumentationScope& s, std::string_view schema_url,
                       bool present);
  void appendAttrs(AttrPool& pool, model::Attributes attrs);
  struct RowMapper;
  void appendRow(const SpanTable& other, size_t row, RowMapper& map);
  void copyAttrs(AttrPool& pool, RowMapper& map, const AttrPool& from, uint32_t b, uint32_t e);
  std::string resourceKey(const model::Resource& r, std::string_view schema_url, bool present);
  template <typename Row>
  uint32_t dedupCopied(std::unordered_map<std::string, uint32_t>& seen, std::vector<Row>& rows,
                       AttrPool& pool, const Row& row);
  std::unordered_map<std::string, uint32_t> resource_lookup_;  // append(): by OTLP content
  std::unordered_map<std::string, uint32_t> scope_lookup_;
  std::unordered_map<std::string, uint32_t> copied_resources_;  // appendRows(): by ids here
  std::unordered_map<std::string, uint32_t> copied_scopes_;
};

// Blob codec for AnyValue kinds that have no flat column form (bytes, arrays, kvlists).
std::string encodeBlob(const model::AnyValue& v);
model::AnyValue decodeBlob(std::string_view blob, Arena& arena);

}  // namespace periscope::storage
