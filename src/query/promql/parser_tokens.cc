#include "query/promql/parser_tokens.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "query/promql/quoting.h"

namespace periscope::query::promql {

// Binding power, loosest first; `^` is the only right-associative one.
int precedence(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr:
      return 1;
    case BinaryOp::kAnd:
    case BinaryOp::kUnless:
      return 2;
    case BinaryOp::kEql:
    case BinaryOp::kNeq:
    case BinaryOp::kLte:
    case BinaryOp::kLss:
    case BinaryOp::kGte:
    case BinaryOp::kGtr:
      return 3;
    case BinaryOp::kAdd:
    case BinaryOp::kSub:
      return 4;
    case BinaryOp::kMul:
    case BinaryOp::kDiv:
    case BinaryOp::kMod:
    case BinaryOp::kAtan2:
      return 5;
    case BinaryOp::kPow:
      return 6;
  }
  return 0;
}

bool isKeyword(const Token& t, Keyword k) {
  return t.kind == TokenKind::kKeyword && t.keyword == k;
}

std::optional<BinaryOp> binaryOpOf(const Token& t) {
  switch (t.kind) {
    case TokenKind::kPow:
      return BinaryOp::kPow;
    case TokenKind::kMul:
      return BinaryOp::kMul;
    case TokenKind::kDiv:
      return BinaryOp::kDiv;
    case TokenKind::kMod:
      return BinaryOp::kMod;
    case TokenKind::kAdd:
      return BinaryOp::kAdd;
    case TokenKind::kSub:
      return BinaryOp::kSub;
    case TokenKind::kEql:
      return BinaryOp::kEql;
    case TokenKind::kNeq:
      return BinaryOp::kNeq;
    case TokenKind::kLte:
      return BinaryOp::kLte;
    case TokenKind::kLss:
      return BinaryOp::kLss;
    case TokenKind::kGte:
      return BinaryOp::kGte;
    case TokenKind::kGtr:
      return BinaryOp::kGtr;
    case TokenKind::kKeyword:
      switch (t.keyword) {
        case Keyword::kAnd:
          return BinaryOp::kAnd;
        case Keyword::kOr:
          return BinaryOp::kOr;
        case Keyword::kUnless:
          return BinaryOp::kUnless;
        case Keyword::kAtan2:
          return BinaryOp::kAtan2;
        default:
          return std::nullopt;
      }
    default:
      return std::nullopt;
  }
}

AggregateOp aggregateOpOf(Keyword k) {
  switch (k) {
    case Keyword::kAvg:
      return AggregateOp::kAvg;
    case Keyword::kCount:
      return AggregateOp::kCount;
    case Keyword::kMin:
      return AggregateOp::kMin;
    case Keyword::kMax:
      return AggregateOp::kMax;
    case Keyword::kGroup:
      return AggregateOp::kGroup;
    case Keyword::kStddev:
      return AggregateOp::kStddev;
    case Keyword::kStdvar:
      return AggregateOp::kStdvar;
    case Keyword::kTopk:
      return AggregateOp::kTopk;
    case Keyword::kBottomk:
      return AggregateOp::kBottomk;
    case Keyword::kCountValues:
      return AggregateOp::kCountValues;
    case Keyword::kQuantile:
      return AggregateOp::kQuantile;
    default:
      return AggregateOp::kSum;
  }
}

// Keywords that Prometheus's grammar accepts as metric names (metric_identifier).
bool isMetricNameKeyword(Keyword k) {
  switch (k) {
    case Keyword::kBy:
    case Keyword::kWithout:
    case Keyword::kAnd:
    case Keyword::kOr:
    case Keyword::kUnless:
    case Keyword::kOffset:
    case Keyword::kStart:
    case Keyword::kEnd:
      return true;
    default:
      return isAggregatorKeyword(k);
  }
}

