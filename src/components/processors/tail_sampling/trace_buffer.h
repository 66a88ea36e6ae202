// TraceBuffer: the undecided traces, stored compactly. Each trace keeps its spans as OTLP
// protobuf bytes (encoded once on arrival) in one allocation — exactly sized for the first
// request, grown by half when more spans arrive (amortised O(1) per append); the resource and
// scope of each incoming group are encoded once and shared by every trace that has spans in it
// (interned, reference-counted). Nothing is decoded until the trace is decided: extract()
// rebuilds an ExportTraceServiceRequest body for it, with resource and scope exactly as received.
// Not thread-safe: the processor serialises access.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/batch.h"

namespace periscope::components::tail_sampling {

// A trace id as two integers.
struct TraceKey {
  uint64_t hi = 0, lo = 0;
  // The key of a 16-byte id; an empty id is the all-zero id (as the collector reads it); any
  // other length is not a trace id and has no key.
  static std::optional<TraceKey> of(std::string_view id);
  bool operator==(const TraceKey&) const = default;
};

struct TraceKeyHash {
  size_t operator()(const TraceKey& k) const { return k.lo ^ (k.hi * 0x9E3779B97F4A7C15ull); }
};

class TraceBuffer {
 public:
  explicit TraceBuffer(size_t expected_traces = 0);
  ~TraceBuffer();

  // Encodes and interns the resource and scope of a group; the id is valid while a trace uses it
  // or until the next call of release(). Call once per incoming scope group.
  uint32_t internHeader(const model::ResourceSpans& rs, const model::ScopeSpans& ss);

  struct Appended {
    bool created = false;               // the trace is new (arrival `now`)
    uint64_t resource_spans_bytes = 0;  // the trace's size as the collector measures it
  };
  // Adds `spans` (all of trace `key`, from the group `header`), creating the trace when new.
  // The size sums the protobuf size of a ResourceSpans (resource, scope, spans) per appended
  // group, as the collector sums ResourceSpansSize for maximum_trace_size_bytes.
  Appended append(const TraceKey& key, uint32_t header, std::span<const model::Span> spans,
                  int64_t now);

  bool contains(const TraceKey& key) const { return traces_.contains(key); }
  size_t traceCount() const { return traces_.size(); }
  uint64_t spanCount() const { return spans_; }
  uint64_t storedBytes() const { return stored_bytes_; }  // span bytes allocated (capacity)
  // Bytes copied when a trace's allocation grew, over the buffer's life: linear in the bytes
  // appended (growth by half), where exact-size reallocation would be quadratic.
  uint64_t copiedBytes() const { return copied_bytes_; }

  // The oldest trace still buffered, removed from the arrival order (not from the buffer).
  std::optional<TraceKey> popOldest();
  // Every trace that arrived at or before `deadline`, oldest first, removed from the order.
  void popArrivedBy(int64_t deadline, std::vector<TraceKey>& out);

  struct Extracted {
    uint32_t span_count = 0;
    uint32_t groups = 0;  // resource groups appended to the body
    uint64_t offset = 0;  // where in the body this trace's groups start
    uint64_t bytes = 0;   // bytes appended to the body (a request body of their own)
    int64_t arrival = 0;
  };
  // Removes the trace and appends it to `body` as ExportTraceServiceRequest resource groups.
  Extracted extract(const TraceKey& key, std::string& body);

 private:
  struct Header {
    std::string resource_fields;  // ResourceSpans content except scope_spans
    std::string scope_fields;     // ScopeSpans content except spans
    std::string key;
    uint32_t refs = 0;
  };
  struct Trace {
    int64_t arrival = 0;
    uint32_t span_count = 0;
    uint64_t size = 0;      // chunks: varint header id, varint length, framed spans
    uint64_t capacity = 0;  // of data
    uint64_t resource_spans_bytes = 0;
    std::unique_ptr<char[]> data;
  };

  // The spans as repeated ScopeSpans.spans fields (tag, length, Span), valid until the next call.
  std::string_view encodeSpans(std::span<const model::Span> spans);
  void unref(uint32_t header);

  std::unordered_map<TraceKey, Trace, TraceKeyHash> traces_;
  std::deque<std::pair<TraceKey, int64_t>> order_;  // arrival order, with arrival time
  std::vector<Header> headers_;
  std::vector<uint32_t> free_headers_;
  std::unordered_map<std::string, uint32_t> header_ids_;
  uint64_t spans_ = 0;
  uint64_t stored_bytes_ = 0;
  uint64_t copied_bytes_ = 0;
  // Scratch for encoding, reused across calls.
  model::Traces scratch_;
  std::vector<model::ScopeSpans> scratch_scope_;
  std::vector<model::Span> scratch_spans_;
  std::string encoded_;
};

}  // namespace periscope::components::tail_sampling
