#include "query/promql/lexer.h"

#include <array>
#include <cstdio>

#include "query/promql/quoting.h"

namespace periscope::query::promql {
namespace {

constexpr int32_t kEofRune = -1;
constexpr int32_t kRuneError = 0xFFFD;

bool isDigit(int32_t c) {
  return c >= '0' && c <= '9';
}
bool isAlpha(int32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isAlnum(int32_t c) {
  return isAlpha(c) || isDigit(c);
}
bool isSpace(int32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool oneOf(int32_t c, std::string_view set) {
  return c >= 0 && c < 0x80 && set.find(static_cast<char>(c)) != std::string_view::npos;
}
int digitValue(int32_t c) {
  if (isDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 16;  // larger than any digit
}

struct KeywordName {
  std::string_view name;
  Keyword keyword;
};
constexpr KeywordName kKeywords[] = {
    {"and", Keyword::kAnd},
    {"or", Keyword::kOr},
    {"unless", Keyword::kUnless},
    {"atan2", Keyword::kAtan2},
    {"sum", Keyword::kSum},
    {"avg", Keyword::kAvg},
    {"count", Keyword::kCount},
    {"min", Keyword::kMin},
    {"max", Keyword::kMax},
    {"group", Keyword::kGroup},
    {"stddev", Keyword::kStddev},
    {"stdvar", Keyword::kStdvar},
    {"topk", Keyword::kTopk},
    {"bottomk", Keyword::kBottomk},
    {"count_values", Keyword::kCountValues},
    {"quantile", Keyword::kQuantile},
    {"offset", Keyword::kOffset},
    {"by", Keyword::kBy},
    {"without", Keyword::kWithout},
    {"on", Keyword::kOn},
    {"ignoring", Keyword::kIgnoring},
    {"group_left", Keyword::kGroupLeft},
    {"group_right", Keyword::kGroupRight},
    {"bool", Keyword::kBool},
    {"start", Keyword::kStart},
    {"end", Keyword::kEnd},
};

bool equalsLower(std::string_view word, std::string_view lower) {
  if (word.size() != lower.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

// Go's %#U: U+0071 'q' (the character only when printable).
std::string unicodeText(int32_t rune) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(rune));
  std::string out = buf;
  if (rune >= 0 && isPrintable(static_cast<uint32_t>(rune))) {
    out += " '";
    appendUtf8(out, static_cast<uint32_t>(rune));
    out += "'";
  }
  return out;
}

// Prometheus's lexer states as one class; each lex* method scans one token (or skips space
// and comments) and returns false after an error token.
class Lexer {
 public:
  explicit Lexer(std::string_view q) : q_(q) {}

  std::vector<Token> run() {
    while (true) {
      if (!step()) return std::move(tokens_);
      if (!tokens_.empty() && tokens_.back().kind == TokenKind::kEof) return std::move(tokens_);
    }
  }

 private:
  // --- runes ---

  // Decodes the rune at pos_ and advances; invalid UTF-8 is one byte of U+FFFD, as in Go.
  int32_t next() {
    if (pos_ >= q_.size()) {
      width_ = 0;
      return kEofRune;
    }
    size_t i = pos_;
    uint32_t cp;
    if (!decodeUtf8(q_, i, cp)) {
      width_ = 1;
      ++pos_;
      return kRuneError;
    }
    width_ = i - pos_;
    pos_ = i;
    return static_cast<int32_t>(cp);
  }
  void backup() { pos_ -= width_; }
  int32_t peek() {
    int32_t r = next();
    backup();
    return r;
  }
  bool accept(std::string_view set) {
    if (oneOf(next(), set)) return true;
    backup();
    return false;
  }
  void acceptRun(std::string_view set) {
    while (oneOf(next(), set)) {
    }
    backup();
  }

  // --- tokens ---

  Token& emit(TokenKind kind) {
    Token& t = tokens_.emplace_back();
    t.kind = kind;
    t.pos = static_cast<uint32_t>(start_);
    t.text = q_.substr(start_, pos_ - start_);
    start_ = pos_;
    return t;
  }
  void ignore() { start_ = pos_; }
  // The error token sits where the failing token started; returns false to stop lexing.
  bool errorf(std::string message) {
    Token& t = tokens_.emplace_back();
    t.kind = TokenKind::kError;
    t.pos = static_cast<uint32_t>(start_);
    t.value = std::move(message);
    return false;
  }

  void skipSpaces() {
    while (isSpace(peek())) next();
    ignore();
  }
  void skipComment() {
    while (pos_ < q_.size() && q_[pos_] != '\n' && q_[pos_] != '\r') ++pos_;
    ignore();
  }

  // --- states ---

  bool step() {
    if (brace_open_) return lexInsideBraces();
    if (q_.substr(pos_, 1) == "#") return skipComment(), true;
    int32_t r = next();
    switch (r) {
      case kEofRune:
        if (paren_depth_ != 0) return errorf("unclosed left parenthesis");
        if (bracket_open_) return errorf("unclosed left bracket");
        emit(TokenKind::kEof);
        return true;
      case ',':
        return emit(TokenKind::kComma), true;
      case '*':
        return emit(TokenKind::kMul), true;
      case '/':
        return emit(TokenKind::kDiv), true;
      case '%':
        return emit(TokenKind::kMod), true;
      case '+':
        return emit(TokenKind::kAdd), true;
      case '-':
        return emit(TokenKind::kSub), true;
      case '^':
        return emit(TokenKind::kPow), true;
      case '=': {
        int32_t t = peek();
        if (t == '=') return next(), emit(TokenKind::kEql), true;
        if (t == '~') return errorf("unexpected character after '=': " + quoteRune(t));
        return emit(TokenKind::kAssign), true;
      }
      case '!': {
        int32_t t = next();
        if (t != '=') return errorf("unexpected character after '!': " + quoteRune(t));
        return emit(TokenKind::kNeq), true;
      }
      case '<':
        if (peek() == '=') return next(), emit(TokenKind::kLte), true;
        return emit(TokenKind::kLss), true;
      case '>':
        if (peek() == '=') return next(), emit(TokenKind::kGte), true;
        return emit(TokenKind::kGtr), true;
      case '"':
      case '\'':
        return lexString(r);
      case '`':
        return lexRawString();
      case '(':
        ++paren_depth_;
        return emit(TokenKind::kLeftParen), true;
      case ')':
        // Prometheus emits the parenthesis and then overwrites it with the error, so the
        // error stands just after it.
        if (--paren_depth_ < 0) return ignore(), errorf("unexpected right parenthesis ')'");
        return emit(TokenKind::kRightParen), true;
      case '{':
        brace_open_ = true;
        return emit(TokenKind::kLeftBrace), true;
      case '[':
        if (bracket_open_) return errorf("unexpected left bracket '['");
        got_colon_ = false;
        emit(TokenKind::kLeftBracket);
        skipSpaces();
        bracket_open_ = true;
        return lexDuration();
      case ']':
        if (!bracket_open_) return errorf("unexpected right bracket ']'");
        bracket_open_ = false;
        return emit(TokenKind::kRightBracket), true;
      case '@':
        return emit(TokenKind::kAt), true;
      default:
        break;
    }
    if (isSpace(r)) return skipSpaces(), true;
    if (isDigit(r) || (r == '.' && isDigit(peek()))) return backup(), lexNumberOrDuration();
    if (isAlpha(r) || r == ':') {
      if (!bracket_open_) return backup(), lexKeywordOrIdentifier();
      if (got_colon_) return errorf("unexpected colon " + quoteRune(r));
      got_colon_ = true;
      return emit(TokenKind::kColon), true;
    }
    return errorf("unexpected character: " + quoteRune(r));
  }

  bool lexInsideBraces() {
    if (q_.substr(pos_, 1) == "#") return skipComment(), true;
    int32_t r = next();
    switch (r) {
      case kEofRune:
        return errorf("unexpected end of input inside braces");
      case ',':
        return emit(TokenKind::kComma), true;
      case '"':
      case '\'':
        return lexString(r);
      case '`':
        return lexRawString();
      case '=':
        if (next() == '~') return emit(TokenKind::kEqlRegex), true;
        backup();
        return emit(TokenKind::kAssign), true;
      case '!': {
        int32_t t = next();
        if (t == '~') return emit(TokenKind::kNeqRegex), true;
        if (t == '=') return emit(TokenKind::kNeq), true;
        return errorf("unexpected character after '!' inside braces: " + quoteRune(t));
      }
      case '{':
        return errorf("unexpected left brace '{'");
      case '}':
        brace_open_ = false;
        return emit(TokenKind::kRightBrace), true;
      default:
        break;
    }
    if (isSpace(r)) return skipSpaces(), true;
    if (isAlpha(r)) {
      while (isAlnum(next())) {
      }
      backup();
      return emit(TokenKind::kIdentifier), true;
    }
    return errorf("unexpected character inside braces: " + quoteRune(r));
  }

  bool lexKeywordOrIdentifier() {
    int32_t r;
    do {
      r = next();
    } while (isAlnum(r) || r == ':');
    backup();
    std::string_view word = q_.substr(start_, pos_ - start_);
    if (equalsLower(word, "inf") || equalsLower(word, "nan")) return emit(TokenKind::kNumber), true;
    for (const KeywordName& k : kKeywords) {
      if (equalsLower(word, k.name)) {
        emit(TokenKind::kKeyword).keyword = k.keyword;
        return true;
      }
    }
    bool colon = word.find(':') != std::string_view::npos;
    emit(colon ? TokenKind::kMetricIdentifier : TokenKind::kIdentifier);
    return true;
  }

  // Scans what Prometheus's scanNumber accepts: [0x]digits[.digits][e[+-]digits], not followed
  // by a letter or digit. It may accept nothing at all.
  bool scanNumber() {
    std::string_view digits = "0123456789";
    if (accept("0") && accept("xX")) digits = "0123456789abcdefABCDEF";
    acceptRun(digits);
    if (accept(".")) acceptRun(digits);
    if (accept("eE")) {
      accept("+-");
      acceptRun("0123456789");
    }
    return !isAlnum(peek());
  }

  // After a number: unit letters, then more number-unit pairs; true if what follows is
  // neither a letter nor a digit (consumed; the caller backs up).
  bool acceptRemainingDuration() {
    if (!accept("smhdwy")) return false;
    accept("s");
    while (accept("0123456789")) {
      acceptRun("0123456789");
      if (!accept("smhdw")) return false;
      accept("s");
    }
    return !isAlnum(next());
  }

  std::string scanned() const { return quote(q_.substr(start_, pos_ - start_)); }

  bool lexNumberOrDuration() {
    if (scanNumber()) return emit(TokenKind::kNumber), true;
    if (acceptRemainingDuration()) return backup(), emit(TokenKind::kDuration), true;
    return errorf("bad number or duration syntax: " + scanned());
  }

  // Right after `[`.
  bool lexDuration() {
    if (scanNumber()) return errorf("missing unit character in duration");
    if (!acceptRemainingDuration()) return errorf("bad duration syntax: " + scanned());
    backup();
    return emit(TokenKind::kDuration), true;
  }

  bool lexString(int32_t quote_char) {
    std::string value;
    while (true) {
      size_t at = pos_;
      int32_t r = next();
      if (r == kRuneError) return errorf("invalid UTF-8 rune");
      if (r == kEofRune || r == '\n') return errorf("unterminated quoted string");
      if (r == quote_char) break;
      if (r != '\\') {
        value.append(q_.substr(at, pos_ - at));
        continue;
      }
      if (!lexEscape(quote_char, value)) return false;
    }
    emit(TokenKind::kString).value = std::move(value);
    return true;
  }

  // Go's escapes; the backslash has been read.
  bool lexEscape(int32_t quote_char, std::string& value) {
    int32_t ch = next();
    int n = 0;
    uint32_t base = 0;
    uint32_t max = 0;
    bool byte_value = true;  // \x and octal escapes are bytes, \u and \U code points
    switch (ch) {
      case 'a':
        return value += '\a', true;
      case 'b':
        return value += '\b', true;
      case 'f':
        return value += '\f', true;
      case 'n':
        return value += '\n', true;
      case 'r':
        return value += '\r', true;
      case 't':
        return value += '\t', true;
      case 'v':
        return value += '\v', true;
      case '\\':
        return value += '\\', true;
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
        n = 3, base = 8, max = 255;
        break;
      case 'x':
        ch = next(), n = 2, base = 16, max = 255;
        break;
      case 'u':
        ch = next(), n = 4, base = 16, max = 0x10FFFF, byte_value = false;
        break;
      case 'U':
        ch = next(), n = 8, base = 16, max = 0x10FFFF, byte_value = false;
        break;
      case kEofRune:
        return errorf("escape sequence not terminated");
      default:
        if (ch == quote_char) return value += static_cast<char>(ch), true;
        return errorf("unknown escape sequence " + unicodeText(ch));
    }
    uint32_t x = 0;
    while (n > 0) {
      uint32_t d = static_cast<uint32_t>(digitValue(ch));
      if (d >= base) {
        if (ch == kEofRune) return errorf("escape sequence not terminated");
        return errorf("illegal character " + unicodeText(ch) + " in escape sequence");
      }
      x = x * base + d;
      if (--n > 0) ch = next();
    }
    if (x > max || (x >= 0xD800 && x < 0xE000))
      return errorf("escape sequence is an invalid Unicode code point");
    if (byte_value) {
      value += static_cast<char>(x);
    } else {
      appendUtf8(value, x);
    }
    return true;
  }

  bool lexRawString() {
    while (true) {
      int32_t r = next();
      if (r == kRuneError) return errorf("invalid UTF-8 rune");
      if (r == kEofRune) return errorf("unterminated raw string");
      if (r == '`') break;
    }
    std::string_view text = q_.substr(start_, pos_ - start_);
    emit(TokenKind::kString).value = std::string(text.substr(1, text.size() - 2));
    return true;
  }

  std::string_view q_;
  size_t pos_ = 0;
  size_t start_ = 0;
  size_t width_ = 0;
  int paren_depth_ = 0;
  bool brace_open_ = false;
  bool bracket_open_ = false;
  bool got_colon_ = false;
  std::vector<Token> tokens_;
};

}  // namespace

bool isAggregatorKeyword(Keyword k) {
  return k >= Keyword::kSum && k <= Keyword::kQuantile;
}

std::vector<Token> lex(std::string_view query) {
  return Lexer(query).run();
}

std::string quoteRune(int32_t rune) {
  static constexpr char kHex[] = "0123456789abcdef";
  if (rune < 0 || rune > 0x10FFFF || (rune >= 0xD800 && rune < 0xE000)) rune = kRuneError;
  uint32_t r = static_cast<uint32_t>(rune);
  std::string out = "'";
  if (appendShortEscape(out, r, '\'')) {
    // done
  } else if (isPrintable(r)) {
    appendUtf8(out, r);
  } else {  // Go's \uXXXX / \UXXXXXXXX
    int digits = r < 0x10000 ? 4 : 8;
    out += r < 0x10000 ? "\\u" : "\\U";
    for (int i = digits - 1; i >= 0; --i) out += kHex[(r >> (4 * i)) & 0xF];
  }
  out += "'";
  return out;
}

std::string describeToken(const Token& token) {
  std::string text(token.text);
  // Go's %q, and %.10q… for long values.
  auto quoted = [&] {
    size_t i = 0;
    size_t runes = 0;
    while (i < text.size() && runes < 10) {
      uint32_t cp;
      if (!decodeUtf8(text, i, cp)) ++i;
      ++runes;
    }
    if (i < text.size()) return quote(std::string_view(text).substr(0, i)) + "...";
    return quote(text);
  };
  switch (token.kind) {
    case TokenKind::kEof:
      return "end of input";
    case TokenKind::kError:
      return "error";
    case TokenKind::kIdentifier:
      return "identifier " + quote(text);
    case TokenKind::kMetricIdentifier:
      return "metric identifier " + quote(text);
    case TokenKind::kNumber:
      return "number " + quoted();
    case TokenKind::kDuration:
      return "duration " + quoted();
    case TokenKind::kString:
      return "string " + quoted();
    case TokenKind::kKeyword:
      switch (token.keyword) {
        case Keyword::kAnd:
        case Keyword::kOr:
        case Keyword::kUnless:
        case Keyword::kAtan2:
          return "<op:" + text + ">";
        case Keyword::kStart:
        case Keyword::kEnd:
          return quote(text);
        default:
          return isAggregatorKeyword(token.keyword) ? "<aggr:" + text + ">" : "<" + text + ">";
      }
    case TokenKind::kAt:
      // Prometheus 2.42 has no display name for `@`, so it prints its token number.
      return "\"<Item 57385>\" <op:@>";
    case TokenKind::kLeftParen:
    case TokenKind::kRightParen:
    case TokenKind::kLeftBrace:
    case TokenKind::kRightBrace:
    case TokenKind::kLeftBracket:
    case TokenKind::kRightBracket:
    case TokenKind::kComma:
    case TokenKind::kColon:
    case TokenKind::kAssign:
      return quoted();
    default:
      return "<op:" + text + ">";
  }
}

}  // namespace periscope::query::promql
