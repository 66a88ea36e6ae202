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
inline void countLenFields(const uint8_t* p, const uint8_t* end, uint32_t f0, uint32_t f1,
                           uint32_t f2, uint32_t* counts) {
  const uint32_t t0 = wire::tag(f0, wire::kLen), t1 = wire::tag(f1, wire::kLen),
                 t2 = wire::tag(f2, wire::kLen);
  wire::Field f;
  while (p < end) {
    if (wire::readField(p, end, f) != wire::ReadError::kNone) return;
    counts[0] += f.tag == t0;
    counts[1] += f.tag == t1;
    counts[2] += f.tag == t2;
  }
}

// Decoders shared by all signals. `out` may already hold a value from an earlier occurrence of
// the same field, which is merged into as protobuf does.
bool decodeKeyValue(DecodeContext& ctx, const uint8_t* p, const uint8_t* end, KeyValue& out);
bool decodeAnyValue(DecodeContext& ctx, const uint8_t* p, const uint8_t* end, AnyValue& out,
                    int depth);
bool decodeResource(DecodeContext& ctx, const uint8_t* p, const uint8_t* end, Resource& out);
bool decodeScope(DecodeContext& ctx, const uint8_t* p, const uint8_t* end,
                 InstrumentationScope& out);

// Fills attrs[i++] from a KeyValue field; reports the path as `names[number][i]` on failure.
[[gnu::always_inline]] inline bool decodeAttribute(DecodeContext& ctx, const wire::Field& f,
                                                   std::span<KeyValue> attrs, size_t& i,
                                                   FieldNames names) {
  if (PERISCOPE_UNLIKELY(i >= attrs.size())) return ctx.fail(f.at, "internal: count mismatch");
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
