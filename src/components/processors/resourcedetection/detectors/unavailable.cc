#include "components/processors/resourcedetection/detectors/unavailable.h"

#include "common/logging.h"

namespace periscope::components::resourcedetection {

Result<DetectedResource> metadataUnavailable(const DetectContext& ctx, std::string_view detector,
                                             const Status& why) {
  if (ctx.fail_on_missing_metadata)
    return prefixed(std::string(detector) + " metadata unavailable: ", why);
  log::debug("resourcedetection", "metadata unavailable; not running on this platform",
             {{"detector", std::string(detector)}, {"error", std::string(why.message())}});
  return DetectedResource();
}

}  // namespace periscope::components::resourcedetection
