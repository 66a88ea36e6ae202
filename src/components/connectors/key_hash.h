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

// 16 bytes per multiply, the two words in separate operands (as wyhash does), so a typical
// 60-100 byte series key costs a handful of multiplies.
inline uint64_t hashBytes(std::string_view bytes, uint64_t seed = 0x243F6A8885A308D3ULL) {
  constexpr uint64_t k0 = 0xA0761D6478BD642FULL;
  constexpr uint64_t k1 = 0xE7037ED1A0B428DBULL;
  const char* p = bytes.data();
  size_t n = bytes.size();
  uint64_t h = seed ^ foldMultiply(seed ^ k0, n ^ k1);
  auto word = [](const char* q) {
    uint64_t w;
    std::memcpy(&w, q, 8);
    return w;
  };
  while (n > 16) {
    h = foldMultiply(word(p) ^ k1, word(p + 8) ^ h);
    p += 16;
    n -= 16;
  }
  uint64_t a = 0;
  uint64_t b = 0;
  if (n >= 8) {
    a = word(p);
    b = word(p + n - 8);
  } else if (n > 0) {
    std::memcpy(&a, p, n);
  }
  return foldMultiply(k1 ^ bytes.size(), foldMultiply(a ^ k1, b ^ h));
}

}  // namespace periscope::components::connectors
