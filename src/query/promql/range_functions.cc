#include "query/promql/range_functions.h"

#include <cmath>

#include "query/promql/go_math.h"

namespace periscope::query::promql {

std::optional<double> extrapolatedRate(Window w, int64_t begin, int64_t end, bool counter,
                                       bool per_second, bool has_resets) {
  if (w.size() < 2) return std::nullopt;
  const Point& first = w.front();
  const Point& last = w.back();
  double result = last.v - first.v;
  if (counter && has_resets) {
    double prev = first.v;
    for (size_t i = 1; i < w.size(); ++i) {
      if (w[i].v < prev) result += prev;  // a counter reset: the counter restarted from 0
      prev = w[i].v;
    }
  }
  double to_start = static_cast<double>(first.t - begin) / 1000;
  double to_end = static_cast<double>(end - last.t) / 1000;
  double sampled = static_cast<double>(last.t - first.t) / 1000;
  double average_gap = sampled / static_cast<double>(w.size() - 1);

  // A counter cannot go below zero: extrapolate no further back than where it would be 0.
  if (counter && result > 0 && first.v >= 0) {
    double to_zero = sampled * (first.v / result);
    if (to_zero < to_start) to_start = to_zero;
  }
  // Extrapolate to a window edge only when a sample would be expected there.
  double threshold = average_gap * 1.1;
  double interval = sampled;
  interval += to_start < threshold ? to_start : average_gap / 2;
  interval += to_end < threshold ? to_end : average_gap / 2;
  double factor = interval / sampled;
  if (per_second) factor /= static_cast<double>(end - begin) / 1000;
  return result * factor;
}

std::optional<double> instantValue(Window w, bool is_rate) {
  if (w.size() < 2) return std::nullopt;
  const Point& last = w[w.size() - 1];
  const Point& prev = w[w.size() - 2];
  double result = (is_rate && last.v < prev.v) ? last.v : last.v - prev.v;
  int64_t gap = last.t - prev.t;
  if (gap == 0) return std::nullopt;
  if (is_rate) result /= static_cast<double>(gap) / 1000;
  return result;
}

Regression linearRegression(Window w, int64_t intercept_time) {
  double n = 0, sum_x = 0, c_x = 0, sum_y = 0, c_y = 0, sum_xy = 0, c_xy = 0, sum_x2 = 0, c_x2 = 0;
  double init_y = w[0].v;
  bool const_y = true;
  for (size_t i = 0; i < w.size(); ++i) {
    if (const_y && i > 0 && w[i].v != init_y) const_y = false;
    n += 1;
    double x = static_cast<double>(w[i].t - intercept_time) / 1e3;
    sum_x = kahanSumInc(x, sum_x, c_x);
    sum_y = kahanSumInc(w[i].v, sum_y, c_y);
    sum_xy = kahanSumInc(x * w[i].v, sum_xy, c_xy);
    sum_x2 = kahanSumInc(x * x, sum_x2, c_x2);
  }
  if (const_y) {
    if (std::isinf(init_y)) return {std::nan(""), std::nan("")};
    return {0, init_y};
  }
  sum_x += c_x;
  sum_y += c_y;
  sum_xy += c_xy;
  sum_x2 += c_x2;
  double cov_xy = sum_xy - sum_x * sum_y / n;
  double var_x = sum_x2 - sum_x * sum_x / n;
  double slope = cov_xy / var_x;
  return {slope, sum_y / n - slope * sum_x / n};
}

double holtWinters(Window w, double sf, double tf) {
  double s0 = 0, s1 = w[0].v, b = w[1].v - w[0].v;
  for (size_t i = 1; i < w.size(); ++i) {
    double x = sf * w[i].v;
    if (i > 1) b = tf * (s1 - s0) + (1 - tf) * b;  // the trend; the first one is given
    double y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}

double sumOverTime(Window w) {
  double sum = 0, c = 0;
  for (const Point& p : w) sum = kahanSumInc(p.v, sum, c);
  return std::isinf(sum) ? sum : sum + c;
}

double avgOverTime(Window w) {
  double mean = 0, count = 0, c = 0;
  for (const Point& p : w) {
    count++;
    if (std::isinf(mean)) {
      // Inf - Inf would turn a correct infinite mean into NaN.
      if (std::isinf(p.v) && (mean > 0) == (p.v > 0)) continue;
      if (!std::isinf(p.v) && !std::isnan(p.v)) continue;
    }
    mean = kahanSumInc(p.v / count - mean / count, mean, c);
  }
  return std::isinf(mean) ? mean : mean + c;
}

double minOverTime(Window w) {
  double m = w[0].v;
  for (const Point& p : w) {
    if (p.v < m || std::isnan(m)) m = p.v;
  }
  return m;
}

double maxOverTime(Window w) {
  double m = w[0].v;
  for (const Point& p : w) {
    if (p.v > m || std::isnan(m)) m = p.v;
  }
  return m;
}

double stdvarOverTime(Window w) {
  double count = 0, mean = 0, c_mean = 0, aux = 0, c_aux = 0;
  for (const Point& p : w) {
    count++;
    double delta = p.v - (mean + c_mean);
    mean = kahanSumInc(delta / count, mean, c_mean);
    aux = kahanSumInc(delta * (p.v - (mean + c_mean)), aux, c_aux);
  }
  return (aux + c_aux) / count;
}

double changesOverTime(Window w) {
  double changes = 0;
  for (size_t i = 1; i < w.size(); ++i) {
    double prev = w[i - 1].v, cur = w[i].v;
    if (cur != prev && !(std::isnan(cur) && std::isnan(prev))) changes++;
  }
  return changes;
}

double resetsOverTime(Window w) {
  double resets = 0;
  for (size_t i = 1; i < w.size(); ++i) {
    if (w[i].v < w[i - 1].v) resets++;
  }
  return resets;
}

}  // namespace periscope::query::promql
