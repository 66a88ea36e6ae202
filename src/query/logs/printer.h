// Canonical text of a log query AST: no spaces inside `{…}` after the commas' single space,
// one space around pipeline operators, strings double-quoted, durations in largest units.
// Parsing the printed text gives back the same tree, so print → parse → print is stable.
#pragma once

#include <string>

#include "query/logs/ast.h"

namespace periscope::query::logs {

std::string toString(const Expr& expr);

}  // namespace periscope::query::logs
