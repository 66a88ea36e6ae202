// What a metadata detector does when its service is not there: "not on this platform" (empty
// resource, logged at debug), or an error with fail_on_missing_metadata.
#pragma once

#include "components/processors/resourcedetection/detectors/detector.h"

namespace periscope::components::resourcedetection {

Result<DetectedResource> metadataUnavailable(const DetectContext& ctx, std::string_view detector,
                                             const Status& why);

}  // namespace periscope::components::resourcedetection
