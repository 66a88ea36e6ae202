#include "components/processors/tail_sampling/trace_buffer.h"

#include <algorithm>
#include <cstring>

#include "model/otlp/proto_encoder.h"

namespace periscope::components::tail_sampling {
namespace {

constexpr char kTagResourceSpans = 0x0A;  // field 1, length-delimited
constexpr char kTagScopeSpans = 0x12;     // field 2, length-delimited

void appendVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// Writes v at p (at most 10 bytes); answers the length.
size_t writeVarint(char* p, uint64_t v) {
  size_t n = 0;
  while (v >= 0x80) {
    p[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  p[n++] = static_cast<char>(v);
  return n;
}

size_t varintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

const char* readVarint(const char* p, uint64_t& v) {
  v = 0;
  for (int shift = 0;; shift += 7) {
    auto b = static_cast<uint8_t>(*p++);
    v |= uint64_t{b & 0x7fu} << shift;
    if (b < 0x80) return p;
  }
}

// The payload of the single length-delimited field that `bytes` holds (our own encoder's output).
std::string_view payload(std::string_view bytes) {
  uint64_t len = 0;
  const char* p = readVarint(bytes.data() + 1, len);
  return {p, static_cast<size_t>(len)};
}

}  // namespace

std::optional<TraceKey> TraceKey::of(std::string_view id) {
  TraceKey k;
  if (id.empty()) return k;
  if (id.size() != 16) return std::nullopt;
  std::memcpy(&k.hi, id.data(), 8);
  std::memcpy(&k.lo, id.data() + 8, 8);
  return k;
}

TraceBuffer::TraceBuffer(size_t expected_traces) {
  if (expected_traces > 0) traces_.reserve(expected_traces);
  scratch_.resources().resize(1);
  scratch_scope_.resize(1);
}

TraceBuffer::~TraceBuffer() = default;

uint32_t TraceBuffer::internHeader(const model::ResourceSpans& rs, const model::ScopeSpans& ss) {
  // ResourceSpans without scope groups, then a ScopeSpans without spans: our encoder's bytes
  // of exactly the fields we keep.
  model::ResourceSpans& r = scratch_.resources()[0];
  r = rs;
  r.scope_spans = {};
  encoded_.clear();
  model::otlp::encode(scratch_, encoded_);
  std::string resource_fields(payload(encoded_));

  r = model::ResourceSpans{};
  scratch_scope_[0] = ss;
  scratch_scope_[0].spans = {};
  r.scope_spans = std::span<model::ScopeSpans>(scratch_scope_);
  encoded_.clear();
  model::otlp::encode(scratch_, encoded_);
  std::string scope_fields(payload(payload(encoded_)));

  std::string key;
  appendVarint(key, resource_fields.size());
  key += resource_fields;
  key += scope_fields;
  if (auto it = header_ids_.find(key); it != header_ids_.end()) return it->second;
  uint32_t id;
  if (!free_headers_.empty()) {
    id = free_headers_.back();
    free_headers_.pop_back();
  } else {
    id = static_cast<uint32_t>(headers_.size());
    headers_.emplace_back();
  }
  Header& h = headers_[id];
  h.resource_fields = std::move(resource_fields);
  h.scope_fields = std::move(scope_fields);
  h.key = key;
  h.refs = 0;
  header_ids_.emplace(std::move(key), id);
  return id;
}

void TraceBuffer::unref(uint32_t header) {
  Header& h = headers_[header];
  if (--h.refs > 0) return;
  header_ids_.erase(h.key);
  h = Header{};
  free_headers_.push_back(header);
}

std::string_view TraceBuffer::encodeSpans(std::span<const model::Span> spans) {
  scratch_spans_.assign(spans.begin(), spans.end());
  model::ResourceSpans& r = scratch_.resources()[0];
  r = model::ResourceSpans{};
  scratch_scope_[0] = model::ScopeSpans{};
  scratch_scope_[0].spans = std::span<model::Span>(scratch_spans_);
  r.scope_spans = std::span<model::ScopeSpans>(scratch_scope_);
  encoded_.clear();
  model::otlp::encode(scratch_, encoded_);
  return payload(payload(encoded_));  // the framed spans: repeated field 2 of ScopeSpans
}

TraceBuffer::Appended TraceBuffer::append(const TraceKey& key, uint32_t header,
                                          std::span<const model::Span> spans, int64_t now) {
  std::string_view framed = encodeSpans(spans);
  auto [it, created] = traces_.try_emplace(key);
  Trace& t = it->second;
  if (created) {
    t.arrival = now;
    order_.emplace_back(key, now);
  }
  char chunk[20];
  size_t chunk_len = writeVarint(chunk, header);
  chunk_len += writeVarint(chunk + chunk_len, framed.size());
  uint64_t new_size = t.size + chunk_len + framed.size();
  if (new_size > t.capacity) {
    // The first request's spans fit exactly (most traces arrive in one or two requests); later
    // growth is by half, so a trace fed span by span is copied O(log n) times, not n times.
    uint64_t capacity =
        t.capacity == 0 ? new_size : std::max(new_size, t.capacity + t.capacity / 2);
    auto data = std::make_unique_for_overwrite<char[]>(capacity);
    if (t.size > 0) std::memcpy(data.get(), t.data.get(), t.size);
    copied_bytes_ += t.size;
    stored_bytes_ += capacity - t.capacity;
    t.data = std::move(data);
    t.capacity = capacity;
  }
  std::memcpy(t.data.get() + t.size, chunk, chunk_len);
  std::memcpy(t.data.get() + t.size + chunk_len, framed.data(), framed.size());
  t.size = new_size;
  t.span_count += static_cast<uint32_t>(spans.size());
  spans_ += spans.size();
  const Header& h = headers_[header];
  uint64_t scope_len = h.scope_fields.size() + framed.size();
  t.resource_spans_bytes += h.resource_fields.size() + 1 + varintSize(scope_len) + scope_len;
  ++headers_[header].refs;
  return {created, t.resource_spans_bytes};
}

std::optional<TraceKey> TraceBuffer::popOldest() {
  while (!order_.empty()) {
    auto [key, arrival] = order_.front();
    order_.pop_front();
    auto it = traces_.find(key);
    // Skip records of traces already decided (or decided and begun again later).
    if (it != traces_.end() && it->second.arrival == arrival) return key;
  }
  return std::nullopt;
}

void TraceBuffer::popArrivedBy(int64_t deadline, std::vector<TraceKey>& out) {
  while (!order_.empty() && order_.front().second <= deadline) {
    auto [key, arrival] = order_.front();
    order_.pop_front();
    auto it = traces_.find(key);
    if (it != traces_.end() && it->second.arrival == arrival) out.push_back(key);
  }
}

TraceBuffer::Extracted TraceBuffer::extract(const TraceKey& key, std::string& body) {
  Extracted x;
  auto it = traces_.find(key);
  if (it == traces_.end()) return x;
  Trace& t = it->second;
  size_t before = body.size();
  x.offset = before;
  const char* p = t.data.get();
  const char* end = p + t.size;
  while (p < end) {
    uint64_t header = 0, len = 0;
    p = readVarint(p, header);
    p = readVarint(p, len);
    const Header& h = headers_[header];
    uint64_t scope_len = h.scope_fields.size() + len;
    uint64_t resource_len = h.resource_fields.size() + 1 + varintSize(scope_len) + scope_len;
    body.push_back(kTagResourceSpans);
    appendVarint(body, resource_len);
    body += h.resource_fields;
    body.push_back(kTagScopeSpans);
    appendVarint(body, scope_len);
    body += h.scope_fields;
    body.append(p, len);
    p += len;
    ++x.groups;
    unref(static_cast<uint32_t>(header));
  }
  x.span_count = t.span_count;
  x.bytes = body.size() - before;
  x.arrival = t.arrival;
  spans_ -= t.span_count;
  stored_bytes_ -= t.capacity;
  traces_.erase(it);
  return x;
}

}  // namespace periscope::components::tail_sampling
