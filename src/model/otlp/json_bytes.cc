#include "model/otlp/json_bytes.h"

#include <array>
#include <cstdint>

namespace periscope::model::otlp {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int8_t, 256> makeHexTable() {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 10; ++i) t['0' + i] = static_cast<int8_t>(i);
  for (int i = 0; i < 6; ++i) {
    t['a' + i] = static_cast<int8_t>(10 + i);
    t['A' + i] = static_cast<int8_t>(10 + i);
  }
  return t;
}

// Both the standard (+/) and the url-safe (-_) alphabets decode.
constexpr std::array<int8_t, 256> makeBase64Table() {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 64; ++i) t[static_cast<uint8_t>(kBase64Alphabet[i])] = static_cast<int8_t>(i);
  t['-'] = 62;
  t['_'] = 63;
  return t;
}

constexpr auto kHexTable = makeHexTable();
constexpr auto kBase64Table = makeBase64Table();

}  // namespace

void appendHex(std::string_view bytes, std::string& out) {
  size_t at = out.size();
  out.resize(at + bytes.size() * 2);
  char* p = out.data() + at;
  for (unsigned char c : bytes) {
    *p++ = kHexDigits[c >> 4];
    *p++ = kHexDigits[c & 0xF];
  }
}

bool decodeHex(std::string_view hex, char* out) {
  if (hex.size() % 2 != 0) return false;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = kHexTable[static_cast<uint8_t>(hex[i])];
    int lo = kHexTable[static_cast<uint8_t>(hex[i + 1])];
    if ((hi | lo) < 0) return false;
    out[i / 2] = static_cast<char>((hi << 4) | lo);
  }
  return true;
}

void appendBase64(std::string_view bytes, std::string& out) {
  size_t at = out.size();
  out.resize(at + (bytes.size() + 2) / 3 * 4);
  char* p = out.data() + at;
  const auto* in = reinterpret_cast<const uint8_t*>(bytes.data());
  size_t n = bytes.size();
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8) | in[i + 2];
    *p++ = kBase64Alphabet[v >> 18];
    *p++ = kBase64Alphabet[(v >> 12) & 63];
    *p++ = kBase64Alphabet[(v >> 6) & 63];
    *p++ = kBase64Alphabet[v & 63];
  }
  if (n - i == 1) {
    uint32_t v = uint32_t{in[i]} << 16;
    *p++ = kBase64Alphabet[v >> 18];
    *p++ = kBase64Alphabet[(v >> 12) & 63];
    *p++ = '=';
    *p++ = '=';
  } else if (n - i == 2) {
    uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8);
    *p++ = kBase64Alphabet[v >> 18];
    *p++ = kBase64Alphabet[(v >> 12) & 63];
    *p++ = kBase64Alphabet[(v >> 6) & 63];
    *p++ = '=';
  }
}

bool decodeBase64(std::string_view in, char* out, size_t& out_len) {
  size_t n = in.size();
  // Up to two '=' of padding, only at the end.
  if (n > 0 && in[n - 1] == '=') --n;
  if (n > 0 && in[n - 1] == '=') --n;
  if (n % 4 == 1) return false;
  if (n != in.size() && (n + (in.size() - n)) % 4 != 0) return false;
  size_t o = 0;
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < n; ++i) {
    int v = kBase64Table[static_cast<uint8_t>(in[i])];
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  out_len = o;
  return true;
}

}  // namespace periscope::model::otlp
