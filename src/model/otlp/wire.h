// Protobuf wire-format primitives shared by the OTLP decoder and encoder (internal to model/otlp).
// Readers never read past `end` and report malformations as a ReadError; writers assume the
// caller sized the output buffer. Header-only so the hot loops inline; no allocation.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace periscope::model::otlp::wire {

static_assert(std::endian::native == std::endian::little, "wire helpers assume little-endian");

#define PERISCOPE_LIKELY(x) __builtin_expect(!!(x), 1)
#define PERISCOPE_UNLIKELY(x) __builtin_expect(!!(x), 0)

inline constexpr uint32_t kVarint = 0;
inline constexpr uint32_t kFixed64 = 1;
inline constexpr uint32_t kLen = 2;
inline constexpr uint32_t kFixed32 = 5;

constexpr uint32_t tag(uint32_t field, uint32_t wire_type) {
  return field << 3 | wire_type;
}

enum class ReadError : uint8_t {
  kNone,
  kTruncatedTag,
  kBadTag,
  kTruncated,
  kVarintTooLong,
  kBadLength,
  kLengthPastEnd,
  kGroup,
  kBadWireType,
};

// One field as read from the wire. For kLen fields `data`/`len` are the payload; for the
// others `value` holds the raw varint or fixed-width bits.
struct Field {
  uint32_t tag = 0;
  uint64_t value = 0;
  const uint8_t* data = nullptr;
  size_t len = 0;
  const uint8_t* at = nullptr;  // where the field's value starts, for error messages

  uint32_t number() const { return tag >> 3; }
  uint32_t wireType() const { return tag & 7; }
  std::string_view view() const { return {reinterpret_cast<const char*>(data), len}; }
  const uint8_t* end() const { return data + len; }
};

inline uint64_t load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint32_t load32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

[[gnu::noinline]] inline const uint8_t* readVarintSlow(const uint8_t* p, const uint8_t* end,
                                                       uint64_t& out) {
  uint64_t r = 0;
  for (int i = 0; i < 10; ++i) {
    if (p + i >= end) return nullptr;
    uint64_t b = p[i];
    r |= (b & 0x7f) << (7 * i);
    if (b < 0x80) {
      out = r;
      return p + i + 1;
    }
  }
  return nullptr;
}

// A varint of at most 10 bytes; nullptr when truncated or longer.
[[gnu::always_inline]] inline const uint8_t* readVarint(const uint8_t* p, const uint8_t* end,
                                                        uint64_t& out) {
  if (PERISCOPE_LIKELY(p < end && *p < 0x80)) {
    out = *p;
    return p + 1;
  }
  if (PERISCOPE_LIKELY(end - p >= 2 && p[1] < 0x80)) {
    out = (uint64_t{p[0]} & 0x7f) | uint64_t{p[1]} << 7;
    return p + 2;
  }
  return readVarintSlow(p, end, out);
}

// Why a varint starting at p failed to read: truncated or over 10 bytes.
inline ReadError varintError(const uint8_t* p, const uint8_t* end) {
  return end - p >= 10 ? ReadError::kVarintTooLong : ReadError::kTruncated;
}

[[gnu::noinline]] inline ReadError readTagSlow(const uint8_t*& p, const uint8_t* end,
                                               uint32_t& tag) {
  // Like libprotobuf: at most 5 bytes and below 2^32.
  uint64_t r = 0;
  for (int i = 0; i < 5; ++i) {
    if (p + i >= end) return ReadError::kTruncatedTag;
    uint64_t b = p[i];
    r |= (b & 0x7f) << (7 * i);
    if (b < 0x80) {
      if (r > 0xffffffffu) return ReadError::kBadTag;
      tag = static_cast<uint32_t>(r);
      p += i + 1;
      return ReadError::kNone;
    }
  }
  return ReadError::kBadTag;
}

