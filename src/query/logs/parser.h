// Log query parser: query text → AST (ast.h). No evaluation here.
// Hand-written, like the PromQL parser: a small lexer and a recursive-descent parser over
// the grammar in README.md.
#pragma once

#include <string_view>

#include "common/status.h"
#include "query/logs/ast.h"

namespace periscope::query::logs {

// Parse errors are INVALID_ARGUMENT with the message
//   <line>:<column>: parse error: <what>
// line and column 1-based (column in bytes), e.g.
//   1:12: parse error: unexpected "|", expected a matcher name
Result<Expr> parse(std::string_view query);

}  // namespace periscope::query::logs
