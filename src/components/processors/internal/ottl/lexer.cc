#include "components/processors/internal/ottl/lexer.h"

#include <cctype>

namespace periscope::ottl {
namespace {

bool isIdentStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool isIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}
bool isDigit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}
int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string describe(const Token& t) {
  switch (t.kind) {
    case TokenKind::kEnd:
      return "end of statement";
    case TokenKind::kString:
      return "string \"" + t.text + "\"";
    case TokenKind::kBytes:
      return "bytes literal";
    default:
      return "\"" + t.text + "\"";
  }
}

bool tokenize(std::string_view s, std::vector<Token>& out, SyntaxError& error) {
  out.clear();
  size_t i = 0;
  auto fail = [&](size_t at, std::string msg) {
    error = {at, std::move(msg)};
    return false;
  };
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    Token t;
    t.offset = i;
    if (isIdentStart(c)) {
      size_t j = i;
      while (j < s.size() && isIdentChar(s[j])) ++j;
      t.kind = TokenKind::kIdent;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else if (c == '0' && i + 1 < s.size() && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
      size_t j = i + 2;
      while (j < s.size() && hexDigit(s[j]) >= 0) ++j;
      size_t digits = j - i - 2;
      if (digits == 0 || digits % 2 != 0) {
        return fail(i, "bytes literal needs an even, non-zero number of hex digits");
      }
      t.kind = TokenKind::kBytes;
      for (size_t k = i + 2; k < j; k += 2) {
        t.text.push_back(static_cast<char>(hexDigit(s[k]) * 16 + hexDigit(s[k + 1])));
      }
      i = j;
    } else if (isDigit(c)) {
      size_t j = i;
      bool is_float = false;
      while (j < s.size() && isDigit(s[j])) ++j;
      if (j < s.size() && s[j] == '.') {
        is_float = true;
        ++j;
        while (j < s.size() && isDigit(s[j])) ++j;
      }
      if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
        size_t k = j + 1;
        if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
        if (k < s.size() && isDigit(s[k])) {
          is_float = true;
          j = k;
          while (j < s.size() && isDigit(s[j])) ++j;
        }
      }
      if (j < s.size() && isIdentChar(s[j])) return fail(j, "invalid number");
      t.kind = is_float ? TokenKind::kFloat : TokenKind::kInt;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else if (c == '"') {
      size_t j = i + 1;
      t.kind = TokenKind::kString;
      for (;;) {
        if (j >= s.size()) return fail(i, "unterminated string");
        char d = s[j];
        if (d == '"') break;
        if (d == '\\') {
          if (j + 1 >= s.size()) return fail(i, "unterminated string");
          char e = s[j + 1];
          switch (e) {
            case '"':
            case '\\':
              t.text.push_back(e);
              break;
            case 'n':
              t.text.push_back('\n');
              break;
            case 't':
              t.text.push_back('\t');
              break;
            case 'r':
              t.text.push_back('\r');
              break;
            default:
              // Unknown escapes stay as written, so regexes like "\d+" need no doubling.
              t.text.push_back('\\');
              t.text.push_back(e);
          }
          j += 2;
          continue;
        }
        t.text.push_back(d);
        ++j;
      }
      i = j + 1;
    } else {
      auto two = [&](char next) { return i + 1 < s.size() && s[i + 1] == next; };
      size_t len = 1;
      switch (c) {
        case '(':
          t.kind = TokenKind::kLParen;
          break;
        case ')':
          t.kind = TokenKind::kRParen;
          break;
        case '[':
          t.kind = TokenKind::kLBracket;
          break;
        case ']':
          t.kind = TokenKind::kRBracket;
          break;
        case ',':
          t.kind = TokenKind::kComma;
          break;
        case '.':
          t.kind = TokenKind::kDot;
          break;
        case '+':
          t.kind = TokenKind::kPlus;
          break;
        case '-':
          t.kind = TokenKind::kMinus;
          break;
        case '*':
          t.kind = TokenKind::kStar;
          break;
        case '/':
          t.kind = TokenKind::kSlash;
          break;
        case '=':
          if (!two('=')) return fail(i, "unexpected \"=\"; use \"==\" to compare");
          t.kind = TokenKind::kEq;
          len = 2;
          break;
        case '!':
          if (!two('=')) return fail(i, "unexpected \"!\"; use \"not\" or \"!=\"");
          t.kind = TokenKind::kNe;
          len = 2;
          break;
        case '<':
          t.kind = two('=') ? TokenKind::kLe : TokenKind::kLt;
          len = two('=') ? 2 : 1;
          break;
        case '>':
          t.kind = two('=') ? TokenKind::kGe : TokenKind::kGt;
          len = two('=') ? 2 : 1;
          break;
        default:
          return fail(i, std::string("unexpected character '") + c + "'");
      }
      t.text = std::string(s.substr(i, len));
      i += len;
    }
    out.push_back(std::move(t));
  }
  Token end;
  end.offset = s.size();
  out.push_back(end);
  return true;
}

}  // namespace periscope::ottl
