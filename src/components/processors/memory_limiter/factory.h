// Factory of the `memory_limiter` processor.
#pragma once

#include <memory>

#include "pipeline/factories.h"

namespace periscope::components::memory_limiter {

std::unique_ptr<pipeline::ProcessorFactory> makeFactory();

}  // namespace periscope::components::memory_limiter
