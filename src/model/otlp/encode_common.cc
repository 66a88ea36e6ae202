// Encoding of the OTLP messages shared by all signals (AnyValue, KeyValue, Resource, Scope) and
// of the export responses.
#include <cstring>

#include "model/otlp/encode_context.h"
#include "model/otlp/proto_encoder.h"

namespace periscope::model::otlp {

using wire::kFixed64;
using wire::kLen;
using wire::kVarint;

namespace {

using Type = AnyValue::Type;

bool nested(const AnyValue& v) {
  return v.type() == Type::kArray || v.type() == Type::kKvList;
}

size_t sizeAny(const AnyValue& v, SizeTable& sizes);
uint8_t* writeAny(uint8_t* p, const AnyValue& v, SizeTable& sizes);

// Body size of a scalar AnyValue (no slot); nested ones are looked up in the table.
size_t scalarAnySize(const AnyValue& v) {
  switch (v.type()) {
    case Type::kString:
      return lenFieldSize(1, v.str().size());
    case Type::kBool:
      return 2;
    case Type::kInt:
      return 1 + varintSize(static_cast<uint64_t>(v.intValue()));
    case Type::kDouble:
      return 9;
    case Type::kBytes:
      return lenFieldSize(7, v.str().size());
    default:
      return 0;
  }
}

// Nested values (array, kvlist) record one slot: the size of their ArrayValue/KeyValueList.
size_t nestedBody(const AnyValue& v, size_t list) {
  return lenFieldSize(v.type() == Type::kArray ? 5 : 6, list);
}

// Pass 2: the AnyValue body size, peeking at (not consuming) the slot of a nested value.
size_t anyBody(const AnyValue& v, const SizeTable& sizes) {
  return nested(v) ? nestedBody(v, sizes.peek()) : scalarAnySize(v);
}

size_t sizeKv(const KeyValue& kv, SizeTable& sizes) {
  size_t n = stringFieldSize(1, kv.key);
  if (kv.value.present()) n += lenFieldSize(2, sizeAny(kv.value, sizes));
  return n;
}

size_t kvBody(const KeyValue& kv, const SizeTable& sizes) {
  size_t n = stringFieldSize(1, kv.key);
  if (kv.value.present()) n += lenFieldSize(2, anyBody(kv.value, sizes));
  return n;
}

uint8_t* writeKv(uint8_t* p, const KeyValue& kv, SizeTable& sizes) {
  p = writeStringField(p, 1, kv.key);
  if (kv.value.present()) {
    p = writeLenPrefix(p, 2, anyBody(kv.value, sizes));
    p = writeAny(p, kv.value, sizes);
  }
  return p;
}

size_t sizeAny(const AnyValue& v, SizeTable& sizes) {
  if (!nested(v)) return scalarAnySize(v);
  size_t slot = sizes.reserve();
  size_t list = 0;
  if (v.type() == Type::kArray) {
    for (const AnyValue& e : v.arrayValues()) list += lenFieldSize(1, sizeAny(e, sizes));
  } else {
    for (const KeyValue& kv : v.kvlistValues()) list += lenFieldSize(1, sizeKv(kv, sizes));
  }
  return nestedBody(v, sizes.set(slot, list));
}

uint8_t* writeAny(uint8_t* p, const AnyValue& v, SizeTable& sizes) {
  switch (v.type()) {
    case Type::kString:
      return wire::writeBytes(writeLenPrefix(p, 1, v.str().size()), v.str());
    case Type::kBool:
      p = wire::writeTag(p, 2, kVarint);
      *p++ = v.boolValue() ? 1 : 0;
      return p;
    case Type::kInt:
      p = wire::writeTag(p, 3, kVarint);
      return wire::writeVarint(p, static_cast<uint64_t>(v.intValue()));
    case Type::kDouble:
      return writePresentFixed64(p, 4, wire::bitsOf(v.doubleValue()));
    case Type::kBytes:
      return wire::writeBytes(writeLenPrefix(p, 7, v.str().size()), v.str());
    case Type::kArray: {
      p = writeLenPrefix(p, 5, sizes.take());
      for (const AnyValue& e : v.arrayValues()) {
        p = writeLenPrefix(p, 1, anyBody(e, sizes));
        p = writeAny(p, e, sizes);
      }
      return p;
    }
    case Type::kKvList: {
      p = writeLenPrefix(p, 6, sizes.take());
      for (const KeyValue& kv : v.kvlistValues()) {
        p = writeLenPrefix(p, 1, kvBody(kv, sizes));
        p = writeKv(p, kv, sizes);
      }
      return p;
    }
    default:
      return p;
  }
}

}  // namespace

std::vector<uint32_t>& sizeScratch() {
  thread_local std::vector<uint32_t> scratch;
  return scratch;
}

size_t sizeAttributes(uint32_t field, Attributes attrs, SizeTable& sizes) {
  size_t n = 0;
  for (const KeyValue& kv : attrs) n += lenFieldSize(field, sizeKv(kv, sizes));
  return n;
}

uint8_t* writeAttributes(uint8_t* p, uint32_t field, Attributes attrs, SizeTable& sizes) {
  for (const KeyValue& kv : attrs) {
    p = writeLenPrefix(p, field, kvBody(kv, sizes));
    p = writeKv(p, kv, sizes);
  }
  return p;
}

size_t sizeAnyValueField(uint32_t field, const AnyValue& v, SizeTable& sizes) {
  return v.present() ? lenFieldSize(field, sizeAny(v, sizes)) : 0;
}

uint8_t* writeAnyValueField(uint8_t* p, uint32_t field, const AnyValue& v, SizeTable& sizes) {
  if (!v.present()) return p;
  p = writeLenPrefix(p, field, anyBody(v, sizes));
  return writeAny(p, v, sizes);
}

size_t sizeResource(const Resource& r, SizeTable& sizes) {
  size_t slot = sizes.reserve();
  size_t n =
      sizeAttributes(1, r.attributes, sizes) + varintFieldSize(2, r.dropped_attributes_count);
  return sizes.set(slot, n);
}

uint8_t* writeResource(uint8_t* p, const Resource& r, SizeTable& sizes) {
  p = writeAttributes(p, 1, r.attributes, sizes);
  return writeVarintField(p, 2, r.dropped_attributes_count);
}

size_t sizeScope(const InstrumentationScope& s, SizeTable& sizes) {
  size_t slot = sizes.reserve();
  size_t n = stringFieldSize(1, s.name) + stringFieldSize(2, s.version) +
             sizeAttributes(3, s.attributes, sizes) +
             varintFieldSize(4, s.dropped_attributes_count);
  return sizes.set(slot, n);
}

uint8_t* writeScope(uint8_t* p, const InstrumentationScope& s, SizeTable& sizes) {
  p = writeStringField(p, 1, s.name);
  p = writeStringField(p, 2, s.version);
  p = writeAttributes(p, 3, s.attributes, sizes);
  return writeVarintField(p, 4, s.dropped_attributes_count);
}

namespace {

std::string lenField(uint32_t field, std::string_view payload) {
  std::string out(wire::lenFieldSize(field, payload.size()), '\0');
  uint8_t* p = reinterpret_cast<uint8_t*>(out.data());
  p = wire::writeTag(p, field, wire::kLen);
  p = wire::writeVarint(p, payload.size());
  std::memcpy(p, payload.data(), payload.size());
  return out;
}

std::string varintField(uint32_t field, uint64_t v) {
  std::string out(wire::tagSize(field) + wire::varintSize(v), '\0');
  uint8_t* p = reinterpret_cast<uint8_t*>(out.data());
  p = wire::writeTag(p, field, wire::kVarint);
  wire::writeVarint(p, v);
  return out;
}

}  // namespace

std::string encodeRpcStatus(int32_t code, std::string_view message, int retry_after_seconds) {
  std::string out =
      varintField(1, static_cast<uint64_t>(static_cast<int64_t>(code))) + lenField(2, message);
  if (retry_after_seconds > 0) {
    std::string retry_info =
        lenField(1, varintField(1, static_cast<uint64_t>(retry_after_seconds)));
    out += lenField(
        3, lenField(1, "type.googleapis.com/google.rpc.RetryInfo") + lenField(2, retry_info));
  }
  return out;
}

std::string encodeExportResponse(int64_t rejected, std::string_view error_message) {
  size_t body =
      varintFieldSize(1, static_cast<uint64_t>(rejected)) + stringFieldSize(2, error_message);
  std::string out;
  if (body == 0) return out;
  uint8_t* p = growBy(out, lenFieldSize(1, body));
  p = writeLenPrefix(p, 1, body);
  p = writeVarintField(p, 1, static_cast<uint64_t>(rejected));
  writeStringField(p, 2, error_message);
  return out;
}

}  // namespace periscope::model::otlp
