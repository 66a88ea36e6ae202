// A fast, non-cryptographic 64-bit hash of a byte string (multiply-fold over 8-byte words), for
// the connectors' in-memory tables keyed by dimension bytes or trace/span ids. Not stable across
// versions; never persist it.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace periscope::components::connectors {

inline uint64_t foldMultiply(uint64_t a, uint64_t b) {
  __extension__ using U128 = unsigned __int128;
  U128 r = static_cast<U128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

inline uint64_t hashBytes(std::string_view bytes, uint64_t seed = 0x243F6A8885A308D3ULL) {
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15ULL;
  const char* p = bytes.data();
  size_t n = bytes.size();
  uint64_t h = seed ^ (n * kMul);
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = foldMultiply(h ^ w, kMul);
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = foldMultiply(h ^ w ^ (uint64_t{n} << 59), kMul);
  }
  return foldMultiply(h, 0xD6E8FEB86659FD93ULL);
}

}  // namespace periscope::components::connectors
