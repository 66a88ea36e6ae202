// Factory of the `attributes` processor.
#pragma once

#include <memory>

#include "pipeline/factories.h"

namespace periscope::components::attributes {

std::unique_ptr<pipeline::ProcessorFactory> makeFactory();

}  // namespace periscope::components::attributes
