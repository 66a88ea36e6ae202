#include "storage/index/id_bloom_filter.h"

#include <algorithm>
#include <cstring>

namespace periscope::storage {
namespace {

uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

// The two 8-byte halves of a 16-byte id; other lengths are folded into 16 bytes first.
void halves(std::string_view id, uint64_t& a, uint64_t& b) {
  unsigned char buf[16] = {};
  if (id.size() == 16) {
    std::memcpy(buf, id.data(), 16);
  } else {
    for (size_t i = 0; i < id.size(); ++i)
      buf[i % 16] =
          static_cast<unsigned char>(buf[i % 16] * 31 + static_cast<unsigned char>(id[i]));
    buf[15] ^= static_cast<unsigned char>(id.size());
  }
  std::memcpy(&a, buf, 8);
  std::memcpy(&b, buf + 8, 8);
}

void hashes(std::string_view id, uint64_t& ha, uint64_t& hb) {
  uint64_t a, b;
  halves(id, a, b);
  ha = mix(a ^ (b * 0x9E3779B97F4A7C15ull));
  hb = mix(b + a + 0x632BE59BD9B4E019ull) | 1;
}

}  // namespace

void IdBloomFilter::init(size_t items, int bits_per_item) {
  size_t bits = std::max<size_t>(64, items * static_cast<size_t>(bits_per_item));
  words.assign((bits + 63) / 64, 0);
}

void IdBloomFilter::add(std::string_view id) {
  uint64_t n = words.size() * 64, a, b;
  if (n == 0) return;
  hashes(id, a, b);
  for (int i = 0; i < 7; ++i) {
    uint64_t bit = (a + static_cast<uint64_t>(i) * b) % n;
    words[bit / 64] |= 1ull << (bit % 64);
  }
}

bool IdBloomFilter::mayContain(std::string_view id) const {
  if (words.empty()) return true;
  uint64_t n = words.size() * 64, a, b;
  hashes(id, a, b);
  for (int i = 0; i < 7; ++i) {
    uint64_t bit = (a + static_cast<uint64_t>(i) * b) % n;
    if ((words[bit / 64] & (1ull << (bit % 64))) == 0) return false;
  }
  return true;
}

}  // namespace periscope::storage
