// `env` detector: OTEL_RESOURCE_ATTRIBUTES (k=v,k2=v2 with percent-encoded values) and
// OTEL_SERVICE_NAME (service.name, which wins over a service.name in OTEL_RESOURCE_ATTRIBUTES).
#pragma once

#include <string_view>

#include "components/processors/resourcedetection/detectors/detector.h"

namespace periscope::components::resourcedetection {

// Parses an OTEL_RESOURCE_ATTRIBUTES value; the error names the bad pair.
Result<DetectedResource> parseResourceAttributes(std::string_view text);

class EnvDetector final : public Detector {
 public:
  std::string_view name() const override { return "env"; }
  Result<DetectedResource> detect(DetectContext& ctx) override;
};

}  // namespace periscope::components::resourcedetection
