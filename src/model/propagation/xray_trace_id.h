// X-Ray-compatible trace ids: X-Ray reads the first 4 bytes of a trace id as the request's epoch
// seconds (big-endian) and refuses ids whose time is implausible, so tracers that export to X-Ray
// generate ids as <epoch seconds><12 random bytes> (OpenTelemetry's AwsXRayIdGenerator).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <random>
#include <utility>

namespace periscope::model::propagation {

// The collector's awsxray exporter rule: the time may be at most 28 days old and 5 minutes in
// the future.
inline constexpr int64_t kXrayTraceIdMaxAgeSeconds = 28 * 24 * 60 * 60;
inline constexpr int64_t kXrayTraceIdMaxSkewSeconds = 5 * 60;

// Writes epoch_seconds big-endian into out[0..3], then `random_hi` and the low 32 bits of
// `random_lo` into out[4..15].
void writeXrayTraceId(uint32_t epoch_seconds, uint64_t random_hi, uint64_t random_lo, uint8_t* out);

// The time prefix of a trace id (its first 4 bytes, big-endian).
uint32_t xrayTraceIdEpochSeconds(const uint8_t* trace_id);

// True when `trace_id` (16 bytes) would be accepted by X-Ray at `now_epoch_seconds`:
// now − 28 days ≤ prefix ≤ now + 5 minutes.
bool isValidXrayTraceId(const uint8_t* trace_id, int64_t now_epoch_seconds);

// Epoch-prefixed ids from a seeded generator and an injectable clock (for tests).
class XrayTraceIdGenerator {
 public:
  using Clock = std::function<uint32_t()>;  // current epoch seconds
  static uint32_t systemClock();

  explicit XrayTraceIdGenerator(uint64_t seed, Clock clock = systemClock)
      : rng_(seed), clock_(std::move(clock)) {}

  std::array<uint8_t, 16> next();

 private:
  std::mt19937_64 rng_;
  Clock clock_;
};

}  // namespace periscope::model::propagation
