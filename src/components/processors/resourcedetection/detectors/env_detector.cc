#include "components/processors/resourcedetection/detectors/env_detector.h"

#include "common/ows.h"
#include "common/percent_decoding.h"

namespace periscope::components::resourcedetection {

Result<DetectedResource> parseResourceAttributes(std::string_view text) {
  DetectedResource out;
  if (trimOws(text).empty()) return out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view pair = text.substr(start, comma - start);
    start = comma + 1;
    if (trimOws(pair).empty()) continue;  // "a=1,,b=2" and a trailing comma are tolerated
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      return invalidArgument("OTEL_RESOURCE_ATTRIBUTES: invalid pair \"" + std::string(pair) +
                             "\" (expected key=value)");
    }
    std::string_view key = trimOws(pair.substr(0, eq));
    if (key.empty()) {
      return invalidArgument("OTEL_RESOURCE_ATTRIBUTES: empty key in pair \"" + std::string(pair) +
                             "\"");
    }
    std::string value;
    if (!percentDecode(trimOws(pair.substr(eq + 1)), value)) {
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
