// PromQL parser: query text → type-checked AST (ast.h). No evaluation here.
// Hand-written: a lexer (lexer.h) and a precedence-climbing parser that follows the grammar,
// the type rules and the error reporting of Prometheus 2.42
// (https://prometheus.io/docs/prometheus/latest/querying/).
#pragma once

#include <string_view>

#include "common/status.h"
#include "query/promql/ast.h"

namespace periscope::query::promql {

// Parse errors are INVALID_ARGUMENT with the message
//   <line>:<column>: parse error: <what>
// where line and column are 1-based (column in bytes), worded and placed as Prometheus
// 2.42's (README.md, "Parse errors"), e.g.
//   1:9: parse error: unexpected end of input in offset, expected duration
Result<Expr> parse(std::string_view query);

}  // namespace periscope::query::promql
