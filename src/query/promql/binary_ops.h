// Element-wise semantics of PromQL's binary operators, shared by the scalar, vector-scalar
// and vector-vector cases. Internal to query/promql.
#pragma once

#include "query/promql/ast.h"

namespace periscope::query::promql {

struct BinopResult {
  double value;
  bool keep;  // comparisons: whether the element passes the filter
};

// lhs op rhs, as Prometheus's vectorElemBinop: comparisons return lhs and the outcome.
BinopResult elementBinop(BinaryOp op, double lhs, double rhs);

// Arithmetic operators drop the metric name; comparisons (unless `bool`) and, as in
// Prometheus, atan2 keep it.
inline bool dropsMetricName(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
    case BinaryOp::kSub:
    case BinaryOp::kMul:
    case BinaryOp::kDiv:
    case BinaryOp::kPow:
    case BinaryOp::kMod:
      return true;
    default:
      return false;
  }
}

}  // namespace periscope::query::promql
