// `lambda` detector: the AWS Lambda runtime environment variables.
#pragma once

#include "components/processors/resourcedetection/config.h"
#include "components/processors/resourcedetection/detectors/detector.h"

namespace periscope::components::resourcedetection {

class LambdaDetector final : public Detector {
 public:
  explicit LambdaDetector(LambdaConfig config) : config_(std::move(config)) {}
  std::string_view name() const override { return "lambda"; }
  Result<DetectedResource> detect(DetectContext& ctx) override;

 private:
  LambdaConfig config_;
};

}  // namespace periscope::components::resourcedetection
