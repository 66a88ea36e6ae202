// The 56-bit arithmetic of OpenTelemetry consistent probability sampling (W3C Trace Context
// Level 2 randomness, OTEP 235 thresholds), as the collector's pkg/sampling does it:
//   randomness R in [0, 2^56), threshold T in [0, 2^56]; an item is kept when R >= T.
//   T = 0 keeps everything ("th:0"); T = 2^56 keeps nothing (never written).
// Thresholds travel as `th:` values: up to 14 hex digits with trailing zeros removed; explicit
// randomness travels as `rv:` values of exactly 14 hex digits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace periscope::components::probabilistic_sampler {

inline constexpr uint64_t kMaxAdjustedCount = uint64_t{1} << 56;
inline constexpr int kNumHexDigits = 14;
inline constexpr double kMinSamplingProbability = 1.0 / static_cast<double>(kMaxAdjustedCount);

struct Threshold {
  uint64_t unsigned_value = 0;
  static constexpr Threshold always() { return {0}; }
  static constexpr Threshold never() { return {kMaxAdjustedCount}; }
  bool shouldSample(uint64_t randomness) const { return randomness >= unsigned_value; }
  double probability() const {
    return static_cast<double>(kMaxAdjustedCount - unsigned_value) /
           static_cast<double>(kMaxAdjustedCount);
  }
  friend bool operator==(Threshold, Threshold) = default;
  friend bool operator<(Threshold a, Threshold b) { return a.unsigned_value < b.unsigned_value; }
};

// The largest randomness: sampled at every probability (stands in when there is none).
inline constexpr uint64_t kAllProbabilitiesRandomness = kMaxAdjustedCount - 1;

// A `th:` value: 1..14 hex digits (either case), shorter values are extended with zeros.
std::optional<Threshold> parseThreshold(std::string_view tvalue);
// An `rv:` value: exactly 14 hex digits.
std::optional<uint64_t> parseRandomness(std::string_view rvalue);

// Encodings write into `out` (at least 14 chars) and return the view. The always-sample
// threshold encodes as "0"; never-sample has no encoding (empty).
std::string_view encodeThreshold(Threshold t, char* out);
std::string_view encodeRandomness(uint64_t randomness, char* out);

enum class ProbabilityError { kNone, kOutOfRange, kPrecisionUnderflow };

// Probability in [2^-56, 1] to a threshold rounded to `precision` significant hex digits
// (0 = full precision); leading `f` digits of the rejection threshold do not count as
// significant, as in the collector. On kOutOfRange/kPrecisionUnderflow the result is always().
Threshold probabilityToThreshold(double probability, int precision, ProbabilityError* error);

// W3C Trace Context Level 2: the least-significant 56 bits of the trace id (bytes 9..15).
uint64_t traceIdRandomness(std::string_view trace_id);

// A trace id the collector treats as absent: not 16 bytes, or all zero.
bool isEmptyTraceId(std::string_view trace_id);

}  // namespace periscope::components::probabilistic_sampler
