// `eks` detector: running on Kubernetes (KUBERNETES_SERVICE_HOST set) → cloud.provider aws,
// cloud.platform aws_eks; the host and cloud attributes (off by default) and k8s.cluster.name
// come from the EC2 instance metadata, or `cluster_name`.
#pragma once

#include "components/processors/resourcedetection/config.h"
#include "components/processors/resourcedetection/detectors/detector.h"

namespace periscope::components::resourcedetection {

class EksDetector final : public Detector {
 public:
  explicit EksDetector(EksConfig config) : config_(std::move(config)) {}
  std::string_view name() const override { return "eks"; }
  Result<DetectedResource> detect(DetectContext& ctx) override;

 private:
  bool needsInstanceMetadata() const;
  EksConfig config_;
};

}  // namespace periscope::components::resourcedetection
