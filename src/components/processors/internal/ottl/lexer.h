// OTTL lexer: turns one statement or condition into tokens that remember their byte offset, so
// every later error can name the column inside the statement.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace periscope::ottl {

enum class TokenKind : uint8_t {
  kEnd,
  kIdent,   // paths, function names, enums, keywords (and, or, not, where, true, false, nil)
  kString,  // "..." (text holds the unescaped value)
  kInt,
  kFloat,
  kBytes,  // 0x0a1b (text holds the raw bytes)
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kComma,
  kDot,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kPlus,
  kMinus,
  kStar,
  kSlash,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;   // identifier, unescaped string, raw bytes, or the number as written
  size_t offset = 0;  // byte offset in the statement
};

// How a token is shown in messages: `")"`, `"foo"`, `end of statement`.
std::string describe(const Token& t);

// An error located in the statement: "column <offset+1>: <message>" once formatted.
struct SyntaxError {
  size_t offset = 0;
  std::string message;
  std::string toString() const { return "column " + std::to_string(offset + 1) + ": " + message; }
};

// Tokenizes `text`; the last token is kEnd. On failure returns false and fills `error`.
bool tokenize(std::string_view text, std::vector<Token>& out, SyntaxError& error);

}  // namespace periscope::ottl
