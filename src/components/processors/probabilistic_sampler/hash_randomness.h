// The `hash_seed` mode's randomness, bit-compatible with the collector: 32-bit FNV-1a over the
// seed (4 bytes, little-endian) followed by the hashed bytes (the 16 trace id bytes, or a log
// attribute's value); the low 14 bits pick one of 0x4000 buckets. The bucket is spread into a
// 56-bit randomness so that the OTel rule "keep when R >= T" makes the collector's historical
// decision "keep when bucket < uint32(float32(percent) * 163.84)".
#pragma once

#include <cstdint>
#include <string_view>

namespace periscope::components::probabilistic_sampler {

inline constexpr uint32_t kNumHashBucketsLg2 = 14;
inline constexpr uint32_t kNumHashBuckets = 0x4000;

// FNV-1a (32 bit) of the seed's little-endian bytes then `bytes`.
uint32_t fnv1aWithSeed(std::string_view bytes, uint32_t seed);

// The 56-bit randomness the collector derives from a hash (see the .cc for the bit layout).
uint64_t hashRandomness(std::string_view bytes, uint32_t seed);

// How many of the 0x4000 buckets are kept at `percent` (already clamped to [0, 100]);
// 0 means the sampler never samples.
uint32_t acceptedBuckets(float percent);

}  // namespace periscope::components::probabilistic_sampler
