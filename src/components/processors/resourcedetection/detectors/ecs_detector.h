// `ecs` detector: the ECS task metadata endpoint (v4, or v3 without launch type and logs):
// ${uri}/task for the task, ${uri} for the collector's own container.
#pragma once

#include "components/processors/resourcedetection/config.h"
#include "components/processors/resourcedetection/detectors/detector.h"

namespace periscope::components::resourcedetection {

class EcsDetector final : public Detector {
 public:
  explicit EcsDetector(EcsConfig config) : config_(std::move(config)) {}
  std::string_view name() const override { return "ecs"; }
  Result<DetectedResource> detect(DetectContext& ctx) override;

 private:
  EcsConfig config_;
};

}  // namespace periscope::components::resourcedetection
