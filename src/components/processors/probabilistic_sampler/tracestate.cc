#include "components/processors/probabilistic_sampler/tracestate.h"

#include <cstring>

#include "common/ows.h"
#include "model/propagation/tracestate.h"

namespace periscope::components::probabilistic_sampler {
namespace {

bool isLcAlpha(char c) {
  return c >= 'a' && c <= 'z';
}
bool isDigit(char c) {
  return c >= '0' && c <= '9';
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

// Calls fn(member, key, value, has_equals) for each non-empty, OWS-trimmed list member of a valid
// tracestate; stops early when fn returns false.
template <typename Fn>
bool forEachMember(std::string_view input, Fn fn) {
  while (!input.empty()) {
    size_t comma = input.find(',');
    std::string_view member = trimOws(input.substr(0, comma));
    input = comma == std::string_view::npos ? std::string_view{} : input.substr(comma + 1);
    if (member.empty()) continue;  // empty list members are allowed
    size_t eq = member.find('=');
    std::string_view key = member.substr(0, eq);
    std::string_view value =
        eq == std::string_view::npos ? std::string_view{} : member.substr(eq + 1);
    if (!fn(member, key, value, eq != std::string_view::npos)) return false;
  }
  return true;
}

// The same for the `key:value;...` members of the `ot` value.
template <typename Fn>
bool forEachOTelMember(std::string_view value, Fn fn) {
  while (true) {
    size_t semi = value.find(';');
    std::string_view member = value.substr(0, semi);
    size_t colon = member.find(':');
    if (colon == std::string_view::npos) return false;
    if (!fn(member, member.substr(0, colon), member.substr(colon + 1))) return false;
    if (semi == std::string_view::npos) return true;
    value = value.substr(semi + 1);
  }
}

}  // namespace

bool TraceState::parse(std::string_view input) {
  input_ = {};
  ot_value_ = {};
  rv_.reset();
  th_.reset();
  if (input.size() > kMaxLength) return false;
  size_t members = 0;
  bool ok = forEachMember(
      input, [&](std::string_view, std::string_view key, std::string_view value, bool has_eq) {
        if (!has_eq || ++members > kMaxMembers) return false;
        if (!model::propagation::isValidTraceStateKey(key)) return false;
        if (!model::propagation::isValidTraceStateValue(value)) return false;
        if (key == "ot" && !parseOTel(value)) return false;
        return true;
      });
  if (!ok) return false;
  input_ = input;
  return true;
}

bool TraceState::parseOTel(std::string_view value) {
  rv_.reset();
  th_.reset();
  ot_value_ = value;
  if (value.size() > kMaxOTelLength) return false;
  return forEachOTelMember(value, [&](std::string_view, std::string_view k, std::string_view v) {
    if (!validOTelKey(k) || !validOTelValue(v)) return false;
    if (k == "rv") {
      rv_ = parseRandomness(v);
      return rv_.has_value();
    }
    if (k == "th") {
      th_ = parseThreshold(v);
      return th_.has_value();
    }
    return true;
  });
}

std::string_view TraceState::serialize(std::array<char, kMaxSerialized>& buffer) const {
  Writer w(buffer);
  bool first = true;
  auto sep = [&](std::string_view s) {
    if (!first) w.put(s);
    first = false;
  };
  // Other `ot` fields are passed through after rv and th, in arrival order.
  auto otExtras = [&](auto each) {
    if (ot_value_.empty()) return;
    forEachOTelMember(ot_value_,
                      [&](std::string_view member, std::string_view k, std::string_view) {
                        if (k != "rv" && k != "th") each(member);
                        return true;
                      });
  };
  bool has_extras = false;
  otExtras([&](std::string_view) { has_extras = true; });
  if (rv_ || th_ || has_extras) {
    w.put("ot=");
    char digits[kNumHexDigits];
    if (rv_) {
      sep(";");
      w.put("rv:");
      w.put(encodeRandomness(*rv_, digits));
    }
    if (th_) {
      sep(";");
      w.put("th:");
      w.put(encodeThreshold(*th_, digits));
    }
    otExtras([&](std::string_view member) {
      sep(";");
      w.put(member);
    });
    first = false;
  }
  forEachMember(input_, [&](std::string_view member, std::string_view key, std::string_view, bool) {
    if (key != "ot") {
      sep(",");
      w.put(member);
    }
    return true;
  });
  return w.view();
}

}  // namespace periscope::components::probabilistic_sampler
