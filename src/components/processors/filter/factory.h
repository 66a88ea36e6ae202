// Factory of the `filter` processor.
#pragma once

#include <memory>

#include "pipeline/factories.h"

namespace periscope::components::filter {

std::unique_ptr<pipeline::ProcessorFactory> makeFactory();

}  // namespace periscope::components::filter
