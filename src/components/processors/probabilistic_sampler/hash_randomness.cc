#include "components/processors/probabilistic_sampler/hash_randomness.h"

namespace periscope::components::probabilistic_sampler {
namespace {

constexpr uint32_t kFnvOffset32 = 2166136261u;
constexpr uint32_t kFnvPrime32 = 16777619u;

uint32_t fnvStep(uint32_t h, unsigned char byte) {
  h ^= byte;
  return h * kFnvPrime32;
}

}  // namespace

uint32_t fnv1aWithSeed(std::string_view bytes, uint32_t seed) {
  uint32_t h = kFnvOffset32;
  for (int i = 0; i < 4; ++i) h = fnvStep(h, static_cast<unsigned char>(seed >> (8 * i)));
  for (char c : bytes) h = fnvStep(h, static_cast<unsigned char>(c));
  return h;
}

uint64_t hashRandomness(std::string_view bytes, uint32_t seed) {
  uint32_t hashed32 = fnv1aWithSeed(bytes, seed);
  uint64_t bucket = hashed32 & (kNumHashBuckets - 1);
  // Most to least significant: 14 bits (0x3fff - bucket), so that R >= T' with
  // T' = (0x4000 - accepted) << 42 holds exactly when bucket < accepted; then 28 bits mixed
  // from the hash's top bits; then the bucket itself. Same layout as the collector, because
  // this value is written into tracestate as `rv:` and must match byte for byte.
  uint64_t rprime14 = kNumHashBuckets - 1 - bucket;
  uint64_t top = hashed32 >> (32 - kNumHashBucketsLg2);
  uint64_t mixed28 = top ^ (top << 10);
  return (rprime14 << 42) | (mixed28 << 14) | bucket;
}

uint32_t acceptedBuckets(float percent) {
  // float32 multiplication then truncation, exactly as the collector computes it.
  constexpr float kScale = static_cast<float>(kNumHashBuckets) / 100.0f;
  return static_cast<uint32_t>(percent * kScale);
}

}  // namespace periscope::components::probabilistic_sampler
