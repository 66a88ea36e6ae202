#include "query/promql/lexer.h"

#include <algorithm>
#include <charconv>
#include <limits>

#include "query/promql/quoting.h"

namespace periscope::query::promql {
namespace {

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isAlnum(char c) {
  return isAlpha(c) || isDigit(c);
}
bool isHex(char c) {
  return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int hexValue(char c) {
  if (isDigit(c)) return c - '0';
  return (c | 0x20) - 'a' + 10;
}

bool equalsLower(std::string_view word, std::string_view lower) {
  if (word.size() != lower.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

// A character for a message: 'x', or '\xNN' when it is not printable ASCII.
std::string charText(char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  uint8_t b = static_cast<uint8_t>(c);
  if (b >= 0x20 && b < 0x7F) return std::string("'") + c + "'";
  return std::string("'\\x") + kHex[b >> 4] + kHex[b & 0xF] + "'";
}

// Durations are integers with units from largest to smallest, each unit at most once:
// [0-9]+y, w, d, h, m, s, ms (Prometheus's model.ParseDuration).
bool parseDuration(std::string_view text, int64_t& ms) {
  const auto& kUnits = kDurationUnits;
  size_t i = 0;
  size_t next_unit = 0;
  int64_t total = 0;
  while (i < text.size()) {
    size_t digits = i;
    while (i < text.size() && isDigit(text[i])) ++i;
    if (i == digits) return false;
    std::string_view number = text.substr(digits, i - digits);
    size_t u = i;
    while (i < text.size() && !isDigit(text[i])) ++i;
    std::string_view unit = text.substr(u, i - u);
    while (next_unit < std::size(kUnits) && kUnits[next_unit].unit != unit) ++next_unit;
    if (next_unit == std::size(kUnits)) return false;
    int64_t n = 0;
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
    if (ec != std::errc() || n > std::numeric_limits<int64_t>::max() / kUnits[next_unit].ms)
      return false;
    n *= kUnits[next_unit].ms;
    if (total > std::numeric_limits<int64_t>::max() - n) return false;
    total += n;
    ++next_unit;
  }
  ms = total;
  return !text.empty();
}

// Prometheus parses integers like Go's ParseInt(s, 0, 64) (so 0x1f is hex, 017 octal) and
// everything else as a float.
bool parseNumber(std::string_view text, double& value) {
  const char* first = text.data();
  const char* last = first + text.size();
  if (text.size() > 2 && text[0] == '0' && (text[1] | 0x20) == 'x') {
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(first + 2, last, n, 16);
    if (ec != std::errc() || end != last || n > uint64_t{std::numeric_limits<int64_t>::max()})
      return false;
    value = static_cast<double>(n);
    return true;
  }
  bool octal = text.size() > 1 && text[0] == '0';
  for (char c : text) octal = octal && c >= '0' && c <= '7';
  if (octal) {
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(first + 1, last, n, 8);
    if (ec == std::errc() && n <= uint64_t{std::numeric_limits<int64_t>::max()}) {
      value = static_cast<double>(n);
      return true;
    }
  }
  auto [end, ec] = std::from_chars(first, last, value, std::chars_format::general);
  return ec == std::errc() && end == last;
}

class Lexer {
 public:
  explicit Lexer(std::string_view q) : q_(q) {}

  std::vector<Token> run() {
    while (true) {
      skipSpace();
      if (pos_ >= q_.size()) {
        if (brace_open_) {
          failed(pos_, "unexpected end of input inside braces");
        } else if (bracket_open_) {
          failed(pos_, "unclosed left bracket");
        } else {
          emit(TokenKind::kEof, pos_, pos_);
        }
        return std::move(tokens_);
      }
      bool ok = brace_open_ ? lexInsideBraces() : bracket_open_ ? lexInsideBrackets() : lexNormal();
      if (!ok) return std::move(tokens_);
    }
  }

 private:
  void skipSpace() {
    while (pos_ < q_.size()) {
      char c = q_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++pos_;
      } else if (c == '#' && !brace_open_ && !bracket_open_) {
        while (pos_ < q_.size() && q_[pos_] != '\n') ++pos_;  // comment to end of line
      } else {
        break;
      }
    }
  }

  char peek(size_t ahead = 0) const { return pos_ + ahead < q_.size() ? q_[pos_ + ahead] : '\0'; }

  Token& emit(TokenKind kind, size_t start, size_t end) {
    Token& t = tokens_.emplace_back();
    t.kind = kind;
    t.pos = static_cast<uint32_t>(start);
    t.text = q_.substr(start, end - start);
    pos_ = end;
    return t;
  }

  // Ends the token list with an error token; returns false so callers can `return failed(…)`.
  bool failed(size_t at, std::string message) {
    emit(TokenKind::kError, at, at).value = std::move(message);
    return false;
  }

  // Operators and punctuation shared by the modes; false when c is none of them.
  bool lexOperator(bool& ok) {
    size_t s = pos_;
    char c = peek();
    char n = peek(1);
    ok = true;
    switch (c) {
      case '=':
        if (n == '=') return emit(TokenKind::kEql, s, s + 2), true;
        if (n == '~') return emit(TokenKind::kEqlRegex, s, s + 2), true;
        return emit(TokenKind::kAssign, s, s + 1), true;
      case '!':
        if (n == '=') return emit(TokenKind::kNeq, s, s + 2), true;
        if (n == '~') return emit(TokenKind::kNeqRegex, s, s + 2), true;
        ok = failed(s, "unexpected character after '!': " +
                           (n == '\0' ? std::string("end of input") : charText(n)));
        return true;
      case ',':
        return emit(TokenKind::kComma, s, s + 1), true;
      default:
        return false;
    }
  }

  bool lexNormal() {
    size_t s = pos_;
    char c = peek();
    char n = peek(1);
    bool ok;
    if (lexOperator(ok)) return ok;
    switch (c) {
      case '(':
        return emit(TokenKind::kLeftParen, s, s + 1), true;
      case ')':
        return emit(TokenKind::kRightParen, s, s + 1), true;
      case '{':
        brace_open_ = true;
        return emit(TokenKind::kLeftBrace, s, s + 1), true;
      case '}':
        return emit(TokenKind::kRightBrace, s, s + 1), true;
      case '[':
        bracket_open_ = true;
        return emit(TokenKind::kLeftBracket, s, s + 1), true;
      case ']':
        return emit(TokenKind::kRightBracket, s, s + 1), true;
      case '@':
        return emit(TokenKind::kAt, s, s + 1), true;
      case '+':
        return emit(TokenKind::kAdd, s, s + 1), true;
      case '-':
        return emit(TokenKind::kSub, s, s + 1), true;
      case '*':
        return emit(TokenKind::kMul, s, s + 1), true;
      case '/':
        return emit(TokenKind::kDiv, s, s + 1), true;
      case '%':
        return emit(TokenKind::kMod, s, s + 1), true;
      case '^':
        return emit(TokenKind::kPow, s, s + 1), true;
      case '<':
        if (n == '=') return emit(TokenKind::kLte, s, s + 2), true;
        return emit(TokenKind::kLss, s, s + 1), true;
      case '>':
        if (n == '=') return emit(TokenKind::kGte, s, s + 2), true;
        return emit(TokenKind::kGtr, s, s + 1), true;
      case '"':
      case '\'':
      case '`':
        return lexString();
      default:
        break;
    }
    if (isDigit(c) || (c == '.' && isDigit(n))) return lexNumberOrDuration();
    if (isAlpha(c) || c == ':') {
      size_t e = s;
      while (e < q_.size() && (isAlnum(q_[e]) || q_[e] == ':')) ++e;
      std::string_view word = q_.substr(s, e - s);
      if (equalsLower(word, "inf") || equalsLower(word, "nan")) {
        Token& t = emit(TokenKind::kNumber, s, e);
        t.number = (word[0] | 0x20) == 'i' ? std::numeric_limits<double>::infinity()
                                           : std::numeric_limits<double>::quiet_NaN();
        return true;
      }
      emit(TokenKind::kIdentifier, s, e);
      return true;
    }
    return failed(s, "unexpected character: " + charText(c));
  }

  bool lexInsideBraces() {
    size_t s = pos_;
    char c = peek();
    bool ok;
    if (lexOperator(ok)) return ok;
    if (c == '}') {
      brace_open_ = false;
      return emit(TokenKind::kRightBrace, s, s + 1), true;
    }
    if (c == '"' || c == '\'' || c == '`') return lexString();
    if (isAlpha(c)) {
      size_t e = s;
      while (e < q_.size() && isAlnum(q_[e])) ++e;
      emit(TokenKind::kIdentifier, s, e);
      return true;
    }
    return failed(s, "unexpected character inside braces: " + charText(c));
  }

  bool lexInsideBrackets() {
    size_t s = pos_;
    char c = peek();
    if (c == ']') {
      bracket_open_ = false;
      return emit(TokenKind::kRightBracket, s, s + 1), true;
    }
    if (c == ':') return emit(TokenKind::kColon, s, s + 1), true;
    if (isDigit(c) || (c == '.' && isDigit(peek(1)))) return lexNumberOrDuration();
    return failed(s, "unexpected character inside brackets: " + charText(c));
  }

  bool lexNumberOrDuration() {
    size_t s = pos_;
    size_t e = s;
    auto run = [&](bool hex) {
      while (e < q_.size() && (hex ? isHex(q_[e]) : isDigit(q_[e]))) ++e;
    };
    bool hex = q_[e] == '0' && e + 1 < q_.size() && (q_[e + 1] | 0x20) == 'x';
    if (hex) e += 2;
    run(hex);
    if (e < q_.size() && q_[e] == '.') ++e, run(hex);
    if (!hex && e < q_.size() && (q_[e] | 0x20) == 'e') {
      ++e;
      if (e < q_.size() && (q_[e] == '+' || q_[e] == '-')) ++e;
      run(false);
    }
    if (e < q_.size() && isAlnum(q_[e])) {
      // Not a number on its own: a duration, or nothing valid.
      while (e < q_.size() && (isAlnum(q_[e]) || q_[e] == '.')) ++e;
      std::string_view text = q_.substr(s, e - s);
      bool shaped = true;  // digits and unit letters only
      for (char ch : text)
        shaped = shaped &&
                 (isDigit(ch) || std::string_view("smhdwy").find(ch) != std::string_view::npos);
      if (!shaped || !isDigit(text[0]))
        return failed(s, "bad number or duration syntax: \"" + std::string(text) + "\"");
      int64_t ms = 0;
      if (!parseDuration(text, ms))
        return failed(s, "not a valid duration string: \"" + std::string(text) + "\"");
      if (ms == 0) return failed(s, "duration must be greater than 0");
      emit(TokenKind::kDuration, s, e).duration_ms = ms;
      return true;
    }
    std::string_view text = q_.substr(s, e - s);
    double value = 0;
    if (!parseNumber(text, value))
      return failed(s, "bad number syntax: \"" + std::string(text) + "\"");
    emit(TokenKind::kNumber, s, e).number = value;
    return true;
  }

  bool lexString() {
    size_t s = pos_;
    char q = q_[s];
    size_t i = s + 1;
    std::string value;
    if (q == '`') {  // raw: no escapes, newlines allowed
      size_t close = q_.find('`', i);
      if (close == std::string_view::npos) return failed(s, "unterminated raw string");
      value.assign(q_.substr(i, close - i));
      size_t k = 0;
      uint32_t cp;
      while (k < value.size())
        if (!decodeUtf8(value, k, cp)) return failed(i + k, "invalid UTF-8 in string");
      emit(TokenKind::kString, s, close + 1).value = std::move(value);
      return true;
    }
    while (true) {
      if (i >= q_.size() || q_[i] == '\n') return failed(s, "unterminated quoted string");
      char c = q_[i];
      if (c == q) break;
      if (c != '\\') {
        size_t start = i;
        uint32_t cp;
        if (!decodeUtf8(q_, i, cp)) return failed(i, "invalid UTF-8 in string");
        value.append(q_.substr(start, i - start));
        continue;
      }
      if (!lexEscape(q, i, value)) return false;
    }
    emit(TokenKind::kString, s, i + 1).value = std::move(value);
    return true;
  }

  // Go's escapes: \a \b \f \n \r \t \v \\, the enclosing quote, \ooo, \xhh, \uhhhh,
  // \Uhhhhhhhh. i is at the backslash; advanced past the sequence.
  bool lexEscape(char quote_char, size_t& i, std::string& value) {
    size_t at = i;
    if (i + 1 >= q_.size()) return failed(at, "unterminated quoted string");
    char e = q_[i + 1];
    i += 2;
    auto bad = [&] {
      return failed(at, "unknown escape sequence \"\\" + std::string(1, e) + "\"");
    };
    switch (e) {
      case 'a':
        value += '\a';
        return true;
      case 'b':
        value += '\b';
        return true;
      case 'f':
        value += '\f';
        return true;
      case 'n':
        value += '\n';
        return true;
      case 'r':
        value += '\r';
        return true;
      case 't':
        value += '\t';
        return true;
      case 'v':
        value += '\v';
        return true;
      case '\\':
        value += '\\';
        return true;
      case '"':
      case '\'':
        if (e != quote_char) return bad();
        value += e;
        return true;
      case 'x':
      case 'u':
      case 'U': {
        size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        uint32_t cp = 0;
        for (size_t k = 0; k < n; ++k, ++i) {
          if (i >= q_.size() || !isHex(q_[i]))
            return failed(at, "invalid escape sequence \"" +
                                  std::string(q_.substr(at, std::min(i + 1, q_.size()) - at)) +
                                  "\"");
          cp = cp * 16 + static_cast<uint32_t>(hexValue(q_[i]));
        }
        if (e == 'x') {
          value += static_cast<char>(cp);  // a byte, not a code point
        } else if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
          return failed(at, "invalid Unicode code point in escape sequence \"" +
                                std::string(q_.substr(at, i - at)) + "\"");
        } else {
          appendUtf8(value, cp);
        }
        return true;
      }
      default:
        if (e >= '0' && e <= '7') {
          uint32_t b = static_cast<uint32_t>(e - '0');
          for (int k = 0; k < 2; ++k, ++i) {
            if (i >= q_.size() || q_[i] < '0' || q_[i] > '7')
              return failed(at, "invalid escape sequence \"" +
                                    std::string(q_.substr(at, std::min(i + 1, q_.size()) - at)) +
                                    "\"");
            b = b * 8 + static_cast<uint32_t>(q_[i] - '0');
          }
          if (b > 255)
            return failed(at,
                          "invalid escape sequence \"" + std::string(q_.substr(at, i - at)) + "\"");
          value += static_cast<char>(b);
          return true;
        }
        return bad();
    }
  }

  std::string_view q_;
  size_t pos_ = 0;
  bool brace_open_ = false;
  bool bracket_open_ = false;
  std::vector<Token> tokens_;
};

}  // namespace

std::vector<Token> lex(std::string_view query) {
  return Lexer(query).run();
}

std::string describeToken(const Token& token) {
  auto quoted = [&] { return quote(token.text); };
  switch (token.kind) {
    case TokenKind::kEof:
      return "end of input";
    case TokenKind::kError:
      return "error";
    case TokenKind::kIdentifier:
      return "identifier " + quoted();
    case TokenKind::kNumber:
      return "number " + quoted();
    case TokenKind::kDuration:
      return "duration " + quoted();
    case TokenKind::kString:
      return "string " + quoted();
    default:
      return quoted();
  }
}

}  // namespace periscope::query::promql
