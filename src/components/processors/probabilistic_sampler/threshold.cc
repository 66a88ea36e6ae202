#include "components/processors/probabilistic_sampler/threshold.h"

#include <cmath>

namespace periscope::components::probabilistic_sampler {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<uint64_t> parseHex(std::string_view s) {
  uint64_t v = 0;
  for (char c : s) {
    int d = hexValue(c);
    if (d < 0) return std::nullopt;
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  return v;
}

// 14 hex digits with leading zeros.
void formatHex14(uint64_t v, char* out) {
  for (int i = kNumHexDigits - 1; i >= 0; --i) {
    out[i] = kHexDigits[v & 0xf];
    v >>= 4;
  }
}

}  // namespace

std::optional<Threshold> parseThreshold(std::string_view tvalue) {
  if (tvalue.empty() || tvalue.size() > kNumHexDigits) return std::nullopt;
  auto v = parseHex(tvalue);
  if (!v) return std::nullopt;
  return Threshold{*v << (4 * (kNumHexDigits - tvalue.size()))};
}

std::optional<uint64_t> parseRandomness(std::string_view rvalue) {
  if (rvalue.size() != kNumHexDigits) return std::nullopt;
  return parseHex(rvalue);
}

std::string_view encodeThreshold(Threshold t, char* out) {
  if (t == Threshold::always()) {
    out[0] = '0';
    return {out, 1};
  }
  if (t.unsigned_value >= kMaxAdjustedCount) return {};
  formatHex14(t.unsigned_value, out);
  size_t n = kNumHexDigits;
  while (n > 0 && out[n - 1] == '0') --n;
  return {out, n};
}

std::string_view encodeRandomness(uint64_t randomness, char* out) {
  if (randomness >= kMaxAdjustedCount) return {};
  formatHex14(randomness, out);
  return {out, kNumHexDigits};
}

Threshold probabilityToThreshold(double probability, int precision, ProbabilityError* error) {
  *error = ProbabilityError::kNone;
  if (!(probability >= kMinSamplingProbability && probability <= 1)) {
    *error = ProbabilityError::kOutOfRange;
    return Threshold::always();
  }
  const double max = static_cast<double>(kMaxAdjustedCount);
  uint64_t scaled = static_cast<uint64_t>(std::round(probability * max));
  uint64_t reject = kMaxAdjustedCount - scaled;
  if (precision == 0) return Threshold{reject};
  if (probability == 1) return Threshold::always();
  // Leading zeros of the rejection probability are obligatory digits, not precision.
  for (double r = 1 - probability; r * 16 < 1; r *= 16) ++precision;
  if (precision > kNumHexDigits) {
    *error = ProbabilityError::kPrecisionUnderflow;
    return Threshold::always();
  }
  int shift = 4 * (kNumHexDigits - precision);
  if (shift > 0) {
    reject += uint64_t{1} << (shift - 1);  // round half up at the last kept digit
    reject = (reject >> shift) << shift;
  }
  return Threshold{reject};
}

uint64_t traceIdRandomness(std::string_view trace_id) {
  uint64_t v = 0;
  for (size_t i = 9; i < 16 && i < trace_id.size(); ++i) {
    v = (v << 8) | static_cast<unsigned char>(trace_id[i]);
  }
  return v;
}

bool isEmptyTraceId(std::string_view trace_id) {
  if (trace_id.size() != 16) return true;
  for (char c : trace_id) {
    if (c != 0) return false;
  }
  return true;
}

}  // namespace periscope::components::probabilistic_sampler
