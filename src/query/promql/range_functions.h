// The functions over range vectors, each a pure function of one window of samples (stale
// markers already removed), with Prometheus 2.42's arithmetic: extrapolatedRate for
// rate/increase/delta, instantValue for irate/idelta, linear regression for deriv and
// predict_linear, compensated sums for the *_over_time averages. Internal to query/promql.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "query/promql/engine.h"

namespace periscope::query::promql {

using Window = std::span<const Point>;

// rate (counter, per second), increase (counter), delta (gauge); window [begin, end] in ms.
// has_resets = false promises that no value in w is below its predecessor (skips that scan).
std::optional<double> extrapolatedRate(Window w, int64_t begin, int64_t end, bool counter,
                                       bool per_second, bool has_resets = true);
// irate (counter reset aware, per second) and idelta.
std::optional<double> instantValue(Window w, bool is_rate);
// Least-squares slope and intercept at intercept_time (ms).
struct Regression {
  double slope = 0;
  double intercept = 0;
};
Regression linearRegression(Window w, int64_t intercept_time);
double holtWinters(Window w, double sf, double tf);  // needs ≥ 2 points

double sumOverTime(Window w);
double avgOverTime(Window w);
double minOverTime(Window w);
double maxOverTime(Window w);
double stdvarOverTime(Window w);
double changesOverTime(Window w);
double resetsOverTime(Window w);

}  // namespace periscope::query::promql
