// Values flowing between the PromQL evaluator's nodes: every node is evaluated once over all
// evaluation steps (Prometheus's rangeEval model), so an instant vector is a matrix whose
// points sit on the step grid, and a scalar is one value per step. Internal to query/promql.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/prometheus/labels.h"
#include "query/promql/ast.h"
#include "query/promql/engine.h"

namespace periscope::query::promql {

using model::prom::Label;
using model::prom::Labels;

struct EvalSeries {
  Labels labels;
  std::vector<Point> points;  // ascending t; for instant vectors, t is a step of the grid
};
using Matrix = std::vector<EvalSeries>;

// The evaluation times of one evaluator: start, start + interval, … ≤ end.
struct StepGrid {
  int64_t start = 0;
  int64_t end = 0;
  int64_t interval = 1;

  size_t size() const { return static_cast<size_t>((end - start) / interval) + 1; }
  int64_t at(size_t i) const { return start + static_cast<int64_t>(i) * interval; }
  size_t indexOf(int64_t t) const { return static_cast<size_t>((t - start) / interval); }
};

struct Value {
  ValueType type = ValueType::kVector;
  Matrix matrix;               // kVector (points on the grid), kMatrix (raw samples)
  std::vector<double> scalar;  // kScalar: one value per step
  std::string str;             // kString
};

// A range-vector argument (`x[5m]` or a subquery): whole series, stale markers removed, and
// how each step's window is placed: [end - range, end] with end = (@ or step) - offset.
struct RangeInput {
  Matrix series;
  int64_t range_ms = 0;
  int64_t offset_ms = 0;
  std::optional<int64_t> at_ms;
  const VectorSelector* selector = nullptr;  // null for a subquery
  // Prometheus 2.42 quirk: functions that are not "step invariant" (predict_linear) see an
  // `@` window that moves with the step, anchored at the evaluator's first step.
  std::optional<int64_t> at_drift_from;

  int64_t windowEnd(int64_t step_t) const {
    if (!at_ms) return step_t - offset_ms;
    return *at_ms - offset_ms + (at_drift_from ? step_t - *at_drift_from : 0);
  }
};

// Walks a vector-typed matrix step by step; call at() with ascending step times. The points
// of an evaluated instant vector sit on the grid, so one forward cursor per series is enough.
class StepCursor {
 public:
  explicit StepCursor(const Matrix& m) : m_(&m), pos_(m.size(), 0) {}

  // The value of series i at step t, or nullptr; advances past it.
  const double* at(size_t i, int64_t t) {
    const std::vector<Point>& p = (*m_)[i].points;
    uint32_t& k = pos_[i];
    while (k < p.size() && p[k].t < t) ++k;
    if (k < p.size() && p[k].t == t) return &p[k++].v;
    return nullptr;
  }
  size_t size() const { return pos_.size(); }

 private:
  const Matrix* m_;
  std::vector<uint32_t> pos_;
};

}  // namespace periscope::query::promql
