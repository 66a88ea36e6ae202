#include "storage/index/trigram_filter.h"

#include <bit>
#include <cstring>

namespace periscope::storage {
namespace {

constexpr size_t kBuildWords = (1u << 18) / 64;
constexpr size_t kMinWords = 8;  // 512 bits

}  // namespace

uint32_t TrigramFilter::mix(uint32_t trigram) {
  // Multiplicative hash; the high half is well mixed, and folding keeps its low bits.
  return static_cast<uint32_t>((static_cast<uint64_t>(trigram) * 0x9E3779B97F4A7C15ull) >> 32);
}

uint32_t TrigramFilter::hash(const char* p) {
  return mix(static_cast<uint32_t>(static_cast<uint8_t>(p[0])) |
             static_cast<uint32_t>(static_cast<uint8_t>(p[1])) << 8 |
             static_cast<uint32_t>(static_cast<uint8_t>(p[2])) << 16);
}

void TrigramFilter::reset() {
  words.assign(kBuildWords, 0);
}

void TrigramFilter::add(std::string_view line) {
  if (line.size() < 3 || words.empty()) return;
  const uint64_t mask = words.size() * 64 - 1;
  uint64_t* w = words.data();
  // The window rolls a byte at a time (one load per byte); same value as hash()'s.
  const auto* p = reinterpret_cast<const uint8_t*>(line.data());
  const auto* end = p + line.size();
  uint32_t t = static_cast<uint32_t>(p[0]) << 8 | static_cast<uint32_t>(p[1]) << 16;
  for (p += 2; p < end; ++p) {
    t = (t >> 8) | static_cast<uint32_t>(*p) << 16;
    uint64_t bit = mix(t) & mask;
    w[bit >> 6] |= 1ull << (bit & 63);
  }
}

void TrigramFilter::finish() {
  size_t n = words.size();
  while (n > kMinWords) {
    size_t half = n / 2;
    // Fill of the folded filter, computed before committing to it.
    size_t set = 0;
    for (size_t i = 0; i < half; ++i)
      set += static_cast<size_t>(std::popcount(words[i] | words[i + half]));
    if (set * 10 > half * 64 * 3) break;
    for (size_t i = 0; i < half; ++i) words[i] |= words[i + half];
    n = half;
  }
  words.resize(n);
  words.shrink_to_fit();
}

bool TrigramFilter::mayContain(std::string_view needle) const {
  if (words.empty() || needle.size() < 3) return true;
  if ((words.size() & (words.size() - 1)) != 0) return true;  // not ours: prove nothing
  const uint64_t mask = words.size() * 64 - 1;
  for (size_t i = 0; i + 3 <= needle.size(); ++i) {
    uint64_t bit = hash(needle.data() + i) & mask;
    if ((words[bit >> 6] & (1ull << (bit & 63))) == 0) return false;
  }
  return true;
}

}  // namespace periscope::storage
