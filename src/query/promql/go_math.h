// Numeric helpers that reproduce Go's standard library where PromQL's results depend on it:
// math.Max/Min (NaN and ±0 rules), strconv.FormatFloat(v, 'f', -1, 64) and ParseFloat,
// Neumaier (Kahan) summation, and the quantile over a set of values that Prometheus uses for
// quantile() and quantile_over_time(). Internal to query/promql.
#pragma once

#include <cmath>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace periscope::query::promql {

inline double goMax(double x, double y) {
  if (std::isinf(x) && x > 0) return x;
  if (std::isinf(y) && y > 0) return y;
  if (std::isnan(x) || std::isnan(y)) return std::nan("");
  if (x == 0 && x == y) return std::signbit(x) ? y : x;
  return x > y ? x : y;
}

inline double goMin(double x, double y) {
  if (std::isinf(x) && x < 0) return x;
  if (std::isinf(y) && y < 0) return y;
  if (std::isnan(x) || std::isnan(y)) return std::nan("");
  if (x == 0 && x == y) return std::signbit(x) ? x : y;
  return x < y ? x : y;
}

// One step of Neumaier-compensated summation: returns the new sum, updates c.
inline double kahanSumInc(double inc, double sum, double& c) {
  double t = sum + inc;
  if (std::abs(sum) >= std::abs(inc)) {
    c += (sum - t) + inc;
  } else {
    c += (inc - t) + sum;
  }
  return t;
}

// strconv.FormatFloat(v, 'f', -1, 64): shortest round-trip digits, never an exponent;
// "NaN", "+Inf", "-Inf".
std::string formatFloatGo(double v);

// strconv.ParseFloat(s, 64): decimal or hex, optional sign, "Inf"/"Infinity"/"NaN" in any
// case, underscores not allowed; nullopt when malformed. Out-of-range values become ±Inf.
std::optional<double> parseFloatGo(std::string_view s);

// Prometheus's quantile(): NaN for no values, -Inf/+Inf for q < 0 / q > 1, otherwise linear
// interpolation between the closest ranks of the values sorted with NaN first. Sorts values.
double quantileOf(double q, std::span<double> values);

}  // namespace periscope::query::promql
