#include "components/processors/probabilistic_sampler/tracestate.h"

#include <cstring>

namespace periscope::components::probabilistic_sampler {
namespace {

bool isLcAlpha(char c) {
  return c >= 'a' && c <= 'z';
}
bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isKeyChar(char c) {
  return isLcAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '*' || c == '/';
}
bool isKeyTail(std::string_view s) {
  for (char c : s) {
    if (!isKeyChar(c)) return false;
  }
  return true;
}

// key = simple-key / multi-tenant-key (W3C Trace Context, with its length limits).
bool validKey(std::string_view key) {
  if (key.empty() || key.size() > 256) return false;
  size_t at = key.find('@');
  if (at == std::string_view::npos) return isLcAlpha(key[0]) && isKeyTail(key.substr(1));
  std::string_view tenant = key.substr(0, at);
  std::string_view system = key.substr(at + 1);
  if (tenant.empty() || tenant.size() > 241 || system.empty() || system.size() > 14) return false;
  return (isLcAlpha(tenant[0]) || isDigit(tenant[0])) && isKeyTail(tenant.substr(1)) &&
         isLcAlpha(system[0]) && isKeyTail(system.substr(1));
}

// value = 0*255(chr) nblk-chr; chr = %x20 / nblk-chr; nblk-chr = printable except "," and "=".
bool isNonBlank(char c) {
  return c >= 0x21 && c <= 0x7e && c != ',' && c != '=';
}
bool validValue(std::string_view v) {
  if (v.empty() || v.size() > 256 || !isNonBlank(v.back())) return false;
  for (char c : v) {
    if (c != ' ' && !isNonBlank(c)) return false;
  }
  return true;
}

std::string_view trimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// OTel member: key = lcalpha *(lcalpha / DIGIT); value = *(ALPHA / DIGIT / "." / "_" / "-").
bool validOTelKey(std::string_view k) {
  if (k.empty() || !isLcAlpha(k[0])) return false;
  for (char c : k.substr(1)) {
    if (!isLcAlpha(c) && !isDigit(c)) return false;
  }
  return true;
}
bool validOTelValue(std::string_view v) {
  for (char c : v) {
    bool ok =
        isLcAlpha(c) || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

class Writer {
 public:
  explicit Writer(std::array<char, TraceState::kMaxSerialized>& buf) : buf_(buf) {}
  void put(std::string_view s) {
    size_t n = std::min(s.size(), buf_.size() - len_);
    std::memcpy(buf_.data() + len_, s.data(), n);
    len_ += n;
  }
  std::string_view view() const { return {buf_.data(), len_}; }

 private:
  std::array<char, TraceState::kMaxSerialized>& buf_;
  size_t len_ = 0;
};

}  // namespace

bool TraceState::parse(std::string_view input) {
  rv_.reset();
  th_.reset();
  ot_extra_count_ = 0;
  vendor_count_ = 0;
  if (input.size() > kMaxLength) return false;
  size_t members = 0;
  while (!input.empty()) {
    size_t comma = input.find(',');
    std::string_view member = trimOws(input.substr(0, comma));
    input = comma == std::string_view::npos ? std::string_view{} : input.substr(comma + 1);
    if (member.empty()) continue;  // empty list members are allowed
    if (++members > kMaxMembers) return false;
    size_t eq = member.find('=');
    if (eq == std::string_view::npos) return false;
    std::string_view key = member.substr(0, eq);
    std::string_view value = member.substr(eq + 1);
    if (!validKey(key) || !validValue(value)) return false;
    if (key == "ot") {
      if (!parseOTel(value)) return false;
    } else {
      vendors_[vendor_count_++] = member;
    }
  }
  return true;
}

bool TraceState::parseOTel(std::string_view value) {
  rv_.reset();
  th_.reset();
  ot_extra_count_ = 0;
  if (value.size() > kMaxOTelLength) return false;
  while (true) {
    size_t semi = value.find(';');
    std::string_view member = value.substr(0, semi);
    size_t colon = member.find(':');
    if (colon == std::string_view::npos) return false;
    std::string_view k = member.substr(0, colon);
    std::string_view v = member.substr(colon + 1);
    if (!validOTelKey(k) || !validOTelValue(v)) return false;
    if (k == "rv") {
      rv_ = parseRandomness(v);
      if (!rv_) return false;
    } else if (k == "th") {
      th_ = parseThreshold(v);
      if (!th_) return false;
    } else {
      if (ot_extra_count_ == ot_extra_.size()) return false;
      ot_extra_[ot_extra_count_++] = member;
    }
    if (semi == std::string_view::npos) return true;
    value = value.substr(semi + 1);
  }
}

std::string_view TraceState::serialize(std::array<char, kMaxSerialized>& buffer) const {
  Writer w(buffer);
  bool first = true;
  auto sep = [&](char c) {
    if (!first) w.put(std::string_view(&c, 1));
    first = false;
  };
  if (rv_ || th_ || ot_extra_count_ > 0) {
    w.put("ot=");
    char digits[kNumHexDigits];
    if (rv_) {
      sep(';');
      w.put("rv:");
      w.put(encodeRandomness(*rv_, digits));
    }
    if (th_) {
      sep(';');
      w.put("th:");
      w.put(encodeThreshold(*th_, digits));
    }
    for (size_t i = 0; i < ot_extra_count_; ++i) {
      sep(';');
      w.put(ot_extra_[i]);
    }
    first = false;
  }
  for (size_t i = 0; i < vendor_count_; ++i) {
    sep(',');
    w.put(vendors_[i]);
  }
  return w.view();
}

}  // namespace periscope::components::probabilistic_sampler
