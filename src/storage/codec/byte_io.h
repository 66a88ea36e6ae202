// ByteWriter / ByteReader: little-endian fixed ints, LEB128 varints and length-prefixed
// strings for the storage formats (WAL payloads, segment columns, footers). The reader is
// bounds-checked: a short or malformed buffer sets fail() instead of reading past the end,
// so a damaged file is reported, never trusted.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace periscope::storage {

class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}
  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(uint32_t v) { fixed(v, 4); }
  void u64(uint64_t v) { fixed(v, 8); }
  void varint(uint64_t v) {
    char buf[10];
    size_t n = 0;
    while (v >= 0x80) {
      buf[n++] = static_cast<char>(v | 0x80);
      v >>= 7;
    }
    buf[n++] = static_cast<char>(v);
    out_.append(buf, n);
  }
  // Zig-zag, for signed deltas.
  void svarint(int64_t v) {
    varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
  }
  void bytes(std::string_view s) {
    varint(s.size());
    out_.append(s);
  }
  void raw(std::string_view s) { out_.append(s); }
  size_t size() const { return out_.size(); }

 private:
  void fixed(uint64_t v, int n) {
    char buf[8];
    for (int i = 0; i < n; ++i) buf[i] = static_cast<char>(v >> (8 * i));
    out_.append(buf, static_cast<size_t>(n));
  }
  std::string& out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : p_(in.data()), end_(in.data() + in.size()) {}
  bool fail() const { return fail_; }
  bool done() const { return p_ == end_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }

  uint8_t u8() {
    if (!need(1)) return 0;
    return static_cast<uint8_t>(*p_++);
  }
  uint32_t u32() { return static_cast<uint32_t>(fixed(4)); }
  uint64_t u64() { return fixed(8); }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!need(1)) return 0;
      uint8_t b = static_cast<uint8_t>(*p_++);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    fail_ = true;
    return 0;
  }
  int64_t svarint() {
    uint64_t u = varint();
    return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
  }
  std::string_view bytes() {
    uint64_t n = varint();
    return raw(n);
  }
  std::string_view raw(uint64_t n) {
    if (!need(n)) return {};
    std::string_view s(p_, static_cast<size_t>(n));
    p_ += n;
    return s;
  }

 private:
  bool need(uint64_t n) {
    if (fail_ || static_cast<uint64_t>(end_ - p_) < n) {
      fail_ = true;
      p_ = end_;
      return false;
    }
    return true;
  }
  uint64_t fixed(int n) {
    if (!need(static_cast<uint64_t>(n))) return 0;
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(p_[i])) << (8 * i);
    p_ += n;
    return v;
  }
  const char* p_;
  const char* end_;
  bool fail_ = false;
};

}  // namespace periscope::storage
