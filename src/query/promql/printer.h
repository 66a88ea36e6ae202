// Canonical text of a PromQL AST: one space around binary operators, `by (…)` before the
// arguments, durations in largest units, strings double-quoted. Parsing the printed text
// gives back the same tree, so print → parse → print is stable.
#pragma once

#include <cstdint>
#include <string>

#include "query/promql/ast.h"

namespace periscope::query::promql {

std::string toString(const Expr& expr);
std::string toString(const Expr& expr, NodeId node);

// 1h30m, 1d, 1w, 500ms (Prometheus's model.Duration spelling).
std::string formatDuration(int64_t ms);
// Shortest text that reads back as the same double: 1, 0.5, 1e+100, Inf, -Inf, NaN.
std::string formatNumber(double value);

}  // namespace periscope::query::promql
