// Internal to the OTLP encoder. Encoding is two passes over the model: pass 1 computes the body
// size of every nested message and records it in a SizeTable in pre-order; pass 2 writes into a
// buffer of exactly the total size, taking the recorded sizes in the same order for the length
// prefixes. Leaf messages (scalar AnyValue, KeyValue, Status) are sized on the fly in both passes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/any_value.h"
#include "model/otlp/wire.h"
#include "model/resource.h"

namespace periscope::model::otlp {

class SizeTable {
 public:
  explicit SizeTable(std::vector<uint32_t>& storage) : v_(storage) { v_.clear(); }
  size_t reserve() {
    v_.push_back(0);
    return v_.size() - 1;
  }
  size_t set(size_t slot, size_t n) {
    v_[slot] = static_cast<uint32_t>(n);
    return n;
  }
  uint32_t take() { return v_[next_++]; }
  uint32_t peek() const { return v_[next_]; }

 private:
  std::vector<uint32_t>& v_;
  size_t next_ = 0;
};

// Scratch storage for one encode call on this thread (reused to avoid reallocations).
std::vector<uint32_t>& sizeScratch();

// ---- field helpers: proto3 defaults are omitted, as libprotobuf does ----

using wire::lenFieldSize;
using wire::tagSize;
using wire::varintSize;

inline size_t stringFieldSize(uint32_t field, std::string_view s) {
  return s.empty() ? 0 : lenFieldSize(field, s.size());
}
inline size_t varintFieldSize(uint32_t field, uint64_t v) {
  return v == 0 ? 0 : tagSize(field) + varintSize(v);
}
inline size_t fixed64FieldSize(uint32_t field, uint64_t v) {
  return v == 0 ? 0 : tagSize(field) + 8;
}
inline size_t fixed32FieldSize(uint32_t field, uint32_t v) {
  return v == 0 ? 0 : tagSize(field) + 4;
}

inline uint8_t* writeLenPrefix(uint8_t* p, uint32_t field, size_t n) {
  p = wire::writeTag(p, field, wire::kLen);
  return wire::writeVarint(p, n);
}
inline uint8_t* writeStringField(uint8_t* p, uint32_t field, std::string_view s) {
  if (s.empty()) return p;
  p = writeLenPrefix(p, field, s.size());
  return wire::writeBytes(p, s);
}
inline uint8_t* writeVarintField(uint8_t* p, uint32_t field, uint64_t v) {
  if (v == 0) return p;
  p = wire::writeTag(p, field, wire::kVarint);
  return wire::writeVarint(p, v);
}
inline uint8_t* writeFixed64Field(uint8_t* p, uint32_t field, uint64_t v) {
  if (v == 0) return p;
  p = wire::writeTag(p, field, wire::kFixed64);
  return wire::writeFixed64(p, v);
}
inline uint8_t* writeFixed32Field(uint8_t* p, uint32_t field, uint32_t v) {
  if (v == 0) return p;
  p = wire::writeTag(p, field, wire::kFixed32);
  return wire::writeFixed32(p, v);
}
// A double that is not in a oneof and not `optional`: omitted when its bits are zero (+0.0).
inline size_t doubleFieldSize(uint32_t field, double d) {
  return fixed64FieldSize(field, wire::bitsOf(d));
}
inline uint8_t* writeDoubleField(uint8_t* p, uint32_t field, double d) {
  return writeFixed64Field(p, field, wire::bitsOf(d));
}
// A field with presence (oneof member or `optional`): written whenever present.
inline uint8_t* writePresentFixed64(uint8_t* p, uint32_t field, uint64_t v) {
  p = wire::writeTag(p, field, wire::kFixed64);
  return wire::writeFixed64(p, v);
}

// ---- shared messages ----

// Repeated KeyValue field `field`.
size_t sizeAttributes(uint32_t field, Attributes attrs, SizeTable& sizes);
uint8_t* writeAttributes(uint8_t* p, uint32_t field, Attributes attrs, SizeTable& sizes);
// AnyValue as a message field (e.g. LogRecord.body); nothing when absent.
size_t sizeAnyValueField(uint32_t field, const AnyValue& v, SizeTable& sizes);
uint8_t* writeAnyValueField(uint8_t* p, uint32_t field, const AnyValue& v, SizeTable& sizes);
// Resource / InstrumentationScope bodies; each records one slot.
size_t sizeResource(const Resource& r, SizeTable& sizes);
uint8_t* writeResource(uint8_t* p, const Resource& r, SizeTable& sizes);
size_t sizeScope(const InstrumentationScope& s, SizeTable& sizes);
uint8_t* writeScope(uint8_t* p, const InstrumentationScope& s, SizeTable& sizes);

// Resizes `out` for `n` more bytes and returns where to write them.
inline uint8_t* growBy(std::string& out, size_t n) {
  size_t old = out.size();
  out.resize(old + n);
  return reinterpret_cast<uint8_t*>(out.data()) + old;
}

}  // namespace periscope::model::otlp
