// Numbered file names of the stores (`seg-0000000000000042.pst`, `logs-….pls`): made and parsed
// in one place so that a store recognises exactly the files it writes.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace periscope::storage {

inline bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// prefix + id as 16 zero-padded digits + suffix.
inline std::string numberedName(std::string_view prefix, uint64_t id, std::string_view suffix) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%016llu", static_cast<unsigned long long>(id));
  return std::string(prefix) + digits + std::string(suffix);
}

// The id of a name made by numberedName (any number of digits, at most 20).
inline std::optional<uint64_t> parseNumberedName(std::string_view name, std::string_view prefix,
                                                 std::string_view suffix) {
  if (name.substr(0, prefix.size()) != prefix || !endsWith(name, suffix) ||
      name.size() < prefix.size() + suffix.size())
    return std::nullopt;
  std::string_view digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  if (digits.empty() || digits.size() > 20) return std::nullopt;
  uint64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

}  // namespace periscope::storage
