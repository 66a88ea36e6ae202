// Log query lexer: tokens on demand, one token of lookahead. Durations are not tokens: the
// parser reads the text inside `[…]` with scanDuration, so `5m` never has to be told apart
// from a number followed by a field name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace periscope::query::logs {

enum class TokenKind : uint8_t {
  kEof,
  kError,       // a lexing error; message in Token::value
  kIdentifier,  // dotted: service.name, body.user.id
  kNumber,      // as written, optionally negative
  kString,      // value unescaped
  kLeftBrace,
  kRightBrace,
  kLeftParen,
  kRightParen,
  kLeftBracket,
  kRightBracket,
  kComma,
  kAssign,        // =
  kNotEqual,      // != (a matcher operator, or the "does not contain" line filter)
  kRegexMatch,    // =~
  kRegexNoMatch,  // !~ (a matcher operator, or the negated regex line filter)
  kGreater,
  kGreaterEqual,
  kLess,
  kLessEqual,
  kPipe,       // |
  kPipeEqual,  // |=
  kPipeRegex,  // |~
};

struct Token {
  TokenKind kind = TokenKind::kEof;
  uint32_t pos = 0;       // byte offset in the query
  std::string_view text;  // as written
  std::string value;      // kString: unescaped; kError: the message
};

class Lexer {
 public:
  explicit Lexer(std::string_view query) : query_(query) {}

  const Token& peek();
  Token next();
  // After `[`: the duration text up to the next non-alphanumeric byte (may be empty), and
  // its offset. Must not be called with a token peeked.
  std::string_view scanDuration(uint32_t& pos);

 private:
  Token lexOne();
  Token lexString(uint32_t start);
  void skipSpace();

  std::string_view query_;
  uint32_t pos_ = 0;
  std::optional<Token> peeked_;
};

// How "unexpected …" errors name a token: `"|"`, `identifier "foo"`, `string "x"`,
// `number 5`, `end of input`.
std::string describeToken(const Token& token);

}  // namespace periscope::query::logs
