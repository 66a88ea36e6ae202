#include "components/processors/resourcedetection/resource_provider.h"

#include <optional>
#include <thread>

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
                                   std::shared_ptr<const Environment> env, std::string processor_id,
                                   telemetry::Registry& registry)
    : detectors_(std::move(detectors)),
      timeout_(timeout),
      fail_on_missing_metadata_(fail_on_missing_metadata),
      env_(std::move(env)),
      processor_id_(std::move(processor_id)),
      registry_(registry) {}

void ResourceProvider::record(std::string_view detector, const Status& outcome,
                              std::chrono::steady_clock::duration took) {
  telemetry::Labels labels = {{"processor", processor_id_},
                              {"detector", std::string(detector)},
                              {"outcome", outcome.isOk() ? "success" : "failure"}};
  registry_
      .histogram("otelcol_resourcedetection_detector_duration",
                 "Time each detector took, in seconds.", labels,
                 {0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30})
      .observe(std::chrono::duration<double>(took).count());
  if (!outcome.isOk())
    labels.emplace_back("error_type", std::string(statusCodeName(outcome.code())));
  registry_
      .counter("otelcol_resourcedetection_detector_results", "Detection outcomes by detector.",
               labels)
      .add();
}

Status ResourceProvider::detect() {
  std::lock_guard lock(mu_);
  if (done_) return status_;
  done_ = true;
  // Every detector probes at once, each with the whole timeout (as the collector does), so a
  // metadata service that never answers (EC2 IMDS seen from an ECS task) cannot use up the time
  // of the detectors after it. The results are merged afterwards in the configured order.
  struct Outcome {
    std::optional<Result<DetectedResource>> result;
    std::chrono::steady_clock::duration took{};
  };
  std::vector<Outcome> outcomes(detectors_.size());
  {
    const auto deadline = MetadataClient::Clock::now() + timeout_;
    std::vector<std::jthread> probes;
    probes.reserve(detectors_.size());
    for (size_t i = 0; i < detectors_.size(); ++i) {
      probes.emplace_back([this, i, deadline, &outcomes] {
        MetadataClient http(http_, deadline);
        DetectContext ctx{*env_, http, fail_on_missing_metadata_};
        auto started = std::chrono::steady_clock::now();
        outcomes[i].result = detectors_[i]->detect(ctx);
        outcomes[i].took = std::chrono::steady_clock::now() - started;
      });
    }
  }  // the jthreads join here
  std::string errors;
  for (size_t i = 0; i < detectors_.size(); ++i) {
    const Detector& detector = *detectors_[i];
    Result<DetectedResource>& r = *outcomes[i].result;
    record(detector.name(), r.status(), outcomes[i].took);
    if (!r.isOk()) {
      log::warn("resourcedetection", "failed to detect resource",
                {{"detector", std::string(detector.name())},
                 {"error", std::string(r.status().message())}});
      errors += (errors.empty() ? "" : "; ") + std::string("detector \"") +
                std::string(detector.name()) + "\": " + std::string(r.status().message());
      continue;
    }
    resource_.mergeMissing(*r);
  }
  if (!errors.empty()) {
    status_ = unavailable("resource detection failed: " + errors);
    return status_;
  }
  attributes_ = resource_.toAttributes(arena_);
  registry_
      .gauge("otelcol_resourcedetection_attributes_detected",
             "Number of attributes in the detected resource.", {{"processor", processor_id_}})
      .set(static_cast<double>(resource_.size()));
  log::info("resourcedetection", "detected resource information",
            {{"resource", describe(resource_)}});
  return status_;
}

}  // namespace periscope::components::resourcedetection
