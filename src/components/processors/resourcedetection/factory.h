// Factory of the `resourcedetection` processor.
#pragma once

#include <memory>

#include "components/processors/resourcedetection/environment.h"
#include "pipeline/factories.h"

namespace periscope::components::resourcedetection {

// `env` is what the detectors read (tests inject a StaticEnvironment; default: this process).
std::unique_ptr<pipeline::ProcessorFactory> makeFactory(
    std::shared_ptr<const Environment> env = nullptr);

}  // namespace periscope::components::resourcedetection
