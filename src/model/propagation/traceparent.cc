#include "model/propagation/traceparent.h"

#include <algorithm>

#include "common/hex.h"

namespace periscope::model::propagation {
namespace {

constexpr size_t kVersion00Length = 55;  // 2 + 1 + 32 + 1 + 16 + 1 + 2

// HEXDIGLC: the spec allows only lower-case hex digits.
bool lowerHexBytes(std::string_view hex, uint8_t* out, size_t n) {
  if (hex.size() != 2 * n) return false;
  auto digit = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < n; ++i) {
    int hi = digit(hex[2 * i]), lo = digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

template <size_t N>
bool allZero(const std::array<uint8_t, N>& id) {
  return std::all_of(id.begin(), id.end(), [](uint8_t b) { return b == 0; });
}

template <size_t N>
std::string_view bytesView(const std::array<uint8_t, N>& id) {
  return {reinterpret_cast<const char*>(id.data()), N};
}

}  // namespace

std::optional<Traceparent> parseTraceparent(std::string_view header) {
  Traceparent tp;
  if (header.size() < kVersion00Length) return std::nullopt;
  if (!lowerHexBytes(header.substr(0, 2), &tp.version, 1) || tp.version == 0xff) {
    return std::nullopt;
  }
  if (tp.version == 0 && header.size() != kVersion00Length) return std::nullopt;
  // A future version may append fields; they must be separated by "-".
  if (header.size() > kVersion00Length && header[kVersion00Length] != '-') return std::nullopt;
  if (header[2] != '-' || header[35] != '-' || header[52] != '-') return std::nullopt;
  if (!lowerHexBytes(header.substr(3, 32), tp.trace_id.data(), 16) ||
      !lowerHexBytes(header.substr(36, 16), tp.parent_id.data(), 8) ||
      !lowerHexBytes(header.substr(53, 2), &tp.flags, 1)) {
    return std::nullopt;
  }
  if (allZero(tp.trace_id) || allZero(tp.parent_id)) return std::nullopt;
  return tp;
}

std::string formatTraceparent(const Traceparent& tp) {
  std::string out = "00-";
  out += hexEncode(bytesView(tp.trace_id));
  out += '-';
  out += hexEncode(bytesView(tp.parent_id));
  out += '-';
  const uint8_t flags = tp.flags;
  out += hexEncode(std::string_view(reinterpret_cast<const char*>(&flags), 1));
  return out;
}

}  // namespace periscope::model::propagation
