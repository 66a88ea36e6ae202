// `ec2` detector: IMDSv2 instance identity document and host name; optionally instance tags
// (matching `tags` regexes) read from the instance metadata as ec2.tag.<key>.
#pragma once

#include <re2/re2.h>

#include <memory>
#include <vector>

#include "components/processors/resourcedetection/config.h"
#include "components/processors/resourcedetection/detectors/detector.h"

namespace periscope::components::resourcedetection {

class Ec2Detector final : public Detector {
 public:
  explicit Ec2Detector(Ec2Config config);
  std::string_view name() const override { return "ec2"; }
  Result<DetectedResource> detect(DetectContext& ctx) override;

 private:
  Ec2Config config_;
  std::vector<std::unique_ptr<RE2>> tag_patterns_;
};

}  // namespace periscope::components::resourcedetection
