// Factory of the `resource` processor.
#pragma once

#include <memory>

#include "pipeline/factories.h"

namespace periscope::components::resource {

std::unique_ptr<pipeline::ProcessorFactory> makeFactory();

}  // namespace periscope::components::resource
