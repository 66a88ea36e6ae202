// Evaluation of calls with a range-vector argument: one pass per input series over the steps,
// with a sliding window of samples [end - range, end] (both ends inclusive, as in Prometheus
// 2.42) and no allocation per step.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "query/promql/evaluator.h"
#include "query/promql/functions.h"
#include "query/promql/go_math.h"
#include "query/promql/label_ops.h"
#include "query/promql/range_functions.h"

namespace periscope::query::promql {
namespace {

// Go's %f, for the messages of holt_winters.
std::string formatFixed6(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[400];
  std::snprintf(buf, sizeof buf, "%f", v);
  return buf;
}

// Calls f(window, step index, step time, window begin, window end) for every step whose window
// holds samples and appends the values it returns; keep_name: the output keeps `__name__`
// (last_over_time). on_series(series) runs before each series' windows.
template <typename F, typename G>
Status forEachWindow(Evaluator& ev, const RangeInput& in, bool keep_name, Matrix& out, F&& f,
                     G&& on_series) {
  const StepGrid& grid = ev.grid();
  const size_t steps = grid.size();
  for (const EvalSeries& s : in.series) {
    PERISCOPE_RETURN_IF_ERROR(ev.checkDeadline());
    on_series(s);
    const std::vector<Point>& pts = s.points;
    EvalSeries os;
    size_t lo = 0, hi = 0;
    for (size_t k = 0; k < steps; ++k) {
      int64_t ts = grid.at(k);
      int64_t end = in.windowEnd(ts);
      int64_t begin = end - in.range_ms;
      while (lo < pts.size() && pts[lo].t < begin) ++lo;
      if (hi < lo) hi = lo;
      while (hi < pts.size() && pts[hi].t <= end) ++hi;
      if (hi == lo) continue;
      std::optional<double> v = f(Window(pts.data() + lo, hi - lo), k, ts, begin, end);
      if (!v) continue;
      if (os.points.empty()) os.points.reserve(steps - k);
      os.points.push_back({ts, *v});
    }
    if (os.points.empty()) continue;
    PERISCOPE_RETURN_IF_ERROR(ev.takeSamples(os.points.size()));
    os.labels = keep_name ? s.labels : withoutName(s.labels);
    out.push_back(std::move(os));
  }
  return checkUniqueLabels(out);
}

}  // namespace

Result<Value> Evaluator::evalRangeFunction(const Call& call, size_t range_arg) {
  auto in = evalRange(call.args[range_arg]);
  if (!in.isOk()) return in.status();
  if (call.func->name == "predict_linear" && in->at_ms) in->at_drift_from = grid_.start;
  std::vector<std::vector<double>> scalars(call.args.size());
  for (size_t i = 0; i < call.args.size(); ++i) {
    if (i == range_arg) continue;
    auto s = evalScalarArg(call.args[i]);
    if (!s.isOk()) return s.status();
    scalars[i] = std::move(*s);
  }

  Value out;
  out.type = ValueType::kVector;
  Matrix& m = out.matrix;
  const std::string_view name = call.func->name;
  auto run = [&](bool keep_name, auto&& f) {
    return forEachWindow(*this, *in, keep_name, m, f, [](const EvalSeries&) {});
  };
  auto simple = [&](double (*fn)(Window)) {
    return run(false, [fn](Window w, size_t, int64_t, int64_t, int64_t) -> std::optional<double> {
      return fn(w);
    });
  };

  Status st;
  if (name == "rate" || name == "increase" || name == "delta") {
    bool counter = name != "delta", per_second = name == "rate";
    // Counter resets before each sample, so windows without any skip the reset scan.
    std::vector<uint32_t> resets;
    const Point* base = nullptr;
    st = forEachWindow(
        *this, *in, false, m,
        [&](Window w, size_t, int64_t, int64_t begin, int64_t end) {
          size_t lo = static_cast<size_t>(w.data() - base), hi = lo + w.size() - 1;
          bool has_resets = resets[hi] != resets[lo];
          return extrapolatedRate(w, begin, end, counter, per_second, has_resets);
        },
        [&](const EvalSeries& s) {
          base = s.points.data();
          resets.resize(s.points.size());
          uint32_t n = 0;
          for (size_t i = 0; i < s.points.size(); ++i) {
            if (i > 0 && s.points[i].v < s.points[i - 1].v) ++n;
            resets[i] = n;
          }
        });
  } else if (name == "irate" || name == "idelta") {
    bool is_rate = name == "irate";
    st = run(false,
             [&](Window w, size_t, int64_t, int64_t, int64_t) { return instantValue(w, is_rate); });
  } else if (name == "deriv") {
    st = run(false, [](Window w, size_t, int64_t, int64_t, int64_t) -> std::optional<double> {
      if (w.size() < 2) return std::nullopt;
      return linearRegression(w, w[0].t).slope;
    });
  } else if (name == "predict_linear") {
    const std::vector<double>& duration = scalars[1];
    st = run(false, [&](Window w, size_t k, int64_t ts, int64_t, int64_t) -> std::optional<double> {
      if (w.size() < 2) return std::nullopt;
      Regression r = linearRegression(w, ts);
      return r.slope * duration[k] + r.intercept;
    });
  } else if (name == "holt_winters") {
    const std::vector<double>& sf = scalars[1];
    const std::vector<double>& tf = scalars[2];
    Status bad;
    st = run(false, [&](Window w, size_t k, int64_t, int64_t, int64_t) -> std::optional<double> {
      if (!(sf[k] > 0 && sf[k] < 1)) {
        if (bad.isOk())
          bad = executionError("invalid smoothing factor. Expected: 0 < sf < 1, got: " +
                               formatFixed6(sf[k]));
        return std::nullopt;
      }
      if (!(tf[k] > 0 && tf[k] < 1)) {
        if (bad.isOk())
          bad = executionError("invalid trend factor. Expected: 0 < tf < 1, got: " +
                               formatFixed6(tf[k]));
        return std::nullopt;
      }
      if (w.size() < 2) return std::nullopt;
      return holtWinters(w, sf[k], tf[k]);
    });
    if (!bad.isOk()) return bad;
  } else if (name == "changes") {
    st = simple(changesOverTime);
  } else if (name == "resets") {
    st = simple(resetsOverTime);
  } else if (name == "sum_over_time") {
    st = simple(sumOverTime);
  } else if (name == "avg_over_time") {
    st = simple(avgOverTime);
  } else if (name == "min_over_time") {
    st = simple(minOverTime);
  } else if (name == "max_over_time") {
    st = simple(maxOverTime);
  } else if (name == "count_over_time") {
    st = simple([](Window w) { return static_cast<double>(w.size()); });
  } else if (name == "present_over_time") {
    st = simple([](Window) { return 1.0; });
  } else if (name == "stdvar_over_time") {
    st = simple(stdvarOverTime);
  } else if (name == "stddev_over_time") {
    st = simple([](Window w) { return std::sqrt(stdvarOverTime(w)); });
  } else if (name == "last_over_time") {
    st = run(true, [](Window w, size_t, int64_t, int64_t, int64_t) -> std::optional<double> {
      return w.back().v;
    });
  } else if (name == "quantile_over_time") {
    const std::vector<double>& q = scalars[0];
    std::vector<double> scratch;
    st = run(false, [&](Window w, size_t k, int64_t, int64_t, int64_t) -> std::optional<double> {
      scratch.clear();
      for (const Point& p : w) scratch.push_back(p.v);
      return quantileOf(q[k], scratch);
    });
  } else if (name == "absent_over_time") {
    // One output series (labels from the selector's equality matchers) at the steps where
    // no series has a sample in its window.
    std::vector<bool> present(grid_.size(), false);
    st = run(false, [&](Window, size_t k, int64_t, int64_t, int64_t) -> std::optional<double> {
      present[k] = true;
      return std::nullopt;
    });
    if (!st.isOk()) return st;
    EvalSeries absent;
    for (size_t k = 0; k < present.size(); ++k) {
      if (!present[k]) absent.points.push_back({grid_.at(k), 1});
    }
    if (!absent.points.empty()) {
      absent.labels = labelsForAbsent(in->selector);
      m.push_back(std::move(absent));
    }
  } else {
    return internalError("unsupported range-vector function " + std::string(name));
  }
  if (!st.isOk()) return st;
  size_t loaded = 0;
  for (const EvalSeries& s : in->series) loaded += s.points.size();
  releaseSamples(loaded);
  return out;
}

}  // namespace periscope::query::promql