// Reads one field at p (p < end) and advances p past it. On error p is unchanged, and
// f.tag / f.at say where it went wrong.
[[gnu::always_inline]] inline ReadError readField(const uint8_t*& p, const uint8_t* end, Field& f) {
  const uint8_t* q = p;
  uint32_t t;
  if (PERISCOPE_LIKELY(*q < 0x80)) {
    t = *q++;
  } else if (PERISCOPE_LIKELY(end - q >= 2 && q[1] < 0x80)) {
    t = (uint32_t{q[0]} & 0x7f) | uint32_t{q[1]} << 7;
    q += 2;
  } else {
    f.tag = 0;
    f.at = q;
    ReadError e = readTagSlow(q, end, t);
    if (e != ReadError::kNone) return e;
  }
  f.tag = t;
  f.at = q;
  if (PERISCOPE_UNLIKELY(t < 8)) return ReadError::kBadTag;  // field number 0
  switch (t & 7) {
    case kVarint:
      q = readVarint(q, end, f.value);
      if (PERISCOPE_UNLIKELY(q == nullptr)) return varintError(f.at, end);
      break;
    case kFixed64:
      if (PERISCOPE_UNLIKELY(end - q < 8)) return ReadError::kTruncated;
      f.value = load64(q);
      q += 8;
      break;
    case kLen: {
      uint64_t n;
      const uint8_t* d = readVarint(q, end, n);
      if (PERISCOPE_UNLIKELY(d == nullptr)) return varintError(q, end);
      if (PERISCOPE_UNLIKELY(d - q > 5 || n > 0x7fffffffu)) return ReadError::kBadLength;
      f.value = n;
      if (PERISCOPE_UNLIKELY(n > static_cast<uint64_t>(end - d))) return ReadError::kLengthPastEnd;
      f.data = d;
      f.len = n;
      q = d + n;
      break;
    }
    case kFixed32:
      if (PERISCOPE_UNLIKELY(end - q < 4)) return ReadError::kTruncated;
      f.value = load32(q);
      q += 4;
      break;
    case 3:
    case 4:
      return ReadError::kGroup;
    default:
      return ReadError::kBadWireType;
  }
  p = q;
  return ReadError::kNone;
}

// ---- writing ----

constexpr size_t varintSize(uint64_t v) {
  // 1 + floor(log2(v|1)) / 7
  return static_cast<size_t>((std::bit_width(v | 1) * 9 + 64) / 64);
}
constexpr size_t tagSize(uint32_t field) {
  return varintSize(uint64_t{field} << 3);
}
constexpr size_t lenFieldSize(uint32_t field, size_t n) {
  return tagSize(field) + varintSize(n) + n;
}

[[gnu::always_inline]] inline uint8_t* writeVarint(uint8_t* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<uint8_t>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<uint8_t>(v);
  return p;
}
[[gnu::always_inline]] inline uint8_t* writeTag(uint8_t* p, uint32_t field, uint32_t wire_type) {
  return writeVarint(p, tag(field, wire_type));
}
inline uint8_t* writeFixed64(uint8_t* p, uint64_t v) {
  std::memcpy(p, &v, 8);
  return p + 8;
}
inline uint8_t* writeFixed32(uint8_t* p, uint32_t v) {
  std::memcpy(p, &v, 4);
  return p + 4;
}
inline uint8_t* writeBytes(uint8_t* p, std::string_view s) {
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

inline uint64_t bitsOf(double d) {
  return std::bit_cast<uint64_t>(d);
}
inline double doubleOf(uint64_t v) {
  return std::bit_cast<double>(v);
}
inline uint32_t zigzag32(int32_t v) {
  return (static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31);
}
inline int32_t unzigzag32(uint32_t v) {
  return static_cast<int32_t>((v >> 1) ^ (~(v & 1) + 1));
}
// int32 (enums included) is sign-extended to 64 bits on the wire.
inline uint64_t int32Wire(int32_t v) {
  return static_cast<uint64_t>(static_cast<int64_t>(v));
}

}  // namespace periscope::model::otlp::wire
