#include "query/promql/quoting.h"

namespace periscope::query::promql {

bool decodeUtf8(std::string_view s, size_t& i, uint32_t& code_point) {
  auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  uint8_t b0 = byte(i);
  size_t len;
  uint32_t cp;
  uint32_t min;
  if (b0 < 0x80) {
    code_point = b0;
    ++i;
    return true;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return false;
  }
  if (i + len > s.size()) return false;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  code_point = cp;
  i += len;
  return true;
}

void appendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool isPrintable(uint32_t cp) {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7F;
  struct Range {
    uint32_t first, last;
  };
  static constexpr Range kNotPrintable[] = {
      {0x80, 0xA0},     {0xAD, 0xAD},       {0x600, 0x605},     {0x61C, 0x61C},   {0x6DD, 0x6DD},
      {0x70F, 0x70F},   {0x1680, 0x1680},   {0x180E, 0x180E},   {0x2000, 0x200F}, {0x2028, 0x202F},
      {0x205F, 0x206F}, {0x3000, 0x3000},   {0xD800, 0xF8FF},   {0xFEFF, 0xFEFF}, {0xFFF0, 0xFFFB},
      {0xFFFE, 0xFFFF}, {0xE0000, 0xE0FFF}, {0xF0000, 0x10FFFF}};
  for (const Range& r : kNotPrintable)
    if (cp >= r.first && cp <= r.last) return false;
  return cp <= 0x10FFFF;
}

bool appendShortEscape(std::string& out, uint32_t cp, char quote_char) {
  static constexpr char kHex[] = "0123456789abcdef";
  if (cp == static_cast<uint32_t>(quote_char) || cp == '\\') {
    out += '\\';
    out += static_cast<char>(cp);
    return true;
  }
  static constexpr char kLetters[] = "abtnvfr";  // \a (7) … \r (13), as in Go
  if (cp >= '\a' && cp <= '\r') {
    out += '\\';
    out += kLetters[cp - '\a'];
    return true;
  }
  if (cp < 0x20 || cp == 0x7F) {
    out += "\\x";
    out += kHex[cp >> 4];
    out += kHex[cp & 0xF];
    return true;
  }
  return false;
}

std::string quote(std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  size_t i = 0;
  while (i < value.size()) {
    char c = value[i];
    size_t start = i;
    uint32_t cp;
    if (!decodeUtf8(value, i, cp)) {
      uint8_t b = static_cast<uint8_t>(c);
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
      ++i;
      continue;
    }
    if (!appendShortEscape(out, cp, '"')) out.append(value.substr(start, i - start));
  }
  out += '"';
  return out;
}

}  // namespace periscope::query::promql
