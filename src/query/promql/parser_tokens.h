// Internal to the PromQL parser: token classification (operators, keywords, what may start an
// expression) and Go-compatible parsing of number and duration literals, as Prometheus's
// lexer and parser do them. Split from parser.cc to keep that file about the grammar.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "query/promql/ast.h"
#include "query/promql/lexer.h"

namespace periscope::query::promql {

// Binding power, loosest first; `^` is the only right-associative one.
int precedence(BinaryOp op);
// The binding power of `^`, which a unary operator's operand is parsed at (`-2 ^ 2` = -(2 ^ 2)).
inline constexpr int kPowPrecedence = 6;

bool isKeyword(const Token& t, Keyword k);

std::optional<BinaryOp> binaryOpOf(const Token& t);

AggregateOp aggregateOpOf(Keyword k);

// Keywords that Prometheus's grammar accepts as metric names (metric_identifier).
bool isMetricNameKeyword(Keyword k);

// Tokens that can begin an expression (FIRST(expr) in Prometheus's grammar).
bool startsExpression(const Token& t);

// Go's strconv.ParseInt(s, 0, 64) for what the lexer calls a number (no sign, no `_`).
bool parseGoInt(std::string_view s, int64_t& out);

// Prometheus's number(): an integer (hex, octal, decimal) or else a float as Go's
// strconv.ParseFloat reads it; on failure the error text of ParseFloat.
std::optional<std::string> parseNumber(std::string_view text, double& value);

// model.ParseDuration plus Prometheus's "greater than 0": units y w d h m s ms, largest
// first, each at most once; the total in nanoseconds must fit an int64 as in Go.
std::optional<std::string> parseDuration(std::string_view text, int64_t& ms);

// Go's %f.
std::string formatFixed(double v);

}  // namespace periscope::query::promql
