#include "model/xray_trace_header.h"

#include "common/hex.h"
#include "common/ows.h"

namespace periscope::model {
namespace {

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
    int hi = hexDigitValue(hex[2 * i]), lo = hexDigitValue(hex[2 * i + 1]);
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
    std::string_view part = trimOws(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = trimOws(part.substr(0, eq)), value = trimOws(part.substr(eq + 1));
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

std::string formatXrayTraceHeader(const XrayTraceHeader& header) {
  auto hex = [](const uint8_t* bytes, size_t n) {
    return hexEncode(std::string_view(reinterpret_cast<const char*>(bytes), n));
  };
  std::string out =
      "Root=1-" + hex(header.trace_id.data(), 4) + "-" + hex(header.trace_id.data() + 4, 12);
  if (header.has_parent) out += ";Parent=" + hex(header.parent_id.data(), 8);
  out += !header.sampled ? ";Sampled=?" : *header.sampled ? ";Sampled=1" : ";Sampled=0";
  return out;
}

}  // namespace periscope::model
