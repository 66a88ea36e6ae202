#include "components/processors/resourcedetection/resource_provider.h"

#include "common/logging.h"
#include "components/processors/resourcedetection/detectors/ec2_detector.h"
#include "components/processors/resourcedetection/detectors/ecs_detector.h"
#include "components/processors/resourcedetection/detectors/eks_detector.h"
#include "components/processors/resourcedetection/detectors/env_detector.h"
#include "components/processors/resourcedetection/detectors/lambda_detector.h"
#include "components/processors/resourcedetection/detectors/system_detector.h"

namespace periscope::components::resourcedetection {
namespace {

std::string describe(const DetectedResource& r) {
  std::string out;
  for (const auto& [key, value] : r.attributes()) {
    out += (out.empty() ? "" : ", ") + key + "=";
    if (const auto* s = std::get_if<std::string>(&value)) {
      out += *s;
    } else if (const auto* n = std::get_if<int64_t>(&value)) {
      out += std::to_string(*n);
    } else {
      std::string list;
      for (const auto& e : std::get<std::vector<std::string>>(value))
        list += (list.empty() ? "" : ",") + e;
      out += "[" + list + "]";
    }
  }
  return out;
}

}  // namespace

std::vector<std::unique_ptr<Detector>> makeDetectors(const Config& config) {
  std::vector<std::unique_ptr<Detector>> out;
  for (const DetectorName& d : config.detectors) {
    const std::string& n = d.value;
    if (n == "env") out.push_back(std::make_unique<EnvDetector>());
    if (n == "system") out.push_back(std::make_unique<SystemDetector>(config.system));
    if (n == "ec2") out.push_back(std::make_unique<Ec2Detector>(config.ec2));
    if (n == "ecs") out.push_back(std::make_unique<EcsDetector>(config.ecs));
    if (n == "eks") out.push_back(std::make_unique<EksDetector>(config.eks));
    if (n == "lambda") out.push_back(std::make_unique<LambdaDetector>(config.lambda));
  }
  return out;
}

ResourceProvider::ResourceProvider(std::vector<std::unique_ptr<Detector>> detectors,
                                   std::chrono::milliseconds timeout, bool fail_on_missing_metadata,
                                   std::shared_ptr<const Environment> env)
    : detectors_(std::move(detectors)),
      timeout_(timeout),
      fail_on_missing_metadata_(fail_on_missing_metadata),
      env_(std::move(env)) {}

Status ResourceProvider::detect() {
  std::lock_guard lock(mu_);
  if (done_) return status_;
  done_ = true;
  MetadataClient http(http_, MetadataClient::Clock::now() + timeout_);
  DetectContext ctx{*env_, http, fail_on_missing_metadata_};
  std::string errors;
  for (const auto& detector : detectors_) {
    auto r = detector->detect(ctx);
    if (!r.isOk()) {
      log::warn("resourcedetection", "failed to detect resource",
                {{"detector", std::string(detector->name())},
                 {"error", std::string(r.status().message())}});
      errors += (errors.empty() ? "" : "; ") + std::string("detector \"") +
                std::string(detector->name()) + "\": " + std::string(r.status().message());
      continue;
    }
    resource_.mergeMissing(*r);
  }
  if (!errors.empty()) {
    status_ = unavailable("resource detection failed: " + errors);
    return status_;
  }
  attributes_ = resource_.toAttributes(arena_);
  log::info("resourcedetection", "detected resource information",
            {{"resource", describe(resource_)}});
  return status_;
}

}  // namespace periscope::components::resourcedetection
