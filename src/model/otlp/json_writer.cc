#include "model/otlp/json_writer.h"

#include <array>
#include <cmath>

#include "model/otlp/json_bytes.h"

namespace periscope::model::otlp {
namespace {

// 0: copied as is; 1: escaped; 2: first byte of a multi-byte UTF-8 sequence (or invalid).
constexpr std::array<uint8_t, 256> makeCharClass() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 1;
  t['"'] = 1;
  t['\\'] = 1;
  for (int c = 0x80; c < 0x100; ++c) t[c] = 2;
  return t;
}
constexpr auto kCharClass = makeCharClass();

// Length of the valid UTF-8 sequence at p (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF),
// or 0 when it is invalid.
size_t utf8SequenceLength(const unsigned char* p, const unsigned char* end) {
  unsigned char c = p[0];
  size_t avail = static_cast<size_t>(end - p);
  auto cont = [&](size_t i) { return i < avail && (p[i] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && p[1] < 0xA0) return 0;  // overlong
    if (c == 0xED && p[1] > 0x9F) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && p[1] < 0x90) return 0;  // overlong
    if (c == 0xF4 && p[1] > 0x8F) return 0;  // > U+10FFFF
    return 4;
  }
  return 0;
}

void appendEscape(std::string& out, unsigned char c) {
  switch (c) {
    case '"':
      out.append("\\\"", 2);
      return;
    case '\\':
      out.append("\\\\", 2);
      return;
    case '\n':
      out.append("\\n", 2);
      return;
    case '\r':
      out.append("\\r", 2);
      return;
    case '\t':
      out.append("\\t", 2);
      return;
    case '\b':
      out.append("\\b", 2);
      return;
    case '\f':
      out.append("\\f", 2);
      return;
    default: {
      constexpr char kHex[] = "0123456789abcdef";
      char buf[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out.append(buf, 6);
    }
  }
}

}  // namespace

void JsonWriter::string(std::string_view s) {
  comma();
  out_.push_back('"');
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  const auto* run = p;
  while (p < end) {
    uint8_t cls = kCharClass[*p];
    if (cls == 0) {
      ++p;
      continue;
    }
    out_.append(reinterpret_cast<const char*>(run), static_cast<size_t>(p - run));
    if (cls == 1) {
      appendEscape(out_, *p);
      ++p;
    } else if (size_t n = utf8SequenceLength(p, end); n > 0) {
      out_.append(reinterpret_cast<const char*>(p), n);
      p += n;
    } else {
      out_.append("\xEF\xBF\xBD", 3);  // U+FFFD REPLACEMENT CHARACTER
      ++p;
    }
    run = p;
  }
  out_.append(reinterpret_cast<const char*>(run), static_cast<size_t>(p - run));
  out_.push_back('"');
  need_comma_ = true;
}

void JsonWriter::hex(std::string_view bytes) {
  comma();
  out_.push_back('"');
  appendHex(bytes, out_);
  out_.push_back('"');
  need_comma_ = true;
}

void JsonWriter::base64(std::string_view bytes) {
  comma();
  out_.push_back('"');
  appendBase64(bytes, out_);
  out_.push_back('"');
  need_comma_ = true;
}

void JsonWriter::dbl(double v) {
  comma();
  if (std::isnan(v)) {
    out_.append("\"NaN\"");
  } else if (std::isinf(v)) {
    out_.append(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  } else {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, static_cast<size_t>(r.ptr - buf));
  }
  need_comma_ = true;
}

}  // namespace periscope::model::otlp
