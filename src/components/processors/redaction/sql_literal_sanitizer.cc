#include "components/processors/redaction/sql_literal_sanitizer.h"

#include <algorithm>
#include <vector>

namespace periscope::components::redaction {
namespace {

enum class Dialect {
  kStandard,  // standard SQL, PostgreSQL, SQLite, SQL Server, Oracle: '' escapes, $$ quotes
  kMySql,     // MySQL, MariaDB: \ escapes in '…' and "…", # comments
};

struct Range {
  size_t begin;
  size_t end;
};

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isTagChar(char c) {
  return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool isIdentChar(char c) {
  return isTagChar(c) || c == '$';
}
bool isHexDigit(char c) {
  return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
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

// Length of the PostgreSQL dollar-quote delimiter ($$ or $tag$) starting at `i`, or 0. A tag
// does not start with a digit, so the positional parameter $1 is not one.
size_t dollarDelimiter(std::string_view s, size_t i) {
  size_t j = i + 1;
  if (j < s.size() && isDigit(s[j])) return 0;
  while (j < s.size() && isTagChar(s[j])) ++j;
  return j < s.size() && s[j] == '$' ? j + 1 - i : 0;
}

// Index just past the block comment starting at `i` ("/*"); PostgreSQL nests them.
size_t skipBlockComment(std::string_view s, size_t i, bool nested) {
  if (!nested) {
    size_t close = s.find("*/", i + 2);
    return close == std::string_view::npos ? s.size() : close + 2;
  }
  int depth = 0;
  while (i < s.size()) {
    if (s[i] == '/' && i + 1 < s.size() && s[i + 1] == '*') {
      ++depth;
      i += 2;
    } else if (s[i] == '*' && i + 1 < s.size() && s[i + 1] == '/') {
      i += 2;
      if (--depth == 0) return i;
    } else {
      ++i;
    }
  }
  return s.size();
}

// A comment's text without surrounding white space (nothing when it is blank).
void addCommentText(size_t begin, size_t end, std::string_view s, std::vector<Range>& out) {
  while (begin < end && isSpace(s[begin])) ++begin;
  while (end > begin && isSpace(s[end - 1])) --end;
  if (end > begin) out.push_back({begin, end});
}

// Appends, in order, the ranges of `sql` that `dialect` reads as literals or comment text.
void findLiterals(std::string_view sql, Dialect dialect, const SqlSanitizerOptions& options,
                  std::vector<Range>& out) {
  const bool mysql = dialect == Dialect::kMySql;
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    size_t next = i + 1;
    if (c == '\'') {
      next = skipQuoted(sql, i, c, mysql);
      out.push_back({i, next});
    } else if (c == '"') {
      if (options.double_quoted_identifiers) {
        next = skipQuoted(sql, i, c, false);
      } else {
        next = skipQuoted(sql, i, c, mysql);
        out.push_back({i, next});
      }
    } else if (c == '`') {
      // An identifier quote. A stray (unclosed) one is plain text in the standard reading, so
      // it cannot hide the literals after it from both readings.
      size_t end = skipQuoted(sql, i, c, false);
      bool closed = end > i + 1 && sql[end - 1] == '`';
      if (closed || mysql) next = end;
    } else if ((c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') || (c == '#' && mysql)) {
      size_t text = c == '#' ? i + 1 : i + 2;
      next = sql.find('\n', text);
      if (next == std::string_view::npos) next = sql.size();
      addCommentText(text, next, sql, out);
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      next = skipBlockComment(sql, i, !mysql);
      bool closed = next >= i + 4 && sql.substr(next - 2, 2) == "*/";
      addCommentText(i + 2, closed ? next - 2 : next, sql, out);
    } else if (size_t delim = c == '$' && !mysql ? dollarDelimiter(sql, i) : 0; delim > 0) {
      size_t close = sql.find(sql.substr(i, delim), i + delim);
      next = close == std::string_view::npos ? sql.size() : close + delim;
      out.push_back({i, next});
    } else if (isIdentChar(c) && !isDigit(c)) {
      while (next < sql.size() && isIdentChar(sql[next])) ++next;
    } else if (isDigit(c) || (c == '.' && i + 1 < sql.size() && isDigit(sql[i + 1]))) {
      next = skipNumber(sql, i);
      out.push_back({i, next});
    }
    i = next;
  }
}

struct Scratch {
  std::vector<Range> standard;
  std::vector<Range> mysql;
};

}  // namespace

bool sanitizeSqlLiterals(std::string_view sql, const SqlSanitizerOptions& options,
                         std::string& out) {
  thread_local Scratch s;  // reused: no allocation once warm
  s.standard.clear();
  s.mysql.clear();
  findLiterals(sql, Dialect::kStandard, options, s.standard);
  findLiterals(sql, Dialect::kMySql, options, s.mysql);
  if (s.standard.empty() && s.mysql.empty()) return false;
  const size_t start = out.size();
  // Merge the two sorted lists; overlapping or touching ranges become one `?`.
  size_t a = 0;
  size_t b = 0;
  size_t copied = 0;
  while (a < s.standard.size() || b < s.mysql.size()) {
    auto take = [&]() -> Range {
      bool from_standard =
          b == s.mysql.size() || (a < s.standard.size() && s.standard[a].begin < s.mysql[b].begin);
      return from_standard ? s.standard[a++] : s.mysql[b++];
    };
    Range r = take();
    while (a < s.standard.size() || b < s.mysql.size()) {
      size_t next_begin = b == s.mysql.size() ? s.standard[a].begin
                          : a == s.standard.size()
                              ? s.mysql[b].begin
                              : std::min(s.standard[a].begin, s.mysql[b].begin);
      if (next_begin > r.end) break;
      r.end = std::max(r.end, take().end);
    }
    out.append(sql.substr(copied, r.begin - copied));
    out.push_back('?');
    copied = r.end;
  }
  out.append(sql.substr(copied));
  if (std::string_view(out).substr(start) == sql) {  // e.g. only a comment reading "?"
    out.resize(start);
    return false;
  }
  return true;
}

}  // namespace periscope::components::redaction
