// Detector: one source of resource attributes (env, system, ec2, ecs, eks, lambda). detect()
// returns an empty resource and no error when not running on its platform (as the collector's
// detectors do); an error means the platform was found but reading it failed.
#pragma once

#include <memory>
#include <string_view>

#include "components/processors/resourcedetection/attribute_toggles.h"
#include "components/processors/resourcedetection/detected_resource.h"
#include "components/processors/resourcedetection/environment.h"
#include "components/processors/resourcedetection/metadata_client.h"

namespace periscope::components::resourcedetection {

struct DetectContext {
  const Environment& env;
  MetadataClient& http;
  // An unreachable metadata service is an error rather than "not on this platform".
  bool fail_on_missing_metadata = false;
};

class Detector {
 public:
  virtual ~Detector() = default;
  virtual std::string_view name() const = 0;
  virtual Result<DetectedResource> detect(DetectContext& ctx) = 0;
};

// `s` with `prefix` before its message (same code).
inline Status prefixed(std::string_view prefix, const Status& s) {
  return Status(s.code(), std::string(prefix) + std::string(s.message()));
}

// Sets `key` when the detector's resource_attributes leave it enabled.
template <typename Spec>
void putIfEnabled(DetectedResource& out, const AttributeToggles<Spec>& toggles,
                  std::string_view key, DetectedValue value) {
  if (toggles.enabled(key)) out.put(key, std::move(value));
}

}  // namespace periscope::components::resourcedetection
