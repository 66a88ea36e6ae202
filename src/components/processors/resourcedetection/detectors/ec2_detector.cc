#include "components/processors/resourcedetection/detectors/ec2_detector.h"

#include "components/processors/resourcedetection/detectors/imds.h"
#include "components/processors/resourcedetection/detectors/unavailable.h"

namespace periscope::components::resourcedetection {

Ec2Detector::Ec2Detector(Ec2Config config) : config_(std::move(config)) {
  for (const auto& t : config_.tags) tag_patterns_.push_back(std::make_unique<RE2>(t));
}

Result<DetectedResource> Ec2Detector::detect(DetectContext& ctx) {
  Imds imds(ctx.http, Imds::endpoint(config_.endpoint, ctx.env));
  if (Status st = imds.probe(); !st.isOk()) return metadataUnavailable(ctx, "ec2", st);
  auto doc = imds.identity();
  if (!doc.isOk()) return prefixed("failed getting identity document: ", doc.status());
  auto hostname = imds.get("/latest/meta-data/hostname");
  if (!hostname.isOk()) return prefixed("failed getting hostname: ", hostname.status());

  const auto& on = config_.resource_attributes;
  DetectedResource out;
  putIfEnabled(out, on, "cloud.provider", std::string("aws"));
  putIfEnabled(out, on, "cloud.platform", std::string("aws_ec2"));
  putInstanceIdentity(out, on, *doc);
  putIfEnabled(out, on, "host.name", *hostname);

  if (!tag_patterns_.empty()) {
    auto tags = imds.tags();
    if (!tags.isOk()) {
      return prefixed("failed fetching ec2 instance tags: ", tags.status());
    }
    for (const auto& [key, value] : *tags) {
      for (const auto& re : tag_patterns_) {
        if (RE2::PartialMatch(key, *re)) {
          out.put("ec2.tag." + key, value);
          break;
        }
      }
    }
  }
  return out;
}

}  // namespace periscope::components::resourcedetection
