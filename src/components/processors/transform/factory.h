// Factory of the `transform` processor.
#pragma once

#include <memory>

#include "pipeline/factories.h"

namespace periscope::components::transform {

std::unique_ptr<pipeline::ProcessorFactory> makeFactory();

}  // namespace periscope::components::transform
