// PromQL lexer: the whole query to tokens, before parsing. Like Prometheus's it has three
// modes, because a character means different things in `{…}` (label matchers), `[…]`
// (durations and the subquery colon) and elsewhere (where `:` belongs to metric names).
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
  kNumber,    // also Inf and NaN, any case
  kDuration,  // 5m, 1h30m, 100ms: never a number
  kString,
  kLeftParen,
  kRightParen,
  kLeftBrace,
  kRightBrace,
  kLeftBracket,
  kRightBracket,
  kComma,
  kColon,
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

struct Token {
  TokenKind kind = TokenKind::kEof;
  uint32_t pos = 0;         // byte offset in the query
  std::string_view text;    // as written
  double number = 0;        // kNumber
  int64_t duration_ms = 0;  // kDuration; > 0
  std::string value;        // kString: unescaped; kError: the message
};

// Ends with kEof, or with kError at the first character that cannot start a token.
std::vector<Token> lex(std::string_view query);

// How "unexpected …" errors name a token: `"]"`, `identifier "foo"`, `end of input`.
std::string describeToken(const Token& token);

}  // namespace periscope::query::promql
