// Internal to the OTLP decoder: per-call state (arena, input base, error with field path) and the
// decoders shared by the three signals (KeyValue lists, AnyValue, Resource, InstrumentationScope).
// Every decode function returns false after recording the error; callers then add their field to
// the path on the way out, so the happy path never builds strings.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/arena.h"
#include "common/status.h"
#include "model/any_value.h"
#include "model/otlp/wire.h"
#include "model/resource.h"

namespace periscope::model::otlp {

// Field names of one message type, indexed by field number (nullptr = not a known field).
using FieldNames = std::span<const char* const>;

class DecodeContext {
 public:
  DecodeContext(std::string_view input, Arena& arena)
      : arena_(arena), base_(reinterpret_cast<const uint8_t*>(input.data())) {}

  Arena& arena() { return arena_; }

  // Error recording (cold). Each returns false so callers can `return ctx.x(...)`.
  [[gnu::cold]] bool readFailed(wire::ReadError e, const wire::Field& f, const uint8_t* at,
                                FieldNames names);
  [[gnu::cold]] bool wrongWireType(const wire::Field& f, FieldNames names);
  [[gnu::cold]] bool invalidUtf8(const wire::Field& f, FieldNames names);
  [[gnu::cold]] bool fail(const uint8_t* at, std::string_view what);
  // Adds "name[index]" (or "name") in front of the path of the recorded error.
  [[gnu::cold]] bool in(FieldNames names, uint32_t number, size_t index);
  [[gnu::cold]] bool in(FieldNames names, uint32_t number);
  [[gnu::cold]] bool in(std::string_view segment);

  Status status() const;

 private:
  std::string fieldName(FieldNames names, uint32_t number) const;

  Arena& arena_;
  const uint8_t* base_;
  std::string message_;
  std::vector<std::string> path_;  // innermost first
};

bool validUtf8Slow(const uint8_t* p, size_t n);

// ASCII fast path for the short strings telemetry is full of; simdjson for the rest.
[[gnu::always_inline]] inline bool validUtf8(const uint8_t* p, size_t n) {
  if (n >= 64) return validUtf8Slow(p, n);
  uint64_t acc = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) acc |= wire::load64(p + i);
  for (; i < n; ++i) acc |= p[i];
  if (PERISCOPE_LIKELY((acc & 0x8080808080808080ull) == 0)) return true;
  return validUtf8Slow(p, n);
}

// `old` followed by `add` value-initialised slots, in the arena. Repeated fields of a message
// that occurs twice on the wire are concatenated (protobuf merge); usually `old` is empty.
template <typename T>
std::span<T> extend(Arena& arena, std::span<T> old, size_t add) {
  if (add == 0) return old;
  std::span<T> out = arena.allocArray<T>(old.size() + add);
  for (size_t i = 0; i < old.size(); ++i) out[i] = old[i];
  return out;
}

// Counts the occurrences of up to three length-delimited fields of one message. Stops silently
// at the first malformed field: the fill pass that follows reports it at the same place.
// Deliberately leaner than wire::readField (no Field struct, counters in registers): this pass
// runs over every message that has repeated children.
inline void countLenFields(const uint8_t* p, const uint8_t* end, uint32_t f0, uint32_t f1,
                           uint32_t f2, uint32_t* counts) {
  const uint32_t t0 = wire::tag(f0, wire::kLen), t1 = wire::tag(f1, wire::kLen),
                 t2 = wire::tag(f2, wire::kLen);
  uint32_t c0 = 0, c1 = 0, c2 = 0;
  while (p < end) {
    uint32_t t;
    if (PERISCOPE_LIKELY(*p < 0x80)) {
      t = *p++;
    } else if (end - p >= 2 && p[1] < 0x80) {
      t = (uint32_t{p[0]} & 0x7f) | uint32_t{p[1]} << 7;
      p += 2;
    } else if (wire::readTagSlow(p, end, t) != wire::ReadError::kNone) {
      // Malformed: the fill pass reports it. Valid long tags (field numbers from 2048 on, or
      // non-minimal encodings) must be counted past, or fields after them are missed.
      break;
    }
    switch (t & 7) {
      case wire::kVarint: {
        const uint8_t* limit = end - p > 10 ? p + 10 : end;
        while (p < limit && *p >= 0x80) ++p;
        ++p;
        break;
      }
      case wire::kFixed64:
        p += 8;
        break;
      case wire::kFixed32:
        p += 4;
        break;
      case wire::kLen: {
        uint64_t n;
        const uint8_t* d = wire::readVarint(p, end, n);
        if (PERISCOPE_UNLIKELY(d == nullptr || n > static_cast<uint64_t>(end - d))) {
          p = end;
          break;
        }
        c0 += t == t0;
        c1 += t == t1;
        c2 += t == t2;
        p = d + n;
        break;
      }
      default:
        p = end;
    }
  }
  counts[0] += c0;
  counts[1] += c1;
  counts[2] += c2;
}

