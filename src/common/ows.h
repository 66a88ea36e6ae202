// HTTP optional whitespace (RFC 7230 OWS: spaces and tabs) around list members and parameters.
#pragma once

#include <string_view>

namespace periscope {

inline std::string_view trimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace periscope
