#include "components/processors/redaction/sql_literal_sanitizer.h"

namespace periscope::components::redaction {
namespace {

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isIdentChar(char c) {
  return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool isHexDigit(char c) {
  return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Index just past the quoted run starting at `i` (text[i] == quote); unterminated runs end the
// text.
size_t skipQuoted(std::string_view s, size_t i, char quote, bool backslash_escapes) {
  for (++i; i < s.size(); ++i) {
    if (backslash_escapes && s[i] == '\\') {
      ++i;
      continue;
    }
    if (s[i] == quote) {
      if (i + 1 < s.size() && s[i + 1] == quote) {  // '' or "" escape
        ++i;
        continue;
      }
      return i + 1;
    }
  }
  return s.size();
}

size_t skipNumber(std::string_view s, size_t i) {
  if (s[i] == '0' && i + 1 < s.size() && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
    i += 2;
    while (i < s.size() && isHexDigit(s[i])) ++i;
    return i;
  }
  while (i < s.size() && (isDigit(s[i]) || s[i] == '.')) ++i;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    if (j < s.size() && isDigit(s[j])) {
      while (j < s.size() && isDigit(s[j])) ++j;
      i = j;
    }
  }
  return i;
}

}  // namespace

bool sanitizeSqlLiterals(std::string_view sql, std::string& out) {
  size_t start = out.size();
  bool changed = false;
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    size_t next = i + 1;
    if (c == '\'') {
      next = skipQuoted(sql, i, '\'', true);
      out.push_back('?');
      changed = true;
    } else if (c == '"' || c == '`') {
      next = skipQuoted(sql, i, c, false);
      out.append(sql.substr(i, next - i));
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      next = sql.find('\n', i);
      if (next == std::string_view::npos) next = sql.size();
      out.append(sql.substr(i, next - i));
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      next = sql.find("*/", i + 2);
      next = next == std::string_view::npos ? sql.size() : next + 2;
      out.append(sql.substr(i, next - i));
    } else if (isIdentChar(c) && !isDigit(c)) {
      while (next < sql.size() && isIdentChar(sql[next])) ++next;
      out.append(sql.substr(i, next - i));
    } else if (isDigit(c) || (c == '.' && i + 1 < sql.size() && isDigit(sql[i + 1]))) {
      next = skipNumber(sql, i);
      out.push_back('?');
      changed = true;
    } else {
      out.push_back(c);
    }
    i = next;
  }
  if (!changed) out.resize(start);
  return changed;
}

}  // namespace periscope::components::redaction