// Decoders shared by all signals. `out` may already hold a value from an earlier occurrence of
// the same field, which is merged into as protobuf does.
bool decodeKeyValue(DecodeContext& ctx, const uint8_t* p, const uint8_t* end, KeyValue& out);
bool decodeAnyValue(DecodeContext& ctx, const uint8_t* p, const uint8_t* end, AnyValue& out,
                    int depth);
bool decodeResource(DecodeContext& ctx, const uint8_t* p, const uint8_t* end, Resource& out);
bool decodeScope(DecodeContext& ctx, const uint8_t* p, const uint8_t* end,
                 InstrumentationScope& out);

// The common shape of an attribute, decoded without the generic field loop: exactly
// `key` then `value`, each with a one-byte length, the value holding one string (one-byte
// length), int, double or bool. Returns false (touching nothing) for any other shape, which the
// generic decoder then handles, so results are identical either way.
[[gnu::always_inline]] inline bool decodeSimpleKeyValue(const uint8_t* p, const uint8_t* end,
                                                        KeyValue& out) {
  if (end - p < 4 || p[0] != 0x0a || p[1] >= 0x80) return false;
  const uint8_t* key = p + 2;
  size_t key_len = p[1];
  const uint8_t* q = key + key_len;
  if (end - q < 2 || q[0] != 0x12 || q[1] >= 0x80 || q + 2 + q[1] != end) return false;
  const uint8_t* v = q + 2;
  size_t v_len = q[1];
  if (!validUtf8(key, key_len)) return false;
  AnyValue value;
  if (v_len >= 2 && v[0] == 0x0a && v[1] < 0x80 && size_t{v[1]} + 2 == v_len) {
    if (!validUtf8(v + 2, v[1])) return false;
    value = AnyValue::string({reinterpret_cast<const char*>(v + 2), v[1]});
  } else if (v_len >= 2 && v[0] == 0x18) {
    uint64_t x;
    if (wire::readVarint(v + 1, end, x) != end) return false;
    value = AnyValue::integer(static_cast<int64_t>(x));
  } else if (v_len == 9 && v[0] == 0x21) {
    value = AnyValue::dbl(wire::doubleOf(wire::load64(v + 1)));
  } else if (v_len == 2 && v[0] == 0x10 && v[1] < 0x80) {
    value = AnyValue::boolean(v[1] != 0);
  } else {
    return false;
  }
  out.key = {reinterpret_cast<const char*>(key), key_len};
  out.value = value;
  return true;
}

// Fills attrs[i++] from a KeyValue field; reports the path as `names[number][i]` on failure.
[[gnu::always_inline]] inline bool decodeAttribute(DecodeContext& ctx, const wire::Field& f,
                                                   std::span<KeyValue> attrs, size_t& i,
                                                   FieldNames names) {
  if (PERISCOPE_UNLIKELY(i >= attrs.size())) return ctx.fail(f.at, "internal: count mismatch");
  if (PERISCOPE_LIKELY(decodeSimpleKeyValue(f.data, f.end(), attrs[i]))) {
    ++i;
    return true;
  }
  attrs[i] = KeyValue{};  // the slot may be uninitialised scratch; the general path merges into it
  if (PERISCOPE_UNLIKELY(!decodeKeyValue(ctx, f.data, f.end(), attrs[i]))) {
    return ctx.in(names, f.number(), i);
  }
  ++i;
  return true;
}

// A string field: a view into the input after UTF-8 validation.
[[gnu::always_inline]] inline bool readString(DecodeContext& ctx, const wire::Field& f,
                                              std::string_view& out, FieldNames names) {
  if (PERISCOPE_UNLIKELY(!validUtf8(f.data, f.len))) return ctx.invalidUtf8(f, names);
  out = f.view();
  return true;
}

}  // namespace periscope::model::otlp
