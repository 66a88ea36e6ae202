// %XX decoding as W3C Baggage and OTEL_RESOURCE_ATTRIBUTES values use it ('+' stays '+').
#pragma once

#include <string>
#include <string_view>

#include "common/hex.h"

namespace periscope {

// Appends the decoded `in` to a cleared `out`; false on a truncated or non-hex escape.
inline bool percentDecode(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int hi = hexDigitValue(in[i + 1]), lo = hexDigitValue(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi << 4 | lo);
    i += 2;
  }
  return true;
}

}  // namespace periscope
