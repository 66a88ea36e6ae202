// Binary operators between scalars, and between a vector and a scalar; vector-vector
// matching lives in vector_matching.cc.
#include "query/promql/binary_ops.h"

#include <cmath>

#include "query/promql/evaluator.h"
#include "query/promql/label_ops.h"

namespace periscope::query::promql {

BinopResult elementBinop(BinaryOp op, double lhs, double rhs) {
  switch (op) {
    case BinaryOp::kAdd:
      return {lhs + rhs, true};
    case BinaryOp::kSub:
      return {lhs - rhs, true};
    case BinaryOp::kMul:
      return {lhs * rhs, true};
    case BinaryOp::kDiv:
      return {lhs / rhs, true};
    case BinaryOp::kPow:
      return {std::pow(lhs, rhs), true};
    case BinaryOp::kMod:
      return {std::fmod(lhs, rhs), true};
    case BinaryOp::kAtan2:
      return {std::atan2(lhs, rhs), true};
    case BinaryOp::kEql:
      return {lhs, lhs == rhs};
    case BinaryOp::kNeq:
      return {lhs, lhs != rhs};
    case BinaryOp::kGtr:
      return {lhs, lhs > rhs};
    case BinaryOp::kLss:
      return {lhs, lhs < rhs};
    case BinaryOp::kGte:
      return {lhs, lhs >= rhs};
    case BinaryOp::kLte:
      return {lhs, lhs <= rhs};
    case BinaryOp::kAnd:
    case BinaryOp::kOr:
    case BinaryOp::kUnless:
      break;
  }
  return {0, false};
}

Result<Value> Evaluator::evalBinary(const Binary& bin) {
  auto lhs = eval(bin.lhs);
  if (!lhs.isOk()) return lhs;
  auto rhs = eval(bin.rhs);
  if (!rhs.isOk()) return rhs;
  const bool lscalar = lhs->type == ValueType::kScalar;
  const bool rscalar = rhs->type == ValueType::kScalar;

  if (lscalar && rscalar) {
    for (size_t k = 0; k < lhs->scalar.size(); ++k) {
      BinopResult r = elementBinop(bin.op, lhs->scalar[k], rhs->scalar[k]);
      lhs->scalar[k] = isComparison(bin.op) ? (r.keep ? 1 : 0) : r.value;
    }
    return lhs;
  }
  if (!lscalar && !rscalar) {
    if (isSetOperator(bin.op))
      return evalSetOperator(bin, std::move(lhs->matrix), std::move(rhs->matrix));
    return evalVectorVector(bin, std::move(lhs->matrix), std::move(rhs->matrix));
  }

  // Vector and scalar: the vector's series keep their identity, point by point.
  const bool swap = lscalar;
  Value& vec = swap ? *rhs : *lhs;
  const std::vector<double>& scalar = swap ? lhs->scalar : rhs->scalar;
  const bool drop_name = dropsMetricName(bin.op) || bin.return_bool;
  for (EvalSeries& s : vec.matrix) {
    if (drop_name) s.labels = withoutName(s.labels);
    size_t kept = 0;
    for (const Point& p : s.points) {
      double sv = scalar[grid_.indexOf(p.t)];
      BinopResult r = swap ? elementBinop(bin.op, sv, p.v) : elementBinop(bin.op, p.v, sv);
      // A comparison filters by the vector's value whichever side it is on.
      if (isComparison(bin.op) && swap) r.value = p.v;
      if (bin.return_bool) {
        r.value = r.keep ? 1 : 0;
        r.keep = true;
      }
      if (r.keep) s.points[kept++] = {p.t, r.value};
    }
    releaseSamples(s.points.size() - kept);
    s.points.resize(kept);
  }
  std::erase_if(vec.matrix, [](const EvalSeries& s) { return s.points.empty(); });
  PERISCOPE_RETURN_IF_ERROR(mergeSameLabels(vec.matrix));
  return std::move(vec);
}

}  // namespace periscope::query::promql
