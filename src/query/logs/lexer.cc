#include "query/logs/lexer.h"

#include <cstdint>
#include <string>

#include "query/promql/quoting.h"

namespace periscope::query::logs {
namespace {

bool isIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isIdentChar(char c) {
  return isIdentStart(c) || isDigit(c);
}
int hexValue(char c) {
  if (isDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void Lexer::skipSpace() {
  while (pos_ < query_.size() && (query_[pos_] == ' ' || query_[pos_] == '\t' ||
                                  query_[pos_] == '\n' || query_[pos_] == '\r')) {
    ++pos_;
  }
}

const Token& Lexer::peek() {
  if (!peeked_) peeked_ = lexOne();
  return *peeked_;
}

Token Lexer::next() {
  if (peeked_) {
    Token t = std::move(*peeked_);
    peeked_.reset();
    return t;
  }
  return lexOne();
}

std::string_view Lexer::scanDuration(uint32_t& pos) {
  skipSpace();
  pos = pos_;
  while (pos_ < query_.size() && isIdentChar(query_[pos_])) ++pos_;
  return query_.substr(pos, pos_ - pos);
}

Token Lexer::lexOne() {
  skipSpace();
  Token t;
  t.pos = pos_;
  if (pos_ >= query_.size()) return t;
  const uint32_t start = pos_;
  const char c = query_[pos_];
  auto take = [&](TokenKind kind, uint32_t len) {
    pos_ += len;
    t.kind = kind;
    t.text = query_.substr(start, len);
    return t;
  };
  const char n = pos_ + 1 < query_.size() ? query_[pos_ + 1] : '\0';
  switch (c) {
    case '{':
      return take(TokenKind::kLeftBrace, 1);
    case '}':
      return take(TokenKind::kRightBrace, 1);
    case '(':
      return take(TokenKind::kLeftParen, 1);
    case ')':
      return take(TokenKind::kRightParen, 1);
    case '[':
      return take(TokenKind::kLeftBracket, 1);
    case ']':
      return take(TokenKind::kRightBracket, 1);
    case ',':
      return take(TokenKind::kComma, 1);
    case '=':
      return n == '~' ? take(TokenKind::kRegexMatch, 2) : take(TokenKind::kAssign, 1);
    case '>':
      return n == '=' ? take(TokenKind::kGreaterEqual, 2) : take(TokenKind::kGreater, 1);
    case '<':
      return n == '=' ? take(TokenKind::kLessEqual, 2) : take(TokenKind::kLess, 1);
    case '|':
      if (n == '=') return take(TokenKind::kPipeEqual, 2);
      if (n == '~') return take(TokenKind::kPipeRegex, 2);
      return take(TokenKind::kPipe, 1);
    case '!':
      if (n == '=') return take(TokenKind::kNotEqual, 2);
      if (n == '~') return take(TokenKind::kRegexNoMatch, 2);
      break;
    case '"':
    case '`':
      return lexString(start);
    default:
      break;
  }
  if (isIdentStart(c)) {
    uint32_t end = pos_ + 1;
    while (true) {
      while (end < query_.size() && isIdentChar(query_[end])) ++end;
      // A dot continues the name only before another segment: `a.b`, not `a.` or `a.1`.
      if (end + 1 < query_.size() && query_[end] == '.' && isIdentStart(query_[end + 1])) {
        end += 2;
        continue;
      }
      break;
    }
    return take(TokenKind::kIdentifier, end - start);
  }
  if (isDigit(c) || (c == '-' && isDigit(n)) || (c == '.' && isDigit(n))) {
    uint32_t end = pos_ + (c == '-' ? 1 : 0);
    while (end < query_.size() && isDigit(query_[end])) ++end;
    if (end < query_.size() && query_[end] == '.') {
      ++end;
      while (end < query_.size() && isDigit(query_[end])) ++end;
    }
    if (end < query_.size() && (query_[end] == 'e' || query_[end] == 'E')) {
      uint32_t e = end + 1;
      if (e < query_.size() && (query_[e] == '+' || query_[e] == '-')) ++e;
      if (e < query_.size() && isDigit(query_[e])) {
        while (e < query_.size() && isDigit(query_[e])) ++e;
        end = e;
      }
    }
    return take(TokenKind::kNumber, end - start);
  }
  t.kind = TokenKind::kError;
  t.value = "unexpected character " + promql::quote(query_.substr(pos_, 1));
  return t;
}

// Go's string literal rules: "…" with escapes (no newline inside), `…` raw.
Token Lexer::lexString(uint32_t start) {
  Token t;
  t.pos = start;
  const char quote_char = query_[start];
  uint32_t i = start + 1;
  std::string value;
  while (true) {
    if (i >= query_.size() || (quote_char == '"' && query_[i] == '\n')) {
      t.kind = TokenKind::kError;
      t.value = quote_char == '"' ? "unterminated quoted string" : "unterminated raw string";
      return t;
    }
    const char c = query_[i];
    if (c == quote_char) {
      ++i;
      break;
    }
    if (c != '\\' || quote_char == '`') {
      value += c;
      ++i;
      continue;
    }
    const uint32_t escape_pos = i;
    const char e = i + 1 < query_.size() ? query_[i + 1] : '\0';
    i += 2;
    auto bad = [&]() {
      t.kind = TokenKind::kError;
      t.pos = escape_pos;
      t.value = "invalid escape sequence in string";
      return t;
    };
    switch (e) {
      case 'a':
        value += '\a';
        break;
      case 'b':
        value += '\b';
        break;
      case 'f':
        value += '\f';
        break;
      case 'n':
        value += '\n';
        break;
      case 'r':
        value += '\r';
        break;
      case 't':
        value += '\t';
        break;
      case 'v':
        value += '\v';
        break;
      case '\\':
        value += '\\';
        break;
      case '"':
        value += '"';
        break;
      case 'x': {
        if (i + 2 > query_.size() || hexValue(query_[i]) < 0 || hexValue(query_[i + 1]) < 0)
          return bad();
        value += static_cast<char>(hexValue(query_[i]) * 16 + hexValue(query_[i + 1]));
        i += 2;
        break;
      }
      case 'u':
      case 'U': {
        const uint32_t digits = e == 'u' ? 4 : 8;
        if (i + digits > query_.size()) return bad();
        uint32_t cp = 0;
        for (uint32_t k = 0; k < digits; ++k) {
          const int h = hexValue(query_[i + k]);
          if (h < 0) return bad();
          cp = cp * 16 + static_cast<uint32_t>(h);
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return bad();
        promql::appendUtf8(value, cp);
        i += digits;
        break;
      }
      default: {
        if (e < '0' || e > '7') return bad();
        if (i + 2 > query_.size()) return bad();
        uint32_t v = static_cast<uint32_t>(e - '0');
        for (uint32_t k = 0; k < 2; ++k) {
          const char d = query_[i + k];
          if (d < '0' || d > '7') return bad();
          v = v * 8 + static_cast<uint32_t>(d - '0');
        }
        if (v > 255) return bad();
        value += static_cast<char>(v);
        i += 2;
        break;
      }
    }
  }
  pos_ = i;
  t.kind = TokenKind::kString;
  t.text = query_.substr(start, i - start);
  t.value = std::move(value);
  return t;
}

std::string describeToken(const Token& token) {
  switch (token.kind) {
    case TokenKind::kEof:
      return "end of input";
    case TokenKind::kIdentifier:
      return "identifier \"" + std::string(token.text) + "\"";
    case TokenKind::kNumber:
      return "number " + std::string(token.text);
    case TokenKind::kString:
      return "string " + promql::quote(token.value);
    default:
      return "\"" + std::string(token.text) + "\"";
  }
}

}  // namespace periscope::query::logs
