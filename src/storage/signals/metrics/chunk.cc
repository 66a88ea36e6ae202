#include "storage/signals/metrics/chunk.h"

#include <bit>

namespace periscope::storage::metrics {
namespace {

// Delta-of-delta buckets: prefix '0' = 0, then '10' + 14 bits, '110' + 17, '1110' + 20,
// '1111' + 64 (two's complement).
constexpr int kDodBits[] = {14, 17, 20};

bool fits(int64_t v, int bits) {
  int64_t lim = int64_t{1} << (bits - 1);
  return v >= -lim && v < lim;
}

uint64_t mask(int n) {
  return n >= 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1;
}

}  // namespace

void ChunkEncoder::put(uint64_t v, int n) {
  v &= mask(n);
  while (n > 0) {
    int take = std::min(n, 64 - nacc_);
    uint64_t part = (v >> (n - take)) & mask(take);
    acc_ = take == 64 ? part : (acc_ << take) | part;
    nacc_ += take;
    n -= take;
    v &= mask(n);
    if (nacc_ == 64) {
      for (int i = 7; i >= 0; --i) buf_.push_back(static_cast<char>(acc_ >> (8 * i)));
      acc_ = 0;
      nacc_ = 0;
    }
  }
}

void ChunkEncoder::append(int64_t t, double v) {
  uint64_t bits = std::bit_cast<uint64_t>(v);
  if (count_ == 0) {
    put(static_cast<uint64_t>(t), 64);
    put(bits, 64);
    first_t_ = prev_t_ = t;
    prev_v_ = bits;
    count_ = 1;
    return;
  }
  int64_t delta = t - prev_t_;
  int64_t dod = delta - prev_delta_;
  if (dod == 0) {
    put(0, 1);
  } else if (fits(dod, kDodBits[0])) {
    put(0b10, 2);
    put(static_cast<uint64_t>(dod), kDodBits[0]);
  } else if (fits(dod, kDodBits[1])) {
    put(0b110, 3);
    put(static_cast<uint64_t>(dod), kDodBits[1]);
  } else if (fits(dod, kDodBits[2])) {
    put(0b1110, 4);
    put(static_cast<uint64_t>(dod), kDodBits[2]);
  } else {
    put(0b1111, 4);
    put(static_cast<uint64_t>(dod), 64);
  }
  prev_delta_ = delta;
  prev_t_ = t;

  uint64_t x = bits ^ prev_v_;
  prev_v_ = bits;
  ++count_;
  if (x == 0) {
    put(0, 1);
    return;
  }
  int lead = std::min(std::countl_zero(x), 31);
  int trail = std::countr_zero(x);
  if (leading_ != 0xff && lead >= leading_ && trail >= trailing_) {
    put(0b10, 2);
    put(x >> trailing_, 64 - leading_ - trailing_);
    return;
  }
  leading_ = static_cast<uint8_t>(lead);
  trailing_ = static_cast<uint8_t>(trail);
  int sig = 64 - lead - trail;
  put(0b11, 2);
  put(static_cast<uint64_t>(lead), 5);
  put(static_cast<uint64_t>(sig & 63), 6);  // 64 significant bits are written as 0
  put(x >> trail, sig);
}

void ChunkEncoder::appendTo(std::string& out) const {
  out += buf_;
  if (nacc_ > 0) {
    uint64_t a = acc_ << (64 - nacc_);
    for (int i = 0; i < (nacc_ + 7) / 8; ++i) out.push_back(static_cast<char>(a >> (56 - 8 * i)));
  }
}

std::string ChunkEncoder::bytes() const {
  std::string out;
  out.reserve(sizeBytes());
  appendTo(out);
  return out;
}

uint64_t ChunkDecoder::get(int n) {
  if (pos_ + static_cast<uint64_t>(n) > data_.size() * 8) {
    fail_ = true;
    return 0;
  }
  uint64_t v = 0;
  while (n > 0) {
    size_t byte = pos_ >> 3;
    int off = static_cast<int>(pos_ & 7);
    int avail = 8 - off;
    int take = std::min(avail, n);
    uint64_t b = (static_cast<uint8_t>(data_[byte]) >> (avail - take)) & mask(take);
    v = (v << take) | b;
    pos_ += static_cast<uint64_t>(take);
    n -= take;
  }
  return v;
}

bool ChunkDecoder::next(int64_t& t, double& v) {
  if (remaining_ == 0 || fail_) return false;
  if (index_ == 0) {
    t_ = static_cast<int64_t>(get(64));
    v_ = get(64);
  } else {
    int64_t dod = 0;
    int bits = 0;
    if (!bit()) {
      bits = 0;
    } else if (!bit()) {
      bits = kDodBits[0];
    } else if (!bit()) {
      bits = kDodBits[1];
    } else if (!bit()) {
      bits = kDodBits[2];
    } else {
      bits = 64;
    }
    if (bits > 0) {
      uint64_t raw = get(bits);
      dod = bits == 64 ? static_cast<int64_t>(raw)
                       : static_cast<int64_t>(raw << (64 - bits)) >> (64 - bits);
    }
    // Unsigned: damaged bytes may overflow, which must not be undefined behaviour.
    delta_ = static_cast<int64_t>(static_cast<uint64_t>(delta_) + static_cast<uint64_t>(dod));
    t_ = static_cast<int64_t>(static_cast<uint64_t>(t_) + static_cast<uint64_t>(delta_));
    if (bit()) {
      if (bit()) {
        leading_ = static_cast<uint8_t>(get(5));
        int sig = static_cast<int>(get(6));
        if (sig == 0) sig = 64;
        if (leading_ + sig > 64) {
          fail_ = true;
          return false;
        }
        trailing_ = static_cast<uint8_t>(64 - leading_ - sig);
      }
      int sig = 64 - leading_ - trailing_;
      v_ ^= get(sig) << trailing_;
    }
  }
  if (fail_) return false;
  ++index_;
  --remaining_;
  t = t_;
  v = std::bit_cast<double>(v_);
  return true;
}

}  // namespace periscope::storage::metrics
