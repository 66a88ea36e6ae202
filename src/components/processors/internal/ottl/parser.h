// OTTL parser: tokens → AST (ast.h) for the two forms the processors take:
//   statement:  editor(args...) [where <boolean expression>]      (transform)
//   condition:  <boolean expression>                               (filter, transform `conditions`)
// Precedence, loosest first: or, and, not, comparison (== != < <= > >=, not chained),
// + -, * /, unary -, primary (literal, path, call, enum, list, parentheses).
#pragma once

#include <string_view>

#include "components/processors/internal/ottl/ast.h"
#include "components/processors/internal/ottl/lexer.h"

namespace periscope::ottl {

bool parseStatement(std::string_view text, ParsedStatement& out, SyntaxError& error);
bool parseCondition(std::string_view text, ParsedStatement& out, SyntaxError& error);

}  // namespace periscope::ottl
