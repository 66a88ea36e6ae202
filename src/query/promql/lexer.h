// PromQL lexer: the whole query to tokens, before parsing. It follows the states of
// Prometheus 2.42's lexer exactly, because its quirks are visible to users through error
// messages and positions: `{…}` lexes label matchers (keywords are plain identifiers there),
// `[` starts a duration, `:` (or any letter) inside brackets is the subquery colon, and
// unbalanced parentheses are reported at the end of the input before any parse error there.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace periscope::query::promql {

// Duration units, largest first, in the order a duration must use them (`1h30m`, not `30m1h`).
struct DurationUnit {
  std::string_view unit;
  int64_t ms;
};
inline constexpr DurationUnit kDurationUnits[] = {{"y", 365LL * 24 * 3600 * 1000},
                                                  {"w", 7LL * 24 * 3600 * 1000},
                                                  {"d", 24LL * 3600 * 1000},
                                                  {"h", 3600LL * 1000},
                                                  {"m", 60LL * 1000},
                                                  {"s", 1000},
                                                  {"ms", 1}};

enum class TokenKind : uint8_t {
  kEof,
  kError,  // a lexing error; message in Token::value; always the last token
  kIdentifier,
  kMetricIdentifier,  // an identifier with a colon: a metric name, never a label or function
  kKeyword,           // see Keyword
  kNumber,            // as written, also Inf and NaN in any case; converted by the parser
  kDuration,          // as written (5m, 1h30m, 1.5m); validated by the parser
  kString,
  kLeftParen,
  kRightParen,
  kLeftBrace,
  kRightBrace,
  kLeftBracket,
  kRightBracket,
  kComma,
  kColon,  // inside brackets; Prometheus lexes any letter there as a colon too
  kAt,
  kAssign,    // =
  kEqlRegex,  // =~
  kNeqRegex,  // !~
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kPow,
  kEql,  // ==
  kNeq,  // !=
  kLte,
  kLss,
  kGte,
  kGtr,
};

// Words with a meaning outside braces (any case). Inside braces they are identifiers.
enum class Keyword : uint8_t {
  kNone,
  // Operators.
  kAnd,
  kOr,
  kUnless,
  kAtan2,
  // Aggregators.
  kSum,
  kAvg,
  kCount,
  kMin,
  kMax,
  kGroup,
  kStddev,
  kStdvar,
  kTopk,
  kBottomk,
  kCountValues,
  kQuantile,
  // Modifiers.
  kOffset,
  kBy,
  kWithout,
  kOn,
  kIgnoring,
  kGroupLeft,
  kGroupRight,
  kBool,
  // @ preprocessors.
  kStart,
  kEnd,
};

bool isAggregatorKeyword(Keyword k);

struct Token {
  TokenKind kind = TokenKind::kEof;
  Keyword keyword = Keyword::kNone;  // kKeyword
  uint32_t pos = 0;                  // byte offset in the query
  std::string_view text;             // as written
  std::string value;                 // kString: unescaped; kError: the message
  uint32_t end() const { return pos + static_cast<uint32_t>(text.size()); }
};

// Ends with kEof, or with kError where Prometheus's lexer stops.
std::vector<Token> lex(std::string_view query);

// How "unexpected …" errors name a token, as Prometheus does: `"]"`, `identifier "foo"`,
// `<by>`, `<op:+>`, `<aggr:sum>`, `end of input`.
std::string describeToken(const Token& token);

// Go's %q of one character (a rune), e.g. 'x', '\x00', '\u00a0', and '�' for invalid UTF-8.
std::string quoteRune(int32_t rune);

}  // namespace periscope::query::promql
