#include "model/xray_trace_header.h"

namespace periscope::model {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "1-5759e988-bd862e3fe1be46a994272793" → 16 bytes.
bool parseRoot(std::string_view root, std::array<uint8_t, 16>& out) {
  if (root.size() != 35 || root.substr(0, 2) != "1-" || root[10] != '-') return false;
  return parseHexBytes(root.substr(2, 8), out.data(), 4) &&
         parseHexBytes(root.substr(11, 24), out.data() + 4, 12);
}

}  // namespace

bool parseHexBytes(std::string_view hex, uint8_t* out, size_t n) {
  if (hex.size() != 2 * n) return false;
  for (size_t i = 0; i < n; ++i) {
    int hi = hexValue(hex[2 * i]), lo = hexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

std::optional<XrayTraceHeader> parseXrayTraceHeader(std::string_view header) {
  XrayTraceHeader h;
  bool has_root = false;
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string_view part = trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = trim(part.substr(0, eq)), value = trim(part.substr(eq + 1));
    if (key == "Root") {
      if (!parseRoot(value, h.trace_id)) return std::nullopt;
      has_root = true;
    } else if (key == "Parent") {
      if (!parseHexBytes(value, h.parent_id.data(), 8)) return std::nullopt;
      h.has_parent = true;
    } else if (key == "Sampled") {
      if (value == "1") h.sampled = true;
      if (value == "0") h.sampled = false;
    }
  }
  if (!has_root) return std::nullopt;
  return h;
}

}  // namespace periscope::model
