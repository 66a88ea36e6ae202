// `system` detector: host.name (from the configured hostname_sources, first success wins),
// os.type, and (off by default, as in the collector) host.arch and host.id.
#pragma once

#include "components/processors/resourcedetection/config.h"
#include "components/processors/resourcedetection/detectors/detector.h"

namespace periscope::components::resourcedetection {

// uname machine name → semantic-conventions host.arch (x86_64 → amd64, aarch64 → arm64...).
std::string hostArch(std::string_view machine);

class SystemDetector final : public Detector {
 public:
  explicit SystemDetector(SystemConfig config) : config_(std::move(config)) {}
  std::string_view name() const override { return "system"; }
  Result<DetectedResource> detect(DetectContext& ctx) override;

 private:
  Result<std::string> hostName(const Environment& env) const;
  SystemConfig config_;
};

}  // namespace periscope::components::resourcedetection
