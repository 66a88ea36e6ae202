// ResourceProvider: runs the configured detectors once, concurrently, each within `timeout`, and
// keeps the merged resource (an earlier detector in the configured order wins on a conflicting
// attribute). Pipelines that name the same processor id share one provider, so detection runs
// once per processor, as in the collector.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/arena.h"
#include "common/http/client.h"
#include "common/telemetry/metrics.h"
#include "components/processors/resourcedetection/config.h"
#include "components/processors/resourcedetection/detectors/detector.h"

namespace periscope::components::resourcedetection {

// The detectors `config` lists, in order.
std::vector<std::unique_ptr<Detector>> makeDetectors(const Config& config);

class ResourceProvider {
 public:
  // Self-metrics (labelled processor=`processor_id`) go to `registry`:
  //   otelcol_resourcedetection_detector_results{detector, outcome[, error_type]}
  //   otelcol_resourcedetection_detector_duration{detector, outcome} (seconds)
  //   otelcol_resourcedetection_attributes_detected
  ResourceProvider(std::vector<std::unique_ptr<Detector>> detectors,
                   std::chrono::milliseconds timeout, bool fail_on_missing_metadata,
                   std::shared_ptr<const Environment> env, std::string processor_id = "",
                   telemetry::Registry& registry = telemetry::globalRegistry());

  // Runs detection the first time (one thread per detector, joined before returning); later
  // calls return the first outcome. A detector's error fails detection (the collector then
  // refuses to start); every failure is named.
  Status detect();
  // After a successful detect(): the merged attributes (owned by this provider).
  const DetectedResource& resource() const { return resource_; }
  model::Attributes attributes() const { return attributes_; }

 private:
  void record(std::string_view detector, const Status& outcome,
              std::chrono::steady_clock::duration took);

  std::vector<std::unique_ptr<Detector>> detectors_;
  std::chrono::milliseconds timeout_;
  bool fail_on_missing_metadata_;
  std::shared_ptr<const Environment> env_;
  std::string processor_id_;
  telemetry::Registry& registry_;
  http::Client http_;

  std::mutex mu_;
  bool done_ = false;
  Status status_;
  DetectedResource resource_;
  Arena arena_;
  model::Attributes attributes_;
};

}  // namespace periscope::components::resourcedetection
