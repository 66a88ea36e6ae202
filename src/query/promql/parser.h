// PromQL parser: query text → type-checked AST (ast.h). No evaluation here.
// Hand-written: a lexer (lexer.h) and a precedence-climbing parser that follows the grammar
// and the type rules of Prometheus 2.x (https://prometheus.io/docs/prometheus/latest/querying/).
#pragma once

#include <string_view>

#include "common/status.h"
#include "query/promql/ast.h"

namespace periscope::query::promql {

// Parse errors are INVALID_ARGUMENT with the message
//   <line>:<column>: parse error: <what>
// where line and column are 1-based (column in bytes), e.g.
//   1:12: parse error: unexpected "]", expected duration
Result<Expr> parse(std::string_view query);

}  // namespace periscope::query::promql