// Tokens that can begin an expression (FIRST(expr) in Prometheus's grammar).
bool startsExpression(const Token& t) {
  switch (t.kind) {
    case TokenKind::kNumber:
    case TokenKind::kString:
    case TokenKind::kLeftParen:
    case TokenKind::kLeftBrace:
    case TokenKind::kIdentifier:
    case TokenKind::kMetricIdentifier:
    case TokenKind::kAdd:
    case TokenKind::kSub:
      return true;
    case TokenKind::kKeyword:
      return isMetricNameKeyword(t.keyword);
    default:
      return false;
  }
}

// Go's strconv.ParseInt(s, 0, 64) for what the lexer calls a number (no sign, no `_`).
bool parseGoInt(std::string_view s, int64_t& out) {
  int base = 10;
  if (s.size() >= 3 && s[0] == '0' && (s[1] | 0x20) == 'x') {
    base = 16, s.remove_prefix(2);
  } else if (s.size() > 1 && s[0] == '0') {
    base = 8, s.remove_prefix(1);
  }
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

// Prometheus's number(): an integer (hex, octal, decimal) or else a float as Go's
// strconv.ParseFloat reads it; on failure the error text of ParseFloat.
std::optional<std::string> parseNumber(std::string_view text, double& value) {
  int64_t n = 0;
  if (parseGoInt(text, n)) {
    value = static_cast<double>(n);
    return std::nullopt;
  }
  auto invalid = [&](std::string_view why) {
    return "strconv.ParseFloat: parsing " + quote(text) + ": " + std::string(why);
  };
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (lower == "inf") {
    value = std::numeric_limits<double>::infinity();
    return std::nullopt;
  }
  if (lower == "nan") {
    value = std::numeric_limits<double>::quiet_NaN();
    return std::nullopt;
  }
  // Go reads hexadecimal floats only with a p exponent, which the lexer never passes on.
  if (lower.size() >= 2 && lower[0] == '0' && lower[1] == 'x') return invalid("invalid syntax");
  const char* first = text.data();
  const char* last = first + text.size();
  auto [end, ec] = std::from_chars(first, last, value, std::chars_format::general);
  if (end != last || ec == std::errc::invalid_argument) return invalid("invalid syntax");
  if (ec == std::errc::result_out_of_range) {
    value = std::strtod(std::string(text).c_str(), nullptr);  // 0 or subnormal on underflow
    if (std::isinf(value)) return invalid("value out of range");
  }
  return std::nullopt;
}

// model.ParseDuration plus Prometheus's "greater than 0": units y w d h m s ms, largest
// first, each at most once; the total in nanoseconds must fit an int64 as in Go.
std::optional<std::string> parseDuration(std::string_view text, int64_t& ms) {
  size_t i = 0;
  size_t next_unit = 0;
  int64_t total = 0;
  bool overflow = false;
  constexpr int64_t kMaxMs = std::numeric_limits<int64_t>::max() / 1000000;
  while (i < text.size()) {
    size_t digits = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    size_t u = i;
    while (i < text.size() && !(text[i] >= '0' && text[i] <= '9')) ++i;
    std::string_view unit = text.substr(u, i - u);
    while (next_unit < std::size(kDurationUnits) && kDurationUnits[next_unit].unit != unit)
      ++next_unit;
    if (digits == u || next_unit == std::size(kDurationUnits))
      return "not a valid duration string: " + quote(text);
    int64_t n = 0;
    auto [end, ec] = std::from_chars(text.data() + digits, text.data() + u, n);
    int64_t unit_ms = kDurationUnits[next_unit].ms;
    if (ec != std::errc() || n > kMaxMs / unit_ms || total > kMaxMs - n * unit_ms) {
      overflow = true;
    } else {
      total += n * unit_ms;
    }
    ++next_unit;
  }
  if (text.empty()) return "not a valid duration string: " + quote(text);
  if (overflow) return std::string("duration out of range");
  if (total == 0) return std::string("duration must be greater than 0");
  ms = total;
  return std::nullopt;
}

// Go's %f.
std::string formatFixed(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[512];
  std::snprintf(buf, sizeof buf, "%f", v);
  return buf;
}

}  // namespace periscope::query::promql
