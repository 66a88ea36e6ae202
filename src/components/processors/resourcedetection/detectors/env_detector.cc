#include "components/processors/resourcedetection/detectors/env_detector.h"

namespace periscope::components::resourcedetection {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding as the SDK spec asks (W3C Baggage value encoding): '+' stays '+'.
bool percentDecode(std::string_view in, std::string& out) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return false;
    int hi = hexDigit(in[i + 1]);
    int lo = hexDigit(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

}  // namespace

Result<DetectedResource> parseResourceAttributes(std::string_view text) {
  DetectedResource out;
  if (trim(text).empty()) return out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view pair = text.substr(start, comma - start);
    start = comma + 1;
    if (trim(pair).empty()) continue;  // "a=1,,b=2" and a trailing comma are tolerated
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      return invalidArgument("OTEL_RESOURCE_ATTRIBUTES: invalid pair \"" + std::string(pair) +
                             "\" (expected key=value)");
    }
    std::string_view key = trim(pair.substr(0, eq));
    if (key.empty()) {
      return invalidArgument("OTEL_RESOURCE_ATTRIBUTES: empty key in pair \"" + std::string(pair) +
                             "\"");
    }
    std::string value;
    if (!percentDecode(trim(pair.substr(eq + 1)), value)) {
      return invalidArgument(
          "OTEL_RESOURCE_ATTRIBUTES: invalid percent-encoding in the value of \"" +
          std::string(key) + "\"");
    }
    out.put(key, std::move(value));
  }
  return out;
}

Result<DetectedResource> EnvDetector::detect(DetectContext& ctx) {
  DetectedResource out;
  if (auto attrs = ctx.env.variable("OTEL_RESOURCE_ATTRIBUTES")) {
    auto parsed = parseResourceAttributes(*attrs);
    if (!parsed.isOk()) return parsed.status();
    out = std::move(parsed.value());
  }
  if (auto service = ctx.env.variable("OTEL_SERVICE_NAME"); service && !service->empty())
    out.put("service.name", *service);
  return out;
}

}  // namespace periscope::components::resourcedetection
