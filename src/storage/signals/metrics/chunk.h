// Gorilla-style sample chunks (Facebook's Gorilla paper, as in Prometheus's XOR chunks):
// timestamps as delta-of-delta in 1/14/17/20/64-bit buckets, values as the XOR with the previous
// value (leading/trailing-zero windows). A regular 15 s series costs one bit per timestamp; an
// unchanged value one bit. Used by the head (one open encoder per series) and by block files.
// Encoder: single writer. Decoder: reads untrusted bytes, bounds-checked (fail() on damage).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace periscope::storage::metrics {

class ChunkEncoder {
 public:
  void append(int64_t t, double v);
  uint32_t count() const { return count_; }
  int64_t firstT() const { return first_t_; }
  int64_t lastT() const { return prev_t_; }
  uint64_t lastValueBits() const { return prev_v_; }
  // The encoded bits so far (the last byte zero-padded); the encoder can keep appending.
  std::string bytes() const;
  // Appends bytes() to `out` without a temporary.
  void appendTo(std::string& out) const;
  size_t sizeBytes() const { return buf_.size() + (nacc_ + 7) / 8; }
  void clear() { *this = ChunkEncoder(); }

 private:
  void put(uint64_t v, int n);
  std::string buf_;
  uint64_t acc_ = 0;
  int nacc_ = 0;
  uint32_t count_ = 0;
  int64_t first_t_ = 0, prev_t_ = 0, prev_delta_ = 0;
  uint64_t prev_v_ = 0;
  uint8_t leading_ = 0xff, trailing_ = 0;  // 0xff: no window yet
};

class ChunkDecoder {
 public:
  ChunkDecoder(std::string_view bytes, uint32_t count) : data_(bytes), remaining_(count) {}
  // False at the end or on damage (then fail() is true).
  bool next(int64_t& t, double& v);
  bool fail() const { return fail_; }

 private:
  uint64_t get(int n);
  bool bit() { return get(1) != 0; }
  std::string_view data_;
  uint64_t pos_ = 0;  // in bits
  uint32_t remaining_;
  uint32_t index_ = 0;
  bool fail_ = false;
  int64_t t_ = 0, delta_ = 0;
  uint64_t v_ = 0;
  uint8_t leading_ = 0, trailing_ = 0;
};

}  // namespace periscope::storage::metrics
